import { it } from "vitest";
import { scan } from "../../src/engine/index.js";
import { localSnapshot } from "../../src/sources/local.js";
it("lvl", async () => {
  for (const name of ["junior","senior","lead","broken"]) {
    const r = await scan(localSnapshot(`fixtures/repos/${name}`));
    const t = r.tasks.find(t => t.id === "backups")!;
    console.log(name, r.level, t.score);
    for (const s of t.signals) console.log("  ", s.id, s.status, s.reason ?? "", JSON.stringify(s.evidence));
  }
});

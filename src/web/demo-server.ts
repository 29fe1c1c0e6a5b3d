// `npm run dashboard:demo`: the dashboard on http://localhost:3000 (PORT), over a made-up public org
// (src/web/demo.ts) in a temporary SQLite file, with no GitHub behind it. For a look, and for the README
// screenshot; nothing here is used by the app.
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { defaultRules } from "../engine/index.js";
import { SqliteStore } from "../store/sqlite/index.js";
import { createDashboard } from "./dashboard.js";
import { memoryCredits, seedDemo } from "./demo.js";
import { githubHosts } from "./github-user.js";

const ORG = process.env.DEMO_ORG ?? "acme";
const dir = mkdtempSync(join(tmpdir(), "devops-ladder-demo-"));
const store = SqliteStore.open(join(dir, "demo.db"));
const now = Date.now();
const started = performance.now();
const demo = await seedDemo(store, defaultRules(), {
  org: ORG,
  repos: Number(process.env.DEMO_REPOS ?? 40),
  weeks: 52,
  scansPerWeek: 3,
  privateEvery: 0,
  now,
});
console.log(`seeded ${ORG} in ${Math.round(performance.now() - started)} ms`);

// the org's `.github` config, as GitHub would answer it: the dashboard is public
const config = Buffer.from("dashboard: public\n").toString("base64");
const dashboard = createDashboard({
  store: store.dashboard,
  scans: store.scans,
  credits: memoryCredits(demo.credits),
  rules: defaultRules(),
  hosts: githubHosts({}),
  auth: async () => ({
    request: async (route: string) => {
      if (route.startsWith("GET /repos/")) return { status: 200, data: { content: config, encoding: "base64" } };
      throw Object.assign(new Error("not in the demo"), { status: 404 });
    },
  }),
});

const port = Number(process.env.PORT ?? 3000);
const server = createServer(async (req, res) => {
  if (!(await dashboard.handler(req, res))) res.writeHead(404).end("not found\n");
});
server.listen(port, "127.0.0.1", () => console.log(`dashboard demo on http://127.0.0.1:${port}/orgs/${ORG}`));
const stop = () => {
  server.close();
  void store.close();
  rmSync(dir, { recursive: true, force: true });
  process.exit(0);
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);

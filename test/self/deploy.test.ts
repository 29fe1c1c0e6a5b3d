// scripts/deploy.sh and rollback.sh decide, against a fake runtime and a real /healthz endpoint, whether a
// release stays or the previous image comes back.
import { afterEach, describe, expect, it } from "vitest";
import { FakeHost, IMAGE } from "./fake-runtime.js";

const V1 = `${IMAGE}:1.0.0`;
const V2 = `${IMAGE}:1.1.0`;
let host: FakeHost;

afterEach(() => host?.close());

const runs = (calls: string[]) => calls.filter((c) => / run /.test(` ${c} `)).map((c) => c.split(" ").at(-1));

describe("scripts/deploy.sh", () => {
  it("deploys a healthy release: backup, replace, no rollback", async () => {
    host = await new FakeHost().runs(V1).start();
    const r = await host.run("scripts/deploy.sh", ["production", "1.1.0"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.running).toBe(V2);
    expect(runs(r.calls)).toEqual([V2]);
    expect(r.calls).toEqual([
      "--context devops-ladder-production inspect --format {{.Config.Image}} {{.State.Running}} devops-ladder",
      `--context devops-ladder-production pull ${V2}`,
      "--context devops-ladder-production exec devops-ladder /app/scripts/backup.sh",
      "--context devops-ladder-production rm --force devops-ladder",
      expect.stringMatching(
        new RegExp(
          String.raw`^--context devops-ladder-production run --detach --name devops-ladder ` +
            String.raw`.*--volume devops-ladder-data:\/data .*--label ` +
            String.raw`org\.devops-ladder\.previous-image=ghcr\.io\/devops-ladder\/devops-ladder:1\.0\.0 ` +
            String.raw`ghcr\.io\/devops-ladder\/devops-ladder:1\.1\.0$`,
        ),
      ),
    ]);
    expect(r.stdout).toContain("is live on production");
  });

  it("rolls back to the previous image by itself when the release does not answer /healthz", async () => {
    host = await new FakeHost().runs(V1).unhealthy(V2).start();
    const r = await host.run("scripts/deploy.sh", ["staging", "1.1.0"]);
    expect(r.code).toBe(1);
    expect(runs(r.calls)).toEqual([V2, V1]);
    const rollbackAt = r.calls.findIndex((c) => c.endsWith(` ${V1}`) && c.includes(" run "));
    expect(r.calls[rollbackAt - 1]).toBe("--context devops-ladder-staging rm --force devops-ladder");
    expect(r.calls.every((c) => c.startsWith("--context devops-ladder-staging "))).toBe(true);
    expect(r.running).toBe(V1);
    expect(r.stderr).toContain(`rolled back to ${V1}`);
  });

  it("says so, and still fails, when the previous image is unhealthy too", async () => {
    host = await new FakeHost().runs(V1).unhealthy(V1, V2).start();
    const r = await host.run("scripts/deploy.sh", ["production", "1.1.0"]);
    expect(r.code).toBe(1);
    expect(runs(r.calls)).toEqual([V2, V1]);
    expect(r.stderr).toContain("does not answer either");
  });

  it("fails without a rollback on a first deploy that is unhealthy", async () => {
    host = await new FakeHost().unhealthy(V2).start();
    const r = await host.run("scripts/deploy.sh", ["production", "1.1.0"]);
    expect(r.code).toBe(1);
    expect(runs(r.calls)).toEqual([V2]);
    expect(r.calls.some((c) => c.includes(" exec "))).toBe(false);
    expect(r.stderr).toContain("nothing to roll back to");
  });

  it("leaves the running container alone when the image cannot be pulled", async () => {
    host = await new FakeHost().runs(V1).unpullable(V2).start();
    const r = await host.run("scripts/deploy.sh", ["production", "1.1.0"]);
    expect(r.code).not.toBe(0);
    expect(r.calls.some((c) => / (rm|run|exec) /.test(c))).toBe(false);
    expect(r.running).toBe(V1);
  });

  it("accepts a full image reference instead of a tag", async () => {
    host = await new FakeHost().runs(V1).start();
    const r = await host.run("scripts/deploy.sh", ["staging", "registry.example.com/ladder:canary"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.running).toBe("registry.example.com/ladder:canary");
  });

  it.each([[["prod", "1.1.0"]], [["production"]], [[]]])(
    "refuses bad arguments %j before touching anything",
    async (args) => {
      host = await new FakeHost().runs(V1).start();
      const r = await host.run("scripts/deploy.sh", args);
      expect(r.code).toBe(64);
      expect(r.calls).toEqual([]);
      expect(r.stderr).toContain("usage:");
    },
  );
});

describe("scripts/rollback.sh", () => {
  it("redeploys the image recorded as previous on the running container", async () => {
    host = await new FakeHost().runs(V2, V1).start();
    const r = await host.run("scripts/rollback.sh", ["production"]);
    expect(r.code, r.stderr).toBe(0);
    expect(runs(r.calls)).toEqual([V1]);
    expect(r.running).toBe(V1);
    // rolling back twice goes forward again
    const again = await host.run("scripts/rollback.sh", ["production"]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.running).toBe(V2);
  });

  it("goes back to a named tag", async () => {
    host = await new FakeHost().runs(V2).start();
    const r = await host.run("scripts/rollback.sh", ["staging", "1.0.0"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.running).toBe(V1);
  });

  it("refuses when no previous image is recorded and none is named", async () => {
    host = await new FakeHost().runs(V2).start();
    const r = await host.run("scripts/rollback.sh", ["production"]);
    expect(r.code).toBe(1);
    expect(runs(r.calls)).toEqual([]);
    expect(r.stderr).toContain("no previous image");
  });
});

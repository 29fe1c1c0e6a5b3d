// Child process of bench/dashboard.js: serves the dashboard from a seeded store, on a free port, until killed.
// GitHub is not there: the org's config answers `dashboard: public` (visitors are signed out), as the demo's.
import { createServer } from "node:http";

const [dbPath, dist = new URL("../dist/", import.meta.url).href] = process.argv.slice(2);
const { SqliteStore } = await import(new URL("store/sqlite/index.js", dist).href);
const { createDashboard } = await import(new URL("web/dashboard.js", dist).href);
const { githubHosts } = await import(new URL("web/github-user.js", dist).href);
const { defaultRules } = await import(new URL("engine/index.js", dist).href);

const store = SqliteStore.open(dbPath);
const config = Buffer.from("dashboard: public\n").toString("base64");
const dashboard = createDashboard({
  store: store.dashboard,
  scans: store.scans,
  rules: defaultRules(),
  hosts: githubHosts({}),
  auth: async () => ({
    request: async (route) => {
      if (route.startsWith("GET /repos/")) return { status: 200, data: { content: config, encoding: "base64" } };
      throw Object.assign(new Error("not in the bench"), { status: 404 });
    },
  }),
});
const server = createServer(async (req, res) => {
  if (!(await dashboard.handler(req, res))) res.writeHead(404).end();
});
server.listen(0, "127.0.0.1", () => process.send({ port: server.address().port }));

// CPU time per request does not depend on what else the machine runs: the parent asks around each page
process.on("message", async (message) => {
  if (message === "cpu") process.send({ cpu: process.cpuUsage() });
  // a webhook's write: the org's rows in memory are stale after it, the next page reads them again
  if (message === "write") {
    await store.dashboard.saveMeta({ repo: "acme/payments-api", private: true, description: `seen at ${Date.now()}` });
    process.send({ written: true });
  }
});

// Child process of bench/badges.js: serves the badge routes from a store, on a free port, until killed.
// `plain`: node:http with our handler; `probot`: Probot's own Server, as `probot run` starts it (with its
// per-request pino-http logger, at LOG_LEVEL warn).
import { createServer } from "node:http";

const [dbPath, mode = "plain", dist = new URL("../dist/", import.meta.url).href] = process.argv.slice(2);
const { createHttpHandler } = await import(new URL("http/routes.js", dist).href);
const { createMetrics } = await import(new URL("metrics.js", dist).href);
const { ScanStore } = await import(new URL("store/store.js", dist).href);
const store = ScanStore.open(dbPath);
const metrics = createMetrics();
metrics.trackStore(store);
const options = { store, metrics, secret: "bench-secret" };

if (mode === "probot") {
  const { Probot, Server } = await import("probot");
  const { pino } = await import("pino");
  const log = pino({ level: "warn" });
  const server = new Server({
    Probot: Probot.defaults({ appId: 1, privateKey: "unused", secret: "bench", log }),
    port: 0,
    host: "127.0.0.1",
    log,
  });
  await server.load((_app, { addHandler }) => addHandler(createHttpHandler(options)));
  await server.start();
  process.send({ port: server.port });
} else {
  const handler = createHttpHandler(options);
  const server = createServer((req, res) => {
    if (!handler(req, res)) res.writeHead(404).end();
  });
  server.listen(0, "127.0.0.1", () => process.send({ port: server.address().port }));
}

// the parent asks for CPU time around each run: CPU per request does not depend on what else the machine runs
process.on("message", (message) => {
  if (message === "cpu") process.send({ cpu: process.cpuUsage() });
});

// The app as a real process, for the process tests (test/app/process.test.ts, test/cli/worker.test.ts) and
// bench:jobs: the sources bundled as the image runs them, a process started against the loopback fake GitHub
// (bench/fake-github.js) and ready once it answers HTTP, and signed webhook deliveries.
import { spawn } from "node:child_process";
import { createHmac, randomUUID } from "node:crypto";
import { request } from "node:http";
import { createServer } from "node:net";
import { join } from "node:path";
import { build } from "esbuild";

/**
 * Bundles entry points (default: src/main.ts as main.js) into `outdir`, which must sit one level under the
 * project root, as dist/ does: the rules and the parsers are found at ../.
 */
export async function bundleApp(outdir, entryPoints = { main: "src/main.ts" }) {
  await build({
    entryPoints,
    outdir,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    packages: "external",
    logLevel: "error",
  });
}

export const freePort = () =>
  new Promise((done, fail) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => done(port));
    });
    server.on("error", fail);
  });

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Answers /healthz at all (a 503 while the store is not ready counts: the server is up). */
function answers(port) {
  return new Promise((done) => {
    const req = request({ host: "127.0.0.1", port, path: "/healthz" }, (res) => {
      res.resume();
      done(true);
    });
    req.on("error", () => done(false));
    req.end();
  });
}

/**
 * Starts `<outdir>/main.js` on a free port of 127.0.0.1 with the app's credentials, `gh`'s address and `env`;
 * resolves once it answers HTTP. Its output is kept (the last `keepBytes`) and, with `echo`, copied to stderr.
 */
export async function startApp({ outdir, gh, privateKey, secret, env = {}, echo = false, keepBytes = 1 << 20 }) {
  const port = await freePort();
  const child = spawn(process.execPath, [join(outdir, "main.js")], {
    env: {
      PATH: process.env.PATH,
      NODE_ENV: "production",
      APP_ID: "1",
      PRIVATE_KEY: privateKey,
      WEBHOOK_SECRET: secret,
      PORT: String(port),
      HOST: "127.0.0.1",
      SWEEP_INTERVAL: "off",
      ...gh.env(),
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  const keep = (chunk) => {
    out = (out + chunk.toString()).slice(-keepBytes);
    if (echo) process.stderr.write(chunk);
  };
  child.stdout.on("data", keep);
  child.stderr.on("data", keep);
  const exited = new Promise((done) => child.once("exit", (code) => done(code)));
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`the app exited at start:\n${out}`);
    if (await answers(port)) break;
    if (i > 600) {
      child.kill("SIGKILL");
      throw new Error(`the app did not start:\n${out}`);
    }
    await sleep(100);
  }
  return { child, port, output: () => out, exited };
}

/** POSTs one signed delivery; resolves with the HTTP status. */
export function deliver(port, secret, name, payload, delivery = randomUUID()) {
  const body = JSON.stringify(payload);
  return new Promise((done, fail) => {
    const req = request(
      {
        host: "127.0.0.1",
        port,
        path: "/api/github/webhooks",
        method: "POST",
        headers: {
          "content-type": "application/json",
          "x-github-event": name,
          "x-github-delivery": delivery,
          "x-hub-signature-256": `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`,
        },
      },
      (res) => {
        res.resume();
        done(res.statusCode);
      },
    );
    req.on("error", fail);
    req.end(body);
  });
}

/** A push of `head` to the default branch (main) of `fullName`, by installation 1. */
export function pushOf(fullName, head) {
  const [owner, name] = fullName.split("/");
  return {
    ref: "refs/heads/main",
    before: "0".repeat(40),
    after: head,
    installation: { id: 1 },
    repository: { name, full_name: fullName, owner: { login: owner }, default_branch: "main", private: false },
  };
}

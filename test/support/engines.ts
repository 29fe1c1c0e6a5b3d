// Real PostgreSQL and Redis for the tests. CI (.ci/run) starts both and passes TEST_DATABASE_URL and
// TEST_REDIS_URL; elsewhere a test file starts throwaway servers of its own (initdb into a temp folder,
// redis-server on a free port) when the binaries are installed, and is skipped, loudly, when they are not.
// In CI (.ci/run sets TEST_ENGINES_REQUIRED) nothing is skipped: a missing engine fails the run.
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";

export interface Engine {
  url: string;
  close(): Promise<void>;
}

const inCi = () => Boolean(process.env.TEST_ENGINES_REQUIRED || process.env.CI);

function missing(what: string, hint: string): undefined {
  if (inCi()) throw new Error(`${what} is needed in CI and none was found (${hint})`);
  console.warn(`\n⚠ SKIPPED: ${what} is not available here (${hint}); these tests did not run.\n`);
  return undefined;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** A fresh, empty PostgreSQL database, dropped by close(). */
export async function postgresForTests(): Promise<Engine | undefined> {
  const server = process.env.TEST_DATABASE_URL
    ? { url: process.env.TEST_DATABASE_URL, stop: async () => {} }
    : await startPostgres();
  if (!server) return missing("PostgreSQL", "set TEST_DATABASE_URL or install postgresql");
  const name = `dl_test_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = new pg.Client({ connectionString: server.url });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(server.url);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async close() {
      const again = new pg.Client({ connectionString: server.url });
      await again.connect();
      await again.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await again.end();
      await server.stop();
    },
  };
}

/** A Redis server (the shared one in CI: callers use their own key prefix). */
export async function redisForTests(): Promise<Engine | undefined> {
  if (process.env.TEST_REDIS_URL) return { url: process.env.TEST_REDIS_URL, close: async () => {} };
  if (!binary("redis-server")) return missing("Redis", "set TEST_REDIS_URL or install redis-server");
  const port = await freePort();
  const child = spawn(
    "redis-server",
    ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
    {
      stdio: "ignore",
    },
  );
  await waitForPort(port, child);
  return { url: `redis://127.0.0.1:${port}`, close: () => stop(child) };
}

async function startPostgres(): Promise<{ url: string; stop: () => Promise<void> } | undefined> {
  const bin = postgresBin();
  if (!bin) return undefined;
  const dir = mkdtempSync(join(tmpdir(), "dl-pg-"));
  const data = join(dir, "data");
  const asRoot = process.getuid?.() === 0;
  // PostgreSQL refuses to run as root: as root, the cluster belongs to the `postgres` user
  const run = (cmd: string, args: string[]) =>
    (asRoot ? ["runuser", ["-u", "postgres", "--", cmd, ...args]] : [cmd, args]) as [string, string[]];
  if (asRoot) {
    chmodSync(dir, 0o777);
  }
  execFileSync(...run(join(bin, "initdb"), ["-D", data, "--auth=trust", "-U", "postgres", "--no-sync"]), {
    stdio: "ignore",
  });
  const port = await freePort();
  const [cmd, args] = run(join(bin, "postgres"), [
    "-D",
    data,
    "-p",
    String(port),
    "-k",
    dir,
    "-c",
    "listen_addresses=127.0.0.1",
    "-c",
    "fsync=off",
  ]);
  const child = spawn(cmd, args, { stdio: "ignore" });
  await waitForPort(port, child);
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  for (let i = 0; ; i++) {
    const client = new pg.Client({ connectionString: url });
    try {
      await client.connect();
      await client.end();
      break;
    } catch (error) {
      await client.end().catch(() => undefined);
      if (i > 100) throw error;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return {
    url,
    async stop() {
      await stop(child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function postgresBin(): string | undefined {
  const root = "/usr/lib/postgresql";
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root).sort((a, b) => Number(b) - Number(a));
  return versions.map((v) => join(root, v, "bin")).find((dir) => existsSync(join(dir, "initdb")));
}

function binary(name: string): boolean {
  try {
    execFileSync("sh", ["-c", `command -v ${name}`], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

async function waitForPort(port: number, child: ChildProcess): Promise<void> {
  const { connect } = await import("node:net");
  for (let i = 0; i < 200; i++) {
    if (child.exitCode !== null) throw new Error(`the server on port ${port} exited at start`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, "127.0.0.1");
      socket.once("connect", () => {
        socket.destroy();
        resolve(true);
      });
      socket.once("error", () => resolve(false));
    });
    if (open) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`nothing listens on port ${port}`);
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once("exit", () => resolve());
    child.kill("SIGTERM");
  });
}

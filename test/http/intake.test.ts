// The webhook intake on a real loopback server: size limit before buffering, signature check, and the
// per-address limit on failed signatures; request bodies never reach the log.
import { createHmac } from "node:crypto";
import { createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { FailureLimiter, webhookIntake } from "../../src/http/intake.js";

const SECRET = "s3cret";
const PATH = "/api/github/webhooks";
let server: Server | undefined;

afterEach(async () => {
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
  server = undefined;
});

async function serve(options: { limitBytes?: number; max?: number } = {}) {
  const received: unknown[] = [];
  const logged: unknown[] = [];
  const log = { warn: (obj: unknown) => void logged.push(obj), error: (obj: unknown) => void logged.push(obj) };
  const intake = webhookIntake({
    path: PATH,
    secret: SECRET,
    limitBytes: options.limitBytes ?? 1024,
    failures: { max: options.max ?? 3, windowMs: 60_000 },
    receive: async (event) => void received.push(event),
    log,
  });
  server = createServer(async (req, res) => {
    if (!(await intake(req, res))) res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return { port, received, logged };
}

const sign = (body: string) => `sha256=${createHmac("sha256", SECRET).update(body).digest("hex")}`;

function post(
  port: number,
  body: string | undefined,
  headers: Record<string, string>,
  chunks?: { size: number; count: number },
): Promise<{ status: number; ms: number }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = request({ port, host: "127.0.0.1", path: PATH, method: "POST", headers }, (res) => {
      res.resume();
      resolve({ status: res.statusCode!, ms: performance.now() - started });
    });
    req.on("error", (err) =>
      String(err).includes("ECONNRESET") || String(err).includes("EPIPE") ? undefined : reject(err),
    );
    if (chunks) {
      const chunk = Buffer.alloc(chunks.size, 120);
      let sent = 0;
      const more = () => {
        while (sent < chunks.count) {
          sent++;
          if (!req.write(chunk)) return void req.once("drain", more);
        }
        req.end();
      };
      more();
    } else req.end(body);
  });
}

const headers = (body: string, extra: Record<string, string> = {}) => ({
  "content-type": "application/json",
  "x-github-event": "push",
  "x-github-delivery": "d-1",
  "x-hub-signature-256": sign(body),
  ...extra,
});

describe("webhook intake", () => {
  it("hands a signed delivery to Probot", async () => {
    const { port, received } = await serve();
    const body = JSON.stringify({ ref: "refs/heads/main" });
    expect((await post(port, body, headers(body))).status).toBe(200);
    expect(received).toEqual([{ id: "d-1", name: "push", payload: { ref: "refs/heads/main" } }]);
  });

  it("refuses a body over the limit from its Content-Length, before reading it", async () => {
    const { port, received, logged } = await serve({ limitBytes: 1024 * 1024 });
    const size = 50 * 1024 * 1024;
    const answer = await post(
      port,
      undefined,
      { ...headers(""), "content-length": String(size) },
      { size: 1024 * 1024, count: 50 },
    );
    expect(answer.status).toBe(413);
    expect(answer.ms).toBeLessThan(1000);
    expect(received).toEqual([]);
    expect(JSON.stringify(logged)).not.toContain("xxxx");
  });

  it("refuses a chunked body as soon as it passes the limit", async () => {
    const { port, received } = await serve({ limitBytes: 64 * 1024 });
    const answer = await post(port, undefined, headers(""), { size: 16 * 1024, count: 64 });
    expect(answer.status).toBe(413);
    expect(received).toEqual([]);
  });

  it("refuses a bad signature (401) without logging the body, then the address altogether (429)", async () => {
    const { port, received, logged } = await serve({ max: 2 });
    const body = JSON.stringify({ secret: "do-not-log-me" });
    const forged = headers(body, { "x-hub-signature-256": sign("other") });
    expect((await post(port, body, forged)).status).toBe(401);
    expect((await post(port, body, { ...forged, "x-hub-signature-256": "" })).status).toBe(401);
    expect((await post(port, body, forged)).status).toBe(429);
    // a good signature from the same address is refused too while the window lasts
    expect((await post(port, body, headers(body))).status).toBe(429);
    expect(received).toEqual([]);
    expect(JSON.stringify(logged)).not.toContain("do-not-log-me");
  });

  it("FailureLimiter counts per address in fixed windows", () => {
    let now = 0;
    const limiter = new FailureLimiter(2, 1000, () => now);
    limiter.note("a");
    limiter.note("a");
    limiter.note("b");
    expect([limiter.blocked("a"), limiter.blocked("b")]).toEqual([true, false]);
    now = 1001;
    expect(limiter.blocked("a")).toBe(false);
  });
});

// Webhook intake, before Probot sees a delivery: a body over the limit is refused (413) from its
// Content-Length, or as soon as its stream passes the limit, without buffering it; the signature is checked
// here, and an address whose signatures keep failing is refused (429) before its body is read. Request bodies
// are never logged: a refused delivery is logged as its address, event and delivery id.
import { createHmac, timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { HttpHandler } from "./routes.js";

/** GitHub caps webhook payloads at 25 MB. */
export const DEFAULT_BODY_LIMIT = 25 * 1024 * 1024;

export interface IntakeOptions {
  /** the webhook path (Probot's default /api/github/webhooks) */
  path: string;
  secret: string;
  /** bytes; default 25 MB */
  limitBytes?: number;
  /** failed signature checks an address may make per window before it is refused; default 10 a minute */
  failures?: { max: number; windowMs: number };
  /** hands a verified delivery to Probot */
  receive(event: { id: string; name: string; payload: unknown }): Promise<void>;
  log?: { warn(obj: unknown, msg?: string): void; error(obj: unknown, msg?: string): void };
  now?: () => number;
}

/** Failed signature checks by address, in fixed windows; at most `maxAddresses` remembered. */
export class FailureLimiter {
  private readonly seen = new Map<string, { count: number; until: number }>();
  constructor(
    private readonly max: number,
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
    private readonly maxAddresses = 10_000,
  ) {}

  blocked(address: string): boolean {
    const entry = this.seen.get(address);
    return entry !== undefined && entry.until > this.now() && entry.count >= this.max;
  }

  note(address: string): void {
    const now = this.now();
    let entry = this.seen.get(address);
    if (!entry || entry.until <= now) {
      entry = { count: 0, until: now + this.windowMs };
      this.seen.delete(address);
      this.seen.set(address, entry);
      if (this.seen.size > this.maxAddresses) this.seen.delete(this.seen.keys().next().value!);
    }
    entry.count++;
  }
}

export function webhookIntake(options: IntakeOptions): HttpHandler {
  const limit = options.limitBytes ?? DEFAULT_BODY_LIMIT;
  const { max, windowMs } = options.failures ?? { max: 10, windowMs: 60_000 };
  const failures = new FailureLimiter(max, windowMs, options.now);
  const log = options.log;

  return async (req, res) => {
    if (req.method !== "POST" || (req.url ?? "").split("?")[0] !== options.path) return false;
    const address = req.socket.remoteAddress ?? "unknown";
    const event = header(req, "x-github-event");
    const delivery = header(req, "x-github-delivery");
    const about = { address, event, delivery };
    if (failures.blocked(address)) {
      log?.warn(about, "webhook refused: too many failed signatures from this address");
      return refuse(req, res, 429, "too many failed signature checks", { "retry-after": String(windowMs / 1000) });
    }
    const declared = Number(req.headers["content-length"]);
    if (Number.isFinite(declared) && declared > limit) {
      log?.warn({ ...about, bytes: declared }, "webhook refused: body over the limit");
      return refuse(req, res, 413, `the body is over ${limit} bytes`);
    }
    const body = await read(req, limit);
    if (body === undefined) {
      log?.warn(about, "webhook refused: body over the limit");
      return refuse(req, res, 413, `the body is over ${limit} bytes`);
    }
    if (!verify(options.secret, body, header(req, "x-hub-signature-256"))) {
      failures.note(address);
      log?.warn(about, "webhook refused: the signature does not match WEBHOOK_SECRET");
      return answer(res, 401, "signature does not match");
    }
    if (!event || !delivery) return answer(res, 400, "x-github-event and x-github-delivery are required");
    let payload: unknown;
    try {
      payload = JSON.parse(body.toString("utf8"));
    } catch {
      return answer(res, 400, "the body is not JSON");
    }
    try {
      await options.receive({ id: delivery, name: event, payload });
    } catch (err) {
      log?.error({ ...about, error: (err as Error)?.message }, "webhook not handled");
      return answer(res, 500, "not handled");
    }
    return answer(res, 200, "ok");
  };
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** The body, or undefined as soon as it passes `limit` (what was read so far is dropped). */
function read(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.off("data", onData);
        chunks.length = 0;
        resolve(undefined);
        return;
      }
      chunks.push(chunk);
    };
    req.on("data", onData);
    req.once("end", () => resolve(Buffer.concat(chunks)));
    req.once("error", reject);
  });
}

export function verify(secret: string, body: Buffer, signature: string | undefined): boolean {
  if (!signature?.startsWith("sha256=")) return false;
  const expected = Buffer.from(`sha256=${createHmac("sha256", secret).update(body).digest("hex")}`);
  const given = Buffer.from(signature);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

function answer(res: ServerResponse, status: number, message: string, headers: Record<string, string> = {}): true {
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify(status < 300 ? { ok: true } : { error: message }));
  return true;
}

/**
 * Answers at once; the rest of the body is read and dropped (never kept), so that the client sees the answer
 * rather than a reset; a sender still sending after 10 s is cut off.
 */
function refuse(
  req: IncomingMessage,
  res: ServerResponse,
  status: number,
  message: string,
  headers: Record<string, string> = {},
): true {
  answer(res, status, message, headers);
  req.resume();
  const cut = setTimeout(() => req.socket.destroy(), 10_000).unref();
  req.once("end", () => clearTimeout(cut));
  return true;
}

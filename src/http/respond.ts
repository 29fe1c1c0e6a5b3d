// Writing responses: a body with its ETag and Cache-Control, a 304 when the client already has it.
import { createHash } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";

/** A response body prepared once (and cached): its bytes, type and strong ETag. */
export interface Prepared {
  body: Buffer;
  type: string;
  etag: string;
}

export function prepare(body: string, type: string): Prepared {
  const bytes = Buffer.from(body);
  return { body: bytes, type, etag: `"${createHash("sha1").update(bytes).digest("base64url")}"` };
}

const COMMON = {
  "x-content-type-options": "nosniff",
  // an SVG opened directly must not run anything
  "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'",
};

/** Sends `prepared` with `status`, or a 304 when If-None-Match already names it. Returns the status sent. */
export function send(
  req: IncomingMessage,
  res: ServerResponse,
  status: number,
  prepared: Prepared,
  cacheControl: string,
): number {
  const headers = { ...COMMON, "cache-control": cacheControl, etag: prepared.etag };
  if (status === 200 && matches(req.headers["if-none-match"], prepared.etag)) {
    res.writeHead(304, headers).end();
    return 304;
  }
  res.writeHead(status, { ...headers, "content-type": prepared.type, "content-length": prepared.body.length });
  res.end(req.method === "HEAD" ? undefined : prepared.body);
  return status;
}

/** A short plain-text error; never cached, never echoing the request back. */
export function sendError(
  res: ServerResponse,
  status: number,
  message: string,
  extra: Record<string, string> = {},
): number {
  res.writeHead(status, {
    ...COMMON,
    ...extra,
    "content-type": "text/plain; charset=utf-8",
    "cache-control": "no-store",
  });
  res.end(`${message}\n`);
  return status;
}

function matches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === "*") return true;
  return header.split(",").some((tag) => tag.trim().replace(/^W\//, "") === etag);
}

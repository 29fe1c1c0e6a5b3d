// The app's own HTTP routes: badges, shields.io endpoint JSON, score history, /healthz and /metrics.
// One handler in Probot's `addHandler` shape: it answers our paths and returns false for everything else.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Metrics } from "../metrics.js";
import { type BadgeFace, notFoundFace, overallFace, renderSvg, shieldsEndpoint, taskFace } from "../report/badge.js";
import type { BadgeEntry, Store, StoredScan } from "../store/store.js";
import { isOurs, parseRoute, type Route } from "./parse.js";
import { type Prepared, prepare, send, sendError } from "./respond.js";
import { isValidToken } from "./token.js";

export type HttpHandler = (req: IncomingMessage, res: ServerResponse) => boolean | Promise<boolean>;

export interface HttpOptions {
  store: Store;
  /** BADGE_SECRET: the key of private repos' badge tokens; without it private repos are never served */
  secret?: string;
  metrics?: Metrics;
  /** how long clients and GitHub's image proxy may keep a badge; default 300 s */
  cacheSeconds?: number;
  /** when set, /metrics asks for `Authorization: Bearer <metricsToken>` */
  metricsToken?: string;
  /** where errors of the store go (e.g. Probot's `app.log.error`); default console.error */
  onError?: (error: unknown) => void;
  /** memory for rendered badges, keyed by scan id and variant; default 64 MB (~45,000 SVGs) */
  cacheBytes?: number;
}

/** Adds our routes to a Probot app: `registerHttpRoutes(addHandler, { store, secret, metrics })`. */
export function registerHttpRoutes(addHandler: (handler: HttpHandler) => void, options: HttpOptions): void {
  addHandler(createHttpHandler(options));
}

export function createHttpHandler(options: HttpOptions): HttpHandler {
  const { store, secret, metrics } = options;
  const onError = options.onError ?? ((error: unknown) => console.error(error));
  const maxAge = options.cacheSeconds ?? 300;
  const publicCache = `public, max-age=${maxAge}`;
  const privateCache = `private, max-age=${maxAge}`;
  const missingCache = "public, max-age=60";
  const rendered = new RenderCache(options.cacheBytes ?? 64 * 1024 * 1024);
  // one body for "unknown repo" and "private repo without its token", so the two cannot be told apart
  const notFound = {
    svg: prepare(renderSvg(notFoundFace()), SVG),
    json: prepare(JSON.stringify({ ...shieldsEndpoint(notFoundFace(), 60), isError: true }), JSON_TYPE),
    history: prepare(JSON.stringify({ error: "not found" }), JSON_TYPE),
  };

  function visible(entry: { repo: string; private: boolean } | undefined, token: string | undefined): boolean {
    return entry !== undefined && (!entry.private || isValidToken(secret, entry.repo, token));
  }

  async function badge(
    req: IncomingMessage,
    res: ServerResponse,
    route: Extract<Route, { kind: "badge" }>,
  ): Promise<number> {
    const entry = await store.scans.badge(route.repo);
    if (!entry || !visible(entry, route.query.token)) return send(req, res, 404, notFound[route.format], missingCache);
    const key = `${entry.scan.id}|${route.format}|${route.task ?? ""}|${route.query.style}`;
    let body = rendered.get(key);
    if (!body) {
      body = renderVariant(entry, route);
      rendered.set(key, body);
    }
    return send(req, res, 200, body, entry.private ? privateCache : publicCache);
  }

  function renderVariant(entry: BadgeEntry, route: Extract<Route, { kind: "badge" }>): Prepared {
    const face: BadgeFace = route.task ? taskFace(route.task, entry.scan.tasks[route.task]) : overallFace(entry.scan);
    return route.format === "svg"
      ? prepare(renderSvg(face, route.query.style), SVG)
      : prepare(JSON.stringify(shieldsEndpoint(face, maxAge)), JSON_TYPE);
  }

  async function history(
    req: IncomingMessage,
    res: ServerResponse,
    route: Extract<Route, { kind: "history" }>,
  ): Promise<number> {
    const found = await store.scans.history(route.repo, { ref: route.query.ref, limit: route.query.limit });
    if (!found || !visible(found, route.query.token)) return send(req, res, 404, notFound.history, missingCache);
    const body = { repo: found.repo, ref: found.ref, scans: found.scans.map(publicScan) };
    return send(
      req,
      res,
      200,
      prepare(JSON.stringify(body), JSON_TYPE),
      found.private ? "private, max-age=60" : "public, max-age=60",
    );
  }

  async function healthz(req: IncomingMessage, res: ServerResponse): Promise<number> {
    try {
      await store.ping();
      return send(req, res, 200, prepare(JSON.stringify({ status: "ok", store: "ok" }), JSON_TYPE), "no-store");
    } catch {
      // the reason goes to the logs of whoever watches the store, not to anonymous callers
      return send(
        req,
        res,
        503,
        prepare(JSON.stringify({ status: "error", store: "unreachable" }), JSON_TYPE),
        "no-store",
      );
    }
  }

  function metricsRoute(req: IncomingMessage, res: ServerResponse): number | Promise<number> {
    if (!metrics) return sendError(res, 404, "metrics are not enabled");
    if (options.metricsToken && req.headers.authorization !== `Bearer ${options.metricsToken}`) {
      return sendError(res, 401, "unauthorized", { "www-authenticate": "Bearer" });
    }
    return metrics.registry.metrics().then((text) => {
      res.writeHead(200, { "content-type": metrics.registry.contentType, "cache-control": "no-store" });
      res.end(req.method === "HEAD" ? undefined : text);
      return 200;
    });
  }

  function answer(req: IncomingMessage, res: ServerResponse, route: Route): number | Promise<number> {
    if (req.method !== "GET" && req.method !== "HEAD")
      return sendError(res, 405, "method not allowed", { allow: "GET, HEAD" });
    switch (route.kind) {
      case "bad":
        return sendError(res, route.status, route.message);
      case "badge":
        return badge(req, res, route);
      case "history":
        return history(req, res, route);
      case "healthz":
        return healthz(req, res);
      case "metrics":
        return metricsRoute(req, res);
    }
  }

  function failed(res: ServerResponse, error: unknown): number {
    onError(error);
    if (res.headersSent) res.destroy();
    else sendError(res, 503, "service unavailable");
    return 503;
  }

  return (req, res) => {
    const url = req.url ?? "/";
    if (!isOurs(url)) return false;
    const route = parseRoute(url);
    const done = (status: number) => {
      metrics?.httpRequest(routeLabel(route), status);
      return true;
    };
    let status: number | Promise<number>;
    try {
      status = answer(req, res, route);
    } catch (error) {
      status = failed(res, error);
    }
    return typeof status === "number" ? done(status) : status.catch((error: unknown) => failed(res, error)).then(done);
  };
}

function publicScan(scan: StoredScan) {
  return {
    at: new Date(scan.scannedAt).toISOString(),
    ref: scan.ref,
    sha: scan.headSha,
    score: scan.score,
    level: scan.level,
    tasks: scan.tasks,
  };
}

function routeLabel(route: Route): string {
  if (route.kind === "badge") return route.task ? `task_badge_${route.format}` : `badge_${route.format}`;
  return route.kind === "bad" ? "invalid" : route.kind;
}

const SVG = "image/svg+xml; charset=utf-8";
const JSON_TYPE = "application/json; charset=utf-8";

/** Rendered bodies within a byte budget, least recently used out first (a Map keeps insertion order). */
class RenderCache {
  private readonly map = new Map<string, Prepared>();
  private bytes = 0;
  constructor(private readonly maxBytes: number) {}

  get(key: string): Prepared | undefined {
    const value = this.map.get(key);
    if (value) {
      this.map.delete(key);
      this.map.set(key, value);
    }
    return value;
  }

  set(key: string, value: Prepared): void {
    this.map.set(key, value);
    this.bytes += sizeOf(key, value);
    while (this.bytes > this.maxBytes && this.map.size > 0) {
      const [oldest, dropped] = this.map.entries().next().value!;
      this.map.delete(oldest);
      this.bytes -= sizeOf(oldest, dropped);
    }
  }
}

/** Roughly what an entry holds on to: the body, the key and ETag strings, the objects around them. */
function sizeOf(key: string, value: Prepared): number {
  return value.body.length + 2 * (key.length + value.etag.length) + 200;
}

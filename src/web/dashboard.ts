// The dashboard's HTTP handler: pages, their JSON twins under /api, sign-in and sign-out, the stylesheet.
// Each answer is built for one viewer (src/web/access.ts decides what they may see) and is never shared
// between viewers (`Cache-Control: private, no-store`).
import { randomBytes, timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Rules } from "../engine/rules.js";
import type { DashboardRecords } from "../store/dashboard.js";
import type { History } from "../store/store.js";
import { Access, type OrgAccess, type SignedIn, type Viewer } from "./access.js";
import { type GitHubHosts, GitHubUserApi, type OAuthApp, TokenRejected } from "./github-user.js";
import type { Chrome } from "./layout.js";
import { type InstallationAuth, OrgFacts } from "./org-facts.js";
import { buildOrgView } from "./org-view.js";
import { orgPage } from "./pages/org.js";
import { peoplePage, personPage } from "./pages/people.js";
import { repoPage } from "./pages/repo.js";
import { indexPage, messagePage, notFoundPage } from "./pages/simple.js";
import { buildPeopleView, buildPersonView, type CreditRowLike, type CreditSource } from "./people-view.js";
import { buildRepoView } from "./repo-view.js";
import { isDashboardUrl, parseDashboardRoute, type Route } from "./routes.js";
import { cookieName, readCookies, Sealer, setCookie } from "./session.js";
import { STYLESHEET, STYLESHEET_VERSION } from "./style.js";

export type HttpHandler = (req: IncomingMessage, res: ServerResponse) => boolean | Promise<boolean>;

export interface ScanHistory {
  history(repo: string, options: { limit?: number }): History | undefined | Promise<History | undefined>;
}

export interface DashboardOptions {
  store: DashboardRecords;
  scans: ScanHistory;
  /** people's credits (the store's credits part); without it the people pages list no one */
  credits?: CreditSource;
  rules: Rules;
  /** an installation's client (Probot's `app.auth(id)`) */
  auth: InstallationAuth;
  hosts: GitHubHosts;
  /** the app's OAuth client; sign-in is off without it */
  oauth?: OAuthApp;
  /** SESSION_SECRET; sign-in is off without it */
  sessionSecret?: string;
  /** the app's public address (https://… makes cookies Secure and `__Host-`) */
  publicUrl?: string;
  now?: () => number;
  fetch?: typeof fetch;
  onError?: (err: unknown, what: string) => void;
  /** how long a user's readable repositories are trusted; default 60 s */
  accessTtlMs?: number;
}

export interface Dashboard {
  handler: HttpHandler;
  facts: OrgFacts;
  access: Access;
}

const SESSION = "dl_session";
const STATE = "dl_oauth_state";
/** a session lasts at most a working day; an expiring user token ends it sooner */
const SESSION_MS = 8 * 3_600_000;
const STATE_MS = 10 * 60_000;
const HISTORY_LIMIT = 1000;

const PAGE_HEADERS = {
  "content-type": "text/html; charset=utf-8",
  "cache-control": "private, no-store",
  vary: "Cookie",
  "x-content-type-options": "nosniff",
  "x-frame-options": "DENY",
  "referrer-policy": "same-origin",
  "content-security-policy":
    "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
};
const JSON_HEADERS = {
  "content-type": "application/json; charset=utf-8",
  "cache-control": "private, no-store",
  vary: "Cookie",
  "x-content-type-options": "nosniff",
};

class Answer {
  cookies: string[] = [];
  constructor(
    readonly req: IncomingMessage,
    readonly res: ServerResponse,
  ) {}

  send(status: number, headers: Record<string, string>, body: string): void {
    const all: Record<string, string | string[] | number> = { ...headers, "content-length": Buffer.byteLength(body) };
    if (this.cookies.length > 0) all["set-cookie"] = this.cookies;
    this.res.writeHead(status, all);
    this.res.end(this.req.method === "HEAD" ? undefined : body);
  }

  redirect(status: 302 | 303, location: string): void {
    this.send(status, { location, "cache-control": "no-store", "content-type": "text/plain; charset=utf-8" }, "");
  }
}

export function createDashboard(options: DashboardOptions): Dashboard {
  const now = options.now ?? Date.now;
  const onError = options.onError ?? ((err: unknown, what: string) => console.error(what, err));
  const github = new GitHubUserApi(options.hosts, options.fetch);
  const facts = new OrgFacts({ store: options.store, auth: options.auth, now, onError });
  const access = new Access({ store: options.store, facts, github, now, ttlMs: options.accessTtlMs });
  const sealer = options.oauth && options.sessionSecret ? new Sealer(options.sessionSecret) : undefined;
  const secure = options.publicUrl?.startsWith("https://") ?? false;
  const sessionCookie = cookieName(SESSION, secure);
  const stateCookie = cookieName(STATE, secure);
  const signInEnabled = sealer !== undefined;

  function viewerOf(req: IncomingMessage): Viewer {
    if (!sealer) return undefined;
    const value = readCookies(req.headers.cookie).get(sessionCookie);
    return sealer.open<SignedIn>("session", value, now());
  }

  function chromeOf(viewer: Viewer, req: IncomingMessage): Chrome {
    return { login: viewer?.login, here: req.url ?? "/", signInEnabled };
  }

  function notFound(a: Answer, route: { api: boolean }, viewer: Viewer): void {
    if (route.api) a.send(404, JSON_HEADERS, JSON.stringify({ error: "not found" }));
    else a.send(404, PAGE_HEADERS, notFoundPage(chromeOf(viewer, a.req)));
  }

  function json(a: Answer, body: unknown): void {
    a.send(200, JSON_HEADERS, JSON.stringify(body));
  }

  async function org(a: Answer, route: Extract<Route, { kind: "org" }>, viewer: Viewer): Promise<void> {
    const seen = await access.org(viewer, route.org);
    if (!seen) return notFound(a, route, viewer);
    const repos = (await options.store.orgRepos(route.org)).filter((r) => seen.canSee(r.repo, r.private));
    if (repos.length === 0) return notFound(a, route, viewer);
    const view = buildOrgView({
      org: seen.record.org,
      repos,
      githubTeams: seen.collaborator ? facts.teams(seen.record) : [],
      tasks: options.rules.tasks,
      levels: options.rules.levels,
      filters: route.filters,
      now: now(),
    });
    if (route.api) return json(a, view);
    a.send(200, PAGE_HEADERS, orgPage(view, options.rules, chromeOf(viewer, a.req)));
  }

  async function repo(a: Answer, route: Extract<Route, { kind: "repo" }>, viewer: Viewer): Promise<void> {
    const seen = await access.org(viewer, route.org);
    if (!seen) return notFound(a, route, viewer);
    const name = `${route.org}/${route.repo}`;
    const [detail, history] = await Promise.all([
      options.store.repoReport(name),
      options.scans.history(name, { limit: HISTORY_LIMIT }),
    ]);
    const isPrivate = detail?.private ?? history?.private;
    // unknown and not allowed are one answer
    if (isPrivate === undefined || !seen.canSee(name, isPrivate)) return notFound(a, route, viewer);
    const view = buildRepoView({
      repo: detail?.repo ?? history?.repo ?? name,
      private: isPrivate,
      detail,
      history: history?.scans ?? [],
      webRoot: options.hosts.web,
    });
    if (route.api) return json(a, view);
    a.send(200, PAGE_HEADERS, repoPage(view, chromeOf(viewer, a.req)));
  }

  /** The credits of the org's repositories this viewer may see, by the visibility stored for each repository. */
  async function visibleCredits(seen: OrgAccess, org: string): Promise<CreditRowLike[]> {
    if (!options.credits) return [];
    const [rows, repos] = await Promise.all([options.credits.ofOwner(org), options.store.orgRepos(org)]);
    const isPrivate = new Map(repos.map((r) => [r.repo.toLowerCase(), r.private]));
    // private as the credit was recorded, or as the repository is now: either keeps it from strangers
    return rows.filter((row) => seen.canSee(row.repo, row.private || isPrivate.get(row.repo.toLowerCase()) === true));
  }

  async function people(a: Answer, route: Extract<Route, { kind: "people" }>, viewer: Viewer): Promise<void> {
    const seen = await access.org(viewer, route.org);
    if (!seen) return notFound(a, route, viewer);
    const view = buildPeopleView(seen.record.org, await visibleCredits(seen, route.org), options.rules.levels);
    if (route.api) return json(a, view);
    a.send(200, PAGE_HEADERS, peoplePage(view, chromeOf(viewer, a.req)));
  }

  async function person(a: Answer, route: Extract<Route, { kind: "person" }>, viewer: Viewer): Promise<void> {
    const seen = await access.org(viewer, route.org);
    if (!seen) return notFound(a, route, viewer);
    const rows = await visibleCredits(seen, route.org);
    // someone whose every credit is hidden from this viewer is as unknown as a login never seen
    const view = buildPersonView(seen.record.org, route.login, rows, options.rules, options.hosts.web);
    if (!view) return notFound(a, route, viewer);
    if (route.api) return json(a, view);
    a.send(200, PAGE_HEADERS, personPage(view, chromeOf(viewer, a.req)));
  }

  async function index(a: Answer, route: Extract<Route, { kind: "index" }>, viewer: Viewer): Promise<void> {
    const orgs = (await access.orgs(viewer)).map((o) => o.org);
    if (route.api) return json(a, { orgs: orgs.map((o) => ({ org: o, url: `/orgs/${o}` })) });
    a.send(200, PAGE_HEADERS, indexPage(orgs, chromeOf(viewer, a.req)));
  }

  function login(a: Answer, route: Extract<Route, { kind: "login" }>): void {
    if (!sealer || !options.oauth) return a.send(404, PAGE_HEADERS, notFoundPage(chromeOf(undefined, a.req)));
    const state = randomBytes(32).toString("base64url");
    a.cookies.push(
      setCookie(stateCookie, sealer.seal("oauth-state", { state, returnTo: route.returnTo }, now() + STATE_MS), {
        secure,
        maxAge: STATE_MS / 1000,
      }),
    );
    a.redirect(302, github.authorizeUrl(options.oauth, state));
  }

  async function callback(a: Answer, route: Extract<Route, { kind: "callback" }>): Promise<void> {
    if (!sealer || !options.oauth) return a.send(404, PAGE_HEADERS, notFoundPage(chromeOf(undefined, a.req)));
    const started = sealer.open<{ state: string; returnTo: string }>(
      "oauth-state",
      readCookies(a.req.headers.cookie).get(stateCookie),
      now(),
    );
    // the state is used once, whatever happens next
    a.cookies.push(setCookie(stateCookie, "", { secure, maxAge: 0 }));
    const chrome = chromeOf(undefined, a.req);
    if (!started || !route.state || !sameText(started.state, route.state)) {
      return a.send(
        400,
        PAGE_HEADERS,
        messagePage(
          "Sign-in failed",
          "This sign-in was not started here, or it took too long. Please sign in again.",
          chrome,
        ),
      );
    }
    if (route.error || !route.code) {
      return a.send(
        400,
        PAGE_HEADERS,
        messagePage("Sign-in cancelled", "GitHub did not authorise the sign-in.", chrome),
      );
    }
    let user: SignedIn;
    let expiresAt: number;
    try {
      const token = await github.exchangeCode(options.oauth, route.code, now());
      const me = await github.user(token.token);
      user = { login: me.login, id: me.id, token: token.token };
      expiresAt = Math.min(token.expiresAt ?? Number.POSITIVE_INFINITY, now() + SESSION_MS);
    } catch (err) {
      onError(err, "signing in");
      return a.send(
        502,
        PAGE_HEADERS,
        messagePage("Sign-in failed", "GitHub could not complete the sign-in. Please try again.", chrome),
      );
    }
    a.cookies.push(
      setCookie(sessionCookie, sealer.seal("session", user, expiresAt), {
        secure,
        maxAge: Math.max(1, Math.floor((expiresAt - now()) / 1000)),
      }),
    );
    a.redirect(303, started.returnTo);
  }

  function logout(a: Answer, viewer: Viewer): void {
    if (a.req.method !== "POST") {
      return a.send(
        405,
        { ...PAGE_HEADERS, allow: "POST" },
        messagePage("Sign out", "Use the Sign out button.", chromeOf(viewer, a.req)),
      );
    }
    // SameSite=Lax keeps the cookie off cross-site POSTs already; a foreign Origin is refused outright
    if (!sameOrigin(a.req)) {
      return a.send(
        403,
        PAGE_HEADERS,
        messagePage("Sign out", "Sign out from this site's own button.", chromeOf(viewer, a.req)),
      );
    }
    if (viewer) access.forget(viewer.id);
    a.cookies.push(setCookie(sessionCookie, "", { secure, maxAge: 0 }));
    a.redirect(303, "/");
  }

  async function page(a: Answer, route: Route, viewer: Viewer): Promise<void> {
    switch (route.kind) {
      case "index":
        return index(a, route, viewer);
      case "org":
        return org(a, route, viewer);
      case "repo":
        return repo(a, route, viewer);
      case "people":
        return people(a, route, viewer);
      case "person":
        return person(a, route, viewer);
      default:
        return;
    }
  }

  async function answer(a: Answer, route: Route): Promise<void> {
    if (route.kind === "logout") return logout(a, viewerOf(a.req));
    if (a.req.method !== "GET" && a.req.method !== "HEAD") {
      return a.send(405, { allow: "GET, HEAD", "content-type": "text/plain; charset=utf-8" }, "method not allowed\n");
    }
    switch (route.kind) {
      case "stylesheet":
        return a.send(
          200,
          {
            "content-type": "text/css; charset=utf-8",
            "cache-control": "public, max-age=31536000, immutable",
            etag: `"${STYLESHEET_VERSION}"`,
          },
          STYLESHEET,
        );
      case "login":
        return login(a, route);
      case "callback":
        return callback(a, route);
      case "bad":
        if (route.status === 404) return notFound(a, route, viewerOf(a.req));
        if (route.api) return a.send(400, JSON_HEADERS, JSON.stringify({ error: route.message }));
        return a.send(400, PAGE_HEADERS, messagePage("Bad request", route.message, chromeOf(viewerOf(a.req), a.req)));
    }
    const viewer = viewerOf(a.req);
    try {
      await page(a, route, viewer);
    } catch (err) {
      if (!(err instanceof TokenRejected) || !viewer) throw err;
      // GitHub revoked or expired the token: the visitor is signed out and sees what everyone sees
      access.forget(viewer.id);
      a.cookies.push(setCookie(sessionCookie, "", { secure, maxAge: 0 }));
      await page(a, route, undefined);
    }
  }

  const handler: HttpHandler = async (req, res) => {
    const url = req.url ?? "/";
    if (!isDashboardUrl(url)) return false;
    const a = new Answer(req, res);
    try {
      await answer(a, parseDashboardRoute(url));
    } catch (err) {
      onError(err, `answering ${url.split("?")[0]}`);
      if (res.headersSent) res.destroy();
      else {
        a.cookies = [];
        a.send(
          503,
          { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" },
          "service unavailable\n",
        );
      }
    }
    return true;
  };

  return { handler, facts, access };
}

/** No Origin header (an old browser, a plain form post) passes: SameSite=Lax is the guard there. */
function sameOrigin(req: IncomingMessage): boolean {
  const origin = req.headers.origin;
  if (!origin) return true;
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false;
  }
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

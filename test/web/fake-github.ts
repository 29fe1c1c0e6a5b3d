// A loopback fake of the GitHub the dashboard talks to, on a real port, laid out as GitHub Enterprise Server:
// the OAuth pages on the web root, the REST API under /api/v3. It knows a few users (their tokens, the
// installations and repositories they can read), the org configs in `.github` repositories, and teams.
// Every request is recorded, so tests can count what the dashboard asked.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface FakeUser {
  id: number;
  /** installation id → `owner/name` the user can read there */
  repos: Record<number, string[]>;
}

export interface FakeTeam {
  slug: string;
  name: string;
  privacy: "closed" | "secret";
  repos: string[];
}

export interface FakeGitHubOptions {
  clientId: string;
  clientSecret: string;
  users: Record<string, FakeUser>;
  /** installation id → account login */
  installations: Record<number, string>;
  /** org → the text of `.github/devops-ladder.yml` (or, with `yaml:`, `.yaml`) in its `.github` repository */
  orgConfigs: Record<string, string>;
  /** `owner/name` → what GraphQL answers about it */
  repositories?: Record<
    string,
    { isPrivate: boolean; isArchived: boolean; description: string | null; topics: string[] }
  >;
  /** org → its teams; an org without an entry answers 403, as without `members: read` */
  teams: Record<string, FakeTeam[]>;
}

export interface FakeGitHub {
  port: number;
  /** GHE_HOST for the app */
  host: string;
  web: string;
  api: string;
  /** who the next authorisation signs in */
  nextLogin: string;
  /** tokens GitHub no longer accepts */
  revoked: Set<string>;
  requests: { method: string; path: string }[];
  count(method: string, prefix: string): number;
  tokenOf(login: string): string;
  options: FakeGitHubOptions;
  close(): Promise<void>;
}

export async function startFakeGitHub(options: FakeGitHubOptions): Promise<FakeGitHub> {
  const codes = new Map<string, string>();
  let serial = 0;
  const tokenOf = (login: string) => `ghu_fake_${login}`;
  const loginOf = (req: IncomingMessage) => {
    const auth = req.headers.authorization ?? "";
    const token = auth.replace(/^(Bearer|token) /, "");
    if (fake.revoked.has(token)) return undefined;
    return Object.keys(options.users).find((login) => tokenOf(login) === token);
  };

  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://fake");
    fake.requests.push({ method: req.method ?? "GET", path: url.pathname + url.search });
    const body = await readBody(req);
    try {
      route(req, res, url, body);
    } catch (err) {
      send(res, 500, { message: String(err) });
    }
  });

  function route(req: IncomingMessage, res: ServerResponse, url: URL, body: string): void {
    const path = url.pathname;
    if (req.method === "GET" && path === "/login/oauth/authorize") {
      // a real GitHub shows an "Authorize" page first; an app already authorised goes straight back like this
      if (url.searchParams.get("client_id") !== options.clientId) return send(res, 404, { message: "unknown client" });
      const code = `code-${++serial}`;
      codes.set(code, fake.nextLogin);
      const back = new URL(url.searchParams.get("redirect_uri") ?? "");
      back.searchParams.set("code", code);
      back.searchParams.set("state", url.searchParams.get("state") ?? "");
      res.writeHead(302, { location: back.toString() }).end();
      return;
    }
    if (req.method === "POST" && path === "/login/oauth/access_token") {
      const p = JSON.parse(body || "{}") as Record<string, string>;
      const login = codes.get(p.code ?? "");
      if (p.client_id !== options.clientId || p.client_secret !== options.clientSecret || !login) {
        return send(res, 200, {
          error: "bad_verification_code",
          error_description: "The code passed is incorrect or expired.",
        });
      }
      codes.delete(p.code!);
      return send(res, 200, { access_token: tokenOf(login), token_type: "bearer", expires_in: 28800, scope: "" });
    }
    // GitHub Enterprise Server answers GraphQL at /api/graphql (beside /api/v3): repository(owner: $oN,
    // name: $nN) aliased rN, as the dashboard asks at installation
    if (req.method === "POST" && path === "/api/graphql") {
      const { variables } = JSON.parse(body) as { variables: Record<string, string> };
      const data: Record<string, unknown> = {};
      for (const key of Object.keys(variables).filter((k) => k.startsWith("o"))) {
        const i = key.slice(1);
        const repo = options.repositories?.[`${variables[key]}/${variables[`n${i}`]}`];
        data[`r${i}`] = repo
          ? { ...repo, repositoryTopics: { nodes: repo.topics.map((name) => ({ topic: { name } })) } }
          : null;
      }
      return send(res, 200, { data });
    }
    if (!path.startsWith("/api/v3/")) return send(res, 404, { message: "Not Found" });
    const api = path.slice("/api/v3".length);
    let m: RegExpMatchArray | null;

    // the app's own requests (installation tokens, contents, teams)
    if (req.method === "POST" && (m = api.match(/^\/app\/installations\/(\d+)\/access_tokens$/))) {
      return send(res, 201, {
        token: `ghs_installation_${m[1]}`,
        expires_at: new Date(Date.now() + 3_600_000).toISOString(),
      });
    }
    if (req.method === "GET" && (m = api.match(/^\/repos\/([^/]+)\/\.github\/contents\/(.+)$/))) {
      const config = options.orgConfigs[m[1]!];
      const wanted = config?.startsWith("yaml:") ? ".github/devops-ladder.yaml" : ".github/devops-ladder.yml";
      if (config === undefined || decodeURIComponent(m[2]!) !== wanted) return send(res, 404, { message: "Not Found" });
      const text = config.replace(/^yaml:/, "");
      return send(res, 200, { type: "file", encoding: "base64", content: Buffer.from(text).toString("base64") });
    }
    if (req.method === "GET" && (m = api.match(/^\/orgs\/([^/]+)\/teams$/))) {
      const teams = options.teams[m[1]!];
      if (!teams) return send(res, 403, { message: "Resource not accessible by integration" });
      return send(
        res,
        200,
        page(teams, url).map((t) => ({ slug: t.slug, name: t.name, privacy: t.privacy })),
      );
    }
    if (req.method === "GET" && (m = api.match(/^\/orgs\/([^/]+)\/teams\/([^/]+)\/repos$/))) {
      const team = options.teams[m[1]!]?.find((t) => t.slug === m![2]);
      if (!team) return send(res, 404, { message: "Not Found" });
      return send(
        res,
        200,
        page(team.repos, url).map((full_name) => ({ full_name })),
      );
    }

    // the signed-in user's requests
    const login = loginOf(req);
    if (!login) return send(res, 401, { message: "Bad credentials" });
    const user = options.users[login]!;
    if (req.method === "GET" && api === "/user") return send(res, 200, { login, id: user.id });
    if (req.method === "GET" && api === "/user/installations") {
      const installations = Object.keys(user.repos)
        .map(Number)
        .filter((id) => (user.repos[id] ?? []).length > 0)
        .map((id) => ({ id, account: { login: options.installations[id] } }));
      return send(res, 200, { total_count: installations.length, installations: page(installations, url) });
    }
    if (req.method === "GET" && (m = api.match(/^\/user\/installations\/(\d+)\/repositories$/))) {
      const repos = user.repos[Number(m[1])];
      if (!repos || repos.length === 0) return send(res, 404, { message: "Not Found" });
      return send(res, 200, {
        total_count: repos.length,
        repositories: page(repos, url).map((full_name) => ({ full_name })),
      });
    }
    send(res, 404, { message: "Not Found" });
  }

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  const fake: FakeGitHub = {
    port,
    host: `127.0.0.1:${port}`,
    web: `http://127.0.0.1:${port}`,
    api: `http://127.0.0.1:${port}/api/v3`,
    nextLogin: Object.keys(options.users)[0]!,
    revoked: new Set(),
    requests: [],
    count: (method, prefix) => fake.requests.filter((r) => r.method === method && r.path.startsWith(prefix)).length,
    tokenOf,
    options,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return fake;
}

function page<T>(items: readonly T[], url: URL): T[] {
  const perPage = Number(url.searchParams.get("per_page") ?? 30);
  const n = Number(url.searchParams.get("page") ?? 1);
  return items.slice((n - 1) * perPage, n * perPage);
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(text),
  });
  res.end(text);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let text = "";
    req.setEncoding("utf8");
    req.on("data", (chunk: string) => (text += chunk));
    req.on("end", () => resolve(text));
  });
}

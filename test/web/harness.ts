// The dashboard as the app serves it — the real service in Probot's real middleware, on a real port, over a
// real SQLite store — with GitHub played by the loopback fake (GHE layout: OAuth on the web root, API under
// /api/v3). Two orgs: `acme` (dashboard: public; GitHub teams readable) and `globex` (no org config, so
// private; teams refused). Users: alice reads every acme and globex repository, bob a few public acme ones,
// carol nothing.
import { generateKeyPairSync } from "node:crypto";
import { createServer, type IncomingMessage, request, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { createNodeMiddleware, Probot } from "probot";
import { defaultRules } from "../../src/engine/index.js";
import { SqliteStore } from "../../src/store/sqlite/index.js";
import { memoryCredits, seedDemo } from "../../src/web/demo.js";
import type { CreditRowLike } from "../../src/web/people-view.js";
import { createDashboardService, type DashboardService } from "../../src/web/service.js";
import { tempDir } from "../store/helpers.js";
import { type FakeGitHub, startFakeGitHub } from "./fake-github.js";

export const CLIENT_ID = "Iv1.fakeclient";
export const CLIENT_SECRET = "fake-client-secret";
export const SESSION_SECRET = "a-session-secret-of-at-least-32-characters";
export const NOW = Date.now();

export interface Harness {
  url: string;
  port: number;
  store: SqliteStore;
  fake: FakeGitHub;
  service: DashboardService;
  probot: Probot;
  acme: { all: string[]; public: string[]; private: string[] };
  globex: string[];
  credits: CreditRowLike[];
  close(): Promise<void>;
}

export async function startHarness(): Promise<Harness> {
  const temp = tempDir();
  const store = SqliteStore.open(join(temp.dir, "dashboard.db"));
  const rules = defaultRules();
  const acme = await seedDemo(store, rules, {
    org: "acme",
    repos: 12,
    weeks: 26,
    scansPerWeek: 2,
    privateEvery: 4,
    now: NOW,
    installationId: 1,
  });
  const globexOrg = await seedDemo(store, rules, {
    org: "globex",
    repos: 3,
    weeks: 4,
    scansPerWeek: 1,
    privateEvery: 0,
    now: NOW,
    installationId: 2,
    seed: 7,
  });
  const acmeAll = acme.repos;
  const globex = globexOrg.repos;
  const acmePrivateRepos = acme.repos.filter((_, i) => i % 4 === 0);
  const acmePublicRepos = acme.repos.filter((_, i) => i % 4 !== 0);
  const credits = [
    ...acme.credits,
    ...globexOrg.credits,
    // Sam earned only in a private repository; Hank earned Senior, its last milestone in a private one
    credit("secret-sam", "Secret Sam", acmePrivateRepos[0]!, true, "iac", "lead"),
    credit("hank", "Hank Half", acmePublicRepos[0]!, false, "deploy_script", "senior", 7),
    credit("hank", "Hank Half", acmePublicRepos[1]!, false, "deploy_docs", "senior", 8),
    credit("hank", "Hank Half", acmePrivateRepos[1]!, true, "alerts", "senior", 9),
  ];
  const acmePrivate = acmeAll.filter((_, i) => i % 4 === 0);
  const acmePublic = acmeAll.filter((_, i) => i % 4 !== 0);

  const fake = await startFakeGitHub({
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    users: {
      alice: { id: 1, repos: { 1: acmeAll, 2: globex } },
      bob: { id: 2, repos: { 1: acmePublic.slice(0, 3) } },
      carol: { id: 3, repos: {} },
    },
    installations: { 1: "acme", 2: "globex", 3: "initrode" },
    // initrode keeps its config in the .yaml spelling
    orgConfigs: { acme: "signals: {}\ndashboard: public\n", initrode: "yaml:dashboard: public\n" },
    repositories: {
      "initrode/api": { isPrivate: false, isArchived: false, description: "Billing API", topics: ["billing", "go"] },
      "initrode/vault": { isPrivate: true, isArchived: false, description: null, topics: ["secrets"] },
    },
    teams: {
      acme: [
        { slug: "platform", name: "Platform", privacy: "closed", repos: [acmeAll[1]!, acmeAll[2]!, acmePrivate[0]!] },
        { slug: "red-team", name: "Red team", privacy: "secret", repos: [acmeAll[3]!] },
      ],
    },
  });

  const { privateKey } = generateKeyPairSync("rsa", {
    modulusLength: 2048,
    privateKeyEncoding: { type: "pkcs1", format: "pem" },
    publicKeyEncoding: { type: "spki", format: "pem" },
  });
  const probot = new Probot({ appId: 1, privateKey, secret: "webhook-secret", logLevel: "fatal", baseUrl: fake.api });

  // the port first: the service's PUBLIC_URL (the OAuth callback) names it
  let handle: (req: IncomingMessage, res: ServerResponse) => Promise<void> = async (_req, res) => {
    res.writeHead(503).end();
  };
  const server = createServer((req, res) => void handle(req, res));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;

  const service = createDashboardService(
    { dashboard: store.dashboard, scans: store.scans, credits: memoryCredits(credits) },
    {
      GITHUB_CLIENT_ID: CLIENT_ID,
      GITHUB_CLIENT_SECRET: CLIENT_SECRET,
      SESSION_SECRET,
      GHE_HOST: fake.host,
      GHE_PROTOCOL: "http",
      PUBLIC_URL: url,
    },
  );
  const middleware = await createNodeMiddleware((app, options) => service.app(app, options), { probot });
  handle = async (req, res) => {
    if (!(await middleware(req, res))) res.writeHead(404, { "content-type": "text/plain" }).end("Probot's 404\n");
  };

  return {
    url,
    port,
    store,
    fake,
    service,
    probot,
    acme: { all: acmeAll, public: acmePublic, private: acmePrivate },
    globex,
    credits,
    async close() {
      await service.dashboard?.facts.idle();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await fake.close();
      await store.close();
      temp.cleanup();
    },
  };
}

function credit(
  login: string,
  name: string,
  repo: string,
  isPrivate: boolean,
  item: string,
  level: "senior" | "lead",
  pr = 1,
): CreditRowLike {
  return {
    repo,
    private: isPrivate,
    personKey: `login:${login}`,
    name,
    login,
    email: `${login}@people.example`,
    kind: "milestone",
    item,
    level,
    commit: "c".repeat(40),
    at: new Date(NOW - 86_400_000).toISOString(),
    pr,
    evidence: [{ path: "scripts/deploy.sh", line: 3 }],
    backfilled: false,
  };
}

export interface Response {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One request, cookies given as a header; redirects are not followed (the tests look at each hop). */
export function fetchRaw(
  url: string,
  options: { method?: string; cookie?: string; headers?: Record<string, string> } = {},
): Promise<Response> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: options.method ?? "GET",
        headers: { ...(options.cookie ? { cookie: options.cookie } : {}), ...options.headers },
      },
      (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => (body += chunk));
        res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, body }));
      },
    );
    req.on("error", reject);
    req.end();
  });
}

/** `name=value` of each Set-Cookie, for the next request's Cookie header. */
export function cookiesOf(response: Response): string {
  const set = response.headers["set-cookie"];
  return (Array.isArray(set) ? set : set ? [set] : [])
    .map((c) => c.split(";")[0]!)
    .filter((c) => !c.endsWith("="))
    .join("; ");
}

/** Signs `login` in through the whole OAuth dance; returns the session cookie. */
export async function signIn(h: Harness, login: string, returnTo = "/"): Promise<string> {
  h.fake.nextLogin = login;
  const start = await fetchRaw(`${h.url}/login?return_to=${encodeURIComponent(returnTo)}`);
  const authorize = await fetchRaw(start.headers.location as string);
  const callback = await fetchRaw(authorize.headers.location as string, { cookie: cookiesOf(start) });
  if (callback.status !== 303) throw new Error(`sign-in failed: ${callback.status} ${callback.body}`);
  return cookiesOf(callback);
}

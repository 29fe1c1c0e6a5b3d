// The dashboard over HTTP, served by the app's own service inside Probot, with GitHub faked on loopback:
// who sees what (signed out, signed in with and without access), the one 404, the sign-in flow and its CSRF
// guard, sessions, the JSON API, and the requests made to GitHub (few, cached).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { cookiesOf, fetchRaw, type Harness, signIn, startHarness } from "./harness.js";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});
beforeEach(() => {
  h.fake.revoked.clear();
});

const nameOf = (repo: string) => repo.split("/")[1]!;

describe("a signed-out visitor", () => {
  it("sees a public org's public repositories, never its private ones, and a Sign in link", async () => {
    const page = await fetchRaw(`${h.url}/orgs/acme`);
    expect(page.status).toBe(200);
    expect(page.headers["content-type"]).toBe("text/html; charset=utf-8");
    expect(page.headers["cache-control"]).toBe("private, no-store");
    expect(page.headers["content-security-policy"]).toContain("default-src 'none'");
    for (const repo of h.acme.public) expect(page.body).toContain(`/orgs/acme/repos/${nameOf(repo)}"`);
    for (const repo of h.acme.private) expect(page.body).not.toContain(nameOf(repo));
    expect(page.body).toContain('href="/login?return_to=%2Forgs%2Facme">Sign in with GitHub</a>');
    // GitHub teams are for people who can read the org's code; CODEOWNERS teams are in the public files
    expect(page.body).not.toContain("Platform");
  });

  it("gets the same 404 for a private repository as for one that does not exist, on the page and in the API", async () => {
    const hidden = nameOf(h.acme.private[0]!);
    const secret = await fetchRaw(`${h.url}/orgs/acme/repos/${hidden}`);
    const missing = await fetchRaw(`${h.url}/orgs/acme/repos/no-such-repo`);
    expect(secret.status).toBe(404);
    expect(missing.status).toBe(404);
    // the pages differ only by the URL that sign-in returns to
    expect(secret.body.replaceAll(hidden, "X")).toBe(missing.body.replaceAll("no-such-repo", "X"));
    expect(secret.headers["content-length"]).toBeDefined();
    const apiSecret = await fetchRaw(`${h.url}/api/orgs/acme/repos/${hidden}`);
    const apiMissing = await fetchRaw(`${h.url}/api/orgs/acme/repos/no-such-repo`);
    expect([apiSecret.status, apiSecret.body]).toEqual([404, '{"error":"not found"}']);
    expect([apiMissing.status, apiMissing.body]).toEqual([404, '{"error":"not found"}']);
  });

  it("does not see an org whose dashboard is not public: the same 404 as an unknown org", async () => {
    const globex = await fetchRaw(`${h.url}/orgs/globex`);
    const unknown = await fetchRaw(`${h.url}/orgs/initech`);
    expect(globex.status).toBe(404);
    expect(globex.body.replaceAll("globex", "X")).toBe(unknown.body.replaceAll("initech", "X"));
    expect((await fetchRaw(`${h.url}/orgs/globex/repos/${nameOf(h.globex[0]!)}`)).status).toBe(404);
  });

  it("gets the org page as JSON, filtered the same way", async () => {
    const api = await fetchRaw(`${h.url}/api/orgs/acme?level=junior&sort=score`);
    expect(api.status).toBe(200);
    const body = JSON.parse(api.body);
    expect(body.org).toBe("acme");
    expect(body.filters).toEqual({ page: 1, level: "junior", sort: "score" });
    expect(body.rows.every((r: { level: string; private: boolean }) => r.level === "junior" && !r.private)).toBe(true);
    const all = JSON.parse((await fetchRaw(`${h.url}/api/orgs/acme`)).body);
    expect(all.rows.map((r: { repo: string }) => r.repo).sort()).toEqual([...h.acme.public].sort());
    expect(all.totals.repos).toBe(h.acme.public.length);
  });

  it("lists the public orgs on the index", async () => {
    const index = JSON.parse((await fetchRaw(`${h.url}/api/orgs`)).body);
    expect(index).toEqual({ orgs: [{ org: "acme", url: "/orgs/acme" }] });
  });

  it("is told what is wrong with a filter", async () => {
    const bad = await fetchRaw(`${h.url}/api/orgs/acme?level=principal`);
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.body).error).toMatch(/level must be one of junior, senior, lead/);
    expect((await fetchRaw(`${h.url}/orgs/acme?sort=stars`)).status).toBe(400);
  });

  it("leaves other paths to the badge routes and Probot", async () => {
    expect((await fetchRaw(`${h.url}/orgsx`)).body).toBe("Probot's 404\n");
    expect((await fetchRaw(`${h.url}/orgs/acme%2Frepos%2Fx`)).status).toBe(400);
  });
});

describe("signing in", () => {
  it("goes through GitHub's OAuth web flow with a state, and sets a sealed HttpOnly SameSite session cookie", async () => {
    h.fake.nextLogin = "alice";
    const start = await fetchRaw(`${h.url}/login?return_to=${encodeURIComponent("/orgs/acme?level=lead")}`);
    expect(start.status).toBe(302);
    const authorize = new URL(start.headers.location as string);
    expect(`${authorize.origin}${authorize.pathname}`).toBe(`${h.fake.web}/login/oauth/authorize`);
    expect(authorize.searchParams.get("client_id")).toBe("Iv1.fakeclient");
    expect(authorize.searchParams.get("redirect_uri")).toBe(`${h.url}/login/callback`);
    const state = authorize.searchParams.get("state")!;
    expect(state).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const stateCookie = (start.headers["set-cookie"] as string[])[0]!;
    expect(stateCookie).toMatch(/^dl_oauth_state=[^;]+; Path=\/; HttpOnly; SameSite=Lax; Max-Age=600$/);
    // the state is sealed in the cookie, not readable from it
    expect(stateCookie).not.toContain(state);

    const back = await fetchRaw(authorize.toString());
    const callback = await fetchRaw(back.headers.location as string, { cookie: cookiesOf(start) });
    expect(callback.status).toBe(303);
    expect(callback.headers.location).toBe("/orgs/acme?level=lead");
    const cookies = callback.headers["set-cookie"] as string[];
    expect(cookies).toContainEqual("dl_oauth_state=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0");
    const session = cookies.find((c) => c.startsWith("dl_session="))!;
    expect(session).toMatch(/; Path=\/; HttpOnly; SameSite=Lax; Max-Age=(28[0-7]\d\d|28800)$/);
    expect(session).not.toContain("ghu_fake_alice");

    const page = await fetchRaw(`${h.url}/orgs/acme`, { cookie: cookiesOf(callback) });
    expect(page.body).toContain("Signed in as <strong>alice</strong>");
    expect(page.body).toContain('<form method="post" action="/logout">');
  });

  it("refuses a callback whose state does not match the cookie's, or comes without the cookie, or twice", async () => {
    h.fake.nextLogin = "alice";
    const start = await fetchRaw(`${h.url}/login`);
    const back = new URL((await fetchRaw(start.headers.location as string)).headers.location as string);
    const forged = new URL(back);
    forged.searchParams.set("state", "x".repeat(43));
    const wrong = await fetchRaw(forged.toString(), { cookie: cookiesOf(start) });
    expect(wrong.status).toBe(400);
    expect(wrong.body).toContain("This sign-in was not started here");
    expect(cookiesOf(wrong)).toBe("");
    // an attacker's code in the victim's browser: no state cookie there
    expect((await fetchRaw(back.toString())).status).toBe(400);
    // a state is used once: the first callback cleared it
    const ok = await signIn(h, "alice");
    expect(ok).toMatch(/^dl_session=/);
  });

  it("refuses a code GitHub does not accept", async () => {
    const start = await fetchRaw(`${h.url}/login`);
    const state = new URL(start.headers.location as string).searchParams.get("state")!;
    const answer = await fetchRaw(`${h.url}/login/callback?code=made-up&state=${state}`, { cookie: cookiesOf(start) });
    expect(answer.status).toBe(502);
    expect(cookiesOf(answer)).toBe("");
  });

  it("only ever returns to a path of its own", async () => {
    for (const target of [
      "https://evil.example/",
      "//evil.example/x",
      "/\\evil.example",
      "/login",
      "/orgs/acme\r\nx: y",
    ]) {
      const cookie = await signIn(h, "bob", target);
      expect(cookie).toMatch(/^dl_session=/);
    }
    const start = await fetchRaw(`${h.url}/login?return_to=${encodeURIComponent("//evil.example")}`);
    const back = await fetchRaw(start.headers.location as string);
    const callback = await fetchRaw(back.headers.location as string, { cookie: cookiesOf(start) });
    expect(callback.headers.location).toBe("/");
  });
});

describe("a signed-in user", () => {
  it("with access sees the private repositories, their pages and the org's GitHub teams", async () => {
    const cookie = await signIn(h, "alice");
    const page = await fetchRaw(`${h.url}/orgs/acme`, { cookie });
    for (const repo of h.acme.all) expect(page.body).toContain(`/orgs/acme/repos/${nameOf(repo)}"`);
    const hidden = nameOf(h.acme.private[0]!);
    const repoPage = await fetchRaw(`${h.url}/orgs/acme/repos/${hidden}`, { cookie });
    expect(repoPage.status).toBe(200);
    expect(repoPage.body).toContain('<span class="tag private">private</span>');
    // teams are read in the background the first time; the next page has them, secret ones never
    await h.service.dashboard!.facts.idle();
    const again = await fetchRaw(`${h.url}/api/orgs/acme`, { cookie });
    const teams = JSON.parse(again.body).teams.map((t: { slug: string }) => t.slug);
    expect(teams).toContain("platform");
    expect(teams).not.toContain("red-team");
    expect((await fetchRaw(`${h.url}/orgs/globex`, { cookie })).status).toBe(200);
  });

  it("without access gets the same 404 for a private repository, and the public ones of a public org", async () => {
    const cookie = await signIn(h, "bob");
    const hidden = nameOf(h.acme.private[0]!);
    const secret = await fetchRaw(`${h.url}/orgs/acme/repos/${hidden}`, { cookie });
    const missing = await fetchRaw(`${h.url}/orgs/acme/repos/no-such-repo`, { cookie });
    expect(secret.status).toBe(404);
    expect(secret.body.replaceAll(hidden, "X")).toBe(missing.body.replaceAll("no-such-repo", "X"));
    const org = JSON.parse((await fetchRaw(`${h.url}/api/orgs/acme`, { cookie })).body);
    expect(org.rows.some((r: { private: boolean }) => r.private)).toBe(false);
    expect((await fetchRaw(`${h.url}/orgs/globex`, { cookie })).status).toBe(404);
    const carol = await signIn(h, "carol");
    expect((await fetchRaw(`${h.url}/orgs/globex`, { cookie: carol })).status).toBe(404);
    expect(JSON.parse((await fetchRaw(`${h.url}/api/orgs`, { cookie: carol })).body).orgs).toEqual([
      { org: "acme", url: "/orgs/acme" },
    ]);
  });

  it("finds on the index the orgs of their installations, private ones too, beside the public ones", async () => {
    const orgsOf = async (cookie?: string) =>
      JSON.parse((await fetchRaw(`${h.url}/api/orgs`, cookie ? { cookie } : {})).body).orgs.map(
        (o: { org: string }) => o.org,
      );
    const alice = await signIn(h, "alice");
    expect(await orgsOf(alice)).toEqual(expect.arrayContaining(["acme", "globex"]));
    const page = await fetchRaw(`${h.url}/`, { cookie: alice });
    expect(page.body).toContain('href="/orgs/globex"');
    // bob reads a few public acme repositories only; globex is not public: neither he nor a visitor sees it
    const bob = await signIn(h, "bob");
    expect(await orgsOf(bob)).toContain("acme");
    expect(await orgsOf(bob)).not.toContain("globex");
    expect(await orgsOf()).not.toContain("globex");
    expect((await fetchRaw(`${h.url}/`)).body).not.toContain("globex");
  });

  it("is asked about once per minute: what they can read is cached briefly", async () => {
    const cookie = await signIn(h, "alice");
    const before = h.fake.count("GET", "/api/v3/user/installations/1/repositories");
    for (let i = 0; i < 5; i++) await fetchRaw(`${h.url}/orgs/acme`, { cookie });
    expect(h.fake.count("GET", "/api/v3/user/installations/1/repositories") - before).toBeLessThanOrEqual(1);
  });

  it("is signed out when GitHub revokes the token, and sees what everyone sees", async () => {
    const cookie = await signIn(h, "carol");
    h.fake.revoked.add(h.fake.tokenOf("carol"));
    h.service.dashboard!.access.forget(3);
    const page = await fetchRaw(`${h.url}/orgs/acme`, { cookie });
    expect(page.status).toBe(200);
    expect(page.body).toContain("Sign in with GitHub");
    expect(page.headers["set-cookie"]).toContainEqual("dl_session=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0");
  });

  it("with an altered or foreign cookie is a signed-out visitor", async () => {
    const cookie = await signIn(h, "alice");
    const value = cookie.split("=")[1]!;
    const flipped = `dl_session=${value.slice(0, 20)}${value[20] === "A" ? "B" : "A"}${value.slice(21)}`;
    const page = await fetchRaw(`${h.url}/orgs/acme/repos/${nameOf(h.acme.private[0]!)}`, { cookie: flipped });
    expect(page.status).toBe(404);
    expect(page.body).toContain("Sign in with GitHub");
  });

  it("signs out with a POST from the site itself", async () => {
    const cookie = await signIn(h, "alice");
    expect((await fetchRaw(`${h.url}/logout`, { cookie })).status).toBe(405);
    const foreign = await fetchRaw(`${h.url}/logout`, {
      method: "POST",
      cookie,
      headers: { origin: "https://evil.example" },
    });
    expect(foreign.status).toBe(403);
    const out = await fetchRaw(`${h.url}/logout`, { method: "POST", cookie, headers: { origin: h.url } });
    expect(out.status).toBe(303);
    expect(out.headers.location).toBe("/");
    expect(out.headers["set-cookie"]).toContainEqual("dl_session=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0");
  });
});

describe("people", () => {
  it("ranks people by level and milestones, counting only the credits the viewer may see", async () => {
    const visitor = JSON.parse((await fetchRaw(`${h.url}/api/orgs/acme/people`)).body);
    const hank = visitor.people.find((p: { login?: string }) => p.login === "hank");
    expect(hank).toMatchObject({ level: "junior", next: { level: "senior", earned: 2, missing: ["alerts"] } });
    expect(visitor.people.some((p: { login?: string }) => p.login === "secret-sam")).toBe(false);
    const levels = visitor.people.map((p: { level: string }) => ({ junior: 0, senior: 1, lead: 2 })[p.level]);
    expect(levels).toEqual([...levels].sort((a: number, b: number) => b - a));

    const cookie = await signIn(h, "alice");
    const reader = JSON.parse((await fetchRaw(`${h.url}/api/orgs/acme/people`, { cookie })).body);
    expect(reader.people.find((p: { login?: string }) => p.login === "hank")).toMatchObject({ level: "senior" });
    expect(reader.people.some((p: { login?: string }) => p.login === "secret-sam")).toBe(true);
  });

  it("never shows a person's e-mail address", async () => {
    const cookie = await signIn(h, "alice");
    for (const path of [
      "/orgs/acme/people",
      "/api/orgs/acme/people",
      "/orgs/acme/people/hank",
      "/api/orgs/acme/people/hank",
    ]) {
      const body = (await fetchRaw(`${h.url}${path}`, { cookie })).body;
      expect(body).not.toMatch(/@people\.example|@contractor\.example/);
    }
  });

  it("answers a person with only hidden credits exactly as an unknown login", async () => {
    const sam = await fetchRaw(`${h.url}/orgs/acme/people/secret-sam`);
    const nobody = await fetchRaw(`${h.url}/orgs/acme/people/no-one-here`);
    expect(sam.status).toBe(404);
    expect(sam.body.replaceAll("secret-sam", "X")).toBe(nobody.body.replaceAll("no-one-here", "X"));
    const bob = await signIn(h, "bob");
    expect((await fetchRaw(`${h.url}/api/orgs/acme/people/secret-sam`, { cookie: bob })).status).toBe(404);
    const alice = await signIn(h, "alice");
    const seen = JSON.parse((await fetchRaw(`${h.url}/api/orgs/acme/people/secret-sam`, { cookie: alice })).body);
    expect(seen.milestones.find((m: { id: string }) => m.id === "iac").earned).toHaveLength(1);
  });

  it("gives each earned milestone its repository, time and pull request", async () => {
    const view = JSON.parse((await fetchRaw(`${h.url}/api/orgs/acme/people/hank`)).body);
    expect(view).toMatchObject({ login: "hank", name: "Hank Half", level: "junior" });
    const script = view.milestones.find((m: { id: string }) => m.id === "deploy_script");
    expect(script.earned).toEqual([
      expect.objectContaining({
        repo: h.acme.public[0],
        pr: 7,
        prUrl: `${h.fake.web}/${h.acme.public[0]}/pull/7`,
        commitUrl: `${h.fake.web}/${h.acme.public[0]}/commit/${"c".repeat(40)}`,
      }),
    ]);
    // the private repository's milestone is not there for a visitor
    expect(view.milestones.find((m: { id: string }) => m.id === "alerts").earned).toEqual([]);
  });
});

describe("what the app keeps from webhooks", () => {
  it("at installation, stores the org and its repositories with their topics (one GraphQL request), reads teams", async () => {
    const graphql = h.fake.count("POST", "/api/graphql");
    await h.probot.receive({
      id: "install-3",
      name: "installation",
      payload: {
        action: "created",
        installation: { id: 3, account: { login: "initrode" } },
        repositories: [
          { full_name: "initrode/api", name: "api", private: false },
          { full_name: "initrode/vault", name: "vault", private: true },
        ],
      },
    } as never);
    expect(h.fake.count("POST", "/api/graphql") - graphql).toBe(1);
    expect(await h.store.dashboard.org("initrode")).toMatchObject({ installationId: 3 });
    const repos = await h.store.dashboard.orgRepos("initrode");
    expect(repos.map((r) => [r.repo, r.private, r.topics, r.description])).toEqual([
      ["initrode/api", false, ["billing", "go"], "Billing API"],
      ["initrode/vault", true, ["secrets"], null],
    ]);
    // its .github config says `dashboard: public` in the .yaml spelling: a visitor sees the public repository
    const page = JSON.parse((await fetchRaw(`${h.url}/api/orgs/initrode`)).body);
    expect(page.rows.map((r: { repo: string }) => r.repo)).toEqual(["initrode/api"]);
    expect(page.options.topics).toEqual(["billing", "go"]);
    await h.service.dashboard!.facts.idle();
    // no teams for initrode in the fake: GitHub refused, which is remembered as "none"
    expect((await h.store.dashboard.org("initrode"))!.teamsFetchedAt).toBeGreaterThan(0);
  });

  it("stores a repository's topics, description and archive state from a push", async () => {
    const repo = h.acme.public[0]!;
    await h.probot.receive({
      id: "push-1",
      name: "push",
      payload: {
        ref: "refs/heads/feature",
        repository: {
          full_name: repo,
          name: nameOf(repo),
          owner: { login: "acme" },
          private: false,
          topics: ["kafka", "payments"],
          archived: false,
          description: "Takes the money",
          default_branch: "main",
        },
        installation: { id: 1 },
      },
    } as never);
    const row = (await h.store.dashboard.orgRepos("acme")).find((r) => r.repo === repo)!;
    expect(row).toMatchObject({ topics: ["kafka", "payments"], description: "Takes the money", archived: false });
  });

  it("reads the org's dashboard setting again after a push to its .github repository", async () => {
    await fetchRaw(`${h.url}/orgs/acme`);
    const before = h.fake.count("GET", "/api/v3/repos/acme/.github/contents/");
    await fetchRaw(`${h.url}/orgs/acme`);
    expect(h.fake.count("GET", "/api/v3/repos/acme/.github/contents/")).toBe(before);
    await h.probot.receive({
      id: "push-2",
      name: "push",
      payload: {
        ref: "refs/heads/main",
        repository: {
          full_name: "acme/.github",
          name: ".github",
          owner: { login: "acme" },
          private: false,
          default_branch: "main",
        },
        installation: { id: 1 },
      },
    } as never);
    await fetchRaw(`${h.url}/orgs/acme`);
    expect(h.fake.count("GET", "/api/v3/repos/acme/.github/contents/")).toBe(before + 1);
  });
});

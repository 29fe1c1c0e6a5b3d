// The dashboard in a real browser: Debian's Chromium driven by playwright-core (.ci/run installs it; a test
// tool's own browser download does not work on our machines). Pages are rendered and checked, axe-core finds
// no serious accessibility problem, sign-in goes through the loopback fake of GitHub's OAuth pages, private
// repositories stay hidden. Screenshots land in test-artifacts/dashboard/ (not committed).
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import axe from "axe-core";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defaultRules } from "../../src/engine/index.js";
import { type Harness, startHarness } from "./harness.js";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];
const ARTIFACTS = join("test-artifacts", "dashboard");
// a real browser on a shared 2-core machine: a test of several pages, each with an axe run, took 20–30 s at a
// load of 22 (vitest's default of 30 s failed one); these tests wait for pages, not for the code under test
const BROWSER_TIMEOUT = 120_000;

let h: Harness;
let browser: Browser;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: apt-get install chromium (or set CHROMIUM_PATH)`);
  }
  mkdirSync(ARTIFACTS, { recursive: true });
  h = await startHarness();
  // Playwright gives each launch a fresh --user-data-dir of its own
  browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
}, BROWSER_TIMEOUT);

afterAll(async () => {
  for (const context of contexts) await context.close();
  await browser?.close();
  await h?.close();
}, BROWSER_TIMEOUT);

/** A fresh browser profile's worth of state: its own cookies. axe needs its script in despite the pages' CSP. */
async function newPage(options: { javaScriptEnabled?: boolean } = {}): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1360, height: 900 }, bypassCSP: true, ...options });
  contexts.push(context);
  return context.newPage();
}

async function seriousViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ content: axe.source });
  const result = await page.evaluate(() =>
    (window as unknown as { axe: typeof axe }).axe.run(document, { resultTypes: ["violations"] }),
  );
  return result.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map(
      (v) =>
        `${v.id} (${v.impact}): ${v.help} — ${v.nodes
          .map((n) => n.target.join(" "))
          .slice(0, 3)
          .join(", ")}`,
    );
}

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}

async function signInThroughGitHub(page: Page, login: string, from: string): Promise<void> {
  h.fake.nextLogin = login;
  await page.goto(`${h.url}${from}`);
  await page.getByRole("link", { name: "Sign in with GitHub" }).click();
  await page.waitForURL(`${h.url}${from}`);
}

const nameOf = (repo: string) => repo.split("/")[1]!;

describe("in Chromium", { timeout: BROWSER_TIMEOUT }, () => {
  it("renders the org page: every visible repository with its level, score, heat map and trend", async () => {
    const page = await newPage();
    const response = await page.goto(`${h.url}/orgs/acme`);
    expect(response!.status()).toBe(200);
    await expect(page.getByRole("heading", { level: 1 })).toBeDefined();
    expect(await page.locator("h1").textContent()).toBe("acme");
    const rows = page.locator("table.repos tbody tr");
    expect(await rows.count()).toBe(h.acme.public.length);
    const names = await rows.locator("th[scope=row] a").allTextContents();
    expect(names.sort()).toEqual(h.acme.public.map(nameOf).sort());
    for (const row of await rows.all()) {
      const cells = await row.locator("td.heat").allTextContents();
      expect(cells).toHaveLength(7);
      for (const cell of cells) expect(cell).toMatch(/^(\d{1,3}|n\/a)$/);
      expect(await row.locator("svg.spark").count()).toBe(1);
      expect(await row.locator(".pill").first().textContent()).toMatch(/^(Junior|Senior|Lead)$/);
    }
    const text = await page.locator("body").textContent();
    for (const repo of h.acme.private) expect(text).not.toContain(nameOf(repo));
    expect(await page.locator("svg.chart path.chart-line").count()).toBe(1);
    expect(await page.locator("#next ~ ol li").count()).toBeGreaterThan(0);
    expect(await seriousViolations(page)).toEqual([]);
    await shot(page, "org-signed-out");
  });

  it("renders a repo page: every signal as pass, fail or n/a, evidence linked to its line on GitHub, the history", async () => {
    const repo = h.acme.public[0]!;
    const page = await newPage();
    expect((await page.goto(`${h.url}/orgs/acme/repos/${nameOf(repo)}`))!.status()).toBe(200);
    const signals = page.locator("ul.signals > li");
    const total = defaultRules().tasks.reduce((n, t) => n + t.signals.length, 0);
    expect(await signals.count()).toBe(total);
    for (const status of await signals.locator("> .pill").allTextContents())
      expect(["pass", "fail", "n/a"]).toContain(status);
    const sha = (await page.locator(".card code").textContent())!;
    const links = await page
      .locator("ul.signals .evidence a")
      .evaluateAll((as) => as.map((a) => a.getAttribute("href")!));
    expect(links.length).toBeGreaterThan(0);
    for (const href of links) {
      expect(href).toMatch(new RegExp(`^${h.fake.web}/${repo}/blob/${sha}[0-9a-f]{33}/[^#]+#L\\d+$`));
    }
    expect(await page.locator("#milestones ~ table tbody tr").count()).toBe(8);
    expect(await page.locator("svg.chart path.chart-line").getAttribute("d")).toMatch(
      /^M[\d.]+ [\d.]+(H[\d.]+V[\d.]+)+/,
    );
    expect(await seriousViolations(page)).toEqual([]);
    await shot(page, "repo");
  });

  it("renders the people page and a person's ladder, each milestone with its pull request", async () => {
    const page = await newPage();
    expect((await page.goto(`${h.url}/orgs/acme/people`))!.status()).toBe(200);
    const rows = page.locator("main table tbody tr");
    expect(await rows.count()).toBeGreaterThan(1);
    expect(await page.locator("body").textContent()).not.toContain("secret-sam");
    expect(await seriousViolations(page)).toEqual([]);
    await shot(page, "people");

    await page.getByRole("link", { name: "hank", exact: true }).click();
    expect(await page.locator("h1").textContent()).toBe("hank Hank Half");
    const ladder = page.locator("#ladder + table tbody tr");
    expect(await ladder.count()).toBe(8);
    const script = ladder.filter({ hasText: "Automated deployment" });
    expect(await script.locator("a", { hasText: "pull request #7" }).getAttribute("href")).toBe(
      `${h.fake.web}/${h.acme.public[0]}/pull/7`,
    );
    expect(await ladder.filter({ hasText: "Alerting" }).textContent()).toContain("not yet");
    expect(await page.locator(".card").first().textContent()).toContain("Junior");
    expect(await seriousViolations(page)).toEqual([]);
    await shot(page, "person");
  });

  it("filters and sorts with JavaScript off: a GET form and plain links", async () => {
    const page = await newPage({ javaScriptEnabled: false });
    await page.goto(`${h.url}/orgs/acme`);
    await page.locator('select[name="level"]').selectOption("junior");
    await page.getByRole("button", { name: "Apply" }).click();
    await page.waitForURL(/level=junior/);
    const pills = await page.locator("table.repos tbody tr td:nth-of-type(1) .pill").allTextContents();
    expect(pills.length).toBeGreaterThan(0);
    expect(new Set(pills)).toEqual(new Set(["Junior"]));
    await page.getByRole("link", { name: "Score", exact: true }).click();
    await page.waitForURL(/sort=score/);
    const scores = (await page.locator("table.repos tbody td.num").allTextContents()).map(Number);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    await shot(page, "org-filtered-no-js");
  });

  it("signs in through GitHub's OAuth pages (the loopback fake) and then shows the private repositories", async () => {
    const page = await newPage();
    await signInThroughGitHub(page, "alice", "/orgs/acme");
    expect(await page.locator(".account").textContent()).toContain("Signed in as alice");
    const names = await page.locator("table.repos tbody th[scope=row] a").allTextContents();
    expect(names.sort()).toEqual(h.acme.all.map(nameOf).sort());
    expect(await page.locator(".tag.private").count()).toBe(h.acme.private.length);
    const cookies = await page.context().cookies();
    const session = cookies.find((c) => c.name === "dl_session")!;
    expect(session).toMatchObject({ httpOnly: true, sameSite: "Lax", path: "/" });
    await shot(page, "org-signed-in");
    const hidden = nameOf(h.acme.private[0]!);
    await page.getByRole("link", { name: hidden, exact: true }).click();
    expect(await page.locator("h1").textContent()).toContain(`acme/${hidden}`);
    await shot(page, "repo-private-signed-in");
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.waitForURL(`${h.url}/`);
    expect(await page.getByRole("link", { name: "Sign in with GitHub" }).count()).toBe(1);
  });

  it("hides a private repository from a signed-out visitor and from a user without access", async () => {
    const hidden = nameOf(h.acme.private[0]!);
    const visitor = await newPage();
    const answer = await visitor.goto(`${h.url}/orgs/acme/repos/${hidden}`);
    expect(answer!.status()).toBe(404);
    expect(await visitor.locator("h1").textContent()).toBe("Not found");
    expect(await visitor.locator("body").textContent()).not.toContain("score");
    await shot(visitor, "private-repo-signed-out");

    const bob = await newPage();
    await signInThroughGitHub(bob, "bob", "/orgs/acme");
    expect(await bob.locator("body").textContent()).not.toContain(hidden);
    const denied = await bob.goto(`${h.url}/orgs/acme/repos/${hidden}`);
    expect(denied!.status()).toBe(404);
    expect(await bob.locator("h1").textContent()).toBe("Not found");
    expect(await seriousViolations(bob)).toEqual([]);
    await shot(bob, "private-repo-no-access");
  });

  it("shows the index of orgs", async () => {
    const page = await newPage();
    await page.goto(`${h.url}/`);
    expect(await page.locator("main li a").allTextContents()).toEqual(["acme"]);
    expect(await seriousViolations(page)).toEqual([]);
  });
});

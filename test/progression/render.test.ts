// The pieces of the progression issue on their own: the renderer (on real reports of the level fixtures),
// the hidden state marker, ownership by CODEOWNERS, and the choice of assignees against a small fake API.

import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { type Report, scan } from "../../src/engine/index.js";
import { memorySnapshot } from "../../src/engine/snapshot.js";
import { chooseAssignees, ownershipFromReport, type RestApi, readCodeowners } from "../../src/github/assignees.js";
import { badgeSnippets } from "../../src/github/progression.js";
import {
  composeBody,
  contentHash,
  HISTORY_LIMIT,
  MARKER,
  type ProgressionState,
  parseState,
} from "../../src/github/progression-state.js";
import { type LevelChange, renderIssueBody, renderIssueTitle, renderLevelComment } from "../../src/report/issue.js";
import { docsUrl } from "../../src/version.js";
import { readFolder } from "../helpers.js";

function fixture(name: string): Record<string, string> {
  return readFolder(join("fixtures/repos", name));
}

let junior: Report;
let senior: Report;
let lead: Report;
beforeAll(async () => {
  [junior, senior, lead] = await Promise.all(["junior", "senior", "lead"].map((n) => scan(memorySnapshot(fixture(n)))));
});

describe("renderer", () => {
  it("titles name the level, the next one and the score", () => {
    expect(renderIssueTitle(junior)).toBe(`DevOps Ladder: Junior → Senior (${junior.score}/100)`);
    expect(renderIssueTitle(senior)).toBe(`DevOps Ladder: Senior → Lead (${senior.score}/100)`);
    expect(renderIssueTitle(lead)).toBe(`DevOps Ladder: Lead (${lead.score}/100)`);
  });

  it("the checklist ticks what is met, with evidence, and gives remediation and owners for the rest", () => {
    const half: Report = {
      ...senior,
      milestones: senior.milestones.map((m) =>
        m.id === "iac" ? { ...m, status: "pass", evidence: [{ path: "infra/main.tf", line: 3 }] } : m,
      ),
    };
    const body = renderIssueBody({
      report: half,
      history: [],
      branch: "main",
      milestoneOwners: new Map([["db_backups", ["@acme/dba", "@jdoe"]]]),
    });
    expect(body).toContain("**Next: Lead** — 1 of 5 milestones met.");
    expect(body).toContain("- [x] **Infrastructure as code** — `infra/main.tf:3`");
    expect(body).toMatch(
      /- \[ \] \*\*Automated database backups\*\* — [^\n]+\n {2}- Owners: @acme\/dba, @jdoe\n {2}- Back the data up/,
    );
    // every unmet milestone carries its remediation with a docs link
    for (const m of senior.next!.missing.filter((x) => x.id !== "iac"))
      expect(body).toContain(`([docs](${docsUrl(m.signals[0]!.docs)}))`);
    // no badge section until there is a snippet
    expect(body).not.toContain("### Badge");
    expect(
      renderIssueBody({
        report: half,
        history: [],
        branch: "main",
        badge: "![DevOps ladder](https://l.example/badges/o/r.svg)",
      }),
    ).toContain("```markdown\n![DevOps ladder](https://l.example/badges/o/r.svg)\n```");
  });

  it("at Lead it lists the Lead milestones, all met", () => {
    const body = renderIssueBody({ report: lead, history: [], branch: "main" });
    expect(body).toContain("Every milestone of the ladder is met.");
    expect(body).toContain("### Milestones of Lead");
    expect(body).not.toContain("- [ ]");
  });

  it("history: newest first, the last ten, with the pull request", () => {
    const history: LevelChange[] = Array.from({ length: 12 }, (_, i) => ({
      at: `2025-01-${String(i + 1).padStart(2, "0")}`,
      from: "junior",
      to: "senior",
      score: i,
    }));
    history.push({ at: "2025-02-01", from: "senior", to: "lead", score: 90, pr: 7, by: "@mona" });
    const body = renderIssueBody({ report: lead, history, branch: "main" });
    const lines = body.split("\n").filter((l) => /^- 20\d\d-/.test(l));
    expect(lines).toHaveLength(10);
    expect(lines[0]).toBe("- 2025-02-01: Senior → Lead (90/100) with #7 by @mona");
  });

  it("a level-down comment names the milestones lost and why their signals fail", () => {
    const text = renderLevelComment({
      from: "lead",
      report: senior,
      lost: senior.milestones.filter((m) => m.id === "db_backups"),
    });
    expect(text).toMatch(
      new RegExp(
        String.raw`^⬇️ \*\*Level down: Lead → Senior\*\* \(\d+\/100\)\.\n\nWhat broke:\n\n` +
          String.raw`- \*\*Automated database backups\*\* is no longer met\n {2}- `,
      ),
    );
    const signal = senior.tasks.flatMap((t) => t.signals).find((s) => s.id === "backups/db-backups")!;
    expect(text).toContain(signal.title);
  });

  it("a level-up comment without a pull request says no more than it knows; a PR title is escaped", () => {
    expect(renderLevelComment({ from: "junior", report: senior })).toMatch(
      /^⬆️ \*\*Level up: Junior → Senior\*\* \(\d+\/100\)\. The checklist/,
    );
    const text = renderLevelComment({
      from: "junior",
      report: senior,
      pr: { number: 3, title: "<img src=x> | fix", author: "octo" },
    });
    expect(text).toContain("with #3 (&lt;img src=x&gt; \\| fix) by @octo");
  });
});

describe("state marker", () => {
  const state: ProgressionState = {
    hash: "abc",
    level: "senior",
    score: 40,
    met: ["deploy_script"],
    open: true,
    history: [
      { at: "2025-01-01", to: "junior", score: 10 },
      { at: "2025-02-01", from: "junior", to: "senior", score: 40, pr: 2, by: "@a-->b<c" },
    ],
  };

  it("round-trips, and no value can close the comment early", () => {
    const body = composeBody("## Senior", state);
    expect(body.startsWith(`${MARKER}\n## Senior\n`)).toBe(true);
    expect(body.match(/-->/g)).toHaveLength(2); // the two markers' own ends
    expect(parseState(body)).toEqual(state);
  });

  it("a missing, damaged or hand-edited marker reads as no state; bad history entries are dropped", () => {
    expect(parseState(undefined)).toBeUndefined();
    expect(parseState("no marker")).toBeUndefined();
    expect(parseState('<!-- devops-ladder:state {"hash": -->')).toBeUndefined();
    expect(
      parseState('<!-- devops-ladder:state {"hash":"x","level":"expert","score":1,"open":true} -->'),
    ).toBeUndefined();
    const odd = parseState(
      "<!-- devops-ladder:state " +
        '{"hash":"x","level":"lead","score":1,"open":false,"met":[1,"iac"],' +
        '"history":[{"at":"d","to":"nope","score":1},{"at":"d","to":"lead","score":1}]} -->',
    );
    expect(odd).toEqual({
      hash: "x",
      level: "lead",
      score: 1,
      open: false,
      met: ["iac"],
      history: [{ at: "d", to: "lead", score: 1 }],
    });
  });

  it("keeps the history bounded", () => {
    const long = {
      ...state,
      history: Array.from({ length: 50 }, (_, i) => ({ at: `d${i}`, to: "junior" as const, score: i })),
    };
    const parsed = parseState(composeBody("x", long))!;
    expect(parsed.history).toHaveLength(HISTORY_LIMIT);
    expect(parsed.history.at(-1)!.at).toBe("d49");
  });

  it("the hash covers title and body", () => {
    expect(contentHash("a", "b")).not.toBe(contentHash("a", "c"));
    expect(contentHash("a", "b")).not.toBe(contentHash("b", "b"));
    expect(contentHash("ab", "")).not.toBe(contentHash("a", "b"));
  });
});

describe("ownership by CODEOWNERS", () => {
  it("the last matching rule wins, un-assigned paths have no owner, and teams and users rank by files owned", async () => {
    const files = {
      ...fixture("senior"),
      ".github/CODEOWNERS":
        "* @acme/devs\nscripts/ @ops1 @acme/platform\n/scripts/deploy.sh\n# monitoring/ @commented\nmonitoring/ @acme/sre\n",
    };
    const snapshot = memorySnapshot(files);
    const rules = await readCodeowners(snapshot);
    const report = await scan(snapshot);
    const { owners, byMilestone } = ownershipFromReport(report, rules);
    expect(owners).toContain("@acme/devs");
    expect(owners).toContain("@acme/sre");
    expect(owners).not.toContain("@commented");
    // scripts/deploy.sh is un-assigned by the rule after `scripts/`
    expect(owners).not.toContain("@ops1");
    expect(byMilestone.get("log_aggregation")).toEqual(["@acme/sre"]);
    expect(byMilestone.has("deploy_script")).toBe(false); // met: not listed
  });

  it("no CODEOWNERS: nobody", async () => {
    const snapshot = memorySnapshot(fixture("junior"));
    expect(await readCodeowners(snapshot)).toEqual([]);
    expect(ownershipFromReport(junior, [])).toEqual({ owners: [], byMilestone: new Map() });
  });

  it("GitHub's order of locations: .github/ before the root; GitLab's folder is not GitHub's", async () => {
    const rules = await readCodeowners(
      memorySnapshot({ CODEOWNERS: "* @root\n", ".github/CODEOWNERS": "* @dotgithub\n" }),
    );
    expect(rules.map((r) => r.owners)).toEqual([["@dotgithub"]]);
    expect(await readCodeowners(memorySnapshot({ ".gitlab/CODEOWNERS": "* @gitlab\n" }))).toEqual([]);
  });
});

describe("choosing assignees", () => {
  function api(assignable: string[], contributors: unknown[] = []) {
    const calls: string[] = [];
    const fake: RestApi = {
      async request(route, params = {}) {
        calls.push(route.replace("{assignee}", String(params.assignee)));
        if (route.endsWith("/assignees/{assignee}")) {
          if (params.assignee === "boom") throw Object.assign(new Error("server"), { status: 500 });
          if (!assignable.includes(String(params.assignee)))
            throw Object.assign(new Error("Not Found"), { status: 404 });
          return { status: 204, data: "" };
        }
        if (route.endsWith("/contributors")) return { status: 200, data: contributors };
        throw new Error(`unexpected ${route}`);
      },
    };
    return { fake, calls };
  }
  const repo = { owner: "o", repo: "r" };

  it("config first; `assignees: []` means nobody, without a request", async () => {
    const { fake, calls } = api(["a"]);
    expect(await chooseAssignees(fake, { repo, configured: ["@a", "b"], owners: ["@c"] })).toEqual({
      assignees: ["a"],
      source: "config",
    });
    expect(await chooseAssignees(fake, { repo, configured: [], owners: ["@a"] })).toEqual({
      assignees: [],
      source: "config",
    });
    expect(calls).toEqual(["GET /repos/{owner}/{repo}/assignees/a", "GET /repos/{owner}/{repo}/assignees/b"]);
  });

  it("config nobody can be assigned: the code owners; teams and e-mails are never assigned", async () => {
    const { fake, calls } = api(["c"]);
    expect(
      await chooseAssignees(fake, { repo, configured: ["x"], owners: ["@org/team", "dev@example.com", "@c"] }),
    ).toEqual({ assignees: ["c"], source: "codeowners" });
    expect(calls.some((c) => c.includes("team") || c.includes("example"))).toBe(false);
  });

  it("contributors by commits, people only, as many as asked", async () => {
    const { fake } = api(
      ["u1", "u3", "u4"],
      [
        { login: "u1", type: "User" },
        { login: "ci[bot]", type: "Bot" },
        { login: "u2" },
        { login: "u3" },
        { login: "u4" },
      ],
    );
    expect(await chooseAssignees(fake, { repo, owners: [] })).toEqual({
      assignees: ["u1", "u3"],
      source: "contributors",
    });
    expect(await chooseAssignees(fake, { repo, owners: [], contributors: 3 })).toEqual({
      assignees: ["u1", "u3", "u4"],
      source: "contributors",
    });
  });

  it("an empty repository (204, no list) assigns nobody; a server error is not mistaken for 'not assignable'", async () => {
    const { fake } = api([], undefined);
    const empty: RestApi = {
      request: async (route, params) =>
        route.endsWith("/contributors") ? { status: 204, data: "" } : fake.request(route, params),
    };
    expect(await chooseAssignees(empty, { repo, owners: [] })).toEqual({ assignees: [], source: "none" });
    await expect(chooseAssignees(api([]).fake, { repo, configured: ["boom"], owners: [] })).rejects.toThrow("server");
  });
});

describe("badge snippets", () => {
  const visibility = (isPrivate: boolean) => {
    let calls = 0;
    const api: RestApi = {
      request: async () => {
        calls += 1;
        return { status: 200, data: { private: isPrivate } };
      },
    };
    return { api, calls: () => calls };
  };
  const repo = { owner: "Octo", repo: "App" };

  it("public: the plain URL; private: with the repo's token; visibility cached for ten minutes", async () => {
    let now = 0;
    const snippet = badgeSnippets("https://ladder.example.com/", "k", () => now);
    const pub = visibility(false);
    expect(await snippet(repo, pub.api)).toBe("![DevOps ladder](https://ladder.example.com/badges/Octo/App.svg)");
    await snippet(repo, pub.api);
    expect(pub.calls()).toBe(1);
    now += 10 * 60_000;
    const priv = visibility(true);
    expect(await snippet(repo, priv.api)).toMatch(
      /^!\[DevOps ladder\]\(https:\/\/ladder\.example\.com\/badges\/Octo\/App\.svg\?token=[0-9a-f]{32}\)$/,
    );
  });
});

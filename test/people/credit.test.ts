// The credit model: who is credited for what a change to the default branch raised, in the ways changes land.
import { describe, expect, it } from "vitest";
import { type CommitInfo, isRevertOnly, pullRequestPeople, pushPeople } from "../../src/people/change.js";
import { type Change, type Credit, creditChange } from "../../src/people/credit.js";
import type { Person } from "../../src/people/person.js";
import { reportWith } from "./reports.js";

const alice: Person = { name: "Alice", email: "alice@example.com", login: "alice" };
const bob: Person = { name: "Bob", email: "bob@example.com" };
const carol: Person = { name: "Carol", email: "carol@example.com", login: "carol" };

const commit = (sha: string, author: Person, message: string, parents = 1): CommitInfo => ({
  sha,
  author,
  message,
  parents,
});

const change = (sha: string, people: Person[], extra: Partial<Change> = {}): Change => ({
  commit: sha,
  at: "2024-05-01T10:00:00.000Z",
  repo: "acme/shop",
  private: false,
  people,
  ...extra,
});

/** `who earned what`, e.g. `alice milestone deploy_script`. */
const summary = (credits: Credit[]) => credits.map((c) => `${c.person.login ?? c.person.email} ${c.kind} ${c.id}`);
const milestoneCredits = (credits: Credit[]) => summary(credits.filter((c) => c.kind === "milestone"));

describe("credit model", () => {
  it("squash merge: the PR author and the co-authors GitHub wrote into the squash commit", () => {
    const prCommits = [commit("p1", alice, "add deploy script"), commit("p2", bob, "fix typo")];
    const squash = commit(
      "s1",
      alice,
      "Add a deploy script (#12)\n\n* add deploy script\n\n* fix typo\n\nCo-authored-by: Bob <bob@example.com>",
    );
    const people = pullRequestPeople({ number: 12, author: { name: "alice", login: "alice" } }, prCommits, [squash]);
    expect(people.map((p) => p.login ?? p.email)).toEqual(["alice", "bob@example.com"]);

    const { credits, regressions } = creditChange(
      reportWith([]),
      reportWith(["deploy_script"]),
      change("s1", people, { pr: 12 }),
    );
    expect(milestoneCredits(credits)).toEqual([
      "alice milestone deploy_script",
      "bob@example.com milestone deploy_script",
    ]);
    expect(credits).toContainEqual(
      expect.objectContaining({
        kind: "signal",
        id: "deploy/deploy-script",
        task: "deploy",
        commit: "s1",
        pr: 12,
        repo: "acme/shop",
        private: false,
      }),
    );
    expect(credits.find((c) => c.id === "deploy_script")).toMatchObject({
      level: "senior",
      evidence: [{ path: "evidence/deploy/deploy-script" }],
    });
    expect(regressions).toEqual([]);
  });

  it("merge commit: the PR's author is credited, not the maintainer who merged it", () => {
    const prCommits = [commit("p1", alice, "docs: how to deploy")];
    const merge = commit("m1", carol, "Merge pull request #13 from alice/deploy-docs\n\ndocs: how to deploy", 2);
    const people = pullRequestPeople({ number: 13, author: { name: "alice", login: "alice" } }, prCommits, [merge]);
    const { credits } = creditChange(reportWith([]), reportWith(["deploy_docs"]), change("m1", people, { pr: 13 }));
    expect(milestoneCredits(credits)).toEqual(["alice milestone deploy_docs"]);
  });

  it("rebase merge: several landed commits are one change, credited once per person at the new head", () => {
    const landed = [
      commit("r1", alice, "add alert rules"),
      commit("r2", alice, "route alerts"),
      commit("r3", alice, "tune thresholds"),
    ];
    const people = pullRequestPeople({ number: 14, author: { name: "alice", login: "alice" } }, landed, landed);
    const { credits } = creditChange(reportWith([]), reportWith(["alerts"]), change("r3", people, { pr: 14 }));
    expect(milestoneCredits(credits)).toEqual(["alice milestone alerts"]);
    expect(credits.every((c) => c.commit === "r3")).toBe(true);
    expect(summary(credits)).toEqual([...new Set(summary(credits))]); // no duplicates
  });

  it("co-authors: trailers of a direct push count, the same person twice counts once, logins are matched", () => {
    const pushed = [
      commit(
        "c1",
        carol,
        "Ship logs to Loki\n\nPairing session.\n\nCo-authored-by: Bob <bob@example.com>\nCo-authored-by: CAROL <Carol@Example.com>",
      ),
    ];
    expect(pushPeople(pushed).map((p) => p.name)).toEqual(["Carol", "Bob"]);

    // a co-author whose e-mail is one of the PR's commit authors gets that author's login
    const prCommits = [commit("p1", { name: "Dan", email: "dan@example.com", login: "dan" }, "wip")];
    const squash = commit("s9", alice, "Log shipping (#15)\n\nCo-authored-by: Dan <dan@example.com>");
    const people = pullRequestPeople({ number: 15, author: { name: "alice", login: "alice" } }, prCommits, [squash]);
    expect(people.map((p) => p.login)).toEqual(["alice", "dan"]);

    // a Co-authored-by line inside prose is not a trailer
    const prose = commit("c2", carol, "Fix\n\nCo-authored-by: Bob <bob@example.com> helped,\nand thanks to everyone.");
    expect(pushPeople([prose]).map((p) => p.name)).toEqual(["Carol"]);
  });

  it("bots never get credit: [bot] accounts, GitHub itself, a configured list, people.exclude", () => {
    const dependabot = { name: "dependabot[bot]", login: "dependabot[bot]" };
    expect(pullRequestPeople({ number: 16, author: dependabot }, [commit("d1", dependabot, "bump")])).toEqual([]);

    const pushed = [
      commit(
        "c3",
        { name: "ci-robot", email: "ci@example.com" },
        "Add alerts\n\nCo-authored-by: renovate[bot] " +
          "<29139614+renovate[bot]@users.noreply.github.com>\n" +
          "Co-authored-by: GitHub <noreply@github.com>\nCo-authored-by: Bob <bob@example.com>\n" +
          "Co-authored-by: Carol <carol@example.com>",
      ),
    ];
    const policy = { bots: ["ci-robot"], exclude: ["@carol"] };
    expect(pushPeople(pushed, policy).map((p) => p.name)).toEqual(["Bob"]);

    // the model itself drops them too, whoever built the change
    const { credits, regressions } = creditChange(
      reportWith(["alerts"]),
      reportWith(["deploy_script"]),
      change("c4", [dependabot, { name: "Carol", login: "carol" }], {}),
      policy,
    );
    expect(credits).toEqual([]);
    // a bot's change still records what it broke, against the repository
    expect(regressions.map((r) => r.id)).toContain("alerts");
  });

  it("a regression is the repo's; earning it again is credited again, to whoever restored it", () => {
    const start = reportWith([]);
    const met = reportWith(["deploy_script"]);
    const first = creditChange(start, met, change("a1", [alice]));
    expect(milestoneCredits(first.credits)).toEqual(["alice milestone deploy_script"]);

    const lost = creditChange(met, start, change("b1", [bob]));
    expect(lost.credits).toEqual([]);
    expect(lost.regressions).toContainEqual(
      expect.objectContaining({ kind: "milestone", id: "deploy_script", commit: "b1", repo: "acme/shop" }),
    );
    expect(lost.regressions.every((r) => !("person" in r))).toBe(true);

    const again = creditChange(start, met, change("c1", [carol]));
    expect(milestoneCredits(again.credits)).toEqual(["carol milestone deploy_script"]);
  });

  it("not applicable is neither a loss nor a gain; applicable again and passing is earned", () => {
    const db = reportWith(["db_backups"]);
    const noDb = reportWith([], ["backups/db-backups"]);
    expect(creditChange(db, noDb, change("x1", [alice])).regressions).toEqual([]);
    expect(milestoneCredits(creditChange(noDb, db, change("x2", [bob])).credits)).toEqual([
      "bob@example.com milestone db_backups",
    ]);
  });

  it("two milestones in one change: both are credited, with the signals behind them", () => {
    const { credits } = creditChange(
      reportWith(["deploy_script"]),
      reportWith(["deploy_script", "deploy_docs", "alerts"]),
      change("t1", [alice]),
    );
    expect(milestoneCredits(credits)).toEqual(["alice milestone deploy_docs", "alice milestone alerts"]);
    expect(credits.filter((c) => c.kind === "signal").map((c) => c.id)).toEqual([
      "deploy/deploy-docs",
      "monitoring/alert-rules",
    ]);
  });

  it("history rewritten by a force-push: no second credit, a dropped change is a regression, credits stay", () => {
    const before = reportWith([]);
    const met = reportWith(["iac"]);
    const earned = creditChange(before, met, change("f1", [alice])).credits;
    expect(milestoneCredits(earned)).toEqual(["alice milestone iac"]);

    // the same work amended and force-pushed: the default branch passed before and after, nothing new
    const amended = creditChange(met, reportWith(["iac"]), change("f1-amended", [alice], {}));
    expect(amended.credits).toEqual([]);
    expect(amended.regressions).toEqual([]);

    // force-pushed back to before the work: the repo regressed; Alice's credit is history, not taken back
    const dropped = creditChange(met, before, change("f0", [bob]));
    expect(dropped.credits).toEqual([]);
    expect(dropped.regressions.map((r) => r.id)).toContain("iac");

    // a forced push from a head that was never scanned: nothing is known to have changed, nothing is credited
    expect(creditChange(undefined, met, change("f2", [bob]))).toEqual({ credits: [], regressions: [] });
  });

  it("a commit that only reverts earns nothing", () => {
    const revert = commit(
      "v1",
      bob,
      'Revert "Remove the deploy script"\n\nThis reverts commit 0123456789abcdef0123456789abcdef01234567.\n',
    );
    expect(isRevertOnly(revert.message)).toBe(true);
    expect(pushPeople([revert])).toEqual([]);
    expect(pullRequestPeople({ number: 17, author: { name: "bob", login: "bob" } }, [revert])).toEqual([]);
    // a subject that talks about reverting is not a revert
    expect(isRevertOnly("Revert to the old deploy flow\n\nBecause it worked.")).toBe(false);
    expect(isRevertOnly('Revert "x"\n\nWe revert commit abc for reasons.')).toBe(false);
  });
});

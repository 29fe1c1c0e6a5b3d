// A person's ladder from their credits, by rules/levels.yml.
import { describe, expect, it } from "vitest";
import { defaultRules } from "../../src/engine/index.js";
import { type Change, type Credit, creditChange } from "../../src/people/credit.js";
import { ladders, personLadder } from "../../src/people/ladder.js";
import type { Person } from "../../src/people/person.js";
import { reportWith } from "./reports.js";

const alice: Person = { name: "Alice", email: "alice@example.com", login: "alice" };
const bob: Person = { name: "Bob", email: "bob@example.com" };
const levels = defaultRules().levels;

/** The credits of one change in a repo that moves from `from` to `to`. */
function earn(repo: string, from: string[], to: string[], people: Person[], at: string, extra: Partial<Change> = {}) {
  return creditChange(reportWith(from), reportWith(to), { commit: `${repo}@${at}`, at, repo, people, ...extra })
    .credits;
}

describe("personal ladder", () => {
  it("Senior once every Senior milestone is earned, in any repositories of the org", () => {
    const credits: Credit[] = [
      ...earn("acme/api", [], ["deploy_script"], [alice], "2024-01-02T00:00:00Z"),
      ...earn("acme/web", [], ["deploy_docs", "alerts"], [alice], "2024-02-03T00:00:00Z"),
    ];
    const ladder = personLadder(alice, credits, levels);
    expect(ladder.level).toBe("senior");
    expect(ladder.next).toEqual({
      level: "lead",
      earned: [],
      missing: ["iac", "log_aggregation", "security_hardening", "auto_rollback", "db_backups"],
    });
    expect(ladder.milestones.map((c) => [c.id, c.repo])).toEqual([
      ["deploy_script", "acme/api"],
      ["deploy_docs", "acme/web"],
      ["alerts", "acme/web"],
    ]);
  });

  it("not Senior with two of three; the progress names what is missing", () => {
    const credits = earn("acme/api", [], ["deploy_script", "alerts"], [bob], "2024-01-02T00:00:00Z");
    const ladder = personLadder(bob, credits, levels);
    expect(ladder.level).toBe("junior");
    expect(ladder.next).toEqual({ level: "senior", earned: ["deploy_script", "alerts"], missing: ["deploy_docs"] });
  });

  it("Lead needs every Lead milestone on top of Senior; Lead milestones alone are not Senior", () => {
    const lead = ["iac", "log_aggregation", "security_hardening", "auto_rollback", "db_backups"];
    const leadOnly = earn("acme/infra", [], lead, [alice], "2024-03-01T00:00:00Z");
    expect(personLadder(alice, leadOnly, levels).level).toBe("junior");
    const all = [
      ...leadOnly,
      ...earn("acme/api", [], ["deploy_script", "deploy_docs", "alerts"], [alice], "2024-04-01T00:00:00Z"),
    ];
    const ladder = personLadder(alice, all, levels);
    expect(ladder.level).toBe("lead");
    expect(ladder.next).toBeUndefined();
  });

  it("per task, the signals earned, where and when, oldest first", () => {
    const credits = [
      ...earn("acme/web", [], ["alerts"], [alice], "2024-05-01T00:00:00Z"),
      ...earn("acme/api", [], ["deploy_script"], [alice], "2024-01-01T00:00:00Z"),
    ];
    const ladder = personLadder(alice, credits, levels);
    expect(ladder.tasks.map((t) => [t.id, t.signals.map((s) => [s.id, s.repo, s.at])])).toEqual([
      ["deploy", [["deploy/deploy-script", "acme/api", "2024-01-01T00:00:00Z"]]],
      ["monitoring", [["monitoring/alert-rules", "acme/web", "2024-05-01T00:00:00Z"]]],
    ]);
  });

  it("everyone's ladder from a repo's credits; a milestone earned twice is listed twice, counted once", () => {
    const credits = [
      ...earn("acme/api", [], ["deploy_script"], [alice, bob], "2024-01-01T00:00:00Z"),
      ...earn("acme/api", [], ["deploy_script"], [alice], "2024-03-01T00:00:00Z"),
    ];
    const all = ladders(credits, levels);
    expect(all.map((l) => l.person.name)).toEqual(["Alice", "Bob"]);
    expect(all[0]!.milestones.map((c) => c.at)).toEqual(["2024-01-01T00:00:00Z", "2024-03-01T00:00:00Z"]);
    expect(all[0]!.next?.earned).toEqual(["deploy_script"]);
  });

  it("backfilled credits count like the others", () => {
    const credits = earn("acme/api", [], ["deploy_script", "deploy_docs", "alerts"], [bob], "2024-01-01T00:00:00Z", {
      backfilled: true,
    });
    expect(credits.every((c) => c.backfilled)).toBe(true);
    expect(personLadder(bob, credits, levels).level).toBe("senior");
  });
});

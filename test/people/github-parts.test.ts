// The pure parts of credits in the app: the Link header, a stored credit and back, the comment's text.
import { describe, expect, it } from "vitest";
import { defaultRules } from "../../src/engine/index.js";
import { lastPage } from "../../src/github/backfill.js";
import { backfillCredits, creditChange, practiceOf } from "../../src/people/credit.js";
import { personLadder } from "../../src/people/ladder.js";
import { creditToRow, rowToCredit } from "../../src/people/rows.js";
import { renderCreditComment } from "../../src/report/credit-comment.js";
import { reportWith } from "./reports.js";

const levels = defaultRules().levels;

describe("Link header", () => {
  it("reads the last page, whatever the order of links and parameters", () => {
    const api = "https://api.github.com/repositories/1/commits?path=a%2Cb&per_page=1";
    expect(lastPage(`<${api}&page=2>; rel="next", <${api}&page=7>; rel="last"`)).toBe(7);
    expect(lastPage(`<${api}&page=7>; title="x"; rel=last`)).toBe(7);
  });

  it("no last link, a malformed one, or no page: undefined", () => {
    expect(lastPage("")).toBeUndefined();
    expect(lastPage('<https://api.github.com/x?page=2>; rel="next"')).toBeUndefined();
    expect(lastPage('https://api.github.com/x?page=2; rel="last"')).toBeUndefined();
    expect(lastPage('<https://api.github.com/x>; rel="last"')).toBeUndefined();
  });
});

describe("credits as stored", () => {
  it("a credit survives the trip to a row and back; unknown visibility is stored as private", () => {
    const [credit] = creditChange(reportWith([]), reportWith(["alerts"]), {
      commit: "c".repeat(40),
      at: "2025-01-01T00:00:00.000Z",
      repo: "acme/api",
      pr: 3,
      people: [{ name: "Alice", email: "alice@example.com", login: "alice" }],
    }).credits;
    const row = creditToRow(credit!);
    expect(row).toMatchObject({ personKey: "login:alice", item: "alerts", private: true, pr: 3 });
    expect(rowToCredit(row)).toEqual({ ...credit, private: true });
  });

  it("the backfill credits passing milestones only, to the people of the change that added the evidence", () => {
    const state = practiceOf(reportWith(["deploy_script", "alerts"]));
    expect(state.items.every((i) => i.evidence.length <= 3)).toBe(true);
    const change = (who: string) => ({
      commit: "d".repeat(40),
      at: "2024-01-01T00:00:00.000Z",
      people: [{ name: who }],
    });
    const credits = backfillCredits(
      state,
      new Map([
        ["deploy_script", change("Ann")],
        ["iac", change("Ian")], // not passing: nothing
        ["alerts", change("dependabot[bot]")], // a bot: nothing
      ]),
    );
    expect(credits.map((c) => [c.id, c.person.name, c.backfilled])).toEqual([["deploy_script", "Ann", true]]);
  });
});

describe("the pull request comment", () => {
  const at = "2025-01-01T00:00:00.000Z";
  it("people who earned different things each get their lines; nobody's regression is mentioned", () => {
    const alice = { name: "Alice", login: "alice" };
    const bob = { name: "Bob Smith", email: "bob@example.com" };
    const a = creditChange(reportWith(["alerts"]), reportWith(["deploy_script"]), {
      commit: "e".repeat(40),
      at,
      people: [alice],
    });
    const b = creditChange(reportWith([]), reportWith(["deploy_docs"]), { commit: "e".repeat(40), at, people: [bob] });
    const credits = [...a.credits, ...b.credits];
    const body = renderCreditComment({
      credits,
      ladders: [personLadder(alice, a.credits, levels), personLadder(bob, b.credits, levels)],
      levels,
    })!;
    expect(body).toContain("@alice earned:\n\n- **Automated deployment** (Senior milestone)");
    expect(body).toContain("Bob Smith earned:\n\n- **Written deploy instructions** (Senior milestone)");
    expect(body).toContain("- @alice: Junior DevOps, 1 of 3 milestones to Senior DevOps");
    expect(body).not.toMatch(/Alerting|lost|regress/i);
    expect(renderCreditComment({ credits: [], ladders: [], levels })).toBeUndefined();
  });
});

import { describe, expect, it } from "vitest";
import { isBot, loginOfEmail } from "../../src/people/person.js";
import { coAuthors, parseIdent, parseTrailers } from "../../src/people/trailers.js";

describe("commit trailers", () => {
  it("reads the last paragraph when it is all trailers, with continuation lines and CRLF", () => {
    const message =
      "Add backups\r\n\r\nNightly pg_dump.\r\n\r\nReviewed-by: Erin <erin@example.com>\r\nCo-authored-by: Bob\r\n  <bob@example.com>\r\n";
    expect(parseTrailers(message)).toEqual([
      { token: "Reviewed-by", value: "Erin <erin@example.com>" },
      { token: "Co-authored-by", value: "Bob <bob@example.com>" },
    ]);
    expect(coAuthors(message)).toEqual([{ name: "Bob", email: "bob@example.com" }]);
  });

  it("a subject alone has no trailers, nor does a paragraph before the last one", () => {
    expect(parseTrailers("Co-authored-by: Bob <bob@example.com>")).toEqual([]);
    expect(coAuthors("Subject\n\nCo-authored-by: Bob <bob@example.com>\n\nThe rest of the story.")).toEqual([]);
  });

  it("a mixed paragraph counts only with a git-generated trailer and a quarter of trailers", () => {
    const mixed = "Subject\n\nsome prose\nCo-authored-by: Bob <bob@example.com>\nSigned-off-by: Alice <a@example.com>";
    expect(coAuthors(mixed)).toEqual([{ name: "Bob", email: "bob@example.com" }]);
    const prose = "Subject\n\nsome prose\nmore prose\nCo-authored-by: Bob <bob@example.com>";
    expect(coAuthors(prose)).toEqual([]);
  });

  it("an identity needs an e-mail in angle brackets", () => {
    expect(parseIdent("Bob")).toBeUndefined();
    expect(parseIdent("Bob <not-an-address>")).toBeUndefined();
    expect(parseIdent("<bob@example.com>")).toEqual({ name: "bob@example.com", email: "bob@example.com" });
  });
});

describe("people", () => {
  it("GitHub's no-reply addresses carry the login", () => {
    expect(loginOfEmail("123+octocat@users.noreply.github.com")).toBe("octocat");
    expect(loginOfEmail("octocat@users.noreply.github.com")).toBe("octocat");
    expect(loginOfEmail("octocat@example.com")).toBeUndefined();
  });

  it("bots by login, name or no-reply address; people with 'bot' in their name are people", () => {
    expect(isBot({ name: "x", email: "49699333+dependabot[bot]@users.noreply.github.com" })).toBe(true);
    expect(isBot({ name: "github-actions[bot]" })).toBe(true);
    expect(isBot({ name: "WhiteSource Renovate", email: "renovate@whitesourcesoftware.com" })).toBe(true);
    expect(isBot({ name: "Abbot Robotham", email: "abbot@example.com", login: "robotham" })).toBe(false);
  });

  it("machine users named something-bot are bots; a person's name with Bot in it is not", () => {
    expect(isBot({ name: "getsentry-bot", email: "bot@example.io" })).toBe(true);
    expect(isBot({ name: "Kubernetes Prow Robot", login: "k8s-ci-robot" })).toBe(true);
    expect(isBot({ name: "release_bot" })).toBe(true);
    expect(isBot({ name: "x", email: "1+deploy-bot@users.noreply.github.com" })).toBe(true);
    expect(isBot({ name: "Talbot", login: "talbot" })).toBe(false);
    expect(isBot({ name: "Jane Bot", email: "jane@example.com" })).toBe(false);
    expect(isBot({ name: "Ann Talbot-Robot", login: "ann" })).toBe(false);
    expect(isBot({ name: "-bot" })).toBe(false);
  });
});

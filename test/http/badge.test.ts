// The pure badge renderer, as the server and the CLI's --badge use it.
import { describe, expect, it } from "vitest";
import { badgeToken, isValidToken } from "../../src/http/token.js";
import {
  badgeMarkdown,
  overallFace,
  renderBadge,
  renderSvg,
  scoreColor,
  shieldsEndpoint,
  taskFace,
} from "../../src/report/badge.js";
import { scanFiles } from "../helpers.js";

describe("badge faces", () => {
  it("says level and score, coloured by level", () => {
    expect(overallFace({ level: "junior", score: 12 })).toMatchObject({
      label: "devops",
      message: "junior · 12",
      color: "orange",
    });
    expect(overallFace({ level: "senior", score: 72 })).toMatchObject({ message: "senior · 72", color: "blue" });
    expect(overallFace({ level: "lead", score: 95 })).toMatchObject({ message: "lead · 95", color: "brightgreen" });
  });

  it("colours a task by its score and says n/a when nothing applies", () => {
    expect([0, 19, 20, 40, 60, 80, 100].map(scoreColor)).toEqual([
      "red",
      "red",
      "orange",
      "yellow",
      "green",
      "brightgreen",
      "brightgreen",
    ]);
    expect(taskFace("backups", null)).toMatchObject({
      message: "n/a",
      color: "lightgrey",
      title: "DevOps ladder, backups: not applicable",
    });
    expect(taskFace("docker", 0)).toMatchObject({ message: "0", color: "red" });
  });
});

describe("SVG", () => {
  it("writes the badge of a real Report with an accessible title", async () => {
    const report = await scanFiles({ "README.md": "# demo\n" });
    const svg = renderBadge(report);
    const spoken = `DevOps ladder: ${report.level} level, score ${report.score} of 100`;
    expect(svg).toMatch(/^<svg [^>]*role="img"/);
    expect(svg).toContain(`aria-label="${spoken}"`);
    expect(svg).toContain(`<title>${spoken}</title>`);
    expect(svg).toContain(`>${report.level} · ${report.score}</text>`);
  });

  it("escapes what it puts in the title", () => {
    const svg = renderSvg({ label: "a<b", message: "c&d", color: "blue", title: 'x "<y>" & z' });
    expect(svg).toContain("<title>x &quot;&lt;y&gt;&quot; &amp; z</title>");
    expect(svg).not.toContain("<y>");
  });
});

describe("shields endpoint, Markdown snippet and tokens", () => {
  it("builds the endpoint object shields.io reads", () => {
    expect(shieldsEndpoint(overallFace({ level: "lead", score: 90 }), 300)).toEqual({
      schemaVersion: 1,
      label: "devops",
      message: "lead · 90",
      color: "brightgreen",
      cacheSeconds: 300,
    });
  });

  it("gives the snippet to paste, with the token for a private repo", () => {
    expect(badgeMarkdown("https://ladder.example.com/", "octo/app")).toBe(
      "![DevOps ladder](https://ladder.example.com/badges/octo/app.svg)",
    );
    const token = badgeToken("s3cret", "octo/app");
    expect(badgeMarkdown("https://ladder.example.com", "octo/app", token)).toBe(
      `![DevOps ladder](https://ladder.example.com/badges/octo/app.svg?token=${token})`,
    );
  });

  it("derives a per-repo token from the secret, case-insensitive in the name", () => {
    const token = badgeToken("s3cret", "Octo/App");
    expect(token).toMatch(/^[0-9a-f]{32}$/);
    expect(badgeToken("s3cret", "octo/app")).toBe(token);
    expect(badgeToken("other", "octo/app")).not.toBe(token);
    expect(badgeToken("s3cret", "octo/app2")).not.toBe(token);
    expect(isValidToken("s3cret", "OCTO/app", token)).toBe(true);
    expect(isValidToken("s3cret", "octo/app2", token)).toBe(false);
    expect(isValidToken(undefined, "octo/app", token)).toBe(false);
    expect(isValidToken("s3cret", "octo/app", token.toUpperCase())).toBe(false);
    expect(isValidToken("s3cret", "octo/app", undefined)).toBe(false);
  });
});

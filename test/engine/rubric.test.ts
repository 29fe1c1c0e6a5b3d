// One rubric check for all seven tasks, in the spirit of ESLint's rule-file checks: every signal of rules/*.yml
// has its section in docs/rules/<task>.md with the set headings, the YAML example is the docs' "Fix" block, its
// "Reason ids." name the YAML's reasons (the ids its detector gives: test/helpers.ts detect() holds it to them), every
// registered detector is used by a signal and every signal has a detector.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "../../src/assets.js";
import { detectors } from "../../src/detectors/index.js";
import { defaultRules } from "../../src/engine/index.js";
import { TASK_IDS } from "../../src/engine/types.js";

/** The headings every signal's section has, in this order (others, such as "When it applies.", may come between). */
const HEADINGS = ["**Why.**", "**What counts.**", "**What does not.**", "**Fix.**"];

interface Section {
  /** lines outside fenced code */
  prose: string[];
  /** fenced code blocks after the "Fix." paragraph, in order */
  fixBlocks: string[];
}

/** The `## <signal>` sections of a rules document; headings inside fenced code are code. */
function sections(markdown: string): Map<string, Section> {
  const out = new Map<string, Section>();
  let current: Section | undefined;
  let fence: string | undefined;
  let block: string[] = [];
  let afterFix = false;
  for (const line of markdown.split("\n")) {
    const opener = /^(`{3,}|~{3,})/.exec(line)?.[1];
    if (fence !== undefined) {
      if (line.trim() === fence) {
        if (current && afterFix) current.fixBlocks.push(block.join("\n"));
        fence = undefined;
      } else block.push(line);
      continue;
    }
    if (opener) {
      fence = opener;
      block = [];
      continue;
    }
    if (line.startsWith("## ")) {
      current = { prose: [], fixBlocks: [] };
      out.set(line.slice(3).trim(), current);
      afterFix = false;
      continue;
    }
    if (!current) continue;
    current.prose.push(line);
    if (line.startsWith("**Fix.**")) afterFix = true;
  }
  return out;
}

/** The ids (in backticks) of the section's "**Reason ids.**" paragraph, in order. */
function reasonIds(section: Section): string[] {
  const start = section.prose.findIndex((line) => line.startsWith("**Reason ids.**"));
  if (start < 0) return [];
  const end = section.prose.findIndex((line, i) => i > start && line.trim() === "");
  const paragraph = section.prose.slice(start, end < 0 ? undefined : end).join(" ");
  return [...paragraph.matchAll(/`([a-z0-9-]+)` \(/g)].map((m) => m[1]!);
}

const rules = defaultRules();

/** The source of a task's detectors: src/detectors/<task>.ts and its folder, if any. */
function detectorSource(task: string): string {
  const folder = `${PROJECT_ROOT}src/detectors/${task}`;
  const parts = existsSync(folder) ? readdirSync(folder).map((f) => readFileSync(`${folder}/${f}`, "utf8")) : [];
  return [readFileSync(`${folder}.ts`, "utf8"), ...parts].join("\n");
}

describe.each(TASK_IDS.map((id) => [id]))("rules/%s.yml and docs/rules/%s.md", (task) => {
  const taskRule = rules.tasks.find((t) => t.id === task)!;
  const docs = sections(readFileSync(`${PROJECT_ROOT}docs/rules/${task}.md`, "utf8"));
  const source = detectorSource(task);

  it.each(taskRule.signals.map((s) => [s.id, s] as const))("%s", (id, signal) => {
    const name = id.slice(task.length + 1);
    expect(signal.docs).toBe(`docs/rules/${task}.md#${name}`);
    expect(signal.weight).toBeGreaterThanOrEqual(1);
    expect(signal.weight).toBeLessThanOrEqual(5);
    const section = docs.get(name);
    expect(section, `docs/rules/${task}.md has no "## ${name}"`).toBeDefined();
    const starts = HEADINGS.map((h) => section!.prose.findIndex((line) => line.startsWith(h)));
    expect(
      starts.map((at, i) => (at < 0 ? `missing ${HEADINGS[i]}` : HEADINGS[i])),
      `${id}: the section's headings`,
    ).toEqual(HEADINGS);
    expect(
      starts.every((at, i) => i === 0 || at > starts[i - 1]!),
      `${id}: ${HEADINGS.join(", ")} in this order`,
    ).toBe(true);
    expect(signal.example, `${id}: an example in the YAML`).toBeTruthy();
    expect(reasonIds(section!), `${id}: the docs' "Reason ids." name the YAML's reasons`).toEqual(
      Object.keys(signal.reasons),
    );
    // no stale id: each listed reason is still a string of the task's detectors
    expect(Object.keys(signal.reasons).filter((r) => !source.includes(`"${r}"`))).toEqual([]);
    expect(section!.fixBlocks[0], `${id}: the docs' Fix block is the YAML example`).toBe(signal.example);
  });
});

describe("detectors and signals", () => {
  const signalIds = new Set(rules.tasks.flatMap((t) => t.signals.map((s) => s.id)));

  it("every signal has a detector registered under its id", () => {
    expect([...signalIds].filter((id) => !detectors[id])).toEqual([]);
  });

  it("every registered detector is used by a signal", () => {
    expect(Object.keys(detectors).filter((id) => !signalIds.has(id))).toEqual([]);
  });
});

describe("the section reader", () => {
  it("finds the headings and the Fix block, and reads no heading inside code", () => {
    const doc = sections(
      "# T\n\n## a\n\n**Why.** x\n\n```md\n## not-a-section\n```\n\n**Fix.** y\n\n````yaml\n```\nk: v\n````\n",
    );
    expect([...doc.keys()]).toEqual(["a"]);
    expect(doc.get("a")!.fixBlocks).toEqual(["```\nk: v"]);
    expect(doc.get("a")!.prose.filter((l) => l.startsWith("**"))).toEqual(["**Why.** x", "**Fix.** y"]);
  });
});

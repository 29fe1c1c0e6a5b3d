// `npm run bench:people`: generates a repository of 10,000 commits, 500 of which touch DevOps files (the lead
// fixture's files, added one by one, then edited, with a few deletions and restorations), the others editing
// a 3,000-file source tree; then times `devops-ladder people` on it, in a fresh process, a few times.
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";

const COMMITS = Number(process.env.BENCH_COMMITS ?? 10_000);
const DEVOPS = Number(process.env.BENCH_DEVOPS ?? 500);
const SOURCE_FILES = 3000;
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const LEAD = new URL("../fixtures/repos/lead/", import.meta.url).pathname;
const PEOPLE = Array.from({ length: 25 }, (_, i) => `Person ${i} <person${i}@example.com>`);

function listFiles(dir) {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => relative(dir, join(d.parentPath, d.name)))
    .sort();
}

/** A line a file of this kind ignores, so that an edit changes its text but not what it means. */
function comment(path, n) {
  if (path.endsWith(".json")) return undefined;
  if (path.endsWith(".md")) return `\nRevision ${n}.\n`;
  if (path.endsWith(".js")) return `// revision ${n}\n`;
  return `# revision ${n}\n`;
}

export function generateHistory(dir) {
  const marker = join(dir, "complete");
  if (existsSync(marker)) return dir;
  rmSync(dir, { recursive: true, force: true });
  execFileSync("git", ["init", "-q", "--bare", "-b", "main", dir]);
  const devopsFiles = listFiles(LEAD).filter((p) => p !== "src/server.js" && p !== "package.json");
  const texts = new Map(devopsFiles.map((p) => [p, readFileSync(join(LEAD, p), "utf8")]));
  const chunks = [];
  const data = (text) => `data ${Buffer.byteLength(text)}\n${text}\n`;
  const devopsEvery = Math.floor(COMMITS / DEVOPS);
  let time = Date.parse("2020-01-01T00:00:00Z") / 1000;
  let devopsDone = 0;
  const present = new Set();
  for (let i = 0; i < COMMITS; i++) {
    time += 3600;
    const devops = i % devopsEvery === devopsEvery - 1 && devopsDone < DEVOPS;
    const author = PEOPLE[(i * 7) % PEOPLE.length];
    let message = `change ${i}`;
    const edits = [];
    if (i === 0) {
      for (let f = 0; f < SOURCE_FILES; f++)
        edits.push(`M 100644 inline src/pkg${f % 30}/mod${f % 7}/file${f}.ts\n${data(`export const v${f} = ${f};\n`)}`);
      edits.push(`M 100644 inline package.json\n${data('{ "name": "bench", "dependencies": { "pg": "^8.0.0" } }\n')}`);
    } else if (devops) {
      const n = devopsDone++;
      if (n < devopsFiles.length) {
        const path = devopsFiles[n];
        present.add(path);
        edits.push(`M 100644 inline ${path}\n${data(texts.get(path))}`);
        message = `Add ${path}\n\nCo-authored-by: ${PEOPLE[(n * 3 + 1) % PEOPLE.length]}`;
      } else if (n % 100 === 50) {
        present.delete("monitoring/alerts.yml");
        edits.push("D monitoring/alerts.yml\n");
        message = "Remove the alert rules";
      } else if (n % 100 === 51) {
        present.add("monitoring/alerts.yml");
        edits.push(`M 100644 inline monitoring/alerts.yml\n${data(texts.get("monitoring/alerts.yml"))}`);
        message = "Bring the alert rules back";
      } else {
        const editable = [...present].filter((p) => comment(p, 0));
        const path = editable[n % editable.length];
        texts.set(path, texts.get(path) + comment(path, n));
        edits.push(`M 100644 inline ${path}\n${data(texts.get(path))}`);
        message = `Tune ${path}`;
      }
    } else {
      const f = (i * 31) % SOURCE_FILES;
      edits.push(`M 100644 inline src/pkg${f % 30}/mod${f % 7}/file${f}.ts\n${data(`export const v${f} = ${i};\n`)}`);
    }
    chunks.push(
      `commit refs/heads/main\nmark :${i + 1}\nauthor ${author} ${time} +0000\ncommitter ${author} ${time} +0000\n`,
    );
    chunks.push(data(message));
    if (i > 0) chunks.push(`from :${i}\n`);
    chunks.push(`${edits.join("")}\n`);
  }
  execFileSync("git", ["--git-dir", dir, "fast-import", "--quiet"], {
    input: chunks.join(""),
    maxBuffer: 1 << 30,
  });
  writeFileSync(marker, `${COMMITS} commits, ${devopsDone} DevOps\n`);
  return dir;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

if (import.meta.url === `file://${process.argv[1]}`) {
  const dir = generateHistory(join(tmpdir(), `devops-ladder-bench-history-${COMMITS}-${DEVOPS}`));
  const runs = [];
  let doc;
  for (let r = 0; r < RUNS; r++) {
    const started = performance.now();
    const out = execFileSync(process.execPath, ["dist/cli.js", "people", dir, "--format", "json"], {
      encoding: "utf8",
      maxBuffer: 1 << 28,
    });
    runs.push(performance.now() - started);
    doc = JSON.parse(out);
  }
  console.log(
    `${doc.stats.commits} commits, ${doc.stats.scanned} scanned: wall median ${(median(runs) / 1000).toFixed(1)} s ` +
      `(runs: ${runs.map((ms) => (ms / 1000).toFixed(1)).join(", ")} s); ` +
      `${doc.people.length} people, ${doc.credits.length} credits, ${doc.regressions.length} regressions; ` +
      `levels: ${JSON.stringify(Object.fromEntries(["junior", "senior", "lead"].map((l) => [l, doc.people.filter((p) => p.level === l).length])))}`,
  );
}

// `npm run corpus [-- --json] [-- --only owner/name[,owner/name…]]`: scans each repository of the field corpus at its judged
// commit and compares the scanner with the reader's judgements (field/repos/*.yml). The snapshots are bare git
// directories under /work/.mirror/<owner>+<name>/ (or $CORPUS_MIRRORS); a missing one is reported and skipped.
// CI never runs this: the snapshots are not in the repository, only their names, commits and the judgements.
import { execFileSync } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import { compareRepo, formatText, impliedLevel, summarize } from "./corpus-summary.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const judgementsDir = join(root, "field", "repos");
const mirrors = process.env.CORPUS_MIRRORS ?? "/work/.mirror";

const args = process.argv.slice(2);
const asJson = args.includes("--json");
const only = args.includes("--only") ? args[args.indexOf("--only") + 1]?.split(",") : undefined;

// The first git directory (a folder with HEAD and objects/) at most three levels under dir.
function findGitDir(dir, depth = 0) {
  if (existsSync(join(dir, "HEAD")) && existsSync(join(dir, "objects"))) return dir;
  if (depth === 3) return undefined;
  for (const name of readdirSync(dir)) {
    const sub = join(dir, name);
    if (!statSync(sub).isDirectory() || name === "objects" || name === "refs") continue;
    const found = findGitDir(sub, depth + 1);
    if (found) return found;
  }
  return undefined;
}

const git = (gitDir, args, input) =>
  execFileSync("git", ["--git-dir", gitDir, ...args], { input, encoding: "utf8", maxBuffer: 1 << 30 });

// Snapshots lack their largest blobs (and LFS content): list the commit's blobs that are absent, so that
// the export leaves them out instead of failing.
function missingPaths(gitDir, commit) {
  const entries = git(gitDir, ["ls-tree", "-r", "-z", commit])
    .split("\0")
    .filter(Boolean)
    .map((line) => {
      const [, type, oid] = line.slice(0, line.indexOf("\t")).split(" ");
      return { type, oid, path: line.slice(line.indexOf("\t") + 1) };
    })
    .filter((e) => e.type === "blob");
  const checked = git(gitDir, ["cat-file", "--batch-check"], `${entries.map((e) => e.oid).join("\n")}\n`).split("\n");
  return entries.filter((_, i) => checked[i]?.endsWith(" missing")).map((e) => e.path);
}

// `export-ignore` in a repository's own .gitattributes drops files from `git archive` (getsentry/self-hosted leaves
// out .github/ and .craft.yml), but the scanner reads the tree as a checkout has it: the archive is made from a
// scratch git directory that borrows the snapshot's objects and whose info/attributes, read before the tree's
// own, turns export-ignore and export-subst off.
function exportCommit(gitDir, commit) {
  const into = mkdtempSync(join(tmpdir(), "devops-ladder-corpus-"));
  const scratch = mkdtempSync(join(tmpdir(), "devops-ladder-corpus-git-"));
  const excludes = missingPaths(gitDir, commit).map((p) => `:(exclude,literal)${p}`);
  try {
    execFileSync("git", ["init", "--bare", "--quiet", scratch]);
    mkdirSync(join(scratch, "info"), { recursive: true });
    writeFileSync(join(scratch, "info", "attributes"), "* -export-ignore -export-subst\n");
    writeFileSync(join(scratch, "objects", "info", "alternates"), `${resolve(gitDir, "objects")}\n`);
    execFileSync(
      "bash",
      [
        "-o",
        "pipefail",
        "-c",
        'git --git-dir="$1" archive "$2" -- . "${@:4}" | tar -x -C "$3"',
        "export",
        scratch,
        commit,
        into,
        ...excludes,
      ],
      { stdio: ["ignore", "ignore", "pipe"] },
    );
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  return into;
}

const judgements = readdirSync(judgementsDir)
  .filter((f) => f.endsWith(".yml"))
  .sort()
  .map((f) => parse(readFileSync(join(judgementsDir, f), "utf8")))
  .filter((j) => !only || only.includes(j.repo));

const { scan } = await import("../dist/engine/index.js");
const { localSnapshot } = await import("../dist/sources/local.js");

const rows = [];
const skipped = [];
for (const judgement of judgements) {
  if (impliedLevel(judgement) !== judgement.level) {
    console.error(
      `${judgement.repo}: judged level ${judgement.level}, but its milestones imply ${impliedLevel(judgement)}`,
    );
  }
  const mirror = join(mirrors, judgement.repo.replace("/", "+"));
  const gitDir = existsSync(mirror) ? findGitDir(mirror) : undefined;
  if (!gitDir) {
    skipped.push(judgement.repo);
    if (!asJson) console.error(`skipped ${judgement.repo}: no snapshot under ${mirror}`);
    continue;
  }
  const dir = exportCommit(gitDir, judgement.commit);
  try {
    const report = await scan(localSnapshot(dir));
    rows.push(compareRepo(report, judgement));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const summary = summarize(rows);
if (asJson) console.log(JSON.stringify({ rows, summary, skipped }, null, 2));
else console.log(formatText(rows, summary));

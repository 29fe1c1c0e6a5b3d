// `devops-ladder people [DIR]`: replays a git history with no checkout and prints each person's DevOps ladder.
// Wiring only: git changes (src/sources/git-changes.ts) → the engine → the credit model → a renderer.
import { existsSync, statSync, writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { CONFIG_PATH, DEFAULT_CONFIG, type LoadedConfig, parseConfig, peopleSettings } from "./config/config.js";
import type { Analyzer } from "./engine/analyzer.js";
import { engineParts } from "./engine/index.js";
import { candidateTest, memoizeAnalyzers } from "./engine/memo.js";
import type { Report } from "./engine/report.js";
import { scanSnapshot } from "./engine/scan.js";
import type { Snapshot } from "./engine/snapshot.js";
import { ladders } from "./people/ladder.js";
import { replayHistory } from "./people/replay.js";
import { type PeopleView, renderPeopleJson, renderPeopleMarkdown, renderPeopleText } from "./report/people.js";
import { GitError, readFileAt } from "./sources/git.js";
import { gitChanges } from "./sources/git-changes.js";

export const PEOPLE_USAGE = `Usage: devops-ladder people [DIR] [options]
  Replays the git history of DIR (default: .; a checkout or a bare repository) and prints each person's
  DevOps ladder: the milestones and signals their changes earned, where and when.

Options:
  --since DATE                  only changes after DATE (the tree before is the baseline), e.g. 2024-01-01
  --format text|json|markdown   output format (default: text); json follows schema/people.schema.json
  --output FILE                 write to FILE instead of stdout
  -h, --help                    show this help`;

const FORMATS = ["text", "json", "markdown"] as const;

export class PeopleUsageError extends Error {}

/** Runs the command; returns the exit code (2 for a usage error, thrown as PeopleUsageError). */
export async function peopleCommand(argv: string[], stderr: NodeJS.WriteStream = process.stderr): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        since: { type: "string" },
        format: { type: "string" },
        output: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    });
  } catch (err) {
    throw new PeopleUsageError((err as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(`${PEOPLE_USAGE}\n`);
    return 0;
  }
  if (positionals.length > 1) throw new PeopleUsageError(`people takes one folder (got ${positionals.length})`);
  const format = values.format ?? "text";
  if (!(FORMATS as readonly string[]).includes(format))
    throw new PeopleUsageError(`--format must be one of ${FORMATS.join(", ")} (got "${format}")`);
  const dir = positionals[0] ?? ".";
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new PeopleUsageError(`${dir}: no such directory`);
  if (values.since !== undefined && Number.isNaN(Date.parse(values.since)))
    throw new PeopleUsageError(`--since must be a date such as 2024-01-01 (got "${values.since}")`);

  const started = performance.now();
  const parts = engineParts();
  const scanParts = { ...parts, analyzers: memoizeAnalyzers(parts.analyzers) };
  // who is left out is the repository's current choice: its config at the head
  const headConfig = await readFileAt(dir, "HEAD", CONFIG_PATH).catch((err: unknown) => {
    if (err instanceof GitError)
      throw new PeopleUsageError(`${dir} is not a git repository with commits (${err.message})`);
    throw err;
  });
  const settings = peopleSettings(headConfig === undefined ? DEFAULT_CONFIG : parseConfig(headConfig).config);
  if (!settings) {
    stderr.write(`devops-ladder: people's ladders are turned off in ${CONFIG_PATH} (people: false or credit: off)\n`);
    return 0;
  }
  const progress = progressBar(stderr);
  const history = await gitChanges(dir, {
    since: values.since,
    isCandidate: candidateTest(parts.analyzers),
    policy: settings,
    onProgress: progress.update,
  });
  try {
    const configs = configReader();
    const matches = new Map<string, Analyzer[] | null>();
    const scan = async (snapshot: Snapshot): Promise<Report> => {
      const loaded = await configs(snapshot);
      return scanSnapshot(snapshot, scanParts, {
        config: loaded?.config,
        configFindings: loaded?.findings,
        configSource: loaded?.source,
        matches,
      });
    };
    const result = await replayHistory(history.baseline, history.changes, scan, { policy: settings });
    progress.done();
    const view: PeopleView = {
      tool: parts.tool,
      source: dir,
      head: history.head,
      ...(values.since ? { since: values.since } : {}),
      ladders: ladders(result.credits, parts.rules.levels),
      credits: result.credits,
      regressions: result.regressions,
      levels: parts.rules.levels,
      stats: { commits: history.total, scanned: result.scanned, durationMs: Math.round(performance.now() - started) },
    };
    const rendered =
      format === "json"
        ? renderPeopleJson(view)
        : format === "markdown"
          ? renderPeopleMarkdown(view)
          : renderPeopleText(view);
    if (values.output) writeFileSync(values.output, rendered);
    else process.stdout.write(rendered);
    return 0;
  } finally {
    progress.done();
    history.close();
  }
}

/** The config of each snapshot, parsed once per distinct text. */
function configReader(): (snapshot: Snapshot) => Promise<LoadedConfig | undefined> {
  let last: { text: string; loaded: LoadedConfig } | undefined;
  return async (snapshot) => {
    const result = (await snapshot.read([CONFIG_PATH], DEFAULT_CONFIG.max_file_size)).get(CONFIG_PATH);
    if (!result || !("content" in result)) return undefined;
    const text = typeof result.content === "string" ? result.content : Buffer.from(result.content).toString("utf8");
    if (last?.text !== text) last = { text, loaded: parseConfig(text, CONFIG_PATH) };
    return last.loaded;
  };
}

/** A bar on stderr when it is a terminal, redrawn at most ten times a second; nothing otherwise. */
function progressBar(stream: NodeJS.WriteStream): {
  update: (walked: number, total: number, scanned: number) => void;
  done: () => void;
} {
  if (!stream.isTTY) return { update: () => undefined, done: () => undefined };
  let drawn = 0;
  let shown = false;
  return {
    update(walked, total, scanned) {
      const now = Date.now();
      if (now - drawn < 100 && walked < total) return;
      drawn = now;
      shown = true;
      const width = 30;
      const share = total === 0 ? 1 : walked / total;
      const filled = Math.round(share * width);
      stream.write(
        `\r${"█".repeat(filled)}${"░".repeat(width - filled)} ${Math.floor(share * 100)}% ` +
          `${walked}/${total} commits, ${scanned} DevOps changes scanned`,
      );
    },
    done() {
      if (shown) stream.write("\r\x1b[K");
      shown = false;
    },
  };
}

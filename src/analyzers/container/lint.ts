// dockerfilelint, run without touching the disk, its results turned into findings.
import { lazyLibrary } from "../lazy-library.js";

const dockerfilelint = lazyLibrary("dockerfilelint", async () => (await import("dockerfilelint")).default);

/** Loads dockerfilelint (about 40 ms), once per process: part of the Dockerfile analyzer's `prepare`. */
export const loadDockerfileLint = dockerfilelint.load;

import type { Finding, Severity } from "../../engine/types.js";

/**
 * Its rules replaced by our own, better informed ones: it reads `FROM builder`, `FROM --platform=… node:20`
 * and `FROM scratch AS x` as untagged images. docker/unpinned-base-image knows stages, flags and ARGs.
 */
const REPLACED = new Set(["missing_tag", "latest_tag"]);

/** Its categories, as severities: a likely bug fails the build or misbehaves; the rest is advice. */
const CATEGORY_SEVERITY: Record<string, Severity> = {
  "Possible Bug": "error",
  Deprecation: "warning",
  Optimization: "note",
  Clarity: "note",
};

/** Rules whose category overstates them: the image still builds and runs. */
const SEVERITY_OVERRIDES: Record<string, Severity> = {
  sudo_usage: "warning",
  label_invalid: "warning",
};

const REMEDIATION: Record<string, string> = {
  required_params: "Give the instruction its arguments, or delete the line.",
  uppercase_commands: "Write the instruction in upper case, e.g. `RUN`, not `run`.",
  from_first: "Start the Dockerfile with `FROM` (only `ARG` may come before it).",
  invalid_line: "Fix or delete the line: it is not a Dockerfile instruction.",
  sudo_usage: "Drop `sudo`: RUN already runs as root until a USER line; switch users with `USER` or `gosu`.",
  "apt-get_missing_param":
    "Add `-y` so that apt-get does not wait for an answer: `apt-get install -y --no-install-recommends curl`.",
  "apt-get_recommends": "Add `--no-install-recommends`: `apt-get install -y --no-install-recommends curl`.",
  "apt-get-upgrade": "Drop `apt-get upgrade`; use a newer base image tag instead.",
  "apt-get-dist-upgrade": "Drop `apt-get dist-upgrade`; use a newer base image tag instead.",
  "apt-get-update_require_install":
    "Run `apt-get update` in the same RUN as `apt-get install`: `RUN apt-get update && apt-get install -y …`.",
  "apt-get_missing_rm": "Remove the package lists in the same RUN: `… && rm -rf /var/lib/apt/lists/*`.",
  "apkadd-missing_nocache_or_updaterm":
    "Use `apk add --no-cache …` so that the package index does not stay in the image.",
  "apkadd-missing-virtual": "Group temporary packages: `apk add --virtual .build-deps gcc … && apk del .build-deps`.",
  invalid_port: "EXPOSE a port number from 1 to 65535, optionally with /tcp or /udp.",
  invalid_command: "Fix the instruction name: it is not a Dockerfile instruction.",
  expose_host_port:
    "EXPOSE only the container port (`EXPOSE 8080`); map host ports with `docker run -p` or compose `ports:`.",
  label_invalid: 'Write labels as key=value: `LABEL org.opencontainers.image.source="https://…"`.',
  extra_args: "Remove the extra arguments: the instruction takes one.",
  missing_args: "Add the missing arguments.",
  "deprecated_in_1.13": 'Replace `MAINTAINER` with `LABEL org.opencontainers.image.authors="name@example.com"`.',
  add_src_invalid: "ADD only files inside the build context (no `..`, no absolute paths).",
  add_dest_invalid: "End the destination with `/` when ADD copies several files or a wildcard.",
  invalid_workdir: "Quote a WORKDIR that contains spaces, or remove the spaces.",
  invalid_format: "Fix the instruction's format (see the Dockerfile reference).",
  healthcheck_options_missing_args: "Give each HEALTHCHECK option a value, e.g. `--interval=30s`.",
};

export interface LintItem {
  line: number;
  rule: string;
  title: string;
  category?: string;
}

/** An instruction's first and last line, 1-based, its keyword and `--name=value` flags (from dockerfile-ast). */
export interface LineSpan {
  start: number;
  end: number;
  keyword?: string;
  flags?: readonly { name: string; value: string | null }[];
  args?: readonly string[];
}

/** Go durations, as Docker reads HEALTHCHECK times: `30s`, `1m30s`, `500ms`. */
const DURATION = /^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/;
const HEALTHCHECK_OPTIONS: Record<string, RegExp> = {
  interval: DURATION,
  timeout: DURATION,
  "start-period": DURATION,
  "start-interval": DURATION,
  retries: /^\d+$/,
};

/**
 * dockerfilelint 1.8 knows only --interval, --timeout and --retries, and calls any other HEALTHCHECK option an
 * invalid format. Its result is dropped when every option is one Docker accepts, with a well-formed value.
 */
function healthcheckOptionsValid(span: LineSpan | undefined): boolean {
  if (span?.keyword?.toUpperCase() !== "HEALTHCHECK" || !span.flags?.length) return false;
  return span.flags.every((f) => HEALTHCHECK_OPTIONS[f.name]?.test(f.value ?? "") ?? false);
}

/** A port, a range (`8000-8010`) or a build variable (`$PORT`, `${PORT:-80}`), each with an optional protocol. */
const EXPOSED = /^(?:\d+(?:-\d+)?|\$\w+|\$\{[^}]+\})(?:\/(?:tcp|udp|sctp))?$/i;

/** dockerfilelint 1.8 calls `EXPOSE $PORT` and port ranges invalid; Docker expands the variable at build time. */
function exposeValid(span: LineSpan | undefined): boolean {
  if (span?.keyword?.toUpperCase() !== "EXPOSE" || !span.args?.length) return false;
  return span.args.every((arg) => {
    if (!EXPOSED.test(arg)) return false;
    return (
      arg.startsWith("$") ||
      arg
        .split("/")[0]!
        .split("-")
        .every((n) => Number(n) >= 1 && Number(n) <= 65535)
    );
  });
}

/** dockerfilelint wants `MAINTAINER name <email>`; Docker takes any text (deprecated_in_1.13 still says to replace it). */
function freeTextMaintainer(span: LineSpan | undefined): boolean {
  return span?.keyword?.toUpperCase() === "MAINTAINER" && (span.args?.length ?? 0) > 0;
}

/**
 * Runs dockerfilelint on the text. Items on lines where no instruction starts come from heredoc bodies
 * that dockerfilelint reads as instructions, and are dropped.
 */
export function lintDockerfile(path: string, text: string, instructions: readonly LineSpan[]): Finding[] {
  const byStart = new Map(instructions.map((i) => [i.start, i]));
  const findings: Finding[] = [];
  for (const item of runResilient(text, instructions)) {
    if (REPLACED.has(item.rule) || !byStart.has(item.line)) continue;
    if (item.rule === "invalid_format" && healthcheckOptionsValid(byStart.get(item.line))) continue;
    if (item.rule === "invalid_port" && exposeValid(byStart.get(item.line))) continue;
    if (item.rule === "missing_args" && freeTextMaintainer(byStart.get(item.line))) continue;
    findings.push({
      path,
      line: item.line,
      severity: SEVERITY_OVERRIDES[item.rule] ?? CATEGORY_SEVERITY[item.category ?? ""] ?? "warning",
      rule: `dockerfile/${item.rule}`,
      message: item.title,
      remediation: REMEDIATION[item.rule] ?? "See the dockerfilelint rule reference.",
    });
  }
  return findings;
}

/**
 * dockerfilelint throws on some valid instructions (a HEALTHCHECK without options, in 1.8.0), losing every
 * result. Then each instruction is tried alone; those that throw are blanked (lines kept) and the file runs again.
 */
function runResilient(text: string, instructions: readonly LineSpan[]): LintItem[] {
  try {
    return run(text);
  } catch {
    const lines = text.split("\n");
    for (const span of instructions) {
      const alone = [...Array(span.start - 1).fill(""), ...lines.slice(span.start - 1, span.end)].join("\n");
      try {
        run(alone);
      } catch {
        for (let i = span.start - 1; i < span.end; i++) lines[i] = "";
      }
    }
    return run(lines.join("\n"));
  }
}

function run(text: string): LintItem[] {
  // dockerfilelint looks for a .dockerfilelintrc in the folder it is given; a NUL byte makes that
  // lookup fail in argument checking, before any file system call, so the analyzer stays pure.
  return dockerfilelint.get().run("\0", text) as LintItem[];
}

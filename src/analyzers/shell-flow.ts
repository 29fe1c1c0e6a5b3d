// What the command facts cannot say: when a command runs (only after something failed?) and where its
// output goes (to /dev/null?). Walks the shared shell parser's syntax tree (tree-sitter-bash) in the same parse
// as the commands (parseShell's `flow` option), and keeps only what the backup and rollback detectors ask about.
import type { Node } from "web-tree-sitter";
import type { FlowCommand, ShellFlowFact } from "../facts/commands.js";
import { withShellTree } from "./shell-parse.js";

export type { FlowCommand };

export interface ShellFlow {
  commands: FlowCommand[];
  /** the text did not parse: nothing can be said about it */
  error?: boolean;
}

/** Filters that pass data through: a dump piped through them ends where they write. */
const FILTERS = new Set([
  "gzip",
  "pigz",
  "zstd",
  "xz",
  "bzip2",
  "lz4",
  "cat",
  "pv",
  "gpg",
  "openssl",
  "age",
  "base64",
  "buffer",
  "mbuffer",
]);
const TESTS = new Set(["test_command", "[", "[["]);
const EXIT_STATUS_FAILED = /\$\{?\?\}?"?\s*(-ne|!=|-gt)\s*"?0\b|\b0"?\s*(-ne|!=|-lt)\s*"?\$\{?\?/;

export function shellFlow(text: string): ShellFlow {
  const commands = withShellTree(text, flowOfTree);
  return commands ? { commands } : { commands: [], error: true };
}

/** The flow of a parsed text (lines 1-based in that text). */
export function flowOfTree(root: Node): FlowCommand[] {
  const found: FlowCommand[] = [];
  walk(root, { onFailure: false }, found);
  return found;
}

interface Scope {
  fn?: string;
  onFailure: boolean;
  /** line to report instead of the node's own (an ERR trap's handler text is parsed on its own) */
  line?: number;
}

function walk(node: Node, scope: Scope, out: FlowCommand[]): void {
  switch (node.type) {
    case "function_definition": {
      const [name, ...body] = named(node);
      for (const child of body) walk(child, { ...scope, fn: name?.text ?? scope.fn }, out);
      return;
    }
    case "if_statement":
      return walkIf(node, scope, out);
    case "list": {
      const [left, right] = named(node);
      const or = node.children.some((c) => c?.type === "||");
      if (left) walk(left, scope, out);
      if (right) walk(right, or && !isTest(left) && !isLookup(left) ? { ...scope, onFailure: true } : scope, out);
      return;
    }
    case "redirected_statement": {
      const [body, ...redirects] = named(node);
      const before = out.length;
      if (body) walk(body, scope, out);
      const files = redirects.filter((r) => r.type === "file_redirect");
      if (files.some(discards)) markDiscarded(out, before);
      if (files.some((r) => /^</.test(operator(r)))) for (const c of out.slice(before)) c.fed = true;
      return;
    }
    case "pipeline": {
      const stages = named(node);
      // `echo "SELECT 1" | psql` feeds a query, not a dump
      const literal = stages[0]?.type === "command" && /^(echo|printf)$/.test(named(stages[0])[0]?.text ?? "");
      stages.forEach((stage, i) => {
        const before = out.length;
        walk(stage, scope, out);
        if (i > 0 && !literal) for (const c of out.slice(before)) c.fed = true;
      });
      return;
    }
    case "command":
      return walkCommand(node, scope, out);
    case "command_substitution":
    case "process_substitution":
      return; // their output is a word of another command, not a step of the script
    default:
      for (const child of named(node)) walk(child, scope, out);
  }
}

function walkIf(node: Node, scope: Scope, out: FlowCommand[]): void {
  // children: `if` <condition…> `then` <body…> [elif_clause…] [else_clause] `fi` (fields are slow to query)
  const conditions: Node[] = [];
  const rest: Node[] = [];
  let inCondition = false;
  for (const child of node.children) {
    if (!child) continue;
    if (child.type === "if") inCondition = true;
    else if (child.type === "then") inCondition = false;
    else if (child.isNamed && child.type !== "comment") (inCondition ? conditions : rest).push(child);
  }
  for (const c of conditions) walk(c, scope, out);
  const only = conditions.length === 1 ? conditions[0]! : undefined;
  const negated = only?.type === "negated_command" && !named(only).some(isTest);
  const statusFailed = only !== undefined && isTest(only) && EXIT_STATUS_FAILED.test(only.text);
  // `if kubectl get deploy x; then …; else kubectl apply …; fi` installs what is missing: a lookup that finds
  // nothing is not a failed deploy
  const commandCondition =
    conditions.length > 0 && conditions.every((c) => !isTest(c) && !isLookup(c) && c.type !== "negated_command");
  for (const child of rest) {
    if (child.type === "elif_clause" || child.type === "else_clause") {
      // the else of `if deploy; then …` runs when the deploy failed; an elif's own then-branch is not judged
      walk(child, commandCondition && child.type === "else_clause" ? { ...scope, onFailure: true } : scope, out);
    } else {
      walk(child, negated || statusFailed ? { ...scope, onFailure: true } : scope, out);
    }
  }
}

function walkCommand(node: Node, scope: Scope, out: FlowCommand[]): void {
  const argv: string[] = [];
  for (const child of named(node)) {
    if (child.type === "command_name") argv.push((child.firstNamedChild ?? child).text);
    else if (child.type !== "variable_assignment" && !child.type.endsWith("redirect") && argv.length > 0)
      argv.push(child.text);
  }
  if (argv.length === 0) return;
  const line = scope.line ?? node.startPosition.row + 1;
  out.push({
    line,
    argv,
    ...(scope.fn ? { fn: scope.fn } : {}),
    onFailure: scope.onFailure,
    discarded: false,
    fed: false,
  });
  // `trap 'rollback' ERR`: the handler runs when a command fails
  if (argv[0] === "trap" && argv.length >= 3 && argv.slice(2).some((s) => /^(SIG)?ERR$/.test(unquote(s)))) {
    const handler = shellFlow(unquote(argv[1]!));
    for (const c of handler.commands) out.push({ ...c, line, ...(scope.fn ? { fn: scope.fn } : {}), onFailure: true });
  }
}

/** the redirect sends stdout to /dev/null (`> /dev/null`, `&> /dev/null`, `1>/dev/null`) */
function discards(redirect: Node): boolean {
  const parts = redirect.namedChildren.filter((c): c is Node => c !== null);
  const fd = parts.find((c) => c.type === "file_descriptor")?.text;
  const destination = parts.find((c) => c.type !== "file_descriptor")?.text;
  return (
    (fd === undefined || fd === "1") && /^(>|>>|>\||&>|&>>)$/.test(operator(redirect)) && destination === "/dev/null"
  );
}

/** Marks the last command written by the statement as discarded, and the commands whose data flows into it through filters. */
function markDiscarded(out: FlowCommand[], from: number): void {
  for (let i = out.length - 1; i >= from; i--) {
    const c = out[i]!;
    c.discarded = true;
    if (!c.fed || !FILTERS.has(c.argv[0]!.replace(/^.*\//, ""))) break;
  }
}

function operator(redirect: Node): string {
  return redirect.children.find((c) => c !== null && !c.isNamed)?.text ?? "";
}

function isTest(node: Node | undefined): boolean {
  if (!node) return false;
  if (TESTS.has(node.type)) return true;
  if (node.type === "command") {
    const name = node.firstNamedChild?.type === "command_name" ? node.firstNamedChild.text : undefined;
    return name === "[" || name === "test";
  }
  return false;
}

/** Read-only lookups whose "failure" means "not there yet": `kubectl get`, `helm status`, `command -v`, `aws … describe-*` … */
const LOOKUP_PROGRAMS = new Set(["command", "which", "type", "hash", "getent", "id", "pgrep"]);
const LOOKUP_SUBCOMMANDS: Record<string, RegExp> = {
  kubectl: /^(get|describe|auth|version|cluster-info|config|wait)$/,
  oc: /^(get|describe|whoami|version|project|projects)$/,
  helm: /^(status|list|ls|get|history|search|show|repo)$/,
  docker: /^(inspect|ps|images|image|volume|network|info|version)$/,
  podman: /^(inspect|ps|images|image|volume|network|info|version|container)$/,
  systemctl: /^(is-active|is-enabled|is-failed|status|cat|show)$/,
  gcloud: /^(describe|list)$/,
  az: /^(show|list|exists)$/,
  aws: /^(describe-|get-|list-|head-|ls$)/,
  grep: /^-\w*q/,
};

function isLookup(node: Node | undefined): boolean {
  if (!node) return false;
  if (node.type === "redirected_statement") return isLookup(named(node)[0]);
  if (node.type !== "command") return false;
  const words = named(node)
    .filter((c) => c.type !== "variable_assignment" && !c.type.endsWith("redirect"))
    .map((c) => unquote(c.text));
  const program = words[0]?.replace(/^.*\//, "");
  if (!program) return false;
  if (LOOKUP_PROGRAMS.has(program)) return true;
  const sub = LOOKUP_SUBCOMMANDS[program];
  return sub !== undefined && words.slice(1).some((w) => sub.test(w));
}

function named(node: Node): Node[] {
  return node.namedChildren.filter((c): c is Node => c !== null);
}

function unquote(word: string): string {
  return word.length >= 2 && (word[0] === "'" || word[0] === '"') && word.at(-1) === word[0] ? word.slice(1, -1) : word;
}

/**
 * The shellFlow fact of a text parsed with `{ flow: true }` that begins at file line `line`. `oneLine` puts
 * every command at that line, as the command facts of a one-line text do (an npm script, a crontab entry).
 */
export function flowFact(
  where: Omit<ShellFlowFact, "commands">,
  flow: readonly FlowCommand[],
  options: { oneLine?: boolean; word?: (w: string) => string } = {},
): ShellFlowFact {
  return {
    ...where,
    commands: flow.map((f) => ({
      ...f,
      line: options.oneLine ? where.line : where.line + f.line - 1,
      ...(options.word ? { argv: f.argv.map(options.word) } : {}),
    })),
  };
}

// Shell text → the simple commands it runs, with lines. Shared by every analyzer that meets shell
// (scripts, Makefile recipes, CI run steps, container commands). Uses mvdan-sh, a real POSIX/Bash parser.
import sh from "mvdan-sh";

export interface ShellCommand {
  /** 1-based line in the text that was parsed */
  line: number;
  /** literal words; a non-literal word keeps its source text (e.g. "\"$DB_URL\"") */
  argv: string[];
  /** the command is inside a function of that name */
  fn?: string;
}

export interface ParsedShell {
  commands: ShellCommand[];
  /** names of the functions the text defines */
  functions: string[];
  error?: { line: number; column: number; message: string };
  /** with `{ details: true }` only: the structure some analyzers need beyond the commands */
  details?: ShellDetails;
}

export interface ShellDetails {
  /** `case WORD in p1|p2) …`: the word as written and the literal patterns */
  cases: { subject: string; patterns: string[]; line: number }[];
  /** `NAME=value` (also after export/local/readonly) with the value as written */
  assignments: { name: string; value: string; line: number }[];
  /** `[[ left == right ]]`, `[[ left != right ]]` and friends, as written */
  comparisons: { left: string; op: string; right: string; line: number }[];
  /** `NAME=value cmd …`: assignments that prefix a command, by the command's line */
  prefixes: { line: number; assigns: string[] }[];
}

interface ShNode {
  Pos(): { Line(): number; Offset(): number };
  End(): { Offset(): number };
  Lit?(): string;
  Args?: ShNode[];
  Name?: { Value: string };
  Body?: ShNode;
  Word?: ShNode;
  Items?: { Patterns: ShNode[] }[];
  Value?: ShNode | null;
  Assigns?: ShNode[];
  X?: ShNode;
  Y?: ShNode;
}

const syntax = (sh as unknown as { syntax: ShSyntax }).syntax;
interface ShSyntax {
  NewParser(...options: unknown[]): { Parse(src: string, name: string): ShNode };
  Walk(node: ShNode, fn: (node: ShNode | null) => boolean): void;
  NodeType(node: ShNode): string;
  KeepComments?: unknown;
}

/** Parses shell text. Never throws: a syntax error comes back in `error` with its line. */
export function parseShell(text: string, name = "script.sh", options: { details?: boolean } = {}): ParsedShell {
  const parser = syntax.NewParser();
  let file: ShNode;
  try {
    file = parser.Parse(text, name);
  } catch (err) {
    return { commands: [], functions: [], error: shellError(err) };
  }
  const bytes = Buffer.from(text, "utf8");
  const commands: ShellCommand[] = [];
  const functions: string[] = [];
  const fnRanges: { name: string; start: number; end: number }[] = [];
  const details: ShellDetails | undefined = options.details ? { cases: [], assignments: [], comparisons: [], prefixes: [] } : undefined;
  const source = (w: ShNode) => w.Lit?.() || bytes.subarray(w.Pos().Offset(), w.End().Offset()).toString("utf8");
  syntax.Walk(file, (node) => {
    if (!node) return true;
    const type = syntax.NodeType(node);
    if (details) collectDetails(node, type, source, details);
    if (type === "FuncDecl" && node.Name) {
      functions.push(node.Name.Value);
      fnRanges.push({ name: node.Name.Value, start: node.Pos().Offset(), end: node.End().Offset() });
    } else if (type === "CallExpr" && node.Args && node.Args.length > 0) {
      const offset = node.Pos().Offset();
      const fn = fnRanges.find((r) => offset >= r.start && offset < r.end)?.name;
      commands.push({
        line: node.Pos().Line(),
        argv: node.Args.map((w) => w.Lit?.() || bytes.subarray(w.Pos().Offset(), w.End().Offset()).toString("utf8")),
        ...(fn ? { fn } : {}),
      });
    }
    return true;
  });
  return details ? { commands, functions, details } : { commands, functions };
}

function collectDetails(node: ShNode, type: string, source: (w: ShNode) => string, out: ShellDetails): void {
  const line = node.Pos().Line();
  if (type === "CaseClause" && node.Word && node.Items) {
    out.cases.push({ subject: source(node.Word), patterns: node.Items.flatMap((item) => item.Patterns.map(source)), line });
  } else if (type === "Assign" && node.Name) {
    out.assignments.push({ name: node.Name.Value, value: node.Value ? source(node.Value) : "", line });
  } else if (type === "BinaryTest" && node.X && node.Y) {
    // the operator is a token number in mvdan-sh; read it from the text between the operands instead
    const whole = source(node);
    const left = source(node.X);
    const right = source(node.Y);
    const op = whole.slice(left.length, whole.length - right.length).trim();
    out.comparisons.push({ left, op, right, line });
  } else if (type === "CallExpr" && node.Assigns && node.Assigns.length > 0 && node.Args && node.Args.length > 0) {
    out.prefixes.push({ line, assigns: node.Assigns.map(source) });
  }
}

function shellError(err: unknown): { line: number; column: number; message: string } {
  const text = typeof err === "object" && err !== null && "Error" in err && typeof (err as { Error: unknown }).Error === "function"
    ? String((err as { Error(): string }).Error())
    : err instanceof Error ? err.message : String(err);
  // mvdan-sh formats errors as "name:line:col: message"
  const match = /^[^:]*:(\d+):(\d+): (.*)$/s.exec(text);
  if (match) return { line: Number(match[1]), column: Number(match[2]), message: match[3]! };
  return { line: 1, column: 1, message: text };
}

/** The program of a command, without a leading `sudo`, `env VAR=x`, `exec`, `time` or path. */
export function programOf(argv: readonly string[]): { program: string; args: string[] } {
  let i = 0;
  while (i < argv.length) {
    const word = argv[i]!;
    if (word === "sudo" || word === "exec" || word === "time" || word === "nohup" || word === "command") i++;
    else if (word === "env") {
      i++;
      while (i < argv.length && (/^[A-Za-z_][A-Za-z0-9_]*=/.test(argv[i]!) || argv[i]!.startsWith("-"))) i++;
    } else break;
  }
  const program = (argv[i] ?? "").replace(/^.*\//, "");
  return { program, args: argv.slice(i + 1) };
}

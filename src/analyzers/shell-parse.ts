// Shell text → the simple commands it runs, with lines. Shared by every analyzer that meets shell
// (scripts, Makefile recipes, CI run steps, container commands). Uses tree-sitter-bash, the Bash grammar
// GitHub itself uses, through web-tree-sitter (WASM). It replaced mvdan-sh, which parsed the same scripts
// about six times slower (GopherJS): the engine parses hundreds of snippets per repository.
// The grammar loads on first need: analyzers that parse shell list `loadShellParser` in their `prepare`.
import type { Node, Parser } from "web-tree-sitter";
import { wasmPath } from "../assets.js";
import type { FlowCommand } from "../facts/commands.js";
import { lazyLibrary } from "./lazy-library.js";
import { flowOfTree } from "./shell-flow.js";

export interface ShellCommand {
  /** 1-based line in the text that was parsed */
  line: number;
  /** words as written: a plain word is its literal text, a quoted or expanded one keeps its quotes (e.g. "\"$DB_URL\"") */
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
  /** with `{ flow: true }` only: how each command runs (after a failure? into /dev/null?), from the same tree */
  flow?: FlowCommand[];
}

export interface ShellDetails {
  /** `case WORD in p1|p2) …`: the word as written and the literal patterns */
  cases: { subject: string; patterns: string[]; line: number }[];
  /** `NAME=value` (also after export/local/readonly, and before a command) with the value as written */
  assignments: { name: string; value: string; line: number }[];
  /** `[[ left == right ]]`, `[ left != right ]` and friends, as written */
  comparisons: { left: string; op: string; right: string; line: number }[];
  /** `NAME=value cmd …`: assignments that prefix a command, by the command's line */
  prefixes: { line: number; assigns: string[] }[];
  /** `while …; do …; done` and `until …`: the lines the loop spans; forever: `while true`, `while :` */
  loops: { line: number; end: number; forever: boolean }[];
}

// The grammar loads once per process (about 40 ms of CPU), before the first parse, so that parseShell stays
// synchronous. The engine awaits an analyzer's `prepare` before its first file; detectors that read shell again
// only see commands and scripts that such an analyzer emitted, so the parser is loaded by then.
const parser = lazyLibrary("the shell parser (tree-sitter-bash)", async (): Promise<Parser> => {
  const { Language, Parser } = await import("web-tree-sitter");
  await Parser.init();
  const loaded = new Parser();
  loaded.setLanguage(await Language.load(wasmPath("tree-sitter-bash/tree-sitter-bash.wasm")));
  return loaded;
});

/** Loads the Bash grammar, once per process: the `prepare` of every analyzer that parses shell. */
export const loadShellParser = parser.load;

/** Parses shell text. Never throws: a syntax error comes back in `error` with its line, and no commands. */
export function parseShell(
  text: string,
  _name = "script.sh",
  options: { details?: boolean; flow?: boolean } = {},
): ParsedShell {
  let tree = parser.get().parse(text);
  if (!tree) return { commands: [], functions: [], error: { line: 1, column: 1, message: "the shell parser gave up" } };
  if (tree.rootNode.hasError) {
    // constructs that bash accepts and the grammar does not (`$((0x${h}))`, `[ "$a" '<' "$b" ]`) hold no command:
    // neutralised, the rest of the script reads (the line numbers do not move)
    const plain = neutralised(text);
    const retry = plain === text ? null : parser.get().parse(plain);
    if (retry && !retry.rootNode.hasError) {
      tree.delete();
      tree = retry;
    } else retry?.delete();
  }
  try {
    const root = tree.rootNode;
    if (root.hasError) return { commands: [], functions: [], error: syntaxError(root) };
    const out: ParsedShell = { commands: [], functions: [] };
    const details: ShellDetails | undefined = options.details
      ? { cases: [], assignments: [], comparisons: [], prefixes: [], loops: [] }
      : undefined;
    visit(root, undefined, out, details);
    if (details) out.details = details;
    if (options.flow) out.flow = flowOfTree(root);
    return out;
  } finally {
    tree.delete();
  }
}

/**
 * The text with the insides of arithmetic (`$(( … ))`, `(( … ))`, not a C-style `for`) replaced by `0` and spaces,
 * and quoted `'<'`/`'>'` test operators by `=`, newlines kept: what tree-sitter-bash rejects there runs no command.
 */
export function neutralised(text: string): string {
  let out = "";
  let i = 0;
  while (i < text.length) {
    const at = text.indexOf("((", i);
    if (at < 0) break;
    const isFor = /\bfor\s*$/.test(text.slice(Math.max(0, at - 8), at));
    let depth = 2;
    let j = at + 2;
    while (j < text.length && depth > 0) {
      if (text[j] === "(") depth++;
      else if (text[j] === ")") depth--;
      j++;
    }
    if (depth > 0 || isFor) {
      out += text.slice(i, at + 2);
      i = at + 2;
      continue;
    }
    // text[at+2 .. j-2) is the expression
    const inner = text.slice(at + 2, j - 2).replace(/[^\n]/g, " ");
    out += `${text.slice(i, at + 2)}0${inner.slice(1)}))`;
    i = j;
  }
  out += text.slice(i);
  return out.replace(/(\s)(['"])[<>]\2(?=\s)/g, "$1 = ");
}

/** The syntax tree of shell text, for analyses beyond the commands (the tree is freed after `use`); undefined when it does not parse. */
export function withShellTree<T>(text: string, use: (root: Node) => T): T | undefined {
  const tree = parser.get().parse(text);
  if (!tree) return undefined;
  try {
    return tree.rootNode.hasError ? undefined : use(tree.rootNode);
  } finally {
    tree.delete();
  }
}

export interface Heredoc {
  /** 1-based line of the first line of the body */
  line: number;
  /** the body as written (expansions unexpanded), leading tabs removed for `<<-` */
  body: string;
  /** the program that reads it, e.g. `cat` */
  program: string;
  /** the command's output goes to a file (`cat > pipeline.yml <<EOF`), not to stdout or a pipe */
  toFile: boolean;
  /** that file, as written (`/opt/promtail/promtail.yaml`, `"$DIR/config.alloy"`) */
  target?: string;
  /** the delimiter is quoted (`<<'EOF'`): the body is literal; otherwise `\$`, `` \` `` and `\\` are escapes */
  quoted?: boolean;
}

/** The here-documents of shell text, in order (none when it does not parse). */
export function heredocs(text: string): Heredoc[] {
  const lines = text.split("\n");
  return (
    withShellTree(text, (root) => {
      const found: Heredoc[] = [];
      const visitNode = (node: Node) => {
        if (node.type === "redirected_statement") {
          const program = node.namedChildren.find((c) => c?.type === "command")?.childForFieldName("name")?.text ?? "";
          // `cat > f <<EOF` (a sibling redirect), or `cat <<EOF > f` (inside the here-document's redirect)
          const fileRedirect = [
            ...node.namedChildren,
            ...node.namedChildren.filter((c) => c?.type === "heredoc_redirect").flatMap((c) => c!.namedChildren),
          ].find((c) => c?.type === "file_redirect" && /^\d?>/.test(c.text));
          const toFile = fileRedirect !== undefined;
          const target = fileRedirect?.lastNamedChild?.text;
          for (const redirect of node.namedChildren) {
            if (redirect?.type !== "heredoc_redirect") continue;
            const body = redirect.namedChildren.find((c) => c?.type === "heredoc_body");
            const end = redirect.namedChildren.find((c) => c?.type === "heredoc_end");
            if (!body || !end) continue;
            const stripTabs = redirect.text.startsWith("<<-");
            const start = redirect.namedChildren.find((c) => c?.type === "heredoc_start");
            const bodyLines = lines
              .slice(body.startPosition.row, end.startPosition.row)
              .map((l) => (stripTabs ? l.replace(/^\t+/, "") : l));
            found.push({
              line: body.startPosition.row + 1,
              body: bodyLines.join("\n"),
              program,
              toFile,
              ...(target ? { target } : {}),
              ...(/^['"\\]/.test(start?.text ?? "") ? { quoted: true } : {}),
            });
          }
        }
        for (const child of node.namedChildren) if (child) visitNode(child);
      };
      visitNode(root);
      return found;
    }) ?? []
  );
}

function visit(node: Node, fn: string | undefined, out: ParsedShell, details: ShellDetails | undefined): void {
  const line = node.startPosition.row + 1;
  switch (node.type) {
    case "function_definition": {
      const name = node.childForFieldName("name")?.text;
      if (name) {
        out.functions.push(name);
        fn = name;
      }
      break;
    }
    case "command": {
      const argv: string[] = [];
      const assigns: string[] = [];
      for (const child of node.namedChildren) {
        if (!child) continue;
        if (child.type === "command_name") argv.push((child.firstNamedChild ?? child).text);
        else if (child.type === "variable_assignment") assigns.push(child.text);
        else if (!child.type.endsWith("redirect") && child.type !== "herestring_redirect" && argv.length > 0)
          argv.push(child.text);
      }
      if (argv.length > 0) out.commands.push(fn ? { line, argv, fn } : { line, argv });
      if (details && assigns.length > 0 && argv.length > 0) details.prefixes.push({ line, assigns });
      break;
    }
    case "variable_assignment":
      details?.assignments.push({
        name: node.childForFieldName("name")?.text ?? "",
        value: node.childForFieldName("value")?.text ?? "",
        line,
      });
      break;
    case "case_statement":
      details?.cases.push({
        subject: node.childForFieldName("value")?.text ?? "",
        patterns: node.namedChildren
          .filter((c): c is Node => c?.type === "case_item")
          .flatMap((item) =>
            item
              .childrenForFieldName("value")
              .filter((v): v is Node => v !== null)
              .map((v) => v.text),
          ),
        line,
      });
      break;
    case "while_statement": {
      const condition = (node.childForFieldName("condition")?.text ?? "").replace(/;\s*$/, "").trim();
      const forever = node.firstChild?.type === "while" && /^(true|:|\[\[? (1|true) \]\]?)$/.test(condition);
      details?.loops.push({ line, end: node.endPosition.row + 1, forever });
      break;
    }
    case "binary_expression":
      if (details && node.parent?.type === "test_command") {
        const left = node.childForFieldName("left");
        const right = node.childForFieldName("right");
        const op = node.childForFieldName("operator");
        if (left && right && op) details.comparisons.push({ left: left.text, op: op.text, right: right.text, line });
      }
      break;
  }
  for (const child of node.namedChildren) if (child) visit(child, fn, out, details);
}

function syntaxError(root: Node): { line: number; column: number; message: string } {
  const bad = firstError(root);
  if (!bad) return { line: 1, column: 1, message: "syntax error" };
  if (bad.isMissing) {
    // report where the unfinished construct starts (the `if`, the quote …), which is what a reader needs
    const owner = bad.parent ?? bad;
    return {
      line: owner.startPosition.row + 1,
      column: owner.startPosition.column + 1,
      message: `${owner.type.replace(/_/g, " ")} is missing "${bad.type}"`,
    };
  }
  const near = bad.text.split("\n")[0]!.slice(0, 40);
  return {
    line: bad.startPosition.row + 1,
    column: bad.startPosition.column + 1,
    message: near ? `syntax error near \`${near}\`` : "syntax error",
  };
}

function firstError(node: Node): Node | undefined {
  if (node.isMissing || node.isError) return node;
  for (const child of node.children) {
    if (child && (child.hasError || child.isMissing)) {
      const found = firstError(child);
      if (found) return found;
    }
  }
  return undefined;
}

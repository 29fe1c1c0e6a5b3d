// A tolerant reader of YAML written as a Go template (Helm chart templates, operator manifests, helmfile
// .gotmpl): the template actions `{{ … }}` are taken out before the YAML parser sees the text, so the YAML
// around them is read as it will render. Control actions become gates: the conditions (`if`, `with`,
// `range`) under which a document renders at all, to be judged later against the chart's values.
// Output actions become placeholders (`__tpl_3__`) whose expression is kept, to be resolved simply later.
import { parseYaml, type YamlDocument } from "../../engine/yaml.js";

/** A condition a document renders under: `if X` (negated in an `else`), `with X`, `range X` (X not empty). */
export interface TemplateGate {
  expr: string;
  negated: boolean;
}

export interface TemplateDoc extends YamlDocument {
  /** the conditions open where the document starts (conditions inside it are not judged) */
  gates: TemplateGate[];
}

export interface TemplateRead {
  docs: TemplateDoc[];
  /** placeholder → the expression of its output action (`.Values.replicaCount`), `.` bound by `with` resolved */
  placeholders: Record<string, string>;
  /** YAML errors of documents that did not read even without their actions (those documents are left out) */
  errors: { line: number; message: string }[];
}

const PLACEHOLDER = /^__tpl_\d+__$/;

export const isPlaceholder = (value: unknown): boolean => typeof value === "string" && PLACEHOLDER.test(value);

/** Whether a text holds Go-template actions at all (a cheap test before the tolerant reading). */
export function hasTemplateActions(text: string): boolean {
  return text.includes("{{") && text.includes("}}");
}

interface Action {
  start: number;
  end: number;
  /** the action's text without delimiters and trim markers */
  body: string;
}

/** The actions of a text, in order; quoted and raw strings inside an action may hold `}}`. */
function actionsOf(text: string): Action[] {
  const actions: Action[] = [];
  let i = text.indexOf("{{");
  while (i >= 0) {
    let j = i + 2;
    let quote: string | undefined;
    for (; j < text.length - 1; j++) {
      const c = text[j]!;
      if (quote) {
        if (c === "\\" && quote === '"') j++;
        else if (c === quote) quote = undefined;
      } else if (c === '"' || c === "`") quote = c;
      else if (c === "}" && text[j + 1] === "}") break;
    }
    if (j >= text.length - 1) break; // unterminated: the rest is text
    const body = text
      .slice(i + 2, j)
      .replace(/^-\s/, "")
      .replace(/\s-$/, "")
      .trim();
    actions.push({ start: i, end: j + 2, body });
    i = text.indexOf("{{", j + 2);
  }
  return actions;
}

interface Frame {
  kind: "if" | "with" | "range" | "define";
  /** the 0-based line where it opened */
  line: number;
  /** the gates of the current branch */
  gates: TemplateGate[];
  /** earlier branches' conditions (an `else` holds when all of them failed) */
  earlier: string[];
  /** what `.` stands for inside a `with` or `range` over a value */
  dot?: string;
}

const CONTROL = /^(if|else|with|range|end|define|block)\b\s*(.*)$/s;

/** Reads a Go-template YAML text: documents with their gates, and the placeholders' expressions. */
export function readTemplatedYaml(text: string): TemplateRead {
  const actions = actionsOf(text);
  const placeholders: Record<string, string> = {};
  const stack: Frame[] = [];
  const dotOf = () => [...stack].reverse().find((f) => f.dot !== undefined)?.dot;
  const inDefine = () => stack.some((f) => f.kind === "define");

  // the text with each action replaced by its placeholder (or nothing), newlines kept so lines do not move;
  // gatesAt[line] is what is open where a 0-based line starts (undefined inside a `define`)
  let rebuilt = "";
  let cursor = 0;
  let line = 0;
  const gatesAt: (TemplateGate[] | undefined)[] = [[]];
  const advance = (upTo: number) => {
    for (let k = text.indexOf("\n", cursor); k >= 0 && k < upTo; k = text.indexOf("\n", k + 1))
      gatesAt[++line] = inDefine() ? undefined : stack.flatMap((f) => f.gates);
  };
  let next = 0;
  // `kind: {{ if .x }}Secret{{ else }}ConfigMap{{ end }}`: on one line, only the first branch is kept
  let skipping: Frame | undefined;
  let trimNext = false;
  const append = (slice: string) => {
    let piece = skipping ? slice.replace(/[^\n]/g, "") : slice;
    if (trimNext) piece = piece.replace(/^[ \t]+/, ""); // `-}}` eats the spaces after it
    rebuilt += piece;
  };
  for (const action of actions) {
    advance(action.start);
    append(text.slice(cursor, action.start));
    cursor = action.start;
    const raw = text.slice(action.start, action.end);
    // `{{-` eats the spaces before it, when text precedes it on the line (indentation is left alone)
    // (never against a `key:` or a `- `, which need their space)
    if (raw.startsWith("{{-") && /[^\s:-][ \t]+$/.test(rebuilt.slice(rebuilt.lastIndexOf("\n") + 1)))
      rebuilt = rebuilt.replace(/[ \t]+$/, "");
    const control = CONTROL.exec(action.body);
    let replacement = "";
    if (control) {
      const word = control[1]!;
      const top = stack[stack.length - 1];
      if (word === "else" && top && top.line === line && !skipping) skipping = top;
      if (word === "end" && top && top === skipping) skipping = undefined;
      applyControl(stack, word, control[2]!.trim(), dotOf, line);
    } else if (!skipping && !action.body.startsWith("/*") && !/^\$\w*\s*:?=/.test(action.body)) {
      replacement = `__tpl_${next++}__`;
      placeholders[replacement] = withDot(action.body, dotOf());
    }
    const newlines = raw.split("\n").length - 1;
    rebuilt += replacement + "\n".repeat(newlines);
    for (let n = 0; n < newlines; n++) gatesAt[++line] = inDefine() ? undefined : stack.flatMap((f) => f.gates);
    if (newlines > 0) skipping = undefined;
    trimNext = raw.endsWith("-}}");
    cursor = action.end;
  }
  advance(text.length);
  append(text.slice(cursor));

  // a line made only of actions renders a block (labels, resources) where it stands: blank it, or, when it is
  // alone under a `key:` with nothing deeper after it, make it that key's value (`resources: __tpl_4__`)
  const clean = rebuilt.split("\n");
  const soleOutput: [number, string][] = [];
  for (let n = 0; n < clean.length; n++) {
    const l = clean[n]!;
    if (l.replace(/__tpl_\d+__/g, "").trim() !== "") continue;
    if (PLACEHOLDER.test(l.trim())) soleOutput.push([n, l.trim()]);
    clean[n] = "";
  }
  const indent = (s: string) => s.length - s.trimStart().length;
  for (const [n, name] of soleOutput) {
    let k = n - 1;
    while (k >= 0 && clean[k]!.trim() === "") k--;
    let j = n + 1;
    while (j < clean.length && clean[j]!.trim() === "") j++;
    const key = k >= 0 ? clean[k]! : "";
    if (!/^\s*(- )?[^#\s-][^#]*:\s*$/.test(key)) continue;
    const following = clean[j];
    // nothing deeper follows (a `- item` at the key's own column is the key's value too)
    const shallower =
      following === undefined ||
      following.trim() === "---" ||
      indent(following) < indent(key) ||
      (indent(following) === indent(key) && !following.trimStart().startsWith("- "));
    if (shallower) clean[k] = `${key.trimEnd()} ${name}`;
  }

  const parsed = parseYaml(clean.join("\n"));
  const docs: TemplateDoc[] = [];
  for (const doc of parsed.docs) {
    const gates = gatesAt[doc.line - 1];
    if (gates) docs.push({ ...doc, gates }); // a document inside a `define` is not rendered where it is written
  }
  return { docs, placeholders, errors: parsed.errors };
}

function applyControl(stack: Frame[], word: string, rest: string, dotOf: () => string | undefined, line: number): void {
  switch (word) {
    case "if":
      stack.push({ kind: "if", line, gates: [{ expr: withDot(rest, dotOf()), negated: false }], earlier: [] });
      return;
    case "with": {
      const expr = withDot(rest, dotOf());
      stack.push({ kind: "with", line, gates: [{ expr, negated: false }], earlier: [], dot: expr });
      return;
    }
    case "range": {
      // `range $i, $x := .Values.list` ranges over the value after `:=`
      const over = withDot(rest.replace(/^[^:]*:=\s*/, ""), dotOf());
      stack.push({ kind: "range", line, gates: [{ expr: over, negated: false }], earlier: [], dot: "" });
      return;
    }
    case "define":
    case "block":
      stack.push({ kind: "define", line, gates: [], earlier: [] });
      return;
    case "else": {
      const frame = stack[stack.length - 1];
      if (!frame || frame.kind === "define") return;
      const previous = [...frame.earlier, ...frame.gates.filter((g) => !g.negated).map((g) => g.expr)];
      const branch = /^(if|with)\s+(.*)$/s.exec(rest);
      frame.earlier = previous;
      frame.gates = [
        ...previous.map((expr) => ({ expr, negated: true })),
        ...(branch ? [{ expr: withDot(branch[2]!.trim(), dotOf()), negated: false }] : []),
      ];
      return;
    }
    case "end":
      stack.pop();
      return;
  }
}

/** Inside `with .Values.x`, `.` and `.y` stand for `.Values.x` and `.Values.x.y`; inside a `range`, for an unknown item. */
function withDot(expr: string, dot: string | undefined): string {
  if (dot === undefined) return expr;
  const base = dot === "" ? "$__item" : dot;
  return expr.replace(/(^|[\s(|,])\.([A-Za-z_][\w.]*)?(?=$|[\s)|,])/g, (_m, before: string, field?: string) =>
    field ? `${before}${base}.${field}` : `${before}${base}`,
  );
}

// ─── judging gates and placeholders against values ──────────────────────────────────────────────────

/** What an expression cannot be known to be from the values alone (`.Capabilities…`, `include …`, `$var`). */
export const UNKNOWN: unique symbol = Symbol("unknown");
type Value = unknown;

/** Go-template truth: false, 0, nil and empty strings, maps and lists are false. */
function truthy(v: Value): boolean {
  if (v === undefined || v === null || v === false || v === 0 || v === "") return false;
  if (Array.isArray(v)) return v.length > 0;
  if (typeof v === "object") return Object.keys(v as object).length > 0;
  return true;
}

/** A gate holds unless the values say it does not (an expression the values cannot decide holds). */
export function gateHolds(gate: TemplateGate, values: Record<string, unknown>): boolean {
  const v = evaluateExpression(gate.expr, values);
  if (v === UNKNOWN) return true;
  return truthy(v) !== gate.negated;
}

/** The value of a pipeline expression (`.Values.x.enabled`, `and .Values.a (not .Values.b)`, `.Values.n | default 3`). */
export function evaluateExpression(expr: string, values: Record<string, unknown>): Value | typeof UNKNOWN {
  const tokens = tokenize(expr);
  if (!tokens) return UNKNOWN;
  let at = 0;
  const pipeline = (): Value | typeof UNKNOWN => {
    let result: Value | typeof UNKNOWN = command(undefined);
    while (tokens[at] === "|") {
      at++;
      result = command({ piped: result });
    }
    return result;
  };
  const operand = (): Value | typeof UNKNOWN => {
    const t = tokens[at++];
    if (t === "(") {
      const v = pipeline();
      if (tokens[at] === ")") at++;
      return v;
    }
    return atom(t, values);
  };
  const command = (input: { piped: Value | typeof UNKNOWN } | undefined): Value | typeof UNKNOWN => {
    const head = tokens[at];
    if (head === undefined || head === ")" || head === "|") return input ? input.piped : UNKNOWN;
    if (isFunctionName(head)) {
      at++;
      const args: (Value | typeof UNKNOWN)[] = [];
      while (at < tokens.length && tokens[at] !== ")" && tokens[at] !== "|") args.push(operand());
      if (input) args.push(input.piped);
      return call(head, args);
    }
    const v = operand();
    while (at < tokens.length && tokens[at] !== ")" && tokens[at] !== "|") operand(); // stray words: ignored
    return v;
  };
  const v = pipeline();
  return at < tokens.length ? UNKNOWN : v;
}

function isFunctionName(token: string): boolean {
  return /^[A-Za-z_]\w*$/.test(token) && !["true", "false", "nil"].includes(token);
}

function atom(token: string | undefined, values: Record<string, unknown>): Value | typeof UNKNOWN {
  if (token === undefined) return UNKNOWN;
  if (token === "true") return true;
  if (token === "false") return false;
  if (token === "nil") return null;
  if (/^-?\d+(\.\d+)?$/.test(token)) return Number(token);
  if (token.startsWith('"') || token.startsWith("`")) return token.slice(1, -1);
  const field = /^\$?\.Values((?:\.[\w-]+)*)$/.exec(token);
  if (field) {
    let node: unknown = values;
    for (const key of field[1]!.split(".").slice(1)) {
      if (node === null || typeof node !== "object" || Array.isArray(node)) return undefined; // nil, as Helm gives
      node = (node as Record<string, unknown>)[key];
    }
    return node;
  }
  return UNKNOWN; // .Chart, .Release, .Capabilities, $variables, range items
}

function call(name: string, args: (Value | typeof UNKNOWN)[]): Value | typeof UNKNOWN {
  const known = args.every((a) => a !== UNKNOWN);
  switch (name) {
    case "not":
      return args[0] === UNKNOWN ? UNKNOWN : !truthy(args[0]);
    case "and": {
      if (args.some((a) => a !== UNKNOWN && !truthy(a))) return false;
      return known ? args[args.length - 1] : UNKNOWN;
    }
    case "or": {
      const first = args.find((a) => a !== UNKNOWN && truthy(a));
      if (first !== undefined) return first;
      return known ? args[args.length - 1] : UNKNOWN;
    }
    case "eq":
      return known ? args.slice(1).some((a) => a === args[0]) : UNKNOWN;
    case "ne":
      return known ? args[0] !== args[1] : UNKNOWN;
    case "empty":
      return args[0] === UNKNOWN ? UNKNOWN : !truthy(args[0]);
    case "default": {
      // default DEFAULT VALUE (VALUE is piped in last)
      const [fallback, value] = args.length >= 2 ? [args[0], args[args.length - 1]] : [args[0], undefined];
      if (value === UNKNOWN) return UNKNOWN;
      return truthy(value) ? value : fallback;
    }
    case "hasKey": {
      const [map, key] = args;
      if (map === UNKNOWN || key === UNKNOWN) return UNKNOWN;
      return map !== null && typeof map === "object" && typeof key === "string" && key in (map as object);
    }
    case "index": {
      let node = args[0];
      for (const key of args.slice(1)) {
        if (node === UNKNOWN || key === UNKNOWN) return UNKNOWN;
        if (node === null || typeof node !== "object") return undefined;
        node = (node as Record<string, unknown>)[String(key)];
      }
      return node;
    }
    case "dig": {
      // dig "a" "b" DEFAULT MAP
      const map = args[args.length - 1];
      const fallback = args[args.length - 2];
      if (!known) return UNKNOWN;
      let node = map;
      for (const key of args.slice(0, -2)) {
        if (node === null || typeof node !== "object") return fallback;
        node = (node as Record<string, unknown>)[String(key)];
      }
      return node === undefined ? fallback : node;
    }
    case "quote":
    case "squote":
    case "toString":
    case "toYaml":
    case "nindent":
    case "indent":
    case "trim":
      // formatting: the value passes through (the indentation width is not a value)
      return args[args.length - 1];
    case "int":
    case "int64":
    case "float64":
      return args[0] === UNKNOWN ? UNKNOWN : Number(args[0]);
    default:
      return UNKNOWN;
  }
}

/** Words, strings, parentheses and pipes of an expression; undefined when it holds what this reader does not know. */
function tokenize(expr: string): string[] | undefined {
  const tokens: string[] = [];
  const re = /\s*("(?:[^"\\]|\\.)*"|`[^`]*`|\(|\)|\||[^\s()|"`]+)/gy;
  let m: RegExpExecArray | null = re.exec(expr);
  while (m) {
    tokens.push(m[1]!);
    if (re.lastIndex >= expr.length) break;
    m = re.exec(expr);
  }
  return expr.slice(re.lastIndex).trim() === "" || tokens.length > 0 ? tokens : undefined;
}

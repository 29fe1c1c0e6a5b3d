// A reader of justfiles (the `just` command runner): settings, variables, imports, modules, aliases and recipes
// with their parameters, dependencies and body lines, after just's own grammar (GRAMMAR.md of casey/just).
// Tolerant: a line it cannot place is skipped, as the scanner cares for recipes, not for judging the file.

export interface JustParameter {
  name: string;
  /** the default as written (a string literal is unquoted) */
  default?: string;
  variadic?: "*" | "+";
  /** `$name`: exported to the recipe's environment */
  exported?: boolean;
}

export interface JustDependency {
  name: string;
  args: string[];
  /** after `&&`: runs when the recipe succeeded */
  after?: boolean;
}

export interface JustRecipeSource {
  name: string;
  line: number;
  attributes: string[];
  parameters: JustParameter[];
  dependencies: JustDependency[];
  /** body lines with the recipe's indentation removed, at their file lines */
  body: { text: string; line: number }[];
  /** `@name`: lines are not echoed */
  quiet?: boolean;
}

export interface ParsedJustfile {
  recipes: JustRecipeSource[];
  /** `name := value` (and `export name := value`), values as written */
  variables: { name: string; value: string; line: number; exported?: boolean }[];
  /** `set name` (true) or `set name := value` (as written) */
  settings: Map<string, string | true>;
  imports: { path: string; optional: boolean; line: number }[];
  modules: { name: string; path?: string; optional: boolean; line: number }[];
  aliases: { name: string; target: string; line: number }[];
}

const NAME = /^[A-Za-z_][A-Za-z0-9_-]*/;

export function readJustfile(text: string): ParsedJustfile {
  const lines = text.split("\n");
  const out: ParsedJustfile = {
    recipes: [],
    variables: [],
    settings: new Map(),
    imports: [],
    modules: [],
    aliases: [],
  };
  let attributes: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!;
    const lineNo = i + 1;
    if (/^\s*(#|$)/.test(raw)) continue; // comments (the `#!` of the first line too) and blank lines
    if (/^\s/.test(raw)) continue; // an indented line outside a recipe: not ours to judge
    let code = stripComment(raw).trim();
    // `[private]`, `[group('x')]`, `[linux, no-cd]`: attributes of the next recipe, module or alias
    while (code.startsWith("[")) {
      const close = closing(code, 0, "[", "]");
      if (close < 0) break;
      attributes.push(...splitTopLevel(code.slice(1, close)).map((a) => a.trim()));
      code = code.slice(close + 1).trim();
    }
    if (code === "") continue;
    const keyword = code.match(NAME)?.[0];
    const rest = keyword ? code.slice(keyword.length) : code;
    if (keyword === "set" && /^\s+[A-Za-z]/.test(rest)) {
      const m = rest.trim().match(/^([A-Za-z][\w-]*)\s*(?::=\s*(.*))?$/);
      if (m) out.settings.set(m[1]!, m[2] !== undefined ? m[2].trim() : true);
      attributes = [];
      continue;
    }
    if ((keyword === "import" || keyword === "mod") && /^\??(\s|$)/.test(rest)) {
      const optional = rest.startsWith("?");
      const words = tokens(rest.replace(/^\?/, ""));
      if (keyword === "import" && words[0]) out.imports.push({ path: unquote(words[0]), optional, line: lineNo });
      if (keyword === "mod" && words[0] && NAME.test(words[0]))
        out.modules.push({
          name: words[0],
          ...(words[1] ? { path: unquote(words[1]) } : {}),
          optional,
          line: lineNo,
        });
      attributes = [];
      continue;
    }
    if (keyword === "alias" && /^\s+\S+\s*:=/.test(rest)) {
      const m = rest.match(/^\s+(\S+)\s*:=\s*(\S+)/);
      if (m) out.aliases.push({ name: m[1]!, target: m[2]!, line: lineNo });
      attributes = [];
      continue;
    }
    if (keyword === "unexport" && /^\s+\S+\s*$/.test(rest)) continue;
    const exported = keyword === "export" && /^\s+[A-Za-z_]/.test(rest);
    const assignment = (exported ? rest.trim() : code).match(/^([A-Za-z_][\w-]*)\s*:=\s*([\s\S]*)$/);
    if (assignment) {
      // a value may go on over several lines: open parentheses or a triple-quoted string
      let value = assignment[2]!;
      while (i + 1 < lines.length && unfinished(value)) value += `\n${lines[++i]}`;
      out.variables.push({
        name: assignment[1]!,
        value: value.trim(),
        line: lineNo,
        ...(exported ? { exported: true } : {}),
      });
      attributes = [];
      continue;
    }
    const recipe = recipeHeader(code, lineNo);
    if (recipe) {
      recipe.attributes = attributes;
      // the body: the indented lines that follow (blank lines inside it included)
      let end = i;
      for (let j = i + 1; j < lines.length; j++) {
        const l = lines[j]!;
        if (l.trim() === "") continue;
        if (!/^[ \t]/.test(l)) break;
        end = j;
      }
      const bodyLines = lines.slice(i + 1, end + 1);
      const indent = bodyLines.find((l) => l.trim() !== "")?.match(/^[ \t]*/)?.[0] ?? "";
      recipe.body = bodyLines.map((l, k) => ({
        text: l.startsWith(indent) ? l.slice(indent.length) : l.trimStart(),
        line: i + 2 + k,
      }));
      out.recipes.push(recipe);
      i = end;
    }
    attributes = [];
  }
  return out;
}

/** `@name param='default' +rest $exported: dep (dep2 "arg") && after` */
function recipeHeader(code: string, line: number): JustRecipeSource | undefined {
  const colon = headerColon(code);
  if (colon < 0) return undefined;
  const head = code.slice(0, colon).trim();
  const quiet = head.startsWith("@");
  const words = tokens(quiet ? head.slice(1) : head);
  const name = words.shift();
  if (!name || !NAME.test(name) || NAME.exec(name)![0] !== name) return undefined;
  const parameters: JustParameter[] = [];
  for (let k = 0; k < words.length; k++) {
    let w = words[k]!;
    const variadic = w === "*" || w === "+" ? w : w[0] === "*" || w[0] === "+" ? (w[0] as "*" | "+") : undefined;
    if (w === "*" || w === "+") w = words[++k] ?? "";
    else if (variadic) w = w.slice(1);
    const exported = w.startsWith("$");
    if (exported) w = w.slice(1);
    let value: string | undefined;
    const eq = w.indexOf("=");
    if (eq >= 0) {
      value = w.slice(eq + 1);
      w = w.slice(0, eq);
      if (value === "") value = words[++k] ?? "";
    } else if (words[k + 1] === "=" || words[k + 1]?.startsWith("=")) {
      const next = words[++k]!;
      value = next === "=" ? (words[++k] ?? "") : next.slice(1);
    }
    if (!NAME.test(w)) return undefined;
    parameters.push({
      name: w,
      ...(value !== undefined ? { default: unquote(value) } : {}),
      ...(variadic ? { variadic } : {}),
      ...(exported ? { exported: true } : {}),
    });
  }
  const dependencies: JustDependency[] = [];
  let after = false;
  for (const w of tokens(code.slice(colon + 1))) {
    if (w === "&&") after = true;
    else if (w.startsWith("(")) {
      const inner = tokens(w.slice(1, -1));
      if (inner[0])
        dependencies.push({ name: inner[0], args: inner.slice(1).map(unquote), ...(after ? { after } : {}) });
    } else if (NAME.test(w) || w.includes("::")) dependencies.push({ name: w, args: [], ...(after ? { after } : {}) });
  }
  return { name, line, attributes: [], parameters, dependencies, body: [], ...(quiet ? { quiet } : {}) };
}

/** The recipe's colon: outside strings and parentheses, not part of `:=` or a module path `a::b`. */
function headerColon(code: string): number {
  let depth = 0;
  for (let i = 0; i < code.length; i++) {
    const c = code[i]!;
    if (c === "'" || c === '"' || c === "`") {
      const end = code.indexOf(c, i + 1);
      if (end < 0) return -1;
      i = end;
    } else if (c === "(") depth++;
    else if (c === ")") depth--;
    else if (c === ":" && depth === 0) {
      if (code[i + 1] === "=") return -1; // an assignment
      if (code[i + 1] === ":") {
        i++;
        continue;
      }
      return i;
    }
  }
  return -1;
}

/** Words of a header: strings, parenthesised groups and `&&` stay whole; `=` binds a default to its parameter. */
function tokens(text: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    let j = i;
    while (j < text.length && !/\s/.test(text[j]!)) {
      const d = text[j]!;
      if (d === "'" || d === '"' || d === "`") {
        const end = text.indexOf(d, j + 1);
        j = end < 0 ? text.length : end + 1;
      } else if (d === "(") {
        const end = closing(text, j, "(", ")");
        j = end < 0 ? text.length : end + 1;
      } else j++;
    }
    out.push(text.slice(i, j));
    i = j;
  }
  return out;
}

/** Index of the bracket that closes the one at `open`, outside strings. */
function closing(text: string, open: number, o: string, c: string): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === "'" || ch === '"') {
      const end = text.indexOf(ch, i + 1);
      if (end < 0) return -1;
      i = end;
    } else if (ch === o) depth++;
    else if (ch === c && --depth === 0) return i;
  }
  return -1;
}

function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === "'" || ch === '"') {
      const end = text.indexOf(ch, i + 1);
      i = end < 0 ? text.length : end;
    } else if (ch === "(") depth++;
    else if (ch === ")") depth--;
    else if (ch === "," && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts.filter((p) => p.trim() !== "");
}

/** The line without its comment (`#` outside strings). */
function stripComment(line: string): string {
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (ch === "'" || ch === '"' || ch === "`") {
      const end = line.indexOf(ch, i + 1);
      if (end < 0) return line;
      i = end;
    } else if (ch === "#") return line.slice(0, i);
  }
  return line;
}

/** An assignment's value that goes on: an open parenthesis or triple-quoted string. */
function unfinished(value: string): boolean {
  for (const q of ["'''", '"""', "```"]) if ((value.split(q).length - 1) % 2 === 1) return true;
  let depth = 0;
  for (const ch of value.replace(/'[^']*'|"(?:[^"\\]|\\.)*"/g, "")) {
    if (ch === "(") depth++;
    else if (ch === ")") depth--;
  }
  return depth > 0;
}

export function unquote(word: string): string {
  for (const q of ["'''", '"""'])
    if (word.startsWith(q) && word.endsWith(q) && word.length >= 6) return word.slice(3, -3);
  return word.length >= 2 && (word[0] === "'" || word[0] === '"') && word.at(-1) === word[0] ? word.slice(1, -1) : word;
}

/**
 * A recipe line with its `{{ … }}` interpolations replaced so a shell parser reads it: a parameter becomes a
 * shell reference (`${env}`), a variable with a plain string value its value, the justfile's folder `.`,
 * anything else a placeholder word. `{{{{` is a literal `{{`.
 */
export function interpolate(
  text: string,
  parameters: ReadonlySet<string>,
  variables: ReadonlyMap<string, string>,
  placeholder = "JUSTVAR",
): string {
  let out = "";
  let i = 0;
  while (i < text.length) {
    const open = text.indexOf("{{", i);
    if (open < 0) break;
    if (text.startsWith("{{{{", open)) {
      out += `${text.slice(i, open)}{{`;
      i = open + 4;
      continue;
    }
    const close = text.indexOf("}}", open + 2);
    if (close < 0) break;
    out +=
      text.slice(i, open) + interpolationValue(text.slice(open + 2, close).trim(), parameters, variables, placeholder);
    i = close + 2;
  }
  return out + text.slice(i);
}

function interpolationValue(
  expr: string,
  parameters: ReadonlySet<string>,
  variables: ReadonlyMap<string, string>,
  placeholder: string,
): string {
  if (/^[A-Za-z_][\w-]*$/.test(expr)) {
    if (parameters.has(expr)) return /^\w+$/.test(expr) ? `\${${expr}}` : placeholder;
    const value = variables.get(expr);
    if (value !== undefined) {
      const literal = unquote(value);
      // only a plain string literal: a backtick, a call or a concatenation is computed when just runs
      if (literal !== value && /^[^`$;&|<>(){}'"\n]*$/.test(literal) && literal.length < 200) return literal;
    }
    return placeholder;
  }
  if (/^(justfile_dir(ectory)?|source_dir(ectory)?|invocation_dir(ectory)?)\(\)$/.test(expr)) return ".";
  const literal = unquote(expr);
  if (literal !== expr && /^[^`$;&|<>(){}'"\n]*$/.test(literal)) return literal;
  return placeholder;
}

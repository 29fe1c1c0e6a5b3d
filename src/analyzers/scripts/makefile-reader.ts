// A small reader of GNU Makefiles: rules (targets, prerequisites, tab-indented recipes), variables,
// `.PHONY`, line continuations, `define … endef` and conditionals. It does not evaluate make: it reads
// what is written. Limits: `.RECIPEPREFIX` and recipes produced by `$(eval …)` are not followed.

export interface MakeRule {
  targets: string[];
  prerequisites: string[];
  line: number;
  /** logical recipe lines (continuations joined with "\\\n" as make hands them to the shell) */
  recipe: { text: string; line: number }[];
}

export interface MakeVariable {
  name: string;
  value: string;
  line: number;
}

export interface MakeProblem {
  line: number;
  message: string;
}

export interface ParsedMakefile {
  rules: MakeRule[];
  variables: MakeVariable[];
  phony: Set<string>;
  problems: MakeProblem[];
}

const ASSIGNMENT = /^(?:(?:export|override|private)\s+)*([^\s:#=?+!]+)\s*(::?=|:::=|\?=|\+=|!=|=)(.*)$/s;
const CONDITIONAL = /^(?:ifeq|ifneq|ifdef|ifndef|else|endif)\b/;
const DIRECTIVE = /^(?:-?include|sinclude|export|unexport|override|vpath|undefine)\b|^\$\(/;

export function readMakefile(text: string): ParsedMakefile {
  const lines = text.split("\n");
  const rules: MakeRule[] = [];
  const variables: MakeVariable[] = [];
  const phony = new Set<string>();
  const problems: MakeProblem[] = [];
  let current: MakeRule | undefined;
  let inDefine = false;

  for (let i = 0; i < lines.length; i++) {
    const start = i;
    const raw = lines[i]!;

    if (inDefine) {
      if (/^\s*endef\b/.test(raw)) inDefine = false;
      continue;
    }

    // Outside a rule, GNU make reads a tab-indented line as make syntax when it is some (`\tEXT = .exe` in an ifeq)
    if (raw.startsWith("\t") && (current || !isMakeSyntax(raw))) {
      // a recipe line: the shell gets the continuation lines too, with their leading tab removed
      let text = raw.slice(1);
      while (text.endsWith("\\") && i + 1 < lines.length) {
        i++;
        text += `\n${lines[i]!.replace(/^\t/, "")}`;
      }
      if (current) current.recipe.push({ text, line: start + 1 });
      else if (rules.length === 0 && text.trim() !== "" && !text.trimStart().startsWith("#")) {
        problems.push({ line: start + 1, message: "recipe commences before first target" });
      }
      continue;
    }

    // a logical line of make syntax: join continuations, drop the comment
    let logical = raw;
    while (logical.endsWith("\\") && i + 1 < lines.length) {
      i++;
      logical = `${logical.slice(0, -1)} ${lines[i]!.trim()}`;
    }
    const code = stripComment(logical).trim();
    if (code === "") continue; // blank or comment lines do not end a rule's recipe in GNU make

    if (/^define\b/.test(code) || /^(?:export|override)\s+define\b/.test(code)) {
      const name = code
        .replace(/^(?:export\s+|override\s+)?define\s+/, "")
        .replace(/\s*(?:=|:=|::=|\?=|\+=)\s*$/, "")
        .trim();
      if (name) variables.push({ name, value: "", line: start + 1 });
      inDefine = true;
      current = undefined;
      continue;
    }
    const conditional = CONDITIONAL.test(code);
    const assignment = conditional ? null : ASSIGNMENT.exec(code);
    const colon = ruleColon(code);
    if (assignment && colon < 0) {
      variables.push({ name: assignment[1]!, value: assignment[3]!.trim(), line: start + 1 });
      current = undefined;
      continue;
    }
    if (conditional || (DIRECTIVE.test(code) && colon < 0)) {
      // conditionals keep the current rule (recipes may sit inside ifeq blocks); other directives end it
      if (!conditional) current = undefined;
      continue;
    }
    if (colon < 0) {
      problems.push({ line: start + 1, message: "missing separator: neither a rule, a variable nor a directive" });
      current = undefined;
      continue;
    }

    const targets = splitWords(code.slice(0, colon));
    let rest = code.slice(colon + 1).replace(/^[:&]+/, ""); // `::` double-colon rules, `&:` grouped targets
    let inlineRecipe: string | undefined;
    const semicolon = rest.indexOf(";");
    if (semicolon >= 0) {
      inlineRecipe = rest.slice(semicolon + 1).trim();
      rest = rest.slice(0, semicolon);
    }
    if (/^\s*[^\s=]+\s*(?::=|\?=|\+=|=)/.test(rest) && !rest.includes("|")) {
      // `target: VAR = value` is a target-specific variable, not a rule of its own
      continue;
    }
    const prerequisites = splitWords(rest.replace("|", " ")); // order-only prerequisites count too
    if (targets.includes(".PHONY")) {
      for (const p of prerequisites) phony.add(p);
      current = undefined;
      continue;
    }
    current = { targets, prerequisites, line: start + 1, recipe: [] };
    if (inlineRecipe) current.recipe.push({ text: inlineRecipe, line: start + 1 });
    rules.push(current);
  }
  return { rules, variables, phony, problems };
}

/** The index of the colon that separates targets from prerequisites, ignoring `:=` and `$(…:…)` references. */
function ruleColon(code: string): number {
  let depth = 0;
  for (let i = 0; i < code.length; i++) {
    const c = code[i];
    if (c === "$" && (code[i + 1] === "(" || code[i + 1] === "{")) {
      depth++;
      i++;
    } else if ((c === ")" || c === "}") && depth > 0) depth--;
    else if (c === ":" && depth === 0) {
      if (
        code[i + 1] === "=" ||
        (code[i + 1] === ":" && (code[i + 2] === "=" || (code[i + 2] === ":" && code[i + 3] === "=")))
      )
        return -1;
      return i;
    } else if (c === "=" && depth === 0) return -1; // an assignment before any colon
  }
  return -1;
}

function stripComment(line: string): string {
  for (let i = 0; i < line.length; i++) {
    if (line[i] === "#" && line[i - 1] !== "\\") return line.slice(0, i);
  }
  return line;
}

function splitWords(text: string): string[] {
  return text
    .trim()
    .split(/\s+/)
    .filter((w) => w !== "");
}

/**
 * Expands make variable references in a recipe line so a shell parser can read it: known variables
 * with plain values are substituted (a few levels deep), `$$` becomes `$`, automatic variables and
 * anything else become a placeholder word.
 */
export function expandForShell(
  text: string,
  variables: ReadonlyMap<string, string>,
  placeholder = "MAKEVAR",
  depth = 0,
  memo: Map<string, string> = new Map(), // each variable is expanded once: no blow-up from `A = $(B)$(B)…`
): string {
  let out = "";
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c !== "$") {
      out += c;
      continue;
    }
    const next = text[i + 1];
    if (next === "$") {
      out += "$";
      i++;
    } else if (next === "(" || next === "{") {
      const close = next === "(" ? ")" : "}";
      let level = 1;
      let j = i + 2;
      for (; j < text.length && level > 0; j++) {
        if (text[j] === next) level++;
        else if (text[j] === close) level--;
      }
      const name = text.slice(i + 2, j - 1).trim();
      let expanded = memo.get(name);
      if (expanded === undefined) {
        const value = variables.get(name);
        // only plain values (words and references): a value with shell operators would change the command's shape
        const plain =
          value !== undefined && value.length < 200 && /^[^`;&|<>()]*$/.test(value.replace(/\$[({][^)}]*[)}]/g, ""));
        expanded =
          plain && depth < 4
            ? expandForShell(value, variables, placeholder, depth + 1, memo) || placeholder
            : placeholder;
        if (expanded.length > 1000) expanded = placeholder;
        memo.set(name, expanded);
      }
      out += expanded;
      i = j - 1;
    } else {
      out += placeholder; // $@, $<, $^, $X
      i++;
    }
  }
  return out;
}

/** A line make can read as a conditional, a variable assignment or a directive (not a rule, not a recipe). */
function isMakeSyntax(line: string): boolean {
  const code = stripComment(line).trim();
  if (CONDITIONAL.test(code)) return true;
  if (ruleColon(code) >= 0) return false;
  return ASSIGNMENT.test(code) || DIRECTIVE.test(code);
}

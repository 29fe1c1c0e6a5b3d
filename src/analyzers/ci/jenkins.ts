// Jenkinsfile: a small reader of (mostly declarative) pipelines. There is no maintained Groovy parser for JS,
// so this tokenizes Groovy — strings ('…', "…", '''…''', """…"""), comments (// and /* */), words and
// punctuation — and folds it into a tree of calls `name(args) { block }`. Comments never reach the tree, so a
// commented-out stage is not evidence.
// Limits (honest): no Groovy semantics — variables, loops and shared-library steps are not followed; `if`
// branches count as if they ran; slashy strings (/…/) are read as punctuation; GString `${…}` becomes an
// opaque word in shell text; `bat`/`powershell` steps are not parsed as shell.
import type { Analyzer, AnalyzerOutput, SourceFile } from "../../engine/analyzer.js";
import type { CiJob, CiPipelineFact } from "../../facts/ci.js";
import { loadShellParser } from "../shell-parse.js";
import { addShell, emptyTriggers, newJob, record } from "./common.js";

interface Token {
  kind: "word" | "string" | "punct";
  value: string;
  line: number;
  /** line where the token ends (multi-line strings) */
  end: number;
}

export interface GroovyCall {
  name: string;
  line: number;
  args: { key?: string; value: string; string: boolean; line: number }[];
  /** named arguments at any depth of the parentheses (`sshTransfer(execCommand: '…')` inside `sshPublisher(…)`) */
  nested?: { key: string; value: string }[];
  block?: GroovyCall[];
}

export const jenkinsAnalyzer: Analyzer = {
  id: "ci-jenkins",
  match: (_path, name, lower) =>
    name === "Jenkinsfile" ||
    (lower.includes("jenkinsfile") && /(^|\/)jenkinsfile[.-][^/]*$|\.jenkinsfile$/.test(lower)),
  prepare: loadShellParser,
  analyze(file, out) {
    const { tokens, error } = tokenize(file.text);
    if (error) {
      out.finding({
        path: file.path,
        line: error.line,
        severity: "error",
        rule: "ci/parse-error",
        message: `Jenkinsfile: ${error.message}`,
        remediation: "Close the string or comment; Jenkins rejects the whole file.",
      });
      return;
    }
    readPipeline(file, out, parseCalls(tokens));
  },
};

export function tokenize(text: string): { tokens: Token[]; error?: { line: number; message: string } } {
  const tokens: Token[] = [];
  let line = 1;
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === "\n") {
      line++;
      i++;
      continue;
    }
    if (c === " " || c === "\t" || c === "\r") {
      i++;
      continue;
    }
    if (c === "/" && text[i + 1] === "/") {
      while (i < text.length && text[i] !== "\n") i++;
      continue;
    }
    if (c === "/" && text[i + 1] === "*") {
      const close = text.indexOf("*/", i + 2);
      if (close < 0) return { tokens, error: { line, message: "unterminated /* comment" } };
      line += countLines(text.slice(i, close));
      i = close + 2;
      continue;
    }
    if (c === "'" || c === '"') {
      const triple = text.startsWith(c.repeat(3), i);
      const quote = triple ? c.repeat(3) : c;
      let j = i + quote.length;
      let value = "";
      while (j < text.length && !text.startsWith(quote, j)) {
        if (!triple && text[j] === "\n") break;
        if (text[j] === "\\" && j + 1 < text.length) {
          value += unquoteEscapes(text[j + 1]!, c);
          j += 2;
          continue;
        }
        if (c === '"' && text[j] === "$" && text[j + 1] === "{") {
          const close = text.indexOf("}", j);
          if (close < 0) break;
          value += "__groovy_expr__";
          j = close + 1;
          continue;
        }
        value += text[j];
        j++;
      }
      if (!text.startsWith(quote, j))
        return { tokens, error: { line, message: `unterminated string starting with ${quote}` } };
      const start = line;
      line += countLines(text.slice(i, j));
      tokens.push({ kind: "string", value, line: start, end: line });
      i = j + quote.length;
      continue;
    }
    const word = /^[A-Za-z_$][\w$.]*/.exec(text.slice(i, i + 200));
    if (word) {
      tokens.push({ kind: "word", value: word[0], line, end: line });
      i += word[0].length;
      continue;
    }
    tokens.push({ kind: "punct", value: c, line, end: line });
    i++;
  }
  return { tokens };
}

const countLines = (s: string) => s.split("\n").length - 1;

function unquoteEscapes(next: string, quote: string): string {
  if (next === "n") return "\n";
  if (next === "t") return "\t";
  if (next === "$" || next === "\\" || next === quote) return next;
  return `\\${next}`;
}

/** Folds tokens into calls: `word`, then `( … )` and/or same-line arguments, then an optional `{ … }` block. */
export function parseCalls(tokens: Token[]): GroovyCall[] {
  let pos = 0;
  const block = (): GroovyCall[] => {
    const calls: GroovyCall[] = [];
    while (pos < tokens.length) {
      const token = tokens[pos]!;
      if (token.kind === "punct" && token.value === "}") {
        pos++;
        return calls;
      }
      if (token.kind === "punct" && token.value === "{") {
        pos++;
        calls.push({ name: "{", line: token.line, args: [], block: block() });
        continue;
      }
      if (token.kind !== "word") {
        pos++;
        continue;
      }
      pos++;
      const call: GroovyCall = { name: token.value, line: token.line, args: [] };
      let last = token;
      if (tokens[pos]?.value === "(" && tokens[pos]!.kind === "punct") {
        pos++;
        let depth = 1;
        // a map literal as the only argument (`step([$class: 'X', …])`) gives its entries as arguments too
        let mapArgument = false;
        let key: string | undefined;
        while (pos < tokens.length && depth > 0) {
          const t = tokens[pos]!;
          if (t.kind === "punct" && (t.value === "(" || t.value === "[")) {
            if (depth === 1 && t.value === "[" && tokens[pos - 1]?.value === "(") mapArgument = true;
            depth++;
          } else if (t.kind === "punct" && (t.value === ")" || t.value === "]")) {
            depth--;
            if (depth === 1) mapArgument = false;
          } else if (t.kind === "punct" && t.value === "{" && depth === 1) {
            // closure argument: `parallel(a: { … })`
            pos++;
            call.block = [...(call.block ?? []), ...block()];
            continue;
          }
          if (t.kind === "word" && tokens[pos + 1]?.value === ":") key = t.value;
          else if (t.kind === "string" || t.kind === "word") {
            if (depth === 1 || (depth === 2 && mapArgument))
              call.args.push({ key, value: t.value, string: t.kind === "string", line: t.line });
            else if (key !== undefined) (call.nested ??= []).push({ key, value: t.value });
            key = undefined;
          }
          last = t;
          pos++;
        }
      } else {
        // command syntax: `sh 'make'`, `sh label: 'x', script: '''…'''`; arguments continue after a comma
        let key: string | undefined;
        while (pos < tokens.length) {
          const t = tokens[pos]!;
          const continues = t.line === last.end || last.value === "," || last.value === ":";
          if (!continues || (t.kind === "punct" && ["{", "}", ";", "=", ")"].includes(t.value))) break;
          if (t.kind === "word" && tokens[pos + 1]?.value === ":") key = t.value;
          else if (t.kind !== "punct") {
            call.args.push({ key, value: t.value, string: t.kind === "string", line: t.line });
            key = undefined;
          }
          last = t;
          pos++;
        }
      }
      if (tokens[pos]?.kind === "punct" && tokens[pos]!.value === "{") {
        pos++;
        call.block = [...(call.block ?? []), ...block()];
      }
      calls.push(call);
    }
    return calls;
  };
  return block();
}

/** Shell text of `sh '…'` / `sh(script: '…')` / `sh script: '…'`. */
function shellArg(call: GroovyCall): { value: string; line: number } | undefined {
  const arg = call.args.find((a) => a.string && (a.key === "script" || a.key === undefined));
  return arg ? { value: arg.value, line: arg.line } : undefined;
}

function readPipeline(file: SourceFile, out: AnalyzerOutput, calls: GroovyCall[]): void {
  const fact: CiPipelineFact = {
    path: file.path,
    system: "jenkins",
    // multibranch pipelines build every branch and pull request they discover
    triggers: { ...emptyTriggers(), push: true, pullRequest: true },
    jobs: [],
  };
  let gate: number | undefined;
  const topLevel = newJob("pipeline", 1);
  const visit = (nodes: GroovyCall[], job: CiJob | undefined, inTriggers: boolean) => {
    for (const call of nodes) {
      const named = call.args.find((a) => a.string)?.value;
      if (call.name === "stage" && named !== undefined) {
        const stage = newJob(named, call.line);
        const before = gate;
        visit(call.block ?? [], stage, false);
        if (before !== undefined && !stage.manualApproval) {
          stage.manualApproval = true;
          stage.approvalLine = before;
        }
        fact.jobs.push(stage);
        continue;
      }
      const target = job ?? topLevel;
      switch (call.name) {
        case "sh": {
          const shell = shellArg(call);
          if (shell && !target.disabled) {
            target.steps.push({ line: call.line, run: shell.value, runLine: shell.line });
            addShell(file, out, target, shell.value, shell.line, fact.triggers.schedule[0]);
          }
          break;
        }
        case "input":
          if (job) {
            job.manualApproval = true;
            job.approvalLine ??= call.line;
            gate ??= call.line;
          }
          break;
        case "cron":
          if (named && (inTriggers || !job)) fact.triggers.schedule.push(named);
          break;
        case "timeout":
          if (job) job.timeoutLine ??= call.line;
          else fact.timeout ??= { line: call.line };
          break;
        case "disableConcurrentBuilds":
          fact.concurrency ??= { line: call.line };
          break;
        case "lock":
          if (job) job.concurrency ??= { line: call.line };
          else fact.concurrency ??= { line: call.line };
          break;
        case "when":
          if (job) {
            job.condition = describeWhen(call.block ?? []);
            if (alwaysFalse(call.block ?? [])) job.disabled = true;
          }
          break;
        case "step": {
          // plugin build steps by class: `step([$class: 'KubernetesEngineBuilder', …])`
          const plugin = call.args.find((a) => a.key === "$class")?.value;
          const found = plugin ? PLUGIN_STEPS[plugin] : undefined;
          if (found && !target.disabled) record(target, { kind: found.kind, what: `${plugin} step` }, call.line);
          break;
        }
        default: {
          const found = PLUGIN_STEPS[call.name];
          if (found && !target.disabled && (!found.when || found.when(call)))
            record(target, { kind: found.kind, what: call.name }, call.line);
        }
      }
      if (call.block && call.name !== "when")
        visit(call.block, job, inTriggers || call.name === "triggers" || call.name === "pipelineTriggers");
    }
  };
  visit(calls, undefined, false);
  if (topLevel.steps.length > 0 || topLevel.deploys) fact.jobs.unshift(topLevel);
  if (fact.jobs.length === 0 && calls.length === 0) return;
  out.fact("ci", fact);
}

/**
 * Plugin steps that deploy or publish, by step name or build step class: the Google Kubernetes Engine plugin,
 * Kubernetes Continuous Deploy, Azure App Service/Functions/AKS, AWS CodeDeploy and Elastic Beanstalk, Ansible,
 * Publish Over SSH (a transfer that runs a command on the server), Deploy to container (Tomcat …).
 */
const PLUGIN_STEPS: Record<string, { kind: "deploy" | "publish"; when?: (call: GroovyCall) => boolean }> = {
  KubernetesEngineBuilder: { kind: "deploy" },
  kubernetesDeploy: { kind: "deploy" },
  azureWebAppPublish: { kind: "deploy" },
  azureFunctionAppPublish: { kind: "deploy" },
  acsDeploy: { kind: "deploy" },
  AWSCodeDeployPublisher: { kind: "deploy" },
  AWSEBDeploymentBuilder: { kind: "deploy" },
  ansiblePlaybook: {
    kind: "deploy",
    when: (call) => !call.args.some((a) => a.key === "extras" && /--check\b/.test(a.value)),
  },
  sshPublisher: {
    kind: "deploy",
    when: (call) => (call.nested ?? []).some((a) => a.key === "execCommand" && a.value.trim() !== ""),
  },
  deploy: { kind: "deploy", when: (call) => call.args.some((a) => a.key === "war" || a.key === "adapters") },
  createGitHubRelease: { kind: "publish" },
};

function describeWhen(calls: GroovyCall[]): string {
  return calls.map((c) => [c.name, ...c.args.map((a) => a.value)].join(" ")).join("; ");
}

/** `when { expression { false } }` or `{ return false }`: the stage never runs. */
function alwaysFalse(calls: GroovyCall[]): boolean {
  return calls.some(
    (c) =>
      c.name === "expression" &&
      (c.block ?? []).length > 0 &&
      (c.block ?? []).every((b) => b.name === "false" || (b.name === "return" && b.args[0]?.value === "false")),
  );
}

// Azure Pipelines (azure-pipelines.yml, .azure-pipelines/*.yml): stages → jobs → steps, deployment jobs
// (their `environment` carries the approvals and checks configured in Azure DevOps), tasks by name.
// Stages run one after another unless `dependsOn` says otherwise, so a ManualValidation gate holds the stages after it.
import type { Analyzer, AnalyzerOutput, SourceFile } from "../../engine/analyzer.js";
import { asArray, asString, isRecord, parseYaml, type YamlDocument } from "../../engine/yaml.js";
import type { CiJob, CiPipelineFact } from "../../facts/ci.js";
import { loadShellParser } from "../shell-parse.js";
import {
  addShell,
  emptyTriggers,
  isFalse,
  mappingDoc,
  newJob,
  record,
  shapeFinding,
  stepOf,
  stringMap,
} from "./common.js";
import { type Classified, jobActionOfCommand } from "./job-actions.js";

type Path = (string | number)[];

/** Folders that hold Azure Pipelines files by convention; their YAML is read when its shape is a pipeline's. */
const PIPELINE_DIRS = new Set([
  ".azdo",
  ".ado",
  "azure-pipelines",
  ".azure-pipelines",
  "azure-devops",
  ".azure-devops",
  ".azuredevops",
  "pipelines",
  ".pipelines",
  ".vsts",
]);

/** The file's name says it is an Azure pipeline (azure-pipelines.yml, azure-pipelines.release.yml, .vsts-ci.yml). */
const named = (name: string) => /^(azure-pipelines?([._-][\w.-]*)?|\.vsts-ci)\.ya?ml$/i.test(name);

export const azurePipelinesAnalyzer: Analyzer = {
  id: "ci-azure-pipelines",
  extensions: [".yml", ".yaml"],
  match: (_path, name, lower) =>
    (lower.endsWith(".yml") || lower.endsWith(".yaml")) &&
    (named(name) ||
      lower
        .split("/")
        .slice(0, -1)
        .some((dir) => PIPELINE_DIRS.has(dir))),
  prepare: loadShellParser,
  analyze(file, out) {
    if (named(file.name) || file.path.toLowerCase().startsWith(".azure-pipelines/")) {
      const read = mappingDoc(file, out, "Azure Pipelines", "the Azure Pipelines file is empty or not a mapping");
      if (read) readPipeline(file, out, read.doc, read.root);
      return;
    }
    // elsewhere (.azdo/pipelines/deploy.yml, pipelines/ci.yml) only a file shaped like a pipeline is one: other
    // tools keep YAML in such folders too (Concourse, Tekton, GitLab includes), and are not reported here
    const parsed = parseYaml(file.text);
    const doc = parsed.errors.length === 0 && parsed.docs.length === 1 ? parsed.docs[0] : undefined;
    if (doc && isRecord(doc.value) && pipelineShaped(doc.value)) readPipeline(file, out, doc, doc.value);
  },
};

const STEP_KEYS = ["script", "bash", "pwsh", "powershell", "task", "checkout", "template", "download", "publish"];

/** Azure's shape: stages of `stage:`, jobs of `job:`/`deployment:`, steps of `script:`/`task:` …, or `extends: template`. */
function pipelineShaped(root: Record<string, unknown>): boolean {
  const items = (value: unknown, keys: string[]) =>
    Array.isArray(value) &&
    value.length > 0 &&
    value.every((item) => isRecord(item) && keys.some((k) => item[k] !== undefined));
  return (
    items(root.stages, ["stage", "template"]) ||
    items(root.jobs, ["job", "deployment", "template"]) ||
    items(root.steps, STEP_KEYS) ||
    (isRecord(root.extends) && typeof root.extends.template === "string")
  );
}

function readPipeline(file: SourceFile, out: AnalyzerOutput, doc: YamlDocument, root: Record<string, unknown>): void {
  const triggers = emptyTriggers();
  // With no `trigger:`/`pr:`, Azure Pipelines builds every push and validates every pull request; a template
  // (steps, jobs or stages that pipelines include) runs only where it is included
  const template = isTemplate(file.path, root);
  triggers.push = root.trigger !== "none" && !template;
  triggers.pullRequest = root.pr !== "none" && !template;
  triggers.tags = isRecord(root.trigger) && root.trigger.tags !== undefined;
  if (root.trigger !== undefined || root.pr !== undefined)
    triggers.line = doc.lineAt([root.pr !== undefined ? "pr" : "trigger"]);
  for (const entry of asArray(root.schedules)) {
    const cron = isRecord(entry) ? asString(entry.cron) : undefined;
    if (cron) triggers.schedule.push(cron);
  }
  const fact: CiPipelineFact = {
    path: file.path,
    system: "azure-pipelines",
    name: asString(root.name),
    triggers,
    jobs: [],
  };
  if (root.lockBehavior === "sequential") fact.concurrency = { line: doc.lineAt(["lockBehavior"]) };
  const schedule = triggers.schedule[0];

  let gate: number | undefined;
  const readJobs = (jobs: unknown, base: Path, stageOff: boolean) => {
    asArray(jobs).forEach((raw, index) => {
      if (!isRecord(raw)) return;
      const job = readJob(file, out, doc, raw, [...base, index], schedule, stageOff);
      if (!job) return;
      if (gate !== undefined && !job.manualApproval) {
        job.manualApproval = true;
        job.approvalLine = gate;
      }
      fact.jobs.push(job);
    });
  };
  if (Array.isArray(root.stages)) {
    root.stages.forEach((stage, index) => {
      if (!isRecord(stage)) return;
      const before = fact.jobs.length;
      if (stage.lockBehavior === "sequential")
        fact.concurrency ??= { line: doc.lineAt(["stages", index, "lockBehavior"]) };
      readJobs(stage.jobs, ["stages", index, "jobs"], isFalse(stage.condition));
      const approval = fact.jobs.slice(before).find((j) => j.manualApproval && j.approvalLine !== gate);
      if (approval && gate === undefined) gate = approval.approvalLine;
    });
  } else if (Array.isArray(root.jobs)) readJobs(root.jobs, ["jobs"], false);
  else if (Array.isArray(root.steps)) {
    const job = newJob("build", doc.lineAt(["steps"]));
    readSteps(file, out, doc, job, root.steps, ["steps"], schedule);
    fact.jobs.push(job);
  } else if (root.extends === undefined)
    shapeFinding(file, out, doc.line, "the pipeline has no `stages`, `jobs` or `steps`");
  out.fact("ci", fact);
}

/** A template: it declares `parameters:`, sets no trigger of its own, and sits in a templates folder or says so by name. */
function isTemplate(path: string, root: Record<string, unknown>): boolean {
  if (root.trigger !== undefined || root.pr !== undefined || root.schedules !== undefined) return false;
  return root.parameters !== undefined && /(^|\/)templates?\/|template/i.test(path);
}

function readJob(
  file: SourceFile,
  out: AnalyzerOutput,
  doc: YamlDocument,
  raw: Record<string, unknown>,
  path: Path,
  schedule: string | undefined,
  stageOff: boolean,
): CiJob | undefined {
  const id = asString(raw.deployment) ?? asString(raw.job) ?? asString(raw.template);
  if (!id) return undefined;
  const job = newJob(id, doc.lineAt(path));
  job.needs = asArray(raw.dependsOn).filter((d): d is string => typeof d === "string");
  if (raw.condition !== undefined) job.condition = asString(raw.condition);
  if (stageOff || isFalse(raw.condition)) job.disabled = true;
  if (raw.timeoutInMinutes !== undefined) {
    job.timeoutLine = doc.lineAt([...path, "timeoutInMinutes"]);
    if (typeof raw.timeoutInMinutes === "number" && raw.timeoutInMinutes > 0) job.timeoutMinutes = raw.timeoutInMinutes;
  }
  if (raw.deployment !== undefined) {
    const env = isRecord(raw.environment) ? asString(raw.environment.name) : asString(raw.environment);
    if (env) job.environment = { name: env, line: doc.lineAt([...path, "environment"]) };
    // runOnce / rolling / canary: every lifecycle hook has its own steps
    const strategy = isRecord(raw.strategy) ? raw.strategy : {};
    for (const [kind, hooks] of Object.entries(strategy)) {
      if (!isRecord(hooks)) continue;
      for (const [hook, body] of Object.entries(hooks)) {
        if (isRecord(body) && !job.disabled)
          readSteps(file, out, doc, job, body.steps, [...path, "strategy", kind, hook, "steps"], schedule);
        if (hook === "on" && isRecord(body)) {
          for (const [event, handler] of Object.entries(body)) {
            if (isRecord(handler) && !job.disabled)
              readSteps(
                file,
                out,
                doc,
                job,
                handler.steps,
                [...path, "strategy", kind, "on", event, "steps"],
                schedule,
              );
          }
        }
      }
    }
  } else if (!job.disabled) readSteps(file, out, doc, job, raw.steps, [...path, "steps"], schedule);
  return job;
}

function readSteps(
  file: SourceFile,
  out: AnalyzerOutput,
  doc: YamlDocument,
  job: CiJob,
  steps: unknown,
  path: Path,
  schedule?: string,
): void {
  asArray(steps).forEach((raw, index) => {
    if (!isRecord(raw) || isFalse(raw.condition) || raw.enabled === false) return;
    const at = [...path, index];
    const line = doc.lineAt(at);
    for (const key of ["script", "bash"] as const) {
      const text = asString(raw[key]);
      if (text === undefined) continue;
      const textLine = doc.textLineAt([...at, key]);
      job.steps.push(stepOf(line, { name: asString(raw.displayName), run: text, runLine: textLine }));
      addShell(file, out, job, text, textLine, schedule);
    }
    const task = asString(raw.task);
    if (!task) return;
    const inputs = lowerKeys(stringMap(raw.inputs) ?? {});
    job.steps.push(stepOf(line, { name: asString(raw.displayName), uses: task, with: inputs }));
    const name = task.replace(/@.*$/, "");
    if (name === "Cache") {
      job.cache = true;
      job.cacheLine ??= line;
    }
    if (name === "ManualValidation") {
      job.manualApproval = true;
      job.approvalLine = line;
    }
    const inline = inlineShell(name, inputs);
    if (inline) {
      const key = Object.keys(isRecord(raw.inputs) ? raw.inputs : {}).find((k) => k.toLowerCase() === inline.key);
      addShell(file, out, job, inline.text, key ? doc.textLineAt([...at, "inputs", key]) : line, schedule);
    }
    record(job, classifyTask(name, inputs), line);
  });
}

function lowerKeys(map: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(map).map(([k, v]) => [k.toLowerCase(), v]));
}

/** Tasks whose input is a bash script. */
function inlineShell(name: string, inputs: Record<string, string>): { key: string; text: string } | undefined {
  if (name === "Bash" && (inputs.targettype ?? "filepath").toLowerCase() === "inline" && inputs.script)
    return { key: "script", text: inputs.script };
  if (name === "AzureCLI" && /^(bash|sh)$/i.test(inputs.scripttype ?? "") && inputs.inlinescript)
    return { key: "inlinescript", text: inputs.inlinescript };
  if (name === "CmdLine" && inputs.script) return { key: "script", text: inputs.script };
  return undefined;
}

/** What a built-in task does, decided by the inputs that matter (`command`, `action`, `deploymentMode` …). */
function classifyTask(name: string, inputs: Record<string, string>): Classified | undefined {
  const input = (key: string) => (inputs[key] ?? "").toLowerCase();
  const deploy = (): Classified => ({ kind: "deploy", what: `${name} task` });
  switch (name) {
    case "AzureWebApp":
    case "AzureRmWebAppDeployment":
    case "AzureFunctionApp":
    case "AzureContainerApps":
    case "AzureWebAppContainer":
    case "AzureFunctionAppContainer":
    case "SqlAzureDacpacDeployment":
    case "IISWebAppDeploymentOnMachineGroup":
    case "AzureSpringCloud":
      return deploy();
    case "KubernetesManifest":
      return ["deploy", "promote", "patch", "scale"].includes(input("action")) ? deploy() : undefined;
    case "HelmDeploy":
      return ["upgrade", "install"].includes(input("command")) ? deploy() : undefined;
    case "Kubernetes":
      return ["apply", "set"].includes(input("command")) ? deploy() : undefined;
    case "AzureResourceManagerTemplateDeployment":
      return input("deploymentmode") === "validation" ? undefined : deploy();
    case "TerraformTaskV4":
    case "TerraformTaskV3":
    case "TerraformTaskV2":
    case "TerraformTaskV1":
    case "TerraformCLI":
      return input("command") === "apply" ? deploy() : undefined;
    case "Npm":
      return input("command") === "publish" ? { kind: "publish", what: "Npm publish task" } : undefined;
    case "NuGetCommand":
      return input("command") === "push" ? { kind: "publish", what: "NuGet push task" } : undefined;
    case "DotNetCoreCLI":
      if (input("command") === "push") return { kind: "publish", what: "dotnet push task" };
      return input("command") === "test" ? { kind: "test", what: "dotnet test task" } : undefined;
    case "GitHubRelease":
      return input("action") === "create" || !inputs.action
        ? { kind: "publish", what: "GitHubRelease task" }
        : undefined;
    case "VSTest":
      return { kind: "test", what: "VSTest task" };
    case "Maven":
      return jobActionOfCommand(["mvn", ...(inputs.goals ?? "package").split(/\s+/)]);
    case "Gradle":
      return jobActionOfCommand(["gradle", ...(inputs.tasks ?? "build").split(/\s+/)]);
    default:
      return undefined;
  }
}

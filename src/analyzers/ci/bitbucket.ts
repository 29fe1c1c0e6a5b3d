// Bitbucket Pipelines (bitbucket-pipelines.yml): pipelines.default/branches/tags/pull-requests/custom, each a
// list of steps, `parallel` groups and `stage`s. A `trigger: manual` step pauses the pipeline, so it gates the
// steps after it; a step with `deployment:` targets an environment, and Bitbucket never runs two deployments
// to one environment at once.
import type { Analyzer, AnalyzerOutput, SourceFile } from "../../engine/analyzer.js";
import { asArray, asString, isRecord, parseYaml, type YamlDocument } from "../../engine/yaml.js";
import type { CiJob, CiPipelineFact } from "../../facts/ci.js";
import { loadShellParser } from "../shell-parse.js";
import { addAction, addShell, emptyTriggers, newJob, parseErrorFinding, shapeFinding, stringMap } from "./common.js";

type Path = (string | number)[];

export const bitbucketAnalyzer: Analyzer = {
  id: "ci-bitbucket",
  extensions: [".yml", ".yaml"],
  match: (_path, _name, lower) => lower === "bitbucket-pipelines.yml" || lower === "bitbucket-pipelines.yaml",
  prepare: loadShellParser,
  analyze(file, out) {
    const parsed = parseYaml(file.text);
    if (parsed.errors.length > 0) return parseErrorFinding(file, out, parsed.errors, "Bitbucket Pipelines");
    const doc = parsed.docs[0];
    if (!doc || !isRecord(doc.value) || !isRecord(doc.value.pipelines)) {
      return shapeFinding(file, out, doc?.line ?? 1, "bitbucket-pipelines.yml has no `pipelines:` mapping");
    }
    const root = doc.value;
    const pipelines = doc.value.pipelines as Record<string, unknown>;
    const triggers = emptyTriggers();
    triggers.line = doc.lineAt(["pipelines"]);
    const fact: CiPipelineFact = { path: file.path, system: "bitbucket", triggers, jobs: [] };
    const options = isRecord(root.options) ? root.options : {};
    if (options["max-time"] !== undefined) fact.timeout = { line: doc.lineAt(["options", "max-time"]) };

    for (const [section, body] of Object.entries(pipelines)) {
      if (section === "default") {
        // runs for every push to any branch without a more specific pipeline, which includes PR branches
        triggers.push = triggers.pullRequest = true;
        readSteps(file, out, doc, fact.jobs, body, ["pipelines", "default"], "default");
        continue;
      }
      if (!isRecord(body)) continue;
      if (section === "pull-requests") triggers.pullRequest = true;
      if (section === "branches") triggers.push = true;
      if (section === "tags") triggers.tags = true;
      if (section === "custom") triggers.manual = true;
      for (const [pattern, steps] of Object.entries(body)) {
        readSteps(file, out, doc, fact.jobs, steps, ["pipelines", section, pattern], `${section}:${pattern}`);
      }
    }
    out.fact("ci", fact);
  },
};

function readSteps(
  file: SourceFile,
  out: AnalyzerOutput,
  doc: YamlDocument,
  jobs: CiJob[],
  items: unknown,
  path: Path,
  prefix: string,
): void {
  let gate: number | undefined;
  const readStep = (step: Record<string, unknown>, at: Path, stage?: Record<string, unknown>) => {
    const name = asString(step.name) ?? `step-${jobs.length + 1}`;
    const job = newJob(`${prefix}:${name}`, doc.lineAt(at));
    if (step.trigger === "manual" || stage?.trigger === "manual") gate ??= doc.lineAt([...at, "trigger"]);
    if (gate !== undefined) {
      job.manualApproval = true;
      job.approvalLine = gate;
    }
    const deployment = asString(step.deployment) ?? asString(stage?.deployment);
    if (deployment) {
      job.environment = { name: deployment, line: doc.lineAt([...at, "deployment"]) };
      job.concurrency = { line: job.environment.line };
    }
    if (step["max-time"] !== undefined) job.timeoutLine = doc.lineAt([...at, "max-time"]);
    if (asArray(step.caches).length > 0) {
      job.cache = true;
      job.cacheLine = doc.lineAt([...at, "caches"]);
    }
    for (const key of ["script", "after-script"]) {
      asArray(step[key]).forEach((item, index) => {
        const itemPath = [...at, key, index];
        if (typeof item === "string") {
          job.steps.push({ line: doc.lineAt(itemPath), run: item, runLine: doc.textLineAt(itemPath) });
          addShell(file, out, job, item, doc.textLineAt(itemPath));
        } else if (isRecord(item) && typeof item.pipe === "string") {
          job.steps.push({ line: doc.lineAt(itemPath), uses: item.pipe, with: stringMap(item.variables) });
          addAction(job, item.pipe, stringMap(item.variables), doc.lineAt(itemPath));
        }
      });
    }
    jobs.push(job);
  };
  asArray(items).forEach((item, index) => {
    if (!isRecord(item)) return;
    const at = [...path, index];
    if (isRecord(item.step)) readStep(item.step, [...at, "step"]);
    const parallel = isRecord(item.parallel) ? item.parallel.steps : item.parallel;
    asArray(parallel).forEach((p, i) => {
      if (isRecord(p) && isRecord(p.step))
        readStep(p.step, [...at, "parallel", ...(isRecord(item.parallel) ? ["steps"] : []), i, "step"]);
    });
    if (isRecord(item.stage)) {
      const stage = item.stage;
      asArray(stage.steps).forEach((s, i) => {
        if (isRecord(s) && isRecord(s.step)) readStep(s.step, [...at, "stage", "steps", i, "step"], stage);
      });
    }
  });
}

// Google Cloud Build (cloudbuild.yaml, cloudbuild-prod.yaml, cloudbuild.json): a list of `steps:`, each a
// container image (`name:`) run with `args:`, an optional `entrypoint:` or a `script:`. Steps run in order unless
// `waitFor:` says otherwise. A builder image's own entrypoint is the program (gcr.io/cloud-builders/gcloud runs
// gcloud); an image without one (google/cloud-sdk, python, alpine) runs `args` as the command.
// Triggers live in the Cloud Build project (or in Terraform), not in this file: a build runs on a push or on
// `gcloud builds submit`; whether pull requests run it is not written here.

import type { Analyzer, AnalyzerOutput, SourceFile } from "../../engine/analyzer.js";
import { asArray, asString, isRecord, parseYaml, type YamlDocument } from "../../engine/yaml.js";
import type { CiPipelineFact } from "../../facts/ci.js";
import { shellScriptIndex } from "../../vocabulary/shells.js";
import { loadShellParser } from "../shell-parse.js";
import { addArgv, addShell, emptyTriggers, newJob, parseErrorFinding, shapeFinding } from "./common.js";

type Path = (string | number)[];

/** Builder images whose entrypoint is a program: gcr.io/cloud-builders/<program>, and a few well-known tools. */
const ENTRYPOINTS: Record<string, string> = {
  "hashicorp/terraform": "terraform",
  "alpine/helm": "helm",
  "bitnami/kubectl": "kubectl",
  "aquasec/trivy": "trivy",
  "anchore/grype": "grype",
  "gcr.io/kaniko-project/executor": "executor",
};
/** Images with no entrypoint of their own: `args` is the whole command. */
const NO_ENTRYPOINT = new RegExp(
  String.raw`^(google\/cloud-sdk|gcr\.io\/google\.com\/cloudsdktool\/(cloud-sdk|google-cloud-cli)|` +
    String.raw`gcr\.io\/k8s-skaffold\/skaffold|python|node|golang|ruby|alpine|ubuntu|debian|busybox|` +
    String.raw`bash|docker)$`,
);

export const cloudBuildAnalyzer: Analyzer = {
  id: "ci-cloud-build",
  extensions: [".yml", ".yaml", ".json"],
  match: (_path, name) => /^cloudbuild([._-][\w.-]*)?\.(ya?ml|json)$/i.test(name),
  prepare: loadShellParser,
  analyze(file, out) {
    const parsed = parseYaml(file.text);
    if (parsed.errors.length > 0) return parseErrorFinding(file, out, parsed.errors, "Cloud Build");
    const doc = parsed.docs[0];
    const root = doc?.value;
    if (!doc || !isRecord(root) || !Array.isArray(root.steps))
      return shapeFinding(file, out, doc?.line ?? 1, "the Cloud Build config has no `steps:` list");
    readBuild(file, out, doc, root, root.steps);
  },
};

function readBuild(
  file: SourceFile,
  out: AnalyzerOutput,
  doc: YamlDocument,
  root: Record<string, unknown>,
  steps: unknown[],
): void {
  const fact: CiPipelineFact = {
    path: file.path,
    system: "cloud-build",
    triggers: { ...emptyTriggers(), push: true },
    jobs: [],
  };
  if (root.timeout !== undefined) fact.timeout = { line: doc.lineAt(["timeout"]) };
  let previous: string | undefined;
  steps.forEach((raw, index) => {
    if (!isRecord(raw)) return;
    const at: Path = ["steps", index];
    const id = asString(raw.id) ?? `step-${index + 1}`;
    const job = newJob(id, doc.lineAt(at));
    const waitFor = asArray(raw.waitFor).filter((w): w is string => typeof w === "string" && w !== "-");
    job.needs = raw.waitFor === undefined && previous ? [previous] : waitFor;
    if (raw.timeout !== undefined) job.timeoutLine = doc.lineAt([...at, "timeout"]);
    const image = asString(raw.name) ?? "";
    job.steps.push({ line: job.line, name: id, uses: image });
    readCommand(file, out, doc, job, raw, at, image);
    fact.jobs.push(job);
    previous = id;
  });
  out.fact("ci", fact);
}

function readCommand(
  file: SourceFile,
  out: AnalyzerOutput,
  doc: YamlDocument,
  job: ReturnType<typeof newJob>,
  raw: Record<string, unknown>,
  at: Path,
  image: string,
): void {
  const script = asString(raw.script);
  if (script !== undefined) {
    const line = doc.textLineAt([...at, "script"]);
    job.steps[0]!.run = script;
    addShell(file, out, job, script, line);
    return;
  }
  const args = asArray(raw.args)
    .map((a) => asString(a))
    .filter((a): a is string => a !== undefined);
  const entrypoint = asString(raw.entrypoint) ?? defaultEntrypoint(image);
  if (entrypoint === null) return; // an image whose entrypoint we do not know: its args are not a command
  const program = entrypoint?.slice(entrypoint.lastIndexOf("/") + 1);
  // `entrypoint: bash, args: [-c, "…"]`: the script is shell
  const scriptAt = program ? shellScriptIndex(program, args) : -1;
  if (scriptAt >= 0) {
    const line = doc.textLineAt([...at, "args", scriptAt]);
    job.steps[0]!.run = args[scriptAt];
    job.steps[0]!.runLine = line;
    addShell(file, out, job, args[scriptAt]!, line);
    return;
  }
  const argv = entrypoint === undefined ? args : [entrypoint, ...args];
  if (argv.length > 0)
    addArgv(file, out, job, argv, doc.lineAt([...at, raw.args !== undefined ? "args" : "entrypoint"]));
}

/**
 * The program a step's image runs when the step names no entrypoint: undefined when `args` is the whole command,
 * null when the image is not one we know.
 */
function defaultEntrypoint(image: string): string | undefined | null {
  const name = image.replace(/@.*$/, "").replace(/:[^/]*$/, "");
  const builder = /^(?:[a-z0-9-]+\.)?gcr\.io\/cloud-builders\/([\w-]+)$/.exec(name)?.[1];
  if (builder) return builder;
  if (NO_ENTRYPOINT.test(name)) return undefined;
  return ENTRYPOINTS[name] ?? null;
}

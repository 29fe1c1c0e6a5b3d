// Travis CI (.travis.yml): the build phases of the default job and of `jobs.include` entries, and the
// `deploy:` section, whose provider is the deploy (`provider: script` runs its own shell).
import type { Analyzer, AnalyzerOutput, SourceFile } from "../../engine/analyzer.js";
import { asArray, asString, isRecord, type YamlDocument } from "../../engine/yaml.js";
import type { CiJob, CiPipelineFact } from "../../facts/ci.js";
import { loadShellParser } from "../shell-parse.js";
import { addShell, emptyTriggers, mappingDoc, newJob, record } from "./common.js";

const PHASES = [
  "before_install",
  "install",
  "before_script",
  "script",
  "after_success",
  "before_deploy",
  "after_deploy",
];
/** Providers that publish a package or a release rather than deploy a running service. */
const PUBLISH_PROVIDERS = new Set([
  "npm",
  "releases",
  "pypi",
  "rubygems",
  "cargo",
  "hex",
  "packagecloud",
  "bintray",
  "puppetforge",
]);

export const travisAnalyzer: Analyzer = {
  id: "ci-travis",
  extensions: [".yml", ".yaml"],
  match: (_path, _name, lower) => lower === ".travis.yml" || lower === ".travis.yaml",
  prepare: loadShellParser,
  analyze(file, out) {
    const read = mappingDoc(file, out, "Travis CI", "the Travis config is empty or not a mapping");
    if (!read) return;
    const { doc, root } = read;
    // Travis builds pushes and pull requests unless the repository settings say otherwise.
    const fact: CiPipelineFact = {
      path: file.path,
      system: "travis",
      triggers: { ...emptyTriggers(), push: true, pullRequest: true, tags: true },
      jobs: [],
    };
    if (root.cache !== undefined && root.cache !== false) fact.cache = { line: doc.lineAt(["cache"]) };
    const main = readJob(file, out, doc, root, [], "build");
    if (main.steps.length > 0 || main.deploys || main.publishes) fact.jobs.push(main);
    const includes = isRecord(root.jobs) ? root.jobs.include : isRecord(root.matrix) ? root.matrix.include : undefined;
    const base = isRecord(root.jobs) ? ["jobs", "include"] : ["matrix", "include"];
    asArray(includes).forEach((entry, index) => {
      if (!isRecord(entry)) return;
      const id = asString(entry.name) ?? asString(entry.stage) ?? `job-${index + 1}`;
      fact.jobs.push(readJob(file, out, doc, entry, [...base, index], id));
    });
    out.fact("ci", fact);
  },
};

function readJob(
  file: SourceFile,
  out: AnalyzerOutput,
  doc: YamlDocument,
  raw: Record<string, unknown>,
  path: (string | number)[],
  id: string,
): CiJob {
  const job = newJob(id, path.length ? doc.lineAt(path) : doc.line);
  if (raw.if !== undefined) job.condition = asString(raw.if);
  for (const phase of PHASES) {
    asArray(raw[phase]).forEach((text, index) => {
      if (typeof text !== "string") return;
      const textLine = doc.textLineAt(Array.isArray(raw[phase]) ? [...path, phase, index] : [...path, phase]);
      job.steps.push({ line: textLine, name: phase, run: text, runLine: textLine });
      addShell(file, out, job, text, textLine);
    });
  }
  asArray(raw.deploy).forEach((entry, index) => {
    if (!isRecord(entry)) return;
    const at = Array.isArray(raw.deploy) ? [...path, "deploy", index] : [...path, "deploy"];
    const provider = asString(entry.provider) ?? "";
    const line = doc.lineAt(entry.provider !== undefined ? [...at, "provider"] : at);
    job.steps.push({ line, uses: `travis-deploy:${provider}` });
    if (provider === "script") {
      for (const text of asArray(entry.script))
        if (typeof text === "string") addShell(file, out, job, text, doc.textLineAt([...at, "script"]));
    } else if (provider) {
      record(
        job,
        { kind: PUBLISH_PROVIDERS.has(provider) ? "publish" : "deploy", what: `Travis deploy provider ${provider}` },
        line,
      );
    }
  });
  return job;
}

// Dockerfiles (any usual name, anywhere): stages, base-image pinning, the user and health check of the final
// stage, build steps, the commands RUN runs; dockerfilelint's findings plus our own.
import type { Dockerfile, Instruction, Run, Shell } from "dockerfile-ast";
import type { Analyzer, AnalyzerOutput, SourceFile } from "../../engine/analyzer.js";
import { isSuppressed } from "../../engine/suppress.js";
import type { Finding } from "../../engine/types.js";
import { errorMessage } from "../../engine/yaml.js";
import type { DockerfileFact, DockerStage } from "../../facts/container.js";
import { programOf } from "../../vocabulary/programs.js";
import { lazyLibrary, loadAll } from "../lazy-library.js";
import { loadShellParser } from "../shell-parse.js";
import { isBuildStep } from "./build-steps.js";
import { defaultsToNonRoot, parseImageRef } from "./image-ref.js";
import { type LineSpan, lintDockerfile, loadDockerfileLint } from "./lint.js";
import { type RunCommands, runCommands } from "./run-commands.js";

const dockerfileAst = lazyLibrary("dockerfile-ast", () => import("dockerfile-ast"));

/** SHELL programs whose RUN lines the shell parser can read. */
const POSIX_SHELLS = new Set(["sh", "bash", "dash", "ash", "zsh", "ksh", "busybox"]);

/** Windows base images run RUN lines with cmd by default. */
const WINDOWS_IMAGE = /(^|\/)windows\/|nanoserver|servercore|windowsservercore/i;

/** Extensions that make a Dockerfile-like name something else: docs, templates, backups, code. */
const NOT_A_DOCKERFILE = new Set([
  "md",
  "markdown",
  "txt",
  "rst",
  "adoc",
  "html",
  "dockerignore",
  "j2",
  "jinja",
  "jinja2",
  "tmpl",
  "tpl",
  "template",
  "erb",
  "in",
  "bak",
  "orig",
  "swp",
  "go",
  "py",
  "js",
  "ts",
  "rb",
  "rs",
  "java",
  "json",
  "yml",
  "yaml",
  "toml",
  "sh",
  "lock",
  "xml",
  "snap",
]);

/** Dockerfile, Containerfile, Dockerfile.prod, Dockerfile-dev, dockerfile, api.Dockerfile, app.containerfile */
export function isDockerfileName(lowerName: string): boolean {
  if (!lowerName.includes("file")) return false; // the common case, decided without a regex
  if (lowerName.endsWith(".dockerfile") || lowerName.endsWith(".containerfile")) return true;
  if (lowerName === "dockerfile" || lowerName === "containerfile") return true;
  const match = /^(?:docker|container)file[._-](.+)$/.exec(lowerName);
  if (!match) return false;
  const ext = match[1]!.slice(match[1]!.lastIndexOf(".") + 1);
  return !NOT_A_DOCKERFILE.has(ext);
}

export const dockerfileAnalyzer: Analyzer = {
  id: "dockerfile",
  match(_path, _name, lowerPath) {
    // "erfile" (dockERFILE, containERFILE) in the file name, looked up without allocating: it rejects nearly
    // every path, including the many other "…file" names (Makefile, profile.ts, file-utils.js)
    const nameStart = lowerPath.lastIndexOf("/") + 1;
    return lowerPath.indexOf("erfile", nameStart) >= 0 && isDockerfileName(lowerPath.slice(nameStart));
  },
  prepare: () => loadAll(dockerfileAst.load, loadDockerfileLint, loadShellParser),
  analyze(file, out) {
    const findings: Finding[] = [];
    const fact = analyzeDockerfile(file, findings, out);
    for (const f of findings) out.finding(f);
    fact.lintErrors = findings
      .filter((f) => f.severity === "error" && !isSuppressed(f, file.text))
      .map((f) => ({ line: f.line, rule: f.rule }));
    out.fact("dockerfile", fact);
    if (fact.healthcheck && !fact.healthcheck.disabled) {
      out.fact("healthcheck", { path: file.path, line: fact.healthcheck.line, kind: "dockerfile" });
    }
  },
};

interface StageState extends Omit<DockerStage, "baseImage" | "fromScratch"> {
  /** the parent stage's index when it builds FROM a stage */
  parent?: number;
  exposes: number[];
  /** RUN is not a POSIX shell here (SHELL ["powershell" …]) */
  foreignShell: boolean;
}

/** A Dockerfile that does not parse still has a fact (no stages), so that its parse error fails lint-clean. */
function analyzeDockerfile(file: SourceFile, findings: Finding[], out: AnalyzerOutput): DockerfileFact {
  const { path, text } = file;
  const devcontainer = path.toLowerCase().split("/").includes(".devcontainer");
  const broken: DockerfileFact = { path, stages: [], exposes: [], lintErrors: [], devcontainer };
  const parseError = (line: number, message: string) =>
    findings.push({
      path,
      line,
      severity: "error",
      rule: "dockerfile/parse-error",
      message,
      remediation:
        "Make the file a valid Dockerfile that starts with `FROM <image>:<tag>`, or rename it if it is not one.",
    });
  if (text.trim() === "") {
    parseError(1, "empty Dockerfile: no FROM instruction");
    return broken;
  }
  const { DockerfileParser, Healthcheck } = dockerfileAst.get();
  let dockerfile: Dockerfile;
  try {
    dockerfile = DockerfileParser.parse(text);
  } catch (err) {
    parseError(1, `cannot parse the Dockerfile: ${errorMessage(err)}`);
    return broken;
  }
  const instructions = dockerfile.getInstructions();
  const spans: LineSpan[] = instructions.map((i) => ({
    start: i.getRange().start.line + 1,
    end: i.getRange().end.line + 1,
    keyword: i.getKeyword(),
    flags: i instanceof Healthcheck ? i.getFlags().map((f) => ({ name: f.getName(), value: f.getValue() })) : undefined,
    args: i.getArguments().map((a) => a.getValue()),
  }));
  const lint = safeLint(path, text, spans);
  findings.push(...lint);
  if (dockerfile.getFROMs().length === 0) {
    parseError(
      instructions[0] ? lineOf(instructions[0]) : 1,
      "no FROM instruction: this is not a buildable Dockerfile",
    );
    return broken;
  }

  const aptFlagged = new Set(lint.filter((f) => f.rule === "dockerfile/apt-get_recommends").map((f) => f.line));
  const stages: StageState[] = [];
  const stageNames = new Map<string, number>();
  const runs: { run: Run; stage: StageState; stageIndex: number }[] = [];
  // `# escape=\`` marks a Windows Dockerfile: its RUN lines are cmd or PowerShell, not sh
  const posixEscape = dockerfile.getEscapeCharacter() === "\\";

  for (const instruction of instructions) {
    const keyword = instruction.getKeyword();
    if (keyword === "FROM") {
      const stage = fromStage(instruction, stageNames, stages, posixEscape);
      if (!stage) {
        parseError(lineOf(instruction), "FROM without an image");
        continue;
      }
      if (stage.name) stageNames.set(stage.name.toLowerCase(), stages.length);
      stages.push(stage);
      if ((stage.pin === "latest" || stage.pin === "untagged") && !devcontainer)
        findings.push(unpinnedFinding(path, stage));
      continue;
    }
    const stage = stages[stages.length - 1];
    if (!stage) continue; // ARG before the first FROM; anything else there is dockerfilelint's from_first
    const line = lineOf(instruction);
    const args = instruction.getExpandedArguments().map((a) => a.getValue());
    switch (keyword) {
      case "USER":
        if (args[0]) stage.user = { name: args[0], line };
        break;
      case "HEALTHCHECK": {
        const sub = args[0]?.toUpperCase();
        if (sub === "NONE") stage.healthcheck = { line, disabled: true };
        else if (sub === "CMD" && args.length > 1) stage.healthcheck = { line, disabled: false };
        break;
      }
      case "CMD":
      case "ENTRYPOINT":
        stage.process = { line, instruction: keyword };
        break;
      case "EXPOSE":
        for (const port of args) {
          const n = Number(/^(\d+)(\/(tcp|udp|sctp))?$/i.exec(port)?.[1]);
          if (n > 0 && n < 65536) stage.exposes.push(n);
        }
        break;
      case "SHELL": {
        const program = (instruction as Shell).getJSONStrings()[0]?.getJSONValue() ?? "";
        stage.foreignShell = !POSIX_SHELLS.has(program.slice(program.lastIndexOf("/") + 1));
        break;
      }
      case "COPY":
        copyFrom(instruction, stageNames, stages.length - 1, stage);
        break;
      case "ADD":
        addRemote(path, instruction, findings);
        break;
      case "RUN":
        if (!stage.foreignShell) runs.push({ run: instruction as Run, stage, stageIndex: stages.length - 1 });
        break;
    }
  }

  const final = stages[stages.length - 1];
  if (!final) return broken; // every FROM lacked an image
  const commands = runCommands(runs.map((r) => r.run));
  for (const [i, r] of runs.entries()) {
    readRun(path, lineOf(r.run), commands[i]!, r.stage, r.stageIndex, aptFlagged, findings, out);
  }

  const chain = ancestry(stages, stages.length - 1);
  const fact: DockerfileFact = {
    path,
    stages: stages.map(({ parent: _p, exposes: _e, foreignShell: _f, ...stage }, i) => inEffect(stage, stages, i)),
    exposes: [...new Set(chain.flatMap((s) => s.exposes))],
    lintErrors: [],
    devcontainer,
  };
  const last = fact.stages[fact.stages.length - 1]!;
  if (last.healthcheckInEffect) fact.healthcheck = last.healthcheckInEffect;
  if (last.runsAs) fact.user = last.runsAs;
  const filesOnly = last.fromScratch && !last.processInEffect;
  if (!devcontainer && !filesOnly && (!last.runsAs || last.runsAs.root))
    findings.push(rootFinding(path, last.runsAs?.line ?? final.line, last.runsAs));
  return fact;
}

/** What a stage has in effect when it is the one built: user, health check and process, own or inherited. */
function inEffect(
  stage: Omit<DockerStage, "baseImage" | "fromScratch">,
  all: StageState[],
  index: number,
): DockerStage {
  const chain = ancestry(all, index);
  const root = chain[chain.length - 1]!;
  const out: DockerStage = { ...stage, baseImage: root.image, fromScratch: root.pin === "scratch" };
  const healthcheck = chain.find((s) => s.healthcheck)?.healthcheck;
  if (healthcheck) out.healthcheckInEffect = healthcheck;
  const process = chain.find((s) => s.process)?.process;
  if (process) out.processInEffect = process;
  const user = finalUser(chain);
  if (user) out.runsAs = user;
  return out;
}

/** A linter crash is not the Dockerfile's fault: a note, not an error that fails lint-clean. */
function safeLint(path: string, text: string, spans: LineSpan[]): Finding[] {
  try {
    return lintDockerfile(path, text, spans);
  } catch (err) {
    return [
      {
        path,
        line: 1,
        severity: "note",
        rule: "dockerfile/linter-failed",
        message: `dockerfilelint could not lint this file: ${errorMessage(err)}`,
      },
    ];
  }
}

function lineOf(instruction: Instruction): number {
  return instruction.getRange().start.line + 1;
}

function fromStage(
  instruction: Instruction,
  stageNames: Map<string, number>,
  stages: readonly StageState[],
  posixEscape: boolean,
): StageState | undefined {
  const args = instruction.getExpandedArguments().map((a) => a.getValue());
  const image = args[0];
  if (!image) return undefined;
  const name = args.length >= 3 && args[1]!.toUpperCase() === "AS" ? args[2] : undefined;
  const ref = parseImageRef(image, new Set(stageNames.keys()));
  // `FROM 0` is not a stage reference (only COPY --from takes indices), but a stage name is
  const parent = ref.pin === "stage" ? stageNames.get(image.toLowerCase()) : undefined;
  return {
    line: lineOf(instruction),
    image,
    pin: ref.pin,
    ...(ref.tag ? { tag: ref.tag } : {}),
    ...(ref.digest ? { digest: ref.digest } : {}),
    ...(name ? { name } : {}),
    ...(parent !== undefined ? { fromStage: true, parent } : {}),
    buildSteps: [],
    copiesFrom: [],
    exposes: [],
    foreignShell: parent !== undefined ? stages[parent]!.foreignShell : !posixEscape || WINDOWS_IMAGE.test(ref.name),
  };
}

/** `COPY --from=<stage>` of an earlier stage (by name or index); `--from=<image>` is not a stage. */
function copyFrom(instruction: Instruction, stageNames: Map<string, number>, current: number, stage: StageState): void {
  const from = (instruction as Instruction & { getFlags(): { getName(): string; getValue(): string | null }[] })
    .getFlags()
    .find((f) => f.getName().toLowerCase() === "from")
    ?.getValue();
  if (!from) return;
  const key = from.toLowerCase();
  const index = /^\d+$/.test(key) ? Number(key) : stageNames.get(key);
  if (index !== undefined && index < current) stage.copiesFrom.push({ stage: key, line: lineOf(instruction) });
}

function addRemote(path: string, instruction: Instruction, findings: Finding[]): void {
  const flags = (instruction as Instruction & { getFlags(): { getName(): string }[] }).getFlags();
  if (flags.some((f) => f.getName().toLowerCase() === "checksum")) return; // BuildKit verifies the download
  const sources = instruction
    .getArguments()
    .map((a) => a.getValue())
    .slice(0, -1);
  const remote = sources.find((s) => /^(https?|git):\/\//i.test(s) || /^git@/.test(s));
  if (!remote) return;
  findings.push({
    path,
    line: lineOf(instruction),
    severity: "warning",
    rule: "docker/add-remote-url",
    message: `ADD downloads ${remote} without verifying it: the build trusts whatever the server returns`,
    remediation:
      "Pin the download with a checksum (`ADD --checksum=sha256:<hash> <url> <dest>`), or use " +
      '`RUN curl -fsSL <url> -o f && echo "<hash>  f" | sha256sum -c -`.',
  });
}

function readRun(
  path: string,
  line: number,
  { commands, error }: RunCommands,
  stage: StageState,
  stageIndex: number,
  aptFlagged: ReadonlySet<number>,
  findings: Finding[],
  out: AnalyzerOutput,
): void {
  if (error) {
    findings.push({
      path,
      line: error.line,
      severity: "warning",
      rule: "dockerfile/shell-syntax",
      message: `RUN is not valid shell: ${error.message}`,
      remediation: "Fix the shell syntax of the RUN command (quotes, `&&` chains, `\\` continuations).",
    });
  }
  const unit = stage.name ?? `stage ${stageIndex}`;
  for (const command of commands) {
    out.fact("command", { path, line: command.line, argv: command.argv, origin: "dockerfile", unit });
    if (isBuildStep(command.argv)) stage.buildSteps.push({ line: command.line, command: command.argv.join(" ") });
    if (!aptFlagged.has(line) && installsRecommends(command.argv)) {
      findings.push({
        path,
        line: command.line,
        severity: "note",
        rule: "docker/apt-install-recommends",
        message: "apt install without --no-install-recommends pulls in optional packages the image does not need",
        remediation: "Add `--no-install-recommends`: `apt-get install -y --no-install-recommends curl`.",
      });
    }
  }
}

function installsRecommends(argv: readonly string[]): boolean {
  const { program, args } = programOf(argv);
  if (program !== "apt-get" && program !== "apt") return false;
  if (args.find((a) => !a.startsWith("-")) !== "install") return false;
  return !args.some((a) => a === "--no-install-recommends" || /Install-Recommends=(false|0|no)/i.test(a));
}

/** The final stage, then the stage it builds FROM, and so on. */
function ancestry(stages: StageState[], index: number): StageState[] {
  const chain: StageState[] = [];
  for (let i: number | undefined = index; i !== undefined && chain.length <= stages.length; i = stages[i]!.parent) {
    chain.push(stages[i]!);
  }
  return chain;
}

function finalUser(chain: StageState[]): DockerfileFact["user"] {
  const own = chain.find((s) => s.user)?.user;
  if (own) return { ...own, root: isRootUser(own.name), from: "USER" };
  const base = chain[chain.length - 1]!;
  if (base.pin !== "stage" && defaultsToNonRoot(parseImageRef(base.image, new Set()))) {
    return { name: `${base.image} default`, line: base.line, root: false, from: "base-image" };
  }
  return undefined;
}

/** `root`, `0`, `root:staff`, `0:0`, Windows' ContainerAdministrator; a user that stays a variable is taken as chosen on purpose. */
export function isRootUser(user: string): boolean {
  const name = user
    .split(":")[0]!
    .trim()
    .replace(/^["']|["']$/g, "");
  return name === "root" || name === "0" || name.toLowerCase() === "containeradministrator";
}

function unpinnedFinding(path: string, stage: Pick<DockerStage, "line" | "image" | "pin">): Finding {
  return {
    path,
    line: stage.line,
    severity: "warning",
    rule: "docker/unpinned-base-image",
    message:
      stage.pin === "latest"
        ? `base image ${stage.image} uses the latest tag: each build may get a different image`
        : `base image ${stage.image} has no tag: it means latest, so each build may get a different image`,
    remediation: "Pin a version tag, or better a digest: `FROM node:20.11-alpine@sha256:<digest>`.",
  };
}

function rootFinding(path: string, line: number, user: DockerfileFact["user"]): Finding {
  return {
    path,
    line,
    severity: "warning",
    rule: "docker/root-user",
    message: user
      ? `the final stage runs as ${user.name}: root in the container`
      : "the final stage has no USER: the container runs as root",
    remediation:
      "Create an unprivileged user and switch to it at the end of the final stage: `RUN useradd --uid 10001 app` then `USER 10001`.",
  };
}

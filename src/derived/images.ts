// Which stage of each Dockerfile is the image that ships, and who it runs as. A multi-target Dockerfile ships the
// stages its builds name (compose `build.target`, `docker build --target X` in CI, scripts, Makefiles and npm
// scripts, docker/build-push-action `target:`), else its last stage; targets named for tests or development are
// not what ships. A stage built FROM an image that this repository builds from another Dockerfile (a tag of a
// `docker build -t`, a compose service's `image:` next to its `build:`, a `docker manifest create` of those)
// inherits that image's USER, HEALTHCHECK and CMD, as Docker does.

import type { FactStore } from "../engine/facts.js";
import { joinRepoPath } from "../engine/paths.js";
import type { Evidence } from "../engine/types.js";
import type { DockerfileFact, DockerStage, DockerUser } from "../facts/container.js";
import type { ShippedImage } from "../facts/derived.js";
import { programOf } from "../vocabulary/programs.js";

/** One build of a Dockerfile found in the repository: which file, which target, under which names. */
interface ImageBuild {
  dockerfile: string;
  target?: string;
  /** image names (without tag), `$VAR` parts kept as written */
  names: string[];
  at: Evidence;
}

/** Targets that exist to run tests or a development environment, not to ship. */
const NOT_SHIPPED_TARGET = /(^|[-_.])(tests?|testing|lint|dev|devel|development|debug|ci|check|e2e)([-_.]|\d*$)/i;

/** `docker build` flags that take a value as the next word. */
const VALUE_FLAGS = new Set([
  "-f",
  "--file",
  "-t",
  "--tag",
  "--target",
  "--build-arg",
  "--platform",
  "--label",
  "--cache-from",
  "--cache-to",
  "--secret",
  "--ssh",
  "-o",
  "--output",
  "--progress",
  "--network",
  "--add-host",
  "--iidfile",
  "--metadata-file",
  "--builder",
  "--build-context",
  "--shm-size",
  "-m",
  "--memory",
  "--ulimit",
  "--isolation",
  "--cgroup-parent",
  "--annotation",
  "--allow",
  "--attest",
  "--format",
  "--layers",
  "--jobs",
]);

export function shippedImages(facts: FactStore): ShippedImage[] {
  const dockerfiles = facts.all("dockerfile").filter((d) => !d.devcontainer && d.stages.length > 0);
  if (dockerfiles.length === 0) return [];
  const byPath = new Map(dockerfiles.map((d) => [d.path, d] as const));
  const { builds, aliases } = imageBuilds(facts, byPath);
  const shipped = (d: DockerfileFact): { stage: DockerStage; build?: ImageBuild }[] => {
    const refs = builds.filter((b) => b.dockerfile === d.path && !(b.target && NOT_SHIPPED_TARGET.test(b.target)));
    if (refs.length === 0) return [{ stage: d.stages[d.stages.length - 1]! }];
    const out: { stage: DockerStage; build?: ImageBuild }[] = [];
    for (const build of refs) {
      const stage = stageOf(d, build.target);
      if (!out.some((o) => o.stage === stage)) out.push({ stage, build });
    }
    return out;
  };

  // an image of this repository that a FROM names: the stage its build ships
  const ownImage = (image: string, from: DockerfileFact, depth: number): ShippedImage | undefined => {
    if (depth > 3 || image.includes("$")) return undefined;
    const names = [imageName(image), ...(aliases.get(imageName(image)) ?? [])];
    const build = builds.find(
      (b) => b.dockerfile !== from.path && b.names.some((n) => names.some((name) => sameImage(n, name))),
    );
    const d = build && byPath.get(build.dockerfile);
    return d && judge(d, stageOf(d, build.target), build, depth + 1);
  };

  const judge = (d: DockerfileFact, stage: DockerStage, build: ImageBuild | undefined, depth: number) => {
    const image: ShippedImage = { dockerfile: d, stage, filesOnly: stage.fromScratch && !stage.processInEffect };
    if (stage.name && d.stages.length > 1 && stage !== d.stages[d.stages.length - 1]) image.target = stage.name;
    if (build) image.builtAt = build.at;
    const base = stage.fromScratch ? undefined : ownImage(stage.baseImage, d, depth);
    const user: (DockerUser & { inheritedFrom?: string }) | undefined =
      stage.runsAs ?? (base?.user ? { ...base.user, inheritedFrom: base.dockerfile.path } : undefined);
    if (user) image.user = user;
    const healthcheck =
      stage.healthcheckInEffect ??
      (base?.healthcheck ? { ...base.healthcheck, inheritedFrom: base.dockerfile.path } : undefined);
    if (healthcheck) image.healthcheck = healthcheck;
    return image;
  };

  return dockerfiles.flatMap((d) => shipped(d).map(({ stage, build }) => judge(d, stage, build, 0)));
}

/** The stage a build names, or the last one (no target, or a target that is not a stage name, e.g. a variable). */
function stageOf(d: DockerfileFact, target: string | undefined): DockerStage {
  const named = target && d.stages.find((s) => s.name?.toLowerCase() === target.toLowerCase());
  return named || d.stages[d.stages.length - 1]!;
}

function imageBuilds(
  facts: FactStore,
  byPath: ReadonlyMap<string, DockerfileFact>,
): { builds: ImageBuild[]; aliases: Map<string, string[]> } {
  const builds: ImageBuild[] = [];
  const aliases = new Map<string, string[]>();
  const add = (dockerfile: string | undefined, target: string | undefined, names: string[], at: Evidence) => {
    if (dockerfile && byPath.has(dockerfile)) builds.push({ dockerfile, ...(target ? { target } : {}), names, at });
  };
  for (const compose of facts.all("compose")) {
    const folder = folderOf(compose.path);
    for (const s of compose.services) {
      if (!s.build) continue;
      const context = joinPath(folder, s.buildContext ?? ".");
      const file = joinPath(context, s.dockerfile ?? "Dockerfile");
      add(file, s.target, s.image ? [imageName(s.image)] : [], { path: compose.path, line: s.line });
    }
  }
  for (const c of facts.all("command")) {
    const words = c.argv.map(unquote);
    const build = dockerBuild(words);
    if (build) {
      const at = { path: c.path, line: c.line, note: words.join(" ").slice(0, 120) };
      for (const file of candidates(build.file, build.context, c.origin === "ci" ? "" : folderOf(c.path)))
        if (byPath.has(file)) {
          add(file, build.target, build.tags.map(imageName), at);
          break;
        }
      continue;
    }
    const manifest = manifestList(words);
    if (manifest) aliases.set(imageName(manifest.list), manifest.sources.map(imageName));
  }
  for (const pipeline of facts.all("ci")) {
    for (const job of pipeline.jobs) {
      if (job.disabled) continue;
      for (const step of job.steps) {
        const action = step.uses?.split("@")[0]?.toLowerCase();
        if (action !== "docker/build-push-action" || !step.with) continue;
        const context = step.with.context && !step.with.context.includes("://") ? step.with.context : ".";
        const file = step.with.file ?? joinPath(context, "Dockerfile");
        const tags = (step.with.tags ?? "").split(/[\n,]/).map((t) => t.trim());
        add(normalize(file), step.with.target, tags.filter(Boolean).map(imageName), {
          path: pipeline.path,
          line: step.line,
          note: "docker/build-push-action",
        });
      }
    }
  }
  return { builds, aliases };
}

interface DockerBuildCommand {
  file?: string;
  context?: string;
  target?: string;
  tags: string[];
}

/** `docker build`, `docker buildx build`, `docker image build`, `podman build`, `buildah bud`: its flags. */
function dockerBuild(argv: string[]): DockerBuildCommand | undefined {
  const { program, args } = programOf(argv);
  argv = [program, ...args];
  let i = 0;
  if (program === "docker") {
    i++;
    if (argv[i] === "buildx" || argv[i] === "image") i++;
    if (argv[i] !== "build") return undefined;
  } else if (program === "podman" || program === "buildah") {
    i++;
    if (argv[i] !== "build" && argv[i] !== "bud") return undefined;
  } else return undefined;
  const out: DockerBuildCommand = { tags: [] };
  const positional: string[] = [];
  for (i++; i < argv.length; i++) {
    const word = argv[i]!;
    if (!word.startsWith("-") || word === "-") {
      positional.push(word);
      continue;
    }
    const eq = word.indexOf("=");
    const flag = eq > 0 ? word.slice(0, eq) : word;
    if (!VALUE_FLAGS.has(flag)) continue;
    const value = eq > 0 ? word.slice(eq + 1) : argv[++i];
    if (value === undefined) break;
    if (flag === "-f" || flag === "--file") out.file = value;
    else if (flag === "-t" || flag === "--tag") out.tags.push(value);
    else if (flag === "--target") out.target = value;
  }
  const context = positional[positional.length - 1];
  if (context) out.context = context;
  return out;
}

/** `docker manifest create LIST [--amend] SRC…`, `docker buildx imagetools create -t LIST SRC…`. */
function manifestList(words: string[]): { list: string; sources: string[] } | undefined {
  const { program, args } = programOf(words);
  if (program !== "docker") return undefined;
  const argv = [program, ...args];
  if (argv[1] === "manifest" && argv[2] === "create") {
    const words = argv.slice(3).filter((w) => !w.startsWith("-"));
    return words.length > 1 ? { list: words[0]!, sources: words.slice(1) } : undefined;
  }
  if (argv[1] === "buildx" && argv[2] === "imagetools" && argv[3] === "create") {
    const rest = argv.slice(4);
    const t = rest.findIndex((w) => w === "-t" || w === "--tag");
    const list = t >= 0 ? rest[t + 1] : undefined;
    const sources = rest.filter((w, i) => !w.startsWith("-") && i !== t + 1);
    return list && sources.length > 0 ? { list, sources } : undefined;
  }
  return undefined;
}

/** Where a build's Dockerfile is: `-f` from the repository root or the script's folder, else `<context>/Dockerfile`. */
function candidates(file: string | undefined, context: string | undefined, folder: string): string[] {
  if (file?.includes("$") || (!file && context?.includes("$"))) return [];
  const relative = file ?? joinPath(context ?? ".", "Dockerfile");
  const out = [normalize(relative)];
  if (folder) out.push(joinPath(folder, relative));
  if (file && context && !file.startsWith("/")) out.push(joinPath(context, file));
  return out;
}

/** `ghcr.io/org/app:1.2@sha256:…` → `ghcr.io/org/app`; Docker Hub's `docker.io/` and `library/` dropped. */
function imageName(image: string): string {
  let name = unquote(image).trim().toLowerCase();
  const at = name.indexOf("@");
  if (at >= 0) name = name.slice(0, at);
  const colon = name.lastIndexOf(":");
  if (colon > name.lastIndexOf("/")) name = name.slice(0, colon);
  return name.replace(/^(docker\.io|index\.docker\.io)\//, "").replace(/^library\//, "");
}

/** A built name matches a FROM name; a `$VAR` in the built name stands for any part of one path segment. */
function sameImage(built: string, wanted: string): boolean {
  if (!built.includes("$")) return built === wanted;
  const parts = built.split(/\$\{[^}]*\}|\$[A-Za-z_][A-Za-z0-9_]*/);
  const pattern = parts.map((p) => p.replace(/[.*+?^()|[\]\\{}]/g, "\\$&")).join("[^/:]*");
  return new RegExp(`^${pattern}$`).test(wanted);
}

function unquote(word: string): string {
  return word.length >= 2 && (word[0] === '"' || word[0] === "'") && word.endsWith(word[0]) ? word.slice(1, -1) : word;
}

function folderOf(path: string): string {
  const slash = path.lastIndexOf("/");
  return slash < 0 ? "" : path.slice(0, slash);
}

/** `a` + `../b/Dockerfile` → `b/Dockerfile`; empty for a path that leaves the repository. */
function joinPath(folder: string, path: string): string {
  return joinRepoPath(folder, path, { emptyWhenOutside: true });
}

/** `./a/../b/Dockerfile` → `b/Dockerfile`; empty for a path that leaves the repository. */
function normalize(path: string): string {
  return joinPath("", path);
}

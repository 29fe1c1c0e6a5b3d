// Containerisation: is there an image, and is it built small, reproducibly and safely?
// Dev containers (.devcontainer/) are development tools, not shipped images: only lint looks at them.
import {
  type DetectContext,
  type Detector,
  dedupeEvidence,
  fail,
  notApplicable,
  pass,
  passIfAny,
} from "../engine/detector.js";
import type { Evidence } from "../engine/types.js";
import type { DockerfileFact, DockerStage } from "../facts/container.js";

/** Dockerfiles that parse and build an image that ships (not a dev container). */
export function shippedDockerfiles(ctx: DetectContext): readonly DockerfileFact[] {
  return ctx.facts.all("dockerfile").filter((d) => !d.devcontainer && d.stages.length > 0);
}

const finalStage = (d: DockerfileFact): DockerStage => d.stages[d.stages.length - 1]!;
const at = (d: DockerfileFact, line: number, note?: string): Evidence => ({
  path: d.path,
  line,
  ...(note ? { note } : {}),
});
const list = (paths: string[]): string =>
  paths.slice(0, 3).join(", ") + (paths.length > 3 ? ` and ${paths.length - 3} more` : "");

const dockerfile: Detector = (ctx) =>
  passIfAny(
    shippedDockerfiles(ctx).map((d) => at(d, d.stages[0]!.line, `FROM ${d.stages[0]!.image}`)),
    ...failReasonWithoutDockerfile(ctx),
  );

function failReasonWithoutDockerfile(ctx: DetectContext): [reason: string, reasonId: string] {
  const all = ctx.facts.all("dockerfile");
  if (all.some((d) => d.stages.length === 0))
    return ["the only Dockerfiles do not parse (see the dockerfile/parse-error findings)", "unparsable-dockerfile"];
  if (all.length > 0)
    return ["only a dev container Dockerfile (.devcontainer/), no image that ships", "dev-container-only"];
  return ["no Dockerfile or Containerfile in the repository", "no-dockerfile"];
}

/** A .dockerignore that keeps something out, at the Dockerfile's folder or above it, or `<Dockerfile>.dockerignore`. */
const dockerignore: Detector = (ctx) => {
  const ignores = ctx.facts.all("dockerignore").filter((i) => i.ignoresSomething);
  const byFolder = new Map(ignores.filter((i) => !i.forDockerfile).map((i) => [folderOf(i.path), i] as const));
  const evidence: Evidence[] = [];
  const missing: DockerfileFact[] = [];
  for (const d of shippedDockerfiles(ctx)) {
    const own = ignores.find((i) => i.forDockerfile === d.path);
    const found =
      own ??
      ancestors(folderOf(d.path))
        .map((f) => byFolder.get(f))
        .find((i) => i !== undefined);
    if (found) evidence.push({ path: found.path, line: 1, note: `build context of ${d.path}` });
    else missing.push(d);
  }
  if (missing.length > 0) {
    return fail(
      `no .dockerignore that excludes anything for ${list(missing.map((d) => d.path))}`,
      missing.map((d) => at(d, 1)),
      "no-dockerignore",
    );
  }
  return pass(dedupeEvidence(evidence));
};

/** Every external base image has a version tag (or, with `require_digest: true`, a digest); never `latest`. */
const pinnedBaseImages: Detector = (ctx, params) => {
  const requireDigest = params.require_digest === true;
  const pinned: Evidence[] = [];
  const unpinned: Evidence[] = [];
  for (const d of shippedDockerfiles(ctx)) {
    for (const stage of d.stages) {
      if (stage.pin === "digest" || (stage.pin === "tag" && !requireDigest))
        pinned.push(at(d, stage.line, stage.image));
      else if (stage.pin === "latest" || stage.pin === "untagged" || stage.pin === "tag")
        unpinned.push(at(d, stage.line, stage.image));
    }
  }
  if (unpinned.length > 0) {
    const what = requireDigest ? "not pinned by digest" : "on latest or without a tag";
    return fail(
      `${unpinned.length} base image(s) ${what}: ${list(unpinned.map((e) => `${e.note} (${e.path}:${e.line})`))}`,
      unpinned,
      requireDigest ? "not-pinned-by-digest" : "unpinned-base-image",
    );
  }
  if (pinned.length === 0)
    return notApplicable("every base image comes from a build argument or is scratch", "no-external-base-image");
  return pass(dedupeEvidence(pinned));
};

/**
 * Where a Dockerfile compiles or bundles, the final stage copies the result from a build stage
 * (`COPY --from=…`) and runs no build step itself, so compilers and sources stay out of the image.
 */
const multiStage: Detector = (ctx) => {
  const building = shippedDockerfiles(ctx).filter((d) => d.stages.some((s) => s.buildSteps.length > 0));
  if (building.length === 0)
    return notApplicable("no Dockerfile has a build step (compile, bundle) to separate", "no-build-step");
  const evidence: Evidence[] = [];
  const problems: { evidence: Evidence; why: string; id: string }[] = [];
  for (const d of building) {
    const chain = finalChain(d);
    const step = chain.flatMap((s) => s.buildSteps)[0];
    const copy = chain.flatMap((s) => s.copiesFrom)[0];
    if (step)
      problems.push({
        evidence: at(d, step.line, step.command),
        why: `${d.path}: the final stage builds (${step.command})`,
        id: "final-stage-builds",
      });
    else if (!copy)
      problems.push({
        evidence: at(d, finalStage(d).line),
        why: `${d.path}: the final stage copies nothing from a build stage`,
        id: "no-copy-from-build-stage",
      });
    else evidence.push(at(d, copy.line, `COPY --from=${copy.stage}`));
  }
  if (problems.length > 0)
    return fail(
      problems
        .map((p) => p.why)
        .slice(0, 3)
        .join("; "),
      problems.map((p) => p.evidence),
      problems[0]!.id,
    );
  return pass(dedupeEvidence(evidence));
};

const SCRATCH_ADVICE =
  "a FROM scratch image has no useradd: add `USER 65532:65532` (a numeric user needs no passwd entry) " +
  "or build on a distroless `:nonroot` base";

/**
 * The image every shipped Dockerfile builds runs as a user that is not root: its final stage, or the stages its
 * builds target. An image of files only (FROM scratch, no CMD or ENTRYPOINT) is never run as a container.
 */
const nonRootUser: Detector = (ctx) => {
  const images = ctx.derived.images;
  const running = images.filter((i) => !i.filesOnly);
  if (images.length > 0 && running.length === 0) {
    return notApplicable(
      `only images of files (FROM scratch with no CMD or ENTRYPOINT, never run as a container): ${list(
        images.map((i) => i.dockerfile.path),
      )}`,
      "file-images-only",
    );
  }
  const evidence: Evidence[] = [];
  const rootOnes: Evidence[] = [];
  const scratch: string[] = [];
  for (const image of running) {
    const { dockerfile: d, stage, user } = image;
    const target = image.target ? ` (target ${image.target})` : "";
    if (user && !user.root) {
      const note = user.from === "USER" ? `USER ${user.name}` : user.name;
      evidence.push(
        user.inheritedFrom
          ? at(d, stage.line, `FROM ${stage.baseImage}: ${note} of ${user.inheritedFrom}${target}`)
          : at(d, user.line, `${note}${target}`),
      );
    } else {
      const where = image.target ? `the target ${image.target}` : "the final stage";
      rootOnes.push(at(d, user?.line ?? stage.line, user ? `USER ${user.name}${target}` : `no USER in ${where}`));
      if (stage.fromScratch) scratch.push(d.path);
    }
  }
  if (rootOnes.length > 0) {
    const why = `the ${running.some((i) => i.target) ? "shipped" : "final"} stage runs as root in ${list(
      rootOnes.map((e) => `${e.path}:${e.line}`),
    )}`;
    // a scratch image has no shell and no useradd: the usual advice cannot be followed there
    return fail(scratch.length > 0 ? `${why}; ${SCRATCH_ADVICE}` : why, rootOnes, "runs-as-root");
  }
  return pass(dedupeEvidence(evidence));
};

/**
 * A health check of the app's own container: a HEALTHCHECK (not NONE) in effect in a shipped image (its final stage
 * or a target a build names, or inherited from this repository's image it builds FROM), a compose health check on a
 * service that builds the image (not on a database next to it), or an orchestrator probe of the kinds in `kinds`.
 */
const healthcheck: Detector = (ctx, params) => {
  const kinds = new Set(Array.isArray(params.kinds) ? params.kinds.map(String) : ["dockerfile"]);
  const evidence: Evidence[] = ctx.facts
    .all("healthcheck")
    .filter((h) => kinds.has(h.kind) && h.kind !== "compose" && h.kind !== "dockerfile")
    .map((h) => ({ path: h.path, line: h.line, note: h.kind }));
  if (kinds.has("dockerfile")) {
    for (const image of ctx.derived.images) {
      const h = image.healthcheck;
      if (!h || h.disabled || image.filesOnly) continue;
      const target = image.target ? ` (target ${image.target})` : "";
      evidence.push(
        h.inheritedFrom
          ? { path: h.inheritedFrom, line: h.line, note: `dockerfile, inherited by ${image.dockerfile.path}${target}` }
          : { path: image.dockerfile.path, line: h.line, note: `dockerfile${target}` },
      );
    }
  }
  if (kinds.has("compose")) {
    for (const compose of ctx.facts.all("compose")) {
      for (const s of compose.services) {
        if (s.build && s.healthcheck)
          evidence.push({ path: compose.path, line: s.healthcheckLine ?? s.line, note: `compose service ${s.name}` });
      }
    }
  }
  return passIfAny(
    dedupeEvidence(evidence),
    "no HEALTHCHECK in the shipped stage and no health check of the app's container in compose or Kubernetes",
    "no-healthcheck",
  );
};

/** No error-severity lint problem (parse errors, dockerfilelint's likely bugs) in any Dockerfile. */
const lintClean: Detector = (ctx) => {
  const dockerfiles = ctx.facts.all("dockerfile");
  const errors = dockerfiles.flatMap((d) => d.lintErrors.map((e) => at(d, e.line, e.rule)));
  if (errors.length > 0) {
    return fail(
      `${errors.length} lint error(s): ${list(errors.map((e) => `${e.note} at ${e.path}:${e.line}`))}`,
      dedupeEvidence(errors),
      "lint-errors",
    );
  }
  return pass(dockerfiles.map((d) => at(d, d.stages[0]?.line ?? 1, "no lint errors")));
};

/** A compose file with at least one service, to run the app and its dependencies locally. */
const composeFile: Detector = (ctx) =>
  passIfAny(
    ctx.facts
      .all("compose")
      .filter((c) => c.services.length > 0)
      .map((c) => ({ path: c.path, line: c.services[0]!.line, note: `${c.services.length} service(s)` })),
    "no compose file (compose.yaml / docker-compose.yml) with a service",
    "no-compose-file",
  );

/** The final stage and the stages it builds FROM, nearest first. */
function finalChain(d: DockerfileFact): DockerStage[] {
  const byName = new Map(d.stages.filter((s) => s.name).map((s) => [s.name!.toLowerCase(), s] as const));
  const chain: DockerStage[] = [];
  for (
    let s: DockerStage | undefined = finalStage(d);
    s && !chain.includes(s);
    s = s.fromStage ? byName.get(s.image.toLowerCase()) : undefined
  ) {
    chain.push(s);
  }
  return chain;
}

function folderOf(path: string): string {
  const slash = path.lastIndexOf("/");
  return slash < 0 ? "" : path.slice(0, slash);
}

/** "a/b" → ["a/b", "a", ""] */
function ancestors(folder: string): string[] {
  const out = [folder];
  for (let f = folder; f !== ""; ) {
    f = folderOf(f);
    out.push(f);
  }
  return out;
}

export const dockerDetectors: Record<string, Detector> = {
  "docker/dockerfile": dockerfile,
  "docker/dockerignore": dockerignore,
  "docker/pinned-base-images": pinnedBaseImages,
  "docker/multi-stage": multiStage,
  "docker/non-root-user": nonRootUser,
  "docker/healthcheck": healthcheck,
  "docker/lint-clean": lintClean,
  "docker/compose-file": composeFile,
};

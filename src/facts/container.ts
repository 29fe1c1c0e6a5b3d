// Container images and how they are composed.

/**
 * How firmly a FROM names its base image:
 * digest (immutable, best), tag (a moving but chosen version: accepted), latest / untagged (whatever is newest),
 * unresolved (a build argument without a default: the caller picks), scratch (no base), stage (an earlier stage).
 */
export type BasePin = "digest" | "tag" | "latest" | "untagged" | "unresolved" | "scratch" | "stage";

export interface DockerStage {
  /** line of the FROM instruction */
  line: number;
  /** the image as written after ARG substitution, e.g. "node:20-alpine" or "build" */
  image: string;
  tag?: string;
  digest?: string;
  /** `AS name` */
  name?: string;
  /** the stage builds FROM another stage of this file */
  fromStage?: boolean;
  pin: BasePin;
  /** last USER of this stage itself (not inherited) */
  user?: { name: string; line: number };
  /** HEALTHCHECK of this stage itself; `disabled` for `HEALTHCHECK NONE` */
  healthcheck?: { line: number; disabled: boolean };
  /** RUN commands that compile or bundle (go build, npm run build, mvn package …) */
  buildSteps: { line: number; command: string }[];
  /** `COPY --from=<stage>` of an earlier stage of this file (names in lower case, or indices) */
  copiesFrom: { stage: string; line: number }[];
  /** last CMD or ENTRYPOINT of this stage itself */
  process?: DockerProcess;
  /**
   * Built as the target (`--target`, compose `build.target`): who it runs as (its own USER, a parent stage's, or a
   * base image known to default to non-root). Absent: root, unless its base is an image this repository builds.
   */
  runsAs?: DockerUser;
  /** built as the target: the HEALTHCHECK in effect (own or a parent stage's) */
  healthcheckInEffect?: { line: number; disabled: boolean };
  /** built as the target: the CMD or ENTRYPOINT in effect (own or a parent stage's) */
  processInEffect?: DockerProcess;
  /** the image at the root of its FROM chain (this stage's own image when it builds FROM no stage), as written */
  baseImage: string;
  /** the root of its FROM chain is `scratch` */
  fromScratch: boolean;
}

export interface DockerProcess {
  line: number;
  instruction: "CMD" | "ENTRYPOINT";
}

export interface DockerUser {
  name: string;
  line: number;
  root: boolean;
  from: "USER" | "base-image";
}

export interface DockerfileFact {
  path: string;
  /** empty when the file does not parse (empty, no FROM): see lintErrors */
  stages: DockerStage[];
  /**
   * Who the final stage runs as: its last USER, one inherited from the stage it builds FROM, or a base image
   * known to default to a non-root user (`from: "base-image"`). Absent: Docker's default, root.
   */
  user?: DockerUser;
  /** HEALTHCHECK in effect for the final stage (own or inherited); `disabled` for `HEALTHCHECK NONE` */
  healthcheck?: { line: number; disabled: boolean };
  /** ports the final stage EXPOSEs */
  exposes: number[];
  /** error-severity lint problems (parse errors, dockerfilelint's likely bugs) not suppressed in place */
  lintErrors: { line: number; rule: string }[];
  /** a development container (.devcontainer/), not an image that ships */
  devcontainer: boolean;
}

export interface DockerignoreFact {
  path: string;
  /** patterns in effect: no comments, no blank lines */
  patterns: string[];
  /** the patterns exclude something (not only `!` re-inclusions) */
  ignoresSomething: boolean;
  /** for `<Dockerfile>.dockerignore` (BuildKit): the Dockerfile it belongs to */
  forDockerfile?: string;
}

export interface ComposeService {
  name: string;
  line: number;
  image?: string;
  build: boolean;
  /** `build:` context and dockerfile, relative to the compose file's folder, when given */
  buildContext?: string;
  dockerfile?: string;
  /** `build.target`: the stage of a multi-stage Dockerfile that is built */
  target?: string;
  /** a health check in effect (a `test`, not `disable: true`, not `["NONE"]`) */
  healthcheck: boolean;
  healthcheckLine?: number;
  restart?: string;
  user?: string;
  volumes: string[];
}

export interface ComposeFact {
  path: string;
  services: ComposeService[];
  namedVolumes: string[];
}

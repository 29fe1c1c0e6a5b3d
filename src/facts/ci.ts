// CI/CD pipelines of every system, normalised so detectors need not know the system.
// Only configuration in effect is described: a job switched off (`if: false`, `when: never`, a hidden
// GitLab template, a commented-out stage) is either absent or carries `disabled: true`.

export type CiSystem =
  | "github-actions"
  | "gitlab"
  | "jenkins"
  | "circleci"
  | "azure-pipelines"
  | "travis"
  | "bitbucket"
  | "drone"
  | "buildkite"
  | "woodpecker"
  | "cloud-build"
  | "concourse";

/** Something a step does that matters to a detector, found by reading its command or action. */
export interface CiAction {
  line: number;
  /** short description of what was recognised, e.g. "helm upgrade --install", "azure/webapps-deploy" */
  what: string;
}

/**
 * `sha`: a full commit SHA or an image digest (immutable); `first-party-tag`: a version tag of a GitHub-owned
 * action (actions/*, github/*), accepted; `mutable`: any other tag or branch, which its owner can move.
 */
export type Pin = "sha" | "first-party-tag" | "mutable";

export interface CiStep {
  line: number;
  name?: string;
  /** GitHub Actions `uses:` (an action or a reusable workflow), CircleCI orb command, Bitbucket pipe, Azure task … */
  uses?: string;
  /** shell text of a run/script step */
  run?: string;
  /** file line where the text of `run` begins (the line after `run: |`) */
  runLine?: number;
  with?: Record<string, string>;
  /** GitHub Actions: how the remote `uses:` ref is pinned (undefined for local `./` actions) */
  pin?: Pin;
  /** runs only under a condition (`if:`) */
  condition?: string;
}

export interface CiJob {
  id: string;
  name?: string;
  line: number;
  /** the job never runs: `if: false`, GitLab `when: never`, a hidden `.template` job … */
  disabled?: boolean;
  /** deployment environment (GitHub `environment:`, GitLab `environment:`, Azure deployment job, Bitbucket `deployment:`) */
  environment?: { name: string; line: number };
  /**
   * a human must approve before this job runs (GitLab `when: manual`, CircleCI approval job upstream, Jenkins
   * `input`, Buildkite block step before it)
   */
  manualApproval?: boolean;
  /** line of the approval gate, when there is one */
  approvalLine?: number;
  steps: CiStep[];
  needs: string[];
  /** reusable workflow called by the job (`jobs.<id>.uses`) */
  calls?: string;
  /** how the called reusable workflow is pinned (undefined for a local one) */
  callPin?: Pin;
  timeoutMinutes?: number;
  timeoutLine?: number;
  /** runs only under a condition (`if:`, `rules:`, `only:`, `when { branch }`) */
  condition?: string;
  cache?: boolean;
  cacheLine?: number;
  /** GitHub Actions job-level permissions were declared */
  permissions?: boolean;
  permissionsLine?: number;
  /** job-level permissions are `write-all` */
  writeAll?: boolean;
  /** the job cannot run twice at once: GitHub `concurrency`, GitLab `resource_group`, Jenkins `lock` … */
  concurrency?: { line: number };
  /** steps that deploy (kubectl apply, helm upgrade, terraform apply, a deploy action …) */
  deploys?: CiAction[];
  /** steps that publish a release (npm publish, gh release create, twine upload …) */
  publishes?: CiAction[];
  /** steps that run a test suite (npm test, pytest, go test …) */
  tests?: CiAction[];
  /**
   * steps that copy to a host (rsync, scp …) and that restart a service on one (ssh … systemctl restart): the
   * derived-facts step takes the first of each, together, for a deploy, as in a deploy script
   */
  transfers?: CiAction[];
  remoteRestarts?: CiAction[];
}

export interface CiTriggers {
  pullRequest: boolean;
  push: boolean;
  /** push filtered to tags, or a tag pipeline */
  tags: boolean;
  release: boolean;
  manual: boolean;
  /** cron expressions */
  schedule: string[];
  /** `workflow_call`: a reusable workflow */
  reusable: boolean;
  line?: number;
  /** GitHub Actions event names as written (pull_request_target, merge_group …) */
  events?: string[];
}

export interface CiPipelineFact {
  path: string;
  system: CiSystem;
  name?: string;
  triggers: CiTriggers;
  jobs: CiJob[];
  /** GitHub Actions: top-level `permissions:` */
  permissions?: { line: number; writeAll: boolean };
  /** GitHub Actions: top-level `concurrency:`; Jenkins `disableConcurrentBuilds()` */
  concurrency?: { line: number };
  /** a timeout that applies to every job (Jenkins `options { timeout }`, Bitbucket `options: max-time`, GitLab `default: timeout`) */
  timeout?: { line: number };
  /** included configuration (GitLab `include:`: templates such as `Security/SAST.gitlab-ci.yml`, local files, components) */
  includes?: { kind: "template" | "local" | "remote" | "project" | "component"; value: string; line: number }[];
  /** caching configured for every job (GitLab `default: cache`, Travis `cache:`, Bitbucket definitions) */
  cache?: { line: number };
}

// CI/CD pipelines of every system, normalised so detectors need not know the system.

export type CiSystem =
  | "github-actions" | "gitlab" | "jenkins" | "circleci" | "azure-pipelines"
  | "travis" | "bitbucket" | "drone" | "buildkite";

export interface CiStep {
  line: number;
  name?: string;
  /** GitHub Actions `uses:` (an action or a reusable workflow), CircleCI orb command, etc. */
  uses?: string;
  /** shell text of a run/script step */
  run?: string;
  with?: Record<string, string>;
}

export interface CiJob {
  id: string;
  name?: string;
  line: number;
  /** deployment environment (GitHub `environment:`, GitLab `environment:`, Azure deployment job) */
  environment?: { name: string; line: number };
  /** a human must approve (GitLab `when: manual`, CircleCI approval job, Jenkins `input`) */
  manualApproval?: boolean;
  steps: CiStep[];
  needs: string[];
  /** reusable workflow called by the job (`jobs.<id>.uses`) */
  calls?: string;
  timeoutMinutes?: number;
  /** runs only under a condition (`if:`, `rules:`, `only:`) */
  condition?: string;
  cache?: boolean;
  /** GitHub Actions job-level permissions were declared */
  permissions?: boolean;
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
}

export interface CiPipelineFact {
  path: string;
  system: CiSystem;
  name?: string;
  triggers: CiTriggers;
  jobs: CiJob[];
  /** GitHub Actions: top-level `permissions:` */
  permissions?: { line: number; writeAll: boolean };
  /** GitHub Actions: top-level `concurrency:` */
  concurrency?: { line: number };
}

// Derived facts: what the facts of many files say together, computed once per scan by the derived-facts step
// (src/derived) after every file was analysed and before any detector runs. Detectors read them as ctx.derived.

import type { DataCommand } from "../analyzers/command-class/data.js";
import type { CommandClass } from "../analyzers/command-class.js";
import type { CommandGraph } from "../derived/command-graph.js";
import type { DeployReach } from "../derived/deploy-reach.js";
import type { ComposeInstall } from "../derived/installs.js";
import type { ManagedBackups } from "../derived/managed-backups.js";
import type { RollbackEvidence } from "../derived/rollbacks.js";
import type { Evidence } from "../engine/types.js";
import type { CiAction, CiJob, CiPipelineFact } from "./ci.js";
import type { CommandFact } from "./commands.js";
import type { DockerfileFact, DockerStage, DockerUser } from "./container.js";
import type { K8sObjectFact } from "./infra.js";
import type {
  AlertRoutingFact,
  AlertRuleFact,
  DashboardFact,
  LogShippingFact,
  MetricsLibraryFact,
  ScrapeConfigFact,
} from "./observability.js";
import type { SecurityScanFact } from "./repo.js";

export interface DerivedFacts {
  /**
   * the Kubernetes objects in effect: manifests a tree applies (not patches, examples, tests, or apps left out of
   * an overlay) and the objects chart templates render with the chart's default values
   */
  kubernetes: K8sObjectFact[];
  /** every command, and what it runs through scripts, Makefile targets, npm scripts and container execs */
  commands: CommandGraph;
  /** commands that run on a schedule (cron, CronJob, systemd timer, CI schedule), with everything they reach */
  schedules: Schedule[];
  /** databases and persistent data that the repository runs or provisions */
  dataStores: DataStore[];
  /** commands of scripts, Makefile targets and npm scripts that reach outside the machine, with what they do */
  localCommandClasses: ClassifiedCommand[];
  /** the local commands that deploy: a deploy tool, or a copy to a host followed by a remote restart */
  deploys: ClassifiedCommand[];
  /** compose and stack files that the install docs start on a server: the deploy of a self-hosted product */
  composeInstalls: ComposeInstall[];
  /** whether a make target, just recipe, npm script or script file reaches one of the deploys */
  deployReach: DeployReach;
  /** Terragrunt units and the environment folders they sit in, with the evidence of the live repository */
  terragrunt: TerragruntLive;
  /** what GitOps controllers apply from Git: Flux Kustomizations/HelmReleases, Argo CD Applications/ApplicationSets */
  gitops: GitOpsDeploy[];
  /** alerts, routing, scrapes, dashboards, log shipping, metrics libraries and security scans, from every source */
  monitoring: Monitoring;
  /** every CI job that can run, with what it does itself and through the repository's scripts and targets */
  ciJobs: CiJobActions[];
  /** commands that back data up, restore it or ship it away; backups that run without a person; managed backups */
  backups: BackupFacts;
  /** what rolls a failed deploy back by itself, and every command that rolls back */
  rollbacks: RollbackEvidence;
  /** the image each shipped Dockerfile builds: the stage its builds target (else the last), and who it runs as */
  images: ShippedImage[];
}

/** The stage of a Dockerfile that ships, and what it has in effect, its base image of this repository included. */
export interface ShippedImage {
  dockerfile: DockerfileFact;
  stage: DockerStage;
  /** the stage's name when a build targets a stage other than the last */
  target?: string;
  /** the build that chose the stage (compose service, `docker build --target`, build-push-action) */
  builtAt?: Evidence;
  /** who it runs as; `inheritedFrom` the Dockerfile of this repository's image it builds FROM */
  user?: DockerUser & { inheritedFrom?: string };
  healthcheck?: { line: number; disabled: boolean; inheritedFrom?: string };
  /** FROM scratch with no CMD or ENTRYPOINT: a carrier of files (a layer, a binary to copy out), never run */
  filesOnly: boolean;
}

/** What the repository does with its data. */
export interface BackupFacts {
  /** every command that names a backup tool, backs up, restores, uploads or copies a file */
  commands: DataCommandFact[];
  /** the data fact of one command of the graph */
  of(command: CommandFact): DataCommandFact | undefined;
  /** backups that run without a person: reached from a scheduled command, or automatic by themselves */
  automated: ScheduledBackup[];
  /** backups a platform takes by itself (backup plans, retention, operator schedules), and those switched off */
  managed: ManagedBackups;
}

export interface DataCommandFact {
  command: CommandFact;
  /** the program run (after sudo, env and the like) */
  program: string;
  /** a backup by its words alone */
  named?: DataCommand;
  /** a backup that really writes a copy: its output is not thrown away */
  backup?: DataCommand;
  /** restores a backup (a database client only when fed a dump; a SQLite copy put back and checked) */
  restore?: DataCommand;
  /** copies data to object storage or another host: what it does */
  upload?: string;
  /** the program is a backup tool (pg_dump, restic …), whatever its arguments */
  backupProgram?: boolean;
  /** the local file a copy writes, as written */
  copyTarget?: string;
  /** a command of a suspended Kubernetes CronJob */
  suspended?: boolean;
}

export interface ScheduledBackup {
  command: CommandFact;
  data: DataCommand;
  /** the scheduled command that runs it, when it runs on a schedule (absent: automatic by itself) */
  root?: CommandFact;
  /** the program of the scheduled command */
  rootProgram?: string;
}

/**
 * What one CI job does: its own steps' deploys, publishes and tests, and those of the scripts, Makefile targets
 * and npm scripts its steps run (at the line of the step's command, e.g. `make deploy (helm upgrade)`).
 */
export interface CiJobActions {
  pipeline: CiPipelineFact;
  job: CiJob;
  deploys: CiAction[];
  publishes: CiAction[];
  tests: CiAction[];
}

/** A GitOps controller's object: Flux or Argo CD applying the repository's manifests or charts by itself. */
export interface GitOpsDeploy {
  path: string;
  line: number;
  tool: "flux" | "argocd";
  kind: string;
  name?: string;
  /** it applies changes by itself: a Flux applier not suspended, an Argo CD app with automated sync */
  automated: boolean;
  /** a Flux source (GitRepository, OCIRepository …): it fetches, something else applies */
  source?: boolean;
  /** the environment its folder stands for (`clusters/production/…` → prod) */
  environment?: string;
  note: string;
}

export interface Schedule {
  /** the scheduled command (its `schedule` is set: a cron expression, an OnCalendar= value or "scheduled") */
  command: CommandFact;
  /** the command itself first, then every command it runs through scripts and targets */
  runs: CommandFact[];
}

/** A database or persistent data: a database service or image, a volume claim, an operator, a cloud database … */
export type DataStore = Evidence & { note: string };

export interface Monitoring {
  alerts: AlertRuleFact[];
  alertRouting: AlertRoutingFact[];
  scrapes: ScrapeConfigFact[];
  dashboards: DashboardFact[];
  logShipping: LogShippingFact[];
  metricsLibraries: MetricsLibraryFact[];
  securityScans: SecurityScanFact[];
}

export interface ClassifiedCommand {
  command: CommandFact;
  cls: CommandClass;
}

/** A Terragrunt live repository: the evidence of its units (root config first) and one unit per environment. */
export interface TerragruntLive {
  evidence: Evidence[];
  byEnvironment: Map<string, Evidence>;
}

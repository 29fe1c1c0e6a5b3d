// The derived-facts step: facts of every file → what they say together, computed once per scan, in order,
// before any detector runs. To add a derived fact: declare it in src/facts/derived.ts, compute it in a module
// of this folder from facts (and earlier derived facts), and add it here. Derivations keep no state between
// scans (no module-level caches).
import type { FactStore } from "../engine/facts.js";
import type { DerivedFacts } from "../facts/derived.js";
import { backups } from "./backups.js";
import { ciJobs } from "./ci-jobs.js";
import { CommandGraph } from "./command-graph.js";
import { dataStores } from "./data-stores.js";
import { DeployReach } from "./deploy-reach.js";
import { deploys, localCommandClasses, remoteRunnerDeploys } from "./deploys.js";
import { gitopsDeploys } from "./gitops.js";
import { shippedImages } from "./images.js";
import { documentedComposeInstalls, installDeploys } from "./installs.js";
import { kubernetesObjects } from "./kubernetes.js";
import { monitoring } from "./monitoring.js";
import { rollbacks } from "./rollbacks.js";
import { schedules } from "./schedules.js";
import { terragruntLive } from "./terragrunt.js";

export interface DeriveInput {
  facts: FactStore;
  /** every path of the tree after ignores */
  paths: readonly string[];
}

export function deriveFacts({ facts, paths }: DeriveInput): DerivedFacts {
  const commands = new CommandGraph(facts);
  const classified = localCommandClasses(facts);
  const deploying = [
    ...deploys(classified),
    ...remoteRunnerDeploys(classified, facts, commands),
    ...installDeploys(facts),
  ];
  const kubernetes = kubernetesObjects(facts, paths);
  const scheduled = schedules(commands, facts);
  return {
    kubernetes,
    commands,
    schedules: scheduled,
    dataStores: dataStores(facts, paths, kubernetes),
    localCommandClasses: classified,
    deploys: deploying,
    composeInstalls: documentedComposeInstalls(facts, paths),
    deployReach: new DeployReach(facts, deploying, commands),
    terragrunt: terragruntLive(facts, paths),
    gitops: gitopsDeploys(facts, kubernetes),
    monitoring: monitoring(facts, kubernetes, commands, scheduled),
    ciJobs: ciJobs(facts, commands, deploying),
    backups: backups(facts, commands, scheduled, kubernetes),
    rollbacks: rollbacks(facts, commands, kubernetes),
    images: shippedImages(facts),
  };
}

// Every detector by its signal's id (`task/id`, e.g. `backups/db-backups`), and every `applies_if:` condition.
import type { Detector } from "../engine/detector.js";
import { architectureDetectors } from "./architecture.js";
import { backupsDetectors } from "./backups.js";
import { cicdDetectors } from "./cicd.js";
import { coordinationDetectors } from "./coordination.js";
import { deployDetectors } from "./deploy.js";
import { dockerDetectors } from "./docker.js";
import { monitoringDetectors } from "./monitoring.js";

const groups = [
  deployDetectors,
  cicdDetectors,
  monitoringDetectors,
  dockerDetectors,
  architectureDetectors,
  coordinationDetectors,
  backupsDetectors,
];

export const detectors: Readonly<Record<string, Detector>> = mergeUnique(groups);
export { conditions } from "./conditions.js";

function mergeUnique(all: Record<string, Detector>[]): Record<string, Detector> {
  const merged: Record<string, Detector> = {};
  for (const group of all) {
    for (const [id, detector] of Object.entries(group)) {
      if (merged[id]) throw new Error(`detector id "${id}" is defined twice`);
      merged[id] = detector;
    }
  }
  return merged;
}

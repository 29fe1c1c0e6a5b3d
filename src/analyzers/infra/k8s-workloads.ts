// Where the pod template sits in each workload kind, and its containers: one walk for every kind.
import { isRecord } from "../../engine/yaml.js";

export type YamlPath = (string | number)[];

const POD_SPEC_PATHS: Record<string, YamlPath> = {
  Pod: ["spec"],
  Deployment: ["spec", "template", "spec"],
  StatefulSet: ["spec", "template", "spec"],
  DaemonSet: ["spec", "template", "spec"],
  ReplicaSet: ["spec", "template", "spec"],
  ReplicationController: ["spec", "template", "spec"],
  Job: ["spec", "template", "spec"],
  CronJob: ["spec", "jobTemplate", "spec", "template", "spec"],
  // Argo Rollouts and OpenShift DeploymentConfigs keep the Deployment shape
  Rollout: ["spec", "template", "spec"],
  DeploymentConfig: ["spec", "template", "spec"],
};

/** The kinds that run containers from a pod template. */
export function isWorkloadKind(kind: string): boolean {
  return Object.hasOwn(POD_SPEC_PATHS, kind);
}

export interface PodContainer {
  /** YAML path of the container map in the document */
  path: YamlPath;
  value: Record<string, unknown>;
  init: boolean;
}

/** The pod spec of a workload document and where it sits, or undefined when the shape is not there. */
export function podSpecOf(
  kind: string,
  doc: Record<string, unknown>,
): { path: YamlPath; spec: Record<string, unknown> } | undefined {
  const path = POD_SPEC_PATHS[kind];
  if (!path) return undefined;
  let node: unknown = doc;
  for (const key of path) {
    if (!isRecord(node)) return undefined;
    node = node[key as string];
  }
  return isRecord(node) ? { path, spec: node } : undefined;
}

/** The containers and init containers of a pod spec; entries that are not maps are skipped. */
export function containersOf(pod: { path: YamlPath; spec: Record<string, unknown> }): PodContainer[] {
  const out: PodContainer[] = [];
  for (const [key, init] of [
    ["containers", false],
    ["initContainers", true],
  ] as const) {
    const list = pod.spec[key];
    if (!Array.isArray(list)) continue;
    list.forEach((value, index) => {
      if (isRecord(value)) out.push({ path: [...pod.path, key, index], value, init });
    });
  }
  return out;
}

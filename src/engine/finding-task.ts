// Which task a finding belongs to, by the area of its rule (`<area>/<name>`): reports order findings by task,
// and `--only` keeps a task's findings. Areas about the scan or the config belong to no task.
import type { TaskId } from "./types.js";

const AREA_TASK: Readonly<Record<string, TaskId>> = {
  shell: "deploy",
  makefile: "deploy",
  manifest: "deploy",
  platform: "deploy",
  cron: "deploy",
  systemd: "deploy",
  ci: "cicd",
  monitoring: "monitoring",
  docker: "docker",
  dockerfile: "docker",
  dockerignore: "docker",
  compose: "docker",
  k8s: "architecture",
  terraform: "architecture",
  iac: "architecture",
  codeowners: "coordination",
  templates: "coordination",
  release: "coordination",
  docs: "coordination",
};

/** The task of a finding's rule; undefined for `config/…`, `scan/…` and unknown areas. */
export function taskOfFinding(rule: string): TaskId | undefined {
  const slash = rule.indexOf("/");
  return AREA_TASK[slash < 0 ? rule : rule.slice(0, slash)];
}

// Plugin images of Drone and of Woodpecker (a Drone fork: the plugin contract is the same): a step runs the
// image with its `settings:` as environment. What a plugin step does is decided by the image and the settings.
import type { CiJob } from "../../facts/ci.js";
import { addAction, addRemoteScript, record } from "./common.js";

type Settings = Record<string, string>;

/** Plugin images that deploy or publish; everything else is decided by the commands. */
const PLUGINS: Record<string, { kind: "deploy" | "publish"; when?: (settings: Settings) => boolean }> = {
  "pelotech/drone-helm3": { kind: "deploy", when: (s) => (s.mode ?? "upgrade") === "upgrade" && s.dry_run !== "true" },
  "sinlead/drone-kubectl": { kind: "deploy" },
  "honestbee/drone-kubernetes": { kind: "deploy" },
  "plugins/ansible": { kind: "deploy", when: (s) => s.check !== "true" && s.syntax_check !== "true" },
  "plugins/github-release": { kind: "publish", when: (s) => s.draft !== "true" },
  "plugins/gitea-release": { kind: "publish", when: (s) => s.draft !== "true" },
  "plugins/npm": { kind: "publish" },
  "woodpeckerci/plugin-release": { kind: "publish", when: (s) => s.draft !== "true" },
  "woodpeckerci/plugin-gitea-release": { kind: "publish", when: (s) => s.draft !== "true" },
  "woodpeckerci/plugin-ansible": { kind: "deploy", when: (s) => s.check !== "true" && s.syntax_check !== "true" },
};
const CACHE_PLUGINS =
  /^(meltwater\/drone-cache|plugins\/s3-cache|drillster\/drone-volume-cache|plugins\/cache|woodpeckerci\/plugin-s3-cache)$/;
const SSH_PLUGINS = new Set(["appleboy/drone-ssh", "appleboy/ssh-action"]);

/** The image without its tag or digest: `plugins/npm:1` → `plugins/npm`. */
export function pluginName(image: string): string {
  return image.replace(/@.*$/, "").replace(/:[^/]*$/, "");
}

/** Records what a plugin step does on its job: deploy, publish, a remote script, a cache. */
export function recordPlugin(job: CiJob, image: string, settings: Settings, line: number): void {
  const name = pluginName(image);
  const plugin = PLUGINS[name];
  if (plugin && (!plugin.when || plugin.when(settings))) record(job, { kind: plugin.kind, what: name }, line);
  else if (SSH_PLUGINS.has(name) && settings.script) addRemoteScript(job, settings.script, line);
  else if (!plugin && name.includes("/")) addAction(job, name, settings, line);
  if (CACHE_PLUGINS.test(name)) {
    job.cache = true;
    job.cacheLine ??= line;
  }
}

// Deploy platform configs → `platform` facts, only when the config is really set up
// (fly.toml with an app, app.yaml with a runtime, a Procfile with processes …), with their environments.
import type { Analyzer, AnalyzerOutput, SourceFile } from "../../engine/analyzer.js";
import { dirPrefixOf } from "../../engine/paths.js";
import { asArray, asString, isRecord, parseYaml, type YamlDocument } from "../../engine/yaml.js";
import type { PlatformFact } from "../../facts/scripts.js";
import { environmentInName, environmentName } from "../../vocabulary/environments.js";
import { readTemplatedYaml } from "../infra/go-template.js";
import { jsonKeyLine, tomlKeyLine, tomlTableLine } from "../text-lines.js";
import { parseError, readJson, readToml } from "./parse-config.js";

interface PlatformKind {
  /** does this path name this platform's config? (cheap string tests only) */
  match(name: string, lowerPath: string): boolean;
  read(file: SourceFile, out: AnalyzerOutput): void;
}

type Emit = Omit<PlatformFact, "path">;
const emit = (out: AnalyzerOutput, file: SourceFile, fact: Emit) => out.fact("platform", { path: file.path, ...fact });
const envsOf = (names: Iterable<string>) => [...new Set([...names].map((n) => n.trim()).filter((n) => n !== ""))];

const YAML_EXT = /\.ya?ml$/;
const isYaml = (name: string) => YAML_EXT.test(name);

/** Every document of a YAML file that is a mapping; parse errors become findings. */
function yamlMaps(file: SourceFile, out: AnalyzerOutput): { doc: YamlDocument; value: Record<string, unknown> }[] {
  const parsed = parseYaml(file.text);
  for (const e of parsed.errors) out.finding(parseError(file.path, "platform", e.line, e.message));
  return parsed.docs
    .filter((d) => isRecord(d.value))
    .map((doc) => ({ doc, value: doc.value as Record<string, unknown> }));
}

const fly: PlatformKind = {
  match: (name) => name === "fly.toml" || /^fly\.[\w-]+\.toml$/.test(name),
  read(file, out) {
    const doc = readToml(file, out, "platform");
    if (!doc) return;
    const app = asString(doc.app);
    const services = isRecord(doc.http_service) || Array.isArray(doc.services) || isRecord(doc.build);
    if (!app && !services) return;
    const deploy = isRecord(doc.deploy) ? doc.deploy : {};
    const detail = [
      app && `app ${app}`,
      asString(doc.primary_region) && `region ${asString(doc.primary_region)}`,
      asString(deploy.release_command) && `release_command ${asString(deploy.release_command)}`,
      asString(deploy.strategy) && `strategy ${asString(deploy.strategy)}`,
    ]
      .filter(Boolean)
      .join(", ");
    const env = environmentInName(file.name.replace(/^fly\.|\.toml$/g, ""));
    emit(out, file, {
      line: (app ? tomlKeyLine(file.text, "app") : undefined) ?? 1,
      platform: "fly",
      environments: envsOf(env ? [env] : []),
      ...(app ? { app } : {}),
      ...(detail ? { detail } : {}),
    });
  },
};

const appEngine: PlatformKind = {
  // App Engine reads app.yaml (app.yml is Rails' and others' config name); app-<env>.yaml per environment
  match: (name) => name === "app.yaml" || /^app[.-][\w-]+\.yaml$/.test(name),
  read(file, out) {
    if (file.name !== "app.yaml" && !environmentInName(file.name.slice(4))) return;
    for (const { doc, value } of yamlMaps(file, out)) {
      if ("apiVersion" in value || "kind" in value) continue; // a Kubernetes manifest that happens to be named app.yaml
      const runtime = asString(value.runtime);
      if (!runtime && value.env !== "flex") continue;
      const env = environmentInName(file.name.replace(/^app|\.ya?ml$/g, ""));
      emit(out, file, {
        line: doc.lineAt([runtime ? "runtime" : "env"]),
        platform: "app-engine",
        environments: env ? [env] : [],
        ...(asString(value.service) ? { app: asString(value.service) } : {}),
        detail: `runtime ${runtime ?? "custom (flex)"}`,
      });
    }
  },
};

const procfile: PlatformKind = {
  match: (name) => name === "Procfile",
  read(file, out) {
    const processes: { name: string; line: number }[] = [];
    file.text.split("\n").forEach((raw, i) => {
      const line = raw.trim();
      if (line === "" || line.startsWith("#")) return;
      const m = /^([A-Za-z0-9_-]+):\s*(\S.*)$/.exec(line);
      if (m) processes.push({ name: m[1]!, line: i + 1 });
      else out.finding(parseError(file.path, "platform", i + 1, "a Procfile line is `<process>: <command>`"));
    });
    if (processes.length === 0) return;
    const main =
      processes.find((p) => p.name === "web") ?? processes.find((p) => p.name === "release") ?? processes[0]!;
    emit(out, file, {
      line: main.line,
      platform: "heroku",
      environments: [],
      detail: `processes ${processes.map((p) => p.name).join(", ")}`,
    });
  },
};

const serverless: PlatformKind = {
  match: (name) => /^serverless(\.[\w-]+)?\.ya?ml$/.test(name),
  read(file, out) {
    for (const { doc, value } of yamlMaps(file, out)) {
      const service = asString(value.service) ?? (isRecord(value.service) ? asString(value.service.name) : undefined);
      if (!service || !isRecord(value.provider)) continue;
      const stages = new Set<string>();
      const stage = asString(value.provider.stage) ?? "";
      const literal = environmentName(stage) ?? /\$\{opt:stage\s*,\s*['"]?([\w-]+)/.exec(stage)?.[1];
      if (literal) stages.add(literal);
      for (const key of Object.keys(isRecord(value.params) ? value.params : {})) if (key !== "default") stages.add(key);
      for (const key of Object.keys(isRecord(value.stages) ? value.stages : {})) if (key !== "default") stages.add(key);
      const custom = isRecord(value.custom) ? value.custom.stages : undefined;
      for (const s of asArray(custom)) if (asString(s)) stages.add(asString(s)!);
      emit(out, file, {
        line: doc.lineAt(["service"]),
        platform: "serverless",
        environments: envsOf(stages),
        app: service,
        detail: `provider ${asString(value.provider.name) ?? "?"}`,
      });
    }
  },
};

const netlify: PlatformKind = {
  match: (name) => name === "netlify.toml",
  read(file, out) {
    const doc = readToml(file, out, "platform");
    if (!doc || (!isRecord(doc.build) && !isRecord(doc.context))) return;
    const contexts = isRecord(doc.context) ? Object.keys(doc.context) : [];
    const build = isRecord(doc.build) ? doc.build : {};
    emit(out, file, {
      line: tomlTableLine(file.text, isRecord(doc.build) ? "build" : "context") ?? 1,
      platform: "netlify",
      environments: envsOf(contexts),
      detail:
        [
          asString(build.command) && `build ${asString(build.command)}`,
          asString(build.publish) && `publish ${asString(build.publish)}`,
        ]
          .filter(Boolean)
          .join(", ") || undefined,
    });
  },
};

const VERCEL_KEYS = [
  "builds",
  "routes",
  "rewrites",
  "redirects",
  "headers",
  "functions",
  "framework",
  "buildCommand",
  "outputDirectory",
  "installCommand",
  "crons",
  "regions",
  "cleanUrls",
  "trailingSlash",
  "version",
];
const vercel: PlatformKind = {
  match: (name) => name === "vercel.json" || name === "now.json",
  read(file, out) {
    const doc = readJson(file, out, "platform");
    if (!doc) return;
    if (isRecord(doc.git) && doc.git.deploymentEnabled === false) return; // deployments switched off
    const key = VERCEL_KEYS.find((k) => k in doc);
    if (!key) return;
    emit(out, file, {
      line: jsonKeyLine(file.text, key),
      platform: "vercel",
      environments: [],
      ...(asString(doc.name) ? { app: asString(doc.name) } : {}),
    });
  },
};

const kamal: PlatformKind = {
  match: (_name, lowerPath) => /(^|\/)config\/deploy(\.[\w-]+)?\.yml$/.test(lowerPath),
  read(file, out) {
    const destination = /^deploy\.([\w-]+)\.yml$/.exec(file.name)?.[1];
    for (const { doc, value } of yamlMaps(file, out)) {
      const service = asString(value.service);
      if (destination) {
        // a destination file overrides the base config: it names servers, env or a proxy for that destination
        if (!("servers" in value || "env" in value || "proxy" in value || "image" in value)) continue;
        emit(out, file, {
          line: doc.line,
          platform: "kamal",
          environments: [destination],
          detail: `destination ${destination}`,
          ...(service ? { app: service } : {}),
        });
      } else {
        if (!service || !asString(value.image)) continue;
        emit(out, file, {
          line: doc.lineAt(["service"]),
          platform: "kamal",
          environments: [],
          app: service,
          detail: `image ${asString(value.image)}`,
        });
      }
    }
  },
};

const skaffold: PlatformKind = {
  match: (name) => name === "skaffold.yaml" || name === "skaffold.yml",
  read(file, out) {
    for (const { doc, value } of yamlMaps(file, out)) {
      if (!asString(value.apiVersion)?.startsWith("skaffold/")) continue;
      const profiles = asArray(value.profiles).filter(isRecord);
      const deploys =
        "deploy" in value || "manifests" in value || profiles.some((p) => "deploy" in p || "manifests" in p);
      if (!deploys) continue;
      emit(out, file, {
        line: doc.lineAt(["deploy" in value ? "deploy" : "manifests" in value ? "manifests" : "profiles"]),
        platform: "skaffold",
        environments: envsOf(profiles.map((p) => asString(p.name) ?? "")),
        ...(isRecord(value.metadata) && asString(value.metadata.name) ? { app: asString(value.metadata.name) } : {}),
      });
    }
  },
};

const render: PlatformKind = {
  match: (name) => name === "render.yaml" || name === "render.yml",
  read(file, out) {
    for (const { doc, value } of yamlMaps(file, out)) {
      const services = asArray(value.services).filter(
        (s) => isRecord(s) && asString(s.name) && asString(s.type),
      ) as Record<string, unknown>[];
      if (services.length === 0 && asArray(value.databases).length === 0) continue;
      const environments = asArray(value.projects)
        .filter(isRecord)
        .flatMap((p) =>
          asArray(p.environments)
            .filter(isRecord)
            .map((e) => asString(e.name) ?? ""),
        );
      emit(out, file, {
        line: doc.lineAt([services.length > 0 ? "services" : "databases"]),
        platform: "render",
        environments: envsOf(environments),
        detail: `services ${services.map((s) => asString(s.name)).join(", ")}`,
      });
    }
  },
};

const railway: PlatformKind = {
  match: (name) => name === "railway.json" || name === "railway.toml",
  read(file, out) {
    const doc = file.name.endsWith(".json") ? readJson(file, out, "platform") : readToml(file, out, "platform");
    if (!doc || (!isRecord(doc.build) && !isRecord(doc.deploy))) return;
    const key = isRecord(doc.deploy) ? "deploy" : "build";
    const line = file.name.endsWith(".json") ? jsonKeyLine(file.text, key) : (tomlTableLine(file.text, key) ?? 1);
    emit(out, file, {
      line,
      platform: "railway",
      environments: envsOf(isRecord(doc.environments) ? Object.keys(doc.environments) : []),
    });
  },
};

const HEROKU_KEYS = ["buildpacks", "formation", "addons", "stack", "environments"];
const herokuAppJson: PlatformKind = {
  match: (name) => name === "app.json",
  read(file, out) {
    const doc = readJson(file, out, "platform");
    if (!doc || "expo" in doc) return; // Expo and React Native also use app.json
    const key =
      HEROKU_KEYS.find((k) => k in doc) ??
      (isRecord(doc.scripts) && ("postdeploy" in doc.scripts || "pr-predestroy" in doc.scripts)
        ? "scripts"
        : undefined);
    if (!key) return;
    emit(out, file, {
      line: jsonKeyLine(file.text, key),
      platform: "heroku",
      environments: envsOf(isRecord(doc.environments) ? Object.keys(doc.environments) : []),
      ...(asString(doc.name) ? { app: asString(doc.name) } : {}),
      detail: `app.json ${key}`,
    });
  },
};

const PLAY_BODY = ["tasks", "roles", "pre_tasks", "post_tasks"];
const LOCAL_HOSTS = new Set(["localhost", "127.0.0.1", "::1"]);

/** The host patterns of a play (`hosts: web:db`, a list), less the local machine. */
function remoteHosts(hosts: unknown): string[] {
  const patterns = asArray(hosts).flatMap((h) => (asString(h) ?? "").split(/[,:]/));
  return patterns.map((h) => h.trim()).filter((h) => h !== "" && !LOCAL_HOSTS.has(h.replace(/^[!&]/, "")));
}
const ansible: PlatformKind = {
  match(name, lowerPath) {
    if (!isYaml(name)) return false;
    if (/^(playbook[\w-]*|site|deploy)\.ya?ml$/.test(name) && /(^|\/)(ansible|playbooks?)\//.test(lowerPath))
      return true;
    if (/^(playbook[\w-]*|site)\.ya?ml$/.test(name)) return true;
    // roles, vars and inventories are never playbooks: keep the read budget for real candidates
    return (
      /(^|\/)(ansible|playbooks)\//.test(lowerPath) &&
      !/\/(roles|group_vars|host_vars|inventor(y|ies)|vars|defaults|templates|files|molecule)\//.test(lowerPath)
    );
  },
  read(file, out) {
    const parsed = parseYaml(file.text);
    for (const e of parsed.errors) out.finding(parseError(file.path, "platform", e.line, e.message));
    for (const doc of parsed.docs) {
      if (!Array.isArray(doc.value)) continue;
      const plays = doc.value
        .map((p, i) => ({ p, i }))
        .filter(
          ({ p }) =>
            isRecord(p) &&
            (((asString(p.hosts) !== undefined || Array.isArray(p.hosts)) &&
              PLAY_BODY.some((k) => asArray(p[k]).length > 0)) ||
              asString(p.import_playbook) !== undefined ||
              asString(p["ansible.builtin.import_playbook"]) !== undefined),
        );
      if (plays.length === 0) continue;
      const hosts = plays.flatMap(({ p }) =>
        asArray((p as Record<string, unknown>).hosts).map((h) => asString(h) ?? ""),
      );
      const envs = hosts.flatMap((h) => h.split(/[,:]/)).map((h) => environmentName(h.trim()) ?? "");
      const first = plays[0]!;
      // plays that configure other machines describe on-premise infrastructure as code; a play on localhost
      // sets up the machine it runs on (a laptop, a CI runner)
      const remote = plays.filter(({ p }) => remoteHosts((p as Record<string, unknown>).hosts).length > 0);
      if (remote.length > 0)
        out.fact("iac", {
          path: file.path,
          line: doc.lineAt([remote[0]!.i]),
          tool: "ansible",
          resources: remote.map(({ p, i }) => ({
            type: "play",
            name: remoteHosts((p as Record<string, unknown>).hosts).join(","),
            line: doc.lineAt([i]),
          })),
        });
      emit(out, file, {
        line: doc.lineAt([first.i]),
        platform: "ansible",
        environments: envsOf(envs),
        detail: `${plays.length} play${plays.length > 1 ? "s" : ""}${hosts.length ? ` on ${[...new Set(hosts)].join(", ")}` : ""}`,
      });
    }
  },
};

/** Capistrano is Ruby; this reads `set :application` / `server` lines, not arbitrary Ruby. */
const capistrano: PlatformKind = {
  match: (_name, lowerPath) =>
    /(^|\/)config\/deploy\.rb$/.test(lowerPath) || /(^|\/)config\/deploy\/[\w-]+\.rb$/.test(lowerPath),
  read(file, out) {
    const lines = file.text.split("\n");
    const stage =
      file.path.includes("/deploy/") || file.path.startsWith("config/deploy/")
        ? file.name.replace(/\.rb$/, "")
        : undefined;
    const pattern = stage ? /^\s*(server|role)\s+["':]/ : /^\s*set\s+:(application|repo_url)\s*,/;
    const index = lines.findIndex((l) => pattern.test(l));
    if (index < 0) return;
    const app = stage
      ? undefined
      : /^\s*set\s+:application\s*,\s*["']([^"']+)["']/.exec(
          lines.find((l) => /^\s*set\s+:application\b/.test(l)) ?? "",
        )?.[1];
    emit(out, file, {
      line: index + 1,
      platform: "capistrano",
      environments: stage ? [stage] : [],
      ...(app ? { app } : {}),
    });
  },
};

/**
 * Azure Developer CLI (azure.yaml): services with a `host:` (App Service, Container Apps, Functions, AKS …) that
 * `azd up` / `azd deploy` ships, and the infrastructure it provisions (Bicep under infra/ by default).
 */
const azd: PlatformKind = {
  match: (name) => name === "azure.yaml" || name === "azure.yml",
  read(file, out) {
    for (const { doc, value } of yamlMaps(file, out)) {
      if ("apiVersion" in value || !isRecord(value.services)) continue;
      const hosted = Object.entries(value.services).filter(
        (entry): entry is [string, Record<string, unknown>] =>
          isRecord(entry[1]) && asString(entry[1].host) !== undefined,
      );
      if (hosted.length === 0) continue;
      const infra = isRecord(value.infra) ? asString(value.infra.provider) : undefined;
      emit(out, file, {
        line: doc.lineAt(["services"]),
        platform: "azd",
        environments: [],
        ...(asString(value.name) ? { app: asString(value.name) } : {}),
        detail: [
          `services ${hosted.map(([name, s]) => `${name} (${asString(s.host)})`).join(", ")}`,
          `infra ${infra ?? "bicep"}`,
        ].join(", "),
      });
    }
  },
};

// grouped by extension so that `match`, run on every path of the tree, tests only a few kinds
const TOML = [fly, netlify, railway];
/**
 * helmfile: `helmfile.yaml(.gotmpl)`, the files of `helmfile.d/`, and YAML in a `helmfile/` folder, read as Go
 * templates; its releases (not `installed: false`) are what `helmfile apply/sync` installs, its `environments:`
 * (beside `default`) the environments it deploys to.
 */
const helmfile: PlatformKind = {
  match: (name, lowerPath) =>
    /^helmfile\.ya?ml(\.gotmpl)?$/.test(name) ||
    (/\.ya?ml(\.gotmpl)?$/.test(name) && /(^|\/)(helmfile\.d|helmfile)\/[^/]+$/.test(lowerPath)),
  read(file, out) {
    const read = readTemplatedYaml(file.text);
    const environments = read.docs.flatMap((d) =>
      isRecord(d.value) && isRecord(d.value.environments) ? Object.keys(d.value.environments) : [],
    );
    for (const doc of read.docs) {
      if (!isRecord(doc.value)) continue;
      const releases = asArray(doc.value.releases).filter(
        (r): r is Record<string, unknown> =>
          isRecord(r) && asString(r.chart) !== undefined && r.installed !== false && r.installed !== "false",
      );
      if (releases.length === 0) continue;
      const dir = dirPrefixOf(file.path);
      const all = asArray(doc.value.releases);
      for (const r of releases) {
        const values: Record<string, unknown> = {};
        const valuesFiles: string[] = [];
        for (const v of asArray(r.values)) {
          if (isRecord(v)) Object.assign(values, v);
          else if (typeof v === "string" && !v.includes("__tpl_")) valuesFiles.push(joinRelative(dir, v));
        }
        const name = asString(r.name);
        out.fact("helmfileRelease", {
          path: file.path,
          line: doc.lineAt(["releases", all.indexOf(r), "chart"]),
          ...(name && !name.startsWith("__tpl_") ? { name } : {}),
          chart: asString(r.chart)!,
          values,
          valuesFiles,
        });
      }
      const names = releases.map((r) => asString(r.name)).filter((n) => n && !n.startsWith("__tpl_"));
      emit(out, file, {
        line: doc.lineAt(["releases"]),
        platform: "helmfile",
        environments: envsOf(environments.filter((e) => e !== "default")),
        detail:
          `${releases.length} release${releases.length === 1 ? "" : "s"}` +
          (names.length > 0 ? ` (${names.slice(0, 5).join(", ")})` : ""),
      });
    }
  },
};

/** `./overrides/x.yaml.gotmpl` from `helmfile/` → `helmfile/overrides/x.yaml.gotmpl` */
function joinRelative(dir: string, rel: string): string {
  const parts: string[] = [];
  for (const part of `${dir}${rel}`.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") parts.pop();
    else parts.push(part);
  }
  return parts.join("/");
}

/**
 * Values files a helmfile may name: Go-templated YAML (`*.yaml.gotmpl`) and YAML under a values/ or overrides/
 * folder, read tolerantly (actions become placeholders); the derived step joins them to the releases that name them.
 */
export const valuesFilesAnalyzer: Analyzer = {
  id: "helmfile-values",
  extensions: [".yml", ".yaml", ".gotmpl"],
  match: (_path, name, lowerPath) =>
    name.endsWith(".gotmpl")
      ? /\.ya?ml\.gotmpl$/.test(name)
      : (name.endsWith(".yaml") || name.endsWith(".yml")) &&
        (lowerPath.includes("values/") || lowerPath.includes("overrides/")) &&
        /(^|\/)(values|overrides)\//.test(lowerPath),
  analyze(file, out) {
    if (/^helmfile\.ya?ml/.test(file.name)) return;
    const doc = readTemplatedYaml(file.text).docs[0];
    if (doc && isRecord(doc.value)) out.fact("valuesFile", { path: file.path, values: doc.value });
  },
};

const YAML = [appEngine, serverless, kamal, skaffold, render, ansible, azd, helmfile];
const JSON_KINDS = [vercel, railway, herokuAppJson];
const RUBY = [capistrano];
const NONE = [procfile];

function kindsFor(name: string): PlatformKind[] | undefined {
  if (name.endsWith(".yml") || name.endsWith(".yaml")) return YAML;
  if (name.endsWith(".yaml.gotmpl") || name.endsWith(".yml.gotmpl")) return [helmfile];
  if (name.endsWith(".toml")) return TOML;
  if (name.endsWith(".json")) return JSON_KINDS;
  if (name.endsWith(".rb")) return RUBY;
  return name === "Procfile" ? NONE : undefined;
}

export const platformAnalyzer: Analyzer = {
  id: "deploy-platform",
  match(_path, name, lowerPath) {
    const kinds = kindsFor(name);
    return kinds?.some((k) => k.match(name, lowerPath)) ?? false;
  },
  analyze(file, out) {
    const lowerPath = file.path.toLowerCase();
    for (const kind of kindsFor(file.name) ?? []) if (kind.match(file.name, lowerPath)) kind.read(file, out);
  },
};

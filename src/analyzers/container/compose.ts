// Compose files (docker-compose.yml, compose.yaml, docker-compose.prod.yml …): services, health checks,
// named volumes, logging drivers that ship logs, and what each container runs. Read defensively: any key may hold any type.
import type { Analyzer, AnalyzerOutput, SourceFile } from "../../engine/analyzer.js";
import { asArray, asString, isRecord, parseYaml, type YamlDocument } from "../../engine/yaml.js";
import type { ComposeService } from "../../facts/container.js";
import { emitJobs, ofeliaLabelJobs } from "../scripts/ofelia.js";
import { loadShellParser } from "../shell-parse.js";
import { emitCommands } from "./compose-commands.js";
import { logShipping } from "./compose-logging.js";
import { composeSource } from "./compose-source.js";

const COMPOSE_NAME = /^(docker-)?compose(\.[a-z0-9_-]+)*\.ya?ml$/;

/** Top-level keys of a legacy (version 1) file that are not services. */
const NOT_SERVICES = new Set(["version", "name", "services", "volumes", "networks", "configs", "secrets", "include"]);

export const composeAnalyzer: Analyzer = {
  id: "compose",
  extensions: [".yml", ".yaml"],
  match(_path, _name, lowerPath) {
    const nameStart = lowerPath.lastIndexOf("/") + 1;
    return lowerPath.indexOf("compose", nameStart) >= 0 && COMPOSE_NAME.test(lowerPath.slice(nameStart));
  },
  prepare: loadShellParser,
  analyze(file, out) {
    const { docs, errors } = parseYaml(file.text);
    for (const error of errors.slice(0, 5)) {
      out.finding({
        path: file.path,
        line: error.line,
        severity: "error",
        rule: "compose/parse-error",
        message: `not valid YAML: ${error.message}`,
        remediation:
          "Fix the YAML syntax (indentation, quotes, a `key: value` per line); `docker compose config` shows the error too.",
      });
    }
    const doc = docs.find((d) => d.value !== null);
    if (!doc) {
      if (errors.length === 0) invalid(file, out, 1, "the compose file is empty: it defines no service", "note");
      return;
    }
    readCompose(file, doc, out);
  },
};

function readCompose(file: SourceFile, doc: YamlDocument, out: AnalyzerOutput): void {
  const root = doc.value;
  if (!isRecord(root)) {
    invalid(file, out, doc.line, "the compose file is not a mapping of keys to values");
    return;
  }
  let entries: [string, unknown][];
  let prefix: string[];
  if ("services" in root) {
    if (!isRecord(root.services)) {
      invalid(file, out, doc.lineAt(["services"]), "`services` is not a mapping of service names");
      return;
    }
    entries = Object.entries(root.services);
    prefix = ["services"];
  } else {
    // version 1: services sit at the top level
    entries = Object.entries(root).filter(
      ([key, value]) => !NOT_SERVICES.has(key) && !key.startsWith("x-") && isRecord(value),
    );
    prefix = [];
  }
  const services: ComposeService[] = [];
  const source = composeSource(doc);
  const shippedAt = new Set<number>(); // services sharing one anchored `logging:` give one fact
  for (const [name, raw] of entries) {
    const at = (...keys: string[]) => doc.lineAt([...prefix, name, ...keys]);
    if (!isRecord(raw)) {
      invalid(file, out, at(), `service ${name} is not a mapping`);
      continue;
    }
    const merged = withMerges(raw);
    const service = readService(name, merged, at);
    services.push(service);
    if (service.healthcheck && service.healthcheckLine) {
      out.fact("healthcheck", { path: file.path, line: service.healthcheckLine, kind: "compose" });
    }
    const shipping = logShipping(merged.logging);
    if (shipping && isRecord(merged.logging)) {
      const line = source.lineOfKey(merged.logging, "driver") ?? at("logging");
      if (!shippedAt.has(line)) out.fact("logShipping", { path: file.path, line, ...shipping });
      shippedAt.add(line);
    }
    emitCommands(file, source, name, raw, out);
    emitJobs(
      file.path,
      "compose",
      ofeliaLabelJobs(merged.labels, (label) => doc.lineAt([...prefix, name, "labels", label])),
      out,
    );
  }
  const namedVolumes = isRecord(root.volumes) ? Object.keys(root.volumes) : [];
  out.fact("compose", { path: file.path, services, namedVolumes });
}

function readService(name: string, raw: Record<string, unknown>, at: (...keys: string[]) => number): ComposeService {
  const service: ComposeService = { name, line: at(), build: false, healthcheck: false, volumes: [] };
  const image = asString(raw.image);
  if (image) service.image = image;
  if (typeof raw.build === "string") {
    service.build = true;
    service.buildContext = raw.build;
  } else if (isRecord(raw.build)) {
    service.build = true;
    const context = asString(raw.build.context);
    const dockerfile = asString(raw.build.dockerfile);
    if (context) service.buildContext = context;
    if (dockerfile) service.dockerfile = dockerfile;
    const target = asString(raw.build.target);
    if (target) service.target = target;
  }
  if (isRecord(raw.healthcheck) && isRealHealthcheck(withMerges(raw.healthcheck))) {
    service.healthcheck = true;
    service.healthcheckLine = at("healthcheck");
  }
  const restart = asString(raw.restart);
  if (restart) service.restart = restart;
  const user = asString(raw.user);
  if (user) service.user = user;
  for (const volume of asArray(raw.volumes)) {
    if (typeof volume === "string") service.volumes.push(volume);
    else if (isRecord(volume)) {
      const source = asString(volume.source);
      const target = asString(volume.target);
      if (target) service.volumes.push(source ? `${source}:${target}` : target);
    }
  }
  return service;
}

/** A health check in effect: a `test` that is not `NONE`, and not `disable: true`. */
function isRealHealthcheck(healthcheck: Record<string, unknown>): boolean {
  if (healthcheck.disable === true || healthcheck.disable === "true") return false;
  const test = healthcheck.test;
  if (typeof test === "string") return test.trim() !== "" && test.trim().toUpperCase() !== "NONE";
  if (Array.isArray(test)) return test.length > 0 && String(test[0]).toUpperCase() !== "NONE" && test.length > 1;
  return false;
}

/** YAML merge keys (`<<: *defaults`), which the YAML 1.2 parser leaves as a plain key; own keys win. */
function withMerges(record: Record<string, unknown>): Record<string, unknown> {
  if (!("<<" in record)) return record;
  const { "<<": merged, ...own } = record;
  const sources = asArray(merged).filter(isRecord).reverse();
  return Object.assign({}, ...sources, own) as Record<string, unknown>;
}

function invalid(
  file: SourceFile,
  out: AnalyzerOutput,
  line: number,
  message: string,
  severity: "warning" | "note" = "warning",
): void {
  out.finding({
    path: file.path,
    line,
    severity,
    rule: "compose/invalid",
    message,
    remediation:
      "Define services under `services:`, each a mapping with an `image:` or a `build:`; `docker compose config` validates the file.",
  });
}

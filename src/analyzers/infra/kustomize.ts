// Kustomize: kustomization.yaml → what it builds on (resources, bases, components), patches, images, replicas.

import { posix } from "node:path";
import type { Analyzer } from "../../engine/analyzer.js";
import { dirOf } from "../../engine/paths.js";
import { asString, isRecord, parseYaml, type YamlDocument } from "../../engine/yaml.js";
import { environmentOf, yamlSyntaxErrors } from "./common.js";

const NAMES = new Set(["kustomization.yaml", "kustomization.yml", "Kustomization"]);

export const kustomizeAnalyzer: Analyzer = {
  id: "kustomize",
  extensions: [".yml", ".yaml", ""],
  match: (_path, name) => NAMES.has(name),
  analyze(file, out) {
    const parsed = parseYaml(file.text);
    yamlSyntaxErrors(
      file,
      out,
      parsed.errors,
      "kustomize/parse-error",
      "Fix the YAML so that `kustomize build` accepts it.",
    );
    const doc = parsed.docs[0];
    if (!doc || !isRecord(doc.value)) return;
    const k = doc.value;
    const resources = strings(k.resources);
    const bases = strings(k.bases);
    const components = strings(k.components);
    const overlay = [...resources, ...bases, ...components].some(buildsOnAnother);
    const dir = dirOf(file.path);
    const environment = overlay ? environmentOfOverlay(dir) : undefined;
    out.fact("kustomization", {
      path: file.path,
      line: doc.line,
      dir,
      resources,
      bases,
      components,
      overlay,
      patches: patchFiles(k, dir),
      images: listOf(doc, k.images, "images").flatMap(({ item, line }) => {
        const name = asString(item.name);
        if (!name) return [];
        const fields = ["newName", "newTag", "digest"] as const;
        const extra = Object.fromEntries(
          fields.flatMap((f) => (asString(item[f]) !== undefined ? [[f, asString(item[f])]] : [])),
        );
        return [{ name, line, ...extra }];
      }),
      replicas: listOf(doc, k.replicas, "replicas").flatMap(({ item, line }) => {
        const name = asString(item.name);
        return name && typeof item.count === "number" ? [{ name, count: item.count, line }] : [];
      }),
      ...(environment !== undefined ? { environment } : {}),
    });
  },
};

/** Patch files, as repository paths: `- path: x.yaml` entries and the file names of patchesStrategicMerge. */
function patchFiles(k: Record<string, unknown>, dir: string): string[] {
  const files: string[] = [];
  for (const key of ["patches", "patchesStrategicMerge", "patchesJson6902"]) {
    for (const entry of Array.isArray(k[key]) ? k[key] : []) {
      const file = isRecord(entry)
        ? asString(entry.path)
        : typeof entry === "string" && !entry.includes("\n")
          ? entry
          : undefined;
      if (file) files.push(posix.normalize(posix.join(dir || ".", file)));
    }
  }
  return files;
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.flatMap((v) => (typeof v === "string" ? [v] : [])) : [];
}

function listOf(doc: YamlDocument, value: unknown, key: string): { item: Record<string, unknown>; line: number }[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((item, i) => (isRecord(item) ? [{ item, line: doc.lineAt([key, i]) }] : []));
}

/** A parent folder (../base) or a remote base (github.com/org/repo//deploy/base?ref=v1). */
function buildsOnAnother(ref: string): boolean {
  return ref.startsWith("../") || ref === ".." || /^(https?:\/\/|git@|github\.com\/|gitlab\.com\/)/.test(ref);
}

/** overlays/prod → prod; envs/staging-eu → staging; overlays/gke → gke (an overlay names its variant). */
function environmentOfOverlay(dir: string): string | undefined {
  const parts = dir.split("/");
  const last = parts[parts.length - 1] ?? "";
  const known = environmentOf(last);
  if (known) return known;
  return parts[parts.length - 2]?.toLowerCase() === "overlays" && last ? last.toLowerCase() : undefined;
}

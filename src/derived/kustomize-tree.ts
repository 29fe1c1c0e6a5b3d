// Which manifest files a Kustomize / Flux / Argo CD tree really applies. A kustomization.yaml applies only what
// it lists, so a file in its folder (or below it) that nothing lists is left out — an app commented out of its
// overlay (`# - ../../base/loki/ks.yaml`). A Flux Kustomization or an Argo CD Application applies the folder its
// `path` names; a folder that only left-out Flux Kustomizations point at is left out too. Everything else applies:
// a file no kustomization governs, a kustomization nothing refers to (a root, applied by a person or a pipeline).
// A suspended Flux Kustomization applies nothing: what only it points at is left out.

import { posix } from "node:path";
import { dirOf } from "../engine/paths.js";
import { isRecord } from "../engine/yaml.js";
import type { K8sObjectFact, KustomizationFact } from "../facts/infra.js";

const isRemote = (ref: string) => /^(https?:\/\/|git@|github\.com\/|gitlab\.com\/|ssh:\/\/|oci:\/\/)/.test(ref);
const join = (dir: string, rel: string) => {
  const p = posix.normalize(posix.join(dir || ".", rel));
  return p === "." ? "" : p.replace(/\/$/, "");
};

/** A folder a controller applies: from a Flux Kustomization's `spec.path` (+ components) or an Application's source path. */
interface Target {
  /** the file of the object that points there */
  from: string;
  dirs: string[];
  /** a suspended Flux Kustomization points there but applies nothing */
  suspended: boolean;
}

/**
 * The manifest files (paths of k8s facts) that the trees leave out. `dirs` are every folder of the repository,
 * to resolve a controller's path written from another root (an OCI artifact of `./kubernetes` names `./apps/x`).
 */
export function leftOutManifests(
  objects: readonly K8sObjectFact[],
  kustomizations: readonly KustomizationFact[],
  dirs: ReadonlySet<string>,
): Set<string> {
  const byDir = new Map<string, KustomizationFact>();
  for (const k of kustomizations) if (!byDir.has(k.dir)) byDir.set(k.dir, k);
  if (byDir.size === 0) return new Set();

  // what each kustomization lists: files and folders (resolved to repository paths)
  const listedFiles = new Map<string, string[]>();
  const listedDirs = new Map<string, string[]>();
  for (const [dir, k] of byDir) {
    const files: string[] = [];
    const folders: string[] = [];
    for (const ref of [...k.resources, ...k.bases, ...k.components]) {
      if (isRemote(ref)) continue;
      const p = join(dir, ref);
      if (/\.(ya?ml|json)$/i.test(p)) files.push(p);
      else folders.push(p);
    }
    files.push(...k.patches);
    listedFiles.set(dir, files);
    listedDirs.set(dir, folders);
  }

  const targets = controllerTargets(objects, dirs);
  const manifestFiles = [...new Set(objects.map((o) => o.path))];

  // who refers to a kustomization folder: other kustomizations, and controllers (through their files)
  const referredKustomizations = new Set<string>();
  for (const folders of listedDirs.values()) for (const d of folders) referredKustomizations.add(d);
  for (const t of targets) for (const d of t.dirs) if (byDir.has(d)) referredKustomizations.add(d);

  const governor = (file: string): string | undefined => {
    for (let d: string | undefined = dirOf(file); d !== undefined; d = d === "" ? undefined : dirOf(d))
      if (byDir.has(d)) return d;
    return undefined;
  };

  // walk from the roots: files no kustomization governs, kustomizations nothing refers to
  const liveFiles = new Set<string>();
  const liveDirs = new Set<string>();
  const queue: { file?: string; dir?: string; generated?: string }[] = [];
  for (const f of manifestFiles) if (governor(f) === undefined) queue.push({ file: f });
  for (const d of byDir.keys()) if (!referredKustomizations.has(d)) queue.push({ dir: d });
  const targetsFrom = new Map<string, string[]>();
  for (const t of targets) if (!t.suspended) targetsFrom.set(t.from, [...(targetsFrom.get(t.from) ?? []), ...t.dirs]);

  while (queue.length > 0) {
    const item = queue.pop()!;
    if (item.file !== undefined) {
      if (liveFiles.has(item.file)) continue;
      liveFiles.add(item.file);
      for (const d of targetsFrom.get(item.file) ?? []) queue.push(byDir.has(d) ? { dir: d } : { generated: d });
    } else if (item.dir !== undefined) {
      if (liveDirs.has(item.dir)) continue;
      liveDirs.add(item.dir);
      for (const f of listedFiles.get(item.dir) ?? []) queue.push({ file: f });
      for (const d of listedDirs.get(item.dir) ?? []) queue.push(byDir.has(d) ? { dir: d } : { generated: d });
    } else if (item.generated !== undefined) {
      // a folder without a kustomization.yaml: Flux applies every manifest below it, down to the next kustomization
      const root = item.generated;
      for (const f of manifestFiles) {
        if (root !== "" && !f.startsWith(`${root}/`)) continue;
        const g = governor(f);
        if (g === undefined || (root !== "" && !g.startsWith(`${root}/`) && g !== root)) queue.push({ file: f });
        else queue.push({ dir: g });
      }
    }
  }
  return new Set(manifestFiles.filter((f) => !liveFiles.has(f)));
}

/** The folders Flux Kustomizations and Argo CD Applications point at, resolved in the repository when they can be. */
function controllerTargets(objects: readonly K8sObjectFact[], dirs: ReadonlySet<string>): Target[] {
  const out: Target[] = [];
  for (const o of objects) {
    const spec = isRecord(o.doc.spec) ? o.doc.spec : {};
    const written: string[] = [];
    if (o.kind === "Kustomization" && o.apiVersion.startsWith("kustomize.toolkit.fluxcd.io/")) {
      const path = typeof spec.path === "string" ? spec.path : "./";
      written.push(path);
      for (const c of Array.isArray(spec.components) ? spec.components : [])
        if (typeof c === "string") written.push(posix.join(path, c));
    } else if (o.kind === "Application" && o.apiVersion.startsWith("argoproj.io/")) {
      const sources = [spec.source, ...(Array.isArray(spec.sources) ? spec.sources : [])];
      for (const s of sources) if (isRecord(s) && typeof s.path === "string") written.push(s.path);
    }
    const resolved = written.flatMap((w) => resolveDir(w, dirs) ?? []);
    if (resolved.length > 0) out.push({ from: o.path, dirs: resolved, suspended: spec.suspend === true });
  }
  return out;
}

/** `./kubernetes/apps/x` as a repository folder; a path written from another root matches one folder's tail. */
function resolveDir(written: string, dirs: ReadonlySet<string>): string | undefined {
  if (written.includes("$") || written.includes("{{")) return undefined; // substituted later: unknown
  const p = join("", written.replace(/^\/+/, ""));
  if (p === "" || dirs.has(p)) return p;
  const tails = [...dirs].filter((d) => d.endsWith(`/${p}`));
  return tails.length === 1 ? tails[0] : undefined;
}

// The repository config as Probot's `context.config` finds it — `.github/devops-ladder.yml` on the default
// branch, else the org-wide one in the owner's `.github` repository, with `_extends` — but read with the scan's
// own requests: from the tree when the default branch is the scanned tree, otherwise as look-ups inside the
// same GraphQL batch as the contents. Texts are kept (not Probot's parsed objects) so that errors have lines.
import { CONFIG_PATH, CONFIG_PATHS, type LoadedConfig, parseConfig } from "../config/config.js";
import { decode } from "../engine/decode.js";
import { isRecord, parseYaml } from "../engine/yaml.js";
import type { GitHubTree } from "../sources/github.js";
import type { RepoRef } from "../sources/github-api.js";
import type { BlobContent, FoundBlob, Lookup } from "../sources/github-contents.js";

/** A config file found somewhere, or null when there is none. */
export interface ConfigFile {
  text: string;
  /** where it is shown: the path in this repository, or `owner/repo:path` for another one */
  source: string;
  /** its blob */
  sha?: string;
}

interface Cached {
  at: number;
  file: ConfigFile | null;
}

export interface ConfigPlan {
  /** the repository's own config, when the default branch's tree is at hand */
  inTree?: { path: string; sha: string } | null;
  lookups: Lookup[];
  /** what each lookup is for, as a cache key */
  keys: string[];
}

export class ConfigResolver {
  private readonly cache = new Map<string, Cached>();

  /** Look-ups of other refs and repositories are reused for `ttlMs`: a rescan must not fetch contents. */
  constructor(
    private readonly ttlMs = 5 * 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** The look-ups needed for this repository's config; `defaultTree` is the default branch's tree if it was read. */
  plan(repo: RepoRef, defaultBranch: string, defaultTree?: GitHubTree): ConfigPlan {
    const plan: ConfigPlan = { lookups: [], keys: [] };
    if (defaultTree) {
      const entry = CONFIG_PATHS.map((p) => defaultTree.entries.find((e) => e.path === p && !e.symlink)).find(Boolean);
      plan.inTree = entry ? { path: entry.path, sha: entry.sha } : null;
      if (entry) return plan;
    } else {
      // .yml and .yaml in the same batch: no extra request
      for (const path of CONFIG_PATHS) {
        const lookup = { owner: repo.owner, repo: repo.repo, expression: `${defaultBranch}:${path}` };
        this.want(plan, fileKey(repo, path), lookup);
      }
    }
    const org = { owner: repo.owner, repo: ".github" };
    for (const path of CONFIG_PATHS) {
      this.want(plan, fileKey(org, path), { ...org, expression: `HEAD:${path}` });
    }
    return plan;
  }

  private want(plan: ConfigPlan, key: string, lookup: Lookup): void {
    if (this.fresh(key)) return;
    plan.lookups.push(lookup);
    plan.keys.push(key);
  }

  /** The first config file found in a repository (.yml before .yaml); null when none; undefined when unknown. */
  private cachedFile(repo: RepoRef): ConfigFile | null | undefined {
    const entries = CONFIG_PATHS.map((path) => this.cache.get(fileKey(repo, path)));
    const found = entries.find((e) => e?.file)?.file;
    if (found) return found;
    return entries.every((e) => e !== undefined) ? null : undefined;
  }

  private fresh(key: string): Cached | undefined {
    const hit = this.cache.get(key);
    return hit && this.now() - hit.at < this.ttlMs ? hit : undefined;
  }

  /**
   * The config, once the plan's look-ups came back (`found`, in order) with the in-tree blob among `blobs`
   * (by SHA). Follows `_extends` (one more request, only when used). Never throws for a bad file.
   */
  async resolve(
    repo: RepoRef,
    plan: ConfigPlan,
    found: readonly (FoundBlob | null)[],
    blobs: ReadonlyMap<string, BlobContent>,
    fetchLookups: (lookups: Lookup[]) => Promise<(FoundBlob | null)[]>,
  ): Promise<LoadedConfig | undefined> {
    const own = repoKey(repo);
    plan.keys.forEach((key, i) => {
      const hit = found[i];
      // this repository's file is shown by its path; another repository's as owner/repo:path
      const source = key.startsWith(`${own}:`) ? key.slice(own.length + 1) : key;
      this.cache.set(key, { at: this.now(), file: hit ? { text: textOf(hit.content), source, sha: hit.sha } : null });
    });
    let file: ConfigFile | null | undefined;
    if (plan.inTree !== undefined) {
      const content = plan.inTree ? blobs.get(plan.inTree.sha) : undefined;
      file = content === undefined ? null : { text: textOf(content), source: plan.inTree!.path, sha: plan.inTree!.sha };
      // the default branch as just read: later scans of other refs need no look-up
      for (const path of CONFIG_PATHS) {
        this.cache.set(fileKey(repo, path), { at: this.now(), file: path === file?.source ? file : null });
      }
    } else {
      file = this.cachedFile(repo);
    }
    const ownFile = file !== null && file !== undefined;
    file ??= this.cachedFile({ owner: repo.owner, repo: ".github" }) ?? null;
    if (!file) return undefined;

    const extendsRef = extendsOf(file.text);
    const origin = extendsRef ? "extends" : ownFile ? "own" : file.sha ? `org:${file.sha}` : "unknown";
    const loaded: LoadedConfig = { ...parseConfig(file.text, file.source), origin };
    if (!extendsRef || loaded.findings.length > 0) return loaded;
    const target = parseExtends(extendsRef, repo.owner);
    if (!target) {
      return withFinding(
        loaded,
        file.source,
        `_extends "${extendsRef}" is not "repo", "owner/repo" or "owner/repo:path"; ignored`,
      );
    }
    const key = `${target.owner}/${target.repo}:${target.path}`;
    let base = this.fresh(key)?.file;
    if (base === undefined) {
      const [hit] = await fetchLookups([{ owner: target.owner, repo: target.repo, expression: `HEAD:${target.path}` }]);
      base = hit ? { text: textOf(hit.content), source: key } : null;
      this.cache.set(key, { at: this.now(), file: base });
    }
    if (!base)
      return withFinding(
        loaded,
        file.source,
        `_extends: ${key} was not found (or the app cannot read it); only this file applies`,
      );
    const parent = parseConfig(base.text, base.source);
    if (parent.findings.length > 0) return { ...loaded, findings: parent.findings };
    return {
      ...parseConfig(JSON.stringify(merge(yamlObject(base.text), yamlObject(file.text))), file.source),
      source: file.source,
      origin,
    };
  }
}

function repoKey(repo: RepoRef): string {
  return `${repo.owner}/${repo.repo}`;
}

/** `owner/repo:.github/devops-ladder.yml`: a config file's cache key, and how another repository's file is shown. */
function fileKey(repo: RepoRef, path: string): string {
  return `${repoKey(repo)}:${path}`;
}

function textOf(content: BlobContent): string {
  const decoded = decode(content);
  return "text" in decoded ? decoded.text : "";
}

function yamlObject(text: string): Record<string, unknown> {
  const value = parseYaml(text).docs[0]?.value;
  return isRecord(value) ? value : {};
}

function extendsOf(text: string): string | undefined {
  const value = yamlObject(text)._extends;
  return typeof value === "string" && value.trim() ? value.trim() : undefined;
}

/** Probot's forms: `repo`, `owner/repo`, `owner/repo:path/to/file.yml`. */
function parseExtends(ref: string, owner: string): { owner: string; repo: string; path: string } | undefined {
  const m = /^(?:([A-Za-z0-9-]+)\/)?([A-Za-z0-9._-]+)(?::(.+))?$/.exec(ref);
  if (!m) return undefined;
  return { owner: m[1] ?? owner, repo: m[2]!, path: m[3] ?? CONFIG_PATH };
}

/** The repository's keys win; `signals` merge per signal and `ignore` lists add up, as org defaults should. */
function merge(base: Record<string, unknown>, own: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base, ...own };
  delete out._extends;
  if (isRecord(base.signals) || isRecord(own.signals)) {
    out.signals = { ...(isRecord(base.signals) ? base.signals : {}), ...(isRecord(own.signals) ? own.signals : {}) };
  }
  if (Array.isArray(base.ignore) || Array.isArray(own.ignore)) {
    out.ignore = [
      ...new Set([
        ...(Array.isArray(base.ignore) ? base.ignore : []),
        ...(Array.isArray(own.ignore) ? own.ignore : []),
      ]),
    ];
  }
  return out;
}

function withFinding(loaded: LoadedConfig, path: string, message: string): LoadedConfig {
  return {
    ...loaded,
    findings: [
      ...loaded.findings,
      {
        path,
        line: 1,
        severity: "warning",
        rule: "config/extends",
        message,
        remediation: "Point `_extends` at a repository the app is installed on.",
      },
    ],
  };
}

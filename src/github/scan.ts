// Scans one commit of a GitHub repository (and, on pull requests, its base) with the fewest requests, in three
// steps that each go one way:
//   plan   the tree(s), the config look-ups, and the files the engine will read (planReads, default config);
//   fetch  ONE GraphQL batch with those files and the look-ups, then the config; one more batch only when the
//          repository's config widens the selection (a larger max_file_size) or names an `_extends`;
//   scan   the engine over each tree and the contents fetched: the scan itself makes no request.

import { type Config, DEFAULT_CONFIG, type LoadedConfig } from "../config/config.js";
import { planReads, type Report, scan } from "../engine/index.js";
import { GitHubReader, type GitHubTree } from "../sources/github.js";
import type { GitHubApi, RepoRef } from "../sources/github-api.js";
import type { BlobContent, Lookup } from "../sources/github-contents.js";
import { fetchedSnapshot } from "../sources/github-snapshot.js";
import { type ConfigPlan, ConfigResolver } from "./config.js";
import { scanFingerprint } from "./fingerprint.js";

export interface CommitRef {
  sha: string;
  /** branch name, when known */
  ref?: string;
}

export interface ScanRequest {
  repo: RepoRef;
  head: CommitRef;
  defaultBranch: string;
  /** the pull request's base (always compared), or the previous head of a branch (compared if it was scanned) */
  base?: CommitRef & { onlyIfCached?: boolean };
}

export interface ScanResult {
  report: Report;
  base?: Report;
  config: Config;
  /** paths of the scanned tree: annotations can only point at these */
  paths: Set<string>;
  /** the engine and the config's origin (src/github/fingerprint.ts), stored with the scan */
  fingerprint: string;
}

/** Reports by repository, commit and config: a PR's base is usually a default-branch commit scanned on push. */
class ReportCache {
  private readonly entries = new Map<string, Report>();
  constructor(private readonly max = 200) {}
  key(repo: RepoRef, sha: string, config: LoadedConfig | undefined): string {
    return `${repo.owner}/${repo.repo}@${sha}#${JSON.stringify(config ?? null)}`;
  }
  has(repo: RepoRef, sha: string): boolean {
    const prefix = `${repo.owner}/${repo.repo}@${sha}#`;
    for (const k of this.entries.keys()) if (k.startsWith(prefix)) return true;
    return false;
  }
  get(key: string): Report | undefined {
    return this.entries.get(key);
  }
  set(key: string, report: Report): void {
    this.entries.delete(key);
    this.entries.set(key, report);
    if (this.entries.size > this.max) this.entries.delete(this.entries.keys().next().value!);
  }
}

/** What a scan reads, known before any content: the trees, the config look-ups and the files to fetch. */
interface ScanPlan {
  head: GitHubTree;
  /** the base is compared (its report may come from the cache) */
  wantBase: boolean;
  /** the base's tree, read when no report of that commit is cached */
  base?: GitHubTree;
  config: ConfigPlan;
  /** the trees fetched from, and for each the paths: the default config's selection (and the config file) */
  trees: GitHubTree[];
  reads: string[][];
}

/** All the scan needs, in memory: the config, the contents by blob SHA, and the base as a report or a tree. */
interface ScanInput {
  loaded: LoadedConfig | undefined;
  contents: ReadonlyMap<string, BlobContent>;
  /** the base's report under this config, from the cache */
  cachedBase?: Report;
  /** the base's tree, to scan */
  baseTree?: GitHubTree;
}

export class RepoScanner {
  private readonly reports = new ReportCache();

  constructor(
    readonly reader = new GitHubReader(),
    readonly configs = new ConfigResolver(),
  ) {}

  async scan(api: GitHubApi, req: ScanRequest): Promise<ScanResult> {
    const plan = await this.plan(api, req); // the trees, the config look-ups, the files: no content yet
    const input = await this.fetch(api, req, plan); // one batch (two when the config widens the selection)
    // the engine over the contents in memory: no request from here on
    const report = await this.run(plan.head, input);
    const base = input.baseTree ? await this.run(input.baseTree, input) : input.cachedBase;
    return {
      report,
      base,
      config: input.loaded?.config ?? DEFAULT_CONFIG,
      paths: new Set(plan.head.entries.map((e) => e.path)),
      fingerprint: scanFingerprint(input.loaded?.origin),
    };
  }

  /** The trees, the config look-ups, and the files the engine reads under the default config. */
  private async plan(api: GitHubApi, req: ScanRequest): Promise<ScanPlan> {
    const { repo } = req;
    const head = await this.reader.tree(api, repo, req.head.sha);
    const wantBase = !!req.base && req.base.sha !== req.head.sha && !/^0+$/.test(req.base.sha);
    const base =
      wantBase && !req.base!.onlyIfCached && !this.reports.has(repo, req.base!.sha)
        ? await this.reader.tree(api, repo, req.base!.sha)
        : undefined;
    const defaultTree =
      req.head.ref === req.defaultBranch ? head : req.base?.ref === req.defaultBranch ? base : undefined;
    const config = this.configs.plan(repo, req.defaultBranch, defaultTree);
    const trees = base ? [head, base] : [head];
    const reads = trees.map((tree) => planReads(tree.entries, DEFAULT_CONFIG));
    if (config.inTree && defaultTree) reads[trees.indexOf(defaultTree)]!.push(config.inTree.path);
    return { head, wantBase, base, config, trees, reads };
  }

  /**
   * One batch with the planned files and the config look-ups; the config from it; then, only if that config
   * selects more files than the default one, one more batch with those, for the trees still to scan.
   */
  private async fetch(api: GitHubApi, req: ScanRequest, plan: ScanPlan): Promise<ScanInput> {
    const { repo } = req;
    const batch = await this.reader.fetch(api, plan.trees, plan.reads, plan.config.lookups);
    const loaded = await this.configs.resolve(repo, plan.config, batch.lookups, batch.blobs, (lookups) =>
      this.lookup(api, plan.head, lookups),
    );
    const cachedBase = plan.wantBase ? this.reports.get(this.reports.key(repo, req.base!.sha, loaded)) : undefined;
    const baseTree =
      plan.wantBase && !cachedBase && !req.base!.onlyIfCached
        ? // read now only when the base was scanned before, under another config
          (plan.base ?? (await this.reader.tree(api, repo, req.base!.sha)))
        : undefined;
    const toScan = [plan.head, ...(baseTree ? [baseTree] : [])].filter(
      (tree) => !this.reports.get(this.reports.key(tree, tree.ref, loaded)),
    );
    const config = loaded?.config ?? DEFAULT_CONFIG;
    const more = toScan.map((tree) => {
      const planned = new Set(plan.reads[plan.trees.indexOf(tree)]);
      return planReads(tree.entries, config).filter((path) => !planned.has(path));
    });
    if (more.every((paths) => paths.length === 0)) return { loaded, contents: batch.blobs, cachedBase, baseTree };
    const extra = await this.reader.fetch(api, toScan, more);
    return { loaded, contents: new Map([...batch.blobs, ...extra.blobs]), cachedBase, baseTree };
  }

  /** Config files elsewhere (`_extends`): one more request, through the head's repository. */
  private async lookup(api: GitHubApi, head: GitHubTree, lookups: Lookup[]) {
    return (await this.reader.fetch(api, [head], [[]], lookups)).lookups;
  }

  /** The engine over one tree and the contents fetched (a report cached for this commit and config first). */
  private async run(tree: GitHubTree, { contents, loaded }: ScanInput): Promise<Report> {
    const key = this.reports.key(tree, tree.ref, loaded);
    const cached = this.reports.get(key);
    if (cached) return cached;
    const report = await scan(fetchedSnapshot(tree, contents), {
      config: loaded?.config ?? DEFAULT_CONFIG,
      configFindings: loaded?.findings,
      configSource: loaded?.source,
    });
    this.reports.set(key, report);
    return report;
  }
}

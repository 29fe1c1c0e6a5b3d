// Scans one commit of a GitHub repository (and, on pull requests, its base) with the fewest requests:
// the tree(s), then ONE GraphQL batch with every candidate file and the config look-ups, then the engine.
// The candidates are picked with the default config before the repository's config is known; a config that
// widens the net (a larger max_file_size) costs one more batch, only for the files it adds.

import { analyzers } from "../analyzers/index.js";
import type { LoadedConfig } from "../config/config.js";
import { type Config, DEFAULT_CONFIG } from "../config/config.js";
import { type Report, scan } from "../engine/index.js";
import { analyzeSnapshot } from "../engine/scan.js";
import type { Snapshot } from "../engine/snapshot.js";
import { GitHubReader, type GitHubTree } from "../sources/github.js";
import type { GitHubApi, RepoRef } from "../sources/github-api.js";
import { ConfigResolver } from "./config.js";
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

export class RepoScanner {
  private readonly reports = new ReportCache();

  constructor(
    readonly reader = new GitHubReader(),
    readonly configs = new ConfigResolver(),
  ) {}

  async scan(api: GitHubApi, req: ScanRequest): Promise<ScanResult> {
    const { repo } = req;
    const head = await this.reader.tree(api, repo, req.head.sha);
    const wantBase = req.base && req.base.sha !== req.head.sha && !/^0+$/.test(req.base.sha);
    const baseTree =
      wantBase && !req.base!.onlyIfCached && !this.reports.has(repo, req.base!.sha)
        ? await this.reader.tree(api, repo, req.base!.sha)
        : undefined;

    const defaultTree =
      req.head.ref === req.defaultBranch ? head : req.base?.ref === req.defaultBranch ? baseTree : undefined;
    const plan = this.configs.plan(repo, req.defaultBranch, defaultTree);
    const trees = baseTree ? [head, baseTree] : [head];
    const wanted = await Promise.all(trees.map((t) => candidates(this.reader.snapshot(api, t), DEFAULT_CONFIG)));
    if (plan.inTree && defaultTree) wanted[trees.indexOf(defaultTree)]!.push(plan.inTree.path);
    const found = await this.reader.prefetch(api, trees, wanted, plan.lookups);

    const loaded = await this.configs.resolve(
      repo,
      plan,
      found,
      (sha) => this.reader.blobs.get(sha),
      (lookups) => this.reader.prefetch(api, [head], [[]], lookups),
    );
    const report = await this.run(api, head, loaded);
    let base: Report | undefined;
    if (wantBase) {
      const key = this.reports.key(repo, req.base!.sha, loaded);
      base = this.reports.get(key);
      if (!base && !req.base!.onlyIfCached)
        base = await this.run(api, baseTree ?? (await this.reader.tree(api, repo, req.base!.sha)), loaded);
    }
    return {
      report,
      base,
      config: loaded?.config ?? DEFAULT_CONFIG,
      paths: new Set(head.entries.map((e) => e.path)),
      fingerprint: scanFingerprint(loaded?.origin),
    };
  }

  private async run(api: GitHubApi, tree: GitHubTree, loaded: LoadedConfig | undefined): Promise<Report> {
    const config = loaded?.config ?? DEFAULT_CONFIG;
    const key = this.reports.key(tree, tree.ref, loaded);
    const cached = this.reports.get(key);
    if (cached) return cached;
    const report = await scan(this.reader.snapshot(api, tree), {
      config,
      configFindings: loaded?.findings,
      configSource: loaded?.source,
    });
    this.reports.set(key, report);
    return report;
  }
}

/** The paths the engine would read under this config: its own selection, run against a snapshot that reads nothing. */
export async function candidates(snapshot: Snapshot, config: Config): Promise<string[]> {
  let wanted: string[] = [];
  const probe: Snapshot = {
    target: snapshot.target,
    list: () => snapshot.list(),
    read: async (paths) => {
      wanted = paths;
      return new Map();
    },
  };
  await analyzeSnapshot(probe, analyzers, config);
  return wanted;
}

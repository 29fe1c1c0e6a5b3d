// Types of bench/fake-github.js, for the tests that import it.
export declare function blobSha(text: string): string;
export declare function sha(n: number | string): string;

export interface TreeEntry {
  path: string;
  mode: string;
  type: "blob" | "tree";
  sha: string;
  size?: number;
}
export declare function treeListing(
  files: Record<string, string>,
  commitSha: string,
  prefix: string | undefined,
  recursive: boolean,
): TreeEntry[];
export declare function restBlob(text: string): { sha: string; size: number; encoding: "base64"; content: string };
export declare function graphqlBlob(text: string): {
  oid: string;
  text: string | null;
  isBinary: boolean;
  isTruncated: boolean;
  byteSize: number;
};

export interface FakeRun {
  id: number;
  repo: string;
  name: string;
  head_sha: string;
  status: string;
  conclusion?: string;
  external_id?: string;
  output?: { title?: string; summary?: string };
}

export interface FakeIssue {
  number: number;
  state: string;
  title: string;
  body: string;
  labels: string[];
}

export declare class FakeGitHubServer {
  constructor(options?: { treeDelayMs?: number; rateLimit?: number; resetMs?: number });
  port: number;
  readonly checkRuns: FakeRun[];
  readonly issues: Map<string, FakeIssue[]>;
  readonly comments: { repo: string; issue: number; body: string }[];
  readonly log: string[];
  start(): Promise<this>;
  stop(): Promise<void>;
  env(): Record<string, string>;
  commit(fullName: string, files: Record<string, string>, options?: { sha?: string; installationId?: number }): string;
  runsOf(fullName: string, headSha: string): FakeRun[];
  completedAt(headSha: string): number | undefined;
  count(method: string, pattern: RegExp): number;
}

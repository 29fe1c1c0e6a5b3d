// Types of bench/fake-github.js, for the tests that import it.
export declare function blobSha(text: string): string;
export declare function sha(n: number | string): string;

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
  count(method: string, pattern: RegExp): number;
}

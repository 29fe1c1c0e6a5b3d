// Types of bench/app-process.js, for the tests that import it.
import type { ChildProcess } from "node:child_process";
import type { FakeGitHubServer } from "./fake-github.js";

export declare function bundleApp(outdir: string, entryPoints?: Record<string, string>): Promise<void>;
export declare function freePort(): Promise<number>;

export interface AppProcess {
  child: ChildProcess;
  port: number;
  output(): string;
  exited: Promise<number | null>;
}

export declare function startApp(options: {
  outdir: string;
  gh: Pick<FakeGitHubServer, "env">;
  privateKey: string;
  secret: string;
  env?: Record<string, string>;
  echo?: boolean;
  keepBytes?: number;
}): Promise<AppProcess>;

export declare function deliver(
  port: number,
  secret: string,
  name: string,
  payload: unknown,
  delivery?: string,
): Promise<number>;

export interface PushPayload {
  ref: string;
  before: string;
  after: string;
  installation: { id: number };
  repository: {
    name: string;
    full_name: string;
    owner: { login: string };
    default_branch: string;
    private: boolean;
  };
}

export declare function pushOf(fullName: string, head: string): PushPayload;

// A small GitHub behind nock: repositories as commits of in-memory files, the REST and GraphQL endpoints the
// app uses, faults on demand, and a log of every request (what the budget assertions count). How trees and
// blobs look is shared with the loopback fake the process tests and benchmarks use (bench/fake-github.js);
// this one stays in-process because nock lets a test fail any request and read every body.
import { generateKeyPairSync } from "node:crypto";
import nock from "nock";
import { blobSha, graphqlBlob, restBlob, sha, treeListing } from "../../bench/fake-github.js";

export { blobSha, sha };

export const API = "https://api.github.com";

export type Files = Record<string, string>;

export interface Logged {
  method: string;
  path: string;
  body?: any;
}

interface Fault {
  method: string;
  path: RegExp;
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  times: number;
}

let key: string | undefined;
/** An RSA key for the app's JWT (made once per test file). */
export function privateKey(): string {
  key ??= generateKeyPairSync("rsa", { modulusLength: 2048 })
    .privateKey.export({ type: "pkcs1", format: "pem" })
    .toString();
  return key;
}

export class FakeGitHub {
  readonly log: Logged[] = [];
  /** `owner/repo@sha` → files */
  readonly commits = new Map<string, Files>();
  readonly blobs = new Map<string, string>();
  /** repositories GraphQL answers NOT_FOUND for */
  readonly missing = new Set<string>();
  readonly defaultBranches = new Map<string, string>();
  /** trees answered with `truncated: true` when read recursively at the root */
  readonly truncatedTrees = new Set<string>();
  private readonly faults: Fault[] = [];
  private nextCheckRun = 1;

  constructor(readonly base = API) {
    nock.disableNetConnect();
    const scope = nock(base).persist();
    scope
      .post(/\/app\/installations\/\d+\/access_tokens$/)
      .reply(201, { token: "ghs_test", expires_at: "2099-01-01T00:00:00Z", permissions: {} });
    scope.get(/\/git\/trees\//).reply((uri) => this.answer("GET", uri, undefined, () => this.tree(uri)));
    scope.get(/\/git\/blobs\//).reply((uri) => this.answer("GET", uri, undefined, () => this.blob(uri)));
    scope
      .post(/graphql$/)
      .reply((uri, body) =>
        this.answer("POST", uri, body, () => [
          200,
          this.graphql(body as { query: string; variables: Record<string, string> }),
        ]),
      );
    scope
      .post(/\/check-runs$/)
      .reply((uri, body) =>
        this.answer("POST", uri, body, () => [201, { id: this.nextCheckRun++, ...(body as object) }]),
      );
    scope
      .get(/\/commits\/[^/]+\/check-runs/)
      .reply((uri) => this.answer("GET", uri, undefined, () => [200, { total_count: 0, check_runs: [] }]));
    scope
      .patch(/\/check-runs\/\d+$/)
      .reply((uri, body) =>
        this.answer("PATCH", uri, body, () => [200, { id: Number(uri.split("/").pop()), ...(body as object) }]),
      );
  }

  /** Adds a commit; returns its SHA. */
  commit(repo: string, files: Files, commitSha = sha(JSON.stringify([repo, files]))): string {
    this.commits.set(`${repo}@${commitSha}`, files);
    for (const text of Object.values(files)) this.blobs.set(blobSha(text), text);
    return commitSha;
  }

  /** The next `times` requests matching answer `status` instead. */
  fail(
    method: string,
    path: RegExp,
    status: number,
    options: { body?: unknown; headers?: Record<string, string>; times?: number } = {},
  ): void {
    this.faults.push({
      method,
      path,
      status,
      body: options.body ?? { message: `HTTP ${status}` },
      headers: options.headers,
      times: options.times ?? 1,
    });
  }

  /** API requests (installation-token requests excluded: Probot caches the token for an hour). */
  requests(): string[] {
    return this.log.map((r) => `${r.method} ${r.path}`);
  }

  count(method: string, path: RegExp | string): number {
    return this.log.filter(
      (r) => r.method === method && (typeof path === "string" ? r.path.includes(path) : path.test(r.path)),
    ).length;
  }

  checkRunWrites(): Logged[] {
    return this.log.filter((r) => r.path.includes("/check-runs"));
  }

  private answer(
    method: string,
    uri: string,
    body: unknown,
    ok: () => [number, unknown] | [number, unknown, Record<string, string>],
  ) {
    const path = uri.replace(/^https?:\/\/[^/]+/, "");
    this.log.push({ method, path, body });
    const fault = this.faults.find((f) => f.method === method && f.path.test(path) && f.times > 0);
    if (fault) {
      fault.times--;
      return [fault.status, fault.body, fault.headers ?? {}];
    }
    return ok();
  }

  private tree(uri: string): [number, unknown] {
    const m = /\/repos\/([^/]+)\/([^/]+)\/git\/trees\/([^?]+)(\?.*)?$/.exec(uri)!;
    const repo = `${m[1]}/${m[2]}`;
    const recursive = (m[4] ?? "").includes("recursive=1");
    const [commitSha, prefix] = decodeURIComponent(m[3]!).split(":") as [string, string | undefined];
    const files = this.commits.get(`${repo}@${commitSha}`);
    if (!files) return [404, { message: "Not Found" }];
    const tree = treeListing(files, commitSha, prefix, recursive);
    const truncated = recursive && !prefix && this.truncatedTrees.has(commitSha);
    return [200, { sha: commitSha, truncated, tree: truncated ? tree.slice(0, 1) : tree }];
  }

  private blob(uri: string): [number, unknown] {
    const text = this.blobs.get(uri.split("/").pop()!);
    if (text === undefined) return [404, { message: "Not Found" }];
    return [200, restBlob(text)];
  }

  /** Answers the two query shapes the app sends: blobs by oid (+ look-ups), and repository info. */
  private graphql(body: { query: string; variables: Record<string, string | boolean> }): unknown {
    const v = body.variables;
    const repo = `${v.owner}/${v.name}`;
    if (this.missing.has(repo))
      return {
        data: { repository: null },
        errors: [{ type: "NOT_FOUND", path: ["repository"], message: "Could not resolve to a Repository" }],
      };
    if (body.query.includes("defaultBranchRef")) {
      const branch = this.defaultBranches.get(repo) ?? "main";
      const head = [...this.commits.keys()]
        .reverse()
        .find((k) => k.startsWith(`${repo}@`))
        ?.split("@")[1];
      const data: Record<string, unknown> = {
        repository: {
          isArchived: false,
          isEmpty: !head,
          defaultBranchRef: head ? { name: branch, target: { oid: head } } : null,
        },
      };
      if (v.withOrg) {
        // the owner's .github repository: its latest commit's config files, as blob oids
        const org = [...this.commits.entries()].reverse().find(([k]) => k.startsWith(`${v.owner}/.github@`))?.[1];
        const oid = (path: string) => (org?.[path] === undefined ? null : { oid: blobSha(org[path]) });
        data.org = org ? { yml: oid(".github/devops-ladder.yml"), yaml: oid(".github/devops-ladder.yaml") } : null;
      }
      return { data };
    }
    const repository: Record<string, unknown> = { id: "R_1" };
    const data: Record<string, unknown> = { repository };
    const errors: unknown[] = [];
    for (const [name, value] of Object.entries(v)) {
      if (/^b\d+$/.test(name)) repository[name] = this.gqlBlob(value as string);
      const l = /^le(\d+)$/.exec(name);
      if (l) {
        const lookupRepo = `${v[`lo${l[1]}`]}/${v[`ln${l[1]}`]}`;
        // `<ref>:<path>`: the ref is read as the repository's latest commit (enough for config look-ups)
        const path = (value as string).slice((value as string).indexOf(":") + 1);
        const head = [...this.commits.entries()].reverse().find(([k]) => k.startsWith(`${lookupRepo}@`));
        if (!head) {
          data[`l${l[1]}`] = null;
          errors.push({ type: "NOT_FOUND", path: [`l${l[1]}`], message: "Could not resolve to a Repository" });
          continue;
        }
        const text = head?.[1][path];
        data[`l${l[1]}`] = { object: text === undefined ? null : this.gqlBlob(blobSha(text)) };
      }
    }
    return errors.length > 0 ? { data, errors } : { data };
  }

  private gqlBlob(oid: string): unknown {
    const text = this.blobs.get(oid);
    return text === undefined ? null : graphqlBlob(text);
  }
}

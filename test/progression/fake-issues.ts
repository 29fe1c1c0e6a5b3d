// GitHub's issues behind nock, next to test/app/fake-github.ts (trees, GraphQL, check runs): issues with
// labels and state, comments, assignable users, contributors, the pull requests of a commit, the repository's
// visibility — and a log of every request, so that tests can count writes.
import nock from "nock";
import { API } from "../app/fake-github.js";

export interface FakeIssue {
  number: number;
  title: string;
  body: string;
  state: "open" | "closed";
  state_reason?: string | null;
  labels: { name: string }[];
  assignees: { login: string }[];
  comments: string[];
  pull_request?: unknown;
}

interface Fault {
  method: string;
  path: RegExp;
  status: number;
  times: number;
}

export interface Contributor {
  login: string;
  type?: "User" | "Bot";
}

export class FakeIssues {
  readonly log: { method: string; path: string; body?: any }[] = [];
  /** `owner/repo` → issues, by creation order */
  readonly issues = new Map<string, FakeIssue[]>();
  readonly assignable = new Set<string>();
  readonly contributors = new Map<string, Contributor[]>();
  /** commit SHA → the pull requests GitHub associates with it */
  readonly pulls = new Map<string, unknown[]>();
  readonly privateRepos = new Set<string>();
  private readonly faults: Fault[] = [];
  private next = 1;

  constructor() {
    const scope = nock(API).persist();
    const repo = "/repos/([^/]+)/([^/?]+)";
    scope
      .get(new RegExp(`^${repo}/issues(\\?.*)?$`))
      .reply((uri) => this.answer("GET", uri, undefined, () => this.list(uri)));
    scope
      .get(new RegExp(`^${repo}/issues/\\d+$`))
      .reply((uri) => this.answer("GET", uri, undefined, () => this.one(uri)));
    scope
      .post(new RegExp(`^${repo}/issues$`))
      .reply((uri, body) => this.answer("POST", uri, body, () => this.create(uri, body as any)));
    scope
      .patch(new RegExp(`^${repo}/issues/\\d+$`))
      .reply((uri, body) => this.answer("PATCH", uri, body, () => this.edit(uri, body as any)));
    scope
      .post(new RegExp(`^${repo}/issues/\\d+/comments$`))
      .reply((uri, body) => this.answer("POST", uri, body, () => this.comment(uri, body as any)));
    scope
      .get(new RegExp(`^${repo}/assignees/[^/]+$`))
      .reply((uri) =>
        this.answer("GET", uri, undefined, () =>
          this.assignable.has(uri.split("/").pop()!) ? [204, ""] : [404, { message: "Not Found" }],
        ),
      );
    scope
      .get(new RegExp(`^${repo}/contributors(\\?.*)?$`))
      .reply((uri) => this.answer("GET", uri, undefined, () => [200, this.contributors.get(repoOf(uri)) ?? []]));
    scope
      .get(new RegExp(`^${repo}/commits/[0-9a-f]+/pulls(\\?.*)?$`))
      .reply((uri) =>
        this.answer("GET", uri, undefined, () => [
          200,
          this.pulls.get(uri.split("/commits/")[1]!.split("/")[0]!) ?? [],
        ]),
      );
    scope
      .get(new RegExp(`^${repo}$`))
      .reply((uri) =>
        this.answer("GET", uri, undefined, () => [
          200,
          { full_name: repoOf(uri), private: this.privateRepos.has(repoOf(uri)) },
        ]),
      );
  }

  /** Seeds an issue as if it existed before (another process, a past crash, a person). */
  seed(repo: string, issue: Partial<FakeIssue> & { body: string }): FakeIssue {
    const made: FakeIssue = {
      number: this.next++,
      title: "seeded",
      state: "open",
      labels: [{ name: "devops-ladder" }],
      assignees: [],
      comments: [],
      ...issue,
    };
    this.issues.set(repo, [...(this.issues.get(repo) ?? []), made]);
    return made;
  }

  all(repo: string): FakeIssue[] {
    return this.issues.get(repo) ?? [];
  }

  /** The next `times` requests matching answer `status`. */
  fail(method: string, path: RegExp, status: number, times = 1): void {
    this.faults.push({ method, path, status, times });
  }

  writes(): { method: string; path: string; body?: any }[] {
    return this.log.filter((r) => r.method !== "GET");
  }

  count(method: string, path: RegExp): number {
    return this.log.filter((r) => r.method === method && path.test(r.path)).length;
  }

  private answer(method: string, uri: string, body: unknown, ok: () => [number, unknown]) {
    const path = uri.replace(/^https?:\/\/[^/]+/, "");
    this.log.push({ method, path, body });
    const fault = this.faults.find((f) => f.method === method && f.path.test(path) && f.times > 0);
    if (fault) {
      fault.times--;
      return [fault.status, { message: `HTTP ${fault.status}` }];
    }
    return ok();
  }

  private list(uri: string): [number, unknown] {
    const query = new URL(uri, API).searchParams;
    const label = query.get("labels");
    const state = query.get("state") ?? "open";
    const page = Number(query.get("page") ?? 1);
    const perPage = Number(query.get("per_page") ?? 30);
    const matching = this.all(repoOf(uri)).filter(
      (i) => (!label || i.labels.some((l) => l.name === label)) && (state === "all" || i.state === state),
    );
    return [200, matching.slice((page - 1) * perPage, page * perPage).map(view)];
  }

  private one(uri: string): [number, unknown] {
    const found = this.find(uri);
    return found ? [200, view(found)] : [404, { message: "Not Found" }];
  }

  private create(
    uri: string,
    body: { title: string; body: string; labels?: string[]; assignees?: string[] },
  ): [number, unknown] {
    const issue = this.seed(repoOf(uri), {
      title: body.title,
      body: body.body,
      labels: (body.labels ?? []).map((name) => ({ name })),
      assignees: (body.assignees ?? []).map((login) => ({ login })),
    });
    return [201, view(issue)];
  }

  private edit(
    uri: string,
    body: Partial<{ title: string; body: string; state: "open" | "closed"; state_reason: string; assignees: string[] }>,
  ): [number, unknown] {
    const issue = this.find(uri);
    if (!issue) return [404, { message: "Not Found" }];
    if (body.title !== undefined) issue.title = body.title;
    if (body.body !== undefined) issue.body = body.body;
    if (body.state !== undefined) issue.state = body.state;
    if (body.state_reason !== undefined) issue.state_reason = body.state_reason;
    if (body.assignees !== undefined) issue.assignees = body.assignees.map((login) => ({ login }));
    return [200, view(issue)];
  }

  private comment(uri: string, body: { body: string }): [number, unknown] {
    const issue = this.find(uri.replace(/\/comments$/, ""));
    if (!issue) return [404, { message: "Not Found" }];
    issue.comments.push(body.body);
    return [201, { id: issue.comments.length, body: body.body }];
  }

  private find(uri: string): FakeIssue | undefined {
    const number = Number(uri.split("/").pop());
    return this.all(repoOf(uri)).find((i) => i.number === number);
  }
}

function repoOf(uri: string): string {
  const m = /\/repos\/([^/]+)\/([^/?]+)/.exec(uri)!;
  return `${m[1]}/${m[2]}`;
}

function view(issue: FakeIssue): unknown {
  const { comments, ...rest } = issue;
  return { ...rest, comments: comments.length };
}

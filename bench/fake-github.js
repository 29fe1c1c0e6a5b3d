// A fake GitHub on a loopback HTTP port, for tests and benchmarks that run the app as real processes (nock
// cannot span processes). The app reaches it with GHE_HOST=127.0.0.1:PORT GHE_PROTOCOL=http: REST under
// /api/v3, GraphQL at /api/graphql. It keeps repositories (commits of in-memory files), check runs, issues and
// comments; it answers the rate-limit headers of each installation's budget, and can slow trees down so that a
// test can kill the app mid-scan. Every request is logged as `METHOD /path`.
import { createHash } from "node:crypto";
import { createServer } from "node:http";

export const blobSha = (text) => {
  const bytes = Buffer.from(text);
  return createHash("sha1").update(`blob ${bytes.length}\0`).update(bytes).digest("hex");
};

export const sha = (n) => createHash("sha1").update(String(n)).digest("hex");

// How GitHub shows a commit's files; shared with the nock fake of the in-process tests (test/app/fake-github.ts).

/** The entries of the tree `commitSha[:prefix]` (subtrees named `<commit>:<path>`), recursive or one level. */
export function treeListing(files, commitSha, prefix, recursive) {
  const dir = prefix ? `${prefix}/` : "";
  const tree = [];
  const dirs = new Set();
  for (const [path, text] of Object.entries(files)) {
    if (!path.startsWith(dir)) continue;
    const rest = path.slice(dir.length);
    const slash = rest.indexOf("/");
    if (slash !== -1 && !dirs.has(rest.slice(0, slash))) {
      dirs.add(rest.slice(0, slash));
      tree.push({
        path: rest.slice(0, slash),
        mode: "040000",
        type: "tree",
        sha: `${commitSha}:${dir}${rest.slice(0, slash)}`,
      });
    }
    if (slash === -1 || recursive)
      tree.push({ path: rest, mode: "100644", type: "blob", sha: blobSha(text), size: Buffer.byteLength(text) });
  }
  return tree;
}

/** A blob as the REST API answers it (base64). */
export function restBlob(text) {
  return {
    sha: blobSha(text),
    size: Buffer.byteLength(text),
    encoding: "base64",
    content: Buffer.from(text).toString("base64"),
  };
}

/** A blob as GraphQL answers it (`... on Blob`); text with a NUL byte is binary. */
export function graphqlBlob(text) {
  const binary = text.includes("\0");
  return {
    oid: blobSha(text),
    text: binary ? null : text,
    isBinary: binary,
    isTruncated: false,
    byteSize: Buffer.byteLength(text),
  };
}

export class FakeGitHubServer {
  /** @param {{ treeDelayMs?: number, rateLimit?: number, resetMs?: number }} options */
  constructor(options = {}) {
    this.options = options;
    /** `owner/name` (lower case) → { fullName, defaultBranch, private, installationId, commits: Map<sha, files>, head } */
    this.repos = new Map();
    this.blobs = new Map();
    this.checkRuns = [];
    /** head SHA → when its first run was completed (performance.now()) */
    this.completions = new Map();
    /** `owner/name` → issues */
    this.issues = new Map();
    this.comments = [];
    this.log = [];
    /** installation id → { remaining, reset } */
    this.budgets = new Map();
    this.nextIssue = 1;
    this.server = createServer((req, res) => this.handle(req, res));
  }

  async start() {
    await new Promise((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    this.port = this.server.address().port;
    return this;
  }

  /** The app's environment for this server. */
  env() {
    return { GHE_HOST: `127.0.0.1:${this.port}`, GHE_PROTOCOL: "http" };
  }

  async stop() {
    this.server.closeAllConnections?.();
    await new Promise((resolve) => this.server.close(resolve));
  }

  /** Adds (or moves) a repository's default branch to a commit of `files`; returns its SHA. */
  commit(fullName, files, options = {}) {
    const key = fullName.toLowerCase();
    const repo = this.repos.get(key) ?? {
      fullName,
      defaultBranch: "main",
      private: false,
      installationId: options.installationId ?? 1,
      commits: new Map(),
      head: undefined,
    };
    const commitSha = options.sha ?? sha(JSON.stringify([fullName, files, repo.commits.size]));
    repo.commits.set(commitSha, files);
    repo.head = commitSha;
    for (const text of Object.values(files)) this.blobs.set(blobSha(text), text);
    this.repos.set(key, repo);
    return commitSha;
  }

  /** When (performance.now()) a run of `headSha` was first completed; undefined while none is. */
  completedAt(headSha) {
    return this.completions.get(headSha);
  }

  stampCompleted(run) {
    if (run.status === "completed" && !this.completions.has(run.head_sha))
      this.completions.set(run.head_sha, performance.now());
  }

  /** Check runs of one repository's head, as GitHub would list them. */
  runsOf(fullName, headSha) {
    return this.checkRuns.filter((r) => r.repo === fullName.toLowerCase() && r.head_sha === headSha);
  }

  count(method, pattern) {
    return this.log.filter((l) => l.startsWith(`${method} `) && pattern.test(l)).length;
  }

  handle(req, res) {
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      const url = new URL(req.url, "http://x");
      const path = url.pathname.replace(/^\/api\/v3/, "");
      this.log.push(`${req.method} ${path}`);
      let body;
      try {
        body = chunks.length > 0 ? JSON.parse(Buffer.concat(chunks).toString("utf8")) : undefined;
      } catch {
        body = undefined;
      }
      const installation = this.installationOf(req.headers.authorization);
      Promise.resolve()
        .then(() => this.route(req.method, path, url.searchParams, body))
        .then(
          ([status, data]) => this.send(res, status, data, installation),
          (err) => this.send(res, 500, { message: String(err) }, installation),
        );
    });
  }

  installationOf(authorization) {
    const m = /token ghs_(\d+)/.exec(authorization ?? "");
    return m ? Number(m[1]) : undefined;
  }

  send(res, status, data, installation) {
    const headers = { "content-type": "application/json" };
    if (installation !== undefined && this.options.rateLimit) {
      const now = Date.now();
      let budget = this.budgets.get(installation);
      if (!budget || budget.reset <= now) {
        budget = { remaining: this.options.rateLimit, reset: now + (this.options.resetMs ?? 3_600_000) };
        this.budgets.set(installation, budget);
      }
      budget.remaining = Math.max(0, budget.remaining - 1);
      Object.assign(headers, {
        "x-ratelimit-limit": String(this.options.rateLimit),
        "x-ratelimit-remaining": String(budget.remaining),
        "x-ratelimit-reset": String(Math.ceil(budget.reset / 1000)),
        "x-ratelimit-resource": "core",
      });
    }
    res.writeHead(status, headers);
    res.end(data === undefined ? "" : JSON.stringify(data));
  }

  repo(owner, name) {
    return this.repos.get(`${owner}/${name}`.toLowerCase());
  }

  async route(method, path, query, body) {
    let m;
    if (method === "POST" && (m = /^\/app\/installations\/(\d+)\/access_tokens$/.exec(path)))
      return [
        201,
        { token: `ghs_${m[1]}`, expires_at: new Date(Date.now() + 3_600_000).toISOString(), permissions: {} },
      ];
    if (method === "GET" && path === "/app/installations")
      return [
        200,
        [...new Set([...this.repos.values()].map((r) => r.installationId))].map((id) => ({
          id,
          account: { login: `org${id}` },
        })),
      ];
    if (method === "GET" && path === "/installation/repositories") return this.installationRepos(query);
    if (method === "POST" && (path === "/graphql" || path === "/api/graphql")) return [200, this.graphql(body)];
    if (!(m = /^\/repos\/([^/]+)\/([^/]+)(\/.*)?$/.exec(path))) return [404, { message: "Not Found" }];
    const repo = this.repo(m[1], m[2]);
    if (!repo) return [404, { message: "Not Found" }];
    const rest = m[3] ?? "";
    const key = repo.fullName.toLowerCase();
    if (method === "GET" && rest === "")
      return [
        200,
        { full_name: repo.fullName, private: repo.private, default_branch: repo.defaultBranch, archived: false },
      ];
    if (method === "GET" && (m = /^\/git\/trees\/([^/]+)$/.exec(rest)))
      return this.tree(repo, decodeURIComponent(m[1]), query);
    if (method === "GET" && (m = /^\/git\/blobs\/([0-9a-f]+)$/.exec(rest))) {
      const text = this.blobs.get(m[1]);
      if (text === undefined) return [404, { message: "Not Found" }];
      return [200, restBlob(text)];
    }
    if (method === "POST" && rest === "/check-runs") {
      const run = { id: this.checkRuns.length + 1, repo: key, ...body, status: body.status ?? "queued" };
      this.checkRuns.push(run);
      this.stampCompleted(run);
      return [201, run];
    }
    if (method === "PATCH" && (m = /^\/check-runs\/(\d+)$/.exec(rest))) {
      const run = this.checkRuns[Number(m[1]) - 1];
      if (!run || run.repo !== key) return [404, { message: "Not Found" }];
      Object.assign(run, body);
      this.stampCompleted(run);
      return [200, run];
    }
    if (method === "GET" && (m = /^\/commits\/([^/]+)\/check-runs$/.exec(rest))) {
      const runs = this.runsOf(key, m[1]).filter(
        (r) =>
          (!query.get("check_name") || r.name === query.get("check_name")) &&
          (!query.get("status") || r.status === query.get("status")),
      );
      return [200, { total_count: runs.length, check_runs: runs }];
    }
    if (method === "GET" && /^\/commits\/[^/]+\/pulls$/.test(rest)) return [200, []];
    if (method === "GET" && (rest === "/commits" || rest === "/contributors")) return [200, []];
    if (method === "GET" && rest === "/issues") {
      const label = query.get("labels");
      const list = (this.issues.get(key) ?? []).filter((i) => !label || i.labels.includes(label));
      const page = Number(query.get("page") ?? 1);
      const per = Number(query.get("per_page") ?? 30);
      return [200, list.slice((page - 1) * per, page * per)];
    }
    if (method === "POST" && rest === "/issues") {
      const issue = {
        number: this.nextIssue++,
        state: "open",
        title: body.title,
        body: body.body,
        labels: (body.labels ?? []).map((l) => (typeof l === "string" ? l : l.name)),
        assignees: [],
      };
      this.issues.set(key, [...(this.issues.get(key) ?? []), issue]);
      return [201, issue];
    }
    if ((m = /^\/issues\/(\d+)$/.exec(rest))) {
      const issue = (this.issues.get(key) ?? []).find((i) => i.number === Number(m[1]));
      if (!issue) return [404, { message: "Not Found" }];
      if (method === "PATCH") Object.assign(issue, body);
      return [200, issue];
    }
    if (method === "POST" && (m = /^\/issues\/(\d+)\/comments$/.exec(rest))) {
      this.comments.push({ repo: key, issue: Number(m[1]), body: body.body });
      return [201, { id: this.comments.length }];
    }
    return [404, { message: "Not Found" }];
  }

  installationRepos(query) {
    const page = Number(query.get("page") ?? 1);
    const per = Number(query.get("per_page") ?? 30);
    const all = [...this.repos.values()];
    return [
      200,
      {
        total_count: all.length,
        repositories: all.slice((page - 1) * per, page * per).map((r) => ({
          full_name: r.fullName,
          name: r.fullName.split("/")[1],
          owner: { login: r.fullName.split("/")[0] },
          private: r.private,
          archived: false,
          default_branch: r.defaultBranch,
        })),
      },
    ];
  }

  async tree(repo, ref, query) {
    if (this.options.treeDelayMs) await new Promise((r) => setTimeout(r, this.options.treeDelayMs));
    const [commitSha, prefix] = ref.split(":");
    const files = repo.commits.get(commitSha);
    if (!files) return [404, { message: "Not Found" }];
    const tree = treeListing(files, commitSha, prefix, query.get("recursive") === "1");
    return [200, { sha: commitSha, truncated: false, tree }];
  }

  graphql(body) {
    const v = body?.variables ?? {};
    const repo = this.repo(v.owner, v.name);
    if (!repo)
      return {
        data: { repository: null },
        errors: [{ type: "NOT_FOUND", path: ["repository"], message: "Could not resolve to a Repository" }],
      };
    if (body.query.includes("defaultBranchRef")) {
      const data = {
        repository: {
          isArchived: false,
          isEmpty: !repo.head,
          defaultBranchRef: repo.head ? { name: repo.defaultBranch, target: { oid: repo.head } } : null,
        },
      };
      if (v.withOrg) {
        // the owner's .github repository's config files, as blob oids (null without that repository)
        const org = this.repo(v.owner, ".github");
        const files = org?.head ? org.commits.get(org.head) : undefined;
        const oid = (path) => (files?.[path] === undefined ? null : { oid: blobSha(files[path]) });
        data.org = files ? { yml: oid(".github/devops-ladder.yml"), yaml: oid(".github/devops-ladder.yaml") } : null;
      }
      return { data };
    }
    const repository = { id: "R_1" };
    const data = { repository };
    for (const [name, value] of Object.entries(v)) {
      if (/^b\d+$/.test(name)) repository[name] = this.gqlBlob(value);
      const l = /^le(\d+)$/.exec(name);
      if (l) {
        const other = this.repo(v[`lo${l[1]}`], v[`ln${l[1]}`]);
        const path = value.slice(value.indexOf(":") + 1);
        const text = other?.head ? other.commits.get(other.head)[path] : undefined;
        data[`l${l[1]}`] = other ? { object: text === undefined ? null : this.gqlBlob(blobSha(text)) } : null;
      }
    }
    return { data };
  }

  gqlBlob(oid) {
    const text = this.blobs.get(oid);
    return text === undefined ? null : graphqlBlob(text);
  }
}

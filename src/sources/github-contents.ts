// File contents through GitHub's GraphQL API: many blobs in one request (one alias per blob SHA), plus
// optional look-ups of a path at a ref in any repository (how configs are found). Blobs GraphQL cannot
// give as text (truncated, binary or large) come from the REST blobs API. Contents are cached by blob SHA:
// blobs never change, so a rescan only fetches what changed.
import { describeFailure, type GitHubApi, GitHubSourceError, type RepoRef, repoParams } from "./github-api.js";

export type BlobContent = string | Uint8Array;

/** A path at a ref, e.g. the org-wide config: `{owner, repo: ".github", expression: "HEAD:.github/devops-ladder.yml"}`. */
export interface Lookup extends RepoRef {
  expression: string;
}

export interface FoundBlob {
  sha: string;
  content: BlobContent;
}

/** Per request: most blobs, and most bytes as the tree declares them (keeps GraphQL under its time limit). */
const BATCH_FILES = 300;
const BATCH_BYTES = 8 * 1024 * 1024;
const FALLBACK_CONCURRENCY = 4;

/** Least recently used blobs go first once the cache holds more than `maxBytes`. */
export class BlobCache {
  private readonly entries = new Map<string, BlobContent>();
  private bytes = 0;

  constructor(private readonly maxBytes = 64 * 1024 * 1024) {}

  get(sha: string): BlobContent | undefined {
    const hit = this.entries.get(sha);
    if (hit !== undefined) {
      this.entries.delete(sha);
      this.entries.set(sha, hit);
    }
    return hit;
  }

  set(sha: string, content: BlobContent): void {
    const size = sizeOf(content);
    if (size > this.maxBytes) return;
    const old = this.entries.get(sha);
    if (old !== undefined) {
      this.bytes -= sizeOf(old);
      this.entries.delete(sha);
    }
    this.entries.set(sha, content);
    this.bytes += size;
    for (const [key, value] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.entries.delete(key);
      this.bytes -= sizeOf(value);
    }
  }

  get size(): number {
    return this.entries.size;
  }
}

function sizeOf(content: BlobContent): number {
  return typeof content === "string" ? content.length * 2 : content.byteLength;
}

interface GqlBlob {
  oid?: string;
  text?: string | null;
  isBinary?: boolean | null;
  isTruncated?: boolean;
  byteSize?: number;
}

export interface FetchResult {
  /** blob SHA → content; a SHA missing here no longer exists in the repository */
  blobs: Map<string, BlobContent>;
  /** lookup index → the blob found there, or null when there is none (or no access to that repository) */
  lookups: (FoundBlob | null)[];
}

/**
 * Fetches the blobs (by SHA, from `repo`) and the lookups in as few GraphQL requests as the batch limits allow:
 * one for up to 300 files. `sizes` (from the tree) only shapes the batches.
 */
export async function fetchContents(
  api: GitHubApi,
  repo: RepoRef,
  shas: readonly string[],
  lookups: readonly Lookup[] = [],
  sizes: ReadonlyMap<string, number> = new Map(),
): Promise<FetchResult> {
  const result: FetchResult = { blobs: new Map(), lookups: lookups.map(() => null) };
  const needRest: { sha: string; repo: RepoRef; lookup?: number }[] = [];
  const batches = batch([...new Set(shas)], sizes);
  if (batches.length === 0 && lookups.length > 0) batches.push([]);
  for (const [i, oids] of batches.entries()) {
    const batchLookups = i === 0 ? lookups : [];
    const data = await query(api, repo, oids, batchLookups);
    oids.forEach((sha, j) => {
      const blob = data.repository?.[`b${j}`] as GqlBlob | null | undefined;
      if (!blob) return; // gone: the caller reports it as missing
      if (typeof blob.text === "string" && !blob.isTruncated && !blob.isBinary) result.blobs.set(sha, blob.text);
      else needRest.push({ sha, repo });
    });
    batchLookups.forEach((_, j) => {
      const blob = (data[`l${j}`] as { object?: GqlBlob | null } | null | undefined)?.object;
      if (!blob?.oid) return;
      if (typeof blob.text === "string" && !blob.isTruncated && !blob.isBinary)
        result.lookups[j] = { sha: blob.oid, content: blob.text };
      else needRest.push({ sha: blob.oid, repo: batchLookups[j]!, lookup: j });
    });
  }
  await restFallback(api, needRest, result);
  return result;
}

function batch(shas: string[], sizes: ReadonlyMap<string, number>): string[][] {
  const out: string[][] = [];
  let current: string[] = [];
  let bytes = 0;
  for (const sha of shas) {
    const size = sizes.get(sha) ?? 0;
    if (current.length > 0 && (current.length >= BATCH_FILES || bytes + size > BATCH_BYTES)) {
      out.push(current);
      current = [];
      bytes = 0;
    }
    current.push(sha);
    bytes += size;
  }
  if (current.length > 0) out.push(current);
  return out;
}

type QueryData = Record<string, unknown> & { repository?: Record<string, unknown> | null };

async function query(api: GitHubApi, repo: RepoRef, oids: string[], lookups: readonly Lookup[]): Promise<QueryData> {
  const vars: Record<string, string> = { owner: repo.owner, name: repo.repo };
  const params = ["$owner: String!", "$name: String!"];
  const blobFields = oids.map((oid, i) => {
    vars[`b${i}`] = oid;
    params.push(`$b${i}: GitObjectID!`);
    return `b${i}: object(oid: $b${i}) { ...B }`;
  });
  const lookupFields = lookups.map((l, i) => {
    Object.assign(vars, { [`lo${i}`]: l.owner, [`ln${i}`]: l.repo, [`le${i}`]: l.expression });
    params.push(`$lo${i}: String!`, `$ln${i}: String!`, `$le${i}: String!`);
    return `l${i}: repository(owner: $lo${i}, name: $ln${i}) { object(expression: $le${i}) { ...B } }`;
  });
  const text = [
    `query(${params.join(", ")}) {`,
    `  repository(owner: $owner, name: $name) { id ${blobFields.join(" ")} }`,
    ...lookupFields.map((f) => `  ${f}`),
    "}",
    "fragment B on Blob { oid text isBinary isTruncated byteSize }",
  ].join("\n");

  let data: QueryData | undefined;
  let errors: { type?: string; message?: string; path?: (string | number)[] }[] = [];
  try {
    data = (await api.graphql(text, vars)) as QueryData;
  } catch (err) {
    // GraphQL reports per-field problems (e.g. no `.github` repository) next to partial data
    const partial = err as { data?: QueryData; errors?: typeof errors; name?: string };
    if (partial.name !== "GraphqlResponseError" || !partial.data)
      throw describeFailure(err, `${repo.owner}/${repo.repo}`);
    data = partial.data;
    errors = partial.errors ?? [];
  }
  if (!data?.repository) {
    const notFound = errors.find((e) => e.path?.[0] === "repository");
    throw new GitHubSourceError(
      notFound?.type === "NOT_FOUND"
        ? `${repo.owner}/${repo.repo} was not found (the repository was deleted, or the app lost access)`
        : `GitHub did not return ${repo.owner}/${repo.repo}: ${notFound?.message ?? "no data"}`,
      notFound?.type === "NOT_FOUND" ? 404 : undefined,
    );
  }
  return data;
}

async function restFallback(
  api: GitHubApi,
  todo: { sha: string; repo: RepoRef; lookup?: number }[],
  result: FetchResult,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < todo.length) {
      const item = todo[next++]!;
      let content: Uint8Array;
      try {
        const res = await api.request("GET /repos/{owner}/{repo}/git/blobs/{file_sha}", {
          ...repoParams(item.repo),
          file_sha: item.sha,
        });
        content = Buffer.from(res.data.content, (res.data.encoding as BufferEncoding) || "base64");
      } catch (err) {
        throw describeFailure(err, `blob ${item.sha.slice(0, 12)} of ${item.repo.owner}/${item.repo.repo}`);
      }
      if (item.lookup === undefined) result.blobs.set(item.sha, content);
      else result.lookups[item.lookup] = { sha: item.sha, content };
    }
  };
  await Promise.all(Array.from({ length: Math.min(FALLBACK_CONCURRENCY, todo.length) }, worker));
}

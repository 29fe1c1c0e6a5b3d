// Who may see what. A signed-out visitor sees an org's public repositories only when its config says
// `dashboard: public`, and never a private one. A signed-in user sees the repositories GitHub says they can
// read in the org's installation (GET /user/installations/{id}/repositories with their own token, cached
// briefly), plus the public ones when the dashboard is public. An org where the viewer can see nothing is
// answered exactly as an org we do not know. Every page and API answer is filtered through here.
import type { DashboardRecords, OrgRecord } from "../store/dashboard.js";
import type { GitHubUserApi } from "./github-user.js";
import type { OrgFacts } from "./org-facts.js";

export interface SignedIn {
  login: string;
  id: number;
  token: string;
}

/** undefined: a signed-out visitor */
export type Viewer = SignedIn | undefined;

export interface OrgAccess {
  record: OrgRecord;
  /** may this viewer see this repository? (`private` as the store knows it) */
  canSee(repo: string, isPrivate: boolean): boolean;
  /** the viewer can read at least one repository of the installation: they may see the org's GitHub teams */
  collaborator: boolean;
}

export interface AccessOptions {
  store: DashboardRecords;
  facts: OrgFacts;
  github: GitHubUserApi;
  /** how long a user's readable repositories are trusted; default 60 s */
  ttlMs?: number;
  /** most users × installations remembered */
  maxEntries?: number;
  now?: () => number;
}

interface Cached<T> {
  value: Promise<T>;
  until: number;
}

export class Access {
  private readonly repos = new Map<string, Cached<Set<string>>>();
  private readonly installations = new Map<number, Cached<number[]>>();
  private readonly ttl: number;
  private readonly max: number;
  private readonly now: () => number;

  constructor(private readonly options: AccessOptions) {
    this.ttl = options.ttlMs ?? 60_000;
    this.max = options.maxEntries ?? 10_000;
    this.now = options.now ?? Date.now;
  }

  /** What the viewer may see of the org, or undefined when nothing (the org then does not exist for them). */
  async org(viewer: Viewer, org: string): Promise<OrgAccess | undefined> {
    const record = await this.options.store.org(org);
    if (!record) return undefined;
    const isPublic = await this.options.facts.isPublic(record);
    const readable =
      viewer && record.installationId !== undefined ? await this.readable(viewer, record.installationId) : undefined;
    if (!isPublic && (!readable || readable.size === 0)) return undefined;
    return {
      record,
      canSee: (repo, isPrivate) => (readable?.has(repo.toLowerCase()) ?? false) || (isPublic && !isPrivate),
      collaborator: (readable?.size ?? 0) > 0,
    };
  }

  /** The orgs the viewer may open: their installations, and every org whose dashboard is public. */
  async orgs(viewer: Viewer): Promise<OrgRecord[]> {
    const records = await this.options.store.orgs();
    const mine = new Set(viewer ? await this.userInstallations(viewer) : []);
    const out: OrgRecord[] = [];
    for (const record of records) {
      if (record.installationId !== undefined && mine.has(record.installationId)) out.push(record);
      else if (await this.options.facts.isPublic(record)) out.push(record);
    }
    return out;
  }

  private readable(viewer: SignedIn, installationId: number): Promise<Set<string>> {
    return this.cached(this.repos, `${viewer.id}:${installationId}`, async () => {
      const names = await this.options.github.installationRepos(viewer.token, installationId);
      return new Set(names.map((n) => n.toLowerCase()));
    });
  }

  private userInstallations(viewer: SignedIn): Promise<number[]> {
    return this.cached(this.installations, viewer.id, async () =>
      (await this.options.github.installations(viewer.token)).map((i) => i.id),
    );
  }

  private cached<K, T>(map: Map<K, Cached<T>>, key: K, load: () => Promise<T>): Promise<T> {
    const now = this.now();
    const hit = map.get(key);
    if (hit && hit.until > now) return hit.value;
    const value = load();
    // a failed look-up is not remembered: the next page asks again
    value.catch(() => {
      if (map.get(key)?.value === value) map.delete(key);
    });
    map.delete(key);
    map.set(key, { value, until: now + this.ttl });
    if (map.size > this.max) map.delete(map.keys().next().value!);
    return value;
  }

  /** Forget what a user could read (they signed out). */
  forget(userId: number): void {
    for (const key of this.repos.keys()) if (key.startsWith(`${userId}:`)) this.repos.delete(key);
    this.installations.delete(userId);
  }
}

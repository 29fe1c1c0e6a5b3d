// GitHub as the signed-in user sees it: the OAuth web flow of the app (authorize, exchange the code) and the
// few REST calls made with the user-to-server token. On GitHub Enterprise Server the OAuth pages live on the
// web root (GHE_HOST) and the API under /api/v3; on github.com at github.com and api.github.com.

export interface GitHubHosts {
  /** where people sign in: https://github.com or https://ghe.example.com */
  web: string;
  /** the REST API: https://api.github.com or https://ghe.example.com/api/v3 */
  api: string;
}

export function githubHosts(env: NodeJS.ProcessEnv = process.env): GitHubHosts {
  const host = env.GHE_HOST?.trim();
  if (!host) return { web: "https://github.com", api: "https://api.github.com" };
  const protocol = env.GHE_PROTOCOL?.trim() || "https";
  return { web: `${protocol}://${host}`, api: `${protocol}://${host}/api/v3` };
}

/** GitHub said no to the user's token (expired or revoked): the session is over. */
export class TokenRejected extends Error {
  override name = "TokenRejected";
}

/** GitHub did not answer as expected (down, rate-limited, a refused code). */
export class GitHubUserError extends Error {
  override name = "GitHubUserError";
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

export interface OAuthApp {
  clientId: string;
  clientSecret: string;
  /** the callback URL registered with the app; omitted, GitHub uses the app's own */
  redirectUri?: string;
}

export interface UserToken {
  token: string;
  /** ms since the epoch, when the app's tokens expire (GitHub's `expires_in`) */
  expiresAt?: number;
}

export interface GitHubUser {
  login: string;
  id: number;
}

export interface UserInstallation {
  id: number;
  account: string;
}

const TIMEOUT_MS = 10_000;
/** 100 repositories a page: 50 pages are 5,000 repositories, past any org this dashboard is for */
const MAX_PAGES = 50;

export class GitHubUserApi {
  constructor(
    readonly hosts: GitHubHosts,
    private readonly fetchImpl: typeof fetch = fetch,
  ) {}

  /** The page GitHub asks the user on; `state` comes back with the code and must match the cookie's. */
  authorizeUrl(app: OAuthApp, state: string): string {
    const url = new URL(`${this.hosts.web}/login/oauth/authorize`);
    url.searchParams.set("client_id", app.clientId);
    url.searchParams.set("state", state);
    if (app.redirectUri) url.searchParams.set("redirect_uri", app.redirectUri);
    return url.toString();
  }

  async exchangeCode(app: OAuthApp, code: string, now: number): Promise<UserToken> {
    const body: Record<string, string> = { client_id: app.clientId, client_secret: app.clientSecret, code };
    if (app.redirectUri) body.redirect_uri = app.redirectUri;
    const response = await this.call(`${this.hosts.web}/login/oauth/access_token`, {
      method: "POST",
      headers: { accept: "application/json", "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    const data = (await response.json().catch(() => ({}))) as {
      access_token?: unknown;
      expires_in?: unknown;
      error?: unknown;
      error_description?: unknown;
    };
    if (!response.ok || typeof data.access_token !== "string" || data.access_token === "") {
      const reason =
        typeof data.error_description === "string" ? data.error_description : String(data.error ?? response.status);
      throw new GitHubUserError(`GitHub refused the sign-in code: ${reason}`);
    }
    const token: UserToken = { token: data.access_token };
    if (typeof data.expires_in === "number" && data.expires_in > 0) token.expiresAt = now + data.expires_in * 1000;
    return token;
  }

  async user(token: string): Promise<GitHubUser> {
    const data = (await this.getJson(token, "/user")) as { login?: unknown; id?: unknown };
    if (typeof data.login !== "string" || typeof data.id !== "number") throw new GitHubUserError("GET /user: no login");
    return { login: data.login, id: data.id };
  }

  /** The app's installations the user can reach (GET /user/installations). */
  async installations(token: string): Promise<UserInstallation[]> {
    const out: UserInstallation[] = [];
    for (let page = 1; page <= MAX_PAGES; page++) {
      const data = (await this.getJson(token, `/user/installations?per_page=100&page=${page}`)) as {
        installations?: { id: number; account?: { login?: string } | null }[];
      };
      const list = data.installations ?? [];
      for (const i of list) if (i.account?.login) out.push({ id: i.id, account: i.account.login });
      if (list.length < 100) break;
    }
    return out;
  }

  /**
   * `owner/name` of every repository of the installation the user can read
   * (GET /user/installations/{id}/repositories); empty when the user has no access to the installation.
   */
  async installationRepos(token: string, installationId: number): Promise<string[]> {
    const out: string[] = [];
    for (let page = 1; page <= MAX_PAGES; page++) {
      let data: { repositories?: { full_name?: string }[] };
      try {
        data = (await this.getJson(
          token,
          `/user/installations/${installationId}/repositories?per_page=100&page=${page}`,
        )) as typeof data;
      } catch (err) {
        // 403/404: this user cannot reach the installation at all
        if (err instanceof GitHubUserError && (err.status === 403 || err.status === 404)) return [];
        throw err;
      }
      const list = data.repositories ?? [];
      for (const r of list) if (typeof r.full_name === "string") out.push(r.full_name);
      if (list.length < 100) break;
    }
    return out;
  }

  private async getJson(token: string, path: string): Promise<unknown> {
    const response = await this.call(`${this.hosts.api}${path}`, {
      headers: {
        accept: "application/vnd.github+json",
        authorization: `Bearer ${token}`,
        "x-github-api-version": "2022-11-28",
        "user-agent": "devops-ladder-dashboard",
      },
    });
    if (response.status === 401) throw new TokenRejected("GitHub no longer accepts this sign-in");
    if (!response.ok) throw new GitHubUserError(`GET ${path.split("?")[0]}: ${response.status}`, response.status);
    return response.json();
  }

  private async call(url: string, init: RequestInit): Promise<Response> {
    try {
      return await this.fetchImpl(url, { ...init, redirect: "error", signal: AbortSignal.timeout(TIMEOUT_MS) });
    } catch (err) {
      throw new GitHubUserError(
        `${new URL(url).host} did not answer: ${err instanceof Error ? err.message : String(err)}`,
      );
    }
  }
}

// How our GitHub clients retry and throttle. Probot's defaults only log a secondary rate limit (the request
// then fails); an org-wide scan after an installation hits them, so we wait as GitHub asks and retry twice.
// Tests pass `fast` settings: the same plugins, without the waits between writes.
// Plain options, no client: the CLI and the Action use them without loading Probot (src/github/octokit.ts has
// the app's client).

type Limited = (
  retryAfter: number,
  options: { method: string; url: string },
  octokit: unknown,
  retryCount: number,
) => boolean;

/** Retry after a (secondary) rate limit up to twice, and only when GitHub asks for a wait under 15 minutes. */
export const retryRateLimits: Limited = (retryAfter, _options, _octokit, retryCount) =>
  retryCount < 2 && retryAfter < 15 * 60;

/** A pass-through for Bottleneck groups: no spacing between requests (tests only). */
const unthrottled = {
  key: () => ({ schedule: (_opts: unknown, fn: (...a: unknown[]) => unknown, ...args: unknown[]) => fn(...args) }),
};

export interface ClientTuning {
  /** 1 in tests: a `retry-after: 60` waits 60 ms; 1000 in production */
  retryAfterBaseValue?: number;
  /** drop Probot's 1 s (3 s for notifications) spacing between writes: tests only */
  noSpacing?: boolean;
}

export function throttleOptions(tuning: ClientTuning = {}): Record<string, unknown> {
  return {
    enabled: true,
    onRateLimit: retryRateLimits,
    onSecondaryRateLimit: retryRateLimits,
    ...(tuning.retryAfterBaseValue !== undefined ? { retryAfterBaseValue: tuning.retryAfterBaseValue } : {}),
    ...(tuning.noSpacing
      ? { global: unthrottled, auth: unthrottled, write: unthrottled, notifications: unthrottled, search: unthrottled }
      : {}),
  };
}

/** Octokit's list plus 409 ("Git Repository is empty"): retrying it only delays the "could not scan". */
const DO_NOT_RETRY = [400, 401, 403, 404, 409, 410, 422, 451];

export function retryOptions(tuning: ClientTuning = {}): Record<string, unknown> {
  return {
    doNotRetry: DO_NOT_RETRY,
    ...(tuning.retryAfterBaseValue !== undefined ? { retryAfterBaseValue: tuning.retryAfterBaseValue } : {}),
  };
}

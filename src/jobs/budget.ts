// Each installation's GitHub rate limit, as its responses report it (x-ratelimit-remaining, -reset, -limit,
// -resource), shared by every worker: a job whose installation is short of requests waits for the reset
// instead of spending them. In one process the budget is kept in memory; with REDIS_URL it is kept in Redis,
// so that every instance sees what any instance last saw.
import type { Redis } from "ioredis";

export interface RateBudget {
  /** records the rate-limit headers of a response made with `installationId`'s token */
  note(installationId: number, headers: Record<string, unknown>): void;
  /** ms to wait before spending more of the installation's budget, keeping `reserve` (0–1) of it for others */
  delay(installationId: number, reserve: number): Promise<number>;
}

export interface Seen {
  remaining: number;
  limit: number;
  /** ms since the epoch */
  reset: number;
}

/** Below this many requests left, even work that reserves nothing waits for the reset. */
export const FLOOR = 20;

/** The rate-limit headers of one response; undefined when it had none (they come with every API answer). */
export function parseHeaders(headers: Record<string, unknown>): (Seen & { resource: string }) | undefined {
  const remaining = Number(headers["x-ratelimit-remaining"]);
  const limit = Number(headers["x-ratelimit-limit"]);
  const reset = Number(headers["x-ratelimit-reset"]);
  if (![remaining, limit, reset].every(Number.isFinite)) return undefined;
  return { remaining, limit, reset: reset * 1000, resource: String(headers["x-ratelimit-resource"] ?? "core") };
}

/** How long to wait, given what was seen of each resource: the scans spend core (REST) and GraphQL alike. */
export function delayOf(seen: Iterable<Seen>, reserve: number, now: number): number {
  let wait = 0;
  for (const s of seen) {
    if (s.reset <= now) continue; // a new window has begun since
    if (s.remaining <= Math.max(FLOOR, Math.ceil(s.limit * reserve))) wait = Math.max(wait, s.reset - now);
  }
  return wait;
}

export class MemoryBudget implements RateBudget {
  private readonly seen = new Map<number, Map<string, Seen>>();
  constructor(private readonly now: () => number = Date.now) {}

  note(installationId: number, headers: Record<string, unknown>): void {
    const parsed = parseHeaders(headers);
    if (!parsed) return;
    const byResource = this.seen.get(installationId) ?? new Map<string, Seen>();
    byResource.set(parsed.resource, parsed);
    this.seen.set(installationId, byResource);
  }

  async delay(installationId: number, reserve: number): Promise<number> {
    return delayOf(this.seen.get(installationId)?.values() ?? [], reserve, this.now());
  }
}

export class RedisBudget implements RateBudget {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly now: () => number = Date.now,
  ) {}

  note(installationId: number, headers: Record<string, unknown>): void {
    const parsed = parseHeaders(headers);
    if (!parsed) return;
    const key = `${this.prefix}:budget:${installationId}`;
    const value = JSON.stringify({ remaining: parsed.remaining, limit: parsed.limit, reset: parsed.reset });
    // kept until the window resets (and a little after): a stale answer never outlives its window
    void this.redis
      .multi()
      .hset(key, parsed.resource, value)
      .pexpireat(key, parsed.reset + 60_000)
      .exec()
      .catch(() => undefined);
  }

  async delay(installationId: number, reserve: number): Promise<number> {
    const all = await this.redis.hgetall(`${this.prefix}:budget:${installationId}`);
    return delayOf(
      Object.values(all).map((v) => JSON.parse(v) as Seen),
      reserve,
      this.now(),
    );
  }
}

// Named locks in Redis (SET NX PX with a token, renewed while held, released only by their holder), for every
// instance that shares REDIS_URL: the BullMQ queue serialises a repository's jobs with them, and the
// progression issue is created under one.
import { randomUUID } from "node:crypto";
import type { Redis } from "ioredis";
import { type Locks, LockTimeout } from "../store/store.js";

const RELEASE = `if redis.call("get", KEYS[1]) == ARGV[1] then return redis.call("del", KEYS[1]) else return 0 end`;
const RENEW = `if redis.call("get", KEYS[1]) == ARGV[1] then return redis.call("pexpire", KEYS[1], ARGV[2]) else return 0 end`;
const POLL_MS = 50;

export class RedisLocks implements Locks {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  private key(name: string): string {
    return `${this.prefix}:lock:${name}`;
  }

  /** true when `token` now holds `name` (or already did) */
  async tryAcquire(name: string, token: string, ttlMs: number): Promise<boolean> {
    if ((await this.redis.set(this.key(name), token, "PX", ttlMs, "NX")) === "OK") return true;
    return (await this.redis.eval(RENEW, 1, this.key(name), token, ttlMs)) === 1;
  }

  async renew(name: string, token: string, ttlMs: number): Promise<boolean> {
    return (await this.redis.eval(RENEW, 1, this.key(name), token, ttlMs)) === 1;
  }

  async release(name: string, token: string): Promise<void> {
    await this.redis.eval(RELEASE, 1, this.key(name), token);
  }

  async withLock<T>(name: string, fn: () => Promise<T>, options: { waitMs?: number; ttlMs?: number } = {}) {
    const token = randomUUID();
    const ttl = options.ttlMs ?? 60_000;
    const deadline = Date.now() + (options.waitMs ?? 30_000);
    while (!(await this.tryAcquire(name, token, ttl))) {
      if (Date.now() >= deadline) throw new LockTimeout(`the lock ${name} is held elsewhere`);
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
    const renew = setInterval(() => void this.renew(name, token, ttl).catch(() => undefined), ttl / 3);
    renew.unref();
    try {
      return await fn();
    } finally {
      clearInterval(renew);
      await this.release(name, token).catch(() => undefined);
    }
  }
}

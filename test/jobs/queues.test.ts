// The queue contract on every backend: the embedded queue on SQLite and on PostgreSQL, BullMQ on Redis.
import { randomUUID } from "node:crypto";
import { join } from "node:path";
import { afterAll, describe } from "vitest";
import { BullQueue } from "../../src/jobs/bullmq.js";
import { EmbeddedQueue } from "../../src/jobs/embedded.js";
import type { JobQueue } from "../../src/jobs/job.js";
import { PostgresStore } from "../../src/store/postgres/index.js";
import { SqliteStore } from "../../src/store/sqlite/index.js";
import type { Store } from "../../src/store/store.js";
import { tempDir } from "../store/helpers.js";
import { postgresForTests, redisForTests } from "../support/engines.js";
import { type Backing, describeQueueContract } from "./contract.js";

// the first retry after 4 s: what the "promoted" case must not wait out
const RETRY_BASE_MS = 4000;
const temp = tempDir();
const [pgEngine, redisEngine] = await Promise.all([postgresForTests(), redisForTests()]);
const stores: Store[] = [];
afterAll(async () => {
  for (const store of stores) await store.close().catch(() => undefined);
  await pgEngine?.close();
  await redisEngine?.close();
  temp.cleanup();
});

/** The embedded queue: each instance opens its own connection to the case's database. */
function embedded(open: (name: string) => Promise<Store>, reset?: () => Promise<void>): Backing {
  return async () => {
    await reset?.();
    const name = randomUUID().slice(0, 8);
    const connections = new Map<JobQueue, Store>();
    return {
      async make(options = {}) {
        const store = await open(name);
        stores.push(store);
        const queue = new EmbeddedQueue(store, {
          pollMs: 50,
          retryBaseMs: options.retryBaseMs ?? RETRY_BASE_MS,
          leaseMs: options.leaseMs ?? 10_000,
          budget: options.budget,
        });
        connections.set(queue, store);
        return queue;
      },
      async kill(queue) {
        await connections.get(queue)!.close();
      },
    };
  };
}

describeQueueContract(
  "embedded on SQLite",
  embedded(async (name) => SqliteStore.open(join(temp.dir, `${name}.db`))),
);

describe.skipIf(!pgEngine)("PostgreSQL", () => {
  describeQueueContract(
    "embedded on PostgreSQL",
    embedded(
      () => PostgresStore.open(pgEngine!.url, { poolSize: 4 }),
      async () => {
        // one database for the file: each case starts from an empty job table
        const store = await PostgresStore.open(pgEngine!.url, { poolSize: 1 });
        await store.pool.query("TRUNCATE jobs");
        await store.close();
      },
    ),
  );
});

describe.skipIf(!redisEngine)("Redis", () => {
  describeQueueContract("BullMQ on Redis", async () => {
    const prefix = `test-${randomUUID().slice(0, 8)}`;
    return {
      async make(options = {}) {
        return BullQueue.connect(redisEngine!.url, {
          prefix,
          retryBaseMs: options.retryBaseMs ?? RETRY_BASE_MS,
          leaseMs: options.leaseMs ?? 10_000,
          stalledIntervalMs: 500,
          budget: options.budget,
        });
      },
      async kill(queue) {
        const bull = queue as BullQueue;
        // no more lock renewals nor stalled checks from this instance: its connections are cut
        for (const worker of (bull as unknown as { workers: { disconnect(): Promise<void> }[] }).workers)
          await worker.disconnect();
        bull.redis.disconnect();
      },
    };
  });
});

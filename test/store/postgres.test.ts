// The PostgreSQL store on a real server: the Store contract (test/store/contract.ts), and what only
// PostgreSQL has: migrations under concurrent start, a newer schema refused, DATABASE_URL.
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { openStore } from "../../src/store/index.js";
import { PostgresStore } from "../../src/store/postgres/index.js";
import { MIGRATIONS } from "../../src/store/postgres/migrations.js";
import { StoreError, type StoreOptions } from "../../src/store/store.js";
import { postgresForTests } from "../support/engines.js";
import { describeJobStoreContract, describeScanContract } from "./contract.js";
import { describeCreditContract } from "./credits-contract.js";
import { describeDashboardContract } from "./dashboard-contract.js";

const engine = await postgresForTests();
afterAll(async () => engine?.close());

/** Empties every table, so that each contract test starts from nothing on the one database. */
async function emptied(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ tablename: string }>(
      "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename NOT IN ('schema_migrations', 'store_meta')",
    );
    if (rows.length > 0)
      await client.query(`TRUNCATE ${rows.map((r) => r.tablename).join(", ")} RESTART IDENTITY CASCADE`);
  } finally {
    await client.end();
  }
}

describe.skipIf(!engine)("PostgreSQL store", () => {
  const url = engine?.url ?? "";

  const fresh = async (options?: StoreOptions) => {
    const store = await PostgresStore.open(url, options);
    await emptied(url);
    return store;
  };
  describeScanContract("PostgreSQL", fresh);
  describeJobStoreContract("PostgreSQL", fresh);
  describeDashboardContract("PostgreSQL", fresh);
  describeCreditContract("PostgreSQL", fresh);

  it("migrates once when several instances start together, and records every version", async () => {
    const stores = await Promise.all([1, 2, 3].map(() => PostgresStore.open(url)));
    const { rows } = await stores[0]!.pool.query<{ version: number }>(
      "SELECT version FROM schema_migrations ORDER BY version",
    );
    expect(rows.map((r) => r.version)).toEqual(MIGRATIONS.map((m) => m.version));
    await Promise.all(stores.map((s) => s.close()));
  });

  it("refuses a database from a newer version, and a DATABASE_URL that is not PostgreSQL", async () => {
    const store = await PostgresStore.open(url);
    await store.pool.query("INSERT INTO schema_migrations (version, name, applied_at) VALUES (99, 'future', 'now')");
    await store.close();
    await expect(PostgresStore.open(url)).rejects.toThrow(/schema version 99, newer than this build knows/);
    const cleanup = new pg.Client({ connectionString: url });
    await cleanup.connect();
    await cleanup.query("DELETE FROM schema_migrations WHERE version = 99");
    await cleanup.end();
    await expect(openStore({ DATABASE_URL: "mysql://root:secret@db/app" })).rejects.toThrow(StoreError);
    await expect(openStore({ DATABASE_URL: "mysql://root:secret@db/app" })).rejects.not.toThrow(/secret/);
  });

  it("names the server, without its password, when it cannot connect", async () => {
    const error = await openStore({ DATABASE_URL: "postgres://app:hunter2@127.0.0.1:1/ladder" }).catch((e) => e);
    expect(error).toBeInstanceOf(StoreError);
    expect(error.message).toContain("postgres://app:***@127.0.0.1:1/ladder");
    expect(error.message).not.toContain("hunter2");
  });

  it("is chosen by DATABASE_URL", async () => {
    const store = await openStore({ DATABASE_URL: url, DATABASE_PATH: "/nonexistent/ignored.db" });
    expect(store.kind).toBe("postgres");
    await store.close();
  });
});

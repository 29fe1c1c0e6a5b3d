// Child process of crash.test.ts: writes scans through the real (compiled) store until it is SIGKILLed.
// It reports on stdout, synchronously, each scan that record() returned, i.e. that is committed.
import { writeSync } from "node:fs";
import { SqliteStore } from "./store/sqlite/index.js";

const [path, mode] = process.argv.slice(2);
const store = SqliteStore.open(path);
const scan = (i) => ({
  repo: `octo/repo-${i}`,
  ref: "main",
  headSha: i.toString(16).padStart(40, "0"),
  private: i % 2 === 0,
  score: i % 101,
  level: "senior",
  tasks: { deploy: i % 101, backups: null },
  defaultBranch: "main",
});

if (mode === "mid-transaction") {
  await store.scans.record(scan(1));
  writeSync(1, "committed 1\n");
  // record() inside an outer transaction that never commits: the process dies inside it (the SQLite
  // store's record() runs its transaction synchronously, before its promise is returned)
  const db = store.db;
  db.transaction(() => {
    void store.scans.record(scan(2));
    writeSync(1, "inside\n");
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
  })();
} else {
  for (let i = 0; ; i++) {
    await store.scans.record(scan(i));
    writeSync(1, `committed ${i}\n`);
  }
}

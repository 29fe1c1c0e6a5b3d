// Child process of crash.test.ts: writes scans through the real (compiled) store until it is SIGKILLed.
// It reports on stdout, synchronously, each scan that record() returned, i.e. that is committed.
import { writeSync } from "node:fs";
import { ScanStore } from "./store/store.js";

const [path, mode] = process.argv.slice(2);
const store = ScanStore.open(path);
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
  store.record(scan(1));
  writeSync(1, "committed 1\n");
  // record() inside an outer transaction that never commits: the process dies inside it
  const db = store.db;
  db.transaction(() => {
    store.record(scan(2));
    writeSync(1, "inside\n");
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
  })();
} else {
  for (let i = 0; ; i++) {
    store.record(scan(i));
    writeSync(1, `committed ${i}\n`);
  }
}

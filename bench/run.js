// `npm run bench`: scans generated trees of 10k and 100k files, each in a fresh process, several times,
// and prints the median start-up (modules, rules) and scan wall times, the whole CLI process, and peak memory.
import { execFileSync } from "node:child_process";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generateTree } from "./generate.js";

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const sizes = (process.env.BENCH_SIZES ?? "10000,100000").split(",").map(Number);

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

for (const size of sizes) {
  const root = generateTree(join(tmpdir(), `devops-ladder-bench-${size}`), size);
  const runs = [];
  for (let i = 0; i < RUNS; i++) {
    runs.push(JSON.parse(execFileSync(process.execPath, ["bench/scan-once.js", root], { encoding: "utf8" })));
  }
  const cli = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    execFileSync(process.execPath, ["dist/cli.js", "scan", root, "--format", "json"], {
      stdio: ["ignore", "ignore", "inherit"],
    });
    cli.push(performance.now() - t);
  }
  const r = runs[0];
  console.log(
    `${String(size).padStart(7)} files: start-up median ${median(runs.map((x) => x.startupMs))} ms, ` +
      `scan median ${median(runs.map((x) => x.ms))} ms ` +
      `(min ${Math.min(...runs.map((x) => x.ms))}, max ${Math.max(...runs.map((x) => x.ms))}), ` +
      `whole CLI process ${Math.round(median(cli))} ms, peak RSS ${median(runs.map((x) => x.peakRssMb))} MB, ` +
      `${r.candidates} candidates read, level ${r.level} ${r.score}`,
  );
}

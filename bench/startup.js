// `npm run bench:startup`: how long the CLI takes before it does any real work. Each command runs in a fresh
// process, round-robin (so that a busy machine slows every command alike), and the median of BENCH_RUNS runs
// is printed next to its ratio to `node -e 0`, the floor no Node CLI can beat. Budget: a scan of a one-file
// folder within 4 × `node -e 0` (issue 14).
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const RUNS = Number(process.env.BENCH_RUNS ?? 11);
const BUDGET = 4;

const folder = mkdtempSync(join(tmpdir(), "devops-ladder-startup-"));
writeFileSync(join(folder, "README.md"), "# A project\n\nNothing to deploy yet.\n");

const commands = [
  { label: "node -e 0", args: ["-e", "0"] },
  { label: "devops-ladder --version", args: ["dist/cli.js", "--version"] },
  { label: "devops-ladder rules", args: ["dist/cli.js", "rules"] },
  { label: "devops-ladder scan <one file>", args: ["dist/cli.js", "scan", folder, "--format", "json"] },
];

const times = commands.map(() => []);
try {
  for (let run = 0; run < RUNS; run++) {
    commands.forEach((command, i) => {
      const started = performance.now();
      execFileSync(process.execPath, command.args, { stdio: ["ignore", "ignore", "inherit"] });
      times[i].push(performance.now() - started);
    });
  }
} finally {
  rmSync(folder, { recursive: true, force: true });
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const floor = median(times[0]);
commands.forEach((command, i) => {
  const ms = median(times[i]);
  console.log(
    `${command.label.padEnd(30)} median ${String(Math.round(ms)).padStart(5)} ms  ${(ms / floor).toFixed(1)} ×`,
  );
});
const ratio = median(times.at(-1)) / floor;
console.log(`one-file scan: ${ratio.toFixed(1)} × node -e 0 (budget ${BUDGET} ×, ${RUNS} runs)`);

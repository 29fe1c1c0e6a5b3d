// One scan in a fresh process: prints wall time and peak memory as JSON. Used by bench/run.js.
import { scan } from "../dist/engine/index.js";
import { localSnapshot } from "../dist/sources/local.js";

const dir = process.argv[2];
const started = performance.now();
const report = await scan(localSnapshot(dir));
const ms = performance.now() - started;
process.stdout.write(JSON.stringify({
  ms: Math.round(ms),
  engineMs: report.stats.durationMs,
  files: report.stats.files,
  candidates: report.stats.candidates,
  read: report.stats.read,
  level: report.level,
  score: report.score,
  peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
}));

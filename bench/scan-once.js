// One scan in a fresh process: prints the start-up cost (modules, rules), the scan's wall time and peak
// memory as JSON. Used by bench/run.js.
const started = performance.now();
const { setV8Flags } = await import("../dist/v8-flags.js");
setV8Flags(); // as the CLI does
const { engineParts, scan } = await import("../dist/engine/index.js");
const { localSnapshot } = await import("../dist/sources/local.js");
engineParts(); // loads and validates the rubric: once per process, in the CLI and in the app
const ready = performance.now();

const dir = process.argv[2];
const report = await scan(localSnapshot(dir));
const ms = performance.now() - ready;
process.stdout.write(
  JSON.stringify({
    startupMs: Math.round(ready - started),
    ms: Math.round(ms),
    files: report.stats.files,
    candidates: report.stats.candidates,
    read: report.stats.read,
    level: report.level,
    score: report.score,
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
  }),
);

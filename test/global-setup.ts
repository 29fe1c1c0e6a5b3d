// Builds dist/ once so that tests can run the CLI as users do (node dist/cli.js).
// Type errors are the typecheck's business (npm run typecheck); tsc still emits, so tests can run.
import { spawnSync } from "node:child_process";

export default function setup(): void {
  const result = spawnSync(process.execPath, ["node_modules/typescript/bin/tsc", "-p", "tsconfig.build.json"], { encoding: "utf8" });
  if (result.error) throw result.error;
}

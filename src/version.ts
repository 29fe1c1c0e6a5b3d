import { readFileSync } from "node:fs";
import { join } from "node:path";
import { PROJECT_ROOT } from "./engine/rules.js";

const pkg = JSON.parse(readFileSync(join(PROJECT_ROOT, "package.json"), "utf8")) as { name: string; version: string };
export const TOOL = { name: pkg.name, version: pkg.version } as const;

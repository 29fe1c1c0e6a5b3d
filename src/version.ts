import { readFileSync } from "node:fs";
import { join } from "node:path";
import { PROJECT_ROOT } from "./assets.js";

const pkg = JSON.parse(readFileSync(join(PROJECT_ROOT, "package.json"), "utf8")) as {
  name: string;
  version: string;
  homepage: string;
};
export const TOOL = { name: pkg.name, version: pkg.version } as const;
export const HOMEPAGE = pkg.homepage;

/** A rule's docs link (`docs/rules/x.md#id`, relative to this project) as a URL that works from any repo. */
export function docsUrl(path: string): string {
  return /^https?:\/\//.test(path) ? path : `${HOMEPAGE}/blob/v${pkg.version}/${path}`;
}

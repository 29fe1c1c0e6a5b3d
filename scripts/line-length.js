#!/usr/bin/env node
// Fails when a line of src/ or test/ runs past 140 characters. Biome's formatter wraps code at 120 but leaves
// strings, comments and regexes alone: split a long string into parts joined with +, a regex into alternatives.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

const LIMIT = 140;
const ROOTS = ["src", "test"];
const EXTENSIONS = /\.(ts|js|mjs|cjs)$/;

function* files(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* files(path);
    else if (EXTENSIONS.test(entry.name)) yield path;
  }
}

let count = 0;
for (const root of ROOTS) {
  for (const path of files(root)) {
    readFileSync(path, "utf8")
      .split("\n")
      .forEach((line, i) => {
        const length = [...line].length;
        if (length > LIMIT) {
          count++;
          console.error(`${path}:${i + 1}: ${length} characters (limit ${LIMIT})`);
        }
      });
  }
}
if (count > 0) {
  console.error(`${count} line(s) over ${LIMIT} characters`);
  process.exit(1);
}

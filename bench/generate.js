// Generates a synthetic repository: N files, of which about 300 are DevOps files (copies of the
// bundled lead fixture placed under several services), the rest ordinary source files in nested folders.
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const LEAD = new URL("../fixtures/repos/lead/", import.meta.url).pathname;

export function generateTree(root, totalFiles) {
  const marker = join(root, ".complete");
  if (existsSync(marker)) return root;
  rmSync(root, { recursive: true, force: true });
  mkdirSync(root, { recursive: true });
  let files = 0;
  // ~300 DevOps files: the lead fixture (44 files) as the root and under 6 services
  cpSync(LEAD, root, { recursive: true });
  files += countFiles(LEAD);
  for (let s = 0; files < 300 && s < 20; s++) {
    cpSync(join(LEAD, "deploy"), join(root, `services/svc-${s}/deploy`), { recursive: true });
    cpSync(join(LEAD, "scripts"), join(root, `services/svc-${s}/scripts`), { recursive: true });
    cpSync(join(LEAD, "Dockerfile"), join(root, `services/svc-${s}/Dockerfile`));
    files += countFiles(join(LEAD, "deploy")) + countFiles(join(LEAD, "scripts")) + 1;
  }
  // the rest: source files, 50 per folder, folders nested 3 deep
  const body = "export function f(x) {\n  return x + 1;\n}\n";
  for (let dir = 0; files < totalFiles; dir++) {
    const path = join(root, "src", `pkg${dir % 40}`, `mod${Math.floor(dir / 40) % 25}`, `part${dir}`);
    mkdirSync(path, { recursive: true });
    for (let i = 0; i < 50 && files < totalFiles; i++, files++) {
      writeFileSync(join(path, i % 10 === 0 ? `README.txt` : `file${i}.ts`), body);
    }
  }
  writeFileSync(marker, String(files));
  return root;
}

function countFiles(dir) {
  let n = 0;
  for (const d of readdirSync(dir, { withFileTypes: true })) n += d.isDirectory() ? countFiles(join(dir, d.name)) : 1;
  return n;
}

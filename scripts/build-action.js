// Builds the GitHub Action's bundle: action/index.js (src/action.ts and everything it imports, by esbuild) plus the
// files it reads at run time, so that the folder runs alone, without node_modules, as the runner checks it out.
//
//   node scripts/build-action.js           writes action/
//   node scripts/build-action.js DIR       writes DIR (the Action test runs the bundle from there)
//   node scripts/build-action.js --check   builds into a temporary folder and fails when action/ differs (stale)
//
// esbuild's output is deterministic, so a fresh build equals the committed one unless src/ changed since.
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const COMMITTED = join(ROOT, "action");
const require = createRequire(import.meta.url);

/** Files the bundle reads beside itself: [path in node_modules, path in the bundle folder]. */
const WASM = [
  // web-tree-sitter loads its runtime from new URL("web-tree-sitter.wasm", import.meta.url): the bundle's folder
  ["web-tree-sitter/web-tree-sitter.wasm", "web-tree-sitter.wasm"],
  // src/assets.ts's wasmPath() finds a grammar by its file name in the bundle's folder
  ["tree-sitter-bash/tree-sitter-bash.wasm", "tree-sitter-bash.wasm"],
  // hcl2json reads join(__dirname, "..", "main.wasm.gz"); its lib/bridge.js gets __dirname = <bundle>/hcl2json/lib
  ["@cdktf/hcl2json/main.wasm.gz", "hcl2json/main.wasm.gz"],
];

/** CommonJS files that read a file next to themselves: the folder they are given inside the bundle's folder. */
const DIRNAMES = { "@cdktf/hcl2json/lib/bridge.js": "hcl2json/lib" };

// ESM output: CommonJS dependencies get a real `require` (for node: built-ins), and the bundle's folder by name.
const BANNER = [
  'import { createRequire as __devopsLadderCreateRequire } from "node:module";',
  'import { dirname as __devopsLadderDirname } from "node:path";',
  'import { fileURLToPath as __devopsLadderFileURLToPath } from "node:url";',
  "const require = __devopsLadderCreateRequire(import.meta.url);",
  "const __devopsLadderBundleDir = __devopsLadderDirname(__devopsLadderFileURLToPath(import.meta.url));",
].join("\n");

/** Native modules cannot travel in a bundle: fail the build if the Action reaches one. */
const noNativeModules = {
  name: "no-native-modules",
  setup(b) {
    b.onResolve({ filter: /^better-sqlite3$|\.node$/ }, (args) => ({
      errors: [{ text: `${args.path} is native and cannot be bundled (imported by ${args.importer})` }],
    }));
  },
};

/** Gives the files of DIRNAMES their own __dirname inside the bundle's folder. */
const bundleDirnames = {
  name: "bundle-dirnames",
  setup(b) {
    b.onLoad({ filter: /\.js$/ }, (args) => {
      const key = Object.keys(DIRNAMES).find((k) =>
        args.path.endsWith(`${sep}node_modules${sep}${k.split("/").join(sep)}`),
      );
      if (!key) return undefined;
      const text = readFileSync(args.path, "utf8");
      const folder = JSON.stringify(DIRNAMES[key]);
      return { contents: `var __dirname = __devopsLadderBundleDir + "/" + ${folder};\n${text}`, loader: "js" };
    });
  },
};

export async function buildAction(out) {
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const result = await build({
    entryPoints: [join(ROOT, "src", "action.ts")],
    outfile: join(out, "index.js"),
    absWorkingDir: ROOT,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    define: { DEVOPS_LADDER_BUNDLE: "true" },
    banner: { js: BANNER },
    legalComments: "none", // the licences are gathered in licenses.txt
    charset: "utf8",
    metafile: true,
    logLevel: "warning",
    // hcl2json's Go runtime does `globalThis.performance ??= require("performance")`: Node 20 has the global
    external: ["performance"],
    plugins: [noNativeModules, bundleDirnames],
  });
  for (const [from, to] of WASM) {
    mkdirSync(dirname(join(out, to)), { recursive: true });
    cpSync(require.resolve(from), join(out, to));
  }
  cpSync(join(ROOT, "rules"), join(out, "rules"), { recursive: true });
  cpSync(join(ROOT, "schema"), join(out, "schema"), { recursive: true });
  const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));
  // src/version.ts reads name, version and homepage; "type" makes Node load index.js as an ES module
  const meta = { name: pkg.name, version: pkg.version, homepage: pkg.homepage, private: true, type: "module" };
  writeFileSync(join(out, "package.json"), `${JSON.stringify(meta, null, 2)}\n`);
  writeFileSync(join(out, "licenses.txt"), licenses(result.metafile));
  return result.metafile;
}

/** The licence of every package the bundle holds, by name, sorted: MIT and friends ask that it travels along. */
function licenses(metafile) {
  const packages = new Map();
  for (const input of Object.keys(metafile.inputs)) {
    const match = /(?:^|\/)node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input);
    if (!match || packages.has(match[1])) continue;
    const dir = join(ROOT, input.slice(0, match.index + match[0].length));
    const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
    const file = readdirSync(dir).find((f) => /^(licen[cs]e|copying)(\.|$)/i.test(f));
    packages.set(match[1], {
      version: pkg.version,
      license: pkg.license,
      text: file ? readFileSync(join(dir, file), "utf8") : "",
    });
  }
  const out = [];
  for (const name of [...packages.keys()].sort()) {
    const p = packages.get(name);
    out.push(`${name}@${p.version} (${p.license ?? "see text"})`, "", p.text.trim(), "", "-".repeat(80), "");
  }
  return out.join("\n");
}

function filesOf(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)).split(sep).join("/"))
    .sort();
}

/** The files that differ between two bundle folders (missing on either side, or with other bytes). */
export function bundleDifferences(a, b) {
  const names = [...new Set([...filesOf(a), ...filesOf(b)])].sort();
  return names.filter((name) => {
    const x = join(a, name);
    const y = join(b, name);
    return !existsSync(x) || !existsSync(y) || !readFileSync(x).equals(readFileSync(y));
  });
}

async function main(args) {
  if (args[0] === "--check") {
    const fresh = mkdtempSync(join(tmpdir(), "devops-ladder-action-"));
    try {
      await buildAction(fresh);
      const stale = bundleDifferences(fresh, COMMITTED);
      if (stale.length > 0) {
        console.error(
          `action/ is stale: ${stale.join(", ")} differ from a fresh build. Run \`npm run build\` and commit action/.`,
        );
        return 1;
      }
      console.log("action/ is up to date.");
      return 0;
    } finally {
      rmSync(fresh, { recursive: true, force: true });
    }
  }
  const out = args[0] ?? COMMITTED;
  await buildAction(out);
  const size = filesOf(out).reduce((n, f) => n + readFileSync(join(out, f)).length, 0);
  console.log(`${relative(process.cwd(), out) || "."}: ${filesOf(out).length} files, ${(size / 1e6).toFixed(1)} MB`);
  return 0;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (err) => {
      console.error(err instanceof Error ? err.message : err);
      process.exitCode = 1;
    },
  );
}

// Does a RUN command compile or bundle the application? Such steps are what a multi-stage build keeps out
// of the final image (compilers, dev dependencies, sources).
import { programOf } from "../../vocabulary/programs.js";

/** program → subcommands that build (an empty list: the program itself is a build step) */
const BUILDERS: Record<string, readonly string[]> = {
  go: ["build", "install"],
  cargo: ["build", "install"],
  mvn: ["package", "install", "verify", "compile"],
  mvnw: ["package", "install", "verify", "compile"],
  gradle: ["build", "assemble", "bootJar", "jar", "shadowJar", "installDist", "compileJava"],
  gradlew: ["build", "assemble", "bootJar", "jar", "shadowJar", "installDist", "compileJava"],
  dotnet: ["build", "publish"],
  mix: ["compile", "release"],
  cabal: ["build", "install"],
  stack: ["build", "install"],
  swift: ["build"],
  zig: ["build"],
  poetry: ["build"],
  pip: ["wheel"],
  pip3: ["wheel"],
  make: [],
  gcc: [],
  "g++": [],
  cc: [],
  clang: [],
  javac: [],
  rustc: [],
  tsc: [],
  webpack: [],
  esbuild: [],
};

/** `npm run build`, `yarn build`, `pnpm run build:prod`, `npx vite build`, `bundle exec rake assets:precompile` … */
function isPackageScriptBuild(program: string, args: readonly string[]): boolean {
  if (program === "npm" || program === "yarn" || program === "pnpm" || program === "bun") {
    const script = args[0] === "run" || args[0] === "run-script" ? args[1] : args[0];
    return script !== undefined && /^build([:-]|$)/.test(script);
  }
  if (program === "npx" || program === "pnpx" || program === "bunx") {
    const [tool, sub] = [args[0] ?? "", args[1]];
    return (
      tool === "tsc" || ((tool === "vite" || tool === "next" || tool === "ng" || tool === "nest") && sub === "build")
    );
  }
  if (program === "bundle" || program === "rails" || program === "rake") {
    return args.includes("assets:precompile");
  }
  if (program === "python" || program === "python3") {
    return args[0] === "setup.py" && (args[1] === "build" || args[1] === "bdist_wheel");
  }
  return false;
}

export function isBuildStep(argv: readonly string[]): boolean {
  const { program, args } = programOf(argv);
  const subcommands = BUILDERS[program];
  if (subcommands) return subcommands.length === 0 || subcommands.includes(args.find((a) => !a.startsWith("-")) ?? "");
  return isPackageScriptBuild(program, args);
}

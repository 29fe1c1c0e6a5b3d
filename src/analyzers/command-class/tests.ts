// Commands that run a test suite, unless a flag only lists, skips or prints (`--collect-only`, `-DskipTests`,
// `-x test`, `--version`).

import { hasFlag } from "../../vocabulary/words.js";
import type { CommandClass } from "../command-class.js";

const test = (summary: string): CommandClass => ({ kind: "test", summary });
const MAVEN_TEST_PHASES = ["test", "verify", "install", "package", "integration-test"];

export function classifyTests(
  program: string,
  args: readonly string[],
  words: readonly string[],
): CommandClass | undefined {
  const first = words[0];
  switch (program) {
    case "npm":
    case "pnpm":
    case "yarn":
    case "bun":
      if (first === "test" || first === "t" || first === "tst") return test(`${program} test`);
      if ((first === "run" || first === "run-script") && words[1] && /^(test|e2e|spec|cypress)/.test(words[1]))
        return test(`${program} run ${words[1]}`);
      if (program !== "npm" && first && /^test[:-]/.test(first)) return test(`${program} ${first}`);
      return undefined;
    case "jest":
    case "mocha":
    case "ava":
    case "karma":
    case "tap":
    case "rspec":
    case "phpunit":
    case "pest":
    case "pytest":
    case "py.test":
    case "unittest":
    case "nose2":
    case "tox":
    case "nox":
    case "behave":
    case "cucumber":
    case "gotestsum":
    case "ctest":
      return hasFlag(args, "--version", "--help", "--collect-only", "--co", "--listTests", "--list")
        ? undefined
        : test(program);
    case "vitest":
      return (first === undefined || first === "run") && !hasFlag(args, "--version", "-v", "--help", "-h")
        ? test("vitest")
        : undefined;
    case "playwright":
    case "cypress":
      return first === "test" || first === "run" ? test(`${program} ${first}`) : undefined;
    case "manage.py": // Django's test runner
      return first === "test" ? test("manage.py test") : undefined;
    case "go":
    case "richgo": // go test with coloured output
      return first === "test" ? test(`${program} test`) : undefined;
    case "cargo":
      return first === "test" || first === "nextest" ? test(`cargo ${first}`) : undefined;
    case "mvn":
    case "mvnw": {
      if (args.some((a) => /^-D(skipTests|maven\.test\.skip)(=true)?$/.test(a))) return undefined;
      const phase = words.find((w) => MAVEN_TEST_PHASES.includes(w));
      return phase ? test(`mvn ${phase}`) : undefined;
    }
    case "gradle":
    case "gradlew":
      if (args.some((a, i) => (a === "-x" || a === "--exclude-task") && /test/i.test(args[i + 1] ?? "")))
        return undefined;
      return words.some((w) => /^(test|check|build|[a-zA-Z]*Test)$/.test(w))
        ? test(`${program} ${words.find((w) => /test|check|build/i.test(w))}`)
        : undefined;
    case "make":
    case "just":
    case "task":
      return words.some((w) => /^(test|tests|check|test-.*|.*-test)$/.test(w))
        ? test(`${program} ${words.find((w) => /test|check/.test(w))}`)
        : undefined;
    case "dotnet":
    case "swift":
    case "deno":
    case "bazel":
    case "bazelisk":
    case "flutter":
    case "dart":
    case "mix":
    case "sbt":
    case "lein":
    case "stack":
    case "cabal":
    case "composer":
    case "rake":
    case "turbo":
    case "nx":
    case "zig":
      return words.slice(0, 3).some((w) => w === "test" || w === "spec" || w === "tests")
        ? test(`${program} test`)
        : undefined;
    default:
      return undefined;
  }
}

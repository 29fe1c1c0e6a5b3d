// Commands that publish a release or a package (npm publish, gh release create, mvn deploy …) unless a flag
// makes them a rehearsal (`--dry-run`, `--snapshot`, `--draft`, `-Dmaven.deploy.skip=true`).

import { hasFlag, isDryRun } from "../../vocabulary/words.js";
import type { CommandClass } from "../command-class.js";

const publish = (summary: string): CommandClass => ({ kind: "publish", summary });

export function classifyRelease(
  program: string,
  args: readonly string[],
  words: readonly string[],
): CommandClass | undefined {
  const [first, second] = words;
  switch (program) {
    case "npm":
    case "pnpm":
    case "yarn":
    case "bun":
      return (first === "publish" || (program === "yarn" && first === "npm" && second === "publish")) && !isDryRun(args)
        ? publish(`${program} publish`)
        : undefined;
    case "semantic-release":
      return hasFlag(args, "--dry-run", "-d") ? undefined : publish("semantic-release");
    case "changeset":
    case "lerna":
      return first === "publish" ? publish(`${program} publish`) : undefined;
    case "cargo":
    case "poetry":
    case "uv":
    case "flit":
    case "hatch":
    case "pdm":
      return first === "publish" && !isDryRun(args) ? publish(`${program} publish`) : undefined;
    case "twine":
      return first === "upload" ? publish("twine upload") : undefined;
    case "gem":
      return first === "push" ? publish("gem push") : undefined;
    case "mvn":
    case "mvnw":
      return words.includes("deploy") && !args.includes("-Dmaven.deploy.skip=true") ? publish("mvn deploy") : undefined;
    case "gradle":
    case "gradlew":
      return words.some((w) => /^publish/.test(w) || w === "uploadArchives")
        ? publish(`${program} publish`)
        : undefined;
    case "goreleaser":
      return (first === "release" || first === undefined) &&
        !hasFlag(args, "--snapshot", "--skip-publish") &&
        !args.some((a) => /^--skip=.*publish/.test(a))
        ? publish("goreleaser release")
        : undefined;
    case "gh":
      return first === "release" && second === "create" && !hasFlag(args, "--draft", "-d")
        ? publish("gh release create")
        : undefined;
    case "dotnet":
      return first === "nuget" && second === "push" ? publish("dotnet nuget push") : undefined;
    case "nuget":
      return first === "push" ? publish("nuget push") : undefined;
    case "vsce":
    case "ovsx":
      return first === "publish" ? publish(`${program} publish`) : undefined;
    default:
      return undefined;
  }
}

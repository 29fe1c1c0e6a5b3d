// Scripts, build entry points, package manifests and deploy platform configs.

export interface ShellScriptFact {
  path: string;
  /** interpreter from the shebang or the extension: bash, sh, zsh … */
  shell: string;
  /**
   * strict-mode flags switched on at the top level of the script (`set -e`, `set -euo pipefail`,
   * `set -o errexit`, or flags on the shebang line); `line` is where the first of them is set.
   */
  strict: { errexit: boolean; nounset: boolean; pipefail: boolean; line?: number };
  /** functions defined in the script */
  functions: string[];
  /** environment names the script accepts (from `case "$1" in staging|production)`, `[ "$ENV" = prod ]`, `${1:-staging}` …) */
  environments: string[];
  /** where the script reads its target environment (a positional argument or an ENV/STAGE-like variable) */
  environmentInput?: { line: number; source: string };
  parseError?: { line: number; message: string };
  /** a library meant to be sourced: no shebang, and every command outside functions is a definition or `set` */
  library?: boolean;
  /**
   * variables that hold a container tool's command line, as assigned (`COMPOSE_COMMAND="docker compose"`,
   * `dc="$dc_base --env-file .env"`, `docker_path=$(which docker)`), so that `$COMPOSE_COMMAND up -d` can be read;
   * values that start with another variable are kept too (chains are resolved across scripts, as `source` does),
   * and flags that leave a container running (`attach_on_run="-d"`), so that `$docker_path run $attach_on_run` can be
   */
  toolVars?: { name: string; value: string; line: number }[];
  /** a `while`/`until` loop that sleeps between rounds (a watchdog): its line */
  watchLoop?: number;
  /** `while true; do …; sleep N; done`: the lines of each loop that runs forever, sleeping between rounds */
  foreverLoops?: { line: number; end: number }[];
  /** a numeric test (`[ "$used" -gt 90 ]`, `-lt $THRESHOLD`): its line, the condition a check script alerts on */
  threshold?: number;
}

export interface MakefileTarget {
  name: string;
  line: number;
  /** recipe lines as written, without the leading tab and `@`/`-`/`+` prefixes */
  recipe: string[];
  prerequisites: string[];
  /** listed in `.PHONY` */
  phony?: boolean;
}

export interface MakefileFact {
  path: string;
  targets: MakefileTarget[];
  /** make variables defined in the file (not targets), with their raw values */
  variables?: { name: string; value: string; line: number }[];
}

/** A recipe of a justfile (the `just` command runner). */
export interface JustRecipe {
  name: string;
  line: number;
  /** parameter names, `*`/`+` before a variadic one, `=default` after one with a default */
  parameters: string[];
  /** recipes run before it (and, after `&&`, after it) */
  dependencies: string[];
  /** body lines as written, without the recipe's indentation */
  recipe: string[];
  /** `[private]` or a name starting with `_`: not listed by `just --list` */
  private?: boolean;
  /** the interpreter of a shebang or `[script]` recipe, whose body runs as one script */
  script?: string;
}

/** A justfile (`justfile`, `.justfile`, `*.just`): its recipes, and the files it brings in. */
export interface JustfileFact {
  path: string;
  recipes: JustRecipe[];
  /** `import 'x.just'`: recipes of those files are this file's own (paths relative to the repository root) */
  imports: string[];
  /** `mod name ['path']`: submodules, called as `just name::recipe` or `just name recipe` (candidate paths) */
  modules: { name: string; paths: string[]; line: number }[];
  aliases?: Record<string, string>;
}

export type Ecosystem = "npm" | "python" | "go" | "maven" | "gradle" | "ruby" | "rust" | "php" | "dotnet";

export interface DeclaredDependency {
  /** as the ecosystem names it: `prom-client`, `psycopg2-binary`, `io.micrometer:micrometer-core`, `github.com/lib/pq` */
  name: string;
  line: number;
  version?: string;
  /** a development/test-only dependency */
  dev?: boolean;
}

export interface PackageManifestFact {
  path: string;
  ecosystem: Ecosystem;
  /** names of direct dependencies, dev ones included */
  dependencies: string[];
  /** the same dependencies with their lines (and versions where the manifest gives them) */
  declared?: DeclaredDependency[];
  /** npm-style named scripts */
  scripts: Record<string, string>;
  /** line of each script, by name */
  scriptLines?: Record<string, number>;
}

/** A release of a helmfile (`releases:` entry not `installed: false`): the chart and the values it is installed with. */
export interface HelmfileReleaseFact {
  path: string;
  line: number;
  name?: string;
  /** as written: `fluent/fluent-bit`, `oci://…/loki` */
  chart: string;
  /** inline values (`values: [{…}]`), merged in order */
  values: Record<string, unknown>;
  /** values files, resolved against the helmfile's folder */
  valuesFiles: string[];
}

/** A values file that a helmfile may name (`*.yaml.gotmpl`, YAML under values/ or overrides/), read tolerantly. */
export interface ValuesFileFact {
  path: string;
  values: Record<string, unknown>;
}

export interface PlatformFact {
  path: string;
  line: number;
  /**
   * fly | app-engine | heroku | netlify | vercel | kamal | skaffold | serverless | render | railway | ansible |
   * capistrano | azd | helmfile
   */
  platform: string;
  /** environments this config deploys (fly/kamal destinations, serverless stages, skaffold profiles, netlify contexts …) */
  environments: string[];
  /** the app/service/project the config deploys, when it names one */
  app?: string;
  /** one line on what makes it a real config, e.g. "app my-api, release_command bin/migrate" */
  detail?: string;
}

/** A systemd timer that starts a unit again and again (OnCalendar=, OnUnitActiveSec=, OnUnitInactiveSec=). */
export interface SystemdTimerFact {
  path: string;
  /** line of the first recurring trigger */
  line: number;
  /** the unit it starts: `Unit=`, else the timer's own name with .service */
  unit: string;
  /** the OnCalendar= expression as written (`daily`, `*-*-* 02:00:00`), or `every 1h` for the monotonic triggers */
  schedule: string;
}

/** A dataset that a snapshot tool (sanoid) snapshots by itself on its packaged timer, with the counts it keeps. */
export interface SnapshotPolicyFact {
  path: string;
  /** line of the dataset's section */
  line: number;
  tool: string;
  dataset: string;
  /** what is kept, e.g. "hourly 36, daily 30" */
  keeps: string;
}

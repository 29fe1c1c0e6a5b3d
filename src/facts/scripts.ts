// Scripts and build entry points.

export interface ShellScriptFact {
  path: string;
  /** interpreter from the shebang or the extension: bash, sh, zsh … */
  shell: string;
  strict: { errexit: boolean; nounset: boolean; pipefail: boolean; line?: number };
  /** functions defined in the script */
  functions: string[];
  /** the script takes an environment/stage argument or variable (staging, production …) */
  environments: string[];
  parseError?: { line: number; message: string };
}

export interface MakefileTarget {
  name: string;
  line: number;
  recipe: string[];
  prerequisites: string[];
}

export interface MakefileFact {
  path: string;
  targets: MakefileTarget[];
}

export type Ecosystem = "npm" | "python" | "go" | "maven" | "gradle" | "ruby" | "rust" | "php" | "dotnet";

export interface PackageManifestFact {
  path: string;
  ecosystem: Ecosystem;
  /** names of direct dependencies, dev ones included */
  dependencies: string[];
  /** npm-style named scripts */
  scripts: Record<string, string>;
}

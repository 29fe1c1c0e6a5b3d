// Security, coordination and documentation facts.

export interface DependencyUpdatesFact {
  path: string;
  line: number;
  tool: "dependabot" | "renovate";
  /** ecosystems kept up to date (Dependabot `package-ecosystem`, Renovate `enabledManagers`, or "all") */
  ecosystems: string[];
  /** Dependabot entries whose `allow:` names a few dependencies only: those are kept up to date, no other */
  narrow?: { ecosystem: string; allow: string[] }[];
}

export type SecurityScanScope = "code" | "image" | "dependencies" | "secrets" | "iac" | "supply-chain" | "dast";

export interface SecurityScanFact {
  path: string;
  line: number;
  /** codeql | trivy | grype | snyk | gitleaks | trufflehog | semgrep | dependency-review | osv-scanner | checkov | tfsec … */
  tool: string;
  scope: SecurityScanScope;
  /** what was found, e.g. "uses: github/codeql-action/analyze" or "run: trivy image" */
  via?: string;
  /** a weak check on its own (e.g. `npm audit`): reports advisories of one package manager only */
  weak?: boolean;
}

export interface LinterSecurityFact {
  path: string;
  line: number;
  /** the security linter, e.g. "gosec" (of golangci-lint) */
  linter: string;
}

export interface CodeownersRule {
  /** the pattern as written (GitHub/GitLab CODEOWNERS syntax, gitignore-like) */
  pattern: string;
  /** valid owners only: `@user`, `@org/team` or an e-mail address; empty = un-assigns the paths */
  owners: string[];
  line: number;
}

export interface CodeownersFact {
  path: string;
  rules: CodeownersRule[];
}

export type DocTopic =
  | "deploy"
  | "rollback"
  | "restore"
  | "backup"
  | "runbook"
  | "disaster-recovery"
  | "architecture"
  | "adr"
  | "security-policy"
  | "contributing"
  | "changelog"
  | "environments";

export interface DocHeading {
  text: string;
  /** 1–6 */
  depth: number;
  line: number;
}

export interface DocTopicEvidence {
  topic: DocTopic;
  /** the line of the heading that establishes the topic (1 when it is the whole file, e.g. RUNBOOK.md) */
  line: number;
  /** that heading's text, or the file name when the file itself is about the topic */
  heading: string;
  /** disaster-recovery only: whether the section states a recovery point objective and a recovery time objective */
  states?: { rpo: boolean; rto: boolean };
  /** deploy only: the deploy command the section's steps run, e.g. "docker compose up" */
  command?: string;
  /**
   * deploy only, when that command starts a compose stack (`docker compose up`, `docker stack deploy`): the compose
   * files it names (`-f`, `-c`), as written; empty for the default file of the folder it runs in
   */
  composeFiles?: string[];
}

export interface DocCodeBlock {
  /** the fence's info string's first word, lower case (`bash`, `mermaid` …) */
  lang?: string;
  /** line of the opening fence */
  line: number;
  /** the block's text (capped at 10,000 characters) */
  text: string;
}

export interface DocFact {
  path: string;
  /** markdown when absent */
  format?: "markdown" | "rst" | "asciidoc";
  /** the first level-1 heading */
  title?: string;
  /** headings outside code blocks and front matter */
  headings: DocHeading[];
  /** topics the document really covers (by headings and content, not by a keyword in passing) */
  topics: DocTopicEvidence[];
  codeBlocks: DocCodeBlock[];
  /** CONTRIBUTING: which parts a contributor needs are covered by a section with content */
  contributingAreas?: ("setup" | "tests" | "pull-requests")[];
}

export interface TemplateFact {
  path: string;
  kind: "pull-request" | "issue";
  forge: "github" | "gitlab";
  /** issue form (YAML) rather than Markdown */
  form?: boolean;
  /** where the template's content begins */
  line: number;
}

export interface ReleaseToolingFact {
  path: string;
  line?: number;
  /**
   * changelog | release-please | semantic-release | changesets | goreleaser | release-drafter | standard-version |
   * release-it | github-release-notes
   */
  tool: string;
}

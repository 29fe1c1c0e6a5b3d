// Security, coordination and documentation facts.

export interface DependencyUpdatesFact {
  path: string;
  line: number;
  tool: "dependabot" | "renovate";
  ecosystems: string[];
}

export interface SecurityScanFact {
  path: string;
  line: number;
  /** codeql | trivy | grype | snyk | gitleaks | trufflehog | semgrep | dependency-review | osv-scanner | checkov | tfsec … */
  tool: string;
  scope: "code" | "image" | "dependencies" | "secrets" | "iac";
}

export interface CodeownersFact {
  path: string;
  rules: { pattern: string; owners: string[]; line: number }[];
}

export type DocTopic =
  | "deploy" | "rollback" | "restore" | "backup" | "runbook" | "disaster-recovery"
  | "architecture" | "adr" | "security-policy" | "contributing" | "changelog" | "environments";

export interface DocFact {
  path: string;
  title?: string;
  headings: { text: string; depth: number; line: number }[];
  /** topics the document really covers (by headings and content, not by a keyword in passing) */
  topics: { topic: DocTopic; line: number }[];
  codeBlocks: { lang?: string; line: number; text: string }[];
}

export interface TemplateFact {
  path: string;
  kind: "pull-request" | "issue";
}

export interface ReleaseToolingFact {
  path: string;
  line?: number;
  /** changelog | release-please | semantic-release | changesets | goreleaser | release-drafter | standard-version */
  tool: string;
}

// Where GitHub and GitLab look for pull/merge request and issue templates.
import type { TemplateFact } from "../facts/repo.js";

export interface TemplateKind {
  kind: TemplateFact["kind"];
  forge: TemplateFact["forge"];
  /** a file in an ISSUE_TEMPLATE/ chooser folder (needs front matter, or is an issue form) */
  chooser: boolean;
}

const GH_ROOTS = ["", ".github/", "docs/"];

/** The kind of template a (lower-case) path is, if GitHub or GitLab would offer it. */
export function templateKind(lowerPath: string): TemplateKind | undefined {
  if (!lowerPath.includes("_template")) return undefined; // the cheap test first: this runs on every path
  for (const root of GH_ROOTS) {
    if (!lowerPath.startsWith(root)) continue;
    const rest = lowerPath.slice(root.length);
    if (rest === "pull_request_template.md" || /^pull_request_template\/[^/]+\.md$/.test(rest))
      return { kind: "pull-request", forge: "github", chooser: false };
    if (rest === "issue_template.md") return { kind: "issue", forge: "github", chooser: false };
    if (/^issue_template\/[^/]+\.(md|ya?ml)$/.test(rest) && !/^issue_template\/config\.ya?ml$/.test(rest))
      return { kind: "issue", forge: "github", chooser: true };
  }
  if (/^\.gitlab\/merge_request_templates\/[^/]+\.md$/.test(lowerPath))
    return { kind: "pull-request", forge: "gitlab", chooser: false };
  if (/^\.gitlab\/issue_templates\/[^/]+\.md$/.test(lowerPath))
    return { kind: "issue", forge: "gitlab", chooser: false };
  return undefined;
}

// SECURITY.md: the policy counts when it names a private reporting channel — an address, GitHub's private
// vulnerability reporting, or a bug bounty — outside comments and code blocks (GitHub's template has none).
import type { Analyzer } from "../../../engine/analyzer.js";
import type { SecurityPolicyFact } from "../../../facts/observability.js";

const PATHS = new Set(["security.md", ".github/security.md", "docs/security.md"]);
const EMAIL = /\b[A-Za-z0-9._%+-]+@([A-Za-z0-9-]+\.)+[A-Za-z]{2,}\b/g;
const PLACEHOLDER_DOMAINS = new RegExp(
  String.raw`@(example\.(com|org|net)|domain\.com|yourdomain\.\w+|your-domain\.\w+|company\.com|` +
    String.raw`email\.com|[\w-]+\.(example|invalid|test|localhost))$`,
  "i",
);
const ADVISORY =
  /security\/advisories(\/new)?\b|private vulnerability reporting|report a vulnerability(\]\(|["”']?\s+button)/i;
const BOUNTY = /\b(hackerone\.com|bugcrowd\.com|intigriti\.com|yeswehack\.com|huntr\.(dev|com))\/\S*/i;
const SECURITY_URL = /https?:\/\/\S*(security|vulnerab|disclos)\S*/i;

type Channel = SecurityPolicyFact["channels"][number];

/** The lines of prose: fenced code blocks and HTML comments blanked out, line numbers kept. */
export function proseLines(text: string): string[] {
  const lines = text.split("\n");
  let fence: string | undefined;
  let comment = false;
  return lines.map((raw) => {
    const fenceMark = /^\s*(```|~~~)/.exec(raw)?.[1];
    if (fence) {
      if (fenceMark === fence) fence = undefined;
      return "";
    }
    if (fenceMark) {
      fence = fenceMark;
      return "";
    }
    let line = "";
    let rest = raw;
    while (rest.length > 0) {
      if (comment) {
        const end = rest.indexOf("-->");
        if (end < 0) return line;
        comment = false;
        rest = rest.slice(end + 3);
      } else {
        const start = rest.indexOf("<!--");
        if (start < 0) return line + rest;
        line += rest.slice(0, start);
        comment = true;
        rest = rest.slice(start + 4);
      }
    }
    return line;
  });
}

export function reportingChannels(text: string): Channel[] {
  const channels: Channel[] = [];
  proseLines(text).forEach((line, i) => {
    for (const match of line.matchAll(EMAIL)) {
      if (!PLACEHOLDER_DOMAINS.test(match[0])) channels.push({ kind: "email", value: match[0], line: i + 1 });
    }
    const advisory = ADVISORY.exec(line);
    if (advisory) channels.push({ kind: "advisory", value: advisory[0], line: i + 1 });
    const bounty = BOUNTY.exec(line);
    if (bounty) channels.push({ kind: "bounty", value: bounty[0], line: i + 1 });
    else {
      const url = SECURITY_URL.exec(line);
      if (url && !advisory) channels.push({ kind: "url", value: url[0].replace(/[)\].,>]+$/, ""), line: i + 1 });
    }
  });
  return channels;
}

export const securityPolicy: Analyzer = {
  id: "security-policy",
  match: (_path, _name, lower) => PATHS.has(lower),
  analyze(file, out) {
    out.fact("securityPolicy", { path: file.path, line: 1, channels: reportingChannels(file.text) });
  },
};

// What a document really covers. A topic is established by a heading (or by the file's own name, e.g.
// RUNBOOK.md or docs/deployment/) AND by what its section holds: steps for procedures, a diagram or a
// description of components for architecture, version headings for a changelog. A word in passing is not
// a topic: "deploy" in a README paragraph establishes nothing.
import type { DocTopic, DocTopicEvidence } from "../../facts/repo.js";
import type { DocBlock } from "./doc-blocks.js";
import { commandsOfBlock, type DocCommand, docCommand } from "./doc-commands.js";

/** A heading and everything under it, down to the next heading of the same or a higher level. */
export interface Section {
  heading: string;
  line: number;
  /** 0 for the file itself */
  depth: number;
  blocks: DocBlock[];
}

export type ContributingArea = "setup" | "tests" | "pull-requests";

export interface Judgement {
  topics: DocTopicEvidence[];
  contributingAreas: ContributingArea[];
}

interface Features {
  /** an ordered list of two or more items, or a code block of commands */
  steps: boolean;
  words: number;
  listItems: number;
  subheadings: number;
  diagram: boolean;
  /** the section's prose (and subheadings), for the few content checks that need words */
  text: string;
}

const SHELL_LANGS = new Set([
  "sh",
  "bash",
  "shell",
  "console",
  "zsh",
  "fish",
  "ksh",
  "powershell",
  "ps1",
  "pwsh",
  "cmd",
  "bat",
  "batch",
  "shellsession",
  "shell-session",
  "terminal",
  "make",
]);
const DIAGRAM_LANGS = new Set([
  "mermaid",
  "plantuml",
  "puml",
  "uml",
  "dot",
  "graphviz",
  "d2",
  "ditaa",
  "structurizr",
  "c4plantuml",
  "nomnoml",
]);
/** a command line as written in docs: an optional prompt, then a lower-case program word (or `./launcher`) */
const COMMAND_LINE = /^(\$|>|#|PS>)?\s*(\.{1,2}\/)?[a-z][\w./-]*(\s|$)/;

const H = {
  deploy: new RegExp(
    String.raw`\b(re)?deploy(s|ing|ment|ments)?\b(?!\s+keys?\b)|\bd[ée]ploiement\b|` +
      String.raw`\bgo(ing)?[- ]live\b|\bself[- ]?host(ing|ed)?\b|\broll(ing)?[- ]?outs?\b`,
    "i",
  ),
  release: /\b(releas(e|es|ing)|ship(ping)?|publish(ing)?)\b/i,
  rollback: new RegExp(
    String.raw`\broll(ing|ed)?[- ]?backs?\b|\brevert(ing)?\b.*\b(deploy|deployment|release|` +
      String.raw`version)s?\b|\bundo(ing)?\b.*\b(deploy|deployment|release)s?\b`,
    "i",
  ),
  restore: /\brestor(e|es|ing|ation)\b|\brecover(y|ing)?\b/i,
  notDataRestore: /\b(packages?|dependenc(y|ies)|nuget|cache|tools?|session|window|password|account)\b/i,
  backup: /\bback[- ]?ups?\b/i,
  runbook:
    /\b(run[- ]?books?|play[- ]?books?|on[- ]?call|incident (response|management|handling)|operations (manual|guide))\b/i,
  dr: /\bdisaster[- ]recovery\b|\bDR (plan|strategy|runbook|procedures?|drills?)\b|\bbusiness continuity\b/i,
  // bare "Components" is too often a UI library's list of widgets
  architecture: new RegExp(
    String.raw`\barchitecture\b|\bsystem (design|overview)\b|\bhigh[- ]level design\b|\b(system|` +
      String.raw`infrastructure|service|platform) components\b|\binfrastructure overview\b`,
    "i",
  ),
  notArchitecture: /\bdecisions?\b/i,
  security:
    /\bsecurity( policy)?\b|\breport(ing)? (a )?(security )?vulnerabilit(y|ies)\b|\bvulnerability disclosure\b/i,
  contributing: /\bcontribut(e|ing|ion|ions|ors?)\b/i,
  // not "Production build": a heading about the environments themselves
  environments: /\benvironments\b|\bstages\b|\bstaging\b|\bdeployment targets\b/i,
  notEnvironments: /\b(local|development|dev) environment/i,
};
/** headings that introduce installing or running the product: its steps count when they run a deploy command */
const INSTALL = new RegExp(
  String.raw`\b(quick[- ]?start|getting[- ]started|get[- ]started|install(s|ing|ation|ations)?|` +
    String.raw`set(ting)?[- ]?up|setup|launch(ing)?|upgrad(e|es|ing)|updat(e|es|ing)|usage|how to (use|` +
    String.raw`run)|bootstrap(ping)?|provision(ing)?|lancement|d[ée]marrage|mise en place|running)\b`,
  "i",
);
/** headings about running in production: steps or a checklist count, as under "Deployment" */
const PRODUCTION = new RegExp(
  String.raw`\b(in production|for production|production (setup|install(ation)?|checklist|use|` +
    String.raw`environment|server)|hosting|on (a|your) server)\b|^\W*production\W*$|\bd[ée]ploiement\b|` +
    String.raw`\bd[ée]ployer\b`,
  "i",
);
/** headings about working on the project, not running it: never deploy docs */
const NOT_DEPLOY =
  /\b(contribut\w*|develop(ment|er|ers|ing)|local (development|setup|environment|dev)|locally|demo(s|nstration)?|sandbox|tutorials?)\b/i;
/** install headings that are still about a workstation: "Dev setup", "Running the tests", "Install from source" */
const NOT_INSTALL = /\b(dev|local|tests?|testing|debug(ging)?|from source)\b/i;
/** neutral headings that are never how to ship: examples, troubleshooting, tearing down */
const NOT_SHIPPING =
  /\b(examples?|samples?|troubleshoot(ing)?|uninstall(ing|ation)?|clean(ing)?[- ]?up|destroy(ing)?|tear(ing)?[- ]?down|remov(e|ing|al))\b/i;
/** deploys that a neutral heading may hold for a laptop too (a dev stack, a local service): only the named ones count */
const HOST_START = /compose up$|^(docker|podman) run -d$|^systemctl |^pm2 /;
/** headings about the delivery pipeline: "CI/CD", "Continuous deployment", "Release pipeline" */
const PIPELINE =
  /\bCI\s*\/\s*CD\b|\bcontinuous (deployment|delivery)\b|\b(deploy(ment)?|release|delivery) pipelines?\b/i;
/** what triggers a pipeline's deploy: a push, a merge, a tag, a branch */
const TRIGGER = /\b(push(es|ed)?|merge[sd]?|tag(s|ged)?|branch(es)?)\b/i;
/** prose that is about publishing a package, not shipping a service */
const PACKAGE_PUBLISH = new RegExp(
  String.raw`\b(npm publish|pypi|crates\.io|rubygems|twine|nuget|maven central|packagist|publish(es|` +
    String.raw`ed|ing)? (the |a |to )?(package|crate|gem|library|module|npm))\b`,
  "i",
);
const ENV_MENTION =
  /\b(production|prod|staging|stage|environments?|servers?|clusters?|kubernetes|k8s|heroku|fly\.io|vercel|netlify|aws|gcp|azure)\b/i;
const DATA_MENTION =
  /\b(backups?|snapshots?|dumps?|databases?|db|data|volumes?|pg_restore|mongorestore|psql|mysql|restic|velero|borg|s3|pitr)\b/i;
const RPO_RTO = /\bRPO\b|\bRTO\b|recovery (point|time) objective/i;
const ENV_NAMES: [string, RegExp][] = [
  ["dev", /\b(dev|development)\b/i],
  ["test", /\b(test|testing|qa|uat)\b/i],
  ["staging", /\b(staging|stage|pre-?prod(uction)?)\b/i],
  ["production", /\b(prod|production|live)\b/i],
  ["preview", /\b(preview|review apps?|sandbox|demo)\b/i],
];
const SECURITY_CONTENT = /\b(report|disclos|vulnerabilit|advisor)/i;
const VERSION_HEADING = /(^|[\s[(])v?\d+\.\d+(\.\d+)?([-+.][\w.]+)?(?=$|[\s\])])/i;
const AREAS: [ContributingArea, RegExp][] = [
  [
    "setup",
    new RegExp(
      String.raw`\b(set[- ]?up|install(ation|ing)?|getting started|development|developing|local (env|` +
        String.raw`environment)|build(ing)?|prerequisites|requirements)\b`,
      "i",
    ),
  ],
  ["tests", /\btest(s|ing)?\b|\blint(ing|ers?)?\b/i],
  [
    "pull-requests",
    new RegExp(
      String.raw`\bpull[- ]requests?\b|\bPRs?\b|\bmerge requests?\b|\bcode reviews?\b|\bsubmit(ting)?\b|` +
        String.raw`\bcommit (messages?|conventions?|guidelines)\b|\bpatch(es)?\b`,
      "i",
    ),
  ],
];
/** files that keep a history of changes (CHANGELOG*, CHANGES*, HISTORY*, release notes): they get no topic but "changelog" */
const CHANGELOG_FILE = /(^|\/)(changelog|changes|history|release[-_ ]?notes)([-_.]v?\d[\w.-]*)?(\.[a-z]+)?$/i;
const ADR_DIR =
  /(^|\/)(adrs?|decisions|decision-records|architecture-decisions|architecture-decision-records|architectural-decisions)\//i;

/** a one-file decision log: DECISIONS.md, docs/decision-log.md, ADR.md */
const DECISION_LOG_FILE =
  /(^|\/)(decisions|decision[-_]?log|decision[-_]records?|adrs?|architecture[-_]decisions?)\.(md|markdown|mdx|rst|adoc|txt)$/i;
const DECIDES = /\b(decision|decided|decide|rationale|consequences|we (will|chose|choose|use|picked)|status)\b/i;

export interface DocContext {
  path: string;
  /** what the file is about by its folder and name, for file-level topics: "runbooks restore database" */
  fileName: string;
  frontMatter?: string;
}

/** Splits blocks into sections: one per heading, plus the whole file as depth 0. */
export function sectionsOf(blocks: DocBlock[], fileName: string): Section[] {
  const sections: Section[] = [];
  const firstHeading = blocks.find((b) => b.kind === "heading");
  sections.push({ heading: fileName, line: firstHeading?.line ?? 1, depth: 0, blocks });
  const open: { section: Section; start: number }[] = [];
  const close = (until: number, depth: number) => {
    while (open.length > 0 && open[open.length - 1]!.section.depth >= depth) {
      const { section, start } = open.pop()!;
      section.blocks = blocks.slice(start + 1, until);
    }
  };
  blocks.forEach((block, i) => {
    if (block.kind !== "heading") return;
    close(i, block.depth);
    const section: Section = { heading: block.text, line: block.line, depth: block.depth, blocks: [] };
    sections.push(section);
    open.push({ section, start: i });
  });
  close(blocks.length, 0);
  return sections;
}

/** topics are judged on the first sections only: enough for any real document, and bounded work */
const MAX_SECTIONS = 1000;

export function judge(blocks: DocBlock[], ctx: DocContext): Judgement {
  const sections = sectionsOf(blocks, ctx.fileName).slice(0, MAX_SECTIONS + 1);
  const file = sections[0]!;
  const features = new Map<Section, Features>();
  const f = (s: Section) => {
    let v = features.get(s);
    if (!v) features.set(s, (v = featuresOf(s)));
    return v;
  };
  const found = new Map<DocTopic, DocTopicEvidence>();
  const add = (topic: DocTopic, s: Section) => {
    if (!found.has(topic)) found.set(topic, { topic, line: s.line, heading: s.heading });
  };
  // headings first (their line is the best evidence), then the file itself
  const ordered = [...sections.slice(1), file];
  const lowerName = ctx.path.toLowerCase();
  const fileIs = (re: RegExp) => re.test(ctx.fileName);

  // a changelog mentions deploys, rollbacks, RPO/RTO as things that changed: history, not a runbook
  if (CHANGELOG_FILE.test(ctx.path)) {
    const version = sections.slice(1).find((s) => VERSION_HEADING.test(s.heading));
    return {
      topics: version ? [{ topic: "changelog", line: version.line, heading: version.heading }] : [],
      contributingAreas: [],
    };
  }

  const deploys: DocTopicEvidence[] = [];
  for (const s of ordered) {
    const h = s.heading;
    const isFile = s.depth === 0;
    if (deploys.length < 20) {
      const deploy = deploySection(s, f, ctx.path, s === sections[1] && s.depth === 1);
      if (deploy) deploys.push(deploy);
    }
    if (H.rollback.test(h) && f(s).steps) add("rollback", s);
    if (
      H.restore.test(h) &&
      !H.notDataRestore.test(h) &&
      f(s).steps &&
      (DATA_MENTION.test(h) || DATA_MENTION.test(f(s).text) || codeMentionsData(s))
    )
      add("restore", s);
    if (H.backup.test(h) && substantive(f(s))) add("backup", s);
    if (H.runbook.test(h) && substantive(f(s))) add("runbook", s);
    if (H.dr.test(h) && substantive(f(s))) add("disaster-recovery", s);
    if (H.architecture.test(h) && !H.notArchitecture.test(h) && describesArchitecture(f(s))) add("architecture", s);
    if (!isFile && H.security.test(h) && SECURITY_CONTENT.test(`${h} ${f(s).text}`) && f(s).words >= 10)
      add("security-policy", s);
    if (!isFile && H.contributing.test(h) && (f(s).steps || areasOf(s, sections, f).length > 0)) add("contributing", s);
    if (H.environments.test(h) && !H.notEnvironments.test(h) && envNames(`${h} ${f(s).text}`) >= 2)
      add("environments", s);
  }

  // the section whose steps run a deploy command first: "Install" with `helm install` before "Redeploy with new name"
  const deploy = deploys.find((d) => d.command) ?? deploys[0];
  if (deploy) found.set("deploy", deploy);

  // RPO/RTO stated anywhere: the section that states them
  if (!found.has("disaster-recovery")) {
    const stating = sections
      .slice(1)
      .reverse()
      .find((s) => RPO_RTO.test(s.heading) || s.blocks.some((b) => b.kind === "text" && RPO_RTO.test(b.text)));
    if (stating) add("disaster-recovery", stating);
    else if (file.blocks.some((b) => b.kind === "text" && RPO_RTO.test(b.text))) add("disaster-recovery", file);
  }

  // topics that belong to the file as a whole
  if (/(^|\/)(runbooks?|playbooks?)\//.test(lowerName) && substantive(f(file))) add("runbook", file);
  if (fileIs(/\bsecurity\b/i) && /(^|\/)security(\.[a-z]+)?$/i.test(ctx.path) && f(file).words >= 15)
    add("security-policy", file);
  const contributingAreas = /(^|\/)contributing(\.[a-z]+)?$/i.test(ctx.path) ? areasOf(file, sections, f) : [];
  if (
    contributingAreas.length > 0 ||
    (/(^|\/)contributing(\.[a-z]+)?$/i.test(ctx.path) && f(file).steps && f(file).words >= 80)
  ) {
    add("contributing", file);
  }
  if (/(^|\/)(changelog|changes|history|releases|news)(\.[a-z]+)?$/i.test(ctx.path)) {
    const version = sections.slice(1).find((s) => VERSION_HEADING.test(s.heading));
    if (version) add("changelog", version);
  }
  if (ADR_DIR.test(ctx.path) && !/template/i.test(ctx.path) && isAdr(sections, file, ctx.frontMatter))
    add("adr", sections[1] ?? file);
  else if (DECISION_LOG_FILE.test(ctx.path)) {
    const entry = decisionLogEntry(sections, f);
    if (entry) add("adr", entry);
  }

  return { topics: [...found.values()].sort((a, b) => a.line - b.line), contributingAreas };
}

/**
 * Whether a section tells how to deploy, and with which command:
 * - a deploy heading ("Deployment", "Self-hosting", "Déploiement") or a production one ("Running in production")
 *   with steps, unless its commands only build, test or publish a package (a library's "Deployment" that is
 *   `npm publish`, a service README whose "Deploy" shows `make build` and `make test`);
 * - a release heading whose steps reach an environment, with the same exception;
 * - an install heading ("Quickstart", "Getting started", "Install", "Setup", "Upgrade", "Usage", "Bootstrap" …)
 *   whose code blocks run a deploy command (`docker compose up`, `kubectl apply -f`, `helm install`, `azd up`,
 *   `systemctl enable`, the repository's own installer …);
 * - any other heading below the title ("Common workflows", "Promoting to production") whose own steps run a deploy
 *   that no laptop runs (`terraform apply`, `helm upgrade`, `mise run ansible`, not `docker compose up`);
 * - a CI/CD heading that tells which event ships to which environment.
 * Headings about development, contributing, demos or local setups never count, nor do the subsections under them.
 */
function deploySection(
  s: Section,
  f: (s: Section) => Features,
  path: string,
  title = false,
): DocTopicEvidence | undefined {
  const h = s.heading;
  // a contributing guide sets up a workstation, whatever its sections are called
  if (NOT_DEPLOY.test(h) || /(^|\/)contributing(\.[a-z]+)?$/i.test(path)) return undefined;
  const deployHeading = H.deploy.test(h) || PRODUCTION.test(h);
  const releaseHeading = !deployHeading && H.release.test(h);
  const installHeading = !deployHeading && !releaseHeading && INSTALL.test(h) && !NOT_INSTALL.test(h);
  const evidence = (command?: DocCommand): DocTopicEvidence => ({
    topic: "deploy",
    line: s.line,
    heading: s.heading,
    ...(command?.summary ? { command: command.summary } : {}),
    ...(command?.composeFiles ? { composeFiles: command.composeFiles } : {}),
  });
  if (!deployHeading && !releaseHeading && !installHeading) {
    // the file and its title say nothing by their name: an example's README runs its demo under "# Blue green"
    if (s.depth === 0 || title || NOT_INSTALL.test(h) || NOT_SHIPPING.test(h)) return undefined;
    if (PIPELINE.test(h)) return pipelineSection(f(s)) ? evidence() : undefined;
    // any other heading ("Common workflows", "Promoting to production", "How to prepare the account"): its own
    // steps, above its subsections, run a deploy that no laptop runs (terraform apply, helm upgrade, ./launcher …)
    const own = sectionCommands({ ...s, blocks: s.blocks.slice(0, firstHeading(s.blocks)) });
    const shipping = own.find((c) => c.kind === "deploy" && !HOST_START.test(c.summary ?? ""));
    return shipping ? evidence(shipping) : undefined;
  }
  const features = f(s);
  const commands = sectionCommands(s);
  const shipping = commands.find((c) => c.kind === "deploy");
  if (shipping) return evidence(commands.find((c) => c.composeFiles) ?? shipping);
  if (installHeading) return undefined;
  // code blocks that only build, test or publish a package: not how the product reaches its servers (a code span
  // in a sentence is too little to rule a section out)
  const blockCommands = commands.filter((c) => !c.inline);
  if (blockCommands.length > 0 && blockCommands.every((c) => c.kind === "local" || c.kind === "publish"))
    return undefined;
  if (blockCommands.length === 0 && PACKAGE_PUBLISH.test(features.text) && !ENV_MENTION.test(`${h} ${features.text}`))
    return undefined;
  const steps = features.steps || (PRODUCTION.test(h) && features.listItems >= 3);
  if (!steps) return undefined;
  if (releaseHeading && !(ENV_MENTION.test(h) || ENV_MENTION.test(features.text))) return undefined;
  return evidence();
}

function firstHeading(blocks: DocBlock[]): number {
  const i = blocks.findIndex((b) => b.kind === "heading");
  return i < 0 ? blocks.length : i;
}

/**
 * A CI/CD section that tells which event ships to which environment ("staging on every push to main, production on
 * a version tag"): the deploy procedure of a repository deployed by its pipeline. Tests on every push are not.
 */
function pipelineSection(features: Features): boolean {
  const text = features.text;
  return (
    H.deploy.test(text) &&
    TRIGGER.test(text) &&
    /\b(prod|production|live)\b/i.test(text) &&
    envNames(text.replace(/\b(prod|production|live)\b/gi, "")) >= 1
  );
}

/** The commands of a section's code blocks, leaving out subsections about development, demos or local setups. */
function sectionCommands(s: Section): (DocCommand & { inline?: boolean })[] {
  const out: (DocCommand & { inline?: boolean })[] = [];
  let skipBelow = Number.POSITIVE_INFINITY;
  let blocks = 0;
  for (const b of s.blocks) {
    if (b.kind === "heading") {
      if (b.depth <= skipBelow) skipBelow = Number.POSITIVE_INFINITY;
      if (skipBelow === Number.POSITIVE_INFINITY && (NOT_DEPLOY.test(b.text) || NOT_INSTALL.test(b.text)))
        skipBelow = b.depth;
      continue;
    }
    if (skipBelow !== Number.POSITIVE_INFINITY) continue;
    if (b.kind === "inline-code") {
      if (++blocks > 60) break;
      for (const argv of commandsOfBlock(b.text)) out.push({ ...docCommand(argv), inline: true });
      continue;
    }
    if (b.kind !== "code" || !isCommandBlock(b.lang, b.text)) continue;
    if (++blocks > 60) break;
    for (const argv of commandsOfBlock(b.text)) out.push(docCommand(argv));
  }
  return out;
}

function featuresOf(s: Section): Features {
  let steps = false;
  let words = 0;
  let listItems = 0;
  let subheadings = 0;
  let diagram = false;
  const text: string[] = [];
  let textLength = 0;
  for (const b of s.blocks) {
    if (b.kind === "list") {
      listItems += b.items;
      if (b.ordered && b.items >= 2) steps = true;
    } else if (b.kind === "code") {
      if (isCommandBlock(b.lang, b.text)) steps = true;
      if ((b.lang && DIAGRAM_LANGS.has(b.lang)) || /^\s*@start(uml|mindmap|c4)/.test(b.text)) diagram = true;
    } else if (b.kind === "image") {
      diagram = true;
    } else if (b.kind === "inline-code") {
      // read as commands by deploySection only; its words are in the text block of its line
    } else {
      if (b.kind === "heading") subheadings++;
      words += countWords(b.text);
      if (textLength < 20_000) {
        text.push(b.text);
        textLength += b.text.length;
      }
    }
  }
  return { steps, words, listItems, subheadings, diagram, text: text.join("\n") };
}

function isCommandBlock(lang: string | undefined, text: string): boolean {
  if (text.trim() === "") return false;
  if (lang) return SHELL_LANGS.has(lang);
  const first = text.split("\n", 20).find((l) => l.trim() !== "");
  if (first !== undefined && /^(\$|❯|PS>)\s+\S/.test(first.trim())) return true; // a console transcript
  return first !== undefined && COMMAND_LINE.test(first.trim()) && !/^[\w.-]+:(\s|$)/.test(first.trim());
}

function codeMentionsData(s: Section): boolean {
  return s.blocks.some((b) => b.kind === "code" && DATA_MENTION.test(b.text.slice(0, 2000)));
}

/** has something to say: steps, a list, a code block or a paragraph or two */
function substantive(f: Features): boolean {
  return f.steps || f.listItems >= 2 || f.words >= 15;
}

/** a diagram, or a description of the parts (several subsections or list items, with some prose) */
function describesArchitecture(f: Features): boolean {
  return f.diagram || ((f.subheadings >= 2 || f.listItems >= 3) && f.words >= 20);
}

/** contributing areas covered by a heading under `within` whose section has real content */
function areasOf(within: Section, sections: Section[], f: (s: Section) => Features): ContributingArea[] {
  const end = within.blocks[within.blocks.length - 1]?.line ?? within.line;
  const inside = sections.filter((s) => s.depth > within.depth && s.line >= within.line && s.line <= end);
  const areas: ContributingArea[] = [];
  for (const [area, re] of AREAS) {
    if (inside.some((s) => re.test(s.heading) && (f(s).steps || f(s).words >= 15 || f(s).listItems >= 2)))
      areas.push(area);
  }
  return areas;
}

function envNames(text: string): number {
  return ENV_NAMES.filter(([, re]) => re.test(text)).length;
}

/**
 * The first entry of a decision log: two or more sections below the title, each a decision with some words
 * (its heading or text says decision, rationale, status, consequences, "we chose" …), or one whole ADR in the file.
 */
function decisionLogEntry(sections: Section[], f: (s: Section) => Features): Section | undefined {
  if (isAdr(sections, sections[0]!, undefined)) return sections[1];
  const top = Math.min(...sections.slice(1).map((s) => s.depth));
  const entries = sections
    .slice(1)
    .filter((s) => s.depth === top + 1 || (s.depth === top && sections.filter((x) => x.depth === top).length > 1))
    .filter((s) => f(s).words >= 15 && (DECIDES.test(s.heading) || DECIDES.test(f(s).text)));
  return entries.length >= 2 ? entries[0] : undefined;
}

/** Status, Context and Decision: as headings (Nygard, MADR), or the status as a field or in front matter */
function isAdr(sections: Section[], file: Section, frontMatter: string | undefined): boolean {
  const headings = sections.slice(1).map((s) => s.heading);
  const has = (re: RegExp) => headings.some((h) => re.test(h));
  const context = has(/^context\b/i);
  const decision = has(/^decision\b|^decision outcome\b/i);
  const status =
    has(/^status\b/i) ||
    file.blocks.some((b) => b.kind === "text" && /^\s*status\s*:/i.test(b.text)) ||
    /^status\s*:/im.test(frontMatter ?? "");
  return context && decision && status;
}

function countWords(text: string): number {
  let n = 0;
  let inWord = false;
  for (let i = 0; i < text.length; i++) {
    const space = text.charCodeAt(i) <= 32;
    if (!space && !inWord) n++;
    inWord = !space;
  }
  return n;
}

// Basic alerts kept in scripts (issue 9, group 7): a script that checks a condition against a threshold and notifies
// someone — by mail, a chat webhook, ntfy, Gotify or a Healthchecks ping — and runs again and again, either in a
// watchdog loop that sleeps between rounds or from a schedule (cron, a systemd timer). A script that mails a report
// with no condition, a check that only logs, or one that nothing repeats is not an alert.

import type { FactStore } from "../engine/facts.js";
import type { Schedule } from "../facts/derived.js";
import type { AlertRuleFact, CommandFact } from "../facts/index.js";
import { programOf } from "../vocabulary/programs.js";
import { unquote } from "../vocabulary/words.js";
import { isExampleOrTestPath } from "./kubernetes.js";

/** programs that send mail or a push notification */
const NOTIFIERS = new Set([
  "mail",
  "mailx",
  "sendmail",
  "msmtp",
  "ssmtp",
  "smtp-cli",
  "swaks",
  "apprise",
  "ntfy",
  "gotify",
]);
/** URLs of chat webhooks, push services and dead-man's switches */
const NOTIFY_URL = new RegExp(
  [
    /hooks\.slack\.com|discord(app)?\.com\/api\/webhooks|ntfy\.sh|api\.telegram\.org/.source,
    /hc-ping\.com|outlook\.office\.com\/webhook|\/message\?token=/.source,
  ].join("|"),
  "i",
);
/** variables that hold such a URL: `$WEBHOOK_URL`, `${SLACK_HOOK}`, `$NTFY_TOPIC_URL`, `$WATCHDOG_NOTIFY_WEBHOOK` */
const NOTIFY_VARIABLE =
  /^\$\{?\w*(webhook|slack|discord|teams|ntfy|gotify|telegram|notify|alert|hc_ping|healthcheck)\w*\}?/i;
const DATA_FLAG = /^(-d|--data(-raw|-binary|-urlencode)?|-F|--form|--json|--post-data)(=|$)/;

/** How a command notifies someone, or undefined. */
export function notifiesVia(argv: readonly string[]): string | undefined {
  const { program, args } = programOf(argv);
  const tool = program === "timeout" ? programOf(args.filter((a, i) => i > 0 || !/^\d/.test(a))).program : program;
  if (NOTIFIERS.has(tool)) return tool;
  if (program !== "curl" && program !== "wget") return undefined;
  const words = args.map(unquote);
  const url = words.find((w) => NOTIFY_URL.test(w) || NOTIFY_VARIABLE.test(w));
  if (!url) return undefined;
  // a ping URL needs no body; a webhook is posted to
  const posts = words.some((w, i) => DATA_FLAG.test(w) || (w === "-X" && words[i + 1] === "POST"));
  return posts || /hc-ping\.com|ntfy/i.test(url)
    ? `${program} to ${url.replace(/^\$\{?(\w+)\}?.*$/, "$$$1")}`
    : undefined;
}

export function checkAlerts(facts: FactStore, schedules: readonly Schedule[]): AlertRuleFact[] {
  const scheduled = new Map<string, string>();
  for (const s of schedules)
    for (const c of s.runs)
      if (c.origin === "shell" && !scheduled.has(c.path)) scheduled.set(c.path, s.command.schedule!);
  const notifies = new Map<string, { c: CommandFact; via: string }>();
  for (const c of facts.all("command")) {
    if (c.origin !== "shell" || notifies.has(c.path)) continue;
    const via = notifiesVia(c.argv);
    if (via) notifies.set(c.path, { c, via });
  }
  const out: AlertRuleFact[] = [];
  for (const s of facts.all("shell")) {
    if (s.threshold === undefined || isExampleOrTestPath(s.path)) continue;
    const notify = notifies.get(s.path);
    const repeats = s.watchLoop !== undefined ? "a watchdog loop" : scheduled.get(s.path);
    if (!notify || !repeats) continue;
    out.push({
      path: s.path,
      line: s.threshold,
      name: `${s.path.slice(s.path.lastIndexOf("/") + 1)} (checks a threshold in ${repeats}, notifies by ${notify.via})`,
      tool: "script",
    });
  }
  return out;
}

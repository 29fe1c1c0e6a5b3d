// Who a credit goes to, and who never gets one. People are told apart by GitHub login when it is known,
// otherwise by e-mail address (case-insensitive): the key the store and the CLI group credits by.

export interface Person {
  name: string;
  email?: string;
  login?: string;
}

/** Who is left out of credits besides bots: `people.exclude` (logins, e-mails or names). */
export interface PeoplePolicy {
  /** more bot accounts than the `[bot]` ones GitHub marks */
  bots?: readonly string[];
  exclude?: readonly string[];
}

const GITHUB_NOREPLY = "@users.noreply.github.com";

/** Addresses that automation commits with outside GitHub's `[bot]` scheme (GitHub itself, older Renovate). */
const AUTOMATION_EMAILS = new Set([
  "noreply@github.com",
  "action@github.com",
  "actions@github.com",
  "bot@renovateapp.com",
  "renovate@whitesourcesoftware.com",
  "support@dependabot.com",
]);

export function personKey(person: Person): string {
  if (person.login) return `login:${person.login.toLowerCase()}`;
  if (person.email) return `email:${person.email.toLowerCase()}`;
  return `name:${person.name.toLowerCase()}`;
}

/** The GitHub login an address stands for: `123+octocat@users.noreply.github.com` or `octocat@users…`. */
export function loginOfEmail(email: string | undefined): string | undefined {
  if (!email?.toLowerCase().endsWith(GITHUB_NOREPLY)) return undefined;
  const local = email.slice(0, -GITHUB_NOREPLY.length);
  const plus = local.indexOf("+");
  const login = plus >= 0 ? local.slice(plus + 1) : local;
  return login.length > 0 ? login : undefined;
}

/** What machine accounts' names end with: `getsentry-bot`, `k8s-ci-robot`, `release_bot`. */
const MACHINE_SUFFIXES = ["bot", "robot"];
const SEPARATORS = new Set(["-", "_", "."]);

/**
 * GitHub Apps act as `name[bot]` (login, name, and `…+name[bot]@users.noreply.github.com`); GitHub itself
 * and a few tools commit from fixed addresses; machine users are named `something-bot` (a login or a name
 * of one word: `getsentry-bot <bot@sentry.io>`). None does DevOps work a person should be credited for.
 */
export function isBot(person: Person, extra: readonly string[] = []): boolean {
  const email = person.email?.toLowerCase();
  if (email && AUTOMATION_EMAILS.has(email)) return true;
  for (const id of [person.login, person.name, email && loginOfEmail(email)]) {
    const lower = id?.toLowerCase();
    if (lower?.endsWith("[bot]") || (lower && !lower.includes(" ") && isMachineName(lower))) return true;
  }
  return matchesAny(person, extra);
}

/** `x-bot`, `x_robot`: a suffix after a separator, so that Abbot or Talbot stay people. */
function isMachineName(id: string): boolean {
  return MACHINE_SUFFIXES.some(
    (suffix) =>
      id.length > suffix.length + 1 && id.endsWith(suffix) && SEPARATORS.has(id[id.length - suffix.length - 1]!),
  );
}

/** Whether a person gets no credit: a bot, or someone the config leaves out. */
export function isLeftOut(person: Person, policy: PeoplePolicy = {}): boolean {
  return isBot(person, policy.bots) || matchesAny(person, policy.exclude ?? []);
}

function matchesAny(person: Person, list: readonly string[]): boolean {
  if (list.length === 0) return false;
  const ids = new Set(
    [person.login, person.email, loginOfEmail(person.email), person.name]
      .filter((x): x is string => !!x)
      .map((x) => x.toLowerCase().replace(/^@/, "")),
  );
  return list.some((entry) => ids.has(entry.toLowerCase().replace(/^@/, "")));
}

/** One entry per person, first seen first; a later sighting fills in a missing login or e-mail. */
export function uniquePeople(people: Iterable<Person>): Person[] {
  const byKey = new Map<string, Person>();
  const byEmail = new Map<string, Person>();
  for (const p of people) {
    const email = p.email?.toLowerCase();
    const known = byKey.get(personKey(p)) ?? (email ? byEmail.get(email) : undefined);
    if (known) {
      known.login ??= p.login;
      known.email ??= p.email;
      continue;
    }
    const copy = { ...p, login: p.login ?? loginOfEmail(p.email) };
    if (!copy.login) delete copy.login;
    byKey.set(personKey(copy), copy);
    if (email) byEmail.set(email, copy);
  }
  return [...byKey.values()];
}

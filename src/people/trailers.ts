// Commit message trailers, read as git reads them (git-interpret-trailers): the last paragraph of the
// message, when it is made of `Token: value` lines (a value may continue on indented lines). A paragraph
// that mixes prose and trailers still counts when at least a quarter of it is trailers and one of them is
// git's own (`Signed-off-by:`, `(cherry picked from commit …)`).
import type { Person } from "./person.js";

export interface Trailer {
  /** as written, e.g. `Co-authored-by` */
  token: string;
  value: string;
}

const GIT_GENERATED = ["signed-off-by", "(cherry picked from commit "];

export function parseTrailers(message: string): Trailer[] {
  const lines = message.replace(/\r\n?/g, "\n").split("\n");
  while (lines.length > 0 && lines[lines.length - 1]!.trim() === "") lines.pop();
  let start = lines.length;
  while (start > 0 && lines[start - 1]!.trim() !== "") start--;
  if (start === 0) return []; // a one-paragraph message is its subject: no trailers
  const paragraph = lines.slice(start).filter((l) => !l.startsWith("#"));

  const trailers: Trailer[] = [];
  let prose = 0;
  let generated = false;
  for (const line of paragraph) {
    const last = trailers[trailers.length - 1];
    if ((line.startsWith(" ") || line.startsWith("\t")) && last) {
      last.value = `${last.value} ${line.trim()}`;
      continue;
    }
    const trailer = trailerLine(line);
    if (trailer) {
      trailers.push(trailer);
      if (trailer.token.toLowerCase() === "signed-off-by") generated = true;
    } else {
      prose++;
      if (line.toLowerCase().startsWith(GIT_GENERATED[1]!)) generated = true;
    }
  }
  if (prose === 0) return trailers;
  return generated && trailers.length * 4 >= trailers.length + prose ? trailers : [];
}

/** `Token: value`, the token made of letters, digits and dashes (git's rule), the separator a colon. */
function trailerLine(line: string): Trailer | undefined {
  const colon = line.indexOf(":");
  if (colon <= 0) return undefined;
  const token = line.slice(0, colon).trimEnd();
  for (const ch of token) {
    const ok = (ch >= "a" && ch <= "z") || (ch >= "A" && ch <= "Z") || (ch >= "0" && ch <= "9") || ch === "-";
    if (!ok) return undefined;
  }
  return { token, value: line.slice(colon + 1).trim() };
}

/** `Name <email>` as git writes an identity; undefined when there is no `<…>` part or no name. */
export function parseIdent(value: string): Person | undefined {
  const open = value.lastIndexOf("<");
  const close = value.lastIndexOf(">");
  if (open < 0 || close < open) return undefined;
  const name = value.slice(0, open).trim();
  const email = value.slice(open + 1, close).trim();
  if (!email.includes("@")) return undefined;
  return { name: name || email, email };
}

/** The people a message's `Co-authored-by:` trailers name (GitHub's squash merges write them). */
export function coAuthors(message: string): Person[] {
  return parseTrailers(message)
    .filter((t) => t.token.toLowerCase() === "co-authored-by")
    .map((t) => parseIdent(t.value))
    .filter((p): p is Person => p !== undefined);
}

// HTML as strings, escaped by default: `html` escapes every interpolated value unless it is already Html
// (the result of another `html` or of `raw`). Pages are built by concatenation, which is fast enough for an
// org of 1,000 repositories and leaves nothing to a template engine.

/** Markup that is already safe to embed. */
export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

type Part = Html | string | number | null | undefined | false | readonly Part[];

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
const SPECIAL = /[&<>"']/;
const SPECIALS = /[&<>"']/g;

/** Text for an element's content or a quoted attribute value. */
export function escapeHtml(text: string): string {
  // a non-global test first: most names need no escaping, and a global regex's test() keeps state
  return SPECIAL.test(text) ? text.replace(SPECIALS, (c) => ESCAPES[c]!) : text;
}

/** Trusted markup (our own constants, numbers we formatted): never user or GitHub data. */
export function raw(markup: string): Html {
  return new Html(markup);
}

function render(part: Part): string {
  if (part === null || part === undefined || part === false) return "";
  if (part instanceof Html) return part.value;
  if (Array.isArray(part)) return part.map(render).join("");
  return escapeHtml(String(part));
}

/** A template whose values are escaped; arrays are joined; null, undefined and false render nothing. */
export function html(strings: TemplateStringsArray, ...values: Part[]): Html {
  let out = strings[0]!;
  for (let i = 0; i < values.length; i++) out += render(values[i]!) + strings[i + 1]!;
  return new Html(out);
}

/** A query string from the non-empty values, in the given order (stable URLs cache and compare well). */
export function queryString(params: Record<string, string | number | undefined>): string {
  let text = "";
  for (const key in params) {
    const value = params[key];
    if (value === undefined || value === "") continue;
    text += `${text ? "&" : "?"}${key}=${encodeURIComponent(value)}`;
  }
  return text;
}

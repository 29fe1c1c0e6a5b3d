// The index (the orgs the viewer can open) and the plain pages: not found, bad request, sign-in problems.
import { html } from "../html.js";
import { type Chrome, page } from "../layout.js";
import { orgPath } from "./parts.js";

export function indexPage(orgs: readonly string[], chrome: Chrome): string {
  const body = html`<h1>Organisations</h1>
${
  orgs.length > 0
    ? html`<ul>${orgs.map((o) => html`<li><a href="${orgPath(o)}">${o}</a></li>`)}</ul>`
    : chrome.login
      ? html`<p class="notice">None of the organisations this app is installed on has a repository you can read.</p>`
      : html`<p class="notice">${
          chrome.signInEnabled
            ? "Sign in with GitHub to see the organisations you belong to."
            : "No organisation shows its dashboard publicly."
        }</p>`
}`;
  return page("Organisations", chrome, [{ label: "Organisations" }], body);
}

/** The one "not found": an unknown org or repository and one the viewer may not see look the same. */
export function notFoundPage(chrome: Chrome): string {
  const body = html`<h1>Not found</h1><p>There is nothing here${
    chrome.login ? " that you can see" : ""
  }.${!chrome.login && chrome.signInEnabled ? " Signing in with GitHub may show more." : ""}</p><p><a href="/">All organisations</a></p>`;
  return page("Not found", chrome, [{ label: "Not found" }], body);
}

export function messagePage(title: string, message: string, chrome: Chrome): string {
  const body = html`<h1>${title}</h1><p>${message}</p><p><a href="/">All organisations</a></p>`;
  return page(title, chrome, [{ label: title }], body);
}

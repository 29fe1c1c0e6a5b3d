// The frame of every dashboard page: the header with where you are and who you are ("Sign in with GitHub"
// for a signed-out visitor, the login and a sign-out button otherwise), the main content, the footer.
import { type Html, html, queryString } from "./html.js";
import { STYLESHEET_PATH, STYLESHEET_VERSION } from "./style.js";

export interface Crumb {
  label: string;
  href?: string;
}

export interface Chrome {
  /** the signed-in user's login, undefined for a signed-out visitor */
  login?: string;
  /** the page's own path and query, where sign-in comes back to */
  here: string;
  /** false when sign-in is not configured (no client id): no sign-in link then */
  signInEnabled: boolean;
}

export function page(title: string, chrome: Chrome, crumbs: readonly Crumb[], body: Html): string {
  const trail = [{ label: "devops-ladder", href: "/" }, ...crumbs];
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="same-origin">
<title>${title} · devops-ladder</title>
<link rel="stylesheet" href="${STYLESHEET_PATH}?v=${STYLESHEET_VERSION}">
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header class="site">
<nav aria-label="Breadcrumb"><ol>${trail.map((c, i) =>
    c.href && i < trail.length - 1
      ? html`<li><a${i === 0 ? html` class="brand"` : ""} href="${c.href}">${c.label}</a></li>`
      : html`<li><span aria-current="page">${c.label}</span></li>`,
  )}</ol></nav>
<div class="account">${account(chrome)}</div>
</header>
<main id="main">
${body}
</main>
<footer class="site">Scores come from the latest scan of each default branch. <a
  href="https://github.com/devops-ladder/devops-ladder/blob/main/docs/dashboard.md">About this dashboard</a></footer>
</body>
</html>
`.value;
}

function account(chrome: Chrome): Html {
  if (chrome.login) {
    return html`<span>Signed in as <strong>${chrome.login}</strong></span><form method="post" action="/logout">
      <button type="submit">Sign out</button></form>`;
  }
  if (!chrome.signInEnabled) return html``;
  return html`<a class="button" href="/login${queryString({ return_to: chrome.here })}">Sign in with GitHub</a>`;
}

// /orgs/{org}/people (everyone's DevOps level and the milestones they earned) and /orgs/{org}/people/{login}
// (one person's ladder: each milestone with where, when and the pull request that earned it).
import { day } from "../charts.js";
import { type Html, html } from "../html.js";
import { type Chrome, page } from "../layout.js";
import type { EarnedView, PeopleView, PersonView } from "../people-view.js";
import { LEVEL_TITLES, levelPill, orgPath, personPath, plural, repoPath } from "./parts.js";

export function peoplePage(view: PeopleView, chrome: Chrome): string {
  const { org } = view;
  const body = html`<h1>People of ${org}</h1>
<p class="lede">Each person's DevOps level comes from the milestones their changes earned, in any repository of ${org}
you can see. People are ranked by level, then by milestones earned: never by how much they commit.</p>
${
  view.people.length === 0
    ? html`<p class="notice">No one has earned a milestone or a signal here yet.</p>`
    : html`<div class="table-wrap"><table>
<thead><tr><th scope="col">Person</th><th scope="col">Level</th><th scope="col">Milestones earned</th><th
  scope="col">Next step</th></tr></thead>
<tbody>${view.people.map(
        (p) =>
          html`<tr><th scope="row">${p.login ? html`<a href="${personPath(org, p.login)}">${p.login}</a>` : p.name}${
            p.login && p.name !== p.login ? html` <span class="muted">${p.name}</span>` : ""
          }</th><td>${levelPill(p.level)}</td><td>${p.milestones.map((m) => html`<span class="tag">${m.title}</span>`)}</td><td>${
            p.next
              ? `${p.next.earned} of ${p.next.earned + p.next.missing.length} milestones to ${LEVEL_TITLES[p.next.level]}`
              : "top of the ladder"
          }</td></tr>`,
      )}</tbody></table></div>`
}`;
  return page(`People of ${org}`, chrome, [{ label: org, href: orgPath(org) }, { label: "people" }], body);
}

export function personPage(view: PersonView, chrome: Chrome): string {
  const { org } = view;
  const body = html`<h1>${view.login}${view.name !== view.login ? html` <span class="muted">${view.name}</span>` : ""}</h1>
<div class="cards">
<div class="card"><span class="big">${levelPill(view.level)}</span>DevOps level in ${org}</div>
${
  view.next
    ? html`<div class="card"><span class="big">${view.next.earned.length} of ${
        view.next.earned.length + view.next.missing.length
      }</span>milestones to ${LEVEL_TITLES[view.next.level]}</div>`
    : ""
}
</div>
<h2 id="ladder">Ladder</h2>
<table>
<thead><tr><th scope="col">Milestone</th><th scope="col">Level</th><th scope="col">Earned</th></tr></thead>
<tbody>${view.milestones.map(
    (m) =>
      html`<tr><th scope="row">${m.title}</th><td>${levelPill(m.level)}</td><td>${
        m.earned.length === 0
          ? html`<span class="pill status-na">not yet</span>`
          : html`<ul class="evidence">${m.earned.map(earnedItem)}</ul>`
      }</td></tr>`,
  )}</tbody>
</table>
<h2 id="signals">Signals earned, by task</h2>
${
  view.tasks.length === 0
    ? html`<p class="muted">None yet.</p>`
    : view.tasks.map(
        (t) =>
          html`<h3 id="task-${t.id}">${t.title}</h3><ul class="evidence">${t.signals.map(
            (s) => html`<li><strong>${s.title}</strong>: ${earnedText(s)}</li>`,
          )}</ul>`,
      )
}
<p class="muted">${plural(
    view.milestones.reduce((n, m) => n + m.earned.length, 0),
    "milestone credit",
  )}, from the repositories of ${org} you can see.</p>`;
  return page(
    view.login,
    chrome,
    [{ label: org, href: orgPath(org) }, { label: "people", href: `${orgPath(org)}/people` }, { label: view.login }],
    body,
  );
}

function earnedItem(e: EarnedView): Html {
  return html`<li>${earnedText(e)}</li>`;
}

function earnedText(e: EarnedView): Html {
  return html`in <a href="${repoPath(e.repo)}">${e.repo.split("/")[1]}</a> on ${day(Date.parse(e.at))}, ${
    e.prUrl
      ? html`<a href="${e.prUrl}">pull request #${e.pr}</a>`
      : html`<a href="${e.commitUrl}">commit <code>${e.commit.slice(0, 7)}</code></a>`
  }${e.backfilled ? html` <span class="muted">(credited at installation)</span>` : ""}`;
}

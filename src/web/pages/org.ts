// /orgs/{org}: every repository with its level, score, a heat map of the seven tasks and its trend; the org's
// trend; filters (level, task, team, topic, milestone, name) and sorting as plain links and a GET form;
// team rollups; the milestones most repositories lack.
import type { LevelRule, TaskRule } from "../../engine/rules.js";
import { LEVEL_IDS, TASK_IDS } from "../../engine/types.js";
import { weekStart } from "../../store/dashboard.js";
import { scoreChart, sparkline } from "../charts.js";
import { type Html, html, queryString } from "../html.js";
import { type Chrome, page } from "../layout.js";
import { type OrgFilters, type OrgView, type RepoRow, type SortKey, sortOf } from "../org-view.js";
import { heatCell, LEVEL_TITLES, levelPill, orgPath, plural, repoPath, TASK_LABELS } from "./parts.js";

export function orgPage(
  view: OrgView,
  rules: { tasks: readonly TaskRule[]; levels: readonly LevelRule[] },
  chrome: Chrome,
): string {
  const { org, totals } = view;
  const filtered = isFiltered(view.filters);
  const body = html`
<h1>${org}</h1>
<p class="lede">${plural(totals.repos, "repository", "repositories")}${filtered ? " matching the filters" : ""}${
    totals.averageScore === null ? "" : html` · average score ${totals.averageScore}`
  } · <a href="${orgPath(org)}/people">people</a></p>
<div class="grid-2">
<section aria-labelledby="levels">
<h2 id="levels">Levels</h2>
<div class="cards">${LEVEL_IDS.slice()
    .reverse()
    .map(
      (level) =>
        html`<div class="card"><span class="big">${totals.levels[level]}</span>${levelPill(level)} ${
          totals.levels[level] === 1 ? "repository" : "repositories"
        }</div>`,
    )}${
    totals.repos > totals.scanned
      ? html`<div class="card"><span class="big">${totals.repos - totals.scanned}</span>not scanned yet</div>`
      : ""
  }</div>
</section>
<section aria-labelledby="trend">
<h2 id="trend">Trend</h2>
${scoreChart(
  view.trend.map((p) => ({ at: weekStart(p.week), score: p.score })),
  {
    id: "org-trend",
    title: `Average score of ${org}${filtered ? " (filtered)" : ""}, week by week`,
    description: trendSentence(view),
    compact: true,
  },
)}
<p class="muted">${trendSentence(view)}</p>
</section>
</div>
<div class="grid-2">
<section aria-labelledby="next">
<h2 id="next">What to add next across the org</h2>
${nextList(view)}
</section>
<section aria-labelledby="teams">
<h2 id="teams">Teams</h2>
${teamTable(view)}
</section>
</div>
<h2 id="repositories">Repositories</h2>
${filterForm(view, rules)}
${repoTable(view)}
${pager(view)}`;
  return page(org, chrome, [{ label: org }], body);
}

function isFiltered(f: OrgFilters): boolean {
  return Boolean(f.level || f.task || f.team || f.topic || f.milestone || f.q);
}

function trendSentence(view: OrgView): string {
  const t = view.trend;
  if (t.length === 0) return "No scan history yet.";
  const first = t[0]!;
  const last = t[t.length - 1]!;
  if (t.length === 1)
    return `Average score ${last.score} this week, over ${plural(last.repos, "repository", "repositories")}.`;
  return `Average score went from ${first.score} to ${last.score} over ${plural(t.length, "week")}.`;
}

/** The org page's URL with these filters (page 1 unless given). */
export function orgHref(org: string, filters: OrgFilters, change: Partial<OrgFilters> = {}): string {
  const f = { ...filters, page: 1, ...change };
  return `${orgPath(org)}${queryString({
    level: f.level,
    task: f.task,
    team: f.team,
    topic: f.topic,
    milestone: f.milestone,
    q: f.q,
    sort: f.sort,
    dir: f.dir,
    page: f.page > 1 ? f.page : undefined,
  })}`;
}

function option(value: string, label: string, selected: string | undefined): Html {
  return html`<option value="${value}"${value === (selected ?? "") ? html` selected` : ""}>${label}</option>`;
}

function filterForm(view: OrgView, rules: { tasks: readonly TaskRule[]; levels: readonly LevelRule[] }): Html {
  const f = view.filters;
  const milestones = rules.levels.flatMap((l) => l.milestones);
  return html`<form class="filters" method="get" action="${orgPath(view.org)}">
<label>Level<select name="level">${option("", "any", f.level)}${LEVEL_IDS.map((l) => option(l, LEVEL_TITLES[l], f.level))}</select></label>
<label>Task to improve<select
  name="task">${option("", "any", f.task)}${TASK_IDS.map((t) => option(t, TASK_LABELS[t], f.task))}</select></label>
<label>Team<select name="team">${option("", "any", f.team)}${view.options.teams.map((t) => option(t.slug, t.name, f.team))}</select></label>
<label>Topic<select name="topic">${option("", "any", f.topic)}${view.options.topics.map((t) => option(t, t, f.topic))}</select></label>
<label>Lacking milestone<select
  name="milestone">${option("", "any", f.milestone)}${milestones.map((m) => option(m.id, m.title, f.milestone))}</select></label>
<label>Name<input type="search" name="q" value="${f.q ?? ""}"></label>
<button type="submit">Apply</button>
${isFiltered(f) ? html`<a href="${orgPath(view.org)}">Clear filters</a>` : ""}
</form>`;
}

function sortHeader(view: OrgView, key: SortKey, label: string, className = ""): Html {
  const current = sortOf(view.filters);
  const active = current.key === key;
  // the first click sorts names A→Z and numbers high→low; a second click reverses
  const dir = active ? (current.dir === "asc" ? "desc" : "asc") : key === "name" ? "asc" : "desc";
  const sort = active ? html` aria-sort="${current.dir === "asc" ? "ascending" : "descending"}"` : "";
  return html`<th scope="col"${className ? html` class="${className}"` : ""}${sort}><a
    href="${orgHref(view.org, view.filters, { sort: key, dir })}">${label}</a></th>`;
}

function repoTable(view: OrgView): Html {
  if (view.rows.length === 0) {
    return html`<p class="notice">No repository matches these filters.</p>`;
  }
  return html`<div class="table-wrap"><table class="repos">
<caption class="muted">${plural(view.matched, "repository", "repositories")}, page ${view.page} of ${view.pages}</caption>
<thead><tr>${sortHeader(view, "name", "Repository")}${sortHeader(view, "level", "Level")}${sortHeader(
    view,
    "score",
    "Score",
    "num",
  )}${TASK_IDS.map((t) =>
    sortHeader(view, t, TASK_LABELS[t], "heat"),
  )}<th scope="col">Trend</th><th scope="col">Teams and topics</th></tr></thead>
<tbody>${view.rows.map((row) => repoRow(view, row))}</tbody>
</table></div>`;
}

/** A row's team and topic links start a new view of that team or topic (they do not keep the other filters). */
function repoRow(view: OrgView, row: RepoRow): Html {
  const base = orgPath(view.org);
  const scores = row.trend.map((p) => p.score);
  const label =
    scores.length === 0
      ? "no history"
      : `score trend over ${plural(scores.length, "week")}: ${scores[0]} to ${scores[scores.length - 1]}`;
  return html`<tr>
<th scope="row"><a href="${repoPath(row.repo)}">${row.name}</a>${row.private ? html` <span class="tag private">private</span>` : ""}${
    row.archived ? html` <span class="tag">archived</span>` : ""
  }</th>
<td>${levelPill(row.level)}</td>
<td class="num">${row.score ?? "–"}</td>
${row.tasks.map((t) => heatCell(t.id, row.score === undefined ? undefined : t.score))}
<td>${sparkline(scores, label)}</td>
<td class="tags">${row.teams.map((t) => html`<a class="tag" href="${base}?team=${encodeURIComponent(t)}">@${t}</a>`)}${row.topics.map(
    (t) => html`<a class="tag" href="${base}?topic=${encodeURIComponent(t)}">#${t}</a>`,
  )}</td>
</tr>`;
}

function pager(view: OrgView): Html {
  if (view.pages <= 1) return html``;
  return html`<nav class="pager" aria-label="Pages">${
    view.page > 1
      ? html`<a href="${orgHref(view.org, view.filters, { page: view.page - 1 })}" rel="prev">Previous</a>`
      : ""
  }<span>Page ${view.page} of ${view.pages}</span>${
    view.page < view.pages
      ? html`<a href="${orgHref(view.org, view.filters, { page: view.page + 1 })}" rel="next">Next</a>`
      : ""
  }</nav>`;
}

function nextList(view: OrgView): Html {
  if (view.next.length === 0)
    return html`<p>Nothing is missing: every repository here meets every milestone that applies.</p>`;
  return html`<ol class="next">${view.next.map(
    (m) =>
      html`<li><strong>${m.title}</strong> ${levelPill(m.level)}: <a
        href="${orgHref(view.org, view.filters, { milestone: m.id })}">${plural(
          m.lacking,
          "repository",
          "repositories",
        )} lack it</a>${m.lastStep > 0 ? html` (for ${m.lastStep}, it is the last step to the next level)` : ""}</li>`,
  )}</ol>`;
}

function teamTable(view: OrgView): Html {
  if (view.teams.length === 0) {
    return html`<p class="muted">No teams yet: teams come from CODEOWNERS (<code>@${view.org}/team</code>) and from GitHub teams.</p>`;
  }
  return html`<div class="table-wrap"><table class="compact">
<thead><tr><th scope="col">Team</th><th scope="col" class="num">Repos</th><th scope="col" class="num">Average</th><th
  scope="col"><abbr title="Lead, Senior, Junior">L · S · J</abbr></th><th scope="col">Weakest</th></tr></thead>
<tbody>${view.teams.map(
    (t) =>
      html`<tr><th scope="row"><a href="${orgHref(view.org, view.filters, { team: t.slug })}">${t.name}</a>${t.sources.map(
        (s) => html` <span class="tag">${s === "github" ? "GitHub" : "CODEOWNERS"}</span>`,
      )}</th><td class="num">${t.repos}</td><td class="num">${t.averageScore ?? "–"}</td>
        <td>${t.levels.lead} · ${t.levels.senior} · ${t.levels.junior}</td><td>${
          t.weakestTask ? `${TASK_LABELS[t.weakestTask.id]} (${t.weakestTask.averageScore})` : "–"
        }</td></tr>`,
  )}</tbody></table></div>`;
}

// /orgs/{org}/repos/{repo}: the full report — every signal as pass, fail or n/a with its evidence linked to
// the file line on GitHub, the milestones, what to add next — with the score history and the level changes.
import { day, scoreChart } from "../charts.js";
import { type Html, html } from "../html.js";
import { type Chrome, page } from "../layout.js";
import type { EvidenceLink, RepoView } from "../repo-view.js";
import { heatClass, LEVEL_TITLES, levelPill, orgPath, plural, statusPill } from "./parts.js";

export function repoPage(view: RepoView, chrome: Chrome): string {
  const [org, name] = view.repo.split("/") as [string, string];
  const r = view.report;
  const latest = view.history[view.history.length - 1];
  const body = html`
<h1>${view.repo}${view.private ? html` <span class="tag private">private</span>` : ""}${
    view.archived ? html` <span class="tag">archived</span>` : ""
  }</h1>
${view.description ? html`<p class="lede">${view.description}</p>` : ""}
${
  view.topics.length + view.codeownerTeams.length > 0
    ? html`<p>${view.codeownerTeams.map((t) => html`<span class="tag">${t}</span>`)}${view.topics.map(
        (t) => html`<a class="tag" href="${orgPath(org)}?topic=${encodeURIComponent(t)}">#${t}</a>`,
      )}</p>`
    : ""
}
<div class="cards">
<div class="card"><span class="big">${levelPill(r?.level ?? latest?.level)}</span>level</div>
<div class="card"><span class="big">${r?.score ?? latest?.score ?? "–"}</span>score out of 100</div>
${
  r
    ? html`<div class="card"><span class="big">${day(r.scannedAt)}</span>scanned at <a href="${r.commitUrl}">
      <code>${r.headSha.slice(0, 7)}</code></a></div>`
    : ""
}
</div>
${r ? nextSteps(r) : html`<p class="notice">The full report of ${name} appears here after its next scan.</p>`}
<h2 id="history">History</h2>
${scoreChart(
  view.history.map((h) => ({ at: h.at, score: h.score })),
  {
    id: "repo-history",
    title: `Score of ${view.repo} over time`,
    description: historySentence(view),
    markers: view.levelChanges.map((c) => ({ at: c.at, label: LEVEL_TITLES[c.to] })),
  },
)}
<p class="muted">${historySentence(view)}</p>
${levelChangeTable(view)}
${r ? milestoneTable(r) : ""}
${r ? tasks(r) : ""}
${r ? findings(r) : ""}`;
  return page(view.repo, chrome, [{ label: org, href: orgPath(org) }, { label: name }], body);
}

function historySentence(view: RepoView): string {
  const h = view.history;
  if (h.length === 0) return "No scans of the default branch yet.";
  const first = h[0]!;
  const last = h[h.length - 1]!;
  return (
    `${plural(h.length, "scan")} of the default branch from ${day(first.at)} to ` +
    `${day(last.at)}: score ${first.score} to ${last.score}, ` +
    `${plural(view.levelChanges.length, "level change")}.`
  );
}

type ReportView = NonNullable<RepoView["report"]>;

function nextSteps(r: ReportView): Html {
  if (!r.next) return html`<p class="notice">${LEVEL_TITLES[r.level]}: the top of the ladder.</p>`;
  return html`<section class="notice" aria-labelledby="next-level">
    <h2 id="next-level">To reach ${LEVEL_TITLES[r.next.level]}</h2><ul>${r.next.missing.map(
      (m) =>
        html`<li><strong>${m.title}</strong>: ${m.description}${
          m.signals.length > 0
            ? html`<ul>${m.signals.map(
                (s) => html`<li>${s.title}: ${s.remediation} <a href="${s.docs}">How<span
            class="visually-hidden"> to meet “${s.title}”</span></a></li>`,
              )}</ul>`
            : ""
        }</li>`,
    )}</ul></section>`;
}

function levelChangeTable(view: RepoView): Html {
  if (view.levelChanges.length === 0) return html``;
  return html`<h3 id="level-changes">Level changes</h3><table><thead><tr><th scope="col">Date</th><th
    scope="col">Change</th><th scope="col">Commit</th></tr></thead><tbody>${view.levelChanges
      .slice()
      .reverse()
      .map(
        (c) =>
          html`<tr><td>${day(c.at)}</td><td>${levelPill(c.from)} → ${levelPill(c.to)}</td><td><a
          href="${view.url}/commit/${c.sha}"><code>${c.sha.slice(0, 7)}</code></a></td></tr>`,
      )}</tbody></table>`;
}

function evidenceList(evidence: readonly EvidenceLink[]): Html {
  if (evidence.length === 0) return html``;
  return html`<ul class="evidence">${evidence.map(
    (e) =>
      html`<li><a href="${e.url}"><code>${e.path}${e.line ? `:${e.line}` : ""}</code></a>${
        e.note
          ? html` <span
        class="muted">${e.note}</span>`
          : ""
      }</li>`,
  )}</ul>`;
}

function milestoneTable(r: ReportView): Html {
  return html`<h2 id="milestones">Milestones</h2><table><thead><tr><th scope="col">Milestone</th><th
    scope="col">Level</th><th scope="col">Status</th><th scope="col">Evidence</th></tr></thead>
      <tbody>${r.milestones.map(
        (m) =>
          html`<tr><th scope="row">${m.title}</th><td>${levelPill(m.level)}</td><td>${statusPill(m.status)}</td>
        <td>${evidenceList(m.evidence)}</td></tr>`,
      )}</tbody></table>`;
}

function tasks(r: ReportView): Html {
  return html`<h2 id="tasks">Tasks</h2>${r.tasks.map(
    (t) =>
      html`<section aria-labelledby="task-${t.id}"><div class="task-head"><h3 id="task-${t.id}">${t.title}</h3><span
        class="pill ${heatClass(t.score)}">${
          t.score === null ? "n/a" : `${t.score} / 100`
        }</span></div><ul class="signals">${t.signals.map(
          (s) =>
            html`<li id="${s.id}">${statusPill(s.status)} <strong>${s.title}</strong> <code class="muted">${s.id}</code>${
              s.reason ? html`<p class="why">${s.reason}</p>` : ""
            }${evidenceList(s.evidence)}${
              s.remediation
                ? html`<p class="why">To do: ${s.remediation} <a href="${s.docs}">How<span
                class="visually-hidden"> to meet “${s.title}”</span></a></p>`
                : ""
            }</li>`,
        )}</ul></section>`,
  )}`;
}

function findings(r: ReportView): Html {
  if (r.findings.length === 0) return html``;
  return html`<h2 id="findings">Findings</h2><details>
    <summary>${plural(r.findings.length, "finding")} in the files read</summary><ul class="evidence">${r.findings.map(
      (f) =>
        html`<li><a href="${f.url}"><code>${f.path}:${f.line}</code></a> <span
        class="muted">${f.severity} ${f.rule}</span> ${f.message}</li>`,
    )}</ul></details>`;
}

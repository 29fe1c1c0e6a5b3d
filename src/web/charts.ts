// Inline SVG charts, styled by the page's stylesheet (class names, no inline styles: the pages' CSP allows
// none). Each chart is an image with a text alternative that says what it shows; the numbers are also in the
// page as text, so nothing is only in a picture.
import { type Html, html } from "./html.js";

/** Scores are 0–100: every chart shares that vertical scale, so two sparklines compare at a glance. */
const MAX_SCORE = 100;

function round(n: number): string {
  return (Math.round(n * 10) / 10).toString();
}

/** viewBox units per pixel: sparklines use whole numbers, which are short to write and quick to format */
const SPARK_SCALE = 4;

/** A small line of scores over weeks, for a table row; a run of equal scores is one segment. */
export function sparkline(scores: readonly number[], label: string, width = 96, height = 24): Html {
  if (scores.length === 0) return html`<span class="muted">no history</span>`;
  const w = width * SPARK_SCALE;
  const h = height * SPARK_SCALE;
  const pad = 2 * SPARK_SCALE;
  const inner = h - 2 * pad;
  const step = scores.length > 1 ? (w - 2 * pad) / (scores.length - 1) : 0;
  const y = (s: number) => Math.round(pad + inner - (s / MAX_SCORE) * inner);
  const x = (i: number) => Math.round(pad + i * step);
  let points = `${x(0)},${y(scores[0]!)}`;
  let written = 0;
  for (let i = 1; i < scores.length; i++) {
    if (scores[i] === scores[i - 1]) continue;
    if (written !== i - 1) points += ` ${x(i - 1)},${y(scores[i - 1]!)}`;
    points += ` ${x(i)},${y(scores[i]!)}`;
    written = i;
  }
  const last = scores.length - 1;
  if (written !== last) points += ` ${x(last)},${y(scores[last]!)}`;
  return html`<svg class="spark" width="${width}" height="${height}" viewBox="0 0 ${w} ${h}" role="img"
    aria-label="${label}"><line class="spark-base" x1="${pad}" x2="${w - pad}" y1="${y(50)}" y2="${y(50)}"/>${
      scores.length > 1 ? html`<polyline class="spark-line" points="${points}"/>` : ""
    }<circle class="spark-dot" cx="${x(last)}" cy="${y(scores[last]!)}" r="${2 * SPARK_SCALE}"/></svg>`;
}

export interface ChartPoint {
  /** ms since the epoch */
  at: number;
  score: number;
}

export interface ChartMarker {
  at: number;
  label: string;
}

/**
 * A score-over-time chart: gridlines at 0, 50 and 100, the first and last dates under the axis, the score as a
 * step line (a score holds until the next scan) and optional markers (level changes) with their labels.
 */
export function scoreChart(
  points: readonly ChartPoint[],
  options: { title: string; description: string; markers?: readonly ChartMarker[]; id: string; compact?: boolean },
): Html {
  const width = 640;
  const height = options.compact ? 160 : 200;
  const left = 36;
  const right = 12;
  const top = 12;
  const bottom = 28;
  const plotW = width - left - right;
  const plotH = height - top - bottom;
  const titleId = `${options.id}-title`;
  const descId = `${options.id}-desc`;
  const head = html`<title id="${titleId}">${options.title}</title><desc id="${descId}">${options.description}</desc>`;
  const open = html`<svg class="chart" viewBox="0 0 ${width} ${height}" role="img"
    aria-labelledby="${titleId} ${descId}" preserveAspectRatio="xMinYMin meet">`;
  const y = (s: number) => top + plotH - (s / MAX_SCORE) * plotH;
  const grid = [0, 50, 100].map(
    (s) =>
      html`<line class="grid" x1="${left}" x2="${width - right}" y1="${round(y(s))}" y2="${round(y(s))}"/><text
        class="axis" x="${left - 6}" y="${round(y(s) + 4)}" text-anchor="end">${s}</text>`,
  );
  if (points.length === 0) {
    return html`${open}${head}${grid}<text class="axis" x="${left + plotW / 2}" y="${top + plotH / 2}"
      text-anchor="middle">no history yet</text></svg>`;
  }
  const first = points[0]!.at;
  const last = points[points.length - 1]!.at;
  const span = Math.max(last - first, 1);
  const x = (at: number) => left + ((at - first) / span) * plotW;
  let d = "";
  points.forEach((p, i) => {
    const px = round(points.length === 1 ? left + plotW : x(p.at));
    const py = round(y(p.score));
    d += i === 0 ? `M${px} ${py}` : `H${px}V${py}`;
  });
  if (points.length > 1) d += `H${round(left + plotW)}`;
  const markers = (options.markers ?? []).map((m) => {
    const mx = round(points.length === 1 ? left + plotW : x(m.at));
    return html`<line class="marker" x1="${mx}" x2="${mx}" y1="${top}" y2="${top + plotH}"/><text
      class="marker-label" x="${mx}" y="${top + 10}" text-anchor="start" dx="3">${m.label}</text>`;
  });
  const dates = html`<text class="axis" x="${left}" y="${height - 8}" text-anchor="start">${day(first)}</text><text
    class="axis" x="${width - right}" y="${height - 8}" text-anchor="end">${day(last)}</text>`;
  return html`${open}${head}${grid}${dates}${markers}<path class="chart-line" d="${d}"/></svg>`;
}

/** `2025-03-14`: dates in charts and tables are UTC days, the same for every viewer. */
export function day(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

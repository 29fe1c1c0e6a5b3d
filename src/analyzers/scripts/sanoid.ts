// sanoid.conf: ZFS datasets that sanoid snapshots and prunes by itself (its package runs it every 15 minutes
// from a systemd timer). A dataset section takes snapshots unless `autosnap` is off, in the section or in the
// template it uses; the counts it keeps (`hourly`, `daily` …) come from the section, its template, or sanoid's
// defaults. `template_*` sections only hold settings.
import type { Analyzer } from "../../engine/analyzer.js";
import { readIniFile } from "./ini.js";

const PERIODS = ["frequently", "hourly", "daily", "weekly", "monthly", "yearly"];
/** sanoid.defaults.conf: autosnap on, 48 hourly, 90 daily, 6 monthly */
const DEFAULTS: Record<string, string> = { autosnap: "yes", hourly: "48", daily: "90", monthly: "6" };

export interface SanoidDataset {
  dataset: string;
  line: number;
  /** counts kept per period, e.g. "hourly 36, daily 30" */
  keeps: string;
}

export const sanoidAnalyzer: Analyzer = {
  id: "sanoid",
  extensions: [".conf", ".j2"],
  match: (_path, name) => /^sanoid\.conf(\.j2)?$/i.test(name),
  analyze(file, out) {
    for (const d of snapshottedDatasets(file.text))
      out.fact("snapshotPolicy", { path: file.path, line: d.line, tool: "sanoid", dataset: d.dataset, keeps: d.keeps });
  },
};

/** The datasets that sanoid snapshots, with what it keeps of them. */
export function snapshottedDatasets(text: string): SanoidDataset[] {
  const ini = readIniFile(text);
  const sections = new Map<string, Section>();
  for (const { name, line } of ini.sections) if (!sections.has(name)) sections.set(name, { line, settings: new Map() });
  for (const e of ini.entries) sections.get(e.section)?.settings.set(e.key.toLowerCase(), e.value.toLowerCase());
  const datasets: SanoidDataset[] = [];
  for (const [name, { line, settings }] of sections) {
    if (name.startsWith("template_")) continue;
    const setting = (key: string) => settingOf(sections, settings, key);
    if (!isYes(setting("autosnap"))) continue;
    const keeps = PERIODS.map((p) => [p, Number(setting(p) ?? 0)] as const).filter(([, n]) => n > 0);
    if (keeps.length === 0) continue;
    datasets.push({ dataset: name, line, keeps: keeps.map(([p, n]) => `${p} ${n}`).join(", ") });
  }
  return datasets;
}

interface Section {
  line: number;
  settings: Map<string, string>;
}

/** A dataset's setting: its own, else its templates' (`use_template = a,b`, the last one named wins), else the default. */
function settingOf(sections: Map<string, Section>, own: Map<string, string>, key: string): string | undefined {
  if (own.has(key)) return own.get(key);
  const templates = (own.get("use_template") ?? "")
    .split(",")
    .map((t) => t.trim())
    .filter(Boolean);
  for (const t of templates.reverse()) {
    const value = sections.get(`template_${t}`)?.settings.get(key);
    if (value !== undefined) return value;
  }
  return sections.get("template_default")?.settings.get(key) ?? DEFAULTS[key];
}

const isYes = (value: string | undefined) => value === "yes" || value === "1" || value === "true";

// INI-style key files, as systemd units and Ofelia's gcfg configs write them: `[section]` headers,
// `key=value` lines, `#`/`;` comments, and a trailing backslash that continues the line.

export interface IniEntry {
  /** the header as written between the brackets, e.g. `Service` or `job-exec "backup"` */
  section: string;
  key: string;
  value: string;
  line: number;
}

export interface IniFile {
  /** every `[section]` header, in order, with its line (a section may have no key) */
  sections: { name: string; line: number }[];
  entries: IniEntry[];
}

export function readIniFile(text: string): IniFile {
  const file: IniFile = { sections: [], entries: [] };
  const lines = text.split("\n");
  let section = "";
  for (let i = 0; i < lines.length; i++) {
    const line = i + 1;
    let raw = lines[i]!.trim();
    while (raw.endsWith("\\") && i + 1 < lines.length) raw = `${raw.slice(0, -1)} ${lines[++i]!.trim()}`;
    if (raw === "" || raw.startsWith("#") || raw.startsWith(";")) continue;
    const header = /^\[([^\]]+)\]$/.exec(raw);
    if (header) {
      section = header[1]!.trim();
      file.sections.push({ name: section, line });
    } else {
      const eq = raw.indexOf("=");
      if (eq > 0) file.entries.push({ section, key: raw.slice(0, eq).trim(), value: raw.slice(eq + 1).trim(), line });
    }
  }
  return file;
}

export const readIni = (text: string): IniEntry[] => readIniFile(text).entries;

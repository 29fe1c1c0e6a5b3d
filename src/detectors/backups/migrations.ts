// Down migrations, from file names alone: tools that keep one file per direction name them by convention
// (golang-migrate/sqlx `N_x.up.sql` + `N_x.down.sql`, diesel `…/up.sql` + `…/down.sql`, Flyway `V3__x.sql`
// + undo `U3__x.sql`). Tools that keep both directions in one file (Rails, Alembic, Knex, dbmate) are not
// judged: their files are not read, to keep the file budget for DevOps files.

export interface MigrationPair {
  up: string;
  down?: string;
}

export interface DownMigrations {
  /** "sql" when file-per-direction migrations exist, "none" otherwise */
  kind: "sql" | "none";
  total: number;
  covered: number;
  /** the newest up migration, by version */
  latest?: MigrationPair;
}

const SPLIT_UP = /^(.*[^/])[._-]up\.sql$/i;
const DIESEL_UP = /^(.*\/)up\.sql$/i;
const FLYWAY_VERSIONED = /^(.*\/)?V(\d+(?:[._]\d+)*)__[^/]+\.sql$/;
const FLYWAY_UNDO = /^(.*\/)?U(\d+(?:[._]\d+)*)__[^/]+\.sql$/;

export function downMigrations(allPaths: readonly string[]): DownMigrations {
  // only .sql files can be migrations of these kinds: narrow a 100k-path tree before any regex
  const paths = allPaths.filter((p) => p.length > 4 && p.slice(-4).toLowerCase() === ".sql");
  const all = new Set(paths);
  const undo = new Set<string>();
  for (const p of paths) {
    const m = FLYWAY_UNDO.exec(p);
    if (m) undo.add(`${m[1] ?? ""}\0${m[2]}`);
  }
  const pairs: MigrationPair[] = [];
  for (const p of paths) {
    let m: RegExpExecArray | null;
    if ((m = SPLIT_UP.exec(p))) {
      const stem = m[1]!;
      const down = [`${stem}.down.sql`, `${stem}_down.sql`, `${stem}-down.sql`].find((d) => all.has(d));
      pairs.push(down ? { up: p, down } : { up: p });
    } else if ((m = DIESEL_UP.exec(p)) && /migrations?\//i.test(p)) {
      const down = `${m[1]}down.sql`;
      pairs.push(all.has(down) ? { up: p, down } : { up: p });
    } else if ((m = FLYWAY_VERSIONED.exec(p))) {
      const dir = m[1] ?? "";
      const down = undo.has(`${dir}\0${m[2]}`)
        ? paths.find((q) => FLYWAY_UNDO.exec(q)?.[2] === m![2] && q.startsWith(dir))
        : undefined;
      pairs.push(down ? { up: p, down } : { up: p });
    }
  }
  if (pairs.length === 0) return { kind: "none", total: 0, covered: 0 };
  const version = (p: string) =>
    p
      .replace(/\/up\.sql$/i, "")
      .replace(/^.*\//, "")
      .replace(/^V/, "");
  const latest = [...pairs].sort((a, b) => version(a.up).localeCompare(version(b.up), "en", { numeric: true })).at(-1)!;
  return { kind: "sql", total: pairs.length, covered: pairs.filter((p) => p.down).length, latest };
}

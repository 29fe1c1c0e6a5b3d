// POSIX-like shells, and the script a shell runs with `-c` (`sh -c '…'`, `bash -ec '…'`, `sh -x -c '…'`).

/** Shells whose scripts the shell parser reads (a shebang's program, an entrypoint, a `sh -c`). */
export const SHELLS: ReadonlySet<string> = new Set(["sh", "bash", "dash", "ash", "zsh", "ksh", "mksh"]);

/** Shell options that take a value (`-o pipefail`, `+o posix`). */
const VALUE_OPTIONS = new Set(["-o", "+o", "-O", "+O"]);

/**
 * The index in `args` of the script a shell program runs with a `-c` option (alone or among combined short
 * options: `-c`, `-ec`, `-euc`, `-xc`), or -1 when the program is no shell or runs a file.
 */
export function shellScriptIndex(program: string, args: readonly string[]): number {
  if (!SHELLS.has(program)) return -1;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (VALUE_OPTIONS.has(a)) {
      i++;
      continue;
    }
    if (!/^[-+]/.test(a) || a === "--") return -1;
    if (/^-[a-zA-Z]*c[a-zA-Z]*$/.test(a)) return i + 1 < args.length ? i + 1 : -1;
  }
  return -1;
}

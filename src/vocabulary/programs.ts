// The program a command runs, as the words of its argv say it.

/** The program of a command, without a leading `sudo`, `env VAR=x`, `exec`, `time` or path. */
export function programOf(argv: readonly string[]): { program: string; args: string[] } {
  let i = 0;
  while (i < argv.length) {
    const word = argv[i]!;
    if (word === "sudo" || word === "exec" || word === "time" || word === "nohup" || word === "command") i++;
    else if (word === "env") {
      i++;
      while (i < argv.length && (/^[A-Za-z_][A-Za-z0-9_]*=/.test(argv[i]!) || argv[i]!.startsWith("-"))) i++;
    } else break;
  }
  const program = (argv[i] ?? "").replace(/^.*\//, "");
  return { program, args: argv.slice(i + 1) };
}

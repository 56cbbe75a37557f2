/**
 * Whether covenant colours what it writes to a stream (stdout for the report, stderr for diff's
 * verdicts), in the order users expect of a command-line tool:
 *
 * 1. `--color` / `--no-color` (the last one given wins; neither: undecided);
 * 2. `NO_COLOR` set to anything but the empty string: no colour (https://no-color.org);
 * 3. `FORCE_COLOR`: `0` or `false` means no colour, any other non-empty value colour, also when piped;
 * 4. otherwise colour only on a terminal whose `TERM` is not `dumb`.
 *
 * The colours themselves are picocolors' (`pc.createColors(shouldColor(...))` in the formatters).
 */
export function shouldColor(stream: { isTTY?: boolean }, flag: boolean | undefined, env: NodeJS.ProcessEnv = process.env): boolean {
  if (flag !== undefined) return flag;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return false;
  const force = env.FORCE_COLOR;
  if (force !== undefined && force !== "") return force !== "0" && force.toLowerCase() !== "false";
  return stream.isTTY === true && env.TERM !== "dumb";
}

/** The global `--color` / `--no-color` as a command's action sees it. */
export interface ColorFlag {
  color?: boolean;
}

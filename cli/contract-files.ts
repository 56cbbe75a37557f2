/** The contract files a command reads: the paths on its command line, or the config's `contracts` globs. */
import path from "node:path";
import { glob } from "tinyglobby";
import { CovenantError, type Problem } from "../common/errors.js";

/** The problem for a contract path on the command line that names nothing. */
export function contractNotFound(file: string): Problem {
  return { code: "contract-not-found", file, line: 0, column: 0, message: "No such contract file. Check the path." };
}

/** The error for a command left with no contract to read, located at the config (or the cwd without one). */
export function noContracts(where: string, message: string): CovenantError {
  return new CovenantError({ code: "no-contracts", file: where, line: 0, column: 0, message });
}

/** The files the config's `contracts` globs match below `dir`: absolute, each once, sorted. */
export async function expandConfigGlobs(globs: readonly string[], dir: string): Promise<string[]> {
  if (globs.length === 0) return [];
  const matches = await glob([...globs], { cwd: dir, absolute: true, onlyFiles: true });
  return [...new Set(matches.map((m) => path.normalize(m)))].sort();
}

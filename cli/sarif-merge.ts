import path from "node:path";
import type { Log } from "sarif";
import { CovenantError, type Problem } from "../common/errors.js";
import type { ExitCode } from "./exit-code.js";
import { parseJsonSource } from "../analyzer/config/json-source.js";
import { countErrorResults, mergeSarif, type SarifInput } from "../analyzer/report/sarif-merge.js";
import { prepareUserFile, readUserFile, writeUserFile } from "../common/user-files.js";

export interface MergeFlags {
  output?: string;
}

const INPUT_ROLE = { what: "the SARIF file", flag: "<files...>" };
const OUTPUT_ROLE = { what: "the merged SARIF file", flag: "--output" };

/** The problems that make `file` not a SARIF 2.1.0 log (located), or none. */
function checkShape(file: string, source: ReturnType<typeof parseJsonSource>): Problem[] {
  const at = (keys: readonly PropertyKey[]) => ({ code: "sarif-invalid", file, ...source.locate(keys, "value") });
  const log = source.value as { version?: unknown; runs?: unknown } | unknown[] | null | undefined;
  if (typeof log !== "object" || log === null || Array.isArray(log))
    return [{ ...at([]), message: "Not a SARIF log: expected an object with `version` and `runs`. Pass SARIF files (covenant check --format sarif)." }];
  if (log.version !== "2.1.0")
    return [{ ...at(["version"]), message: `Unsupported SARIF version ${JSON.stringify(log.version ?? null)}. Pass SARIF 2.1.0 files.` }];
  if (!Array.isArray(log.runs)) return [{ ...at(["runs"]), message: "`runs` must be a list. Pass SARIF files (covenant check --format sarif)." }];
  return log.runs.flatMap((run: unknown, index): Problem[] => {
    const name = (run as { tool?: { driver?: { name?: unknown } } } | null)?.tool?.driver?.name;
    if (typeof name !== "string") return [{ ...at(["runs", index]), message: `runs[${index}] has no \`tool.driver.name\`. Pass SARIF 2.1.0 files.` }];
    const results = (run as { results?: unknown }).results;
    if (results !== undefined && results !== null && !Array.isArray(results))
      return [{ ...at(["runs", index, "results"]), message: `runs[${index}].results must be a list. Pass SARIF 2.1.0 files.` }];
    return [];
  });
}

/** Reads every input (all problems at once), rebasing each onto the output's folder. */
function readInputs(files: readonly string[], outDir: string, cwd: string): SarifInput[] {
  const problems: Problem[] = [];
  const inputs: SarifInput[] = [];
  for (const file of files) {
    const abs = path.resolve(cwd, file);
    const text = readUserFile(abs, INPUT_ROLE);
    if (text === undefined) {
      problems.push({
        code: "sarif-not-found",
        file: abs,
        line: 0,
        column: 0,
        message: "No such SARIF file. Pass the files `covenant check --format sarif --output <file>` wrote.",
      });
      continue;
    }
    try {
      const source = parseJsonSource(abs, text, "sarif");
      const shape = checkShape(abs, source);
      if (shape.length > 0) problems.push(...shape);
      else inputs.push({ log: source.value as Log, base: path.relative(outDir, path.dirname(abs)).split(path.sep).join("/") });
    } catch (error) {
      if (!(error instanceof CovenantError)) throw error;
      problems.push(...error.problems);
    }
  }
  if (problems.length > 0) throw new CovenantError(problems);
  return inputs;
}

/**
 * `covenant sarif merge <files...> [-o <file>]`: one SARIF log from several (one per package of a
 * monorepo), for a single code-scanning upload. Each input's relative URIs are taken relative to its
 * own folder (where `covenant check --format sarif -o <file>` ran) and rewritten relative to the
 * output's folder (the current folder when printing to stdout).
 */
export function runSarifMerge(files: readonly string[], flags: MergeFlags, cwd: string = process.cwd()): ExitCode {
  const output = flags.output === undefined ? undefined : path.resolve(cwd, flags.output);
  if (output) prepareUserFile(output, OUTPUT_ROLE);
  const inputs = readInputs(files, output ? path.dirname(output) : cwd, cwd);
  const merged = mergeSarif(inputs);
  const text = `${JSON.stringify(merged, null, 2)}\n`;
  if (output) writeUserFile(output, text, OUTPUT_ROLE);
  else process.stdout.write(text);
  // As `covenant check` exits: 1 when something is at error level, so CI can fail on the merged log.
  const errors = countErrorResults(merged);
  if (errors > 0) process.stderr.write(`covenant sarif merge: ${errors} ${errors === 1 ? "result" : "results"} at error level.\n`);
  return errors > 0 ? 1 : 0;
}

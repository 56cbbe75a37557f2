// Helpers of the corpus bench's "engines" group (issue 12): covenant's TypeScript 6 and 7 engines
// against `tsc --noEmit` of TypeScript 6 and 7, typescript-eslint's no-floating-promises and oxlint's
// type-aware no-floating-promises (tsgolint). Reading the tools' output; no process is started here.

/**
 * The compiler options a tsconfig must lose for TypeScript 7 to accept it, from the config errors
 * of `tsc -p <config> --listFilesOnly` (TypeScript 7): "tsconfig.json(20,24): error TS5108: Option
 * 'esModuleInterop=false' has been removed. Please remove it from your configuration." Only errors
 * located in `configName` count (an option set in an extended config cannot be deleted here).
 * @returns {{ option: string, message: string }[]} in the order reported, each option once
 */
export function removedOptions(tscOutput, configName = "tsconfig.json") {
  const found = new Map();
  for (const line of tscOutput.split(/\r?\n/)) {
    const m = /^(.+?)\(\d+,\d+\): error (TS5\d{3}): (Option '([A-Za-z]+)(?:=[^']*)?' (?:has been removed|is (?:deprecated|no longer supported)).*)$/.exec(line);
    if (!m || m[1].replace(/\\/g, "/").split("/").at(-1) !== configName) continue;
    if (!found.has(m[4])) found.set(m[4], { option: m[4], message: `${m[2]}: ${m[3]}` });
  }
  return [...found.values()];
}

/** Errors in `tsc --noEmit` output (pretty printing off, as when piped): lines `file(l,c): error TSnnnn:`. */
export function countTscErrors(tscOutput) {
  return tscOutput.split(/\r?\n/).filter((line) => /^\S.*\(\d+,\d+\): error TS\d+:/.test(line) || /^error TS\d+:/.test(line)).length;
}

/**
 * oxlint `-f json` output → findings by rule and the number of files linted. Throws when the
 * output is not oxlint's JSON report (e.g. "Failed to find type-aware linter executable").
 * @returns {{ files: number, byRule: Record<string, number>, total: number }}
 */
export function readOxlintReport(stdout) {
  const start = stdout.indexOf("{");
  let report;
  try {
    report = JSON.parse(stdout.slice(start));
  } catch {
    throw new Error(`oxlint printed no JSON report: ${stdout.trim().split("\n")[0]?.slice(0, 300) ?? "(nothing)"}`);
  }
  if (start < 0 || !Array.isArray(report.diagnostics)) throw new Error(`oxlint printed no JSON report: ${stdout.slice(0, 300)}`);
  const byRule = {};
  for (const d of report.diagnostics) {
    const rule = d.code ?? "(no rule)";
    byRule[rule] = (byRule[rule] ?? 0) + 1;
  }
  return { files: report.number_of_files ?? Number.NaN, byRule, total: report.diagnostics.length };
}

/** What `covenant check --help` says about engines: is there an `--engine` option, does it offer ts6, ts7. */
export function engineSupport(helpText) {
  const line = helpText.split(/\r?\n/).find((l) => /--engine\b/.test(l));
  if (!line) return { flag: false, ts6: false, ts7: false };
  // The choices may be on the option's line or the next ones (commander wraps long descriptions).
  const start = helpText.indexOf(line);
  const nextOption = helpText.slice(start + line.length).search(/\n\s*-/);
  const block = nextOption < 0 ? helpText.slice(start) : helpText.slice(start, start + line.length + nextOption);
  return { flag: true, ts6: /\bts6\b/.test(block), ts7: /\bts7\b/.test(block) };
}

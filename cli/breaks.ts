/** Reads covenant.breaks.json (the accepted-breaks ledger of `covenant diff`) with located errors. */
import fs from "node:fs";
import type { z } from "zod";
import { CovenantError, type Problem } from "../common/errors.js";
import { joinPath, valueAt } from "../common/json.js";
import { findUp } from "../common/user-files.js";
import { parseJsonSource, type JsonSource } from "../analyzer/config/json-source.js";
import { type AcceptedBreak, breaksFileSchema } from "../contracts/diff/breaks.js";
import { BREAKS_FILE_NAME } from "./command-values.js";

export interface LoadedLedger {
  file: string;
  source: JsonSource;
  breaks: AcceptedBreak[];
}

/** covenant.breaks.json in `startDir` or the nearest folder above it. */
export function findBreaksFile(startDir: string): string | undefined {
  return findUp(startDir, BREAKS_FILE_NAME);
}

function issueToProblem(issue: z.core.$ZodIssue, source: JsonSource): Problem[] {
  const keys = issue.path;
  const where = keys.length ? `"${joinPath(keys)}"` : "The file";
  const at = (k: readonly PropertyKey[], which: "key" | "value" = "value") => ({ file: source.file, ...source.locate(k, which) });
  switch (issue.code) {
    case "unrecognized_keys":
      return issue.keys.map((key) => ({
        code: "breaks-unknown-key",
        ...at([...keys, key], "key"),
        message: `Unknown key "${key}" in ${keys.length ? where : "the file"}. Remove it; an entry has rule, path, reason, owner, expires and optionally contract.`,
      }));
    case "invalid_value":
      return [
        {
          code: "breaks-invalid-value",
          ...at(keys),
          message: `${where} is not a covenant diff rule id. Use one of the rules in docs/diff-rules.md (as printed by covenant diff).`,
        },
      ];
    case "invalid_type":
      return [
        {
          code: "breaks-invalid-type",
          ...at(keys),
          message: `${where} must be ${issue.expected === "array" ? "an array" : `a ${issue.expected}`}${valueAt(source.value, keys) === undefined ? " (it is missing)" : ""}. Fix the entry.`,
        },
      ];
    case "too_small":
      return [{ code: "breaks-invalid-value", ...at(keys), message: `${where} must not be empty. Fill it in.` }];
    default:
      return [{ code: "breaks-invalid-value", ...at(keys), message: `${where} ${issue.message}. Fix the entry.` }];
  }
}

/** Loads and validates the ledger; a malformed file throws a CovenantError with every problem located (exit 2). */
export function loadBreaksFile(file: string): LoadedLedger {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch {
    throw new CovenantError({
      code: "breaks-not-found",
      file,
      line: 0,
      column: 0,
      message: "Cannot read the accepted-breaks file. Check the path given to --breaks.",
    });
  }
  const source = parseJsonSource(file, text, "breaks");
  const parsed = breaksFileSchema.safeParse(source.value);
  if (!parsed.success) {
    const problems = parsed.error.issues.flatMap((issue) => issueToProblem(issue, source));
    problems.sort((a, b) => a.line - b.line || a.column - b.column);
    throw new CovenantError(problems);
  }
  return { file, source, breaks: parsed.data.breaks };
}

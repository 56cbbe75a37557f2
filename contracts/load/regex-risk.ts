import { isJsonObject } from "../../common/json.js";

/**
 * Whether a regular expression may take super-linear time to reject a string: a quantified group
 * that holds a quantifier or an alternation (`(a+)+`, `(a|aa)*`, `(\w+\s?)*`), or a backreference.
 * Conservative: some flagged patterns are fast (`(ab|cd)*`); none it passes backtracks exponentially.
 * Invalid patterns are not risky here (the loader reports them).
 */
export function mayBacktrack(source: string): boolean {
  const frames = [{ quantified: false, alternation: false }];
  for (let i = 0; i < source.length; i++) {
    const ch = source[i]!;
    const frame = frames.at(-1)!;
    if (ch === "\\") {
      const next = source[i + 1] ?? "";
      if (/[1-9]/.test(next) || (next === "k" && source[i + 2] === "<")) return true;
      i++;
    } else if (ch === "[") {
      for (i++; i < source.length && source[i] !== "]"; i++) if (source[i] === "\\") i++;
    } else if (ch === "(") {
      frames.push({ quantified: false, alternation: false });
      if (source[i + 1] === "?") i += source[i + 2] === "<" && /[=!]/.test(source[i + 3] ?? "") ? 3 : 2;
    } else if (ch === ")") {
      if (frames.length === 1) continue;
      const group = frames.pop()!;
      const repeat = repetitionAt(source, i + 1);
      if (repeat === "many" && (group.quantified || group.alternation)) return true;
      const parent = frames.at(-1)!;
      parent.quantified ||= group.quantified || repeat !== "none";
      parent.alternation ||= group.alternation;
    } else if (ch === "|") {
      frame.alternation = true;
    } else if (repetitionAt(source, i) !== "none") {
      frame.quantified = true;
    }
  }
  return false;
}

/** The quantifier starting at `i`: none, `?`/`{0,1}`/`{1}` (once at most), or one that repeats. */
function repetitionAt(source: string, i: number): "none" | "once" | "many" {
  const ch = source[i];
  if (ch === "*" || ch === "+") return "many";
  if (ch === "?") return "once";
  if (ch !== "{") return "none";
  const match = /^\{(\d+)(,(\d*))?\}/.exec(source.slice(i, i + 24));
  if (!match) return "none";
  if (match[2] === undefined) return Number(match[1]) > 1 ? "many" : "once";
  return match[3] === "" || Number(match[3]) > 1 ? "many" : "once";
}

/**
 * Whether a schema, or any value of a JSON tree of schemas, holds at any depth a `pattern` or a
 * `patternProperties` key that `mayBacktrack`.
 */
export function hasBacktrackingPattern(schema: unknown): boolean {
  const stack: unknown[] = [schema];
  while (stack.length > 0) {
    const node = stack.pop();
    if (Array.isArray(node)) for (const item of node) stack.push(item);
    else if (isJsonObject(node)) {
      if (typeof node.pattern === "string" && mayBacktrack(node.pattern)) return true;
      if (isJsonObject(node.patternProperties) && Object.keys(node.patternProperties).some(mayBacktrack)) return true;
      for (const value of Object.values(node)) stack.push(value);
    }
  }
  return false;
}

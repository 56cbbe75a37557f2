import path from "node:path";

/** One user-facing problem with its location (1-based line/column; 0 when the whole file is meant). */
export interface Problem {
  /** Stable kebab-case code, e.g. `unknown-target-state`, `config-unknown-key`, `tsconfig-not-found`. */
  code: string;
  file: string;
  line: number;
  column: number;
  /** What is wrong and what to do. */
  message: string;
}

/**
 * A user error (bad contract, config, tsconfig, path, flag). The CLI prints every problem as
 * `file:line:column  error  message` on stderr, exits 2, and never prints a stack trace.
 */
export class CovenantError extends Error {
  readonly problems: Problem[];
  constructor(problems: Problem[] | Problem) {
    const list = Array.isArray(problems) ? problems : [problems];
    super(list.map((p) => formatProblem(p)).join("\n"));
    this.name = "CovenantError";
    this.problems = list;
  }
}

export function formatProblem(problem: Problem, cwd: string = process.cwd()): string {
  const rel = path.isAbsolute(problem.file) ? path.relative(cwd, problem.file).split(path.sep).join("/") || problem.file : problem.file;
  const where = problem.line > 0 ? `${rel}:${problem.line}:${problem.column}` : rel;
  return `${where}  error  ${problem.message}`;
}

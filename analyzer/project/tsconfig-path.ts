import fs from "node:fs";
import path from "node:path";
import { CovenantError } from "../../common/errors.js";
import { findUp } from "../../common/user-files.js";

// Which tsconfig a run uses, found without TypeScript: `covenant check` reports a missing one before it
// loads the compiler (load-project.ts, which parses the tsconfig, imports TypeScript).

/** `-p` may name a tsconfig file or a folder holding tsconfig.json (as with tsc). */
export function resolveTsconfigPath(project: string | undefined, cwd: string): string {
  if (project === undefined) return findTsconfig(cwd);
  const resolved = path.resolve(cwd, project);
  const file = fs.existsSync(resolved) && fs.statSync(resolved).isDirectory() ? path.join(resolved, "tsconfig.json") : resolved;
  if (!fs.existsSync(file)) {
    throw new CovenantError({
      code: "tsconfig-not-found",
      file,
      line: 0,
      column: 0,
      message: "No such tsconfig. Pass an existing tsconfig.json (or its folder) with -p/--project.",
    });
  }
  return file;
}

/** tsconfig.json in `cwd` or the nearest folder above it. */
export function findTsconfig(cwd: string): string {
  const found = findUp(cwd, "tsconfig.json");
  if (found !== undefined) return found;
  throw new CovenantError({
    code: "tsconfig-not-found",
    file: path.resolve(cwd),
    line: 0,
    column: 0,
    message: "No tsconfig.json here or in any folder above. Run covenant inside a TypeScript project, or pass one with -p/--project.",
  });
}

import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { CovenantError } from "../../common/errors.js";
import { realPath } from "../../common/user-files.js";

function git(args: string[], cwd: string, input?: string): string {
  return execFileSync("git", args, {
    cwd,
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
    ...(input === undefined ? { stdio: ["ignore", "pipe", "pipe"] } : { input, stdio: ["pipe", "pipe", "pipe"] }),
  });
}

function gitError(error: unknown): string {
  const stderr = (error as { stderr?: string }).stderr;
  return (typeof stderr === "string" && stderr.trim().split("\n")[0]) || (error instanceof Error ? error.message : String(error));
}

/**
 * Files changed since `ref` (committed, staged or not) plus untracked files that are not ignored,
 * as absolute real paths. Deleted files are left out: there is nothing to report on. `HEAD` in a
 * repository with no commit yet (before the first commit) means the empty tree: every tracked and
 * untracked file is changed. Any other ref must name a commit.
 */
export function getChangedFiles(cwd: string, ref: string): Set<string> {
  let root: string;
  try {
    root = git(["rev-parse", "--show-toplevel"], cwd).trim();
  } catch (error) {
    throw new CovenantError({
      code: "changed-not-git",
      file: "--changed",
      line: 0,
      column: 0,
      message: `Needs a git repository, and ${cwd} is not in one (${gitError(error)}). Run covenant inside one, or drop --changed.`,
    });
  }
  const base = resolveBase(cwd, ref);
  const changed = git(["diff", "--name-only", "-z", "--no-renames", "--diff-filter=d", base, "--"], root);
  const untracked = git(["ls-files", "--others", "--exclude-standard", "--full-name", "-z"], root);
  const files = new Set<string>();
  for (const name of `${changed}${untracked}`.split("\0")) {
    if (name) files.add(realPath(path.join(root, name)));
  }
  return files;
}

/** The commit (or, before the first commit, the empty tree) to diff the working tree against. */
function resolveBase(cwd: string, ref: string): string {
  try {
    git(["rev-parse", "--verify", "--quiet", `${ref}^{commit}`], cwd);
    return ref;
  } catch {
    if (ref === "HEAD" && isUnbornHead(cwd)) return git(["hash-object", "-t", "tree", "--stdin"], cwd, "").trim(); // the empty tree, in the repository's hash
    const pathHint = fs.existsSync(path.resolve(cwd, ref)) ? ` "${ref}" is a path: to report on it, write \`--changed=HEAD ${ref}\`.` : "";
    throw new CovenantError({
      code: "changed-unknown-ref",
      file: "--changed",
      line: 0,
      column: 0,
      message: `"${ref}" is not a commit in this repository. Pass a branch, tag or commit (default HEAD).${pathHint}`,
    });
  }
}

/** HEAD (which names no commit) is a branch that has none yet: a new repository before its first commit. */
function isUnbornHead(cwd: string): boolean {
  try {
    git(["symbolic-ref", "--quiet", "HEAD"], cwd);
    return true;
  } catch {
    return false;
  }
}

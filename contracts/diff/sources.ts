/**
 * Where `covenant diff` reads contracts from: a file, or `git-ref:path` through `git show` (no
 * checkout). A git path is tried relative to the current directory first, then relative to the
 * repository root, so `main:contracts/x.contract.yaml` works from the root and from below it.
 */
import { execFile, execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { CovenantError, type Problem } from "../../common/errors.js";
import { loadContract, loadContractFromText } from "../index.js";
import { decodeSource, SourceReadError } from "../load/read-source.js";
import { type DiffChange, diffContracts } from "./diff-contracts.js";
import type { Contract } from "../model.js";
import { toPosix } from "../../common/strings.js";

const execFileAsync = promisify(execFile);

export interface LoadedSide {
  contract: Contract;
  /** How to name it to the user: a cwd-relative path or `ref:path`. */
  label: string;
}

async function git(args: string[], cwd: string): Promise<string> {
  const { stdout } = await execFileAsync("git", args, { cwd, maxBuffer: 64 * 1024 * 1024, encoding: "utf8" });
  return stdout;
}

function gitError(spec: string, message: string): CovenantError {
  return new CovenantError({ code: "diff-git-source", file: spec, line: 0, column: 0, message });
}

/** The repository's top folder, or a CovenantError when `cwd` is not inside a git work tree. */
export async function getRepoRoot(cwd: string, spec: string): Promise<string> {
  try {
    return path.resolve((await git(["rev-parse", "--show-toplevel"], cwd)).trim());
  } catch {
    throw gitError(spec, "Cannot read from git: the current directory is not inside a git repository. Run covenant diff from the repository, or pass files.");
  }
}

/** Is `arg` a `git-ref:path` (rather than an existing file)? */
export function isGitSpec(arg: string, cwd: string): boolean {
  if (fs.existsSync(path.resolve(cwd, arg))) return false;
  const colon = arg.indexOf(":");
  // A Windows drive letter (C:\...) is a path, not a ref.
  return colon > 0 && !/^[A-Za-z]:[\\/]/.test(arg);
}

/** Reads `ref:repoPath` from git, or undefined when the path does not exist at that ref. Throws for a bad ref. */
export async function readAtRef(ref: string, repoPath: string, root: string, spec: string): Promise<string | undefined> {
  try {
    await git(["rev-parse", "--verify", "--quiet", `${ref}^{commit}`], root);
  } catch {
    throw gitError(spec, `Unknown git ref "${ref}". Check it with \`git rev-parse ${ref}\` (a branch, tag or commit).`);
  }
  let bytes: Buffer;
  try {
    bytes = (await execFileAsync("git", ["show", `${ref}:${repoPath}`], { cwd: root, maxBuffer: 64 * 1024 * 1024, encoding: "buffer" })).stdout;
  } catch {
    return undefined;
  }
  try {
    return decodeSource(bytes);
  } catch (error) {
    if (!(error instanceof SourceReadError)) throw error;
    throw new CovenantError({
      code: "file-not-utf8",
      file: `${ref}:${repoPath}`,
      line: error.position?.line ?? 0,
      column: error.position?.column ?? 0,
      message: `${error.reason}. Save the file as UTF-8.`,
    });
  }
}

/** Candidate repository paths for a path given on the command line: relative to the cwd, then to the root. */
function repoPathCandidates(p: string, cwd: string, root: string): string[] {
  const candidates: string[] = [];
  const fromCwd = toPosix(path.relative(root, path.resolve(cwd, p)));
  if (!fromCwd.startsWith("../")) candidates.push(fromCwd);
  const fromRoot = toPosix(path.posix.normalize(p.replace(/^\/+/, "")));
  if (!candidates.includes(fromRoot) && !fromRoot.startsWith("../")) candidates.push(fromRoot);
  return candidates;
}

/** Loads a contract committed at `ref`, `$ref`ed files included, with errors named `ref:path`. */
export async function loadContractAtRef(ref: string, p: string, cwd: string, spec = `${ref}:${p}`): Promise<LoadedSide | undefined> {
  const root = await getRepoRoot(cwd, spec);
  for (const repoPath of repoPathCandidates(p, cwd, root)) {
    const text = await readAtRef(ref, repoPath, root, spec);
    if (text === undefined) continue;
    const file = path.join(root, ...repoPath.split("/"));
    const label = `${ref}:${repoPath}`;
    // External `$ref`s are read from the same commit.
    const readFile = (f: string): string => {
      const rel = toPosix(path.relative(root, f));
      if (rel.startsWith("../") || path.isAbsolute(rel)) throw Object.assign(new Error("outside the repository"), { code: "ENOENT" });
      let bytes: Buffer;
      try {
        bytes = execFileSync("git", ["show", `${ref}:${rel}`], { cwd: root, stdio: ["ignore", "pipe", "ignore"], maxBuffer: 64 * 1024 * 1024 });
      } catch {
        throw Object.assign(new Error(`no such file at ${ref}`), { code: "ENOENT" });
      }
      return decodeSource(bytes);
    };
    try {
      return { contract: loadContractFromText(text, file, { readFile }), label };
    } catch (error) {
      if (error instanceof CovenantError) throw relabel(error, root, ref);
      throw error;
    }
  }
  return undefined;
}

/** Names files inside the repository as `ref:path` in the problems of a contract read from git. */
function relabel(error: CovenantError, root: string, ref: string): CovenantError {
  const problems: Problem[] = error.problems.map((p) => {
    const rel = toPosix(path.relative(root, path.resolve(p.file)));
    return rel.startsWith("../") ? p : { ...p, file: `${ref}:${rel}` };
  });
  return new CovenantError(problems);
}

/** Loads one side given on the command line: a file, or `git-ref:path`. */
export async function loadSide(arg: string, cwd: string): Promise<LoadedSide> {
  if (isGitSpec(arg, cwd)) {
    const colon = arg.indexOf(":");
    const ref = arg.slice(0, colon);
    const p = arg.slice(colon + 1);
    if (!ref || !p)
      throw gitError(arg, `"${arg}" is neither a file nor git-ref:path. Name a contract file, or a ref and a path such as main:contracts/x.contract.yaml.`);
    const loaded = await loadContractAtRef(ref, p, cwd, arg);
    if (!loaded)
      throw gitError(
        arg,
        `No file "${p}" at ${ref} (tried relative to the current directory and to the repository root). Check the path with \`git ls-tree -r ${ref} --name-only\`.`,
      );
    return loaded;
  }
  const file = path.resolve(cwd, arg);
  if (!fs.existsSync(file)) {
    throw new CovenantError({
      code: "contract-not-found",
      file: arg,
      line: 0,
      column: 0,
      message: "No such contract file. Check the path, or name a git version as git-ref:path.",
    });
  }
  return { contract: loadContract(file), label: toPosix(path.relative(cwd, file)) || file };
}

/** Repository paths of the files at `ref` under `dir` (relative to the root). */
export async function listFilesAtRef(ref: string, root: string): Promise<string[]> {
  try {
    return (await git(["ls-tree", "-r", "--name-only", "--full-tree", ref], root)).split("\n").filter(Boolean);
  } catch {
    return [];
  }
}

/**
 * For `covenant generate --base <ref>`: a `changesFor` hook (see `PlanOptions`) that diffs each
 * contract with its version at `ref`, for the docs' "Changes since <version>" section. Contracts
 * that did not exist at the ref get no section.
 */
export function createChangesFor(
  ref: string,
  cwd: string = process.cwd(),
): (contract: Contract) => Promise<{ base: string; changes: DiffChange[] } | undefined> {
  return async (contract) => {
    const root = await getRepoRoot(cwd, `${ref}:`);
    const before = await loadContractAtRef(ref, toPosix(path.relative(root, contract.file)), root);
    if (!before) return undefined;
    return { base: before.contract.version, changes: diffContracts(before.contract, contract).changes };
  };
}

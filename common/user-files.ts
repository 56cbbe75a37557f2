import fs from "node:fs";
import path from "node:path";
import { CovenantError } from "./errors.js";
import { checkWritable, MAX_BASELINE_FILE_BYTES, readRegularFile, UnsafeFileError, writeFileNoFollow } from "./safe-fs.js";

/** What the file is for, and which flag names it: `{ what: "the report", flag: "--output" }`. */
export interface FileRole {
  what: string;
  flag: string;
  /** A path the user names for output (`-o`): a link to a stream (`/dev/stdout`, `>(...)`) is written through. */
  stream?: boolean;
}

/** The nearest ancestor of `file` that exists and is not a folder (why ENOTDIR, or EEXIST from mkdir), if any. */
function findFileInPath(file: string): string | undefined {
  for (let dir = path.dirname(file); path.dirname(dir) !== dir; dir = path.dirname(dir)) {
    try {
      if (!fs.statSync(dir).isDirectory()) return dir;
    } catch {
      // does not exist: look further up
    }
  }
  return undefined;
}

/** A short reason for a failed file operation, from its error code. */
function describeFsError(file: string, error: unknown): string {
  if (error instanceof UnsafeFileError) return error.message;
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case "EISDIR":
      return "it is a folder";
    case "ENOTDIR":
    case "EEXIST": {
      const blocker = findFileInPath(file);
      return blocker ? `${blocker} is a file, not a folder` : "a part of the path is not a folder";
    }
    case "ENOENT":
      return "no such file or folder";
    case "EACCES":
    case "EPERM":
      return "permission denied";
    case "EROFS":
      return "the file system is read-only";
    case "ENOSPC":
      return "no space left on the device";
    default:
      return code ?? (error instanceof Error ? error.message : String(error));
  }
}

function fileError(file: string, verb: "read" | "write", role: FileRole, error: unknown): CovenantError {
  const isFolder = (error as NodeJS.ErrnoException | undefined)?.code === "EISDIR";
  const fix =
    error instanceof UnsafeFileError
      ? error.fix
      : isFolder
        ? `Pass ${role.flag} the path of a file, not a folder.`
        : `Pass ${role.flag} a file path ${verb === "write" ? "in a folder you can write to" : "you can read"}.`;
  return new CovenantError({
    code: verb === "write" ? "file-not-writable" : "file-not-readable",
    file,
    line: 0,
    column: 0,
    message: `Cannot ${verb} ${role.what}: ${describeFsError(file, error)}. ${fix}`,
  });
}

/**
 * Makes sure `file` can be written before the work that produces it: not a symbolic link, not a
 * folder; a FIFO or device node (`-o /dev/null`) must be writable itself; otherwise its folder exists
 * (created if needed) and is writable. Throws a located user error otherwise.
 */
export function prepareUserFile(file: string, role: FileRole): void {
  try {
    if (checkWritable(file, { linkToStream: role.stream === true }) === "special") {
      fs.accessSync(file, fs.constants.W_OK);
      return;
    }
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.accessSync(path.dirname(file), fs.constants.W_OK);
  } catch (error) {
    throw fileError(file, "write", role, error);
  }
}

/**
 * Writes `text` to `file` (creating its folder), or throws a located user error. A regular file is
 * replaced atomically; a FIFO or device node is written in place; a symbolic link is refused.
 */
export function writeUserFile(file: string, text: string, role: FileRole): void {
  prepareUserFile(file, role);
  try {
    writeFileNoFollow(file, text, { linkToStream: role.stream === true });
  } catch (error) {
    throw fileError(file, "write", role, error);
  }
}

/**
 * Reads `file`, or throws a located user error (a folder, no permission, not a regular file, over
 * the size limit of a baseline). `undefined` when it does not exist.
 */
export function readUserFile(file: string, role: FileRole): string | undefined {
  try {
    return readRegularFile(file, MAX_BASELINE_FILE_BYTES);
  } catch (error) {
    // ENOTDIR: a part of the path is a file, so the file does not exist (writing it says why).
    if (["ENOENT", "ENOTDIR"].includes((error as NodeJS.ErrnoException).code ?? "")) return undefined;
    throw fileError(file, "read", role, error);
  }
}

/**
 * `name` (a file name, or a path such as `node_modules/zod/package.json`) in `startDir` or the
 * nearest folder above it where it exists and `accept` takes it; undefined when no folder has it.
 */
export function findUp(startDir: string, name: string, accept: (file: string) => boolean = fs.existsSync): string | undefined {
  for (let dir = path.resolve(startDir); ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, name);
    if (accept(candidate)) return candidate;
    if (path.dirname(dir) === dir) return undefined;
  }
}

/** `file` with its links resolved (one spelling for paths that name one file), or absolute when it does not exist. */
export function realPath(file: string): string {
  try {
    return fs.realpathSync.native(file);
  } catch {
    return path.resolve(file);
  }
}

import { randomBytes } from "node:crypto";
import type { Stats } from "node:fs";
import fs from "node:fs/promises";
import path from "node:path";
import { CovenantError, type Problem } from "../../common/errors.js";
import { describeFileKind } from "../../common/safe-fs.js";

/** A file to generate: absolute path and exact bytes (UTF-8). */
export interface GeneratedFile {
  path: string;
  content: string;
}

export type FileStatus = "unchanged" | "changed" | "missing";

/** The longest file name (in bytes) most file systems take (NAME_MAX). */
const NAME_MAX = 255;
/** What a temporary file adds to its target's name: `.<8 hex digits>.tmp`. */
const TEMP_SUFFIX_LENGTH = 13;
/** The longest generated file name `writeFilesAtomic` can write, its temporary file included. */
export const MAX_OUTPUT_NAME_BYTES = NAME_MAX - TEMP_SUFFIX_LENGTH;

/**
 * Compares each file with what is on disk (byte for byte); reads only. Every target must be a
 * regular file or absent, in a folder (or where one can be made): a folder, a FIFO (reading it would
 * block), a device or a symbolic link (writing would go through it) in its place, or a file where a
 * folder should be, is an error for all of them together, before anything is written.
 */
export async function getFileStatuses(files: readonly GeneratedFile[]): Promise<{ file: GeneratedFile; status: FileStatus }[]> {
  const problems: Problem[] = [];
  const statuses = await Promise.all(
    files.map(async (file) => {
      let stat: Stats;
      try {
        stat = await fs.lstat(file.path);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        const blocked = code === "ENOENT" || code === "ENOTDIR" ? await findNonFolderAncestor(path.dirname(file.path)) : undefined;
        if (blocked !== undefined) problems.push(outputProblem(file.path, `\`${blocked}\` is not a folder`));
        else if (code !== "ENOENT") problems.push(outputProblem(file.path, describeError(error)));
        return { file, status: "missing" as const };
      }
      if (!stat.isFile()) {
        problems.push(outputProblem(file.path, `it exists and is ${describeFileKind(stat)}; covenant writes only regular files (and never through a link)`));
        return undefined;
      }
      const current = await fs.readFile(file.path);
      return { file, status: current.equals(Buffer.from(file.content, "utf8")) ? ("unchanged" as const) : ("changed" as const) };
    }),
  );
  if (problems.length > 0) throw new CovenantError(problems);
  return statuses.filter((s) => s !== undefined);
}

/**
 * Writes the files all or nothing, as far as a file system allows: first every file to a temporary
 * file beside its target (creating folders as needed, content flushed to disk), and only when all of
 * them are written, each is renamed over its target, so a reader never sees half a file. A file that
 * cannot be written is an error naming it, and no target has changed then. Sequential: the order of
 * writes is deterministic.
 */
export async function writeFilesAtomic(files: readonly GeneratedFile[]): Promise<void> {
  const temps: { temp: string; target: string }[] = [];
  try {
    for (const file of files) {
      const temp = `${file.path}.${randomBytes(4).toString("hex")}.tmp`;
      try {
        await fs.mkdir(path.dirname(file.path), { recursive: true });
        const handle = await fs.open(temp, "wx", 0o644);
        temps.push({ temp, target: file.path });
        try {
          await handle.writeFile(file.content, "utf8");
          await handle.sync();
        } finally {
          await handle.close();
        }
      } catch (error) {
        throw new CovenantError(outputProblem(file.path, describeError(error)));
      }
    }
  } catch (error) {
    await Promise.all(temps.map(({ temp }) => fs.rm(temp, { force: true })));
    throw error;
  }
  for (const { temp, target } of temps) await fs.rename(temp, target);
}

function outputProblem(file: string, reason: string): Problem {
  return {
    code: "generate-output",
    file,
    line: 0,
    column: 0,
    message: `cannot write this generated file: ${reason}. Choose another output folder (--out-dir or generate.outDir), or move what is in the way. Nothing was written.`,
  };
}

/** The nearest existing ancestor of `dir` when it is not a folder (then no file can be made below it). */
async function findNonFolderAncestor(dir: string): Promise<string | undefined> {
  for (let current = dir; ; current = path.dirname(current)) {
    try {
      return (await fs.stat(current)).isDirectory() ? undefined : current;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOTDIR") continue;
      if ((error as NodeJS.ErrnoException).code !== "ENOENT" || path.dirname(current) === current) return undefined;
    }
  }
}

function describeError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === "ENAMETOOLONG") return "its name is too long for the file system";
  if (code === "ENOTDIR") return "a folder on its path is a file";
  if (code === "EACCES" || code === "EPERM") return "permission denied";
  if (code === "EROFS") return "the file system is read-only";
  if (code === "ENOSPC") return "no space left on the device";
  if (code === "EEXIST") return "a file is in the way of a folder on its path";
  return error instanceof Error ? error.message : String(error);
}

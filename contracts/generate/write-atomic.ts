import fs from "node:fs/promises";
import { mkdirSync } from "node:fs";
import path from "node:path";
import { CovenantError, type Problem } from "../../common/errors.js";
import { checkWritable, UnsafeFileError, writeFileNoFollow } from "../../common/safe-fs.js";

/** A file to generate: absolute path and exact bytes (UTF-8). */
export interface GeneratedFile {
  path: string;
  content: string;
}

export type FileStatus = "unchanged" | "changed" | "missing";

/** Compares each file with what is on disk (byte for byte); reads only, and only regular files (never a FIFO, nor through a link). */
export async function getFileStatuses(files: readonly GeneratedFile[]): Promise<{ file: GeneratedFile; status: FileStatus }[]> {
  return Promise.all(
    files.map(async (file) => {
      let current: Buffer;
      try {
        if (!(await fs.lstat(file.path)).isFile()) return { file, status: "changed" as const };
        current = await fs.readFile(file.path);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "ENOENT") return { file, status: "missing" as const };
        throw error;
      }
      return { file, status: current.equals(Buffer.from(file.content, "utf8")) ? ("unchanged" as const) : ("changed" as const) };
    }),
  );
}

/**
 * Writes each file atomically (temp file in the same folder, fsync, rename), creating folders as
 * needed, so a reader never sees half a file. Sequential: the order of writes is deterministic.
 * A symbolic link, FIFO or device node where a generated file goes is refused, for all files before
 * any is written: covenant never writes through a link (a planted `gen/x.md -> ../../victim` must
 * not overwrite a file outside the project).
 */
export async function writeFilesAtomic(files: readonly GeneratedFile[]): Promise<void> {
  const problems: Problem[] = [];
  for (const file of files) {
    try {
      if (checkWritable(file.path) === "special") throw new UnsafeFileError("it is a FIFO or device node, not a regular file", "Remove it: covenant writes a regular file in its place.");
    } catch (error) {
      if (!(error instanceof UnsafeFileError)) throw error;
      problems.push({ code: "generate-unsafe-output", file: file.path, line: 0, column: 0, message: `Cannot write a generated file here: ${error.message}. ${error.fix}` });
    }
  }
  if (problems.length > 0) throw new CovenantError(problems);
  for (const file of files) {
    mkdirSync(path.dirname(file.path), { recursive: true });
    writeFileNoFollow(file.path, file.content);
  }
}

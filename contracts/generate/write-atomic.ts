import fs from "node:fs/promises";
import path from "node:path";
import writeFileAtomic from "write-file-atomic";

/** A file to generate: absolute path and exact bytes (UTF-8). */
export interface GeneratedFile {
  path: string;
  content: string;
}

export type FileStatus = "unchanged" | "changed" | "missing";

/** Compares each file with what is on disk (byte for byte); reads only. */
export async function getFileStatuses(files: readonly GeneratedFile[]): Promise<{ file: GeneratedFile; status: FileStatus }[]> {
  return Promise.all(
    files.map(async (file) => {
      let current: Buffer;
      try {
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
 */
export async function writeFilesAtomic(files: readonly GeneratedFile[]): Promise<void> {
  for (const file of files) {
    await fs.mkdir(path.dirname(file.path), { recursive: true });
    await writeFileAtomic(file.path, file.content, { encoding: "utf8" });
  }
}

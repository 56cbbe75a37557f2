import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

// Windows has neither flag, whatever @types/node says: 0 leaves the open as it is.
const { O_NONBLOCK = 0, O_NOFOLLOW = 0 } = fs.constants as Partial<typeof fs.constants>;

/**
 * Reading and writing the files covenant is pointed at, with hostile input in mind (docs/security.md):
 * reads take only regular files up to a size limit (a FIFO would block forever, /dev/zero would fill
 * memory), and writes never go through a symbolic link (a link planted in an output folder must not
 * make covenant overwrite a file elsewhere).
 */

/** The most covenant reads of a config or contract file: far above any real one, far below what exhausts memory. */
export const MAX_INPUT_FILE_BYTES = 16 * 1024 * 1024;
/**
 * The most covenant reads of a baseline: an entry is 200-300 bytes, so this holds over a million;
 * V8's longest string (~512 Mi characters) is the hard ceiling.
 */
export const MAX_BASELINE_FILE_BYTES = 384 * 1024 * 1024;

/** A file covenant refuses to read or write; the message says why (`it is a FIFO, not a regular file`). */
export class UnsafeFileError extends Error {
  override name = "UnsafeFileError";
  constructor(
    message: string,
    /** What the user can do about it. */
    readonly fix: string,
  ) {
    super(message);
  }
}

/** What a path is when it is not a regular file, for messages: "a symbolic link", "a named pipe (FIFO)", ... */
export function describeFileKind(stat: fs.Stats): string {
  if (stat.isSymbolicLink()) return "a symbolic link";
  if (stat.isDirectory()) return "a folder";
  if (stat.isFIFO()) return "a named pipe (FIFO)";
  if (stat.isSocket()) return "a socket";
  if (stat.isCharacterDevice()) return "a character device";
  if (stat.isBlockDevice()) return "a block device";
  return "a special file";
}

function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MiB` : `${bytes} bytes`;
}

const isDirError = () => Object.assign(new Error("EISDIR: illegal operation on a directory"), { code: "EISDIR" });

/**
 * Reads `file` as UTF-8 when it is a regular file of at most `maxBytes`; otherwise throws an
 * UnsafeFileError saying why (or the fs error: ENOENT, EACCES, EISDIR). Never blocks on a FIFO.
 */
export function readRegularFile(file: string, maxBytes: number): string {
  return readRegularFileBytes(file, maxBytes).toString("utf8");
}

/** readRegularFile's bytes, undecoded. */
export function readRegularFileBytes(file: string, maxBytes: number): Buffer {
  // O_NONBLOCK: opening a FIFO for reading returns at once instead of waiting for a writer.
  const fd = fs.openSync(file, fs.constants.O_RDONLY | O_NONBLOCK);
  try {
    const stat = fs.fstatSync(fd);
    if (stat.isDirectory()) throw isDirError();
    if (!stat.isFile()) throw new UnsafeFileError(`it is ${describeFileKind(stat)}, not a regular file`, "Pass the path of a regular file.");
    const tooLarge = (size: number) =>
      new UnsafeFileError(`it is larger than ${formatBytes(maxBytes)} (${formatBytes(size)}), covenant's limit for this file`, "Pass a smaller file.");
    if (stat.size > maxBytes) throw tooLarge(stat.size);
    // The size may be 0 for files that are generated on read (/proc): read until the end, within the limit.
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(Math.min(Math.max(stat.size - total, 64 * 1024), maxBytes + 1 - total));
      const read = fs.readSync(fd, chunk, 0, chunk.length, null);
      if (read === 0) break;
      chunks.push(chunk.subarray(0, read));
      total += read;
      if (total > maxBytes) throw tooLarge(total);
    }
    return Buffer.concat(chunks, total);
  } finally {
    fs.closeSync(fd);
  }
}

function symlinkError(file: string): UnsafeFileError {
  return new UnsafeFileError(
    `it is a symbolic link (to ${fs.readlinkSync(file)}), and covenant never writes through a link`,
    "Remove the link (covenant then writes a file in its place), or write to the file it points to.",
  );
}

export interface WriteOptions {
  /**
   * Accept a symbolic link that leads to a stream (a FIFO or character device: `/dev/stdout`,
   * `/dev/fd/N` from a shell's `>(...)`), written in place. Only for a path the user typed (`-o`):
   * a link to a regular file or a block device is refused all the same.
   */
  linkToStream?: boolean;
}

/**
 * Throws UnsafeFileError when `file` is a symbolic link or a socket, EISDIR when a folder: what
 * writeFileNoFollow would refuse, checked before the work that produces the text. Returns how it
 * would be written (`special`: a FIFO or device node, written in place), `undefined` when absent.
 */
export function checkWritable(file: string, options: WriteOptions = {}): "regular" | "special" | undefined {
  let stat: fs.Stats;
  try {
    stat = fs.lstatSync(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
  if (stat.isSymbolicLink()) {
    const target = options.linkToStream ? statOrUndefined(file) : undefined;
    if (target && (target.isFIFO() || target.isCharacterDevice())) return "special";
    throw symlinkError(file);
  }
  if (stat.isDirectory()) throw isDirError();
  if (stat.isSocket()) throw new UnsafeFileError("it is a socket, not a file", "Pass the path of a regular file.");
  return stat.isFile() ? "regular" : "special";
}

function statOrUndefined(file: string): fs.Stats | undefined {
  try {
    return fs.statSync(file);
  } catch {
    return undefined;
  }
}

function writeAll(fd: number, text: string): void {
  const bytes = Buffer.from(text, "utf8");
  for (let offset = 0; offset < bytes.length;) offset += fs.writeSync(fd, bytes, offset, bytes.length - offset);
}

/**
 * Writes `text` to `file` without ever writing through a symbolic link:
 * - a symbolic link at `file` is refused (UnsafeFileError), whatever it points to;
 * - a regular file (or none) is replaced atomically: a temporary file in the same folder, fsync,
 *   rename over `file` (a rename replaces a link planted meanwhile; it never follows it);
 *   an existing file keeps its permission bits;
 * - a FIFO or device node (`-o /dev/null`) is written in place, as a shell redirection would:
 *   replacing it with a regular file would break it.
 * The folder must exist. fs errors (EACCES, EISDIR, ENOENT...) are thrown as they are.
 */
export function writeFileNoFollow(file: string, text: string, options: WriteOptions = {}): void {
  const kind = checkWritable(file, options);
  if (kind === "special") {
    const noFollow = options.linkToStream ? 0 : O_NOFOLLOW;
    const fd = fs.openSync(file, fs.constants.O_WRONLY | fs.constants.O_TRUNC | noFollow);
    try {
      writeAll(fd, text);
    } finally {
      fs.closeSync(fd);
    }
    return;
  }
  const existing = kind === "regular" ? fs.statSync(file) : undefined;
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
  const flags = fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL | O_NOFOLLOW;
  const fd = fs.openSync(temp, flags, existing ? existing.mode & 0o7777 : 0o666);
  try {
    try {
      if (existing) fs.fchmodSync(fd, existing.mode & 0o7777);
      writeAll(fd, text);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(temp, file);
  } catch (error) {
    fs.rmSync(temp, { force: true });
    throw error;
  }
}

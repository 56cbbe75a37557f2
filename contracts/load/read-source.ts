import fs from "node:fs";
import type { SourcePosition } from "../model.js";
import { describeFileKind } from "../../common/safe-fs.js";

/**
 * The largest contract or referenced schema file covenant reads. The bundled contract is 12 KB, and a
 * contract with 10,000 events about 5 MB; a file beyond this is not a contract someone wrote.
 */
export const MAX_SOURCE_BYTES = 64 * 1024 * 1024;

/** A file that cannot be read as contract text; `position` is set when the problem is at a place in it. */
export class SourceReadError extends Error {
  constructor(
    readonly reason: string,
    readonly position?: SourcePosition,
  ) {
    super(reason);
    this.name = "SourceReadError";
  }
}

/**
 * Reads a contract or schema file as UTF-8 text: only a regular file (a FIFO, a device or a socket
 * would block or never end), at most `MAX_SOURCE_BYTES`, and only valid UTF-8 (a Latin-1 file read
 * as UTF-8 silently turns its accents into U+FFFD). The file is opened without blocking and then
 * checked through its descriptor, so what is checked is what is read.
 */
export function readSourceFile(file: string): string {
  const fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  try {
    const stat = fs.fstatSync(fd);
    if (stat.isDirectory()) throw Object.assign(new Error(`EISDIR: illegal operation on a directory, read '${file}'`), { code: "EISDIR" });
    if (!stat.isFile()) throw new SourceReadError(`it is ${describeFileKind(stat)}, not a regular file`);
    if (stat.size > MAX_SOURCE_BYTES) throw new SourceReadError(`it is ${formatSize(stat.size)}, more than the ${formatSize(MAX_SOURCE_BYTES)} covenant reads`);
    return decodeSource(fs.readFileSync(fd));
  } finally {
    fs.closeSync(fd);
  }
}

/** The bytes as UTF-8 text, a leading byte order mark kept; a `SourceReadError` at the first invalid byte otherwise. */
export function decodeSource(bytes: Uint8Array): string {
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    throw invalidUtf8(bytes);
  }
}

/**
 * Where the first invalid sequence is. Up to it the lenient decoding is exact, so walking its code
 * points while counting their UTF-8 lengths finds the first U+FFFD that the bytes do not spell.
 */
function invalidUtf8(bytes: Uint8Array): SourceReadError {
  const text = new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes);
  let offset = 0;
  let line = 1;
  let column = 1;
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (offset === 0 && code === 0xfeff) {
      offset = 3; // a byte order mark: not part of the text positions count from
      continue;
    }
    if (code === 0xfffd && !(bytes[offset] === 0xef && bytes[offset + 1] === 0xbf && bytes[offset + 2] === 0xbd)) {
      const byte = bytes[offset]!.toString(16).toUpperCase().padStart(2, "0");
      return new SourceReadError(`byte 0x${byte} is not valid UTF-8 (a file saved as Latin-1 or another legacy encoding?)`, { line, column });
    }
    offset += code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
    if (ch === "\n") {
      line++;
      column = 1;
    } else {
      column += ch.length;
    }
  }
  return new SourceReadError("it is not valid UTF-8");
}

function formatSize(bytes: number): string {
  return `${Math.round(bytes / (1024 * 1024))} MB`;
}

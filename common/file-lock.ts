import fs from "node:fs";

/**
 * A lock beside a file (`<file>.lock`, created with O_EXCL, holding the owner's pid) for a
 * read-modify-write of that file by several processes at once (two `check --update-baseline` runs
 * on different files must both keep their entries). A lock whose process is gone, or older than
 * `staleMs`, is taken over. Synchronous: the analyzer's pipeline is.
 */
export interface LockOptions {
  /** How long to wait for another process's lock before giving up. */
  timeoutMs?: number;
  /** A lock older than this is abandoned (its process hung or is on another machine). */
  staleMs?: number;
}

/** Another process held the lock for longer than the timeout. */
export class LockTimeoutError extends Error {
  constructor(
    readonly lockFile: string,
    readonly holder: string,
  ) {
    super(`${lockFile} is held by process ${holder || "?"}`);
  }
}

const sleep = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

function isAbandoned(lockFile: string, staleMs: number): { abandoned: boolean; holder: string } {
  let holder = "";
  try {
    holder = fs.readFileSync(lockFile, "utf8").trim();
    if (Date.now() - fs.statSync(lockFile).mtimeMs > staleMs) return { abandoned: true, holder };
  } catch {
    return { abandoned: false, holder }; // gone meanwhile: try again
  }
  const pid = Number(holder);
  if (!Number.isInteger(pid) || pid <= 0) return { abandoned: false, holder }; // being written: wait
  try {
    process.kill(pid, 0);
    return { abandoned: false, holder };
  } catch (error) {
    return { abandoned: (error as NodeJS.ErrnoException).code === "ESRCH", holder };
  }
}

/** Runs `fn` holding `<file>.lock`; throws LockTimeoutError when another live process holds it past the timeout. */
export function withFileLock<T>(file: string, fn: () => T, options: LockOptions = {}): T {
  const lockFile = `${file}.lock`;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const staleMs = options.staleMs ?? 5 * 60_000;
  const deadline = Date.now() + timeoutMs;
  for (let wait = 10; ; wait = Math.min(wait * 2, 200)) {
    try {
      const fd = fs.openSync(lockFile, "wx", 0o644);
      try {
        fs.writeSync(fd, `${process.pid}\n`);
      } finally {
        fs.closeSync(fd);
      }
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    const { abandoned, holder } = isAbandoned(lockFile, staleMs);
    if (abandoned) {
      fs.rmSync(lockFile, { force: true });
      continue;
    }
    if (Date.now() > deadline) throw new LockTimeoutError(lockFile, holder);
    sleep(wait);
  }
  try {
    return fn();
  } finally {
    fs.rmSync(lockFile, { force: true });
  }
}

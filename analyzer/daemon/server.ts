import fs from "node:fs";
import net from "node:net";
import { CovenantError } from "../../common/errors.js";
import path from "node:path";
import { runCheck, startTs7Session } from "../engine/run-check.js";
import type { Ts7Session } from "../engine/ts7/api.js";
import { ProgramCache } from "../project/program-cache.js";
import { type DaemonRequest, type DaemonResponse, getIdleMs, PROTOCOL_VERSION } from "./protocol.js";

/** The longest request accepted (a line of JSON; thousands of paths fit): more is an error, not a growing buffer. */
const MAX_REQUEST_CHARS = 4 * 1024 * 1024;
/** At most one heartbeat a second, sent between files while a run goes on. */
const HEARTBEAT_MS = 1000;

/**
 * The daemon behind `covenant check --daemon`: one process per user and covenant build, listening on
 * a socket, running one check at a time with a ProgramCache, so a run after a small edit parses only
 * the edited files. Started by the first client that finds no daemon; exits after an idle period.
 */
export function serve(socketPath: string): void {
  let cache = new ProgramCache();
  /** One TypeScript 7 compiler process per tsconfig checked on the ts7 engine: it keeps its parsed files between runs. */
  const ts7Sessions = new Map<string, Ts7Session>();
  const ts7Session = (tsconfig: string): Ts7Session => {
    let session = ts7Sessions.get(tsconfig);
    if (!session || session.closed) ts7Sessions.set(tsconfig, (session = startTs7Session(path.dirname(tsconfig))));
    return session;
  };
  let queue = Promise.resolve();
  const idleMs = getIdleMs();
  let timer = setTimeout(stop, idleMs);
  /** Connections with a request in the queue: each gets a heartbeat (an empty line) while runs go on. */
  const waiting = new Set<net.Socket>();
  let lastBeat = 0;
  const beat = (): void => {
    const now = Date.now();
    if (now - lastBeat < HEARTBEAT_MS) return;
    lastBeat = now;
    for (const socket of waiting) socket.write("\n");
  };

  const server = net.createServer((socket) => {
    let buffer = "";
    socket.setEncoding("utf8");
    socket.on("error", () => socket.destroy());
    socket.on("close", () => waiting.delete(socket));
    socket.on("data", (chunk: string) => {
      if (waiting.has(socket)) return; // one request per connection: the rest is ignored
      buffer += chunk;
      const end = buffer.indexOf("\n");
      if (end < 0) {
        // A request without its newline is not kept growing: answer and close.
        if (buffer.length > MAX_REQUEST_CHARS) {
          buffer = "";
          socket.end(`${JSON.stringify({ ok: false, internal: `the request is longer than ${MAX_REQUEST_CHARS} characters without a newline` })}\n`);
        }
        return;
      }
      const line = buffer.slice(0, end);
      buffer = "";
      waiting.add(socket);
      // The heartbeat tells the client at once that a live daemon has its request (it may wait in the queue).
      socket.write("\n");
      queue = queue.then(() => {
        clearTimeout(timer);
        const response = handle(line, beat);
        // An unexpected failure may have left half-built state behind: start the next run afresh.
        if (!response.ok && "internal" in response) cache = new ProgramCache();
        timer = setTimeout(stop, idleMs);
        waiting.delete(socket);
        // A client that gave up meanwhile (its timeout) must not hold the queue.
        if (socket.destroyed) return undefined;
        return new Promise<void>((resolve) => {
          socket.once("close", () => resolve());
          socket.end(`${JSON.stringify(response)}\n`, () => resolve());
        });
      });
    });
  });

  function handle(line: string, onProgress: () => void): DaemonResponse {
    try {
      const request = JSON.parse(line) as DaemonRequest;
      const protocol: unknown = request.protocol; // from another process: maybe another version
      if (protocol !== PROTOCOL_VERSION) return { ok: false, internal: `protocol ${String(protocol)} is not ${PROTOCOL_VERSION}` };
      // Runs are one at a time, so the process may move to the client's folder: what reads
      // process.cwd() (paths shown in messages) sees what it sees in the CLI's own process.
      process.chdir(request.cwd);
      // `auto` is ts6 here: a warm run after a one-file edit is faster on ts6 (docs/performance.md).
      return { ok: true, report: runCheck({ ...request.options, cwd: request.cwd, programCache: cache, ts7Session, autoEngine: "ts6", onProgress }) };
    } catch (error) {
      if (error instanceof CovenantError) return { ok: false, problems: error.problems };
      return { ok: false, internal: error instanceof Error ? (error.stack ?? error.message) : String(error) };
    }
  }

  function stop(): void {
    server.close();
    for (const session of ts7Sessions.values()) session.close();
    if (process.platform !== "win32") fs.rmSync(socketPath, { force: true });
    process.exit(0);
  }

  // A daemon whose socket is gone (its folder cleaned up) can never be reached again: it exits.
  if (process.platform !== "win32") {
    setInterval(() => {
      if (server.listening && !fs.existsSync(socketPath)) stop();
    }, 2000).unref();
  }

  server.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code !== "EADDRINUSE") process.exit(1);
    // Someone holds the socket: a live daemon (then this one is not needed) or a stale file.
    const probe = net.connect(socketPath);
    probe.on("connect", () => process.exit(0));
    probe.on("error", () => {
      fs.rmSync(socketPath, { force: true });
      server.listen(socketPath);
    });
  });
  server.listen(socketPath);
}

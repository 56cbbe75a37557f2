import { spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { CovenantError } from "../../common/errors.js";
import type { Report } from "../engine/report.js";
import { type DaemonRequest, type DaemonResponse, getSocketPath, PROTOCOL_VERSION } from "./protocol.js";

/** The daemon could not be reached or gave no answer: the caller checks in its own process instead. */
export class DaemonUnavailableError extends Error {}

const START_TIMEOUT_MS = 15_000;

/** How long the client waits for a byte from the daemon (it sends a heartbeat while it works); `COVENANT_DAEMON_TIMEOUT_MS` overrides it. */
function getAnswerTimeoutMs(): number {
  const value = Number(process.env.COVENANT_DAEMON_TIMEOUT_MS);
  return Number.isFinite(value) && value > 0 ? value : 60_000;
}

/**
 * Runs `covenant check` in the daemon (starting it when none answers) and returns its report, or
 * throws the CovenantError it raised; DaemonUnavailableError when there is no daemon to be had.
 * Nothing is sent before the socket is known to be this user's (see checkDaemonFolder).
 */
export async function runCheckInDaemon(request: Omit<DaemonRequest, "protocol">): Promise<Report> {
  const socketPath = getSocketPath();
  const message = `${JSON.stringify({ protocol: PROTOCOL_VERSION, ...request })}\n`;
  checkDaemonFolder(path.dirname(socketPath));
  let response: DaemonResponse | undefined;
  try {
    response = await send(socketPath, message);
  } catch (error) {
    if (!isNotListening(error)) throw error;
    startDaemon(socketPath);
    response = await sendWhenUp(socketPath, message);
  }
  if (response.ok) return response.report;
  if ("problems" in response) throw new CovenantError(response.problems);
  throw new DaemonUnavailableError(`the daemon failed: ${response.internal.split("\n")[0]!}`);
}

const isNotListening = (error: unknown) => ["ENOENT", "ECONNREFUSED"].includes((error as NodeJS.ErrnoException).code ?? "");

/**
 * The trust model of the daemon (docs/security.md): its socket lives in a folder that only this
 * user can enter (owned by this user, mode 0700, a real folder and not a link), so no other user
 * can put a socket there; the socket itself must be a socket owned by this user. Node cannot ask
 * the kernel who listens on a Unix socket (SO_PEERCRED), so the owner of the socket file stands for
 * the peer: in a private folder only this user (or root) can have created it. Creates the folder
 * when it is missing; throws DaemonUnavailableError when it or the socket fails a check.
 */
function checkDaemonFolder(dir: string): void {
  if (process.platform === "win32" || typeof process.getuid !== "function") return;
  const uid = process.getuid();
  let stat = lstatOrUndefined(dir);
  if (!stat) {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    stat = fs.lstatSync(dir);
  }
  if (!stat.isDirectory() || stat.uid !== uid || (stat.mode & 0o077) !== 0) {
    const what = stat.isSymbolicLink()
      ? "a symbolic link"
      : !stat.isDirectory()
        ? "not a folder"
        : stat.uid !== uid
          ? `owned by uid ${stat.uid}`
          : `mode ${(stat.mode & 0o777).toString(8)}`;
    throw new DaemonUnavailableError(`${dir} is not a private folder of this user (${what}); set COVENANT_DAEMON_DIR to one`);
  }
}

function checkSocket(socketPath: string): void {
  if (process.platform === "win32" || typeof process.getuid !== "function") return;
  const stat = lstatOrUndefined(socketPath);
  if (stat && (!stat.isSocket() || stat.uid !== process.getuid())) {
    throw new DaemonUnavailableError(`${socketPath} is not a socket of this user (${stat.isSocket() ? `owned by uid ${stat.uid}` : "not a socket"})`);
  }
}

function lstatOrUndefined(file: string): fs.Stats | undefined {
  try {
    return fs.lstatSync(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new DaemonUnavailableError(`cannot inspect ${file} (${(error as Error).message})`);
  }
}

/** One request on one connection: the answer is the first non-empty line (empty lines are the daemon's heartbeat). */
function send(socketPath: string, message: string): Promise<DaemonResponse> {
  checkSocket(socketPath);
  const timeoutMs = getAnswerTimeoutMs();
  return new Promise((resolve, reject) => {
    const socket = net.connect(socketPath);
    let data = "";
    socket.setEncoding("utf8");
    // A stopped or wedged daemon accepts the connection and then says nothing: give up on silence.
    socket.setTimeout(timeoutMs, () => {
      socket.destroy();
      reject(new DaemonUnavailableError(`the daemon sent nothing for ${timeoutMs / 1000} s`));
    });
    socket.on("connect", () => socket.write(message));
    socket.on("data", (chunk: string) => {
      data += chunk;
    });
    socket.on("error", reject);
    socket.on("close", () => {
      const line = data.split("\n").find((l) => l !== "");
      if (!line) return reject(new DaemonUnavailableError("the daemon closed the connection without an answer"));
      try {
        resolve(JSON.parse(line) as DaemonResponse);
      } catch {
        reject(new DaemonUnavailableError("the daemon's answer is not JSON"));
      }
    });
  });
}

async function sendWhenUp(socketPath: string, message: string): Promise<DaemonResponse> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    try {
      return await send(socketPath, message);
    } catch (error) {
      if (error instanceof DaemonUnavailableError) throw error;
      if (!isNotListening(error) || Date.now() > deadline)
        throw new DaemonUnavailableError(`no daemon answered on ${socketPath} (${(error as Error).message})`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

/** Starts the daemon detached from this process (it outlives it), in the folder checkDaemonFolder vetted. */
function startDaemon(socketPath: string): void {
  const entry = path.join(import.meta.dirname, "..", "..", "bin", "covenant-daemon.js");
  const child = spawn(process.execPath, [entry, socketPath], { detached: true, stdio: "ignore", cwd: path.dirname(entry) });
  child.unref();
}

import { spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { CovenantError } from "../../common/errors.js";
import type { Report } from "../engine/report.js";
import { type DaemonRequest, type DaemonResponse, getDaemonDir, getSocketPath, PROTOCOL_VERSION } from "./protocol.js";

/** The daemon could not be reached or gave no answer: the caller checks in its own process instead. */
export class DaemonUnavailableError extends Error {}

const START_TIMEOUT_MS = 15_000;

/**
 * Runs `covenant check` in the daemon (starting it when none answers) and returns its report, or
 * throws the CovenantError it raised; DaemonUnavailableError when there is no daemon to be had.
 */
export async function runCheckInDaemon(request: Omit<DaemonRequest, "protocol">): Promise<Report> {
  const socketPath = getSocketPath();
  const message = `${JSON.stringify({ protocol: PROTOCOL_VERSION, ...request })}\n`;
  let response: DaemonResponse | undefined;
  try {
    response = await send(socketPath, message);
  } catch {
    startDaemon(socketPath);
    response = await sendWhenUp(socketPath, message);
  }
  if (response.ok) return response.report;
  if ("problems" in response) throw new CovenantError(response.problems);
  throw new DaemonUnavailableError(`the daemon failed: ${response.internal.split("\n")[0]}`);
}

function send(socketPath: string, message: string): Promise<DaemonResponse> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(socketPath);
    let data = "";
    socket.setEncoding("utf8");
    socket.on("connect", () => socket.write(message));
    socket.on("data", (chunk: string) => {
      data += chunk;
    });
    socket.on("error", reject);
    socket.on("close", () => {
      const line = data.split("\n")[0];
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
      const code = (error as NodeJS.ErrnoException).code;
      const notUpYet = code === "ENOENT" || code === "ECONNREFUSED";
      if (!notUpYet || Date.now() > deadline) throw new DaemonUnavailableError(`no daemon answered on ${socketPath} (${(error as Error).message})`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

/** Starts the daemon detached from this process (it outlives it), with a folder only this user can enter. */
function startDaemon(socketPath: string): void {
  if (process.platform !== "win32") {
    const dir = getDaemonDir();
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const stat = fs.statSync(dir);
    if (typeof process.getuid === "function" && (stat.uid !== process.getuid() || (stat.mode & 0o077) !== 0)) {
      throw new DaemonUnavailableError(`${dir} is not a private folder of this user; set COVENANT_DAEMON_DIR to one`);
    }
  }
  const entry = path.join(import.meta.dirname, "..", "..", "bin", "covenant-daemon.js");
  const child = spawn(process.execPath, [entry, socketPath], { detached: true, stdio: "ignore", cwd: path.dirname(entry) });
  child.unref();
}

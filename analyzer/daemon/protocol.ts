import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Problem } from "../../common/errors.js";
import type { Report } from "../engine/report.js";

/**
 * `covenant check --daemon`: the client (the CLI) sends one request per connection, a line of JSON,
 * and the daemon answers with one line of JSON: the run's report, or the user errors it raised, or
 * an internal error. Before it, and while the run goes on, it sends empty lines (a heartbeat), so a
 * client can tell a busy daemon from a stopped one. The client renders the report itself, so both
 * paths print the same bytes.
 */
export interface DaemonRequest {
  protocol: typeof PROTOCOL_VERSION;
  cwd: string;
  options: {
    project?: string;
    config?: string;
    paths?: string[];
    rules?: string[];
    baseline?: string;
    updateBaseline?: boolean;
    changed?: string;
    engine?: "auto" | "ts6" | "ts7";
  };
}

export type DaemonResponse = { ok: true; report: Report } | { ok: false; problems: Problem[] } | { ok: false; internal: string };

export const PROTOCOL_VERSION = 2;

/** How long an idle daemon stays up (ms); `COVENANT_DAEMON_IDLE_MS` overrides it. */
export function getIdleMs(): number {
  const value = Number(process.env.COVENANT_DAEMON_IDLE_MS);
  return Number.isFinite(value) && value > 0 ? value : 15 * 60 * 1000;
}

/**
 * The daemon's socket: one per user and per build of covenant (its folder, version and the daemon
 * module's modification time, so a rebuilt or upgraded covenant never talks to an old daemon). It
 * lives in a folder only this user may enter (`COVENANT_DAEMON_DIR`, default `<tmp>/covenant-<uid>`).
 */
export function getSocketPath(): string {
  const serverModule = path.join(import.meta.dirname, "server.js");
  let stamp = "";
  try {
    stamp = String(fs.statSync(serverModule).mtimeMs);
  } catch {
    // Running from sources (tests): the folder identifies the build.
  }
  const hash = createHash("sha256")
    .update(`${import.meta.dirname}\0${stamp}\0${process.version}\0${PROTOCOL_VERSION}`)
    .digest("hex")
    .slice(0, 16);
  if (process.platform === "win32") return `\\\\.\\pipe\\covenant-${hash}`;
  return path.join(getDaemonDir(), `${hash}.sock`);
}

export function getDaemonDir(): string {
  const uid = typeof process.getuid === "function" ? process.getuid() : os.userInfo().username;
  return process.env.COVENANT_DAEMON_DIR ?? path.join(os.tmpdir(), `covenant-${uid}`);
}

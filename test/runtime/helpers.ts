import { WebSocket } from "ws";
import { createAgentWebsocketRunMonitor, type AgentWebsocketRunViolation } from "../../examples/agent-server/src/generated/agent-websocket.lifecycle.js";
import { parseAgentWebsocketMessage } from "../../examples/agent-server/src/generated/agent-websocket.validators.js";

export interface RunRequest {
  readonly run_id: string;
  readonly events: number;
  readonly agent_name?: string;
}

export interface ClientOptions {
  readonly token: string;
  readonly runs?: readonly RunRequest[];
  /** Frames to send in the open tick instead of (or, with `runs`, after) auth + start_run. */
  readonly frames?: readonly (string | Buffer)[];
  /** Send no auth (the frames decide). */
  readonly skipAuth?: boolean;
  /** Called when the WebSocket handshake completed (before anything is sent). */
  readonly onOpen?: () => void;
  /** Called once every run completed. */
  readonly onCompleted?: () => void;
  /** Awaited after the last agent_completed, before the client closes (keeps connections open together). */
  readonly holdOpen?: Promise<void>;
  /** The client gives up (terminates) after this long. */
  readonly timeoutMs?: number;
}

export interface ClientResult {
  /** Every contract message as received (JSON text), in order. */
  readonly texts: string[];
  /** Messages that failed the generated validator. */
  readonly invalid: string[];
  readonly protocolErrors: { code: number; reason: string; message: string }[];
  readonly violations: AgentWebsocketRunViolation[];
  readonly completedRuns: number;
  readonly closeCode: number;
  readonly closeReason: string;
  readonly timedOut: boolean;
  /** An error on the client socket (e.g. the connection failed). */
  readonly error: string | undefined;
}

/**
 * A real `ws` client: on `open` it sends, in that same tick, auth then one start_run per run (or the
 * given frames); it validates every message with the generated validator and feeds the run monitor;
 * it closes (1000) once every run completed, and resolves on close.
 */
export function runClient(url: string, options: ClientOptions): Promise<ClientResult> {
  const runs = options.runs ?? [];
  const timeoutMs = options.timeoutMs ?? 20_000;
  const texts: string[] = [];
  const invalid: string[] = [];
  const protocolErrors: ClientResult["protocolErrors"] = [];
  const monitor = createAgentWebsocketRunMonitor();
  let completedRuns = 0;
  let timedOut = false;
  let error: string | undefined;

  return new Promise((resolve) => {
    const socket = new WebSocket(url);
    const timer = setTimeout(() => {
      timedOut = true;
      socket.terminate();
    }, timeoutMs);
    socket.on("open", () => {
      options.onOpen?.();
      if (options.skipAuth !== true) socket.send(JSON.stringify({ type: "auth", data: { token: options.token } }));
      for (const run of runs) {
        socket.send(JSON.stringify({ type: "start_run", data: { run_id: run.run_id, agent_name: run.agent_name ?? "tester", events: run.events } }));
      }
      for (const frame of options.frames ?? []) socket.send(frame);
    });
    socket.on("message", (data, isBinary) => {
      const text = isBinary ? "<binary>" : (data as Buffer).toString(); // ws gives text frames as a Buffer
      const value = safeJson(text) as { type?: unknown; data?: { code: number; reason: string; message: string } } | undefined;
      if (value?.type === "protocol_error" && value.data !== undefined) {
        protocolErrors.push(value.data);
        return;
      }
      const parsed = parseAgentWebsocketMessage(value);
      if (!parsed.success) {
        invalid.push(`${text}: ${parsed.error.message}`);
        return;
      }
      texts.push(text);
      monitor.observe(parsed.data);
      if (parsed.data.type === "agent_completed") {
        completedRuns += 1;
        if (completedRuns === runs.length) {
          options.onCompleted?.();
          void (options.holdOpen ?? Promise.resolve()).then(() => socket.close(1000, "done"));
        }
      }
    });
    socket.on("error", (e) => {
      error = e.message;
    });
    socket.on("close", (code, reason) => {
      clearTimeout(timer);
      resolve({
        texts,
        invalid,
        protocolErrors,
        violations: monitor.violations(),
        completedRuns,
        closeCode: code,
        closeReason: reason.toString(),
        timedOut,
        error,
      });
    });
  });
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export interface Deferred<T = void> {
  readonly promise: Promise<T>;
  resolve(value: T): void;
}

export function createDeferred<T = void>(): Deferred<T> {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

/** Polls `condition` every 5 ms; throws after `timeoutMs` (bounded in time). */
export async function waitFor(what: string, condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** Records, per user, every event the server's agents handed to the guard (JSON text, emit order). */
export function createEmitLog(): {
  readonly byUser: Map<string, string[]>;
  onEmit: (session: { readonly user: string | undefined }, message: unknown) => void;
} {
  const byUser = new Map<string, string[]>();
  return {
    byUser,
    onEmit(session, message) {
      const key = session.user ?? "?";
      let list = byUser.get(key);
      if (list === undefined) byUser.set(key, (list = []));
      list.push(JSON.stringify(message));
    },
  };
}

/** A token -> user table: `token-<i>` authenticates `user-<i>`. */
export function tokenFor(i: number): string {
  return `token-${i}`;
}

export function authenticateTestToken(token: string): string | undefined {
  const match = /^token-(\d+)$/.exec(token);
  return match === null ? undefined : `user-${match[1]}`;
}

import { WebSocket } from "ws";
import {
  createAgentRunsClient,
  createAgentRunsRunMonitor,
  type AgentRunsRunViolation,
} from "../../examples/agent-server/src/generated/agent-runs.lifecycle.js";

export interface RunRequest {
  readonly run_id: string;
  readonly events: number;
  readonly agent_name?: string;
}

export interface ClientOptions {
  readonly token: string;
  readonly runs?: readonly RunRequest[];
  /** Raw frames to send in the open tick, around the client endpoint, after auth + start_run (or instead, with `skipAuth`). */
  readonly frames?: readonly (string | Buffer)[];
  /**
   * Send the start_run requests raw in the open tick, right behind auth, instead of through the
   * client endpoint's queue (which waits for `authenticated`): the server's endpoint holds them.
   */
  readonly rawRuns?: boolean;
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
  /** Every agent event as received (JSON text), in order. */
  readonly texts: string[];
  /** Every client message the endpoint sent (JSON text), in order. */
  readonly sent: string[];
  /** Server messages the client endpoint refused (it then closed). */
  readonly invalid: string[];
  readonly protocolErrors: { code: number; reason: string; message: string }[];
  /** The server's `authenticated` arrived. */
  readonly authenticated: boolean;
  readonly violations: AgentRunsRunViolation[];
  readonly completedRuns: number;
  readonly closeCode: number;
  readonly closeReason: string;
  readonly timedOut: boolean;
  /** An error on the client socket (e.g. the connection failed). */
  readonly error: string | undefined;
}

/**
 * A real `ws` client speaking the contract through the generated client endpoint: on `open` it
 * emits, in that same tick, auth then one start_run per run (the endpoint queues the requests until
 * the server's `authenticated`), then sends the raw `frames`; every server message goes through the
 * endpoint's `receive` (validated, run monitor); it closes (1000) once every run completed.
 */
export function runClient(url: string, options: ClientOptions): Promise<ClientResult> {
  const runs = options.runs ?? [];
  const timeoutMs = options.timeoutMs ?? 20_000;
  const texts: string[] = [];
  const sent: string[] = [];
  const invalid: string[] = [];
  const protocolErrors: ClientResult["protocolErrors"] = [];
  const monitor = createAgentRunsRunMonitor();
  let authenticated = false;
  let completedRuns = 0;
  let timedOut = false;
  let error: string | undefined;

  return new Promise((resolve) => {
    const socket = new WebSocket(url);
    const client = createAgentRunsClient({
      send: (text) => {
        socket.send(text);
        sent.push(text);
      },
      close: (code, reason) => socket.close(code, reason),
      monitor,
    });
    const timer = setTimeout(() => {
      timedOut = true;
      socket.terminate();
    }, timeoutMs);
    socket.on("open", () => {
      options.onOpen?.();
      client.transition("accept");
      if (options.skipAuth !== true) client.emit("auth", { token: options.token });
      for (const run of runs) {
        const data = { run_id: run.run_id, agent_name: run.agent_name ?? "tester", events: run.events };
        if (options.rawRuns !== true) client.emit("start_run", data);
        else {
          const text = JSON.stringify({ type: "start_run", data });
          socket.send(text);
          sent.push(text);
        }
      }
      for (const frame of options.frames ?? []) socket.send(frame);
    });
    socket.on("message", (data, isBinary) => {
      const text = isBinary ? "<binary>" : (data as Buffer).toString(); // ws gives text frames as a Buffer
      const result = client.receive(isBinary ? "" : text);
      if (result.kind === "refused") {
        invalid.push(`${text}: ${result.reason}`);
        return;
      }
      if (result.kind !== "deliver") return;
      const message = result.message;
      if (message.type === "protocol_error") {
        protocolErrors.push(message.data);
        return;
      }
      if (message.type === "authenticated") {
        authenticated = true;
        return;
      }
      texts.push(text);
      if (message.type === "agent_completed") {
        completedRuns += 1;
        if (completedRuns === runs.length) {
          options.onCompleted?.();
          void (options.holdOpen ?? Promise.resolve()).then(() => client.close(1000, "done"));
        }
      }
    });
    socket.on("error", (e) => {
      error = e.message;
    });
    socket.on("close", (code, reason) => {
      clearTimeout(timer);
      client.close(code, reason.toString()); // stops the endpoint's auth timer
      resolve({
        texts,
        sent,
        invalid,
        protocolErrors,
        authenticated,
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

/** Records, per user, every event the server's agents handed to the endpoint (JSON text, emit order). */
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

/** Records, per user, every client message the server's endpoint delivered (JSON text, delivery order). */
export function createReceiveLog(): {
  readonly byUser: Map<string, string[]>;
  onReceive: (session: { readonly user: string | undefined; readonly id: number }, message: unknown) => void;
} {
  const byUser = new Map<string, string[]>();
  const byConnection = new Map<number, string[]>();
  return {
    byUser,
    onReceive(session, message) {
      // auth is delivered before the user is known: keep each connection's list, file it under the user once known.
      let list = byConnection.get(session.id);
      if (list === undefined) byConnection.set(session.id, (list = []));
      list.push(JSON.stringify(message));
      if (session.user !== undefined) byUser.set(session.user, list);
    },
  };
}

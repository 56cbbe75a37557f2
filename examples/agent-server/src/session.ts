/**
 * One client connection, driven by the generated server endpoint of the agent-runs contract
 * (`agent-runs.covenant.yaml`): it validates every client message, holds `start_run` until the
 * connection is authenticated, refuses what the contract refuses with the contract's close code,
 * closes on the contract's auth timeouts, and queues the agents' events until `processing_ready`.
 *
 * connecting --accept--> accepted --auth arrives--> authenticating --authenticated sent--> authenticated
 *   --services_ready--> services_ready --ready--> processing_ready --close--> closed
 *
 * What the session adds is the application: the token check, the services, the agents, back-pressure,
 * and the one rule the format cannot say (a `run_id` is used once per connection).
 */
import { setTimeout as sleep } from "node:timers/promises";
import { WebSocket, type RawData } from "ws";
import { runAgent, type EmitEvent } from "./agent.js";
import { createAgentRunsServer, type AgentRunsClientEventName, type AgentRunsServer } from "./generated/agent-runs.lifecycle.js";
import type { AgentRunsMessage, AgentRunsMessageOf, StartRunPayload } from "./generated/agent-runs.types.js";
import { parseAgentRunsMessage } from "./generated/agent-runs.validators.js";
import { quoteForLog } from "./log.js";

/**
 * The contract's `closeCodes` the server itself closes with (the endpoint closes with the others:
 * `invalid_message`, `auth_timeout`, `policy_violation`). The generated code does not export the
 * table yet; test/runtime/example-generated.test.ts checks this one against the contract.
 */
export const CloseCode = {
  normalClosure: 1000,
  goingAway: 1001,
  policyViolation: 1008,
  messageTooBig: 1009,
  internalError: 1011,
  unauthorized: 4001,
  invalidMessage: 4002,
  authTimeout: 4008,
  slowConsumer: 4013,
} as const;

/** code -> the contract's name for it (the close reason, and `reason` in `protocol_error`). */
export const CLOSE_CODE_NAMES: { readonly [code: number]: string } = {
  1000: "normal_closure",
  1001: "going_away",
  1008: "policy_violation",
  1009: "message_too_big",
  1011: "internal_error",
  4001: "unauthorized",
  4002: "invalid_message",
  4008: "auth_timeout",
  4013: "slow_consumer",
};

/** What hooks and logs know about a connection. */
export interface SessionInfo {
  readonly id: number;
  /** Set once `auth` succeeded. */
  readonly user: string | undefined;
}

export interface SessionSettings {
  readonly authenticate: (token: string) => string | undefined | Promise<string | undefined>;
  readonly initServices: (context: { readonly user: string; readonly session: SessionInfo; readonly signal: AbortSignal }) => Promise<void>;
  readonly agentPause: () => Promise<void>;
  /** Stands in for the contract's 10 s auth timeouts (`accepted`, `authenticating`), through the endpoint's clock. */
  readonly authTimeoutMs: number;
  /** Client messages the endpoint may hold before authentication (`maxHeld`); one more closes 1008. */
  readonly maxInbox: number;
  /** Agents wait while the outbound buffer holds more bytes than this (or the endpoint more than MAX_QUEUED_EVENTS events). */
  readonly highWaterMark: number;
  /** Close 4013 when the outbound buffer holds more bytes than this. */
  readonly maxBufferedBytes: number;
  /** Close 4013 when the agents have waited this long for the client to read. */
  readonly maxStallMs: number;
  readonly onEmit: ((session: SessionInfo, message: AgentRunsMessage) => void) | undefined;
  /** Every client message the endpoint delivered, in delivery order. */
  readonly onReceive: ((session: SessionInfo, message: AgentRunsMessageOf<AgentRunsClientEventName>) => void) | undefined;
  readonly onUndelivered: ((session: SessionInfo, messages: AgentRunsMessage[]) => void) | undefined;
  readonly log: (line: string) => void;
}

/** Counters the server keeps over all connections. `errors` lists what must never happen. */
export interface ServerStats {
  connections: number;
  rejected: number;
  accepted: number;
  authenticated: number;
  ready: number;
  closed: number;
  runsStarted: number;
  runsCompleted: number;
  /** Client messages the endpoint delivered (at once, or after holding them). */
  received: number;
  /** ...of which it held first (sent before the connection was authenticated). */
  held: number;
  /** Client messages held that the connection closed on before it was authenticated (never delivered). */
  heldDropped: number;
  /** Events the agents handed to the endpoint. */
  emitted: number;
  /** ...of which the endpoint sent at once. */
  sentAtOnce: number;
  /** ...of which the endpoint queued because the connection was not ready yet (sent later, in order, or undelivered). */
  queued: number;
  /** Queued events handed to `onUndelivered` because the connection closed first. */
  undelivered: number;
  /** Closes with a 4xxx code or 1008 (each preceded by a `protocol_error` notice for 4xxx), by code. */
  protocolErrors: Record<number, number>;
  /** The largest outbound buffer (`bufferedAmount`, bytes) any connection had right after a send. */
  maxBufferedAmount: number;
  /** Server bugs: a send before accept, a lifecycle or contract error, a failed start-up, an unexpected throw. */
  errors: string[];
}

export function createStats(): ServerStats {
  return {
    connections: 0,
    rejected: 0,
    accepted: 0,
    authenticated: 0,
    ready: 0,
    closed: 0,
    runsStarted: 0,
    runsCompleted: 0,
    received: 0,
    held: 0,
    heldDropped: 0,
    emitted: 0,
    sentAtOnce: 0,
    queued: 0,
    undelivered: 0,
    protocolErrors: {},
    maxBufferedAmount: 0,
    errors: [],
  };
}

/** Events the endpoint may hold before readiness before the agents wait (back-pressure before the socket is ready). */
const MAX_QUEUED_EVENTS = 1_000;
/** How often waiting agents look at the outbound buffer again. */
const DRAIN_POLL_MS = 10;
/** After a 4013 close the client is not reading, so it may never answer the close frame: the socket is destroyed after this. */
const SLOW_CLOSE_GRACE_MS = 2_000;

/** The socket is closing or closed while the endpoint still thinks it is open (the client's close frame is in flight). */
class TransportClosedError extends Error {}
/** Thrown into an agent that emits after its connection ended. */
class RunStoppedError extends Error {}

export class AgentSession implements SessionInfo {
  readonly id: number;
  user: string | undefined;
  /** Resolves once the socket (or the refused upgrade) is closed. */
  readonly done: Promise<void>;

  private readonly endpoint: AgentRunsServer;
  private readonly abort = new AbortController();
  private socket: WebSocket | undefined;
  /** The connection is over (the endpoint closed, or the upgrade was refused): nothing more is handled. */
  private ended = false;
  /** The socket reported its close: nothing more is sent on it. */
  private socketClosed = false;
  private readonly runIds = new Set<string>();
  private markDone!: () => void;

  constructor(
    id: number,
    private readonly settings: SessionSettings,
    private readonly stats: ServerStats,
  ) {
    this.id = id;
    this.done = new Promise((resolve) => (this.markDone = resolve));
    const authTimeoutMs = settings.authTimeoutMs;
    this.endpoint = createAgentRunsServer({
      send: (text) => this.write(text),
      close: (code, reason) => this.closeSocket(code, reason),
      onDeliver: (message) => {
        this.stats.held += 1;
        this.handle(message);
      },
      // start_run requests held when the connection closes before it was authenticated: counted and logged, never silent.
      onHeldDropped: (messages) => {
        this.stats.heldDropped += messages.length;
        this.settings.log(`#${this.id} closed with ${messages.length} held request(s) never delivered: ${messages.map((m) => m.type).join(", ")}`);
      },
      maxHeld: settings.maxInbox,
      // The contract's only timeouts are the two 10 s auth timeouts; the server's authTimeoutMs stands in for them.
      clock: { setTimeout: (callback, ms) => setTimeout(callback, Math.min(ms, authTimeoutMs)), clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout) },
      onUndelivered: (messages) => {
        this.stats.undelivered += messages.length;
        this.settings.log(`#${this.id} closed with ${messages.length} undelivered event(s): ${messages.map((m) => m.type).join(", ")}`);
        try {
          this.settings.onUndelivered?.(this.info, messages);
        } catch (error) {
          // A throwing hook must not stop the close that called it.
          this.stats.errors.push(`#${this.id}: onUndelivered threw: ${error instanceof Error ? error.message : String(error)}`);
        }
      },
    });
  }

  get state(): AgentRunsServer["state"] {
    return this.endpoint.state;
  }

  get info(): SessionInfo {
    return { id: this.id, user: this.user };
  }

  /** The upgrade completed: the transport is open (the contract's auth timeout starts). */
  accept(socket: WebSocket): void {
    if (this.ended) {
      socket.close(CloseCode.goingAway, CLOSE_CODE_NAMES[CloseCode.goingAway]); // shut down while the upgrade completed
      return;
    }
    this.socket = socket;
    // Listeners go on in the same tick as the upgrade: nothing the client sends can arrive unheard.
    socket.on("message", (data, isBinary) => this.receive(data, isBinary));
    socket.on("close", (code, reason) => this.onSocketClose(code, reason.toString()));
    socket.on("error", (error) => this.settings.log(`#${this.id} socket error: ${error.message}`));
    this.endpoint.transition("accept");
    this.stats.accepted += 1;
  }

  /** The upgrade was refused or failed before the socket opened. */
  reject(): void {
    if (this.ended) return;
    this.ended = true;
    if (this.endpoint.state === "connecting") this.endpoint.transition("reject");
    this.stats.rejected += 1;
    this.markDone();
  }

  /** Server shutdown. */
  shutdown(): void {
    if (this.socket === undefined) this.reject();
    else this.end(CloseCode.goingAway, "server shutting down");
  }

  /** Last resort when the close handshake does not finish. */
  terminate(): void {
    this.socket?.terminate();
  }

  private write(text: string): void {
    const socket = this.socket;
    if (socket === undefined || socket.readyState === WebSocket.CONNECTING) {
      const problem = `#${this.id}: send before accept (state ${this.endpoint.state})`;
      this.stats.errors.push(problem);
      throw new Error(problem);
    }
    if (socket.readyState !== WebSocket.OPEN) throw new TransportClosedError(`#${this.id}: socket is closing`);
    socket.send(text);
    const buffered = socket.bufferedAmount;
    if (buffered > this.stats.maxBufferedAmount) this.stats.maxBufferedAmount = buffered;
    // Re-entrant: the endpoint lets send() close the connection (what is queued goes to onUndelivered).
    if (buffered > this.settings.maxBufferedBytes) this.slowConsumer(`${buffered} bytes waiting to be sent (the limit is ${this.settings.maxBufferedBytes})`);
  }

  /**
   * Awaited by the agents between two events: their think time, then back-pressure: while the
   * client has not read what was sent (or the endpoint holds too many events), they wait, at most
   * `maxStallMs`.
   */
  private readonly pause = async (): Promise<void> => {
    await this.settings.agentPause();
    const congested = () => !this.ended && ((this.socket?.bufferedAmount ?? 0) > this.settings.highWaterMark || this.endpoint.pending > MAX_QUEUED_EVENTS);
    if (!congested()) return;
    const deadline = Date.now() + this.settings.maxStallMs;
    while (congested()) {
      if (Date.now() >= deadline) {
        this.slowConsumer(`the client read nothing for ${this.settings.maxStallMs} ms`);
        return;
      }
      await sleep(DRAIN_POLL_MS);
    }
  };

  /** The client does not read: 4013, and the socket is destroyed if it does not answer the close. */
  private slowConsumer(why: string): void {
    if (this.ended) return;
    const socket = this.socket;
    this.end(CloseCode.slowConsumer, why);
    if (socket !== undefined) setTimeout(() => socket.terminate(), SLOW_CLOSE_GRACE_MS).unref();
  }

  /**
   * Every client frame goes to the endpoint, which validates it against the contract and says what
   * to do: deliver it now, it is held (`onDeliver` gets it once the connection is authenticated),
   * or it was refused (the endpoint has closed with the contract's code, through `closeSocket`).
   */
  private receive(data: RawData, isBinary: boolean): void {
    if (this.ended) return;
    // A binary frame is not a text message: the empty string is not JSON, so the endpoint refuses it with invalid_message.
    const result = this.endpoint.receive(isBinary ? "" : rawText(data));
    if (result.kind === "deliver") this.handle(result.message);
  }

  /** A client message the contract allows in the current state. */
  private handle(message: AgentRunsMessageOf<AgentRunsClientEventName>): void {
    if (this.ended) return;
    this.stats.received += 1;
    this.settings.onReceive?.(this.info, message);
    if (message.type === "auth") {
      // Its arrival took the connection to `authenticating`; start_run requests are held meanwhile.
      void this.authenticate(message.data.token).catch((error: unknown) => this.fail(error));
      return;
    }
    if (this.runIds.has(message.data.run_id)) {
      // Per-id uniqueness is the one rule of this protocol the contract format cannot say (docs/contract-format.md).
      this.end(CloseCode.invalidMessage, `run_id ${quoteForLog(message.data.run_id)} was already used on this connection; use a new one per run`);
      return;
    }
    this.runIds.add(message.data.run_id);
    this.stats.runsStarted += 1;
    void this.run(message.data);
  }

  private async authenticate(token: string): Promise<void> {
    const user = await this.settings.authenticate(token);
    if (this.ended) return;
    if (user === undefined) return this.end(CloseCode.unauthorized, "the token was rejected");
    this.user = user;
    this.stats.authenticated += 1;
    try {
      // Its sending takes `authenticate`; the endpoint then hands the held start_run requests to onDeliver, in order.
      this.endpoint.emit("authenticated", { user });
    } catch (error) {
      if (!(error instanceof TransportClosedError)) throw error;
      return; // the client is closing
    }
    void this.bringUp(user).catch((error: unknown) => this.fail(error));
  }

  /** Awaited start-up of the user's services, then the two transitions that open the gate. */
  private async bringUp(user: string): Promise<void> {
    try {
      await this.settings.initServices({ user, session: this.info, signal: this.abort.signal });
    } catch (error) {
      if (!this.ended) this.fail(new Error(`services for ${user} failed to start: ${error instanceof Error ? error.message : String(error)}`));
      return;
    }
    if (this.ended) return; // closed while starting: the queue was already handed to onUndelivered
    this.endpoint.transition("services_ready");
    const waiting = this.endpoint.pending;
    try {
      this.endpoint.transition("ready"); // sends the queued events, oldest first, before returning
    } catch (error) {
      if (!(error instanceof TransportClosedError)) throw error;
      // The client is closing: what is left stays queued and the close hands it to onUndelivered.
    }
    this.stats.ready += 1;
    this.settings.log(`#${this.id} ${user}: processing ready; sent ${waiting - this.endpoint.pending} queued event(s) in order`);
  }

  private async run(request: StartRunPayload): Promise<void> {
    try {
      const completed = await runAgent(request, this.emit, { signal: this.abort.signal, pause: this.pause });
      if (completed) this.stats.runsCompleted += 1;
    } catch (error) {
      if (error instanceof RunStoppedError || this.ended) return;
      this.fail(error);
    }
  }

  private readonly emit: EmitEvent = (event, payload) => {
    if (this.ended) throw new RunStoppedError(`#${this.id} is closed`);
    let outcome: "sent" | "queued";
    try {
      outcome = this.endpoint.emit(event, payload);
    } catch (error) {
      if (!(error instanceof TransportClosedError)) throw error; // ContractError / LifecycleError: a server bug
      outcome = "queued"; // accepted by the endpoint, still queued: the close hands it to onUndelivered
      this.count(event, payload, outcome);
      throw new RunStoppedError(error.message);
    }
    this.count(event, payload, outcome);
  };

  private count(event: string, payload: unknown, outcome: "sent" | "queued"): void {
    this.stats.emitted += 1;
    if (outcome === "sent") this.stats.sentAtOnce += 1;
    else this.stats.queued += 1;
    this.settings.onEmit?.(this.info, { type: event, data: payload } as AgentRunsMessage);
  }

  private fail(error: unknown): void {
    const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    this.stats.errors.push(`#${this.id}: ${text}`);
    this.settings.log(`#${this.id} internal error: ${text}`);
    this.end(CloseCode.internalError, "internal error");
  }

  /** Server-side close, through the endpoint (it calls closeSocket, then hands what is queued to onUndelivered). */
  private end(code: number, reason: string): void {
    if (this.ended) return;
    this.endpoint.close(code, reason);
  }

  /**
   * The endpoint's `close`: every close goes through it once (a refused message, an auth timeout,
   * the server's own `end`). Before a 4xxx close the client gets one `protocol_error` with the same
   * code. The notice is a contract event, checked by the generated validator, but written to the
   * socket directly: the endpoint has closed (it emits nothing more), and its queue would put the
   * notice behind agent events waiting for `processing_ready`, which the close hands to onUndelivered.
   */
  private closeSocket(code: number, cutReason: string): void {
    this.ended = true;
    this.abort.abort();
    if (this.socketClosed) return; // the client closed first (its code is logged by onSocketClose)
    const message = this.endpoint.closed?.reason ?? cutReason; // whole (the endpoint cut it to 123 bytes for the frame)
    const name = CLOSE_CODE_NAMES[code] ?? "";
    if ((code >= 4000 && code <= 4999) || code === CloseCode.policyViolation) {
      this.stats.protocolErrors[code] = (this.stats.protocolErrors[code] ?? 0) + 1;
      this.settings.log(`#${this.id} protocol error ${code} ${name}: ${message}`);
    }
    const socket = this.socket;
    if (socket === undefined) {
      this.settings.log(`#${this.id} closed ${code} before the upgrade completed: no socket to tell`);
      return;
    }
    if (code >= 4000 && code <= 4999) {
      const notice = parseAgentRunsMessage({ type: "protocol_error", data: { code, reason: name, message } });
      if (!notice.success) this.stats.errors.push(`#${this.id}: protocol_error notice refused by the contract: ${notice.error.message}`);
      else if (socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(notice.data));
      else this.settings.log(`#${this.id} protocol_error notice not sent: the socket is already closing`);
    }
    socket.close(code, name);
  }

  private onSocketClose(code: number, reason: string): void {
    this.socketClosed = true;
    if (!this.ended) this.endpoint.close(code, reason); // the client closed: stop the timer, hand off what is queued
    if (this.endpoint.state !== "closed") this.endpoint.transition("close");
    this.stats.closed += 1;
    this.settings.log(`#${this.id} closed ${code}${reason === "" ? "" : ` ${reason}`}`);
    this.markDone();
  }
}

function rawText(data: RawData): string {
  return Buffer.isBuffer(data) ? data.toString("utf8") : Array.isArray(data) ? Buffer.concat(data).toString("utf8") : Buffer.from(data).toString("utf8");
}

/**
 * One client connection, driven by the generated lifecycle guard.
 *
 * connecting --accept--> accepted --authenticate--> authenticated --services_ready--> services_ready
 *   --ready--> processing_ready --close--> closed
 *
 * Every agent event goes through `guard.emit`: before `processing_ready` the guard queues it (FIFO),
 * and the `ready` transition sends the queue in order before anything newer. The only thing sent
 * around the guard is the `protocol_error` notice right before a 4xxx close.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { WebSocket, type RawData } from "ws";
import { runAgent, type EmitEvent } from "./agent.js";
import { createAgentWebsocketConnection, type AgentWebsocketConnection } from "./generated/agent-websocket.lifecycle.js";
import type { AgentWebsocketMessage } from "./generated/agent-websocket.types.js";
import { CloseCode, createProtocolError, parseClientMessage, PROTOCOL_ERROR_REASONS, quoteForLog, type ProtocolErrorCode, type StartRunRequest } from "./protocol.js";

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
  readonly authTimeoutMs: number;
  readonly maxInbox: number;
  /** Agents wait while the outbound buffer holds more bytes than this (or the guard more than MAX_QUEUED_EVENTS events). */
  readonly highWaterMark: number;
  /** Close 4013 when the outbound buffer holds more bytes than this. */
  readonly maxBufferedBytes: number;
  /** Close 4013 when the agents have waited this long for the client to read. */
  readonly maxStallMs: number;
  readonly onEmit: ((session: SessionInfo, message: AgentWebsocketMessage) => void) | undefined;
  readonly onUndelivered: ((session: SessionInfo, messages: AgentWebsocketMessage[]) => void) | undefined;
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
  /** Events the agents handed to the guard. */
  emitted: number;
  /** ...of which the guard sent at once. */
  sentAtOnce: number;
  /** ...of which the guard queued because the connection was not ready yet (sent later, in order, or undelivered). */
  queued: number;
  /** Queued events handed to `onUndelivered` because the connection closed first. */
  undelivered: number;
  /** 4xxx closes by code. */
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
    emitted: 0,
    sentAtOnce: 0,
    queued: 0,
    undelivered: 0,
    protocolErrors: {},
    maxBufferedAmount: 0,
    errors: [],
  };
}

/** Events the guard may hold before readiness before the agents wait (back-pressure before the socket is ready). */
const MAX_QUEUED_EVENTS = 1_000;
/** How often waiting agents look at the outbound buffer again. */
const DRAIN_POLL_MS = 10;
/** After a 4013 close the client is not reading, so it may never answer the close frame: the socket is destroyed after this. */
const SLOW_CLOSE_GRACE_MS = 2_000;

/** The socket is closing or closed while the guard still thinks it is open (the client's close frame is in flight). */
class TransportClosedError extends Error {}
/** Thrown into an agent that emits after its connection ended. */
class RunStoppedError extends Error {}

export class AgentSession implements SessionInfo {
  readonly id: number;
  user: string | undefined;
  /** Resolves once the socket (or the refused upgrade) is closed. */
  readonly done: Promise<void>;

  private readonly guard: AgentWebsocketConnection;
  private readonly abort = new AbortController();
  private socket: WebSocket | undefined;
  private ended = false;
  private inbox: Promise<void> = Promise.resolve();
  private inboxDepth = 0;
  private authTimer: NodeJS.Timeout | undefined;
  private readonly runIds = new Set<string>();
  private markDone!: () => void;

  constructor(
    id: number,
    private readonly settings: SessionSettings,
    private readonly stats: ServerStats,
  ) {
    this.id = id;
    this.done = new Promise((resolve) => (this.markDone = resolve));
    this.guard = createAgentWebsocketConnection({
      send: (text) => this.write(text),
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

  get state(): AgentWebsocketConnection["state"] {
    return this.guard.state;
  }

  get info(): SessionInfo {
    return { id: this.id, user: this.user };
  }

  /** The upgrade completed: the transport is open. */
  accept(socket: WebSocket): void {
    if (this.ended) {
      socket.close(CloseCode.goingAway, "server shutting down"); // shut down while the upgrade completed
      return;
    }
    this.socket = socket;
    this.guard.transition("accept");
    this.stats.accepted += 1;
    // Listeners go on in the same tick as the upgrade: nothing the client sends can arrive unheard.
    socket.on("message", (data, isBinary) => this.receive(data, isBinary));
    socket.on("close", (code, reason) => this.onSocketClose(code, reason.toString()));
    socket.on("error", (error) => this.settings.log(`#${this.id} socket error: ${error.message}`));
    this.authTimer = setTimeout(() => this.refuse(CloseCode.authTimeout, `no auth message within ${this.settings.authTimeoutMs} ms`), this.settings.authTimeoutMs);
  }

  /** The upgrade was refused or failed before the socket opened. */
  reject(): void {
    if (this.ended) return;
    this.ended = true;
    if (this.guard.state === "connecting") this.guard.transition("reject");
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
      const problem = `#${this.id}: send before accept (state ${this.guard.state})`;
      this.stats.errors.push(problem);
      throw new Error(problem);
    }
    if (socket.readyState !== WebSocket.OPEN) throw new TransportClosedError(`#${this.id}: socket is closing`);
    socket.send(text);
    const buffered = socket.bufferedAmount;
    if (buffered > this.stats.maxBufferedAmount) this.stats.maxBufferedAmount = buffered;
    // Re-entrant: the guard lets send() close the connection (what is queued goes to onUndelivered).
    if (buffered > this.settings.maxBufferedBytes) this.slowConsumer(`${buffered} bytes waiting to be sent (the limit is ${this.settings.maxBufferedBytes})`);
  }

  /**
   * Awaited by the agents between two events: their think time, then back-pressure: while the
   * client has not read what was sent (or the guard holds too many events), they wait, at most
   * `maxStallMs`.
   */
  private readonly pause = async (): Promise<void> => {
    await this.settings.agentPause();
    const congested = () => !this.ended && ((this.socket?.bufferedAmount ?? 0) > this.settings.highWaterMark || this.guard.pending > MAX_QUEUED_EVENTS);
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
    this.refuse(CloseCode.slowConsumer, why);
    if (socket !== undefined) setTimeout(() => socket.terminate(), SLOW_CLOSE_GRACE_MS).unref();
  }

  /** Client messages are handled one at a time, in arrival order, even while `authenticate` is pending. */
  private receive(data: RawData, isBinary: boolean): void {
    if (this.ended) return;
    if (this.inboxDepth >= this.settings.maxInbox) {
      this.refuse(CloseCode.tooManyMessages, `more than ${this.settings.maxInbox} messages waiting to be handled`);
      return;
    }
    this.inboxDepth += 1;
    this.inbox = this.inbox
      .then(() => this.handle(data, isBinary))
      .catch((error: unknown) => this.fail(error))
      .finally(() => {
        this.inboxDepth -= 1;
      });
  }

  private async handle(data: RawData, isBinary: boolean): Promise<void> {
    if (this.ended) return;
    const parsed = parseClientMessage(data, isBinary);
    if (!parsed.success) return this.refuse(parsed.code, parsed.message);
    const message = parsed.message;
    if (message.type === "auth") {
      if (this.guard.state !== "accepted") return this.refuse(CloseCode.invalidMessage, "auth was already accepted; send it once, as the first message");
      const user = await this.settings.authenticate(message.data.token);
      if (this.ended) return;
      if (user === undefined) return this.refuse(CloseCode.unauthorized, "the token was rejected");
      clearTimeout(this.authTimer);
      this.user = user;
      this.guard.transition("authenticate");
      this.stats.authenticated += 1;
      void this.bringUp(user).catch((error: unknown) => this.fail(error));
      return;
    }
    if (this.guard.state === "accepted") return this.refuse(CloseCode.notAuthenticated, `${message.type} before auth: the first message must be {"type":"auth","data":{"token":...}}`);
    if (this.runIds.has(message.data.run_id)) {
      return this.refuse(CloseCode.invalidMessage, `run_id ${quoteForLog(message.data.run_id)} was already used on this connection; use a new one per run`);
    }
    this.runIds.add(message.data.run_id);
    this.stats.runsStarted += 1;
    void this.run(message.data);
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
    this.guard.transition("services_ready");
    const waiting = this.guard.pending;
    try {
      this.guard.transition("ready"); // sends the queued events, oldest first, before returning
    } catch (error) {
      if (!(error instanceof TransportClosedError)) throw error;
      // The client is closing: what is left stays queued and the close event reports it.
    }
    this.stats.ready += 1;
    this.settings.log(`#${this.id} ${user}: processing ready; sent ${waiting - this.guard.pending} queued event(s) in order`);
  }

  private async run(request: StartRunRequest): Promise<void> {
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
      outcome = this.guard.emit(event, payload);
    } catch (error) {
      if (!(error instanceof TransportClosedError)) throw error; // ContractError / LifecycleError: a server bug
      outcome = "queued"; // accepted by the guard, still queued: the close event hands it to onUndelivered
      this.count(event, payload, outcome);
      throw new RunStoppedError(error.message);
    }
    this.count(event, payload, outcome);
  };

  private count(event: string, payload: unknown, outcome: "sent" | "queued"): void {
    this.stats.emitted += 1;
    if (outcome === "sent") this.stats.sentAtOnce += 1;
    else this.stats.queued += 1;
    this.settings.onEmit?.(this.info, { type: event, data: payload } as AgentWebsocketMessage);
  }

  /** A protocol error: the notice (raw, outside the contract), then a 4xxx close. */
  private refuse(code: ProtocolErrorCode, message: string): void {
    if (this.ended) return;
    this.stats.protocolErrors[code] = (this.stats.protocolErrors[code] ?? 0) + 1;
    this.settings.log(`#${this.id} protocol error ${code} ${PROTOCOL_ERROR_REASONS[code]}: ${message}`);
    if (this.socket?.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify(createProtocolError(code, message)));
    else this.settings.log(`#${this.id} protocol_error notice not sent: the socket is already closing`);
    this.end(code, PROTOCOL_ERROR_REASONS[code]);
  }

  private fail(error: unknown): void {
    const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    this.stats.errors.push(`#${this.id}: ${text}`);
    this.settings.log(`#${this.id} internal error: ${text}`);
    this.end(CloseCode.internalError, "internal error");
  }

  /** Server-side close: the guard goes to `closed` first (queued events go to onUndelivered), then the socket. */
  private end(code: number, reason: string): void {
    if (this.ended) return;
    this.ended = true;
    clearTimeout(this.authTimer);
    this.abort.abort();
    try {
      this.guard.transition("close");
    } finally {
      this.socket?.close(code, reason);
    }
  }

  private onSocketClose(code: number, reason: string): void {
    clearTimeout(this.authTimer);
    if (!this.ended) {
      this.ended = true;
      this.abort.abort();
      this.guard.transition("close");
    }
    this.stats.closed += 1;
    this.settings.log(`#${this.id} closed ${code}${reason === "" ? "" : ` ${reason}`}`);
    this.markDone();
  }
}

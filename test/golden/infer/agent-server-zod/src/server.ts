/**
 * The agent server: an HTTP server that upgrades `GET <path>` to a WebSocket (the contract's
 * `accept`; anything else is refused, `reject`) and hands each connection to an `AgentSession`.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { setImmediate as yieldToLoop, setTimeout as sleep } from "node:timers/promises";
import { WebSocketServer } from "ws";
import type { AgentWebsocketMessage } from "./generated/agent-websocket.types.js";
import { escapeControls } from "./protocol.js";
import { AgentSession, createStats, type ServerStats, type SessionInfo, type SessionSettings } from "./session.js";

export type { ServerStats, SessionInfo } from "./session.js";

export interface AgentServerOptions {
  /** Interface to listen on. Default 127.0.0.1 (loopback only). */
  readonly host?: string;
  /** Port; 0 (the default) picks a free one. */
  readonly port?: number;
  /**
   * Connections the kernel may hold completed but not yet accepted (the listen backlog; the kernel
   * caps it at `net.core.somaxconn`). Above it, a burst of connects gets ECONNRESET (close 1006
   * before any message). Default 2048 (Node's own default is 511).
   */
  readonly backlog?: number;
  /** The WebSocket endpoint. Default `/agents`. */
  readonly path?: string;
  /** Checks the token of the client's first message; returns the user, or undefined to refuse (close 4001). May be async. */
  readonly authenticate: SessionSettings["authenticate"];
  /**
   * Brings up the user's services after `auth` (awaited; the connection is `authenticated` meanwhile).
   * Default: waits a random time within `readyDelayMs`.
   */
  readonly initServices?: SessionSettings["initServices"];
  /** [min, max] of the default `initServices` delay in ms. Default [20, 200]. */
  readonly readyDelayMs?: readonly [number, number];
  /** [min, max] think time between two agent events in ms; [0, 0] (the default) only yields to the event loop. */
  readonly agentStepDelayMs?: readonly [number, number];
  /** Close 4008 when no `auth` arrives within this time. Default 10 000. */
  readonly authTimeoutMs?: number;
  /** Largest client frame in bytes (`ws` closes 1009 above it). Default 64 KiB. */
  readonly maxPayload?: number;
  /** Client messages that may wait to be handled (while `authenticate` runs) before a 4029 close. Default 1000. */
  readonly maxInbox?: number;
  /**
   * Back-pressure: the agents wait before their next event while the socket's outbound buffer
   * (`bufferedAmount`) holds more than this many bytes, or the guard more than 1000 queued events.
   * Default 256 KiB.
   */
  readonly highWaterMark?: number;
  /** Outbound bytes a connection may buffer (`bufferedAmount`); above it, close 4013 (`slow_consumer`). Default 4 MiB. */
  readonly maxBufferedBytes?: number;
  /** How long the agents may wait for the client to read (buffer above `highWaterMark`) before a 4013 close. Default 30 000. */
  readonly maxStallMs?: number;
  /** Every event an agent handed to the guard, in emit order (tests compare it with what clients received). */
  readonly onEmit?: (session: SessionInfo, message: AgentWebsocketMessage) => void;
  /** Events still queued when a connection closed. */
  readonly onUndelivered?: (session: SessionInfo, messages: AgentWebsocketMessage[]) => void;
  /** Receives log lines; control characters from client input are escaped (one line each, no terminal escapes). */
  readonly log?: (line: string) => void;
}

export interface AgentServer {
  readonly host: string;
  readonly port: number;
  /** `ws://host:port/path` */
  readonly url: string;
  readonly stats: ServerStats;
  /** Open connections. */
  readonly connections: number;
  /** Closes every connection (1001, queued events to onUndelivered), then the listener. */
  close(): Promise<void>;
}

const CLOSE_GRACE_MS = 2_000;
const DEFAULT_BACKLOG = 2_048;

export async function startAgentServer(options: AgentServerOptions): Promise<AgentServer> {
  const host = options.host ?? "127.0.0.1";
  const endpoint = options.path ?? "/agents";
  const stats = createStats();
  const sink = options.log;
  const log = sink === undefined ? () => {} : (line: string) => sink(escapeControls(line));
  const [readyMin, readyMax] = options.readyDelayMs ?? [20, 200];
  const [stepMin, stepMax] = options.agentStepDelayMs ?? [0, 0];
  const settings: SessionSettings = {
    authenticate: options.authenticate,
    initServices: options.initServices ?? (({ signal }) => sleep(randomBetween(readyMin, readyMax), undefined, { signal }).catch(() => {})),
    agentPause: stepMax <= 0 ? () => yieldToLoop() : () => sleep(randomBetween(stepMin, stepMax)),
    authTimeoutMs: options.authTimeoutMs ?? 10_000,
    maxInbox: options.maxInbox ?? 1_000,
    highWaterMark: options.highWaterMark ?? 256 * 1024,
    maxBufferedBytes: options.maxBufferedBytes ?? 4 * 1024 * 1024,
    maxStallMs: options.maxStallMs ?? 30_000,
    onEmit: options.onEmit,
    onUndelivered: options.onUndelivered,
    log,
  };

  const sessions = new Set<AgentSession>();
  let nextId = 1;
  let closing = false;

  const httpServer = http.createServer((_request, response) => {
    response.writeHead(426, { "content-type": "text/plain", upgrade: "websocket" }).end(`Connect with a WebSocket to ${endpoint}.\n`);
  });
  const wss = new WebSocketServer({ noServer: true, clientTracking: false, maxPayload: options.maxPayload ?? 64 * 1024 });

  httpServer.on("upgrade", (request, socket, head) => {
    const session = new AgentSession(nextId++, settings, stats);
    stats.connections += 1;
    sessions.add(session);
    void session.done.then(() => sessions.delete(session));
    const pathname = new URL(request.url ?? "/", "http://localhost").pathname;
    if (closing || pathname !== endpoint) {
      socket.end(`HTTP/1.1 ${closing ? "503 Service Unavailable" : "404 Not Found"}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      session.reject();
      return;
    }
    // A failed handshake (bad headers) never calls back; the raw socket's close ends the session.
    socket.once("close", () => {
      if (session.state === "connecting") session.reject();
    });
    wss.handleUpgrade(request, socket, head, (ws) => session.accept(ws));
  });

  await new Promise<void>((resolve, reject) => {
    httpServer.once("error", reject);
    httpServer.listen({ port: options.port ?? 0, host, backlog: options.backlog ?? DEFAULT_BACKLOG }, () => {
      httpServer.off("error", reject);
      resolve();
    });
  });
  const { port } = httpServer.address() as AddressInfo;
  const urlHost = host.includes(":") ? `[${host}]` : host;
  log(`agent server listening on ws://${urlHost}:${port}${endpoint}`);

  return {
    host,
    port,
    url: `ws://${urlHost}:${port}${endpoint}`,
    stats,
    get connections() {
      return sessions.size;
    },
    async close() {
      if (closing) return;
      closing = true;
      const open = [...sessions];
      for (const session of open) session.shutdown();
      const allDone = Promise.all(open.map((s) => s.done));
      const timedOut = await Promise.race([allDone.then(() => false), sleep(CLOSE_GRACE_MS, true, { ref: false })]);
      if (timedOut) for (const session of sessions) session.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      await new Promise<void>((resolve) => {
        httpServer.close(() => resolve());
        httpServer.closeAllConnections();
      });
      log("agent server closed");
    },
  };
}

function randomBetween(min: number, max: number): number {
  return min + Math.random() * Math.max(0, max - min);
}

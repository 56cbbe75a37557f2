/**
 * What the client sends, and how the server refuses what it cannot accept.
 *
 * The agent-websocket contract describes the server-to-client events (the five agent events);
 * the client's own messages (`auth`, `start_run`) and the `protocol_error` notice belong to this
 * example's transport, so they are validated here with zod, in the contract's envelope
 * (`{ type, data }`).
 */
import type { RawData } from "ws";
import { z } from "zod";

/**
 * Close codes. 1000-2999 are the standard ones (RFC 6455); 4000-4999 are private to this
 * protocol. Every 4xxx close is preceded by one `protocol_error` message carrying the same code.
 */
export const CloseCode = {
  /** The client closed, or the server finished normally. */
  normal: 1000,
  /** The server is shutting down. */
  goingAway: 1001,
  /** A frame exceeded `maxPayload` (sent by `ws` itself, no `protocol_error` first). */
  messageTooBig: 1009,
  /** The server failed (e.g. the services did not start); not the client's fault. */
  internalError: 1011,
  /** A binary frame, or text that is not JSON. */
  malformedMessage: 4000,
  /** The `auth` token was rejected. */
  unauthorized: 4001,
  /** JSON that is not a valid client message: unknown `type`, a missing or wrong field, a second `auth`, a reused `run_id`. */
  invalidMessage: 4002,
  /** A request before `auth`: the first message must be `auth`. */
  notAuthenticated: 4003,
  /** No `auth` within the server's `authTimeoutMs`. */
  authTimeout: 4008,
  /**
   * The client does not read: the events waiting in the socket's outbound buffer passed
   * `maxBufferedBytes`, or stayed above `highWaterMark` for `maxStallMs`.
   */
  slowConsumer: 4013,
  /** More client messages waiting to be handled than the server holds (`maxInbox`). */
  tooManyMessages: 4029,
} as const;

export type ProtocolErrorCode =
  | typeof CloseCode.malformedMessage
  | typeof CloseCode.unauthorized
  | typeof CloseCode.invalidMessage
  | typeof CloseCode.notAuthenticated
  | typeof CloseCode.authTimeout
  | typeof CloseCode.slowConsumer
  | typeof CloseCode.tooManyMessages;

/** The short name that goes with each 4xxx code (also the WebSocket close reason). */
export const PROTOCOL_ERROR_REASONS: { readonly [C in ProtocolErrorCode]: string } = {
  4000: "malformed_message",
  4001: "unauthorized",
  4002: "invalid_message",
  4003: "not_authenticated",
  4008: "auth_timeout",
  4013: "slow_consumer",
  4029: "too_many_messages",
};

export const AuthMessageSchema = z.strictObject({
  type: z.literal("auth"),
  data: z.strictObject({ token: z.string().min(1).max(512) }),
});

export const StartRunMessageSchema = z.strictObject({
  type: z.literal("start_run"),
  data: z.strictObject({
    /** Chosen by the client; unique per connection. Every event of the run carries it. */
    run_id: z.string().min(1).max(128),
    agent_name: z.string().min(1).max(64),
    prompt: z.string().max(4096).optional(),
    /** How many events the (simulated) agent emits for this run, `agent_started` and `agent_completed` included. */
    events: z.int().min(2).max(10_000).optional(),
  }),
});

export const ClientMessageSchema = z.discriminatedUnion("type", [AuthMessageSchema, StartRunMessageSchema]);

export type ClientMessage = z.infer<typeof ClientMessageSchema>;
export type StartRunRequest = z.infer<typeof StartRunMessageSchema>["data"];

/** The notice sent (outside the contract, raw) right before a 4xxx close. */
export interface ProtocolErrorMessage {
  readonly type: "protocol_error";
  readonly data: { readonly code: ProtocolErrorCode; readonly reason: string; readonly message: string };
}

export function createProtocolError(code: ProtocolErrorCode, message: string): ProtocolErrorMessage {
  return { type: "protocol_error", data: { code, reason: PROTOCOL_ERROR_REASONS[code], message } };
}

export type ClientMessageResult =
  | { readonly success: true; readonly message: ClientMessage }
  | { readonly success: false; readonly code: ProtocolErrorCode; readonly message: string };

/** Decodes and validates one client frame. */
export function parseClientMessage(data: RawData, isBinary: boolean): ClientMessageResult {
  if (isBinary) return { success: false, code: CloseCode.malformedMessage, message: "binary frames are not accepted; send JSON text" };
  const text = Buffer.isBuffer(data) ? data.toString("utf8") : Array.isArray(data) ? Buffer.concat(data).toString("utf8") : Buffer.from(data).toString("utf8");
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { success: false, code: CloseCode.malformedMessage, message: `not JSON (${error instanceof Error ? error.message : String(error)})` };
  }
  const result = ClientMessageSchema.safeParse(value);
  if (result.success) return { success: true, message: result.data };
  return { success: false, code: CloseCode.invalidMessage, message: describeIssues(result.error.issues) };
}

/**
 * Client-chosen text (a field name) as it goes into a message that is also logged: quoted, with
 * every control character escaped (JSON.stringify leaves DEL, the C1 controls such as U+009B, a
 * one-character ANSI escape, and the Unicode line separators as they are), so a client cannot
 * end a log line or send terminal escapes.
 */
export function quoteForLog(text: string): string {
  return escapeControls(JSON.stringify(text));
}

/** Every control character (C0, DEL, C1) and line separator as a `\uXXXX` escape: the text stays on one line and sends no terminal escape. */
export function escapeControls(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

function describeIssues(issues: readonly z.core.$ZodIssue[]): string {
  return issues
    .map((issue) => {
      const where = issue.path.length === 0 ? "message" : issue.path.map((segment) => (typeof segment === "string" && /^[A-Za-z_]+$/.test(segment) ? segment : quoteForLog(String(segment)))).join(".");
      const what =
        issue.code === "unrecognized_keys"
          ? `unexpected field(s) ${issue.keys.map(quoteForLog).join(", ")}`
          : issue.code === "invalid_union" && issue.path.join(".") === "type"
            ? `expected one of ${ClientMessageSchema.options.map((o) => JSON.stringify(o.shape.type.value)).join(", ")}`
            : issue.message.replace(/^Invalid input: /, "");
      return `${where}: ${what}`;
    })
    .join("; ");
}

/**
 * The contract-specific part of the generated files, written out for one small contract
 * (`protocol`: a connection that is accepted, then closed; two events, one of them in runs), so
 * the runtime beside this file type-checks against real tables and types. The generator never
 * inlines this file: it writes each contract's own tables and types, in the same names, and
 * renames `Protocol…` to the contract's `<Name>…` in the runtime it inlines (see
 * contracts/generate/runtime-source.ts).
 */
import { z } from "zod";

// What `<name>.types.ts` declares.

export interface ProtocolPayloads {
  greeting: GreetingPayload;
  tick: TickPayload;
}
export interface GreetingPayload {
  text: string;
}
export interface TickPayload {
  run_id: string;
  step?: number;
}
export type ProtocolEventName = "greeting" | "tick";
export type ProtocolState = "connecting" | "open" | "closed";
export type ProtocolTransition = "accept" | "close";
export type ProtocolMessage = { type: "greeting"; data: GreetingPayload } | { type: "tick"; data: TickPayload };
export type ProtocolMessageOf<E extends ProtocolEventName> = Extract<ProtocolMessage, { type: E }>;

// What `<name>.validators.ts` declares before its runtime.

const GreetingPayloadSchema = z.strictObject({ text: z.string() });
const TickPayloadSchema = z.strictObject({ run_id: z.string(), step: z.optional(z.int()) });
export const ProtocolPayloadSchemas = {
  greeting: GreetingPayloadSchema,
  tick: TickPayloadSchema,
} as const;
export const ProtocolMessageSchema = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("greeting"), data: GreetingPayloadSchema }),
  z.strictObject({ type: z.literal("tick"), data: TickPayloadSchema }),
]);

// What `<name>.validators.ts` declares before its runtime when an event union is open (parse-message-open.ts;
// DISCRIMINATOR, below, too). The stand-in's unions are closed.

/** Directions whose event union is open: a receiver ignores an event name it does not know. */
export const OPEN_UNIONS: { readonly "server-to-client": boolean; readonly "client-to-server": boolean } = {
  "server-to-client": false,
  "client-to-server": false,
};

// What `<name>.lifecycle.ts` declares before its runtime (PAYLOAD_FIELD: the validators' too).

export const CONTRACT_NAME = "protocol";
export const INITIAL_STATE: ProtocolState = "connecting";
export const DISCRIMINATOR = "type";
export const PAYLOAD_FIELD = "data";
export const WIRE_OPEN = '{"type":';
export const WIRE_PAYLOAD = ',"data":';
export const TRANSITIONS: {
  readonly [S in ProtocolState]: { readonly [transition: string]: ProtocolState | undefined };
} = {
  connecting: { accept: "open", close: "closed" },
  open: { close: "closed" },
  closed: {},
} as const;
export const FINAL_STATES: ReadonlySet<string> = new Set<string>(["closed"]);
export const EVENT_STATES: { readonly [E in ProtocolEventName]: readonly ProtocolState[] } = {
  greeting: ["connecting", "open"],
  tick: ["open"],
};

export const RUN_KEY = "run_id";
export const RUN_PATTERN = "tick+";
export const RUN_EVENTS: ReadonlySet<string> = new Set<string>(["tick"]);
export const RUN_NEXT: readonly { readonly [event: string]: number }[] = [{ tick: 1 }, { tick: 1 }];
export const RUN_ACCEPTING: readonly boolean[] = [false, true];

// What `<name>.lifecycle.ts` declares for the role endpoints (endpoints.ts).

/** The events the server sends (`server-to-client` and `both`). */
export type ProtocolServerEventName = "greeting" | "tick";
/** The events the client sends (`client-to-server` and `both`). */
export type ProtocolClientEventName = "greeting";
export const EVENT_DIRECTIONS: { readonly [E in ProtocolEventName]: "server-to-client" | "client-to-server" | "both" } =
  {
    greeting: "both",
    tick: "server-to-client",
  };
export const EVENT_TRANSITIONS: {
  readonly [S in ProtocolState]?: { readonly [event: string]: ProtocolTransition | undefined };
} = {
  connecting: { greeting: "accept" },
};
export const STATE_TIMEOUTS: {
  readonly [S in ProtocolState]?: {
    readonly ms: number;
    readonly after: string;
    readonly code: number;
    readonly name: string;
  };
} = {
  connecting: { ms: 3000, after: "3s", code: 4408, name: "init_timeout" },
};
export const OUT_OF_STATE: {
  readonly [event: string]: "hold" | { readonly code: number; readonly name: string } | undefined;
} = {
  greeting: "hold",
};
export const INVALID_CLOSE: { readonly code: number; readonly name: string } = { code: 4400, name: "bad_request" };
export const UNIQUE_IDS: readonly {
  readonly name: string;
  readonly field: string;
  readonly code: number;
  readonly codeName: string;
  readonly from: { readonly [event: string]: readonly string[] | undefined };
  readonly until: { readonly [event: string]: readonly string[] | undefined };
}[] = [
  { name: "runs", field: "run_id", code: 4409, codeName: "run_exists", from: { tick: ["data", "run_id"] }, until: {} },
];
export const WRONG_DIRECTION_CLOSE: { readonly code: number; readonly name: string } = {
  code: 4500,
  name: "internal_server_error",
};

/**
 * The internal model of a loaded, validated contract. The loader produces it; every generator,
 * the diff and the analyzer's contract rules read only this, so the artifacts cannot drift.
 */

/** A JSON Schema (2020-12 subset) as plain data. */
export type JsonSchema = boolean | Record<string, unknown>;

export type Direction = "server-to-client" | "client-to-server" | "both";

export interface SourcePosition {
  /** 1-based. */
  line: number;
  /** 1-based. */
  column: number;
}

export interface ContractState {
  name: string;
  final: boolean;
  /** transition name -> target state, in document order. */
  on: Record<string, string>;
  /** transition name -> the event whose arrival takes it (`on: { t: { to, event } }`), in document order; only those that name one. */
  onEvent?: Record<string, string>;
  /** The connection must leave the state within `ms`, or it is closed with `close`. */
  timeout?: { after: string; ms: number; close: CloseCodeRef };
  description?: string;
}

/** How a message looks on the wire: `{ <discriminator>: <event>, <payloadField>: <payload>, <fields>... }`. */
export interface ContractEnvelope {
  discriminator: string;
  payloadField: string;
  /**
   * `envelope.fields`: wire fields beside the payload, in document order, each with its schema
   * (`$ref`s resolved as in payloads). Absent when the contract declares none.
   */
  fields?: EnvelopeField[];
}

export interface EnvelopeField {
  name: string;
  schema: JsonSchema;
}

/** A declared close code (`closeCodes`), or the standard one a default stands for. */
export interface CloseCodeRef {
  code: number;
  name: string;
}

export interface CloseCode extends CloseCodeRef {
  description?: string;
}

/** What the server does with a client message that arrives in a state the event does not allow. */
export type OutOfStatePolicy = { action: "hold" } | { action: "reject"; close: CloseCodeRef };

export interface ContractEvent {
  name: string;
  direction: Direction;
  /** Lifecycle states in which the event may be sent, in document order (for `states: "*"`, every non-final state in lifecycle order). */
  states: string[];
  /** `states: "*"`: every non-final state, whatever states a later version adds. */
  allStates?: true;
  /**
   * For events clients send (client-to-server, both): what the server does with one that arrives in a
   * state it is not allowed in; the event's own `outOfState`, else `inbound.outOfState`, else reject with 1008.
   */
  outOfState?: OutOfStatePolicy;
  /** Whether `outOfState` is the event's own (not the contract's default). */
  outOfStateDeclared?: true;
  description?: string;
  /**
   * The payload schema. Every `$ref` in it has been resolved by the loader and rewritten to
   * `#/$defs/<Name>`, pointing into `Contract.definitions` (shared, possibly recursive schemas).
   */
  payload: JsonSchema;
  /** `payloadOptional: true`: a message may leave the payload field out. */
  payloadOptional?: true;
  /** `fields`: the envelope fields a message of this event carries (each required), in document order. */
  fields?: string[];
  /** Example payloads given in the contract (validated by the loader against `payload`). */
  examples: unknown[];
}

/**
 * `unique`: one live id at a time. A `from` message opens the id its `field` carries; a message of
 * an `until` event with that id, in either direction, ends it; a `from` message with a live id is
 * refused with `close`.
 */
export interface UniqueRule {
  name: string;
  field: string;
  /** The events that open an id, in document order; all sent by `opener`. */
  from: string[];
  /** The events that end an id, in document order; empty: an id stays taken until the connection ends. */
  until: string[];
  /** Who sends the `from` events (the other side refuses a duplicate). */
  opener: "server-to-client" | "client-to-server";
  close: CloseCodeRef;
  /** Per event of `from` and `until`: whether `field` is an envelope field it carries or a required property of its payload. */
  carriedIn: Record<string, "envelope" | "payload">;
  description?: string;
}

/** A run pattern: a regular expression over event names. */
export type RunPattern =
  | { kind: "event"; name: string }
  | { kind: "seq"; items: RunPattern[] }
  | { kind: "alt"; options: RunPattern[] }
  | { kind: "repeat"; item: RunPattern; min: 0 | 1; max: 1 | "many" };

/** What receivers do with what they do not know: open (ignore it) or closed (reject it). */
export type Openness = "open" | "closed";

/** The per-enum openness override: an annotation on the schema that holds the `enum` (or `const`), `open` or `closed`. */
export const OPENNESS_KEYWORD = "x-covenant-openness";

export interface Contract {
  /** Absolute path of the contract file. */
  file: string;
  /** `covenant` format version. */
  formatVersion: 1;
  /** kebab-case. */
  name: string;
  /** semver. */
  version: string;
  description?: string;
  lifecycle: {
    initial: string;
    /** In document order. */
    states: ContractState[];
  };
  envelope: ContractEnvelope;
  /** In document order. */
  events: ContractEvent[];
  /** Shared schemas referenced from payloads as `#/$defs/<Name>`, sorted by name. */
  definitions: Record<string, JsonSchema>;
  runs?: { key: string; pattern: string; ast: RunPattern };
  /** Declared openness (`openness:`; closed where not declared): of the event union per direction, and of enums. */
  openness?: { events: Record<"server-to-client" | "client-to-server", Openness>; enums: Openness };
  /** Declared close codes (`closeCodes`), by code. */
  closeCodes?: CloseCode[];
  /** The close code for a client message that is not valid: `inbound.invalid`, else 1008. */
  invalidClose?: CloseCodeRef;
  /** `unique`: per-id uniqueness rules, in document order. Absent when the contract declares none. */
  unique?: UniqueRule[];
  /**
   * The close code for a valid client message of an event only the server sends:
   * `inbound.wrongDirection`; absent when not declared (then `invalidClose` applies).
   */
  wrongDirectionClose?: CloseCodeRef;
  /** Position in the contract source of a JSON path (e.g. ["events", "agent_started", "payload"]); falls back to the nearest ancestor. */
  locate: (path: readonly (string | number)[]) => SourcePosition;
}

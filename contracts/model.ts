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
  description?: string;
}

export interface ContractEvent {
  name: string;
  direction: Direction;
  /** Lifecycle states in which the event may be sent, in document order. */
  states: string[];
  description?: string;
  /**
   * The payload schema. Every `$ref` in it has been resolved by the loader and rewritten to
   * `#/$defs/<Name>`, pointing into `Contract.definitions` (shared, possibly recursive schemas).
   */
  payload: JsonSchema;
  /** Example payloads given in the contract (validated by the loader against `payload`). */
  examples: unknown[];
}

/** A run pattern: a regular expression over event names. */
export type RunPattern =
  | { kind: "event"; name: string }
  | { kind: "seq"; items: RunPattern[] }
  | { kind: "alt"; options: RunPattern[] }
  | { kind: "repeat"; item: RunPattern; min: 0 | 1; max: 1 | "many" };

/** What receivers do with what they do not know: open (ignore it) or closed (reject it). */
export type Openness = "open" | "closed";

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
  envelope: { discriminator: string; payloadField: string };
  /** In document order. */
  events: ContractEvent[];
  /** Shared schemas referenced from payloads as `#/$defs/<Name>`, sorted by name. */
  definitions: Record<string, JsonSchema>;
  runs?: { key: string; pattern: string; ast: RunPattern };
  /** Declared openness (`openness:`; closed where not declared): of the event union per direction, and of enums. */
  openness?: { events: Record<"server-to-client" | "client-to-server", Openness>; enums: Openness };
  /** Position in the contract source of a JSON path (e.g. ["events", "agent_started", "payload"]); falls back to the nearest ancestor. */
  locate: (path: readonly (string | number)[]) => SourcePosition;
}

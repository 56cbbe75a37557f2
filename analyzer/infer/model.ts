/** What `covenant infer` finds in a project, before it is written as a draft contract. */
import type { EmitBinding } from "../../contracts/bindings/bindings.schema.js";

/** A place in the analyzed sources: absolute file, 1-based line and column. */
export interface SourceLocation {
  file: string;
  line: number;
  column: number;
}

/** A key path inside a schema (`["properties", "run_id"]`), relative to the schema it belongs to. */
export type SchemaPath = (string | number)[];

/**
 * A remark the draft carries as a YAML comment at `path`. `unconvertible` notes (a function, `any`,
 * an unresolved generic, ...) are also warnings on stderr, naming `at`; `choice` notes say which of
 * several faithful readings the draft took (a `Date` is sent as its ISO string).
 */
export interface SchemaNote {
  path: SchemaPath;
  kind: "unconvertible" | "choice";
  text: string;
  at: SourceLocation | undefined;
  /**
   * The schema still says what the TypeScript type says about the JSON (`any` → `{}`, a `Date` →
   * its ISO string): the round trip holds. False where the draft is wider or narrower (a dropped
   * function, a template literal read as any string).
   */
  lossless: boolean;
}

/** A JSON Schema object (the converter never writes a bare `true`/`false` schema at the top). */
export type SchemaObject = Record<string, unknown>;

/** A JSON Schema with the notes found while converting it. */
export interface ConvertedSchema {
  schema: SchemaObject;
  notes: SchemaNote[];
}

/** Where an event was seen: a member of a message union, or an emission call. */
export type EventSource = { kind: "union"; union: string; at: SourceLocation } | { kind: "call"; call: string; at: SourceLocation };

/** Which side sends an event, from one source, and why (for the draft's comment). */
export interface DirectionHint {
  side: "server" | "client";
  reason: string;
}

export interface InferredEvent {
  name: string;
  description?: string;
  /** The payload schema; undefined when the code's messages carry no payload field. */
  payload: ConvertedSchema | undefined;
  /** The payload field may be absent in the code (`payload?: ...`). */
  payloadOptional: boolean;
  /** Fields the code's message has beside the discriminator and the payload field (graphql-ws's `id`). */
  envelopeSiblings: string[];
  /** The code sends the payload's fields beside the discriminator, not under the payload field. */
  flat: boolean;
  hints: DirectionHint[];
  sources: EventSource[];
  /**
   * The payload as the code declares it, a TypeScript type expression over `union` (exported from
   * `file`): `Extract<ServerMessage, { "type": "a" }>["data"]`. For the round-trip test.
   */
  origin?: { file: string; union: string; payloadType: string };
}

/** A message union found in the code. */
export interface MessageUnion {
  name: string;
  at: SourceLocation;
  discriminator: string;
  /** The union as a TypeScript type expression importable from `at.file` (e.g. `ServerMessage`). */
  typeText: string;
}

export interface InferredProtocol {
  discriminator: string;
  payloadField: string;
  events: InferredEvent[];
  /** Shared schemas (named interfaces and aliases), by name, each with its own notes. */
  definitions: Map<string, ConvertedSchema & { description?: string }>;
  unions: MessageUnion[];
  /** Emission bindings for `covenant check`: from the config when it had them, else inferred from the calls. */
  emits: EmitBinding[];
}

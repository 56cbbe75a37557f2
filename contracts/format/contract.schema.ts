/**
 * The contract document format, version 1: the single source of truth. The loader checks documents
 * against it (shape), `schema/contract.schema.json` is generated from it (editor completion), and
 * the semantic checks in `contracts/load/` add what a schema cannot say (graph, refs, patterns).
 *
 * Keep every key described: the descriptions become the JSON Schema's hover texts.
 */
import { z } from "zod";

/** `agent-websocket`: lower-case words joined by single dashes. */
export const CONTRACT_NAME_PATTERN = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;
/** Semantic Versioning 2.0.0 (semver.org's regular expression). */
export const SEMVER_PATTERN =
  /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/;
/** State and transition names: a letter, then letters, digits, `_`, single `-` between words. */
export const STATE_NAME_PATTERN = /^[A-Za-z][A-Za-z0-9_]*(?:-[A-Za-z0-9_]+)*$/;
/** Event names may also use `.`, `:` and `/` as separators (`agent:started`, `agent.started`). */
export const EVENT_NAME_PATTERN = /^[A-Za-z][A-Za-z0-9_]*(?:[-.:/][A-Za-z0-9_]+)*$/;
/** Shared schema names (`$defs` keys). */
export const DEFINITION_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*(?:[-.][A-Za-z0-9_]+)*$/;
/** Wire field names of the envelope. */
export const FIELD_NAME_PATTERN = /^[A-Za-z_$][A-Za-z0-9_$-]*$/;

export const DIRECTIONS = ["server-to-client", "client-to-server", "both"] as const;
/** A duration: a whole number and a unit (`250ms`, `3s`, `5m`, `1h`). */
export const DURATION_PATTERN = /^(0|[1-9][0-9]*)(ms|s|m|h)$/;
/** `closeCodes` keys: digits (the range is the loader's check, so an out-of-range code gets its own message). */
export const CLOSE_CODE_KEY_PATTERN = /^[1-9][0-9]*$/;

/** A reference to a declared close code, by its name. */
const CloseCodeRefSchema = z.string().meta({ description: "The `name` of a code declared under `closeCodes`." });

/** What the server does with a client message that arrives in a state the event does not allow. */
export const OutOfStatePolicySchema = z
  .union([
    z.literal("hold").meta({ description: "Keep it, in order, until a state allows it; then deliver it." }),
    z.strictObject({
      reject: CloseCodeRefSchema.meta({ description: "Close the connection with this code (the `name` of a code under `closeCodes`)." }),
    }),
  ])
  .meta({ description: "`hold` (deliver it, in order, once a state allows it) or `{ reject: <close code name> }` (close the connection with that code)." });

/** A JSON Schema (2020-12). Checked by the loader with Ajv, not by zod. */
export const JsonSchemaSchema = z.record(z.string(), z.unknown()).meta({
  description:
    "A JSON Schema (draft 2020-12). `$ref` may point into this contract (`#/$defs/Name`) or to a JSON/YAML file in the contract's folder (`./common.schema.yaml#/$defs/Name`). A schema with an `enum` or `const` may say `x-covenant-openness: open | closed` (what receivers do with a value it does not list; default `openness.enums`).",
});

export const TransitionSchema = z
  .union([
    z.string().meta({ description: "The target state." }),
    z.strictObject({
      to: z.string().meta({ description: "The target state." }),
      event: z.string().meta({ description: "The event whose arrival takes the transition (it must be allowed in this state)." }),
    }),
  ])
  .meta({ description: "The target state, or `{ to: <state>, event: <event> }` for a transition that the event's arrival takes." });

export const TimeoutSchema = z
  .strictObject({
    after: z.string().meta({ description: "How long the connection may stay in the state: a whole number and a unit, `ms`, `s`, `m` or `h` (`3s`)." }),
    close: CloseCodeRefSchema.meta({ description: "The close code (its `name` under `closeCodes`) when it stays longer." }),
  })
  .meta({ description: "The connection must leave the state within `after`, or it is closed with `close`." });

export const StateSchema = z
  .strictObject({
    on: z
      .record(z.string().regex(STATE_NAME_PATTERN), TransitionSchema)
      .optional()
      .meta({ description: "Transitions: transition name -> target state (or `{ to, event }`). A non-final state needs at least one." }),
    timeout: TimeoutSchema.optional(),
    final: z.boolean().optional().meta({ description: "A final state ends the connection; it has no transitions." }),
    description: z.string().optional().meta({ description: "What the connection can do in this state." }),
  })
  .meta({ description: "A lifecycle state: `{ on: { accept: accepted } }` or `{ final: true }`." });

export const LifecycleSchema = z
  .strictObject({
    initial: z.string().meta({ description: "The state a new connection starts in." }),
    states: z
      .record(z.string().regex(STATE_NAME_PATTERN), StateSchema)
      .meta({ description: "The states of the connection, by name. Every state must be reachable from `initial`." }),
  })
  .meta({ description: "The connection's state machine." });

export const EnvelopeSchema = z
  .strictObject({
    discriminator: z.string().regex(FIELD_NAME_PATTERN).default("type").meta({ description: "The wire field that carries the event name (default `type`)." }),
    payloadField: z.string().regex(FIELD_NAME_PATTERN).default("data").meta({ description: "The wire field that carries the payload (default `data`)." }),
    fields: z.record(z.string().regex(FIELD_NAME_PATTERN), JsonSchemaSchema).optional().meta({
      description:
        "Further wire fields beside the payload (such as an operation `id`), by name, each with the JSON Schema of its value. An event carries the ones its `fields` lists.",
    }),
  })
  .meta({ description: "How a message looks on the wire: `{ <discriminator>: <event>, <payloadField>: <payload>, <fields>... }`." });

export const EventSchema = z
  .strictObject({
    direction: z.enum(DIRECTIONS).meta({ description: "Who sends the event." }),
    states: z
      .union([z.literal("*").meta({ description: "Every non-final state." }), z.array(z.string()).min(1)])
      .meta({ description: 'The lifecycle states in which the event may be sent, or `"*"` for every non-final state.' }),
    description: z.string().optional().meta({ description: "What the event means." }),
    outOfState: OutOfStatePolicySchema.optional().meta({
      description:
        "What the server does when this client message arrives in a state that does not allow it. Only for events clients send. Default: `inbound.outOfState`.",
    }),
    fields: z
      .array(z.string())
      .optional()
      .meta({ description: "The envelope fields (`envelope.fields`) a message of this event carries beside the payload; each is required." }),
    payloadOptional: z
      .boolean()
      .optional()
      .meta({ description: "Whether a message of this event may leave the payload field out (default false: it must carry one)." }),
    payload: JsonSchemaSchema.optional().meta({
      description: "JSON Schema of the payload. Omitted: an empty object (`{ type: object, additionalProperties: false }`).",
    }),
    examples: z.array(z.unknown()).optional().meta({ description: "Example payloads; each must validate against `payload`. Used in the generated docs." }),
  })
  .meta({ description: "An event: its direction, the states that allow it, and its payload schema." });

export const RunsSchema = z
  .strictObject({
    key: z
      .string()
      .min(1)
      .meta({ description: "The payload field that groups the events of one run; every event in `pattern` must declare it as a required property." }),
    pattern: z.string().min(1).meta({
      description: "A regular expression over event names: juxtaposition for sequence, `|`, `*`, `+`, `?`, parentheses.",
    }),
  })
  .meta({ description: "The order of events within one run." });

const OpennessValueSchema = z.enum(["open", "closed"]).meta({ description: "open: receivers ignore what they do not know; closed: receivers reject it." });

export const OpennessSchema = z
  .strictObject({
    events: z
      .union([
        OpennessValueSchema,
        z.strictObject({
          "server-to-client": OpennessValueSchema.optional().meta({ description: "The union of server-to-client events (what clients receive)." }),
          "client-to-server": OpennessValueSchema.optional().meta({ description: "The union of client-to-server events (what the server receives)." }),
        }),
      ])
      .optional()
      .meta({
        description:
          "Whether receivers ignore (open) or reject (closed) an event name they do not know; one value for both directions, or one per direction. Default: closed.",
      }),
    enums: OpennessValueSchema.optional().meta({
      description:
        "Whether receivers ignore (open) or reject (closed) an enum value they do not know: the default for every enum (and const) of every payload, which `x-covenant-openness: open | closed` next to an `enum` overrides for that enum. Default: closed.",
    }),
  })
  .meta({ description: "What receivers do with what they do not know (docs/contract-format.md#openness). Default: closed everywhere." });

export const CloseCodeSchema = z
  .strictObject({
    name: z.string().regex(STATE_NAME_PATTERN).meta({ description: "The name other keys use for the code (`unauthorized`)." }),
    description: z.string().optional().meta({ description: "What the code means (the close reason peers see, or its gist)." }),
  })
  .meta({ description: "A close code: its name and what it means." });

export const InboundSchema = z
  .strictObject({
    outOfState: OutOfStatePolicySchema.optional().meta({
      description:
        "The default for every event clients send: what the server does with one that arrives in a state that does not allow it. Default: reject, closing with 1008 (policy violation).",
    }),
    invalid: CloseCodeRefSchema.optional().meta({
      description: "The close code when a client message is not valid (not JSON, unknown event, wrong payload). Default: 1008 (policy violation).",
    }),
    wrongDirection: CloseCodeRefSchema.optional().meta({
      description:
        "The close code when a client sends a valid message of an event only the server sends (graphql-ws: 4500 for a ConnectionAck or Next from the client). Default: the `invalid` code.",
    }),
  })
  .meta({ description: "What the server does with client messages it cannot take as they are (docs/contract-format.md#inbound-messages)." });

const EventListSchema = z.union([z.string(), z.array(z.string()).min(1)]).meta({ description: "An event name, or a list of event names." });

export const UniqueRuleSchema = z
  .strictObject({
    field: z.string().regex(FIELD_NAME_PATTERN).meta({
      description:
        "The field that carries the id: an envelope field the events carry (`envelope.fields`, listed in their `fields`), or a required property of their payloads.",
    }),
    from: EventListSchema.meta({
      description: "The event (or events) that open an id, all sent by one side; one that arrives with an id that is still live is refused with `close`.",
    }),
    until: EventListSchema.optional().meta({
      description:
        "The event (or events) whose message, sent or received, in either direction, ends the id, so it may be opened again. Omitted: an id stays taken until the connection ends.",
    }),
    close: CloseCodeRefSchema.meta({ description: "The close code (its `name` under `closeCodes`) for a `from` message whose id is live." }),
    description: z.string().optional().meta({ description: "What the ids identify." }),
  })
  .meta({
    description:
      "One live id at a time: a `from` message opens the id in its `field`, an `until` message with that id ends it; a second `from` message with a live id closes the connection with `close`.",
  });

export const ContractDocumentSchema = z
  .strictObject({
    $schema: z.string().optional().meta({ description: "The JSON Schema of this format, for editors." }),
    covenant: z.literal(1).meta({ description: "The contract format version. Only 1 exists." }),
    name: z
      .string()
      .regex(CONTRACT_NAME_PATTERN)
      .meta({ description: "kebab-case name, unique in the project; generated files and functions are named after it." }),
    version: z.string().regex(SEMVER_PATTERN).meta({ description: "Semantic version of the protocol this file describes." }),
    description: z.string().optional().meta({ description: "What the protocol is for." }),
    lifecycle: LifecycleSchema,
    envelope: EnvelopeSchema.optional().meta({ description: "Wire envelope; defaults to `{ discriminator: type, payloadField: data }`." }),
    events: z
      .record(z.string().regex(EVENT_NAME_PATTERN), EventSchema)
      .refine((events) => Object.keys(events).length > 0, { message: "declare at least one event" })
      .meta({ description: "The events of the protocol, by name.", minProperties: 1 }),
    $defs: z
      .record(z.string().regex(DEFINITION_NAME_PATTERN), JsonSchemaSchema)
      .optional()
      .meta({ description: "Shared schemas, referenced from payloads as `#/$defs/<Name>`." }),
    definitions: z
      .record(z.string().regex(DEFINITION_NAME_PATTERN), JsonSchemaSchema)
      .optional()
      .meta({ description: "Alias of `$defs` (draft-07 style); referenced as `#/definitions/<Name>`." }),
    runs: RunsSchema.optional(),
    openness: OpennessSchema.optional(),
    closeCodes: z.record(z.string().regex(CLOSE_CODE_KEY_PATTERN), CloseCodeSchema).optional().meta({
      description:
        "The WebSocket close codes the protocol uses, by number: 4000-4999 (the protocol's own), 3000-3999 (registered with IANA), or a standard code that may be sent (1000-1003, 1007-1014). Other keys name them.",
    }),
    inbound: InboundSchema.optional(),
    unique: z.record(z.string().regex(STATE_NAME_PATTERN), UniqueRuleSchema).optional().meta({
      description:
        "Per-id uniqueness rules, by name (docs/contract-format.md#per-id-uniqueness): `{ field: id, from: subscribe, until: [complete, error], close: <close code name> }`.",
    }),
  })
  .meta({
    title: "covenant contract",
    description: "A declarative protocol contract: connection lifecycle, event payloads and run order.",
  });

/** The JSON Schema of the format, for editors (`schema/contract.schema.json`). */
export function createContractJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(ContractDocumentSchema, {
    target: "draft-2020-12",
    io: "input",
    override: (ctx) => {
      if (ctx.zodSchema === JsonSchemaSchema || isJsonSchemaWrapper(ctx.zodSchema)) {
        for (const key of Object.keys(ctx.jsonSchema)) if (key !== "description") delete ctx.jsonSchema[key];
        ctx.jsonSchema.$ref = "https://json-schema.org/draft/2020-12/schema";
      }
    },
  }) as Record<string, unknown>;
  return schema;
}

function isJsonSchemaWrapper(schema: unknown): boolean {
  // `JsonSchemaSchema.optional().meta(...)` wraps the record; its inner type is the record.
  const def = (schema as { _zod?: { def?: { type?: string; innerType?: unknown } } })._zod?.def;
  return def?.type === "optional" && def.innerType === JsonSchemaSchema;
}

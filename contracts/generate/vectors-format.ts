/**
 * The conformance vectors file (`<name>.vectors.json`, docs/vectors.md): its format in zod, the single
 * source of `schema/vectors.schema.json` (npm run generate:schemas) and of the types the generator fills.
 */
import { z } from "zod";

const PathSchema = z
  .array(z.union([z.string(), z.number().int().min(0)]))
  .meta({ description: 'A place in the wire message: field names and array indices, from the message root (`["data", "text"]`).' });

const DirectionSchema = z.enum(["server-to-client", "client-to-server"]).meta({ description: "Who sends the message." });

/**
 * What an endpoint does with a message. `action` is one of a list that later versions may extend:
 * a replayer must fail on an action it does not know.
 */
export const OutcomeSchema = z
  .strictObject({
    action: z.enum(["deliver", "queue", "refuse", "ignore", "hold", "close"]).meta({
      description:
        "deliver: sent now (sender) or handed to the application (receiver); queue: held by the sender's lifecycle guard, in order, until a transition allows the event; refuse: the sender's guard throws (a payload the contract refuses, or an event after a final state that does not allow it) or the receiver's parser fails; ignore: the receiver drops it without failing (an event name an open union does not know); hold: the server keeps a client message its state does not allow (`outOfState: hold`) and hands it on, in order, when a state allows it; close: the server closes the connection with `code` (an out-of-state `{ reject }` policy, or `inbound.invalid` for an invalid client message).",
    }),
    code: z.number().int().optional().meta({ description: "The WebSocket close code of a `close` action." }),
    reason: z.string().optional().meta({ description: "Why, in words." }),
  })
  .meta({ description: "What a conforming endpoint does with the message." });

const ValidVectorSchema = z
  .strictObject({
    id: z.string().meta({ description: "`<state>/<event>/<direction>`: unique in the file." }),
    state: z.string().meta({ description: "The lifecycle state both endpoints are in (reach it with `states.<state>.transitions`)." }),
    event: z.string(),
    direction: DirectionSchema,
    message: z.record(z.string(), z.unknown()).meta({ description: "A wire message the contract accepts." }),
    send: OutcomeSchema.meta({ description: "What the sending endpoint's lifecycle guard does when the event is emitted in `state`." }),
    receive: OutcomeSchema.meta({
      description:
        "What the receiving endpoint does with the message: the server, for a client message, delivers it, holds it or closes as the event's out-of-state policy says; the client delivers every valid server message (the server keeps the lifecycle).",
    }),
  })
  .meta({ description: "A valid message in one state, and what each endpoint does with it." });

const InvalidVectorSchema = z
  .strictObject({
    id: z
      .string()
      .meta({ description: "`<event>/<direction>/<path>/<keyword>` (numbered `#2`, ... when a place breaks one keyword twice): unique in the file." }),
    event: z.string(),
    direction: DirectionSchema,
    constraint: z.string().meta({ description: "The JSON Schema keyword the message breaks (`maxLength`, `required`, `additionalProperties`, ...)." }),
    schemaPath: z.string().meta({
      description:
        "Where the keyword is written in the contract (dotted, `events.<event>.payload...` or `definitions.<name>...`; `events.<event>.fields` for an envelope field left out).",
    }),
    message: z.record(z.string(), z.unknown()).meta({ description: "The valid message of the event with one value changed so that it breaks the constraint." }),
    path: PathSchema.meta({
      description:
        "Where the offending value is (for `required`, the missing field; for `additionalProperties`, the extra one). A validator must name this place or one below it.",
    }),
    send: OutcomeSchema,
    receive: OutcomeSchema,
  })
  .meta({ description: "A message that breaks one payload constraint, and the place the validator names." });

const UnknownVectorSchema = z
  .strictObject({
    id: z.string(),
    direction: DirectionSchema,
    message: z.record(z.string(), z.unknown()).meta({ description: "A message whose event name the contract does not declare." }),
    receive: OutcomeSchema.meta({
      description:
        "`ignore` for an open union (docs/contract-format.md#openness); for a closed one, `close` with `inbound.invalid`'s code (client-to-server) or `refuse` (server-to-client).",
    }),
  })
  .meta({ description: "An event name the union does not know, per direction." });

const SequenceVectorSchema = z
  .strictObject({
    id: z.string().meta({ description: "`unique/<rule>/reused`, or `unique/<rule>/ended-by/<event>/<direction>`: unique in the file." }),
    rule: z.string().meta({ description: "The per-id uniqueness rule (`unique.<rule>` in the contract)." }),
    state: z.string().meta({ description: "The lifecycle state both endpoints are in (reach it with `states.<state>.transitions`)." }),
    receiver: z.enum(["server", "client"]).meta({
      description: "The endpoint under test: the side that does not open the rule's ids. It emits the messages of its own direction and receives the others.",
    }),
    messages: z
      .array(z.strictObject({ direction: DirectionSchema, message: z.record(z.string(), z.unknown()) }))
      .meta({ description: "Valid wire messages, in order, all carrying one id." }),
    receive: OutcomeSchema.meta({
      description:
        "What the receiver does with the last message: `close` with the rule's code when its id is still live, `deliver` when an earlier message ended it.",
    }),
  })
  .meta({ description: "Per-id uniqueness (`unique`): messages that open, end and reopen one id, and what the receiver does with the last." });

const SkippedSchema = z
  .strictObject({
    schemaPath: z.string(),
    reason: z.string(),
  })
  .meta({ description: "A constraint (or event) with no vector, and why." });

export const VectorsFileSchema = z
  .strictObject({
    $comment: z.string().optional(),
    format: z.literal(1).meta({ description: "The version of this file's format." }),
    contract: z.strictObject({ name: z.string(), version: z.string() }),
    envelope: z.strictObject({
      discriminator: z.string(),
      payloadField: z.string(),
      fields: z
        .array(z.string())
        .optional()
        .meta({ description: "The envelope fields beside the payload (`envelope.fields`); each message carries its event's." }),
    }),
    states: z
      .record(z.string(), z.strictObject({ transitions: z.array(z.string()), final: z.boolean() }))
      .meta({ description: "Every lifecycle state, with a shortest list of transitions that reaches it from the initial state." }),
    valid: z.array(ValidVectorSchema),
    invalid: z.array(InvalidVectorSchema),
    unknown: z.array(UnknownVectorSchema),
    sequences: z
      .array(SequenceVectorSchema)
      .optional()
      .meta({ description: "Message sequences for the contract's per-id uniqueness rules; absent when it has none." }),
    skipped: z.array(SkippedSchema),
  })
  .meta({
    title: "covenant conformance vectors",
    description:
      "Messages and what a conforming endpoint does with each, generated from a contract (docs/vectors.md). Replay them against an implementation in any language.",
  });

export type VectorsFile = z.infer<typeof VectorsFileSchema>;
export type Outcome = z.infer<typeof OutcomeSchema>;

/** The JSON Schema of the vectors file (`schema/vectors.schema.json`). */
export function createVectorsJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(VectorsFileSchema, { target: "draft-2020-12", io: "input" });
}

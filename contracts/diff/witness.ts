/**
 * Witnesses: concrete evidence for a breaking change. A message witness is a full wire message
 * (envelope and payload) that one contract accepts and the other rejects, built from the schemas
 * and then checked with ajv against both contracts' wire schemas before it is attached.
 */
import type { Side } from "./change-kinds.js";
import type { Contract, ContractEvent, JsonSchema } from "../model.js";
import type { PayloadChange } from "./schema/compare.js";
import type { SchemaContext } from "./schema/context.js";
import type { Located, Normalizer } from "./schema/normalize.js";
import { embedValue, type SampleSide, ValueSampler } from "./schema/sample.js";

export type ContractSide = "old" | "new";

export interface MessageWitness {
  kind: "message";
  /** The wire message: `{ <discriminator>: event, <payloadField>: payload }`, and the envelope fields its event carries. */
  message: Record<string, unknown>;
  acceptedBy: ContractSide;
  rejectedBy: ContractSide;
  /** Why the rejecting contract rejects it (its validator's first error). */
  reason: string;
  /**
   * A change of openness: the message names an event (or enum value) neither contract lists; the
   * `acceptedBy` contract declares that union or enum open, so its receivers ignore it, and the
   * `rejectedBy` contract closed, so its receivers reject it.
   */
  ignored?: true;
}

export interface TransitionsWitness {
  kind: "transitions";
  /** Transitions taken from the initial state, in order. */
  transitions: string[];
  /** For event-state changes: the event sent after the transitions. */
  event?: string;
  /** The state each contract is in after the transitions (null: it has no such path). */
  oldState: string | null;
  newState: string | null;
  acceptedBy: ContractSide;
  /** The contract that rejects the path (or the event in that state); absent when both follow the path but disagree on where it leads. */
  rejectedBy?: ContractSide;
}

export interface RunWitness {
  kind: "run";
  /** Event names of one run, in order. */
  events: string[];
  /**
   * `run-cannot-complete`: what the parties of the new contract (new server, old clients) still send
   * of `events`; the `rejectedBy` pattern rejects this, where `acceptedBy` accepts `events`.
   */
  produced?: string[];
  acceptedBy: ContractSide;
  rejectedBy: ContractSide;
}

/** What a connection's endpoint does in a witness of a connection rule: hold the message, close, or stay open. */
export type ConnectionOutcome = { outcome: "held" } | { outcome: "open" } | { outcome: "closed"; code: number; name: string };

/**
 * A connection witness (out-of-state policies, timeouts): a path of transitions to a state both
 * lifecycles reach, then what the client does there (sends `event`, or lets `stayMs` pass), and
 * what each contract's server does about it.
 */
export interface ConnectionWitness {
  kind: "connection";
  transitions: string[];
  state: string;
  event?: string;
  stayMs?: number;
  /**
   * Per-id uniqueness: the messages that pass in `state`, in order, each with `field` = `id`, and the
   * side that receives the last (its answer is `old` and `new`: `open` when it delivers it).
   */
  ids?: { field: string; id: string | number; messages: { event: string; by: "client" | "server" }[]; receiver: "client" | "server" };
  old: ConnectionOutcome;
  new: ConnectionOutcome;
}

export type Witness = MessageWitness | TransitionsWitness | RunWitness | ConnectionWitness;

export function producerOf(side: Side): ContractSide {
  return side === "server-to-client" ? "new" : "old";
}

function other(side: ContractSide): ContractSide {
  return side === "old" ? "new" : "old";
}

interface ContractSideData {
  contract: Contract;
  ctx: SchemaContext;
  norm: Normalizer;
}

/**
 * The schema of every wire message a contract allows on one side (or on any side): per event, the
 * discriminator, the payload (required unless `payloadOptional`) and the envelope fields the event
 * lists (each required), and no other field, as the generated validators have it.
 */
export function wireSchema(contract: Contract, side: Side | "any", only?: string): JsonSchema {
  const { discriminator, payloadField } = contract.envelope;
  const events = contract.events.filter((e) => (side === "any" || e.direction === side || e.direction === "both") && (only === undefined || e.name === only));
  if (events.length === 0) return false;
  return {
    anyOf: events.map((e) => {
      const fields = e.fields ?? [];
      return {
        type: "object",
        required: [discriminator, ...(e.payloadOptional === true ? [] : [payloadField]), ...fields],
        properties: {
          [discriminator]: { const: e.name },
          [payloadField]: e.payload,
          ...Object.fromEntries(fields.map((f) => [f, envelopeFieldSchema(contract, f) ?? true])),
        },
        additionalProperties: false,
      };
    }),
  };
}

function envelopeFieldSchema(contract: Contract, name: string): JsonSchema | undefined {
  return contract.envelope.fields?.find((f) => f.name === name)?.schema;
}

/** Stands for a payload left out of a message. */
const OMIT: unique symbol = Symbol("omit");

export class WitnessFinder {
  private readonly sides: Record<ContractSide, ContractSideData>;
  private readonly wire = new Map<string, JsonSchema>();
  private readonly fieldValues = new Map<string, { value: unknown } | undefined>();

  constructor(oldSide: ContractSideData, newSide: ContractSideData) {
    this.sides = { old: oldSide, new: newSide };
  }

  private wireOf(which: ContractSide, side: Side | "any"): JsonSchema {
    const key = `${which}:${side}`;
    let schema = this.wire.get(key);
    if (!schema) {
      schema = wireSchema(this.sides[which].contract, side);
      this.wire.set(key, schema);
    }
    return schema;
  }

  /** Checks a wire message: accepted by `accepting`'s wire schema for `side`, rejected by the other's. */
  verify(message: Record<string, unknown>, accepting: ContractSide, side: Side | "any"): MessageWitness | undefined {
    const rejecting = other(accepting);
    if (!this.sides[accepting].ctx.accepts(this.wireOf(accepting, side), message)) return undefined;
    const reason = this.sides[rejecting].ctx.explain(this.wireOf(rejecting, side), message);
    if (reason === undefined) return undefined;
    return { kind: "message", message, acceptedBy: accepting, rejectedBy: rejecting, reason: this.describeRejection(rejecting, message, side, reason) };
  }

  private describeRejection(
    rejecting: ContractSide,
    message: Record<string, unknown>,
    side: Side | "any",
    fallback: { pointer: string; message: string },
  ): string {
    const contract = this.sides[rejecting].contract;
    const { discriminator, payloadField } = contract.envelope;
    const name = message[discriminator];
    const event =
      typeof name === "string" ? contract.events.find((e) => e.name === name && (side === "any" || e.direction === side || e.direction === "both")) : undefined;
    if (typeof name !== "string") return `the ${rejecting} contract expects the event name under "${discriminator}"`;
    if (!event) return `the ${rejecting} contract has no ${side === "any" ? "" : `${side} `}event "${name}"`;
    const fields = event.fields ?? [];
    const missing = fields.find((f) => !Object.hasOwn(message, f));
    if (missing !== undefined) return `the ${rejecting} contract requires envelope field "${missing}" on event "${name}"`;
    const extra = Object.keys(message).find((key) => key !== discriminator && key !== payloadField && !fields.includes(key));
    if (extra !== undefined) return `the ${rejecting} contract has no field "${extra}" beside the payload of event "${name}": its envelope is closed`;
    for (const field of fields) {
      const schema = envelopeFieldSchema(contract, field);
      const wrong = schema === undefined ? undefined : this.sides[rejecting].ctx.explain(schema, message[field]);
      if (wrong) return `${field}${wrong.pointer} ${wrong.message}`;
    }
    if (!Object.hasOwn(message, payloadField)) {
      return event.payloadOptional === true ? fallback.message : `the ${rejecting} contract expects the payload under "${payloadField}"`;
    }
    const why = this.sides[rejecting].ctx.explain(event.payload, message[payloadField]) ?? fallback;
    return `${payloadField}${why.pointer} ${why.message}`;
  }

  /**
   * A wire message of `event` as `which`'s contract has it: the payload (left out when `payload` is
   * OMIT) and a value for each envelope field the event carries there, one that the other contract's
   * schema of the field accepts too where it has one (so the field's value is not what differs).
   */
  private message(which: ContractSide, event: string, payload: unknown): Record<string, unknown> {
    const { contract } = this.sides[which];
    const { discriminator, payloadField } = contract.envelope;
    const message: Record<string, unknown> = { [discriminator]: event };
    if (payload !== OMIT) message[payloadField] = payload;
    for (const field of contract.events.find((e) => e.name === event)?.fields ?? []) {
      const value = this.fieldValue(which, field);
      if (value !== undefined) message[field] = value.value;
    }
    return message;
  }

  private fieldValue(which: ContractSide, field: string): { value: unknown } | undefined {
    const key = `${which}:${field}`;
    if (this.fieldValues.has(key)) return this.fieldValues.get(key);
    const own = envelopeFieldSchema(this.sides[which].contract, field);
    const theirs = envelopeFieldSchema(this.sides[other(which)].contract, field);
    let found: { value: unknown } | undefined;
    if (own !== undefined) {
      const at = ["envelope", "fields", field];
      const candidates = this.sampler(which)
        .candidates({ schema: own, at }, theirs === undefined ? undefined : { schema: theirs, at })
        .filter((v) => this.sides[which].ctx.accepts(own, v));
      const both = theirs === undefined ? undefined : candidates.find((v) => this.sides[other(which)].ctx.accepts(theirs, v));
      found = both !== undefined ? { value: both } : candidates.length > 0 ? { value: candidates[0] } : undefined;
    }
    this.fieldValues.set(key, found);
    return found;
  }

  /**
   * A message witness for a change of an event's envelope (`envelope-field-added`/`-removed`,
   * `payload-made-optional`/`-required`) on `side`: a message of the producing side's event, with
   * its envelope fields, and without its payload when `omitPayload` (a payload both contracts
   * accept otherwise, so that only the envelope differs), which the consuming side rejects.
   */
  envelopeChangeWitness(oldEvent: ContractEvent, newEvent: ContractEvent, side: Side, omitPayload: boolean): MessageWitness | undefined {
    const producer = producerOf(side);
    const producerEvent = producer === "old" ? oldEvent : newEvent;
    const consumerEvent = producer === "old" ? newEvent : oldEvent;
    if (omitPayload) return this.verify(this.message(producer, producerEvent.name, OMIT), producer, side);
    const p = this.sides[producer];
    const c = this.sides[other(producer)];
    const root: Located = { schema: producerEvent.payload, at: ["events", producerEvent.name, "payload"] };
    const candidates = [...producerEvent.examples, ...this.sampler(producer).candidates(root, { schema: consumerEvent.payload, at: root.at })].filter((v) =>
      p.ctx.accepts(producerEvent.payload, v),
    );
    const shared = candidates.filter((v) => c.ctx.accepts(consumerEvent.payload, v));
    for (const payload of [...shared, ...candidates].slice(0, 16)) {
      const witness = this.verify(this.message(producer, producerEvent.name, payload), producer, side);
      if (witness) return witness;
    }
    return undefined;
  }

  private sampler(producer: ContractSide): ValueSampler {
    const p = this.sides[producer];
    const c = this.sides[other(producer)];
    return new ValueSampler({ norm: p.norm, ctx: p.ctx } satisfies SampleSide, { norm: c.norm, ctx: c.ctx });
  }

  /** A message of `event` that `producer`'s contract accepts and the other contract rejects on `side`. */
  eventWitness(producer: ContractSide, event: ContractEvent, side: Side | "any"): MessageWitness | undefined {
    const sampler = this.sampler(producer);
    const root: Located = { schema: event.payload, at: ["events", event.name, "payload"] };
    const candidates = [...event.examples, ...sampler.candidates(root)].filter((c) => this.sides[producer].ctx.accepts(event.payload, c));
    for (const payload of candidates.slice(0, 16)) {
      const witness = this.verify(this.message(producer, event.name, payload), producer, side);
      if (witness) return witness;
    }
    return undefined;
  }

  /** A message witness for a payload change of `event`, for the side on which it breaks. */
  payloadWitness(oldEvent: ContractEvent, newEvent: ContractEvent, change: PayloadChange, side: Side): MessageWitness | undefined {
    const producer = producerOf(side);
    const consumer = other(producer);
    const p = this.sides[producer];
    const c = this.sides[consumer];
    const probe = change.probe;
    const producerSub = probe[producer];
    const consumerSub = probe[consumer];
    const producerEvent = producer === "old" ? oldEvent : newEvent;
    const consumerEvent = producer === "old" ? newEvent : oldEvent;
    const producerRoot: Located = { schema: producerEvent.payload, at: ["events", producerEvent.name, "payload"] };
    const consumerRoot: Located = { schema: consumerEvent.payload, at: ["events", consumerEvent.name, "payload"] };
    const sampler = this.sampler(producer);
    const seeds = probe.seeds?.[producer] ?? [];
    const variant = producer === "old" ? probe.oldVariant : probe.newVariant;
    const local: unknown[] = [];
    if (producerSub) {
      local.push(...seeds, ...sampler.candidates(producerSub, consumerSub, variant, probe.focus));
      if (variant) local.push(...sampler.candidates(producerSub, consumerSub, undefined, probe.focus));
    }
    const leaves = local.filter((v) => producerSub && p.ctx.accepts(producerSub.schema, v) && (!consumerSub || !c.ctx.accepts(consumerSub.schema, v)));
    const tried = new Set<string>();
    for (const leaf of [...leaves, ...local].slice(0, 48)) {
      const payload = embedValue(sampler, { norm: p.norm, ctx: p.ctx }, producerRoot, probe.instancePath, leaf, {
        side: { norm: c.norm, ctx: c.ctx },
        root: consumerRoot,
      });
      if (payload === undefined) continue;
      const key = JSON.stringify(payload);
      if (tried.has(key)) continue;
      tried.add(key);
      const witness = this.verify(this.message(producer, producerEvent.name, payload), producer, side);
      if (witness) return witness;
    }
    // Last resort: whole-payload candidates of the producing side.
    for (const payload of [...producerEvent.examples, ...sampler.candidates(producerRoot, consumerRoot)].slice(0, 32)) {
      const witness = this.verify(this.message(producer, producerEvent.name, payload), producer, side);
      if (witness) return witness;
    }
    return undefined;
  }

  /** A message with an event name neither contract has, sent on `side`: ignored by `open`'s receivers, rejected by the other's. */
  unknownEventWitness(name: string, open: ContractSide, side: Side): MessageWitness | undefined {
    const rejecting = other(open);
    const message = this.message(open, name, {});
    if (this.sides[rejecting].ctx.explain(this.wireOf(rejecting, side), message) === undefined) return undefined;
    return {
      kind: "message",
      message,
      acceptedBy: open,
      rejectedBy: rejecting,
      reason: `the ${rejecting} contract has no ${side} event "${name}" and declares that union closed`,
      ignored: true,
    };
  }

  /**
   * A message of `event` (as `open`'s contract has it) whose value at `instancePath` is one the enum
   * there does not list: a listed value makes it valid on the open side, so only that value is unknown.
   */
  unknownValueWitness(
    event: ContractEvent,
    instancePath: readonly (string | number)[],
    listed: unknown,
    unlisted: unknown,
    open: ContractSide,
    side: Side,
  ): MessageWitness | undefined {
    const rejecting = other(open);
    const sampler = this.sampler(open);
    const root: Located = { schema: event.payload, at: ["events", event.name, "payload"] };
    for (const base of [...event.examples, ...sampler.candidates(root)].slice(0, 32)) {
      const known = withValue(base, instancePath, listed);
      if (known === undefined || !this.sides[open].ctx.accepts(event.payload, known)) continue;
      const message = this.message(open, event.name, withValue(base, instancePath, unlisted));
      const why = this.sides[rejecting].ctx.explain(this.wireOf(rejecting, side), message);
      if (why === undefined) continue;
      return {
        kind: "message",
        message,
        acceptedBy: open,
        rejectedBy: rejecting,
        reason: `${this.describeRejection(rejecting, message, side, why)}, and the ${rejecting} contract declares that enum closed`,
        ignored: true,
      };
    }
    return undefined;
  }

  /** A message of an event present on both sides, in the old envelope (accepted by old, rejected by new). */
  envelopeWitness(): MessageWitness | undefined {
    const oldContract = this.sides.old.contract;
    for (const event of oldContract.events) {
      const witness = this.eventWitness("old", event, "any");
      if (witness) return witness;
    }
    return undefined;
  }
}

/** A copy of a JSON value with `value` set at `path` (objects created where missing; undefined when an array index is out of range). */
function withValue(root: unknown, path: readonly (string | number)[], value: unknown): unknown {
  if (path.length === 0) return value;
  const [head, ...rest] = path;
  if (typeof head === "number") {
    if (!Array.isArray(root) || head >= root.length) return undefined;
    const inner = withValue(root[head], rest, value);
    return inner === undefined ? undefined : (root as unknown[]).map((item, i) => (i === head ? inner : item));
  }
  if (typeof root !== "object" || root === null || Array.isArray(root)) return undefined;
  const source = root as Record<string, unknown>;
  const inner = withValue(Object.hasOwn(source, head!) ? source[head!] : {}, rest, value);
  return inner === undefined ? undefined : Object.fromEntries([...Object.entries(source).filter(([k]) => k !== head), [head!, inner]]);
}

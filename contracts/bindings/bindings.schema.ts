/**
 * `bindings.<contract>` in covenant.config.json: how a contract's transitions, operations, event
 * emissions and known states map to calls in the code. Read by `lifecycle-order` and
 * `contract-event`. The shape is checked here; the names (transitions, states, events) are checked
 * against the loaded contract by `findBindingProblems`.
 */
import { z } from "zod";
import type { Contract } from "../model.js";

const names = (what: string) => z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]).describe(what);

const argumentIndex = (what: string) => z.number().int().min(0).describe(what);

/** A string-literal argument a call must have, e.g. `on("message", …)`: `{ "index": 0, "value": "message" }`. */
export const argumentMatcherSchema = z
  .strictObject({
    index: argumentIndex("0-based position of the argument."),
    value: names("The string literal(s) the argument must be (its literal type counts too)."),
  })
  .describe('Match only calls whose argument at `index` is one of these string literals (e.g. `ws.on("message", …)`).');

/** The fields every call binding shares: which calls it means. */
const callFields = {
  call: names('Method or function name(s) of the call, e.g. "send" or ["close", "terminate"].'),
  receiverType: names(
    "Type name(s) the receiver must have: the name of its declared class, interface or type alias, or of any class or interface it extends or implements (also the type that declares the called method). Omit to match the method name on any receiver; for a plain function call, leave it out.",
  ).optional(),
  argument: argumentMatcherSchema.optional(),
  connectionArg: argumentIndex(
    'For calls that take the connection as an argument (`once(ws, "open")`, `markReady(conn)`): its position. Default: the receiver (`conn.accept()`); a call with neither acts on the function\'s bound connection.',
  ).optional(),
};

export const callMatcherSchema = z.strictObject(callFields).describe("Which calls are meant: by name, receiver type and literal argument.");

export const transitionBindingSchema = z
  .strictObject({
    transition: z.string().min(1).optional().describe('The contract transition the call performs, e.g. "accept".'),
    transitionArg: argumentIndex(
      'Instead of `transition`: the position of a string-literal argument that names the transition (the generated guard\'s `conn.transition("ready")`).',
    ).optional(),
    ...callFields,
  })
  .refine((b) => (b.transition === undefined) !== (b.transitionArg === undefined), { message: "Give exactly one of `transition` and `transitionArg`" })
  .describe("A call that performs a lifecycle transition. A call returning a Promise completes the transition when it is awaited.");

export const operationBindingSchema = z
  .strictObject({
    operation: z.string().min(1).optional().describe('A name for the operation in messages, e.g. "send". Default: the method name.'),
    requires: z
      .string()
      .min(1)
      .describe(
        'The state the connection must have reached (it, or any state reachable from it) or the transition that must have happened, e.g. "accepted" or "accept".',
      ),
    ...callFields,
  })
  .describe("A call that is only allowed once the connection has reached a state (e.g. `send` after `accept`, registering a message handler).");

export const emitBindingSchema = z
  .strictObject({
    event: z.string().min(1).optional().describe('The event a method-per-event call emits, e.g. `notifyAgentStarted` → "agent_started".'),
    eventArg: argumentIndex("The position of the argument that names the event (a string literal, or an expression of literal type).").optional(),
    envelopeArg: argumentIndex(
      "The position of an argument that is a whole wire message `{ <discriminator>: event, <payloadField>: payload }` (per the contract's envelope), also inside `JSON.stringify(…)`.",
    ).optional(),
    payloadArg: argumentIndex(
      "The position of the payload argument, checked against the event's payload schema. Omit when the call takes no payload object.",
    ).optional(),
    addsFields: z
      .array(z.string().min(1))
      .optional()
      .describe('Payload fields the emitter fills in itself (e.g. ["run_id", "timestamp"]): not required at the call.'),
    queues: z
      .boolean()
      .optional()
      .describe(
        "The emitter holds events back until the connection is in one of the event's states (as the generated lifecycle guard does): emitting earlier is not reported.",
      ),
    ...callFields,
  })
  .refine((b) => [b.event, b.eventArg, b.envelopeArg].filter((v) => v !== undefined).length === 1, {
    message: "Give exactly one of `event`, `eventArg` and `envelopeArg`",
  })
  .refine((b) => b.envelopeArg === undefined || b.payloadArg === undefined, {
    message: "`payloadArg` does not go with `envelopeArg`: the envelope carries the payload",
  })
  .describe("A call that emits a contract event.");

export const receiveBindingSchema = z
  .strictObject({
    event: z
      .string()
      .min(1)
      .optional()
      .describe('The event a method-per-event handler processes, e.g. `handleSubscribe` → "subscribe" (on a client: `onAck` → "connection_ack").'),
    eventArg: argumentIndex(
      'The position of the argument that names the event (a string literal, or an expression of literal type), e.g. `dispatch(ws, "subscribe", payload)`.',
    ).optional(),
    ...callFields,
  })
  .refine((b) => (b.event === undefined) !== (b.eventArg === undefined), { message: "Give exactly one of `event` and `eventArg`" })
  .describe(
    "A call that processes a message the other side sent (a receive site): the handler acts on it now, and an event that takes a transition moves the connection. contract-event reports a client message processed in a state where the contract holds or rejects it.",
  );

export const handlerBindingSchema = z
  .strictObject({
    state: z.string().min(1).describe("The lifecycle state the connection is in when the matched code starts."),
    parameterType: names(
      "Functions with a parameter of this type (by name, as `receiverType`): that parameter is a connection in `state`. Bind only types that exist in that state alone (e.g. PendingConnection), or add `function`/`decorator`.",
    ).optional(),
    function: names('Function or method names (`name` or `Class.name`; `*` wildcards) whose code runs in `state`, e.g. "onReady".').optional(),
    decorator: names('Decorator names: decorated methods run in `state`, e.g. "OnReady".').optional(),
    callbackOf: callMatcherSchema
      .extend({
        callbackArg: argumentIndex("Which argument is the callback. Default: any function argument.").optional(),
      })
      .optional()
      .describe(
        'Callbacks passed to these calls run in `state`, on the call\'s receiver (or on the first parameter of `parameterType`), e.g. `wss.on("connection", (ws) => …)`.',
      ),
    construct: names("Class name(s): `new X(…)` creates a connection in `state` (e.g. a `ws` client WebSocket starts in `connecting`).").optional(),
  })
  .refine(
    (b) => b.parameterType !== undefined || b.function !== undefined || b.decorator !== undefined || b.callbackOf !== undefined || b.construct !== undefined,
    {
      message: "Give at least one of `parameterType`, `function`, `decorator`, `callbackOf` and `construct`",
    },
  )
  .refine(
    (b) => b.construct === undefined || (b.parameterType === undefined && b.function === undefined && b.decorator === undefined && b.callbackOf === undefined),
    {
      message: "`construct` stands alone",
    },
  )
  .describe("Where the state of a connection is known: entry points of handlers, callbacks and constructions. All conditions given must hold.");

export const contractBindingsSchema = z
  .strictObject({
    transitions: z.array(transitionBindingSchema).optional().describe("Calls that perform lifecycle transitions (accept, reject, close, ready, …)."),
    operations: z.array(operationBindingSchema).optional().describe("Calls allowed only from a state on (lifecycle-order reports them on paths before it)."),
    emits: z.array(emitBindingSchema).optional().describe("Calls that emit contract events (contract-event checks their names, payloads and states)."),
    receives: z
      .array(receiveBindingSchema)
      .optional()
      .describe("Calls that process a received message (contract-event reports a client message processed in a state where the contract holds or rejects it)."),
    handlers: z.array(handlerBindingSchema).optional().describe("Where connections start in a known state."),
  })
  .describe("How one contract maps to code: its transitions, operations, emissions and known states.");

export type ArgumentMatcher = z.output<typeof argumentMatcherSchema>;
export type CallMatcher = z.output<typeof callMatcherSchema>;
export type TransitionBinding = z.output<typeof transitionBindingSchema>;
export type OperationBinding = z.output<typeof operationBindingSchema>;
export type EmitBinding = z.output<typeof emitBindingSchema>;
export type ReceiveBinding = z.output<typeof receiveBindingSchema>;
export type HandlerBinding = z.output<typeof handlerBindingSchema>;
export type ContractBindings = z.output<typeof contractBindingsSchema>;
export type ContractBindingsInput = z.input<typeof contractBindingsSchema>;

export const bindingsSchema = z
  .record(z.string(), contractBindingsSchema)
  .describe("Per contract name: how its transitions, operations and emits map to code (lifecycle-order, contract-event).");

/** A binding that names something the contract does not have, with its path below `bindings.<contract>`. */
export interface BindingProblem {
  path: (string | number)[];
  message: string;
}

function quoteList(values: readonly string[]): string {
  return values.map((v) => `"${v}"`).join(", ");
}

/** Checks the names in a contract's bindings (transitions, states, events) against the contract. */
export function findBindingProblems(contract: Contract, bindings: ContractBindings): BindingProblem[] {
  const states = contract.lifecycle.states.map((s) => s.name);
  const transitions = [...new Set(contract.lifecycle.states.flatMap((s) => Object.keys(s.on)))];
  const events = contract.events.map((e) => e.name);
  const problems: BindingProblem[] = [];
  const expect = (path: (string | number)[], value: string | undefined, known: readonly string[], what: string) => {
    if (value === undefined || known.includes(value)) return;
    problems.push({
      path,
      message: `"${value}" is not ${/^[aeiou]/.test(what) ? "an" : "a"} ${what} of contract ${contract.name}. Use one of: ${quoteList(known) || "(none)"}.`,
    });
  };
  bindings.transitions?.forEach((b, i) => expect(["transitions", i, "transition"], b.transition, transitions, "transition"));
  bindings.operations?.forEach((b, i) => expect(["operations", i, "requires"], b.requires, [...states, ...transitions], "state or transition"));
  bindings.emits?.forEach((b, i) => expect(["emits", i, "event"], b.event, events, "event"));
  bindings.handlers?.forEach((b, i) => expect(["handlers", i, "state"], b.state, states, "state"));
  bindings.receives?.forEach((b, i) => expect(["receives", i, "event"], b.event, events, "event"));
  return problems;
}

/**
 * The lifecycle guard, inlined by the generator into every `<name>.lifecycle.ts` after the
 * contract's tables: `create<Name>Connection` keeps the lifecycle state, validates every emitted
 * payload and holds back (FIFO, head-of-line) the messages the current state does not allow.
 * Written for the stand-in contract (`Protocol…` names, see stand-in.ts); the generator renames
 * them to the contract's own and fills the `{{…}}` slots of the comments. Only the text between
 * the region markers is inlined.
 */
import type {
  ProtocolEventName,
  ProtocolMessage,
  ProtocolPayloads,
  ProtocolState,
  ProtocolTransition,
} from "./stand-in.js";
import {
  CONTRACT_NAME,
  DISCRIMINATOR,
  EVENT_STATES,
  FINAL_STATES,
  INITIAL_STATE,
  PAYLOAD_FIELD,
  TRANSITIONS,
  WIRE_OPEN,
  WIRE_PAYLOAD,
} from "./stand-in.js";
import { parseProtocolPayload, type ProtocolValidationIssue } from "./validators.js";

// #region lifecycle
function own<T>(table: { readonly [key: string]: T | undefined }, key: string): T | undefined {
  return Object.prototype.hasOwnProperty.call(table, key) ? table[key] : undefined;
}

function quoteList(names: readonly string[]): string {
  return names.length === 0 ? "none" : names.map((name) => JSON.stringify(name)).join(", ");
}

/** A lifecycle rule was broken: a transition the current state does not have, or an emit after the end. */
export class LifecycleError extends Error {
  /** The state the connection was in. */
  readonly state: string;
  /** The refused transition (when a transition was refused). */
  readonly transition: string | undefined;
  /** The refused event (when an emit was refused). */
  readonly event: string | undefined;
  constructor(message: string, state: string, transition: string | undefined, event: string | undefined) {
    super(message);
    this.name = "LifecycleError";
    this.state = state;
    this.transition = transition;
    this.event = event;
  }
}

/** An emitted event is not in the contract, or its payload does not match the contract's schema. */
export class ContractError extends Error {
  readonly event: string;
  readonly issues: readonly ProtocolValidationIssue[];
  constructor(message: string, event: string, issues: readonly ProtocolValidationIssue[]) {
    super(message);
    this.name = "ContractError";
    this.event = event;
    this.issues = issues;
  }
}

export interface ProtocolConnectionOptions {
  /**
   * Puts one message on the wire, as JSON text. When it throws (say, the socket is closed), the
   * message was not sent: it stays first in the queue (in a final state it goes to
   * `onUndelivered` with the rest) and the error comes out of the `emit` or `transition` that
   * sent it. It may call `emit` or `transition` itself: a message emitted meanwhile waits behind
   * the one being sent, and a transition applies to the messages after it.
   */
  readonly send: (text: string) => void;
  /**
   * Receives, oldest first, the messages still queued in a final state (including one whose
   * `send` threw there), before the `emit` or `transition` that got there returns or throws.
   * Without it they stay queued: `pending` counts them and `drain()` takes them.
   */
  readonly onUndelivered?: (messages: ProtocolMessage[]) => void;
}

export interface ProtocolConnection {
  /** The current lifecycle state (starts at {{initialState}}). */
  readonly state: ProtocolState;
  /** How many messages wait for a state that allows them. */
  readonly pending: number;
  /**
   * Takes the transition, then sends queued messages from the head while the head's event is
   * allowed, before returning the new state (in a final state, hands the rest to
   * `onUndelivered`). Throws a `LifecycleError` when the current state has no such transition.
   */
  transition(name: ProtocolTransition): ProtocolState;
  /**
   * Validates the payload (throws a `ContractError` when it does not match) and sends the message,
   * or queues it behind earlier ones when the current state does not allow the event (or messages
   * are already waiting). Returns whether it went out before `emit` returned. Throws a
   * `LifecycleError` in a final state that does not allow the event (also when the payload's
   * `toJSON` took the connection there).
   */
  // #envelope-fields /** `fields`: the envelope fields the event carries beside the payload; the whole message is validated. */
  // #envelope-fields emit<E extends ProtocolEventName>(event: E, payload: ProtocolPayloads[E], ...fields: ProtocolEnvelopeFieldsArg<E>): "sent" | "queued";
  emit<E extends ProtocolEventName>(event: E, payload: ProtocolPayloads[E]): "sent" | "queued"; // #plain-envelope
  /** Removes and returns every queued message, oldest first (not one that `send` is sending right now). */
  drain(): ProtocolMessage[];
}

interface QueuedMessage {
  readonly event: ProtocolEventName;
  /** The payload as it goes on the wire (after the JSON round trip). */
  readonly payload: unknown;
  /** The whole message as JSON text. */
  readonly text: string;
  /** Whether a `send` of it returned. */
  sent: boolean;
}

export function createProtocolConnection(options: ProtocolConnectionOptions): ProtocolConnection {
  let state: ProtocolState = INITIAL_STATE;
  // The queue is `queue[head]` onwards: sending from it advances `head` (shift() would copy the
  // whole array each time), and the slots left behind are dropped once they are half the array.
  const queue: (QueuedMessage | undefined)[] = [];
  let head = 0;
  /** A send() is under way: a re-entrant flush leaves the queue to it, and the hand-off waits for it. */
  let flushing = false;

  const allows = (event: ProtocolEventName): boolean => EVENT_STATES[event].includes(state);

  const flush = (): void => {
    if (flushing) return; // a send() that emits or transitions: the outer loop goes on
    flushing = true;
    try {
      for (let next = queue[head]; next !== undefined && allows(next.event); next = queue[head]) {
        queue[head] = undefined;
        head += 1;
        try {
          options.send(next.text);
        } catch (error) {
          // Not sent: it goes back first, before anything queued meanwhile. (`head` is 0 only if
          // send() drained the queue meanwhile.)
          if (head > 0) queue[--head] = next;
          else queue.unshift(next);
          throw error;
        }
        next.sent = true;
      }
    } finally {
      flushing = false;
      if (head === queue.length) {
        queue.length = 0;
        head = 0;
      } else if (head >= 32 && head * 2 >= queue.length) {
        queue.splice(0, head);
        head = 0;
      }
    }
  };

  /** Empties the queue; its messages, oldest first. */
  const takeAll = (): ProtocolMessage[] => {
    const messages: ProtocolMessage[] = [];
    for (let i = head; i < queue.length; i++) {
      const entry = queue[i]!;
      messages.push({ [DISCRIMINATOR]: entry.event, [PAYLOAD_FIELD]: entry.payload } as unknown as ProtocolMessage); // #plain-envelope
      // #envelope-fields messages.push(JSON.parse(entry.text) as ProtocolMessage); // the text has the envelope fields too
    }
    queue.length = 0;
    head = 0;
    return messages;
  };

  /**
   * In a final state, hands what is queued to onUndelivered. Run when an emit or transition ends,
   * however it ends; never while a send() is under way (its message may yet go out or come back).
   */
  const handOff = (): void => {
    if (flushing || !FINAL_STATES.has(state) || head === queue.length || options.onUndelivered === undefined) return;
    options.onUndelivered(takeAll());
  };

  const refuseAfterEnd = (event: string, states: readonly string[]): void => {
    if (!FINAL_STATES.has(state) || states.includes(state)) return;
    throw new LifecycleError(
      `${CONTRACT_NAME}: cannot emit ${JSON.stringify(event)}: the connection reached the final state ${JSON.stringify(state)}`,
      state,
      undefined,
      event,
    );
  };

  return {
    get state() {
      return state;
    },
    get pending() {
      return queue.length - head;
    },
    transition(name) {
      const target = own<ProtocolState>(own(TRANSITIONS, state) ?? {}, name);
      if (target === undefined) {
        const allowed = Object.keys(own(TRANSITIONS, state) ?? {});
        throw new LifecycleError(
          `${CONTRACT_NAME}: transition ${JSON.stringify(name)} is not allowed in state ${JSON.stringify(state)} (allowed here: ${quoteList(allowed)})`,
          state,
          name,
          undefined,
        );
      }
      state = target;
      try {
        flush();
      } finally {
        handOff();
      }
      return state;
    },
    emit(event, payload) { // #plain-envelope
    // #envelope-fields emit(event, payload, ...fields) {
      const states = own(EVENT_STATES, event);
      if (states === undefined) {
        throw new ContractError(
          `${CONTRACT_NAME}: unknown event ${JSON.stringify(event)} (the contract declares ${quoteList(Object.keys(EVENT_STATES))})`,
          event,
          [],
        );
      }
      refuseAfterEnd(event, states);
      // Validate what goes on the wire: the payload after a JSON round trip.
      let payloadText: string | undefined;
      let wire: unknown;
      try {
        payloadText = JSON.stringify(payload);
        wire = payloadText === undefined ? undefined : JSON.parse(payloadText);
      } catch (error) {
        throw new ContractError(
          `${CONTRACT_NAME}: payload of ${JSON.stringify(event)} is not JSON (${error instanceof Error ? error.message : String(error)})`,
          event,
          [],
        );
      }
      // The payload's toJSON may have moved the connection on, even to its end.
      refuseAfterEnd(event, states);
      const result = parseProtocolPayload(event, wire);
      if (result.success === false) {
        throw new ContractError(
          `${CONTRACT_NAME}: invalid payload for ${JSON.stringify(event)}: ${result.error.message}`,
          event,
          result.error.issues,
        );
      }
      // The text JSON.stringify({ [DISCRIMINATOR]: event, [PAYLOAD_FIELD]: wire }) gives, without
      // stringifying the payload again (its text is the text of `wire`).
      const opening = WIRE_OPEN + JSON.stringify(event);
      const text = payloadText === undefined ? `${opening}}` : `${opening}${WIRE_PAYLOAD}${payloadText}}`; // #plain-envelope
      // #envelope-fields // The event's envelope fields follow the payload; the whole message is checked (a missing, extra or invalid field).
      // #envelope-fields const given: { readonly [field: string]: unknown } = fields[0] ?? {};
      // #envelope-fields let carried = "";
      // #envelope-fields for (const name of Object.keys(given)) {
      // #envelope-fields   if (!(own(EVENT_FIELDS, event) ?? []).includes(name)) {
      // #envelope-fields     throw new ContractError(
      // #envelope-fields       `${CONTRACT_NAME}: ${JSON.stringify(event)} carries no envelope field ${JSON.stringify(name)} (it carries: ${quoteList(own(EVENT_FIELDS, event) ?? [])})`,
      // #envelope-fields       event,
      // #envelope-fields       [],
      // #envelope-fields     );
      // #envelope-fields   }
      // #envelope-fields   const value = JSON.stringify(given[name]);
      // #envelope-fields   if (value !== undefined) carried += `,${JSON.stringify(name)}:${value}`;
      // #envelope-fields }
      // #envelope-fields const text = `${opening}${payloadText === undefined ? "" : WIRE_PAYLOAD + payloadText}${carried}}`;
      // #envelope-fields const checked = parseProtocolMessage(text);
      // #envelope-fields if (checked.success === false) {
      // #envelope-fields   throw new ContractError(
      // #envelope-fields     `${CONTRACT_NAME}: invalid message for ${JSON.stringify(event)}: ${checked.error?.message ?? "not a message of the contract"}`,
      // #envelope-fields     event,
      // #envelope-fields     checked.error?.issues ?? [],
      // #envelope-fields   );
      // #envelope-fields }
      const entry: QueuedMessage = { event, payload: wire, text, sent: false };
      queue.push(entry);
      try {
        flush();
      } finally {
        handOff();
      }
      return entry.sent ? "sent" : "queued";
    },
    drain() {
      return takeAll();
    },
  };
}
// #endregion lifecycle

// For the run monitor (run-monitor.ts), which the generated file has in the same scope.
export { own, quoteList };

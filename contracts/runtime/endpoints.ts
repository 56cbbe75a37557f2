/**
 * The role endpoints, inlined by the generator into every `<name>.lifecycle.ts` after the
 * lifecycle guard: `create<Name>Server` and `create<Name>Client` wrap a `create<Name>Connection`
 * (its outbound queue and guarantees) with what one side of the wire does: it emits only its own
 * direction, validates what the other side sends (`receive`), applies the out-of-state policies
 * (hold or reject with a close code), takes the transitions the contract says an event's arrival
 * or sending takes, and closes on a state's timeout. Written for the stand-in contract
 * (`Protocol…` names, see stand-in.ts); only the text between the region markers is inlined.
 */
import type {
  ProtocolClientEventName,
  ProtocolEventName,
  ProtocolMessage,
  ProtocolMessageOf,
  ProtocolPayloads,
  ProtocolServerEventName,
  ProtocolState,
  ProtocolTransition,
} from "./stand-in.js";
import {
  CONTRACT_NAME,
  DISCRIMINATOR,
  EVENT_DIRECTIONS,
  EVENT_STATES,
  EVENT_TRANSITIONS,
  FINAL_STATES,
  INVALID_CLOSE,
  OUT_OF_STATE,
  STATE_TIMEOUTS,
  UNIQUE_IDS,
  WIRE_OPEN,
  WRONG_DIRECTION_CLOSE,
} from "./stand-in.js";
import {
  ContractError,
  createProtocolConnection,
  LifecycleError,
  own,
  type ProtocolConnectionOptions,
} from "./lifecycle.js";
import { parseProtocolMessage } from "./validators.js";

// #region endpoints
/**
 * What `receive` says to do with a message from the other side: `deliver` it now (the endpoint has
 * taken the transition its arrival takes), it is `held` (the endpoint gives it to `onDeliver` when
 * a state allows it), or it was `refused` (the endpoint has closed with `code`).
 // #open-events * Or it was `ignored`: an event the contract does not declare, where the other side's
 // #open-events * event union is open (`onUnknownEvent` was told); the endpoint stays as it was.
 */
export type ProtocolReceived<E extends ProtocolEventName> =
  | { readonly kind: "deliver"; readonly message: ProtocolMessageOf<E> }
  | { readonly kind: "held" }
  // #open-events | { readonly kind: "ignored"; readonly event: string }
  | { readonly kind: "refused"; readonly code: number; readonly reason: string };

/** A timer, as `setTimeout`/`clearTimeout` (the default: the host's). Tests pass a fake one. */
export interface ProtocolClock {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface ProtocolEndpointOptions<In extends ProtocolEventName> extends ProtocolConnectionOptions {
  /**
   * Closes the socket (with ws: `(code, reason) => socket.close(code, reason)`). Called once, when
   * `receive` refuses a message, a state's timeout runs out, or `close` is called; the reason is
   * cut to the 123 bytes a close frame carries (the `refused` result has it whole).
   */
  readonly close: (code: number, reason: string) => void;
  /** The timer for the contract's state timeouts; default: the host's `setTimeout` and `clearTimeout`. */
  readonly clock?: ProtocolClock;
  /**
   * Receives the held messages, oldest first, when a state allows them (after the endpoint took
   * the transition their arrival takes). Required by a server whose contract holds any event. An
   * exception it throws does not stop the others: every held message the state allows is still
   * delivered, in order, then the exception comes out of the call that released them (one error
   * object listing them all, `errors`, when several threw).
   */
  readonly onDeliver?: (message: ProtocolMessageOf<In>) => void;
  /**
   * Receives the held messages that will never be delivered, oldest first: when the endpoint closes
   * (`close`, a refusal, a timeout) or reaches a final state while messages are held. Without it
   * they stay, counted by `held`, for `drainHeld()`. An exception it throws comes out of the call
   * that dropped them.
   */
  readonly onHeldDropped?: (messages: ProtocolMessageOf<In>[]) => void;
  /**
   * The most received messages held at once (default 1000): one more is refused with 1008 (policy
   * violation), so a client cannot fill the server's memory with messages sent too early.
   */
  readonly maxHeld?: number;
  // #open-events /**
  // #open-events  * Told the event name of each message `receive` ignores: an event the contract does not declare,
  // #open-events  * which the other side's open union says to drop (a newer peer's). An exception it throws comes
  // #open-events  * out of `receive`.
  // #open-events  */
  // #open-events readonly onUnknownEvent?: (event: string) => void;
  /** Observes every message sent and delivered, in order (say, a `createProtocolRunMonitor()`, when the contract has runs). */
  readonly monitor?: { observe(message: ProtocolMessage): void };
}

export interface ProtocolEndpoint<Out extends ProtocolEventName, In extends ProtocolEventName> {
  readonly role: "server" | "client";
  /** The lifecycle state as this side sees it (starts at {{initialState}}). */
  readonly state: ProtocolState;
  /** How many emitted messages wait for a state that allows them. */
  readonly pending: number;
  /** How many received messages are held for a state that allows them. */
  readonly held: number;
  /** The code and reason the endpoint closed with; undefined while it is open. */
  readonly closed: { readonly code: number; readonly reason: string } | undefined;
  /** Takes a transition (as the connection's), then delivers held messages the new state allows. */
  transition(name: ProtocolTransition): ProtocolState;
  /**
   * Sends a message of this side's direction, or queues it (as the connection's `emit`); when it
   * goes out, the endpoint takes the transition its sending takes. Throws a `ContractError` for
   * an event of the other direction, or one that opens an id (the contract's `unique`) while that
   * id is live, and a `LifecycleError` once the endpoint closed. An emitted message that opens or
   * ends an id does so at once, also while it waits in the queue (the queue keeps the order).
   */
  emit<E extends Out>(event: E, payload: ProtocolPayloads[E]): "sent" | "queued"; // #plain-envelope
  // #envelope-fields emit<E extends Out>(event: E, payload: ProtocolPayloads[E], ...fields: ProtocolEnvelopeFieldsArg<E>): "sent" | "queued";
  /**
   * Parses and validates one text message from the other side. Not JSON, not an event the other
   * side sends, or a payload its schema rejects: refused with the contract's invalid-message code
   * ({{invalidClose}}); on the server, a valid message of an event only the server sends is
   * refused with the wrong-direction code ({{wrongDirectionClose}}), whatever the state. On the
   * server, a message its state does not allow follows its event's out-of-state policy (held, or
   * refused with the policy's code); one its state allows is delivered at once, also while others
   * are held (a held message never blocks the one that moves the lifecycle on). Held messages keep
   * their order among themselves. The client delivers what the server sends in any state (the
   * server keeps the lifecycle). A message that opens an id (the contract's `unique`) while that
   * id is live is refused with the rule's code when it would be delivered (a held one when it is
   * released: the endpoint closes then); a delivered message opens or ends its id. After the
   * endpoint closed: refused, with the code it closed with (and no second close).
   // #open-events * An event name the contract does not declare, where the other side's union is open: `ignored`
   // #open-events * (after `onUnknownEvent`), not refused; the state, held messages and monitor are untouched.
   */
  receive(raw: string): ProtocolReceived<In>;
  /** Removes and returns every queued outbound message, oldest first. */
  drain(): ProtocolMessage[];
  /** Removes and returns every held received message, oldest first (they will not be delivered). */
  drainHeld(): ProtocolMessageOf<In>[];
  /**
   * Closes: stops the timer, calls `close(code, reason)`, hands held messages to `onHeldDropped`
   * (without it, `drainHeld()` takes them) and queued outbound messages to `onUndelivered` (without
   * it, `drain()` takes them). Once; later calls do nothing.
   */
  close(code?: number, reason?: string): void;
}

/** The server's endpoint: emits the events the server sends, receives the client's. */
export type ProtocolServer = ProtocolEndpoint<ProtocolServerEventName, ProtocolClientEventName>;
/** The client's endpoint: emits the events the client sends, receives the server's. */
export type ProtocolClient = ProtocolEndpoint<ProtocolClientEventName, ProtocolServerEventName>;

/** The server side of one connection; create it when the socket opens (a state's timeout starts then). */
export function createProtocolServer(options: ProtocolEndpointOptions<ProtocolClientEventName>): ProtocolServer {
  return createEndpoint(
    "server",
    options as unknown as ProtocolEndpointOptions<ProtocolEventName>,
  ) as unknown as ProtocolServer;
}

/** The client side of one connection; create it when the socket opens (a state's timeout starts then). */
export function createProtocolClient(options: ProtocolEndpointOptions<ProtocolServerEventName>): ProtocolClient {
  return createEndpoint(
    "client",
    options as unknown as ProtocolEndpointOptions<ProtocolEventName>,
  ) as unknown as ProtocolClient;
}

type EndpointPolicy = "hold" | { readonly code: number; readonly name: string };

function createEndpoint(
  role: "server" | "client",
  options: ProtocolEndpointOptions<ProtocolEventName>,
): ProtocolEndpoint<ProtocolEventName, ProtocolEventName> {
  const mine = role === "server" ? "server-to-client" : "client-to-server";
  const theirs = role === "server" ? "client-to-server" : "server-to-client";
  const peer = role === "server" ? "client" : "server";
  const sends = (event: string, direction: string): boolean => {
    const flow = own<string>(EVENT_DIRECTIONS, event);
    return flow === direction || flow === "both";
  };
  if (role === "server" && options.onDeliver === undefined) {
    for (const event of Object.keys(OUT_OF_STATE)) {
      if (own(OUT_OF_STATE, event) === "hold") {
        throw new TypeError(
          `${CONTRACT_NAME}: the contract holds ${JSON.stringify(event)} until a state allows it: pass onDeliver, which receives held messages then`,
        );
      }
    }
  }
  let closed: { code: number; reason: string } | undefined;
  /** Received messages waiting for a state that allows them, oldest first. */
  const held: ProtocolMessage[] = [];
  let clock: ProtocolClock | undefined = options.clock;
  let timer: unknown;
  let timing = false;
  /** Counts armed timers: a callback whose number is not the latest is stale. */
  let generation = 0;
  /** Public calls under way: held messages are released when the outermost ends. */
  let depth = 0;
  let releasing = false;
  const maxHeld = options.maxHeld ?? 1000;
  /** Per rule of UNIQUE_IDS (same order): the JSON text of each live id. */
  const live = UNIQUE_IDS.map(() => new Set<string>());

  const connection = createProtocolConnection({
    send: (text) => {
      options.send(text);
      sent(text);
    },
    ...(options.onUndelivered === undefined ? {} : { onUndelivered: options.onUndelivered }),
  });

  const allows = (event: ProtocolEventName): boolean => EVENT_STATES[event].includes(connection.state);

  const policyOf = (event: string): EndpointPolicy =>
    own<EndpointPolicy>(OUT_OF_STATE, event) ?? { code: 1008, name: "policy_violation" };

  const stopTimer = (): void => {
    generation++;
    if (timing) clock!.clearTimeout(timer);
    timing = false;
  };

  /**
   * The held messages will never be delivered: handed to onHeldDropped, oldest first (without it
   * they stay for drainHeld()).
   */
  const dropHeld = (): void => {
    if (held.length === 0 || options.onHeldDropped === undefined) return;
    options.onHeldDropped(held.splice(0));
  };

  /** Run after every transition: a final state drops what is held; a state with a timeout arms it. */
  const entered = (): void => {
    stopTimer();
    const state = connection.state;
    if (FINAL_STATES.has(state)) dropHeld();
    const timeout = own(STATE_TIMEOUTS, state);
    if (timeout === undefined || closed !== undefined) return;
    clock ??= hostClock();
    const armed = generation;
    timer = clock.setTimeout(() => {
      if (armed !== generation) return;
      timing = false;
      shut(
        timeout.code,
        `${CONTRACT_NAME}: state ${JSON.stringify(state)} lasted longer than ${timeout.after} (${timeout.name})`,
      );
    }, timeout.ms);
    timing = true;
  };

  const move = (name: ProtocolTransition): void => {
    let moved = true;
    try {
      connection.transition(name);
    } catch (error) {
      // A refused transition leaves the state as it was; an error from a send() it started comes after the move.
      if (error instanceof LifecycleError && error.transition === name) moved = false;
      throw error;
    } finally {
      if (moved) entered();
    }
  };

  /** Takes the transition an event's sending or arrival takes in the current state, if any. */
  const takeEventTransition = (event: string): void => {
    const transitions = own(EVENT_TRANSITIONS, connection.state);
    const name = transitions === undefined ? undefined : own(transitions, event);
    if (name !== undefined) move(name);
  };

  /** A message went out (inside the connection's send loop, so the next queued one sees the new state). */
  const sent = (text: string): void => {
    if (options.monitor !== undefined) options.monitor.observe(JSON.parse(text) as ProtocolMessage);
    if (own(EVENT_TRANSITIONS, connection.state) !== undefined) takeEventTransition(wireEvent(text));
  };

  /**
   * The ids a message opens and ends (the contract's `unique`), read with `read` (a path from the
   * message: its envelope field, or its payload field and the property); throws nothing.
   */
  const idsOf = (event: string, read: (path: readonly string[]) => unknown): IdChange[] => {
    const changes: IdChange[] = [];
    UNIQUE_IDS.forEach((rule, index) => {
      const opens = own(rule.from, event);
      const at = opens ?? own(rule.until, event);
      if (at === undefined) return;
      const id = jsonText(read(at));
      if (id !== undefined) changes.push({ index, id, opens: opens !== undefined });
    });
    return changes;
  };

  /** The first id the changes open while it is live, with its rule; undefined when none. */
  const duplicate = (changes: readonly IdChange[]): { rule: (typeof UNIQUE_IDS)[number]; id: string } | undefined => {
    for (const change of changes) {
      if (change.opens && live[change.index]!.has(change.id)) return { rule: UNIQUE_IDS[change.index]!, id: change.id };
    }
    return undefined;
  };

  const record = (changes: readonly IdChange[]): void => {
    for (const change of changes) {
      if (change.opens) live[change.index]!.add(change.id);
      else live[change.index]!.delete(change.id);
    }
  };

  const liveText = (event: string, found: { rule: (typeof UNIQUE_IDS)[number]; id: string }): string =>
    `${CONTRACT_NAME}: ${JSON.stringify(event)} with ${found.rule.field} ${found.id} while one with that ${found.rule.field} is live (${found.rule.codeName})`;

  const receivedIds = (message: ProtocolMessage): IdChange[] =>
    UNIQUE_IDS.length === 0
      ? []
      : idsOf(messageEvent(message), (path) => path.reduce<unknown>((value, key) => member(value, key), message));

  const accept = (message: ProtocolMessage, ids: readonly IdChange[]): void => {
    record(ids);
    if (options.monitor !== undefined) options.monitor.observe(message);
    takeEventTransition(messageEvent(message));
  };

  const shut = (code: number, reason: string): void => {
    if (closed !== undefined) return;
    closed = { code, reason };
    stopTimer();
    try {
      options.close(code, closeReason(reason));
    } finally {
      try {
        dropHeld();
      } finally {
        if (options.onUndelivered !== undefined && connection.pending > 0) options.onUndelivered(connection.drain());
      }
    }
  };

  const refuse = (code: number, reason: string): ProtocolReceived<ProtocolEventName> => {
    shut(code, reason);
    return { kind: "refused", code, reason };
  };

  const notAllowed = (event: string): string =>
    `${CONTRACT_NAME}: ${JSON.stringify(event)} is not allowed in state ${JSON.stringify(connection.state)}`;

  /**
   * Delivers every held message the current state allows, oldest first; after each (its
   * transition or onDeliver may move the state) it looks again from the oldest. A message taken
   * from the list is delivered whatever throws (its transition's send, onDeliver), and the loop
   * goes on: the errors are returned, in order, for the call to throw once every message is out.
   */
  const release = (errors: unknown[]): void => {
    if (releasing) return; // onDeliver emitted or moved: the loop below goes on
    releasing = true;
    try {
      for (let i = 0; i < held.length && closed === undefined;) {
        const message = held[i]!;
        if (!allows(messageEvent(message))) {
          i++;
          continue;
        }
        held.splice(i, 1);
        const ids = receivedIds(message);
        const found = duplicate(ids);
        if (found !== undefined) {
          shut(found.rule.code, liveText(messageEvent(message), found));
          break;
        }
        try {
          accept(message, ids);
        } catch (error) {
          errors.push(error);
        }
        try {
          if (options.onDeliver !== undefined) options.onDeliver(message);
        } catch (error) {
          errors.push(error);
        }
        i = 0;
      }
    } finally {
      releasing = false;
    }
  };

  /**
   * Runs a public call; when the outermost ends, releases what the state now allows. `delivered`:
   * the message the call itself delivers (receive's); if the call is to throw, it goes to
   * onDeliver after the released ones, so that nothing the endpoint accepted is lost.
   */
  const call = <T>(run: () => T, delivered?: (result: T) => ProtocolMessage | undefined): T => {
    depth++;
    const errors: unknown[] = [];
    let result: T | undefined;
    try {
      result = run();
    } catch (error) {
      errors.push(error);
    } finally {
      depth--;
    }
    if (depth === 0 && held.length > 0 && closed === undefined) {
      release(errors);
      const own = errors.length > 0 && result !== undefined && delivered !== undefined ? delivered(result) : undefined;
      if (own !== undefined && options.onDeliver !== undefined) {
        try {
          options.onDeliver(own);
        } catch (error) {
          errors.push(error);
        }
      }
    }
    if (errors.length === 1) throw errors[0];
    if (errors.length > 1) {
      const first = describe(errors[0]);
      const message = `${CONTRACT_NAME}: ${errors.length} errors while delivering held messages (the first: ${first})`;
      throw Object.assign(new Error(message), { errors });
    }
    return result as T;
  };

  /** The message a receive delivers itself (call hands it to onDeliver when the call is to throw). */
  const ownMessage = (result: ProtocolReceived<ProtocolEventName>): ProtocolMessage | undefined =>
    result.kind === "deliver" ? result.message : undefined;

  entered();

  return {
    role,
    get state() {
      return connection.state;
    },
    get pending() {
      return connection.pending;
    },
    get held() {
      return held.length;
    },
    get closed() {
      return closed === undefined ? undefined : { code: closed.code, reason: closed.reason };
    },
    transition(name) {
      return call(() => {
        move(name);
        return connection.state;
      });
    },
    emit(event, payload) { // #plain-envelope
    // #envelope-fields emit(event, payload, ...fields) {
      if (own(EVENT_DIRECTIONS, event) !== undefined && !sends(event, mine)) {
        throw new ContractError(
          `${CONTRACT_NAME}: the ${role} cannot emit ${JSON.stringify(event)}: only the ${peer} sends it`,
          event,
          [],
        );
      }
      if (closed !== undefined) {
        throw new LifecycleError(
          `${CONTRACT_NAME}: cannot emit ${JSON.stringify(event)}: the endpoint closed with ${closed.code}`,
          connection.state,
          undefined,
          event,
        );
      }
      const given: unknown = undefined; // #plain-envelope
      // #envelope-fields const given: unknown = fields[0];
      const ids =
        UNIQUE_IDS.length === 0
          ? []
          : idsOf(event, (path) => (path.length === 2 ? member(payload, path[1]!) : member(given, path[0]!)));
      const found = duplicate(ids);
      if (found !== undefined) throw new ContractError(`${liveText(event, found)}: end it first`, event, []);
      return call(() => {
        // Recorded before the message goes out (a send may emit again); undone when emit refuses it.
        const before = ids.map((change) => live[change.index]!.has(change.id));
        record(ids);
        try {
          return connection.emit(event, payload); // #plain-envelope
          // #envelope-fields return connection.emit(event, payload, ...fields);
        } catch (error) {
          const refused =
            (error instanceof ContractError && error.event === event) ||
            (error instanceof LifecycleError && error.transition === undefined && error.event === event);
          if (refused) {
            ids.forEach((change, i) => {
              if (before[i]!) live[change.index]!.add(change.id);
              else live[change.index]!.delete(change.id);
            });
          }
          throw error;
        }
      });
    },
    receive(raw) {
      if (closed !== undefined) {
        return {
          kind: "refused",
          code: closed.code,
          reason: `${CONTRACT_NAME}: the endpoint closed (${closed.reason})`,
        };
      }
      return call((): ProtocolReceived<ProtocolEventName> => {
        if (typeof raw !== "string") return refuse(INVALID_CLOSE.code, `${CONTRACT_NAME}: not a text message`);
        const parsed = parseProtocolMessage(raw); // #closed-events
        // #open-events const parsed = parseProtocolMessage(raw, theirs);
        // #open-events if (parsed.unknown !== undefined) {
        // #open-events   if (options.onUnknownEvent !== undefined) options.onUnknownEvent(parsed.unknown.event);
        // #open-events   return { kind: "ignored", event: parsed.unknown.event };
        // #open-events }
        if (parsed.success === false) {
          return refuse(INVALID_CLOSE.code, `${CONTRACT_NAME}: invalid message: ${parsed.error.message}`);
        }
        const message = parsed.data;
        const event = messageEvent(message);
        if (!sends(event, theirs)) {
          // A valid message of the server's from a client: the contract's `inbound.wrongDirection`.
          const close = role === "server" ? WRONG_DIRECTION_CLOSE : INVALID_CLOSE;
          return refuse(close.code, `${CONTRACT_NAME}: ${JSON.stringify(event)} is not sent by the ${peer}`);
        }
        if (role === "client" || allows(event)) {
          const ids = receivedIds(message);
          const found = duplicate(ids);
          if (found !== undefined) return refuse(found.rule.code, liveText(event, found));
          accept(message, ids);
          return { kind: "deliver", message };
        }
        const policy = policyOf(event);
        if (policy !== "hold") return refuse(policy.code, `${notAllowed(event)} (${policy.name})`);
        if (held.length >= maxHeld) {
          return refuse(1008, `${CONTRACT_NAME}: more than ${maxHeld} messages held for a state that allows them`);
        }
        held.push(message);
        if (FINAL_STATES.has(connection.state)) dropHeld(); // a final state delivers nothing
        return { kind: "held" };
      }, ownMessage);
    },
    drain() {
      return connection.drain();
    },
    drainHeld() {
      return held.splice(0);
    },
    close(code = 1000, reason = "") {
      shut(code, reason);
    },
  };
}

/** An id a message opens or ends: the rule (its index in UNIQUE_IDS) and the id's JSON text. */
interface IdChange {
  readonly index: number;
  readonly id: string;
  readonly opens: boolean;
}

/** An own property of an object (undefined for anything else). */
function member(value: unknown, key: string): unknown {
  return typeof value === "object" && value !== null && Object.prototype.hasOwnProperty.call(value, key)
    ? (value as { readonly [key: string]: unknown })[key]
    : undefined;
}

/** A value's JSON text (ids are compared by it); undefined when it has none (the emit refuses such a payload). */
function jsonText(value: unknown): string | undefined {
  try {
    return JSON.stringify(value);
  } catch {
    return undefined;
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function messageEvent(message: ProtocolMessage): ProtocolEventName {
  return (message as unknown as { readonly [key: string]: unknown })[DISCRIMINATOR] as ProtocolEventName;
}

/** The event of a message the connection sends: its text starts with WIRE_OPEN and the event as a JSON string. */
function wireEvent(text: string): string {
  let end = WIRE_OPEN.length + 1;
  while (end < text.length && text.charCodeAt(end) !== 0x22) end += text.charCodeAt(end) === 0x5c ? 2 : 1;
  return JSON.parse(text.slice(WIRE_OPEN.length, end + 1)) as string;
}

/** The reason cut to the 123 bytes of UTF-8 a close frame carries (RFC 6455 5.5), never inside a character. */
function closeReason(reason: string): string {
  let bytes = 0;
  for (let i = 0; i < reason.length; i++) {
    const unit = reason.charCodeAt(i);
    const pair = unit >= 0xd800 && unit <= 0xdbff && i + 1 < reason.length;
    const size = unit < 0x80 ? 1 : unit < 0x800 ? 2 : pair ? 4 : 3;
    if (bytes + size > 123) return reason.slice(0, i);
    bytes += size;
    if (pair) i++;
  }
  return reason;
}

function hostClock(): ProtocolClock {
  const host = globalThis as unknown as {
    setTimeout?: ProtocolClock["setTimeout"];
    clearTimeout?: ProtocolClock["clearTimeout"];
  };
  const set = host.setTimeout;
  const clear = host.clearTimeout;
  if (set === undefined || clear === undefined) {
    throw new TypeError(
      `${CONTRACT_NAME}: the contract has state timeouts and this host has no setTimeout: pass a clock`,
    );
  }
  return { setTimeout: (callback, ms) => set(callback, ms), clearTimeout: (handle) => clear(handle) };
}
// #endregion endpoints

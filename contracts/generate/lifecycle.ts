import { CovenantError } from "../../common/errors.js";
import type { Contract } from "../model.js";
import { buildGenerationModel, headerLine, objectKey, type GenerationModel, type GenerationOptions } from "./names.js";
import { formatTypeScript } from "./format.js";
import { formatRunPattern } from "../pattern/index.js";
import { buildRunDfa, RunPatternTooComplex, type RunAutomaton } from "./run-automaton.js";

/**
 * `<name>.lifecycle.ts`: the runtime guard. `create<Name>Connection` keeps the lifecycle state,
 * validates every emitted payload and holds back (FIFO, head-of-line) the messages the current
 * state does not allow; `create<Name>RunMonitor` checks runs against the contract's pattern with
 * a DFA compiled here, at generation time.
 */
export async function emitLifecycle(contract: Contract, options: GenerationOptions): Promise<string> {
  const model = buildGenerationModel(contract, options);
  const { api } = model;
  const typeImports = [api.eventName, api.message, api.payloads, api.state, api.transition].sort();
  const out = [
    `// ${headerLine(model.source)}`,
    `import { ${api.parsePayload}, type ${api.validationIssue} } from "./${model.fileStem}.validators.js";`,
    `import type { ${typeImports.join(", ")} } from "./${model.fileStem}.types.js";`,
    "",
    tablesSource(model),
    errorsSource(model),
    connectionSource(model),
    contract.runs === undefined ? `// The contract declares no \`runs\`, so there is no run monitor.\n` : runMonitorSource(model),
  ];
  return formatTypeScript(out.join("\n"));
}

function tablesSource(model: GenerationModel): string {
  const { api, contract } = model;
  const transitions = contract.lifecycle.states.map((s) => {
    const entries = Object.entries(s.on).map(([t, target]) => `${objectKey(t)}: ${JSON.stringify(target)}`);
    return `  ${objectKey(s.name)}: {${entries.length === 0 ? "" : ` ${entries.join(", ")} `}},`;
  });
  const eventStates = model.events.map((e) => `  ${objectKey(e.event.name)}: ${JSON.stringify(e.event.states)},`);
  const finals = contract.lifecycle.states.filter((s) => s.final).map((s) => s.name);
  return `const CONTRACT_NAME = ${JSON.stringify(contract.name)};
const INITIAL_STATE: ${api.state} = ${JSON.stringify(contract.lifecycle.initial)};
const DISCRIMINATOR = ${JSON.stringify(contract.envelope.discriminator)};
const PAYLOAD_FIELD = ${JSON.stringify(contract.envelope.payloadField)};
/** A message's JSON text is put together around its payload's: WIRE_OPEN, the event, WIRE_PAYLOAD, the payload, "}". */
const WIRE_OPEN = ${JSON.stringify(`{${JSON.stringify(contract.envelope.discriminator)}:`)};
const WIRE_PAYLOAD = ${JSON.stringify(`,${JSON.stringify(contract.envelope.payloadField)}:`)};

/**
 * state -> transition -> target state. Read with \`own\`, and \`as const\` keeps the targets literal:
 * a transition may be called \`toString\` or \`valueOf\`, names every object also inherits.
 */
const TRANSITIONS: { readonly [S in ${api.state}]: { readonly [transition: string]: ${api.state} | undefined } } = {
${transitions.join("\n")}
} as const;

const FINAL_STATES: ReadonlySet<string> = new Set<string>(${JSON.stringify(finals)});

/** event -> the states in which it may be sent */
const EVENT_STATES: { readonly [E in ${api.eventName}]: readonly ${api.state}[] } = {
${eventStates.join("\n")}
};

function own<T>(table: { readonly [key: string]: T | undefined }, key: string): T | undefined {
  return Object.prototype.hasOwnProperty.call(table, key) ? table[key] : undefined;
}

function quoteList(names: readonly string[]): string {
  return names.length === 0 ? "none" : names.map((name) => JSON.stringify(name)).join(", ");
}
`;
}

function errorsSource(model: GenerationModel): string {
  const { api } = model;
  return `/** A lifecycle rule was broken: a transition the current state does not have, or an emit after the end. */
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
  readonly issues: readonly ${api.validationIssue}[];
  constructor(message: string, event: string, issues: readonly ${api.validationIssue}[]) {
    super(message);
    this.name = "ContractError";
    this.event = event;
    this.issues = issues;
  }
}
`;
}

function connectionSource(model: GenerationModel): string {
  const { api } = model;
  return `export interface ${api.connectionOptions} {
  /**
   * Puts one message on the wire, as JSON text. When it throws (say, the socket is closed), the
   * message was not sent: it stays first in the queue (in a final state it goes to
   * \`onUndelivered\` with the rest) and the error comes out of the \`emit\` or \`transition\` that
   * sent it. It may call \`emit\` or \`transition\` itself: a message emitted meanwhile waits behind
   * the one being sent, and a transition applies to the messages after it.
   */
  readonly send: (text: string) => void;
  /**
   * Receives, oldest first, the messages still queued in a final state (including one whose
   * \`send\` threw there), before the \`emit\` or \`transition\` that got there returns or throws.
   * Without it they stay queued: \`pending\` counts them and \`drain()\` takes them.
   */
  readonly onUndelivered?: (messages: ${api.message}[]) => void;
}

export interface ${api.connection} {
  /** The current lifecycle state (starts at ${JSON.stringify(model.contract.lifecycle.initial)}). */
  readonly state: ${api.state};
  /** How many messages wait for a state that allows them. */
  readonly pending: number;
  /**
   * Takes the transition, then sends queued messages from the head while the head's event is
   * allowed, before returning the new state (in a final state, hands the rest to
   * \`onUndelivered\`). Throws a \`LifecycleError\` when the current state has no such transition.
   */
  transition(name: ${api.transition}): ${api.state};
  /**
   * Validates the payload (throws a \`ContractError\` when it does not match) and sends the message,
   * or queues it behind earlier ones when the current state does not allow the event (or messages
   * are already waiting). Returns whether it went out before \`emit\` returned. Throws a
   * \`LifecycleError\` in a final state that does not allow the event (also when the payload's
   * \`toJSON\` took the connection there).
   */
  emit<E extends ${api.eventName}>(event: E, payload: ${api.payloads}[E]): "sent" | "queued";
  /** Removes and returns every queued message, oldest first (not one that \`send\` is sending right now). */
  drain(): ${api.message}[];
}

interface QueuedMessage {
  readonly event: ${api.eventName};
  /** The payload as it goes on the wire (after the JSON round trip). */
  readonly payload: unknown;
  /** The whole message as JSON text. */
  readonly text: string;
  /** Whether a \`send\` of it returned. */
  sent: boolean;
}

export function ${api.createConnection}(options: ${api.connectionOptions}): ${api.connection} {
  let state: ${api.state} = INITIAL_STATE;
  // The queue is \`queue[head]\` onwards: sending from it advances \`head\` (shift() would copy the
  // whole array each time), and the slots left behind are dropped once they are half the array.
  const queue: (QueuedMessage | undefined)[] = [];
  let head = 0;
  /** A send() is under way: a re-entrant flush leaves the queue to it, and the hand-off waits for it. */
  let flushing = false;

  const allows = (event: ${api.eventName}): boolean => EVENT_STATES[event].includes(state);

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
          // Not sent: it goes back first, before anything queued meanwhile. (\`head\` is 0 only if
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
  const takeAll = (): ${api.message}[] => {
    const messages: ${api.message}[] = [];
    for (let i = head; i < queue.length; i++) {
      const entry = queue[i]!;
      messages.push({ [DISCRIMINATOR]: entry.event, [PAYLOAD_FIELD]: entry.payload } as unknown as ${api.message});
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
      \`\${CONTRACT_NAME}: cannot emit \${JSON.stringify(event)}: the connection reached the final state \${JSON.stringify(state)}\`,
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
      const target = own<${api.state}>(own(TRANSITIONS, state) ?? {}, name);
      if (target === undefined) {
        const allowed = Object.keys(own(TRANSITIONS, state) ?? {});
        throw new LifecycleError(
          \`\${CONTRACT_NAME}: transition \${JSON.stringify(name)} is not allowed in state \${JSON.stringify(state)} (allowed here: \${quoteList(allowed)})\`,
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
    emit(event, payload) {
      const states = own(EVENT_STATES, event);
      if (states === undefined) {
        throw new ContractError(\`\${CONTRACT_NAME}: unknown event \${JSON.stringify(event)} (the contract declares \${quoteList(Object.keys(EVENT_STATES))})\`, event, []);
      }
      refuseAfterEnd(event, states);
      // Validate what goes on the wire: the payload after a JSON round trip.
      let payloadText: string | undefined;
      let wire: unknown;
      try {
        payloadText = JSON.stringify(payload);
        wire = payloadText === undefined ? undefined : JSON.parse(payloadText);
      } catch (error) {
        throw new ContractError(\`\${CONTRACT_NAME}: payload of \${JSON.stringify(event)} is not JSON (\${error instanceof Error ? error.message : String(error)})\`, event, []);
      }
      // The payload's toJSON may have moved the connection on, even to its end.
      refuseAfterEnd(event, states);
      const result = ${api.parsePayload}(event, wire);
      if (result.success === false) {
        throw new ContractError(\`\${CONTRACT_NAME}: invalid payload for \${JSON.stringify(event)}: \${result.error.message}\`, event, result.error.issues);
      }
      // The text JSON.stringify({ [DISCRIMINATOR]: event, [PAYLOAD_FIELD]: wire }) gives, without
      // stringifying the payload again (its text is the text of \`wire\`).
      const opening = WIRE_OPEN + JSON.stringify(event);
      const text = payloadText === undefined ? \`\${opening}}\` : \`\${opening}\${WIRE_PAYLOAD}\${payloadText}}\`;
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
`;
}

function runMonitorSource(model: GenerationModel): string {
  const { api, contract } = model;
  const runs = contract.runs!;
  let dfa: RunAutomaton;
  try {
    dfa = buildRunDfa(runs.ast);
  } catch (error) {
    if (!(error instanceof RunPatternTooComplex)) throw error;
    throw new CovenantError({
      code: "run-pattern-too-complex",
      file: contract.file,
      ...contract.locate(["runs", "pattern"]),
      message: `${error.message}, which covenant does not generate a run monitor for (a pattern such as \`(a | b)* a (a | b) (a | b) …\` doubles its states with each trailing group). Simplify the pattern: fewer alternatives followed by fixed-length tails.`,
    });
  }
  const next = dfa.states.map((s) => {
    const entries = Object.entries(s.next).map(([event, to]) => `${objectKey(event)}: ${to}`);
    return `  {${entries.length === 0 ? "" : ` ${entries.join(", ")} `}},`;
  });
  return `const RUN_KEY = ${JSON.stringify(runs.key)};
const RUN_PATTERN = ${JSON.stringify(formatRunPattern(runs.ast))};
const RUN_EVENTS: ReadonlySet<string> = new Set<string>(${JSON.stringify(dfa.alphabet)});
/** The run pattern as a DFA: RUN_NEXT[state][event] is the next state; no entry means the run is broken. State 0 starts. */
const RUN_NEXT: readonly { readonly [event: string]: number }[] = [
${next.join("\n")}
];
const RUN_ACCEPTING: readonly boolean[] = ${JSON.stringify(dfa.states.map((s) => s.accepting))};

export interface ${api.runViolation} {
  /** The run's \`${runs.key}\`. */
  readonly key: string | number;
  /** \`broken\`: an event the pattern does not allow there; \`incomplete\`: the run has not finished. */
  readonly reason: "broken" | "incomplete";
  /** Every event observed for the run, in order. */
  readonly events: readonly ${api.eventName}[];
  readonly message: string;
}

export interface ${api.runMonitor} {
  /** Feeds one wire message (a parsed object); events outside the pattern or without a \`${runs.key}\` are ignored. */
  observe(message: ${api.message}): void;
  /** One entry per run that broke the pattern or has not completed, in the order runs started. */
  violations(): ${api.runViolation}[];
}

interface RunTrack {
  state: number;
  readonly events: ${api.eventName}[];
  /** Index in \`events\` of the first event the pattern did not allow, or -1. */
  brokenAt: number;
  /** The events the pattern allowed where it broke. */
  expected: readonly string[];
}

export function ${api.createRunMonitor}(): ${api.runMonitor} {
  const runs = new Map<string | number, RunTrack>();
  return {
    observe(message) {
      const record: unknown = message;
      if (typeof record !== "object" || record === null) return;
      const event = own<unknown>(record as { readonly [key: string]: unknown }, DISCRIMINATOR);
      const payload = own<unknown>(record as { readonly [key: string]: unknown }, PAYLOAD_FIELD);
      if (typeof event !== "string" || !RUN_EVENTS.has(event) || typeof payload !== "object" || payload === null) return;
      const key = own<unknown>(payload as { readonly [key: string]: unknown }, RUN_KEY);
      if (typeof key !== "string" && typeof key !== "number") return;
      let run = runs.get(key);
      if (run === undefined) {
        run = { state: 0, events: [], brokenAt: -1, expected: [] };
        runs.set(key, run);
      }
      run.events.push(event as ${api.eventName});
      if (run.brokenAt >= 0) return;
      const table = RUN_NEXT[run.state] ?? {};
      const target = own(table, event);
      if (target === undefined) {
        run.brokenAt = run.events.length - 1;
        run.expected = Object.keys(table);
      } else {
        run.state = target;
      }
    },
    violations() {
      const out: ${api.runViolation}[] = [];
      for (const [key, run] of runs) {
        const label = \`run \${JSON.stringify(key)}\`;
        if (run.brokenAt >= 0) {
          const event = run.events[run.brokenAt];
          const after = run.brokenAt === 0 ? "at the start of the run" : \`after \${run.events.slice(0, run.brokenAt).join(" ")}\`;
          const expected = run.expected.length === 0 ? "the run to be over" : \`one of \${quoteList(run.expected)}\`;
          out.push({
            key,
            reason: "broken",
            events: [...run.events],
            message: \`\${label}: \${JSON.stringify(event)} is not allowed \${after}; expected \${expected} (pattern: \${RUN_PATTERN})\`,
          });
        } else if (RUN_ACCEPTING[run.state] !== true) {
          const expected = Object.keys(RUN_NEXT[run.state] ?? {});
          out.push({
            key,
            reason: "incomplete",
            events: [...run.events],
            message: \`\${label} has not completed: after \${run.events.join(" ")}, expected one of \${quoteList(expected)} (pattern: \${RUN_PATTERN})\`,
          });
        }
      }
      return out;
    },
  };
}
`;
}

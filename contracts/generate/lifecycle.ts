import { CovenantError } from "../../common/errors.js";
import type { Contract, UniqueRule } from "../model.js";
import { buildGenerationModel, headerLine, objectKey, openEventSides, type GenerationModel, type GenerationOptions } from "./names.js";
import { formatTypeScriptPieces, type Piece } from "./format.js";
import { formatRunPattern } from "../pattern/index.js";
import { buildRunDfa, RunPatternTooComplex, type RunAutomaton } from "../automata/run-dfa.js";
import { inlineRuntimePieces } from "./runtime-source.js";

/**
 * `<name>.lifecycle.ts`: the runtime guard. `create<Name>Connection` keeps the lifecycle state,
 * validates every emitted payload and holds back (FIFO, head-of-line) the messages the current
 * state does not allow; `create<Name>RunMonitor` checks runs against the contract's pattern with
 * a DFA compiled here, at generation time. The contract's tables are written here; the code that
 * reads them is contracts/runtime/lifecycle.ts and run-monitor.ts, inlined (see runtime-source.ts).
 */
export async function emitLifecycle(contract: Contract, options: GenerationOptions): Promise<string> {
  return formatTypeScriptPieces(lifecycleSource(contract, options));
}

/** The lifecycle guard's source before formatting: lines, and the inlined runtime's pieces. */
export function lifecycleSource(contract: Contract, options: GenerationOptions): (string | Piece)[] {
  const model = buildGenerationModel(contract, options);
  const { api } = model;
  const envelopeFields = model.envelopeFields.length > 0;
  const typeImports = [
    api.eventName,
    api.message,
    api.messageOf,
    api.payloads,
    api.state,
    api.transition,
    ...(envelopeFields ? [api.envelopeFieldsArg] : []),
  ].sort();
  const invalid = contract.invalidClose ?? DEFAULT_CLOSE;
  const wrongDirection = contract.wrongDirectionClose ?? invalid;
  return [
    `// ${headerLine(model.source)}`,
    `import { ${api.parseMessage}, ${api.parsePayload}, type ${api.validationIssue} } from "./${model.fileStem}.validators.js";`,
    `import type { ${typeImports.join(", ")} } from "./${model.fileStem}.types.js";`,
    "",
    tablesSource(model),
    ...(envelopeFields ? [eventFieldsSource(model)] : []),
    ...inlineRuntimePieces("lifecycle", "lifecycle", api, { initialState: JSON.stringify(contract.lifecycle.initial) }, { envelopeFields }),
    "",
    endpointTablesSource(model),
    ...inlineRuntimePieces(
      "endpoints",
      "endpoints",
      api,
      {
        initialState: JSON.stringify(contract.lifecycle.initial),
        invalidClose: `${invalid.code} ${invalid.name}`,
        wrongDirectionClose: `${wrongDirection.code} ${wrongDirection.name}`,
      },
      { openEvents: openEventSides(contract).length > 0, envelopeFields },
    ),
    "",
    ...(contract.runs === undefined ? [`// The contract declares no \`runs\`, so there is no run monitor.\n`] : runMonitorSource(model)),
  ];
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
${model.envelopeFields.length > 0 ? "" : `const PAYLOAD_FIELD = ${JSON.stringify(contract.envelope.payloadField)};\n`}/** A message's JSON text is put together around its payload's: WIRE_OPEN, the event, WIRE_PAYLOAD, the payload, "}". */
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

`;
}

/** For a contract with envelope fields: which of them each event carries. */
function eventFieldsSource(model: GenerationModel): string {
  const lines = model.events.map((e) => `  ${objectKey(e.event.name)}: ${JSON.stringify(e.event.fields ?? [])},`);
  return `/** event -> the envelope fields its message carries beside the payload */
const EVENT_FIELDS: { readonly [event: string]: readonly string[] | undefined } = {
${lines.join("\n")}
};
`;
}

/** The close code a default stands for (as the loader's): 1008, policy violation. */
const DEFAULT_CLOSE = { code: 1008, name: "policy_violation" } as const;

/** What the role endpoints read besides the lifecycle tables: directions, event-taken transitions, timeouts, inbound policies. */
function endpointTablesSource(model: GenerationModel): string {
  const { api, contract } = model;
  const union = (names: string[]): string => (names.length === 0 ? "never" : names.map((n) => JSON.stringify(n)).join(" | "));
  const sentBy = (direction: string): string[] => contract.events.filter((e) => e.direction === direction || e.direction === "both").map((e) => e.name);
  const directions = contract.events.map((e) => `  ${objectKey(e.name)}: ${JSON.stringify(e.direction)},`);
  const eventTransitions: string[] = [];
  const timeouts: string[] = [];
  for (const state of contract.lifecycle.states) {
    const taken = Object.entries(state.onEvent ?? {}).map(([transition, event]) => `${objectKey(event)}: ${JSON.stringify(transition)}`);
    if (taken.length > 0) eventTransitions.push(`  ${objectKey(state.name)}: { ${taken.join(", ")} },`);
    const t = state.timeout;
    if (t !== undefined)
      timeouts.push(
        `  ${objectKey(state.name)}: { ms: ${t.ms}, after: ${JSON.stringify(t.after)}, code: ${t.close.code}, name: ${JSON.stringify(t.close.name)} },`,
      );
  }
  const policies = contract.events
    .filter((e) => e.direction !== "server-to-client")
    .map((e) => {
      const policy = e.outOfState ?? { action: "reject", close: DEFAULT_CLOSE };
      const value = policy.action === "hold" ? `"hold"` : `{ code: ${policy.close.code}, name: ${JSON.stringify(policy.close.name)} }`;
      return `  ${objectKey(e.name)}: ${value},`;
    });
  const invalid = contract.invalidClose ?? DEFAULT_CLOSE;
  const wrongDirection = contract.wrongDirectionClose ?? invalid;
  const table = (lines: string[]): string => (lines.length === 0 ? "{}" : `{\n${lines.join("\n")}\n}`);
  const idPath = (rule: UniqueRule, event: string): string =>
    JSON.stringify(rule.carriedIn[event] === "payload" ? [contract.envelope.payloadField, rule.field] : [rule.field]);
  const idEvents = (rule: UniqueRule, events: readonly string[]): string =>
    events.length === 0 ? "{}" : `{ ${events.map((e) => `${objectKey(e)}: ${idPath(rule, e)}`).join(", ")} }`;
  const unique = (contract.unique ?? []).map(
    (rule) =>
      `  { name: ${JSON.stringify(rule.name)}, field: ${JSON.stringify(rule.field)}, code: ${rule.close.code}, codeName: ${JSON.stringify(rule.close.name)}, from: ${idEvents(rule, rule.from)}, until: ${idEvents(rule, rule.until)} },`,
  );
  return `/** The events the server sends (\`server-to-client\` and \`both\`). */
export type ${api.serverEventName} = ${union(sentBy("server-to-client"))};
/** The events the client sends (\`client-to-server\` and \`both\`). */
export type ${api.clientEventName} = ${union(sentBy("client-to-server"))};

/** event -> who sends it */
const EVENT_DIRECTIONS: { readonly [E in ${api.eventName}]: "server-to-client" | "client-to-server" | "both" } = ${table(directions)};

/** state -> event -> the transition that event's sending or arrival takes there */
const EVENT_TRANSITIONS: { readonly [S in ${api.state}]?: { readonly [event: string]: ${api.transition} | undefined } } = ${table(eventTransitions)};

/** state -> how long the connection may stay there, and the close code when it stays longer */
const STATE_TIMEOUTS: {
  readonly [S in ${api.state}]?: { readonly ms: number; readonly after: string; readonly code: number; readonly name: string };
} = ${table(timeouts)};

/** event the client sends -> what the server does with one that arrives in a state that does not allow it */
const OUT_OF_STATE: { readonly [event: string]: "hold" | { readonly code: number; readonly name: string } | undefined } = ${table(policies)};

/** The close code for a message that is not valid (not JSON, an unknown event, a payload its schema rejects; in the client, an event only the client sends). */
const INVALID_CLOSE: { readonly code: number; readonly name: string } = { code: ${invalid.code}, name: ${JSON.stringify(invalid.name)} };

/**
 * Per-id uniqueness (\`unique\`): per rule, the events that open an id and those that end it, each
 * with the path of the id in its message (an envelope field, or the payload field and the property),
 * and the close code for an id opened while it is live.
 */
const UNIQUE_IDS: readonly {
  readonly name: string;
  readonly field: string;
  readonly code: number;
  readonly codeName: string;
  readonly from: { readonly [event: string]: readonly string[] | undefined };
  readonly until: { readonly [event: string]: readonly string[] | undefined };
}[] = ${unique.length === 0 ? "[]" : `[\n${unique.join("\n")}\n]`};
/** The close code for a valid message of an event only the server sends, from a client (\`inbound.wrongDirection\`, else the invalid-message code). */
const WRONG_DIRECTION_CLOSE: { readonly code: number; readonly name: string } = { code: ${wrongDirection.code}, name: ${JSON.stringify(wrongDirection.name)} };
`;
}

function runMonitorSource(model: GenerationModel): (string | Piece)[] {
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
  const tables = `const RUN_KEY = ${JSON.stringify(runs.key)};
const RUN_PATTERN = ${JSON.stringify(formatRunPattern(runs.ast))};
const RUN_EVENTS: ReadonlySet<string> = new Set<string>(${JSON.stringify(dfa.alphabet)});
/** The run pattern as a DFA: RUN_NEXT[state][event] is the next state; no entry means the run is broken. State 0 starts. */
const RUN_NEXT: readonly { readonly [event: string]: number }[] = [
${next.join("\n")}
];
const RUN_ACCEPTING: readonly boolean[] = ${JSON.stringify(dfa.states.map((s) => s.accepting))};
`;
  return [tables, ...inlineRuntimePieces("run-monitor", "run-monitor", api, { runKey: runs.key }), ""];
}

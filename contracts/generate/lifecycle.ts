import { CovenantError } from "../../common/errors.js";
import type { Contract } from "../model.js";
import { buildGenerationModel, headerLine, objectKey, type GenerationModel, type GenerationOptions } from "./names.js";
import { formatTypeScript } from "./format.js";
import { formatRunPattern } from "../pattern/index.js";
import { buildRunDfa, RunPatternTooComplex, type RunAutomaton } from "./run-automaton.js";
import { inlineRuntime } from "./runtime-source.js";

/**
 * `<name>.lifecycle.ts`: the runtime guard. `create<Name>Connection` keeps the lifecycle state,
 * validates every emitted payload and holds back (FIFO, head-of-line) the messages the current
 * state does not allow; `create<Name>RunMonitor` checks runs against the contract's pattern with
 * a DFA compiled here, at generation time. The contract's tables are written here; the code that
 * reads them is contracts/runtime/lifecycle.ts and run-monitor.ts, inlined (see runtime-source.ts).
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
    inlineRuntime("lifecycle", "lifecycle", api, { initialState: JSON.stringify(contract.lifecycle.initial) }),
    "",
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
  const tables = `const RUN_KEY = ${JSON.stringify(runs.key)};
const RUN_PATTERN = ${JSON.stringify(formatRunPattern(runs.ast))};
const RUN_EVENTS: ReadonlySet<string> = new Set<string>(${JSON.stringify(dfa.alphabet)});
/** The run pattern as a DFA: RUN_NEXT[state][event] is the next state; no entry means the run is broken. State 0 starts. */
const RUN_NEXT: readonly { readonly [event: string]: number }[] = [
${next.join("\n")}
];
const RUN_ACCEPTING: readonly boolean[] = ${JSON.stringify(dfa.states.map((s) => s.accepting))};
`;
  return `${tables}\n${inlineRuntime("run-monitor", "run-monitor", api, { runKey: runs.key })}\n`;
}

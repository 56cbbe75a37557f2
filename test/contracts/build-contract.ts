import type { Contract, ContractEvent, ContractState, Direction, JsonSchema, RunPattern } from "../../contracts/model.js";

/**
 * Hand-built Contract models for generator tests that need a shape no YAML fixture has (or that
 * must not depend on the loader). The real loader output is tested through the YAML contracts.
 */
export interface ContractSpec {
  name: string;
  version?: string;
  description?: string;
  file?: string;
  initial: string;
  states: Record<string, { on?: Record<string, string>; final?: boolean; description?: string }>;
  envelope?: { discriminator: string; payloadField: string };
  events: Record<string, { direction?: Direction; states: string[]; payload: JsonSchema; examples?: unknown[]; description?: string }>;
  definitions?: Record<string, JsonSchema>;
  runs?: { key: string; pattern: string };
}

export function buildContract(spec: ContractSpec): Contract {
  const states: ContractState[] = Object.entries(spec.states).map(([name, s]) => ({
    name,
    final: s.final ?? false,
    on: s.on ?? {},
    ...(s.description === undefined ? {} : { description: s.description }),
  }));
  const events: ContractEvent[] = Object.entries(spec.events).map(([name, e]) => ({
    name,
    direction: e.direction ?? "server-to-client",
    states: e.states,
    payload: e.payload,
    examples: e.examples ?? [],
    ...(e.description === undefined ? {} : { description: e.description }),
  }));
  const definitions: Record<string, JsonSchema> = {};
  for (const key of Object.keys(spec.definitions ?? {}).sort()) definitions[key] = spec.definitions![key]!;
  return {
    file: spec.file ?? `/virtual/${spec.name}.contract.yaml`,
    formatVersion: 1,
    name: spec.name,
    version: spec.version ?? "1.0.0",
    ...(spec.description === undefined ? {} : { description: spec.description }),
    lifecycle: { initial: spec.initial, states },
    envelope: spec.envelope ?? { discriminator: "type", payloadField: "data" },
    events,
    definitions,
    ...(spec.runs === undefined ? {} : { runs: { ...spec.runs, ast: parsePattern(spec.runs.pattern) } }),
    locate: () => ({ line: 1, column: 1 }),
  };
}

/** A small recursive-descent parser for run patterns (the loader has the real one). */
export function parsePattern(text: string): RunPattern {
  const tokens = text.match(/[A-Za-z0-9_.:/-]+|[()|*+?]/g) ?? [];
  let i = 0;
  const alt = (): RunPattern => {
    const options = [seq()];
    while (tokens[i] === "|") {
      i++;
      options.push(seq());
    }
    return options.length === 1 ? options[0]! : { kind: "alt", options };
  };
  const seq = (): RunPattern => {
    const items: RunPattern[] = [];
    while (i < tokens.length && tokens[i] !== ")" && tokens[i] !== "|") items.push(postfix());
    return items.length === 1 ? items[0]! : { kind: "seq", items };
  };
  const postfix = (): RunPattern => {
    let item = atom();
    for (;;) {
      const op = tokens[i];
      if (op === "*") item = { kind: "repeat", item, min: 0, max: "many" };
      else if (op === "+") item = { kind: "repeat", item, min: 1, max: "many" };
      else if (op === "?") item = { kind: "repeat", item, min: 0, max: 1 };
      else return item;
      i++;
    }
  };
  const atom = (): RunPattern => {
    const token = tokens[i++];
    if (token === "(") {
      const inner = alt();
      if (tokens[i++] !== ")") throw new Error(`unbalanced pattern: ${text}`);
      return inner;
    }
    if (token === undefined || /^[()|*+?]$/.test(token)) throw new Error(`bad pattern: ${text}`);
    return { kind: "event", name: token };
  };
  const result = alt();
  if (i !== tokens.length) throw new Error(`bad pattern: ${text}`);
  return result;
}

import type { RunPattern } from "../model.js";
import { reachable } from "../../common/graph.js";

/**
 * A deterministic automaton for a run pattern. State 0 is the start; a missing transition means
 * the run is broken. States are numbered in breadth-first order and minimal, so the table is
 * the same for equivalent patterns and stable from run to run.
 */
export interface RunAutomaton {
  /** Event names in the order they first appear in the pattern. */
  alphabet: string[];
  /** `next` maps event names to states; it has no prototype, so any event name (`toString`, `__proto__`) is a plain key. */
  states: { accepting: boolean; next: Record<string, number> }[];
}

/** A transition table with no inherited keys. */
function table(): Record<string, number> {
  return Object.create(null) as Record<string, number>;
}

interface Nfa {
  /** epsilon edges */
  eps: number[][];
  /** labelled edges */
  edges: { on: string; to: number }[][];
}

export function buildRunDfa(pattern: RunPattern): RunAutomaton {
  const nfa: Nfa = { eps: [], edges: [] };
  const alphabet: string[] = [];
  const node = (): number => {
    nfa.eps.push([]);
    nfa.edges.push([]);
    return nfa.eps.length - 1;
  };
  // Thompson construction: returns [entry, exit].
  const build = (p: RunPattern): [number, number] => {
    switch (p.kind) {
      case "event": {
        if (!alphabet.includes(p.name)) alphabet.push(p.name);
        const a = node();
        const b = node();
        nfa.edges[a]!.push({ on: p.name, to: b });
        return [a, b];
      }
      case "seq": {
        const a = node();
        let last = a;
        for (const item of p.items) {
          const [s, e] = build(item);
          nfa.eps[last]!.push(s);
          last = e;
        }
        return [a, last];
      }
      case "alt": {
        const a = node();
        const b = node();
        for (const option of p.options) {
          const [s, e] = build(option);
          nfa.eps[a]!.push(s);
          nfa.eps[e]!.push(b);
        }
        return [a, b];
      }
      case "repeat": {
        const a = node();
        const b = node();
        const [s, e] = build(p.item);
        nfa.eps[a]!.push(s);
        nfa.eps[e]!.push(b);
        if (p.min === 0) nfa.eps[a]!.push(b);
        if (p.max === "many") nfa.eps[e]!.push(s);
        return [a, b];
      }
    }
  };
  const [start, accept] = build(pattern);
  return minimize(determinize(nfa, start, accept, alphabet), alphabet);
}

function closure(nfa: Nfa, seeds: Iterable<number>): number[] {
  return [...reachable(seeds, (state) => nfa.eps[state]!)].sort((a, b) => a - b);
}

/**
 * The most states the generated monitor's table may have. Real run patterns need tens; a pattern
 * such as `(a | b)* a (a | b) (a | b) …` needs 2^n (14 trailing groups: 32,768 states, a 1 MB file),
 * which no reviewer can read and no build wants.
 */
export const MAX_RUN_DFA_STATES = 1024;
/** The most NFA states the subset construction may visit in all (a bound on its time). */
const MAX_RUN_DFA_WORK = 5_000_000;

/** A run pattern whose automaton exceeds `MAX_RUN_DFA_STATES` (or its work budget). */
export class RunPatternTooComplex extends Error {
  constructor(readonly limit: number) {
    super(`the run pattern needs an automaton of more than ${limit} states`);
    this.name = "RunPatternTooComplex";
  }
}

function determinize(nfa: Nfa, start: number, accept: number, alphabet: string[]): RunAutomaton {
  const first = closure(nfa, [start]);
  const index = new Map<string, number>([[first.join(","), 0]]);
  const sets = [first];
  const states: RunAutomaton["states"] = [];
  let work = 0;
  for (let i = 0; i < sets.length; i++) {
    const set = sets[i]!;
    const next = table();
    // The targets of every symbol, in one pass over the set's edges.
    const bySymbol = new Map<string, number[]>();
    for (const n of set) {
      for (const edge of nfa.edges[n]!) {
        const list = bySymbol.get(edge.on);
        if (list) list.push(edge.to);
        else bySymbol.set(edge.on, [edge.to]);
      }
    }
    for (const symbol of alphabet) {
      const targets = bySymbol.get(symbol);
      if (targets === undefined) continue;
      const target = closure(nfa, targets);
      work += target.length;
      if (work > MAX_RUN_DFA_WORK) throw new RunPatternTooComplex(MAX_RUN_DFA_STATES);
      const id = target.join(",");
      if (!index.has(id)) {
        if (sets.length >= MAX_RUN_DFA_STATES) throw new RunPatternTooComplex(MAX_RUN_DFA_STATES);
        index.set(id, sets.length);
        sets.push(target);
      }
      next[symbol] = index.get(id)!;
    }
    states.push({ accepting: set.includes(accept), next });
  }
  return { alphabet, states };
}

/** Moore partition refinement, then renumbering in breadth-first order from the start. */
function minimize(dfa: RunAutomaton, alphabet: string[]): RunAutomaton {
  let block: number[] = dfa.states.map((s) => (s.accepting ? 1 : 0));
  for (;;) {
    const signatures = dfa.states.map((s, i) => JSON.stringify([block[i], alphabet.map((a) => (Object.hasOwn(s.next, a) ? block[s.next[a]!] : -1))]));
    const ids = new Map<string, number>();
    const refined = signatures.map((sig) => {
      if (!ids.has(sig)) ids.set(sig, ids.size);
      return ids.get(sig)!;
    });
    const changed = new Set(refined).size !== new Set(block).size;
    block = refined;
    if (!changed) break;
  }
  const order = new Map<number, number>();
  const queue = [block[0]!];
  order.set(block[0]!, 0);
  const representative = new Map<number, number>();
  dfa.states.forEach((_, i) => {
    if (!representative.has(block[i]!)) representative.set(block[i]!, i);
  });
  const states: RunAutomaton["states"] = [];
  for (let q = 0; q < queue.length; q++) {
    const original = dfa.states[representative.get(queue[q]!)!]!;
    const next = table();
    for (const symbol of alphabet) {
      const to = Object.hasOwn(original.next, symbol) ? original.next[symbol] : undefined;
      if (to === undefined) continue;
      const b = block[to]!;
      if (!order.has(b)) {
        order.set(b, order.size);
        queue.push(b);
      }
      next[symbol] = order.get(b)!;
    }
    states.push({ accepting: original.accepting, next });
  }
  return { alphabet, states };
}

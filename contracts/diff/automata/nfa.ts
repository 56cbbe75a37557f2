/**
 * Nondeterministic automata over integer symbols (event indices for run patterns, code points
 * for string patterns), and a breadth-first search for a shortest word that a set of automata
 * accepts and another set rejects: the DFAs are built lazily by subset construction, and their
 * product is explored from the start, so the first hit is a shortest witness.
 */

/** A sorted list of disjoint, inclusive symbol intervals. */
export type SymbolSet = readonly (readonly [number, number])[];

export type Edge =
  | { kind: "eps"; to: number }
  | { kind: "sym"; set: SymbolSet; to: number }
  /** Matches only before the first symbol (`^`). */
  | { kind: "bol"; to: number }
  /** Matches only after the last symbol (`$`). */
  | { kind: "eol"; to: number };

export class Nfa {
  readonly edges: Edge[][] = [];
  start = 0;
  accept = 0;

  addState(): number {
    this.edges.push([]);
    return this.edges.length - 1;
  }

  addEdge(from: number, edge: Edge): void {
    this.edges[from]!.push(edge);
  }

  /** States reachable through eps edges (and bol edges at the start, eol edges at the end). */
  closure(states: Iterable<number>, atStart: boolean, atEnd: boolean): Set<number> {
    const out = new Set<number>();
    const stack = [...states];
    while (stack.length) {
      const state = stack.pop()!;
      if (out.has(state)) continue;
      out.add(state);
      for (const edge of this.edges[state]!) {
        if (edge.kind === "eps" || (edge.kind === "bol" && atStart) || (edge.kind === "eol" && atEnd)) stack.push(edge.to);
      }
    }
    return out;
  }

  initial(): Set<number> {
    return this.closure([this.start], true, false);
  }

  step(states: ReadonlySet<number>, symbol: number): Set<number> {
    const next: number[] = [];
    for (const state of states) {
      for (const edge of this.edges[state]!) {
        if (edge.kind === "sym" && setHas(edge.set, symbol)) next.push(edge.to);
      }
    }
    return this.closure(next, false, false);
  }

  accepts(states: ReadonlySet<number>, atStart: boolean): boolean {
    return this.closure(states, atStart, true).has(this.accept);
  }

  /** Does the automaton accept the whole word? */
  matches(word: readonly number[]): boolean {
    let states = this.initial();
    for (const symbol of word) {
      states = this.step(states, symbol);
      if (states.size === 0) return false;
    }
    return this.accepts(states, word.length === 0);
  }

  symbolSets(): SymbolSet[] {
    return this.edges.flatMap((edges) => edges.flatMap((e) => (e.kind === "sym" ? [e.set] : [])));
  }
}

export function setHas(set: SymbolSet, symbol: number): boolean {
  for (const [lo, hi] of set) if (symbol >= lo && symbol <= hi) return true;
  return false;
}

/** Normalizes intervals into a sorted disjoint list. */
export function normalizeSet(intervals: Iterable<readonly [number, number]>): SymbolSet {
  const sorted = [...intervals].filter(([lo, hi]) => lo <= hi).sort((a, b) => a[0] - b[0]);
  const out: [number, number][] = [];
  for (const [lo, hi] of sorted) {
    const last = out[out.length - 1];
    if (last && lo <= last[1] + 1) last[1] = Math.max(last[1], hi);
    else out.push([lo, hi]);
  }
  return out;
}

export function complementSet(set: SymbolSet, max: number): SymbolSet {
  const out: [number, number][] = [];
  let next = 0;
  for (const [lo, hi] of set) {
    if (lo > next) out.push([next, lo - 1]);
    next = hi + 1;
  }
  if (next <= max) out.push([next, max]);
  return out;
}

export interface LengthBounds {
  min: number;
  /** Infinity when unbounded. */
  max: number;
}

export interface DifferenceQuery {
  /** Automata that must all accept the word. */
  accept: readonly Nfa[];
  /** Automata of which at least one must reject the word (or the word's length must fall outside `rejectLength`); none and no `rejectLength`: any accepted word. */
  reject: readonly Nfa[];
  /** Length bounds the accepting side imposes. */
  acceptLength?: LengthBounds;
  /** Length bounds of the rejecting side: a word outside them is rejected. */
  rejectLength?: LengthBounds;
  /** Representative symbols to try, in preference order. */
  symbols: readonly number[];
  /** Give up after exploring this many product states (the answer is then `undefined`). */
  maxStates?: number;
  /** Give up on words longer than this. */
  maxLength?: number;
}

export type DifferenceResult = { found: true; word: number[] } | { found: false; exhausted: boolean };

/** A shortest word accepted by every `accept` automaton and rejected by the `reject` side. */
export function findShortestDifference(query: DifferenceQuery): DifferenceResult {
  const all = [...query.accept, ...query.reject];
  const acceptLength = query.acceptLength ?? { min: 0, max: Infinity };
  const rejectLength = query.rejectLength ?? { min: 0, max: Infinity };
  const finite = [acceptLength.min, acceptLength.max, rejectLength.min, rejectLength.max].filter((n) => Number.isFinite(n));
  const lengthCap = (finite.length ? Math.max(...finite) : 0) + 1;
  const maxLength = Math.min(query.maxLength ?? 512, acceptLength.max);
  const maxStates = query.maxStates ?? 50_000;

  interface Node {
    sets: Set<number>[];
    length: number;
    parent?: Node;
    symbol?: number;
  }
  const keyOf = (sets: Set<number>[], length: number) => `${Math.min(length, lengthCap)}|${sets.map((s) => [...s].sort((a, b) => a - b).join(",")).join("|")}`;
  const isHit = (node: Node): boolean => {
    const atStart = node.length === 0;
    if (node.length < acceptLength.min || node.length > acceptLength.max) return false;
    for (let i = 0; i < query.accept.length; i++) if (!query.accept[i]!.accepts(node.sets[i]!, atStart)) return false;
    if (query.reject.length === 0 && !query.rejectLength) return true;
    if (node.length < rejectLength.min || node.length > rejectLength.max) return true;
    for (let j = 0; j < query.reject.length; j++) if (!query.reject[j]!.accepts(node.sets[query.accept.length + j]!, atStart)) return true;
    return false;
  };

  const root: Node = { sets: all.map((nfa) => nfa.initial()), length: 0 };
  const seen = new Set<string>([keyOf(root.sets, 0)]);
  let frontier: Node[] = [root];
  let explored = 0;
  let truncated = false;
  while (frontier.length) {
    const next: Node[] = [];
    for (const node of frontier) {
      if (isHit(node)) {
        const word: number[] = [];
        for (let n: Node | undefined = node; n?.parent; n = n.parent) word.unshift(n.symbol!);
        return { found: true, word };
      }
      if (node.length >= maxLength) {
        if (Number.isFinite(acceptLength.max) ? node.length < acceptLength.max : true) truncated = true;
        continue;
      }
      // Every accepting automaton must still be alive.
      if (node.sets.slice(0, query.accept.length).some((s) => s.size === 0)) continue;
      for (const symbol of query.symbols) {
        const sets = node.sets.map((s, i) => all[i]!.step(s, symbol));
        if (sets.slice(0, query.accept.length).some((s) => s.size === 0)) continue;
        const key = keyOf(sets, node.length + 1);
        if (seen.has(key)) continue;
        seen.add(key);
        if (++explored > maxStates) return { found: false, exhausted: false };
        next.push({ sets, length: node.length + 1, parent: node, symbol });
      }
    }
    frontier = next;
  }
  return { found: false, exhausted: !truncated };
}

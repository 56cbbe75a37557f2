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

  /**
   * Thompson's sequence from `from` to `to`: each part, in order, from the previous part's end to a
   * new state (`buildPart` adds its edges), then an empty move from the last end to `to`.
   */
  addSequence<T>(parts: readonly T[], from: number, to: number, buildPart: (part: T, from: number, to: number) => void): void {
    let current = from;
    for (const part of parts) {
      const next = this.addState();
      buildPart(part, current, next);
      current = next;
    }
    this.addEdge(current, { kind: "eps", to });
  }

  /** States reachable through eps edges (and bol edges at the start, eol edges at the end). */
  closure(states: Iterable<number>, atStart: boolean, atEnd: boolean): Set<number> {
    return new Set(this.closureList(states, atStart, atEnd));
  }

  /** `closureList`'s marks: `reached[state] === generation` when the state is in the current closure. */
  private reached = new Int32Array(0);
  private generation = 0;

  /** `closure` as a list (unordered), without building a set: the DFA steps through it for every new subset. */
  private closureList(states: Iterable<number>, atStart: boolean, atEnd: boolean): number[] {
    if (this.reached.length < this.edges.length) this.reached = new Int32Array(this.edges.length * 2);
    if (this.generation === 0x7fffffff) {
      this.reached.fill(0);
      this.generation = 0;
    }
    const generation = ++this.generation;
    const reached = this.reached;
    const out: number[] = [];
    const stack = [...states];
    while (stack.length) {
      const state = stack.pop()!;
      if (reached[state] === generation) continue;
      reached[state] = generation;
      out.push(state);
      for (const edge of this.edges[state]!) {
        if (edge.kind === "eps" || (edge.kind === "bol" && atStart) || (edge.kind === "eol" && atEnd)) stack.push(edge.to);
      }
    }
    return out;
  }

  initial(): Set<number> {
    return this.closure([this.start], true, false);
  }

  /** The states `symbol` leads to from `states`, before their closure. */
  private moves(states: Iterable<number>, symbol: number): number[] {
    const next: number[] = [];
    for (const state of states) {
      for (const edge of this.edges[state]!) {
        if (edge.kind === "sym" && setHas(edge.set, symbol)) next.push(edge.to);
      }
    }
    return next;
  }

  step(states: ReadonlySet<number>, symbol: number): Set<number> {
    return this.closure(this.moves(states, symbol), false, false);
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

  /**
   * The lazy determinization: subsets of states met so far, interned (the index is the DFA state),
   * with their transitions and acceptance, shared by every search over this automaton. A search can
   * meet hundreds of thousands of subsets, so a subset keeps only the states that matter to what
   * follows (those with an edge that is not empty, and the accepting state: the others only lead on to
   * states already in it), as a sorted typed array keyed by a compact string, and the transitions are
   * one map per symbol.
   */
  private readonly dfaIds = new Map<number | string, number>();
  private readonly dfaSets: Int32Array[] = [];
  /**
   * Per DFA state, the number of its significant states (its key): the search's measure of work (see
   * `DifferenceQuery.maxWork`). Not the whole closure's size: closures that differ only in states that
   * do not matter share one id, and the measure must not depend on which of them was met first.
   */
  private dfaSizes: number[] = [];
  /** Per symbol stepped on, per DFA state: the next DFA state (one map per symbol, not one per state). */
  private readonly dfaNext = new Map<number, Map<number, number>>();
  /** Per DFA state, acceptance at the start and later: 0 not known yet, 1 rejects, 2 accepts. */
  private readonly dfaAccept: { atStart: number[]; later: number[] } = { atStart: [], later: [] };
  /** See `significantBits` (built on first use: an automaton gets no more edges once searched). */
  private significant: { of: Int32Array; wide: boolean } | undefined;

  /** Forgets the determinization when it grew large (only between searches: ids stay valid within one). */
  trimDfa(limit = 200_000): void {
    if (this.dfaSets.length <= limit) return;
    this.dfaIds.clear();
    this.dfaSets.length = 0;
    this.dfaSizes.length = 0;
    this.dfaNext.clear();
    this.dfaAccept.atStart.length = 0;
    this.dfaAccept.later.length = 0;
  }

  private intern(closure: readonly number[]): number {
    const bits = (this.significant ??= this.significantBits());
    const kept = closure.filter((state) => bits.of[state]! >= 0);
    let key: number | string = 0;
    if (bits.wide) {
      // One UTF-16 unit per state below 0xFFFF (escaped with 0xFFFF and two units above it): a short key, quick to build and hash.
      const sorted = Int32Array.from(kept).sort();
      key = "";
      for (let i = 0; i < sorted.length; i += 4096) {
        const chunk = sorted.subarray(i, i + 4096);
        key += chunk.every((state) => state < 0xffff)
          ? String.fromCharCode(...chunk)
          : Array.from(chunk, (state) => (state < 0xffff ? String.fromCharCode(state) : String.fromCharCode(0xffff, state >>> 16, state & 0xffff))).join("");
      }
    } else {
      for (const state of kept) key |= 1 << bits.of[state]!;
    }
    let id = this.dfaIds.get(key);
    if (id === undefined) {
      id = this.dfaSets.length;
      this.dfaIds.set(key, id);
      this.dfaSets.push(Int32Array.from(kept));
      this.dfaSizes.push(kept.length);
    }
    return id;
  }

  /**
   * The states that matter to a subset, each numbered (-1 for the others): a subset of at most 31 of
   * them is keyed by a bit mask (`wide` false), a larger one by a string of its sorted states.
   */
  private significantBits(): { of: Int32Array; wide: boolean } {
    const of = new Int32Array(this.edges.length).fill(-1);
    let count = 0;
    this.edges.forEach((edges, state) => {
      if (state === this.accept || edges.some((e) => e.kind !== "eps")) of[state] = count++;
    });
    return { of, wide: count > 31 };
  }

  dfaInitial(): number {
    return this.intern(this.closureList([this.start], true, false));
  }

  dfaStep(id: number, symbol: number): number {
    let next = this.dfaNext.get(symbol);
    if (next === undefined) this.dfaNext.set(symbol, (next = new Map<number, number>()));
    let to = next.get(id);
    if (to === undefined) {
      to = this.intern(this.closureList(this.moves(this.dfaSets[id]!, symbol), false, false));
      next.set(id, to);
    }
    return to;
  }

  /** The number of automaton states in a DFA state (0: dead). */
  dfaSize(id: number): number {
    return this.dfaSizes[id]!;
  }

  dfaAccepts(id: number, atStart: boolean): boolean {
    const cache = atStart ? this.dfaAccept.atStart : this.dfaAccept.later;
    cache[id] ??= this.closureList(this.dfaSets[id]!, atStart, true).includes(this.accept) ? 2 : 1;
    return cache[id] === 2;
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
  /** Give up after exploring this many product states (the answer is then not exhausted). */
  maxStates?: number;
  /**
   * Give up after this much work (automaton states stepped, summed over the search): a
   * deterministic stand-in for time, since a subset construction can blow up exponentially.
   */
  maxWork?: number;
  /** Give up on words longer than this (Infinity: no bound; the search still ends, the product being finite). */
  maxLength?: number;
}

/** The default work budget: well under a second of search. */
export const DEFAULT_MAX_WORK = 1_500_000;

/**
 * The longest word a search spells out. A shortest difference can be long (`minLength: 300000000`
 * against the same with a pattern): its length is still known, but spelling it would take gigabytes.
 */
export const MAX_WITNESS_LENGTH = 10_000;

/** `word` is absent when the shortest word is longer than `MAX_WITNESS_LENGTH` (`length` says how long). */
export type DifferenceResult = { found: true; word: number[] | undefined; length: number } | { found: false; exhausted: boolean };

/** A shortest word accepted by every `accept` automaton and rejected by the `reject` side. */
export function findShortestDifference(query: DifferenceQuery): DifferenceResult {
  const all = [...query.accept, ...query.reject];
  const acceptLength = query.acceptLength ?? { min: 0, max: Infinity };
  const rejectLength = query.rejectLength ?? { min: 0, max: Infinity };
  const finite = [acceptLength.min, acceptLength.max, rejectLength.min, rejectLength.max].filter((n) => Number.isFinite(n));
  const lengthCap = (finite.length ? Math.max(...finite) : 0) + 1;
  const maxLength = Math.min(query.maxLength ?? 512, acceptLength.max);
  const maxStates = query.maxStates ?? 50_000;
  const maxWork = query.maxWork ?? DEFAULT_MAX_WORK;
  let work = 0;

  for (const nfa of all) nfa.trimDfa();

  interface Node {
    /** The DFA state of each automaton (`all`'s order). */
    ids: number[];
    length: number;
    parent?: Node;
    symbol?: number;
    /** Reached by skipping a stationary stretch: `steps` transitions inside it lead here from one of its base nodes. */
    jump?: { steps: number; stretch: Stretch };
  }
  /** Lengths over which the reachable product states stay the same: how each was reached from one of them. */
  interface Stretch {
    pred: Map<string, { key: string; symbol: number }>;
    base: Map<string, Node>;
  }
  const idsKey = (ids: number[]) => ids.join(",");
  const keyOf = (ids: number[], length: number) => `${Math.min(length, lengthCap)}|${idsKey(ids)}`;
  const isHit = (node: Node): boolean => {
    const atStart = node.length === 0;
    if (node.length < acceptLength.min || node.length > acceptLength.max) return false;
    for (let i = 0; i < query.accept.length; i++) if (!query.accept[i]!.dfaAccepts(node.ids[i]!, atStart)) return false;
    if (query.reject.length === 0 && !query.rejectLength) return true;
    if (node.length < rejectLength.min || node.length > rejectLength.max) return true;
    for (let j = 0; j < query.reject.length; j++) if (!query.reject[j]!.dfaAccepts(node.ids[query.accept.length + j]!, atStart)) return true;
    return false;
  };
  const alive = (ids: number[]) => ids.every((id, i) => i >= query.accept.length || all[i]!.dfaSize(id) > 0);
  const wordOf = (node: Node): number[] => {
    const reversed: number[] = [];
    let n: Node = node;
    for (;;) {
      if (n.jump) {
        let key = idsKey(n.ids);
        for (let i = 0; i < n.jump.steps; i++) {
          const pred = n.jump.stretch.pred.get(key)!;
          reversed.push(pred.symbol);
          key = pred.key;
        }
        n = n.jump.stretch.base.get(key)!;
        continue;
      }
      if (!n.parent) break;
      reversed.push(n.symbol!);
      n = n.parent;
    }
    return reversed.reverse();
  };
  const found = (node: Node): DifferenceResult => ({ found: true, word: node.length <= MAX_WITNESS_LENGTH ? wordOf(node) : undefined, length: node.length });
  // Lengths at which what a product state means changes: past them the search must go step by step.
  const boundaries = [acceptLength.min, acceptLength.max + 1, rejectLength.min, rejectLength.max + 1, maxLength, lengthCap].filter((n) => Number.isFinite(n));

  const root: Node = { ids: all.map((nfa) => nfa.dfaInitial()), length: 0 };
  const seen = new Set<string>([keyOf(root.ids, 0)]);
  let frontier: Node[] = [root];
  let explored = 0;
  let truncated = false;
  while (frontier.length) {
    let next: Node[] = [];
    for (const node of frontier) {
      if (isHit(node)) return found(node);
      if (node.length >= maxLength) {
        if (Number.isFinite(acceptLength.max) ? node.length < acceptLength.max : true) truncated = true;
        continue;
      }
      // Every accepting automaton must still be alive.
      if (!alive(node.ids)) continue;
      for (const symbol of query.symbols) {
        // Work is counted as if nothing were cached, so the verdict never depends on earlier searches.
        for (let i = 0; i < all.length; i++) work += all[i]!.dfaSize(node.ids[i]!) + 1;
        if (work > maxWork) return { found: false, exhausted: false };
        const ids = node.ids.map((id, i) => all[i]!.dfaStep(id, symbol));
        if (!alive(ids)) continue;
        const key = keyOf(ids, node.length + 1);
        if (seen.has(key)) continue;
        seen.add(key);
        if (++explored > maxStates) return { found: false, exhausted: false };
        next.push({ ids, length: node.length + 1, parent: node, symbol });
      }
    }
    // The product states reachable by words of exactly L + 1 symbols are those of length L: they stay
    // the same at every length up to the next boundary, so the search skips to just before it (a
    // `maxLength` of 100 000 costs no more than one of 10).
    const length = (frontier[0]?.length ?? 0) + 1;
    const stop = Math.min(...boundaries.filter((b) => b > length));
    if (next.length > 0 && next.length === frontier.length && Number.isFinite(stop) && stop - 1 > length) {
      const before = new Set(frontier.map((n) => idsKey(n.ids)));
      if (next.every((n) => before.has(idsKey(n.ids)))) {
        for (const node of next) if (isHit(node)) return found(node);
        const stretch: Stretch = { pred: new Map(), base: new Map() };
        for (const node of next) {
          stretch.pred.set(idsKey(node.ids), { key: idsKey(node.parent!.ids), symbol: node.symbol! });
          stretch.base.set(idsKey(node.ids), node);
        }
        next = next.map((node) => ({ ids: node.ids, length: stop - 1, jump: { steps: stop - 1 - length, stretch } }));
        for (const node of next) seen.add(keyOf(node.ids, node.length));
      }
    }
    frontier = next;
  }
  return { found: false, exhausted: !truncated };
}

/** Code points as a string (a loop: spreading thousands of arguments can overflow the stack). */
export function spell(word: readonly number[]): string {
  let out = "";
  for (const code of word) out += String.fromCodePoint(code);
  return out;
}

/** Constraint arithmetic for the schema comparison: bounds, multiples, finite ranges, string languages. */
import { findShortestDifference, type Nfa } from "../../automata/nfa.js";
import { compilePattern, stringSymbols, UnsupportedPattern } from "../../automata/regex.js";
import { spell } from "../../automata/nfa.js";
import type { Bound, StringConstraints, Variant } from "./norm-types.js";

type SchemaVariant = Extract<Variant, { kind: "schema" }>;

export function boundText(b: Bound | undefined, lower: boolean): string {
  if (!b) return "none";
  return `${lower ? (b.exclusive ? ">" : ">=") : b.exclusive ? "<" : "<="} ${b.value}`;
}

/** -1: a accepts less than b (tighter); 1: looser; 0: same. */
export function compareLower(a: Bound | undefined, b: Bound | undefined): number {
  if (!a && !b) return 0;
  if (!a) return 1;
  if (!b) return -1;
  if (a.value !== b.value) return a.value > b.value ? -1 : 1;
  if (a.exclusive === b.exclusive) return 0;
  return a.exclusive ? -1 : 1;
}

export function compareUpper(a: Bound | undefined, b: Bound | undefined): number {
  if (!a && !b) return 0;
  if (!a) return 1;
  if (!b) return -1;
  if (a.value !== b.value) return a.value < b.value ? -1 : 1;
  if (a.exclusive === b.exclusive) return 0;
  return a.exclusive ? -1 : 1;
}


/** `{ type: integer, minimum: 1, maximum: 3 }` as the values 1, 2, 3 (small ranges only). */
export function asValues(v: SchemaVariant): Variant | undefined {
  const c = v.c;
  if (c.type !== "number" || !c.integer || !c.min || !c.max || c.multipleOf.length || v.opaque.length) return undefined;
  if (c.max.value - c.min.value > 256) return undefined;
  const values: number[] = [];
  for (let x = c.min.value; x <= c.max.value; x++) values.push(x);
  return { kind: "values", type: "number", values, at: v.at };
}

export function isMultiple(a: number, b: number): boolean {
  const q = a / b;
  return Math.abs(q - Math.round(q)) < 1e-9;
}


/** Values just inside `inside` and outside `outside` (for a bound that moved). */
export function boundSeeds(inside: Bound | undefined, outside: Bound | undefined, lower: boolean): number[] {
  const seeds: number[] = [];
  const sign = lower ? -1 : 1;
  if (inside) {
    const v = inside.value;
    seeds.push(inside.exclusive ? v - sign * 1 : v, inside.exclusive ? v - sign * 0.5 : v - sign * 0.5);
  } else if (outside) {
    const v = outside.value;
    seeds.push(v + sign * 1, v + sign * 1000, outside.exclusive ? v : v + sign * 0.5);
  }
  if (outside) seeds.push(outside.exclusive ? outside.value : outside.value + sign * 1);
  return seeds;
}


export type StringVerdict =
  | ({ kind: "equal" | "tightened" | "widened" | "changed" } & Witnesses)
  /** The patterns could not be compared: `reason` says why (a feature the automata do not model, or the search budget). */
  | ({ kind: "unknown"; reason: string } & Witnesses);

/**
 * A string only the old side accepts, and one only the new side accepts; when such a string is too
 * long to spell out (see `MAX_WITNESS_LENGTH`), only its length.
 */
interface Witnesses {
  oldOnly?: string;
  newOnly?: string;
  oldOnlyLength?: number;
  newOnlyLength?: number;
}

/**
 * Compares the strings two constraint sets accept (patterns and lengths) as automata: a breadth-first
 * search over the product of the (lazily determinized) automata, with no bound on the length of
 * the strings (the product is finite, so the search ends), within a work budget, since determinizing
 * a pattern such as `(a|b)*a(a|b){20}` blows up exponentially.
 */
export function classifyStrings(o: StringConstraints, n: StringConstraints): StringVerdict {
  let oldNfas: Nfa[];
  let newNfas: Nfa[];
  try {
    oldNfas = o.patterns.map((p) => compilePattern(p));
    newNfas = n.patterns.map((p) => compilePattern(p));
  } catch (error) {
    if (!(error instanceof UnsupportedPattern)) throw error;
    return { kind: "unknown", reason: `covenant cannot model the pattern as an automaton (${error.message})` };
  }
  const symbols = stringSymbols([...oldNfas, ...newNfas]);
  const oldLength = { min: o.minLength, max: o.maxLength ?? Infinity };
  const newLength = { min: n.minLength, max: n.maxLength ?? Infinity };
  const oldOnly = findShortestDifference({ accept: oldNfas, reject: newNfas, acceptLength: oldLength, rejectLength: newLength, symbols, maxLength: Infinity, maxStates: 200_000 });
  const newOnly = findShortestDifference({ accept: newNfas, reject: oldNfas, acceptLength: newLength, rejectLength: oldLength, symbols, maxLength: Infinity, maxStates: 200_000 });
  const word = (r: typeof oldOnly) => (r.found && r.word ? spell(r.word) : undefined);
  const unknown = (r: typeof oldOnly) => !r.found && !r.exhausted;
  const witnesses: Witnesses = {
    ...(word(oldOnly) === undefined ? {} : { oldOnly: word(oldOnly) }),
    ...(word(newOnly) === undefined ? {} : { newOnly: word(newOnly) }),
    ...(oldOnly.found && !oldOnly.word ? { oldOnlyLength: oldOnly.length } : {}),
    ...(newOnly.found && !newOnly.word ? { newOnlyLength: newOnly.length } : {}),
  };
  // One way found and the other undecided is still undecided for the kind (changed or one-way).
  if (unknown(oldOnly) || unknown(newOnly)) return { kind: "unknown", reason: "the patterns are too complex to compare within covenant's search budget", ...witnesses };
  const a = oldOnly.found;
  const b = newOnly.found;
  return { kind: a && b ? "changed" : a ? "tightened" : b ? "widened" : "equal", ...witnesses };
}

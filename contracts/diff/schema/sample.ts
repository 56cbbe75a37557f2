/**
 * Builds concrete values from schemas, constructively: typical values first, then values at and
 * beyond the bounds the other side of the diff uses, so a witness search finds a value one schema
 * accepts and the other rejects in few tries. Every value is checked with ajv by the caller.
 */
import { findShortestDifference, type Nfa, spell } from "../../automata/nfa.js";
import { stringSymbols, tryCompilePattern } from "../../automata/regex.js";
import type { SchemaContext } from "./context.js";
import type { JsonSchema } from "../../model.js";
import { isObject, type JsonObject, jsonTypeOf, stableStringify } from "./json.js";
import { ADDITIONAL_PROPERTY, type Path } from "./compare.js";
import { type JsonType, type Located, type NormSchema, Normalizer, type StringConstraints, type Variant } from "./normalize.js";

const FORMAT_SAMPLES: Record<string, string> = {
  "date-time": "2025-01-01T00:00:00Z",
  date: "2025-01-01",
  time: "00:00:00Z",
  duration: "P1D",
  email: "user@example.com",
  "idn-email": "user@example.com",
  hostname: "example.com",
  "idn-hostname": "example.com",
  ipv4: "192.0.2.1",
  ipv6: "2001:db8::1",
  uri: "https://example.com/",
  "uri-reference": "https://example.com/",
  iri: "https://example.com/",
  "iri-reference": "https://example.com/",
  "uri-template": "https://example.com/{id}",
  uuid: "00000000-0000-4000-8000-000000000000",
  "json-pointer": "/a",
  "relative-json-pointer": "0",
  regex: "^a$",
  byte: "YQ==",
};

const TYPE_ORDER: readonly JsonType[] = ["string", "number", "object", "array", "boolean", "null"];
const MAX_DEPTH = 8;

export interface SampleSide {
  norm: Normalizer;
  ctx: SchemaContext;
}

export class ValueSampler {
  constructor(
    private readonly side: SampleSide,
    private readonly other?: SampleSide,
  ) {}

  /** Candidate values for `located` (or for one of its variants), varied to probe `other`'s constraints. */
  candidates(located: Located, other?: Located, variant?: Variant, focus?: { toggle?: string; extra?: boolean }, depth = 0): unknown[] {
    if (depth > MAX_DEPTH) return [];
    const norm = this.side.norm.normalize(located);
    const otherNorm = other && this.other ? this.other.norm.normalize(other) : undefined;
    const variants = variant ? [variant] : TYPE_ORDER.flatMap((t) => norm.types.get(t) ?? []);
    const out: unknown[] = [];
    for (const v of variants) out.push(...this.variantCandidates(v, located, otherNorm, focus, depth));
    return dedupe(out);
  }

  /** The first candidate `located` accepts, preferring one `other` accepts too. */
  pick(located: Located, other: Located | undefined, depth: number): unknown {
    const candidates = this.candidates(located, other, undefined, undefined, depth).slice(0, 24);
    const valid = candidates.filter((c) => this.side.ctx.accepts(located.schema, c));
    if (other && this.other) {
      const both = valid.find((c) => this.other!.ctx.accepts(other.schema, c));
      if (both !== undefined) return both;
    }
    return valid[0];
  }

  private variantCandidates(v: Variant, located: Located, otherNorm: NormSchema | undefined, focus: { toggle?: string; extra?: boolean } | undefined, depth: number): unknown[] {
    if (v.kind === "values") return v.values;
    const opaqueParts = [...v.opaque, ...(otherNorm ? [...otherNorm.types.values()].flat().flatMap((o) => (o.kind === "schema" && o.type === v.type ? o.opaque : [])) : [])];
    const fromOpaque = depth < 3 ? this.opaqueCandidates(v, opaqueParts, located, depth) : [];
    const literals = [...harvestLiterals(v.opaque), ...(otherNorm ? [...otherNorm.types.values()].flat().flatMap((o) => (o.kind === "schema" ? harvestLiterals(o.opaque) : [])) : [])].filter((x) => jsonTypeOf(x) === v.type || (v.type === "number" && jsonTypeOf(x) === "integer"));
    return [...this.typedCandidates(v, located, otherNorm, focus, depth), ...literals, ...fromOpaque];
  }

  /**
   * Values shaped by keywords covenant does not decompose: instances of `if`/`then`/`else`/`not`
   * sub-schemas (merged into a base object), arrays holding what `contains` wants, objects that
   * trip `dependentRequired` or `propertyNames`.
   */
  private opaqueCandidates(v: Extract<Variant, { kind: "schema" }>, parts: readonly JsonObject[], located: Located, depth: number): unknown[] {
    if (parts.length === 0) return [];
    const out: unknown[] = [];
    // Instances of a sub-schema, of the variant's type first (an `if` without `type` also has string instances).
    const sub = (schema: unknown) => {
      const all = this.candidates({ schema: schema as JsonSchema, at: located.at }, undefined, undefined, undefined, depth + 1);
      const ofType = (x: unknown) => jsonTypeOf(x) === v.type || (v.type === "number" && jsonTypeOf(x) === "integer");
      return [...all.filter(ofType).slice(0, 6), ...all.filter((x) => !ofType(x)).slice(0, 2)];
    };
    const base = v.c.type === "object" ? this.typedCandidates({ ...v, opaque: [] }, located, undefined, undefined, depth)[0] : undefined;
    for (const part of parts) {
      for (const key of ["if", "then", "else", "not"] as const) {
        if (part[key] === undefined) continue;
        for (const value of sub(part[key])) out.push(isObject(base) && isObject(value) ? { ...base, ...value } : value);
      }
      // A oneOf kept as a condition (its branches overlap): values of each branch, some matching several.
      if (Array.isArray(part.oneOf)) for (const branch of part.oneOf) for (const value of sub(branch)) out.push(isObject(base) && isObject(value) ? { ...base, ...value } : value);
      if (v.c.type === "array" && part.contains !== undefined) for (const value of sub(part.contains)) out.push([value], [value, value]);
      if (v.c.type === "object" && isObject(part.dependentRequired)) {
        for (const name of Object.keys(part.dependentRequired)) {
          // The trigger alone, with a value its own schema accepts, and without what it needs.
          const value = this.pick(v.c.properties.get(name) ?? v.c.additional, undefined, depth + 1);
          const needs = part.dependentRequired[name];
          const without = { ...(isObject(base) ? base : {}) };
          if (Array.isArray(needs)) for (const n of needs) if (typeof n === "string") delete without[n];
          out.push({ ...without, [name]: value ?? "x" }, { ...(isObject(base) ? base : {}), [name]: value ?? "x" });
        }
      }
      if (v.c.type === "object" && isObject(part.propertyNames)) {
        const pattern = typeof part.propertyNames.pattern === "string" ? sampleMatching(part.propertyNames.pattern) : undefined;
        for (const name of [pattern, "A-B", "_", "0", "a"]) if (name !== undefined) out.push({ ...(isObject(base) ? base : {}), [name]: "x" });
      }
    }
    return out;
  }

  private typedCandidates(v: Extract<Variant, { kind: "schema" }>, located: Located, otherNorm: NormSchema | undefined, focus: { toggle?: string; extra?: boolean } | undefined, depth: number): unknown[] {
    const c = v.c;
    switch (c.type) {
      case "null":
        return [null];
      case "boolean":
        return [true, false];
      case "number":
        return this.numbers(c.integer, c.min?.value, c.max?.value, c.multipleOf, otherNorm);
      case "string":
        return this.strings(c, otherNorm);
      case "array": {
        const otherArray = otherNorm?.types.get("array")?.find((x) => x.kind === "schema");
        const otherItems = otherArray?.kind === "schema" && otherArray.c.type === "array" ? otherArray.c.items : undefined;
        const itemValues = this.candidates(c.items, otherItems, undefined, undefined, depth + 1).filter((x) => this.side.ctx.accepts(c.items.schema, x));
        const first = this.pick(c.items, otherItems, depth + 1);
        const prefix = c.prefixItems.map((p) => this.pick(p, undefined, depth + 1));
        const lengths = new Set<number>([Math.max(c.minItems, prefix.length), Math.max(c.minItems, prefix.length, 1)]);
        if (otherArray?.kind === "schema" && otherArray.c.type === "array") {
          lengths.add(otherArray.c.minItems - 1);
          if (otherArray.c.maxItems !== undefined) lengths.add(otherArray.c.maxItems + 1);
        }
        if (c.maxItems !== undefined) lengths.add(c.maxItems);
        const out: unknown[] = [];
        for (const length of lengths) {
          if (length < 0 || length > 64) continue;
          const arr: unknown[] = [...prefix.slice(0, length)];
          for (let i = arr.length; i < length; i++) arr.push(c.unique ? itemValues[i] : (first ?? itemValues[0]));
          if (arr.every((x) => x !== undefined)) out.push(arr);
        }
        if (itemValues.length > 1 && !c.unique) out.push([...prefix, itemValues[0], itemValues[0]]);
        for (const item of itemValues.slice(1, 6)) out.push([...prefix, item]);
        return out;
      }
      case "object": {
        const otherObject = otherNorm?.types.get("object")?.find((x) => x.kind === "schema");
        const oc = otherObject?.kind === "schema" && otherObject.c.type === "object" ? otherObject.c : undefined;
        const base: JsonObject = {};
        const valueFor = (name: string) => this.pick(c.properties.get(name) ?? c.additional, oc?.properties.get(name) ?? oc?.additional, depth + 1);
        for (const name of c.properties.keys()) {
          if (!c.required.has(name) && !oc?.required.has(name)) continue;
          const value = valueFor(name);
          if (value !== undefined) base[name] = value;
        }
        const out: unknown[] = [base];
        const toggled = focus?.toggle;
        if (toggled !== undefined) {
          const without = { ...base };
          delete without[toggled];
          const value = valueFor(toggled);
          out.push(without);
          if (value !== undefined) out.push({ ...base, [toggled]: value });
          const alts = this.candidates(c.properties.get(toggled) ?? c.additional, oc?.properties.get(toggled), undefined, undefined, depth + 1);
          // Values the other side rejects under that name first (an open object's any value against a declared field).
          const otherProp = oc?.properties.get(toggled) ?? oc?.additional;
          const rejected = otherProp && this.other ? alts.filter((a) => !this.other!.ctx.accepts(otherProp.schema, a)) : [];
          for (const alt of [...rejected.slice(0, 3), ...alts.slice(0, 6)]) out.push({ ...base, [toggled]: alt });
        }
        if (focus?.extra || c.additional.schema !== false) {
          const extraName = [ADDITIONAL_PROPERTY, "x", "extra_field"].find((n) => !c.properties.has(n)) ?? "extra_2";
          const extraValue = c.additional.schema === true ? "extra" : this.pick(c.additional, undefined, depth + 1);
          if (extraValue !== undefined) out.push({ ...base, [extraName]: extraValue });
        }
        const full = { ...base };
        for (const name of c.properties.keys()) {
          if (full[name] !== undefined) continue;
          const value = valueFor(name);
          if (value !== undefined) full[name] = value;
        }
        out.push(full);
        // Properties matched by patternProperties (on either side), with values of the matching schema.
        const patterns = [...v.opaque, ...(otherObject?.kind === "schema" ? otherObject.opaque : [])].flatMap((o) => (isObject(o.patternProperties) ? Object.entries(o.patternProperties) : []));
        for (const [pattern, schema] of patterns) {
          const key = sampleMatching(pattern);
          if (key === undefined || c.properties.has(key)) continue;
          for (const value of this.candidates({ schema: schema as JsonSchema, at: located.at }, undefined, undefined, undefined, depth + 1).slice(0, 4)) out.push({ ...base, [key]: value });
        }
        // Each optional property on its own, with its varied values (for differences inside it).
        for (const name of c.properties.keys()) {
          if (c.required.has(name)) continue;
          for (const alt of this.candidates(c.properties.get(name)!, oc?.properties.get(name), undefined, undefined, depth + 1).slice(0, 4)) out.push({ ...base, [name]: alt });
        }
        return out;
      }
    }
  }

  private numbers(integer: boolean, min: number | undefined, max: number | undefined, multipleOf: number[], other: NormSchema | undefined): number[] {
    const points = new Set<number>([0, 1, -1, 2, 0.5, 1.5, 1000, -1000, 1e9]);
    const around = (v: number | undefined) => {
      if (v === undefined) return;
      for (const d of [0, 1, -1, 0.5, -0.5, 0.001, -0.001, 2, -2]) points.add(v + d);
    };
    around(min);
    around(max);
    for (const m of multipleOf) for (const k of [1, 2, 3, -1]) points.add(m * k);
    for (const v of other?.types.get("number") ?? []) {
      if (v.kind === "values") v.values.forEach((x) => typeof x === "number" && points.add(x));
      else if (v.c.type === "number") {
        around(v.c.min?.value);
        around(v.c.max?.value);
        for (const m of v.c.multipleOf) points.add(m + (multipleOf[0] ?? 1));
      }
    }
    const inRange = [...points].filter((p) => Number.isFinite(p) && (!integer || Number.isInteger(p)) && (min === undefined || p >= min) && (max === undefined || p <= max));
    const typical = inRange.filter((p) => p >= 0).sort((a, b) => a - b);
    const rest = inRange.filter((p) => p < 0).sort((a, b) => b - a);
    const out = [...typical, ...rest];
    if (min !== undefined && !out.includes(min)) out.unshift(integer ? Math.ceil(min) : min);
    return out;
  }

  private strings(c: StringConstraints, other: NormSchema | undefined): string[] {
    const out: string[] = [];
    const lengths = new Set<number>([c.minLength, Math.max(c.minLength, 1), Math.max(c.minLength, 4)]);
    if (c.maxLength !== undefined) lengths.add(c.maxLength);
    const otherStrings = (other?.types.get("string") ?? []).flatMap((v) => (v.kind === "schema" && v.c.type === "string" ? [v.c] : []));
    for (const o of otherStrings) {
      lengths.add(o.minLength - 1);
      if (o.maxLength !== undefined) lengths.add(o.maxLength + 1);
    }
    for (const f of c.formats) if (FORMAT_SAMPLES[f]) out.push(FORMAT_SAMPLES[f]);
    out.push(...patternSamples(c, otherStrings, [...lengths]));
    for (const v of other?.types.get("string") ?? []) if (v.kind === "values") v.values.forEach((x) => typeof x === "string" && out.push(x));
    for (const length of [...lengths].sort((a, b) => a - b)) if (length >= 0 && length <= 4096) out.push("a".repeat(length));
    out.push("text", "A", "0", "-", "a b", "user@example.com", "https://example.com/");
    return out;
  }
}

/** Work budget of one sampling search (a sample is only a candidate: giving up early costs a witness, not a verdict). */
const SAMPLE_WORK = 200_000;
const patternCache = new Map<string, string[]>();

/**
 * Strings matching `c`'s patterns: one per interesting length, a shortest one, and shortest ones the
 * other side's patterns reject. Memoized: the witness search asks for the same field many times,
 * and each search may determinize an automaton.
 */
function patternSamples(c: StringConstraints, otherStrings: readonly StringConstraints[], lengths: readonly number[]): string[] {
  const key = JSON.stringify([c.patterns, c.minLength, c.maxLength ?? null, otherStrings.map((o) => [o.patterns, o.minLength, o.maxLength ?? null]), [...lengths].sort((a, b) => a - b)]);
  const cached = patternCache.get(key);
  if (cached) return cached;
  const out: string[] = [];
  const own = c.patterns.map(tryCompilePattern);
  const others = otherStrings.map((o) => ({ o, nfas: o.patterns.map(tryCompilePattern) }));
  const modelled = others.filter((x) => x.nfas.every((n) => n !== undefined));
  if (own.every((n) => n !== undefined)) {
    const nfas = own;
    const symbols = stringSymbols([...nfas, ...modelled.flatMap((x) => x.nfas as Nfa[])]);
    for (const length of [...lengths].sort((a, b) => a - b)) {
      if (length < 0 || length > 512 || length < c.minLength || (c.maxLength !== undefined && length > c.maxLength)) continue;
      const hit = findShortestDifference({ accept: nfas, reject: [], acceptLength: { min: length, max: length }, symbols, maxLength: length, maxWork: SAMPLE_WORK });
      if (hit.found && hit.word) out.push(spell(hit.word));
    }
    if (nfas.length) {
      const hit = findShortestDifference({ accept: nfas, reject: [], acceptLength: { min: c.minLength, max: c.maxLength ?? Infinity }, symbols, maxLength: 256, maxWork: SAMPLE_WORK });
      if (hit.found && hit.word) out.push(spell(hit.word));
    }
    for (const { o, nfas: rejects } of modelled) {
      const hit = findShortestDifference({ accept: nfas, reject: rejects as Nfa[], acceptLength: { min: c.minLength, max: c.maxLength ?? Infinity }, rejectLength: { min: o.minLength, max: o.maxLength ?? Infinity }, symbols, maxLength: Infinity, maxWork: SAMPLE_WORK });
      if (hit.found && hit.word) out.push(spell(hit.word));
    }
  }
  // Patterns beyond the automata (lookaround, back-references), on either side: short strings over
  // the characters both sides mention, those the other side's patterns reject first.
  if (own.some((n) => n === undefined) || modelled.length < others.length) out.push(...bruteForceMatches(c.patterns, c.minLength, c.maxLength, otherStrings.flatMap((o) => o.patterns)));
  if (patternCache.size > 1000) patternCache.clear();
  patternCache.set(key, out);
  return out;
}

/**
 * For patterns beyond the automata (lookaround, back-references): short strings over the
 * characters the patterns (and the other side's) mention, kept when JavaScript's RegExp matches
 * them all; those some of `otherPatterns` reject come first.
 */
function bruteForceMatches(patterns: readonly string[], minLength: number, maxLength: number | undefined, otherPatterns: readonly string[] = []): string[] {
  // eslint-disable-next-line @typescript-eslint/no-misused-spread -- candidate characters are code points, as in a `u` pattern
  const mentioned = (list: readonly string[]) => [...list.join("").replace(/\\[dDwWsSbB]|[\\^$.*+?()[\]{}|]/g, "")];
  const chars = [...new Set([...mentioned(patterns), ...mentioned(otherPatterns), "a", "0", "-", "A"])].slice(0, 12);
  const regexes = patterns.map((p) => new RegExp(p, "u"));
  const others = otherPatterns.map((p) => new RegExp(p, "u"));
  const matches: string[] = [];
  let frontier = [""];
  for (let length = 0; length <= 4 && matches.length < 12; length++) {
    for (const s of frontier) if (s.length >= minLength && (maxLength === undefined || s.length <= maxLength) && regexes.every((r) => r.test(s))) matches.push(s);
    frontier = frontier.flatMap((s) => chars.map((ch) => s + ch)).slice(0, 3000);
  }
  const rejected = matches.filter((s) => others.some((r) => !r.test(s)));
  return [...rejected.slice(0, 4), ...matches.filter((s) => !rejected.includes(s)).slice(0, 4)];
}

/** const/enum values mentioned inside keywords covenant does not decompose (not, if/then/else, ...). */
function harvestLiterals(parts: readonly unknown[]): unknown[] {
  const out: unknown[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (isObject(node)) {
      if ("const" in node) out.push(node.const);
      if (Array.isArray(node.enum)) out.push(...(node.enum as unknown[]));
      for (const [key, value] of Object.entries(node)) if (key !== "const" && key !== "enum") walk(value);
    }
  };
  parts.forEach(walk);
  return out;
}

/** A shortest string a pattern matches, or undefined when the pattern is beyond the automata. */
function sampleMatching(pattern: string): string | undefined {
  const nfa = tryCompilePattern(pattern);
  if (!nfa) return undefined;
  const hit = findShortestDifference({ accept: [nfa], reject: [], symbols: stringSymbols([nfa]), maxLength: 64, maxWork: SAMPLE_WORK });
  return hit.found && hit.word ? spell(hit.word) : undefined;
}

/** The values without repeats (equal `stableStringify` text, the equality `deepEqual` tests), first occurrences in order. */
function dedupe(values: unknown[]): unknown[] {
  const seen = new Set<string>();
  const out: unknown[] = [];
  for (const v of values) {
    if (v === undefined) continue;
    const text = stableStringify(v);
    if (seen.has(text)) continue;
    seen.add(text);
    out.push(v);
  }
  return out;
}

/**
 * A value of `root` whose part at `path` is `leaf`: the rest is filled with values `root` accepts
 * (and, where possible, `otherRoot` too, so the witness differs from both sides only at `path`).
 */
export function embedValue(sampler: ValueSampler, side: SampleSide, root: Located, path: Path, leaf: unknown, other?: { side: SampleSide; root?: Located }, depth = 0): unknown {
  if (path.length === 0) return leaf;
  if (depth > 32) return undefined;
  const [seg, ...rest] = path;
  const norm = side.norm.normalize(root);
  const otherNorm = other?.root ? other.side.norm.normalize(other.root) : undefined;
  if (typeof seg === "string") {
    const variants = (norm.types.get("object") ?? []).filter((v) => v.kind === "schema" && v.c.type === "object");
    variants.sort((a, b) => Number(has(b, seg)) - Number(has(a, seg)));
    for (const v of variants) {
      if (v.kind !== "schema" || v.c.type !== "object") continue;
      const sub = v.c.properties.get(seg) ?? v.c.additional;
      const otherObject = otherNorm?.types.get("object")?.find((x) => x.kind === "schema" && x.c.type === "object");
      const otherSub = otherObject?.kind === "schema" && otherObject.c.type === "object" ? (otherObject.c.properties.get(seg) ?? otherObject.c.additional) : undefined;
      const base = sampler.candidates({ schema: variantSchemaOf(v), at: root.at }, other?.root, v, undefined, depth)[0];
      const inner = embedValue(sampler, side, sub, rest, leaf, other && { side: other.side, root: otherSub }, depth + 1);
      if (!isObject(base)) continue;
      const value = { ...base };
      if (inner === undefined && rest.length === 0) delete value[seg];
      else if (inner === undefined) continue;
      else value[seg] = inner;
      return value;
    }
    return undefined;
  }
  const variants = (norm.types.get("array") ?? []).filter((v) => v.kind === "schema" && v.c.type === "array");
  for (const v of variants) {
    if (v.kind !== "schema" || v.c.type !== "array") continue;
    const c = v.c;
    const subAt = (i: number) => c.prefixItems[i] ?? c.items;
    const otherArray = otherNorm?.types.get("array")?.find((x) => x.kind === "schema" && x.c.type === "array");
    const otherSub = otherArray?.kind === "schema" && otherArray.c.type === "array" ? (otherArray.c.prefixItems[seg!] ?? otherArray.c.items) : undefined;
    const inner = embedValue(sampler, side, subAt(seg!), rest, leaf, other && { side: other.side, root: otherSub }, depth + 1);
    if (inner === undefined) continue;
    const arr: unknown[] = [];
    for (let i = 0; i < seg!; i++) arr.push(sampler.pick(subAt(i), undefined, depth + 1));
    arr.push(inner);
    while (arr.length < c.minItems) arr.push(sampler.pick(subAt(arr.length), undefined, depth + 1));
    if (arr.some((x) => x === undefined)) continue;
    return arr;
  }
  return undefined;
}

function has(v: Variant, name: string): boolean {
  return v.kind === "schema" && v.c.type === "object" && v.c.properties.has(name);
}

function variantSchemaOf(v: Variant): JsonObject {
  return { type: v.type };
}

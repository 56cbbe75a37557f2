/**
 * Schemas in a canonical form, so the diff compares what a schema accepts rather than how it is
 * written: `$ref`s are followed, annotations dropped, `const`/`enum` become finite value sets,
 * `type` lists, `anyOf`/`oneOf` and `allOf` are split per JSON type into variants, and integer
 * bounds are made inclusive. Sub-schemas (properties, items, ...) stay as located raw schemas and
 * are normalized lazily, so recursive definitions are fine.
 */
import type { JsonSchema } from "../../model.js";
import type { SchemaContext } from "./context.js";
import { compareLower, compareUpper } from "./constraints.js";
import { ANNOTATION_KEYWORDS, deepEqual, isObject, type JsonObject, jsonTypeOf } from "./json.js";
import { type Bound, type Constraints, JSON_TYPES, type JsonType, type Located, type NormSchema, type NumberConstraints, type ObjectConstraints, type Variant } from "./norm-types.js";
import { isEmptyVariant, isUnconstrained, variantKey, variantSchema } from "./variants.js";

export * from "./norm-types.js";

const OPAQUE_KEYWORDS = ["not", "if", "then", "else", "patternProperties", "propertyNames", "dependentRequired", "dependentSchemas", "contains", "minContains", "maxContains", "unevaluatedItems"];

function child(parent: Located, schema: unknown, ...keys: (string | number)[]): Located {
  return { schema: (schema === undefined ? true : schema) as JsonSchema, at: [...parent.at, ...keys] };
}

const ANY_LOCATED = (at: (string | number)[]): Located => ({ schema: true, at });

function allOfLocated(a: Located, b: Located): Located {
  if (a.schema === true) return b;
  if (b.schema === true) return a;
  if (a.schema === false || b.schema === false) return { schema: false, at: a.at };
  if (deepEqual(a.schema, b.schema)) return a;
  return { schema: { allOf: [a.schema, b.schema] }, at: a.at };
}

function emptyConstraints(type: JsonType, at: (string | number)[]): Constraints {
  switch (type) {
    case "number":
      return { type, integer: false, multipleOf: [] };
    case "string":
      return { type, minLength: 0, patterns: [], formats: [] };
    case "array":
      return { type, items: ANY_LOCATED(at), prefixItems: [], minItems: 0, unique: false };
    case "object":
      return { type, properties: new Map(), required: new Set(), additional: ANY_LOCATED(at), minProperties: 0 };
    default:
      return { type };
  }
}

function num(value: unknown): number | undefined {
  return typeof value === "number" && Number.isFinite(value) ? value : undefined;
}

function tighterMin(a: Bound | undefined, b: Bound | undefined): Bound | undefined {
  if (!a) return b;
  if (!b) return a;
  if (a.value !== b.value) return a.value > b.value ? a : b;
  return a.exclusive ? a : b;
}

function tighterMax(a: Bound | undefined, b: Bound | undefined): Bound | undefined {
  if (!a) return b;
  if (!b) return a;
  if (a.value !== b.value) return a.value < b.value ? a : b;
  return a.exclusive ? a : b;
}

/** Integer bounds are made inclusive integers, so `exclusiveMinimum: 0` equals `minimum: 1`. */
function finishNumber(c: NumberConstraints): NumberConstraints {
  if (c.multipleOf.length === 1 && c.multipleOf[0] === 1) return { ...c, integer: true, multipleOf: [] };
  if (!c.integer) return c;
  const min = c.min && { value: c.min.exclusive ? Math.floor(c.min.value) + 1 : Math.ceil(c.min.value), exclusive: false };
  const max = c.max && { value: c.max.exclusive ? Math.ceil(c.max.value) - 1 : Math.floor(c.max.value), exclusive: false };
  return { ...c, min, max, multipleOf: c.multipleOf.filter((m) => !Number.isInteger(m) || m !== 1) };
}

function constraintsOf(type: JsonType, schema: JsonObject, located: Located, integer: boolean): Constraints {
  const at = located.at;
  switch (type) {
    case "number": {
      const min = tighterMin(num(schema.minimum) !== undefined ? { value: num(schema.minimum)!, exclusive: false } : undefined, num(schema.exclusiveMinimum) !== undefined ? { value: num(schema.exclusiveMinimum)!, exclusive: true } : undefined);
      const max = tighterMax(num(schema.maximum) !== undefined ? { value: num(schema.maximum)!, exclusive: false } : undefined, num(schema.exclusiveMaximum) !== undefined ? { value: num(schema.exclusiveMaximum)!, exclusive: true } : undefined);
      const multipleOf = num(schema.multipleOf) !== undefined ? [num(schema.multipleOf)!] : [];
      return finishNumber({ type, integer, min, max, multipleOf });
    }
    case "string":
      return {
        type,
        minLength: num(schema.minLength) ?? 0,
        maxLength: num(schema.maxLength),
        patterns: typeof schema.pattern === "string" ? [schema.pattern] : [],
        formats: typeof schema.format === "string" ? [schema.format] : [],
      };
    case "array": {
      const prefix = Array.isArray(schema.prefixItems) ? schema.prefixItems.map((item, i) => child(located, item, "prefixItems", i)) : [];
      return {
        type,
        items: child(located, schema.items, "items"),
        prefixItems: prefix,
        minItems: num(schema.minItems) ?? 0,
        maxItems: num(schema.maxItems),
        unique: schema.uniqueItems === true,
      };
    }
    case "object": {
      const additional = child(located, schema.additionalProperties, "additionalProperties");
      const properties = new Map<string, Located>();
      const declared = isObject(schema.properties) ? schema.properties : {};
      for (const [name, sub] of Object.entries(declared)) properties.set(name, child(located, sub, "properties", name));
      const required = new Set(Array.isArray(schema.required) ? schema.required.filter((r): r is string => typeof r === "string") : []);
      for (const name of required) if (!properties.has(name)) properties.set(name, { ...additional, at: [...at, "required"] });
      return { type, properties, required, additional, minProperties: num(schema.minProperties) ?? 0, maxProperties: num(schema.maxProperties) };
    }
    default:
      return { type };
  }
}

const OBJECT_ONLY = new Set(["patternProperties", "propertyNames", "dependentRequired", "dependentSchemas"]);
const ARRAY_ONLY = new Set(["contains", "minContains", "maxContains", "unevaluatedItems"]);

function typesOf(schema: JsonObject): { types: JsonType[]; integerOnly: boolean } {
  const raw = schema.type === undefined ? undefined : Array.isArray(schema.type) ? schema.type : [schema.type];
  if (!raw) return { types: [...JSON_TYPES], integerOnly: false };
  const names = new Set(raw.filter((t): t is string => typeof t === "string"));
  const types = JSON_TYPES.filter((t) => names.has(t) || (t === "number" && names.has("integer")));
  return { types, integerOnly: names.has("integer") && !names.has("number") };
}

export class Normalizer {
  constructor(readonly ctx: SchemaContext) {}

  /** Follows `$ref`s (without siblings) to the schema they name. */
  deref(located: Located, seen = new Set<string>()): Located {
    let current = located;
    for (;;) {
      const schema = current.schema;
      if (!isObject(schema) || typeof schema.$ref !== "string") return current;
      const siblings = Object.keys(schema).filter((k) => k !== "$ref" && !ANNOTATION_KEYWORDS.has(k) && k !== "$defs" && k !== "definitions");
      if (siblings.length) return current;
      if (seen.has(schema.$ref)) return { schema: true, at: current.at };
      seen.add(schema.$ref);
      const target = this.ctx.resolveRef(schema.$ref);
      if (!target) return { schema: true, at: current.at };
      current = { schema: target.schema, at: ["definitions", target.name] };
    }
  }

  normalize(input: Located, depth = 0): NormSchema {
    if (depth > 64) return { types: new Map(JSON_TYPES.map((t) => [t, [this.anyVariant(t, input.at)]])), source: true };
    const located = this.deref(input);
    const schema = located.schema;
    if (schema === true || (isObject(schema) && Object.keys(schema).every((k) => ANNOTATION_KEYWORDS.has(k) || k === "$defs" || k === "definitions"))) {
      return { types: new Map(JSON_TYPES.map((t) => [t, [this.anyVariant(t, located.at)]])), source: true };
    }
    if (schema === false || !isObject(schema)) return { types: new Map(), source: false };

    if (schema.enum !== undefined || schema.const !== undefined) return this.valuesOf(located, schema);

    let result = this.base(located, schema, depth);
    if (typeof schema.$ref === "string") {
      const target = this.ctx.resolveRef(schema.$ref);
      result = this.intersect(result, target ? this.normalize({ schema: target.schema, at: ["definitions", target.name] }, depth + 1) : this.normalize({ schema: true, at: located.at }, depth + 1));
    }
    if (Array.isArray(schema.allOf)) {
      schema.allOf.forEach((sub, i) => {
        result = this.intersect(result, this.normalize(child(located, sub, "allOf", i), depth + 1));
      });
    }
    for (const keyword of ["anyOf", "oneOf"] as const) {
      const branches = schema[keyword];
      if (!Array.isArray(branches)) continue;
      const normalized = branches.map((sub, i) => this.normalize(child(located, sub, keyword, i), depth + 1));
      let union = normalized.reduce<NormSchema>((a, b) => this.union(a, b), { types: new Map(), source: false });
      if (keyword === "oneOf") union = this.exclusive(union, normalized, branches);
      result = this.intersect(result, union);
    }
    if (schema.unevaluatedProperties !== undefined) this.applyUnevaluated(result, child(located, schema.unevaluatedProperties, "unevaluatedProperties"));
    // `not` of a schema that accepts everything accepts nothing.
    if (schema.not !== undefined && this.acceptsEverything(child(located, schema.not, "not"), depth + 1)) result = { types: new Map(), source: false };
    for (const [type, variants] of result.types) {
      const live = variants.filter((v) => !isEmptyVariant(v));
      if (live.length) result.types.set(type, live);
      else result.types.delete(type);
    }
    result.source = schema;
    return result;
  }

  /**
   * `oneOf` is `anyOf` minus the values that match more than one branch. Per JSON type: values in a
   * list are kept when exactly one branch accepts them (exact); branches of a type that are provably
   * disjoint (different values, number ranges that do not meet, objects told apart by a required
   * property with different fixed values) are a plain union; otherwise the exclusivity stays as an
   * opaque `oneOf` condition on the type's variants, so the comparison treats it as a keyword it does
   * not decompose (conservatively) rather than as an `anyOf`.
   */
  private exclusive(union: NormSchema, branches: NormSchema[], raw: unknown[]): NormSchema {
    const types = new Map<JsonType, Variant[]>();
    for (const [type, variants] of union.types) {
      const holders = branches.map((b) => b.types.get(type)).filter((list): list is Variant[] => list !== undefined);
      let overlap = false;
      for (let i = 0; i < holders.length && !overlap; i++) {
        for (let j = i + 1; j < holders.length && !overlap; j++) overlap = holders[i]!.some((a) => holders[j]!.some((b) => !this.disjoint(a, b)));
      }
      const out: Variant[] = [];
      for (const v of variants) {
        if (v.kind === "values") {
          const values = holders.length < 2 ? v.values : v.values.filter((x) => branches.filter((b) => this.ctx.accepts(b.source, x)).length === 1);
          if (values.length) out.push({ ...v, values });
        } else out.push(overlap ? { ...v, opaque: [...v.opaque, { oneOf: raw }] } : v);
      }
      if (out.length) types.set(type, out);
    }
    return { types, source: { oneOf: raw } };
  }

  /** True when no value satisfies both variants (a sufficient test: false means "maybe not"). */
  private disjoint(a: Variant, b: Variant): boolean {
    if (a.kind === "values" && b.kind === "values") return !a.values.some((x) => b.values.some((y) => deepEqual(x, y)));
    if (a.kind === "values") return !a.values.some((x) => this.ctx.accepts(variantSchema(b), x));
    if (b.kind === "values") return !b.values.some((x) => this.ctx.accepts(variantSchema(a), x));
    const c = a.c;
    const d = b.c;
    const below = (max: Bound | undefined, min: Bound | undefined) => !!max && !!min && (max.value < min.value || (max.value === min.value && (max.exclusive || min.exclusive)));
    if (c.type === "number" && d.type === "number") return below(c.max, d.min) || below(d.max, c.min);
    if (c.type === "object" && d.type === "object") {
      // A property one requires and the other forbids (declared false, or undeclared in a closed object).
      const forbids = (o: ObjectConstraints, name: string) => {
        const declared = o.properties.get(name);
        return declared ? this.normalize(declared).types.size === 0 : this.normalize(o.additional).types.size === 0;
      };
      if ([...c.required].some((name) => forbids(d, name)) || [...d.required].some((name) => forbids(c, name))) return true;
      for (const name of c.required) {
        if (!d.required.has(name)) continue;
        const x = this.fixedValues(c.properties.get(name));
        const y = this.fixedValues(d.properties.get(name));
        if (x && y && !x.some((v) => y.some((w) => deepEqual(v, w)))) return true;
      }
    }
    return false;
  }

  /** The values a property schema allows, when it is a finite list (`const`, `enum`). */
  private fixedValues(located: Located | undefined): unknown[] | undefined {
    if (!located) return undefined;
    const all: unknown[] = [];
    for (const list of this.normalize(located).types.values()) {
      for (const v of list) {
        if (v.kind !== "values") return undefined;
        all.push(...v.values);
      }
    }
    return all;
  }

  /** Does the schema accept every JSON value? */
  acceptsEverything(located: Located, depth = 0): boolean {
    const norm = this.normalize(located, depth);
    return norm.types.size === JSON_TYPES.length && [...norm.types.values()].every((list) => list.some((v) => v.kind === "schema" && isUnconstrained(v)));
  }

  private anyVariant(type: JsonType, at: (string | number)[]): Variant {
    return { kind: "schema", type, c: emptyConstraints(type, at), opaque: [], at };
  }

  private valuesOf(located: Located, schema: JsonObject): NormSchema {
    const listed = schema.const !== undefined ? [schema.const] : Array.isArray(schema.enum) ? schema.enum : [];
    const accepted = listed.filter((value) => this.ctx.accepts(schema, value));
    const unique: unknown[] = [];
    for (const value of accepted) if (!unique.some((u) => deepEqual(u, value))) unique.push(value);
    const types = new Map<JsonType, Variant[]>();
    for (const value of unique) {
      const t = jsonTypeOf(value);
      const type: JsonType = t === "integer" ? "number" : t;
      const list = types.get(type) ?? [];
      const existing = list[0];
      if (existing?.kind === "values") existing.values.push(value);
      else types.set(type, [{ kind: "values", type, values: [value], at: located.at }]);
    }
    for (const [type, list] of types) types.set(type, this.simplify(list));
    return { types, source: schema };
  }

  private base(located: Located, schema: JsonObject, depth: number): NormSchema {
    const { types, integerOnly } = typesOf(schema);
    const map = new Map<JsonType, Variant[]>();
    for (const type of types) {
      map.set(type, [{ kind: "schema", type, c: constraintsOf(type, schema, located, type === "number" && integerOnly), opaque: this.opaqueOf(schema, type, located, depth), at: located.at }]);
    }
    return { types: map, source: schema };
  }

  /**
   * The keywords covenant does not decompose that can affect values of `type`: object keywords
   * only objects, array keywords only arrays, and `not`/`if`-`then`-`else` only where their
   * sub-schemas constrain that type (`{ not: { required: [a] } }` says nothing about strings).
   */
  private opaqueOf(schema: JsonObject, type: JsonType, located: Located, depth: number): JsonObject[] {
    const opaque: JsonObject = {};
    const constrains = (sub: unknown, key: string): boolean => {
      const list = this.normalize(child(located, sub, key), depth + 1).types.get(type);
      return !list?.some((v) => v.kind === "schema" && isUnconstrained(v));
    };
    for (const key of OPAQUE_KEYWORDS) {
      if (schema[key] === undefined) continue;
      if ((OBJECT_ONLY.has(key) && type !== "object") || (ARRAY_ONLY.has(key) && type !== "array")) continue;
      if (key === "not" && !this.normalize(child(located, schema.not, "not"), depth + 1).types.has(type)) continue;
      if ((key === "if" || key === "then" || key === "else") && !["then", "else"].some((k) => schema[k] !== undefined && constrains(schema[k], k))) continue;
      if (key === "dependentRequired" && isObject(schema.dependentRequired)) {
        // `g` needs `f` says nothing when `f` is required anyway.
        const required = new Set(Array.isArray(schema.required) ? schema.required : []);
        const live = Object.entries(schema.dependentRequired).filter(([, needs]) => !Array.isArray(needs) || needs.some((n) => !required.has(n)));
        if (live.length) opaque[key] = Object.fromEntries(live);
        continue;
      }
      opaque[key] = schema[key];
    }
    return Object.keys(opaque).length ? [opaque] : [];
  }

  private applyUnevaluated(result: NormSchema, unevaluated: Located): void {
    for (const variant of result.types.get("object") ?? []) {
      if (variant.kind === "schema" && variant.c.type === "object") variant.c.additional = allOfLocated(variant.c.additional, unevaluated);
    }
  }

  /** Values of a `values` variant the other side's source schema accepts. */
  private filterValues(variant: Extract<Variant, { kind: "values" }>, source: JsonSchema): Variant | undefined {
    const values = variant.values.filter((v) => this.ctx.accepts(source, v));
    return values.length ? { ...variant, values } : undefined;
  }

  intersect(a: NormSchema, b: NormSchema): NormSchema {
    const types = new Map<JsonType, Variant[]>();
    for (const [type, left] of a.types) {
      const right = b.types.get(type);
      if (!right) continue;
      const out: Variant[] = [];
      for (const l of left) {
        for (const r of right) {
          const merged = l.kind === "values" ? this.filterValues(l, b.source) : r.kind === "values" ? this.filterValues(r, a.source) : this.mergeVariants(l, r);
          if (merged) out.push(merged);
        }
      }
      const simplified = this.simplify(out);
      if (simplified.length) types.set(type, simplified);
    }
    return { types, source: a.source === true ? b.source : b.source === true ? a.source : { allOf: [a.source, b.source] } };
  }

  union(a: NormSchema, b: NormSchema): NormSchema {
    const types = new Map<JsonType, Variant[]>();
    for (const type of JSON_TYPES) {
      const list = [...(a.types.get(type) ?? []), ...(b.types.get(type) ?? [])];
      const simplified = this.simplify(list);
      if (simplified.length) types.set(type, simplified);
    }
    return { types, source: a.source === false ? b.source : b.source === false ? a.source : { anyOf: [a.source, b.source] } };
  }

  private mergeVariants(l: Extract<Variant, { kind: "schema" }>, r: Extract<Variant, { kind: "schema" }>): Variant | undefined {
    const a = l.c;
    const b = r.c;
    const opaque = [...l.opaque, ...r.opaque.filter((o) => !l.opaque.some((x) => deepEqual(x, o)))];
    // Keep the more specific place (a union member inside the schema it is merged with).
    const at = r.at.length > l.at.length ? r.at : l.at;
    const base = { kind: "schema" as const, type: l.type, opaque, at };
    if (a.type === "number" && b.type === "number") {
      return { ...base, c: finishNumber({ type: "number", integer: a.integer || b.integer, min: tighterMin(a.min, b.min), max: tighterMax(a.max, b.max), multipleOf: [...new Set([...a.multipleOf, ...b.multipleOf])] }) };
    }
    if (a.type === "string" && b.type === "string") {
      return {
        ...base,
        c: {
          type: "string",
          minLength: Math.max(a.minLength, b.minLength),
          maxLength: a.maxLength === undefined ? b.maxLength : b.maxLength === undefined ? a.maxLength : Math.min(a.maxLength, b.maxLength),
          patterns: [...new Set([...a.patterns, ...b.patterns])],
          formats: [...new Set([...a.formats, ...b.formats])],
        },
      };
    }
    if (a.type === "array" && b.type === "array") {
      const length = Math.max(a.prefixItems.length, b.prefixItems.length);
      const prefixItems = Array.from({ length }, (_, i) => allOfLocated(a.prefixItems[i] ?? a.items, b.prefixItems[i] ?? b.items));
      return {
        ...base,
        c: {
          type: "array",
          items: allOfLocated(a.items, b.items),
          prefixItems,
          minItems: Math.max(a.minItems, b.minItems),
          maxItems: a.maxItems === undefined ? b.maxItems : b.maxItems === undefined ? a.maxItems : Math.min(a.maxItems, b.maxItems),
          unique: a.unique || b.unique,
        },
      };
    }
    if (a.type === "object" && b.type === "object") {
      const properties = new Map<string, Located>();
      for (const name of new Set([...a.properties.keys(), ...b.properties.keys()])) {
        properties.set(name, allOfLocated(a.properties.get(name) ?? a.additional, b.properties.get(name) ?? b.additional));
      }
      return {
        ...base,
        c: {
          type: "object",
          properties,
          required: new Set([...a.required, ...b.required]),
          additional: allOfLocated(a.additional, b.additional),
          minProperties: Math.max(a.minProperties, b.minProperties),
          maxProperties: a.maxProperties === undefined ? b.maxProperties : b.maxProperties === undefined ? a.maxProperties : Math.min(a.maxProperties, b.maxProperties),
        },
      };
    }
    return { ...base, c: a };
  }

  /** Drops duplicates, merges value lists, and lets an unconstrained variant absorb the rest. */
  private simplify(list: Variant[]): Variant[] {
    const schemas: Extract<Variant, { kind: "schema" }>[] = [];
    const values: unknown[] = [];
    let valuesAt: (string | number)[] | undefined;
    for (const variant of list) {
      if (variant.kind === "values") {
        valuesAt ??= variant.at;
        for (const v of variant.values) if (!values.some((u) => deepEqual(u, v))) values.push(v);
      } else if (!schemas.some((s) => variantKey(s) === variantKey(variant))) schemas.push(variant);
    }
    mergeRanges(schemas);
    const unconstrained = schemas.find((s) => isUnconstrained(s));
    if (unconstrained) return [unconstrained];
    // A value list that names every value of its type is the whole type: [true, false], [null].
    const type = list[0]?.type;
    if ((type === "boolean" && values.includes(true) && values.includes(false)) || (type === "null" && values.length > 0)) {
      return [{ kind: "schema", type, c: { type }, opaque: [], at: valuesAt ?? list[0]!.at }];
    }
    const remaining = values.filter((v) => !schemas.some((s) => this.ctx.accepts(variantSchema(s), v)));
    const out: Variant[] = [...schemas];
    if (remaining.length) out.push({ kind: "values", type: list[0]!.type, values: remaining, at: valuesAt ?? [] });
    return out;
  }
}

type SchemaVariant = Extract<Variant, { kind: "schema" }>;

/**
 * Ranges that overlap or touch are one range: `anyOf: [{ maximum: 0 }, { exclusiveMinimum: 0 }]` is
 * any number, `[integer <= 0, integer >= 1]` any integer, `[maxLength 3, minLength 4]` any string.
 * Only plain bounds merge (no pattern, format, multipleOf or opaque keyword). Merges in place.
 */
function mergeRanges(schemas: SchemaVariant[]): void {
  for (let merged = true; merged; ) {
    merged = false;
    for (let i = 0; i < schemas.length && !merged; i++) {
      for (let j = i + 1; j < schemas.length && !merged; j++) {
        const union = unionRange(schemas[i]!, schemas[j]!);
        if (!union) continue;
        schemas[i] = union;
        schemas.splice(j, 1);
        merged = true;
      }
    }
  }
}

function unionRange(a: SchemaVariant, b: SchemaVariant): SchemaVariant | undefined {
  if (a.opaque.length || b.opaque.length) return undefined;
  const c = a.c;
  const d = b.c;
  if (c.type === "number" && d.type === "number") {
    if (c.integer !== d.integer || c.multipleOf.length || d.multipleOf.length) return undefined;
    // The lower range's top must reach the other's bottom (for integers: be at most one below it).
    const [lo, hi] = compareLower(c.min, d.min) >= 0 ? [c, d] : [d, c];
    const reaches = !lo.max || !hi.min || lo.max.value > hi.min.value || (lo.max.value === hi.min.value && !(lo.max.exclusive && hi.min.exclusive)) || (c.integer && hi.min.value - lo.max.value <= 1);
    if (!reaches) return undefined;
    const max = compareUpper(lo.max, hi.max) >= 0 ? lo.max : hi.max;
    return { ...a, c: { ...c, min: lo.min, max } };
  }
  if (c.type === "string" && d.type === "string") {
    if (c.patterns.length || d.patterns.length || c.formats.length || d.formats.length) return undefined;
    const [lo, hi] = c.minLength <= d.minLength ? [c, d] : [d, c];
    if (lo.maxLength !== undefined && lo.maxLength + 1 < hi.minLength) return undefined;
    const maxLength = lo.maxLength === undefined || hi.maxLength === undefined ? undefined : Math.max(lo.maxLength, hi.maxLength);
    return { ...a, c: { ...c, minLength: lo.minLength, maxLength } };
  }
  return undefined;
}

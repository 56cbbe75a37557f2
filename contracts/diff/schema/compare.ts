/**
 * Compares two payload schemas by what they accept and explains every difference as a rule of the
 * diff table, with a probe that tells the witness search where to look and what to try first.
 */
import { type DiffRuleId, diffRules, kindOf, type Side } from "../change-kinds.js";
import { asValues, boundSeeds, boundText, classifyStrings, compareLower, compareUpper, isMultiple } from "./constraints.js";
import type { SchemaContext } from "./context.js";
import { describeTypes, variantKey } from "./variants.js";
import { collectRefs, deepEqual, stableStringify, stripAnnotations } from "./json.js";
import {
  type ArrayConstraints,
  type Located,
  type NormSchema,
  Normalizer,
  type NumberConstraints,
  type ObjectConstraints,
  type StringConstraints,
  type Variant,
} from "./normalize.js";

export type Path = (string | number)[];

/** Where a witness for a change lives and how to find one. */
export interface Probe {
  /** Path into the payload value (property names, array indices). */
  instancePath: Path;
  /** The schemas at that place on each side (undefined when the place does not exist there). */
  old?: Located;
  new?: Located;
  /** The variants that differ, to draw candidate values from. */
  oldVariant?: Variant;
  newVariant?: Variant;
  /** At an object: try values with and without this property, or with an undeclared one. */
  focus?: { toggle?: string; extra?: boolean };
  /** Values to try first: `old` = accepted by the old schema, rejected by the new; `new` = the reverse. */
  seeds?: { old?: unknown[]; new?: unknown[] };
}

export interface PayloadChange {
  rule: DiffRuleId;
  /** Schema path relative to the payload (logical: through `$ref`s as if inlined). */
  path: Path;
  /** Source path in the new contract (relative to the payload) for the line number. */
  at: Path;
  /** What changed (no "who breaks": the caller adds that per direction). */
  message: string;
  probe: Probe;
}

type SchemaVariant = Extract<Variant, { kind: "schema" }>;

export function fieldName(instancePath: Path): string {
  if (instancePath.length === 0) return "the payload";
  let out = "";
  for (const seg of instancePath) {
    const name = seg === ADDITIONAL_PROPERTY ? "*" : seg;
    out += typeof name === "number" ? "[]" : out ? `.${name}` : name;
  }
  return `\`${out}\``;
}

function fmt(value: unknown): string {
  return stableStringify(value);
}

/** Values for a message: the first few, then how many more. */
export function fmtList(values: readonly unknown[], limit = 8): string {
  const shown = values.slice(0, limit).map(fmt).join(", ");
  return values.length > limit ? `${shown} and ${values.length - limit} more` : shown;
}

/** Names of definitions identical on both sides, including everything they reference. */
function equalDefinitions(oldCtx: SchemaContext, newCtx: SchemaContext): Set<string> {
  const names = oldCtx.definitionNames().filter((n) => newCtx.definitionNames().includes(n));
  const equal = new Set(names.filter((n) => deepEqual(stripAnnotations(oldCtx.resolveRef(`#/$defs/${n}`)?.schema), stripAnnotations(newCtx.resolveRef(`#/$defs/${n}`)?.schema))));
  for (let changed = true; changed; ) {
    changed = false;
    for (const name of [...equal]) {
      const refs = collectRefs(oldCtx.resolveRef(`#/$defs/${name}`)?.schema);
      if ([...refs].some((ref) => !oldCtx.resolveRef(ref) || !equal.has(oldCtx.resolveRef(ref)!.name))) {
        equal.delete(name);
        changed = true;
      }
    }
  }
  return equal;
}

export class SchemaComparer {
  readonly oldNorm: Normalizer;
  readonly newNorm: Normalizer;
  private readonly stack = new Set<string>();
  private readonly stableDefs: Set<string>;

  constructor(
    readonly oldCtx: SchemaContext,
    readonly newCtx: SchemaContext,
  ) {
    this.oldNorm = new Normalizer(oldCtx);
    this.newNorm = new Normalizer(newCtx);
    this.stableDefs = equalDefinitions(oldCtx, newCtx);
  }

  /** True when the two schemas are written identically (annotations aside) and every definition they use is unchanged. */
  private sameText(a: Located, b: Located): boolean {
    if (stableStringify(stripAnnotations(a.schema)) !== stableStringify(stripAnnotations(b.schema))) return false;
    return [...collectRefs(a.schema)].every((ref) => {
      const target = this.oldCtx.resolveRef(ref);
      return target !== undefined && this.stableDefs.has(target.name);
    });
  }

  compare(oldSchema: Located, newSchema: Located, path: Path = [], instancePath: Path = []): PayloadChange[] {
    if (this.sameText(oldSchema, newSchema)) return [];
    const key = `${stableStringify(oldSchema.schema)}\u0000${stableStringify(newSchema.schema)}`;
    if (this.stack.has(key) || this.stack.size > 48) return [];
    this.stack.add(key);
    try {
      const o = this.oldNorm.normalize(oldSchema);
      const n = this.newNorm.normalize(newSchema);
      // One change per rule, place and message (a keyword shared by every type reports once).
      const seen = new Set<string>();
      return this.compareNorm(o, n, { path, instancePath, old: oldSchema, new: newSchema }).filter((c) => {
        const key = `${c.rule}\u0000${c.path.join(".")}\u0000${c.message}`;
        return seen.has(key) ? false : (seen.add(key), true);
      });
    } finally {
      this.stack.delete(key);
    }
  }

  private compareNorm(o: NormSchema, n: NormSchema, site: Site): PayloadChange[] {
    const changes: PayloadChange[] = [];
    const removed = [...o.types.keys()].filter((t) => !n.types.has(t));
    const added = [...n.types.keys()].filter((t) => !o.types.has(t));
    const probe = this.probe(site);
    if (removed.length && added.length) {
      changes.push(this.change(site, "payload-field-type-changed", `${fieldName(site.instancePath)} changed type from ${describeTypes(o)} to ${describeTypes(n)}`, probe));
    } else if (added.length) {
      changes.push(this.change(site, "payload-field-type-widened", `${fieldName(site.instancePath)} widened from ${describeTypes(o)} to ${describeTypes(n)} (now also ${added.join(", ")})`, probe));
    } else if (removed.length) {
      changes.push(this.change(site, "payload-field-type-narrowed", `${fieldName(site.instancePath)} narrowed from ${describeTypes(o)} to ${describeTypes(n)} (no longer ${removed.join(", ")})`, probe));
    }
    for (const [type, oldVariants] of o.types) {
      const newVariants = n.types.get(type);
      if (newVariants) changes.push(...this.compareVariants(oldVariants, newVariants, site));
    }
    return changes;
  }

  private change(site: Site, rule: DiffRuleId, message: string, probe: Probe, at?: Path): PayloadChange {
    return { rule, path: site.path, at: at ?? (site.new?.at ?? site.old?.at ?? []), message, probe };
  }

  /** The site of a union member: its path gains the member's place (`oneOf.2`) when it was written inline. */
  private variantSite(site: Site, v: Variant, side: "old" | "new" = "new"): Site {
    const base = site[side]?.at;
    if (!base || v.at.length <= base.length || !base.every((seg, i) => v.at[i] === seg)) return site;
    return { ...site, path: [...site.path, ...v.at.slice(base.length)] };
  }

  private probe(site: Site, extra: Partial<Probe> = {}): Probe {
    return { instancePath: site.instancePath, old: site.old, new: site.new, ...extra };
  }

  private compareVariants(olds: Variant[], news: Variant[], site: Site): PayloadChange[] {
    const changes: PayloadChange[] = [];
    const pairs = this.matchVariants(olds, news);
    const union = olds.length > 1 || news.length > 1;
    for (const [o, n] of pairs.matched) changes.push(...this.compareVariant(o, n, union ? this.variantSite(site, n) : site));
    // An unmatched variant that a single variant of the other side includes loses (or gains) nothing:
    // `anyOf: [integer <= 0, integer >= 2] -> integer` removes no value.
    const within = (o: Variant, n: Variant, side: Side) => this.compareVariant(o, n, site).every((c) => diffRules[c.rule].scope === "event" && kindOf(c.rule, side) === "non-breaking");
    pairs.removed = pairs.removed.filter((o) => !news.some((n) => within(o, n, "client-to-server")));
    pairs.added = pairs.added.filter((n) => !olds.some((o) => within(o, n, "server-to-client")));
    for (const o of pairs.removed) {
      changes.push(this.change(union ? this.variantSite(site, o, "old") : site, "payload-variant-removed", `${fieldName(site.instancePath)} no longer accepts the ${this.describeVariant(o, this.oldNorm)}`, this.probe(site, { oldVariant: o })));
    }
    for (const n of pairs.added) {
      changes.push(this.change(union ? this.variantSite(site, n) : site, "payload-variant-added", `${fieldName(site.instancePath)} accepts a new ${this.describeVariant(n, this.newNorm)}`, this.probe(site, { newVariant: n })));
    }
    return changes;
  }

  /** "object variant with kind = \"file\"", "object variant with properties a, b", "string variant {...}". */
  private describeVariant(v: Variant, norm: Normalizer): string {
    if (v.kind === "values") return `${v.type} values ${fmtList(v.values)}`;
    if (v.c.type === "object") {
      const c = v.c;
      for (const name of c.properties.keys()) {
        const fixed = this.fixedValues(v, name, norm);
        if (fixed?.length === 1) return `object variant with ${name} = ${fmt(fixed[0])}`;
      }
      const names = [...c.properties.keys()];
      return names.length ? `object variant with ${c.required.size ? `required ${[...c.required].join(", ")}` : `properties ${names.join(", ")}`}` : "object variant";
    }
    const text = variantKey(v);
    return `${v.type} variant ${text.length > 80 ? `${text.slice(0, 77)}...` : text}`;
  }

  private matchVariants(olds: Variant[], news: Variant[]): { matched: [Variant, Variant][]; removed: Variant[]; added: Variant[] } {
    const restOld = [...olds];
    const restNew = [...news];
    const matched: [Variant, Variant][] = [];
    const take = (o: Variant, n: Variant) => {
      matched.push([o, n]);
      restOld.splice(restOld.indexOf(o), 1);
      restNew.splice(restNew.indexOf(n), 1);
    };
    for (const o of [...restOld]) {
      const n = restNew.find((x) => variantKey(x) === variantKey(o));
      if (n) take(o, n);
    }
    // Values with values.
    const ov = restOld.find((v) => v.kind === "values");
    const nv = restNew.find((v) => v.kind === "values");
    if (ov && nv) take(ov, nv);
    // Objects by a discriminating property (a property with fixed values in every variant).
    const objects = (list: Variant[]) => list.filter((v): v is SchemaVariant => v.kind === "schema" && v.c.type === "object");
    const discriminator = this.findDiscriminator(objects(restOld), objects(restNew));
    if (discriminator) {
      for (const o of objects(restOld)) {
        const values = this.fixedValues(o, discriminator, this.oldNorm) ?? [];
        const n = objects(restNew).find((x) => (this.fixedValues(x, discriminator, this.newNorm) ?? []).some((v) => values.some((w) => deepEqual(v, w))));
        if (n) take(o, n);
      }
    }
    if (restOld.length === 1 && restNew.length === 1) take(restOld[0]!, restNew[0]!);
    // Greedy by shared property names.
    const propsOf = (v: SchemaVariant) => [...(v.c as ObjectConstraints).properties.keys()];
    for (const o of objects(restOld)) {
      const best = objects(restNew)
        .map((n) => ({ n, score: propsOf(o).filter((k) => propsOf(n).includes(k)).length }))
        .filter((x) => x.score > 0)
        .sort((a, b) => b.score - a.score)[0];
      if (best) take(o, best.n);
    }
    // Same-kind leftovers of scalar types pair up in order.
    for (const o of [...restOld]) {
      if (o.kind === "schema" && o.c.type === "object") continue;
      const n = restNew.find((x) => x.kind === o.kind && !(x.kind === "schema" && x.c.type === "object"));
      if (n && restOld.length === restNew.length) take(o, n);
    }
    return { matched, removed: restOld, added: restNew };
  }

  private fixedValues(v: SchemaVariant, property: string, norm: Normalizer): unknown[] | undefined {
    const prop = (v.c as ObjectConstraints).properties.get(property);
    if (!prop) return undefined;
    const ns = norm.normalize(prop);
    const all: unknown[] = [];
    for (const list of ns.types.values()) {
      for (const variant of list) {
        if (variant.kind !== "values") return undefined;
        all.push(...variant.values);
      }
    }
    return all.length ? all : undefined;
  }

  private findDiscriminator(olds: SchemaVariant[], news: SchemaVariant[]): string | undefined {
    if (olds.length + news.length < 3) return undefined;
    const first = (olds[0] ?? news[0])!.c as ObjectConstraints;
    return [...first.properties.keys()].find(
      (name) => olds.every((v) => this.fixedValues(v, name, this.oldNorm) !== undefined) && news.every((v) => this.fixedValues(v, name, this.newNorm) !== undefined),
    );
  }

  private compareVariant(o: Variant, n: Variant, site: Site): PayloadChange[] {
    // A bounded integer range is a finite set: compare it with a value list as one.
    if (o.kind === "values" && n.kind === "schema") n = asValues(n) ?? n;
    if (n.kind === "values" && o.kind === "schema") o = asValues(o) ?? o;
    const name = fieldName(site.instancePath);
    if (o.kind === "values" && n.kind === "values") {
      const removed = o.values.filter((v) => !n.values.some((w) => deepEqual(v, w)));
      const added = n.values.filter((v) => !o.values.some((w) => deepEqual(v, w)));
      const out: PayloadChange[] = [];
      if (removed.length) out.push(this.change(site, "payload-enum-value-removed", `${name} no longer accepts ${fmtList(removed)}`, this.probe(site, { oldVariant: o, newVariant: n, seeds: { old: removed } })));
      if (added.length) out.push(this.change(site, "payload-enum-value-added", `${name} now also accepts ${fmtList(added)}`, this.probe(site, { oldVariant: o, newVariant: n, seeds: { new: added } })));
      return out;
    }
    if (o.kind === "values" && n.kind === "schema") {
      const rejected = o.values.filter((v) => !this.newCtx.accepts(site.new!.schema, v));
      const out: PayloadChange[] = [this.change(site, "payload-field-type-widened", `${name} was one of ${fmtList(o.values)} and is now any ${n.type}${describeConstraints(n)}`, this.probe(site, { oldVariant: o, newVariant: n }))];
      if (rejected.length) out.push(this.change(site, "payload-enum-value-removed", `${name} no longer accepts ${fmtList(rejected)}`, this.probe(site, { oldVariant: o, newVariant: n, seeds: { old: rejected } })));
      return out;
    }
    if (o.kind === "schema" && n.kind === "values") {
      const fresh = n.values.filter((v) => !this.oldCtx.accepts(site.old!.schema, v));
      const out: PayloadChange[] = [this.change(site, "payload-field-type-narrowed", `${name} was any ${o.type}${describeConstraints(o)} and is now one of ${fmtList(n.values)}`, this.probe(site, { oldVariant: o, newVariant: n }))];
      if (fresh.length) out.push(this.change(site, "payload-enum-value-added", `${name} now also accepts ${fmtList(fresh)}`, this.probe(site, { oldVariant: o, newVariant: n, seeds: { new: fresh } })));
      return out;
    }
    if (o.kind !== "schema" || n.kind !== "schema") return [];
    const out: PayloadChange[] = [];
    const vs = { oldVariant: o, newVariant: n };
    if (o.c.type === "number" && n.c.type === "number") out.push(...this.compareNumbers(o.c, n.c, site, vs));
    else if (o.c.type === "string" && n.c.type === "string") out.push(...this.compareStrings(o.c, n.c, site, vs));
    else if (o.c.type === "array" && n.c.type === "array") out.push(...this.compareArrays(o.c, n.c, site, vs));
    else if (o.c.type === "object" && n.c.type === "object") out.push(...this.compareObjects(o.c, n.c, site, vs));
    const oldOpaque = o.opaque.map((x) => stableStringify(stripAnnotations(x))).sort();
    const newOpaque = n.opaque.map((x) => stableStringify(stripAnnotations(x))).sort();
    if (!deepEqual(oldOpaque, newOpaque)) {
      const parts = (list: typeof o.opaque) => list.flatMap((x) => Object.entries(x).map(([k, v]) => ({ key: k, text: stableStringify(stripAnnotations(v)) })));
      const oldParts = parts(o.opaque);
      const newParts = parts(n.opaque);
      const added = newParts.filter((p) => !oldParts.some((q) => q.key === p.key && q.text === p.text));
      const removed = oldParts.filter((p) => !newParts.some((q) => q.key === p.key && q.text === p.text));
      const keywords = [...new Set([...added, ...removed].map((p) => p.key))].sort();
      const overlapping = keywords.includes("oneOf") ? " (a oneOf whose branches overlap: a value that matches more than one branch is rejected)" : "";
      const what = `${name}: ${keywords.map((k) => `\`${k}\``).join(", ")}${overlapping}`;
      // These keywords only add conditions, so adding one narrows and removing one widens;
      // patternProperties also exempts names from additionalProperties, so it is compared as a whole.
      const conjunctive = (list: typeof added) => list.every((p) => p.key !== "patternProperties");
      if (removed.length === 0 && conjunctive(added)) out.push(this.constraint(site, -1, `${what} added`, this.probe(site, vs)));
      else if (added.length === 0 && conjunctive(removed)) out.push(this.constraint(site, 1, `${what} removed`, this.probe(site, vs)));
      else out.push(this.change(site, "payload-schema-changed", `${what} changed`, this.probe(site, vs)));
    }
    return out;
  }

  private constraint(site: Site, direction: -1 | 1 | 2, message: string, probe: Probe, at?: Path): PayloadChange {
    const rule: DiffRuleId = direction === -1 ? "payload-constraint-tightened" : direction === 1 ? "payload-constraint-widened" : "payload-constraint-changed";
    return this.change(site, rule, message, probe, at);
  }

  private compareNumbers(o: NumberConstraints, n: NumberConstraints, site: Site, vs: Partial<Probe>): PayloadChange[] {
    const out: PayloadChange[] = [];
    const name = fieldName(site.instancePath);
    if (o.integer && !n.integer) out.push(this.change(site, "payload-field-type-widened", `${name} widened from integer to number`, this.probe(site, { ...vs, seeds: { new: [0.5, 1.5] } })));
    if (!o.integer && n.integer) out.push(this.change(site, "payload-field-type-narrowed", `${name} narrowed from number to integer`, this.probe(site, { ...vs, seeds: { old: [0.5, 1.5] } })));
    const lower = compareLower(n.min, o.min);
    if (lower !== 0) {
      const seeds = lower < 0 ? { old: boundSeeds(o.min, n.min, true) } : { new: boundSeeds(n.min, o.min, true) };
      out.push(this.constraint(site, lower < 0 ? -1 : 1, `${name}: lower bound changed from ${boundText(o.min, true)} to ${boundText(n.min, true)}`, this.probe(site, { ...vs, seeds })));
    }
    const upper = compareUpper(n.max, o.max);
    if (upper !== 0) {
      const seeds = upper < 0 ? { old: boundSeeds(o.max, n.max, false) } : { new: boundSeeds(n.max, o.max, false) };
      out.push(this.constraint(site, upper < 0 ? -1 : 1, `${name}: upper bound changed from ${boundText(o.max, false)} to ${boundText(n.max, false)}`, this.probe(site, { ...vs, seeds })));
    }
    const om = [...o.multipleOf].sort();
    const nm = [...n.multipleOf].sort();
    if (!deepEqual(om, nm)) {
      const tighter = nm.every((m) => om.length === 0 || om.some((k) => isMultiple(m, k))) && nm.length > 0;
      const looser = om.every((k) => nm.length === 0 || nm.some((m) => isMultiple(k, m))) && om.length > 0;
      out.push(this.constraint(site, tighter && !looser ? -1 : looser && !tighter ? 1 : 2, `${name}: multipleOf changed from ${om.join(", ") || "none"} to ${nm.join(", ") || "none"}`, this.probe(site, vs)));
    }
    return out;
  }

  private compareStrings(o: StringConstraints, n: StringConstraints, site: Site, vs: Partial<Probe>): PayloadChange[] {
    const out: PayloadChange[] = [];
    const name = fieldName(site.instancePath);
    const samePatterns = deepEqual([...o.patterns].sort(), [...n.patterns].sort());
    if (samePatterns) {
      if (o.minLength !== n.minLength) out.push(this.constraint(site, n.minLength > o.minLength ? -1 : 1, `${name}: minLength changed from ${o.minLength} to ${n.minLength}`, this.probe(site, vs)));
      if (o.maxLength !== n.maxLength) {
        const tighter = n.maxLength !== undefined && (o.maxLength === undefined || n.maxLength < o.maxLength);
        out.push(this.constraint(site, tighter ? -1 : 1, `${name}: maxLength changed from ${o.maxLength ?? "none"} to ${n.maxLength ?? "none"}`, this.probe(site, vs)));
      }
    } else {
      const describe = (c: StringConstraints) => [...c.patterns.map((p) => `/${p}/`), c.minLength ? `minLength ${c.minLength}` : "", c.maxLength !== undefined ? `maxLength ${c.maxLength}` : ""].filter(Boolean).join(", ") || "any string";
      const verdict = classifyStrings(o, n);
      if (verdict.kind !== "equal") {
        const seeds = { old: verdict.oldOnly !== undefined ? [verdict.oldOnly] : undefined, new: verdict.newOnly !== undefined ? [verdict.newOnly] : undefined };
        const witness = (text: string | undefined, length: number | undefined) => (text !== undefined ? fmt(text) : length !== undefined ? `a string of ${length} characters` : undefined);
        const oldWitness = witness(verdict.oldOnly, verdict.oldOnlyLength);
        const newWitness = witness(verdict.newOnly, verdict.newOnlyLength);
        const examples = [oldWitness !== undefined ? `${oldWitness} no longer matches` : "", newWitness !== undefined ? `${newWitness} now does` : ""].filter(Boolean);
        const example = examples.length ? ` (${examples.join(", ")})` : "";
        let direction: -1 | 1 | 2;
        let note = "";
        if (verdict.kind === "unknown") {
          // Only what holds whatever the patterns accept: more patterns and tighter lengths accept less.
          const tighter = o.patterns.every((p) => n.patterns.includes(p)) && n.minLength >= o.minLength && (o.maxLength === undefined || (n.maxLength !== undefined && n.maxLength <= o.maxLength));
          const looser = n.patterns.every((p) => o.patterns.includes(p)) && o.minLength >= n.minLength && (n.maxLength === undefined || (o.maxLength !== undefined && o.maxLength <= n.maxLength));
          direction = tighter && newWitness === undefined ? -1 : looser && oldWitness === undefined ? 1 : 2;
          note = direction === 2 ? `; could not compare: ${verdict.reason}, so it is taken as changed both ways` : "";
        } else direction = verdict.kind === "tightened" ? -1 : verdict.kind === "widened" ? 1 : 2;
        out.push(this.constraint(site, direction, `${name}: pattern changed from ${describe(o)} to ${describe(n)}${example}${note}`, this.probe(site, { ...vs, seeds })));
      }
    }
    const of = [...o.formats].sort();
    const nf = [...n.formats].sort();
    if (!deepEqual(of, nf)) {
      const added = nf.filter((f) => !of.includes(f));
      const removed = of.filter((f) => !nf.includes(f));
      out.push(this.constraint(site, added.length && removed.length ? 2 : added.length ? -1 : 1, `${name}: format changed from ${of.join(", ") || "none"} to ${nf.join(", ") || "none"}`, this.probe(site, vs)));
    }
    return out;
  }

  private compareArrays(o: ArrayConstraints, n: ArrayConstraints, site: Site, vs: Partial<Probe>): PayloadChange[] {
    const out: PayloadChange[] = [];
    const name = fieldName(site.instancePath);
    const length = Math.max(o.prefixItems.length, n.prefixItems.length);
    for (let i = 0; i < length; i++) {
      out.push(...this.compare(o.prefixItems[i] ?? o.items, n.prefixItems[i] ?? n.items, [...site.path, "prefixItems", i], [...site.instancePath, i]));
    }
    out.push(...this.compare(o.items, n.items, [...site.path, "items"], [...site.instancePath, length]));
    if (o.minItems !== n.minItems) out.push(this.constraint(site, n.minItems > o.minItems ? -1 : 1, `${name}: minItems changed from ${o.minItems} to ${n.minItems}`, this.probe(site, vs)));
    if (o.maxItems !== n.maxItems) {
      const tighter = n.maxItems !== undefined && (o.maxItems === undefined || n.maxItems < o.maxItems);
      out.push(this.constraint(site, tighter ? -1 : 1, `${name}: maxItems changed from ${o.maxItems ?? "none"} to ${n.maxItems ?? "none"}`, this.probe(site, vs)));
    }
    if (o.unique !== n.unique) out.push(this.constraint(site, n.unique ? -1 : 1, `${name}: uniqueItems changed from ${String(o.unique)} to ${String(n.unique)}`, this.probe(site, vs)));
    return out;
  }

  private isClosed(located: Located, norm: Normalizer): boolean {
    return norm.normalize(located).types.size === 0;
  }

  private compareObjects(o: ObjectConstraints, n: ObjectConstraints, site: Site, vs: Partial<Probe>): PayloadChange[] {
    const out: PayloadChange[] = [];
    const oldClosed = this.isClosed(o.additional, this.oldNorm);
    const newClosed = this.isClosed(n.additional, this.newNorm);
    const names = [...n.properties.keys(), ...[...o.properties.keys()].filter((k) => !n.properties.has(k))];
    for (const prop of names) {
      const op = o.properties.get(prop);
      const np = n.properties.get(prop);
      const path = [...site.path, "properties", prop];
      const instancePath = [...site.instancePath, prop];
      const field = fieldName(instancePath);
      const propSite: Site = { path, instancePath, old: op, new: np };
      const objectProbe = (focus: Probe["focus"]) => this.probe(site, { ...vs, focus });
      if (op && np) {
        if (o.required.has(prop) && !n.required.has(prop)) out.push(this.change(propSite, "payload-field-made-optional", `${field} is no longer required`, objectProbe({ toggle: prop })));
        if (!o.required.has(prop) && n.required.has(prop)) out.push(this.change(propSite, "payload-field-made-required", `${field} is now required`, objectProbe({ toggle: prop })));
        out.push(...this.compare(op, np, path, instancePath));
      } else if (np) {
        const required = n.required.has(prop);
        if (!oldClosed && o.additional.schema !== true) {
          // The old object already accepted the name through a schema-valued additionalProperties.
          if (required) out.push(this.change(propSite, "payload-field-made-required", `${field} is now required`, objectProbe({ toggle: prop })));
          out.push(...this.compare(o.additional, np, path, instancePath));
          continue;
        }
        // An optional field that accepts any value changes nothing the open object accepted.
        if (!oldClosed && !required && this.newNorm.acceptsEverything(np)) continue;
        const rule: DiffRuleId = oldClosed ? (required ? "payload-required-field-added-to-closed-object" : "payload-field-added-to-closed-object") : required ? "payload-required-field-added" : "payload-field-added";
        const closedNote = oldClosed ? " to an object the old contract closes (additionalProperties: false)" : required ? "" : ` as ${describeTypes(this.newNorm.normalize(np))}`;
        out.push(this.change(propSite, rule, `${required ? "required" : "optional"} field ${field} added${closedNote}`, objectProbe({ toggle: prop })));
      } else if (op) {
        const required = o.required.has(prop);
        const at = site.new?.at;
        if (!newClosed && n.additional.schema !== true) {
          if (required) out.push(this.change({ ...propSite, new: undefined }, "payload-field-made-optional", `${field} is no longer required`, objectProbe({ toggle: prop }), at));
          out.push(...this.compare(op, n.additional, path, instancePath));
          continue;
        }
        if (!newClosed && !required && this.oldNorm.acceptsEverything(op)) continue;
        const rule: DiffRuleId = newClosed ? (required ? "payload-field-removed-from-closed-object" : "payload-optional-field-removed-from-closed-object") : required ? "payload-field-removed" : "payload-optional-field-removed";
        const closedNote = newClosed ? " from an object the new contract closes (additionalProperties: false)" : required ? "" : ` (it was ${describeTypes(this.oldNorm.normalize(op))})`;
        out.push(this.change({ ...propSite, new: undefined }, rule, `${required ? "required" : "optional"} field ${field} removed${closedNote}`, objectProbe({ toggle: prop }), at));
      }
    }
    const name = fieldName(site.instancePath);
    // The line of the `additionalProperties` key (or of the object, when the new side no longer writes it).
    const additionalAt = site.new ? [...site.new.at, "additionalProperties"] : undefined;
    if (!oldClosed && newClosed) {
      out.push(this.constraint({ ...site, path: [...site.path, "additionalProperties"] }, -1, `${name} no longer allows additional properties (additionalProperties: false)`, this.probe(site, { ...vs, focus: { extra: true } }), additionalAt));
    } else if (oldClosed && !newClosed) {
      out.push(this.constraint({ ...site, path: [...site.path, "additionalProperties"] }, 1, `${name} now allows additional properties`, this.probe(site, { ...vs, focus: { extra: true } }), additionalAt));
    } else if (!oldClosed && !newClosed) {
      out.push(...this.compare(o.additional, n.additional, [...site.path, "additionalProperties"], [...site.instancePath, ADDITIONAL_PROPERTY]));
    }
    if (o.minProperties !== n.minProperties) out.push(this.constraint(site, n.minProperties > o.minProperties ? -1 : 1, `${name}: minProperties changed from ${o.minProperties} to ${n.minProperties}`, this.probe(site, vs)));
    if (o.maxProperties !== n.maxProperties) {
      const tighter = n.maxProperties !== undefined && (o.maxProperties === undefined || n.maxProperties < o.maxProperties);
      out.push(this.constraint(site, tighter ? -1 : 1, `${name}: maxProperties changed from ${o.maxProperties ?? "none"} to ${n.maxProperties ?? "none"}`, this.probe(site, vs)));
    }
    return out;
  }
}

/** The name witnesses use for a property no schema declares. */
export const ADDITIONAL_PROPERTY = "extra";

interface Site {
  path: Path;
  instancePath: Path;
  old?: Located;
  new?: Located;
}

function describeConstraints(v: Variant): string {
  if (v.kind !== "schema") return "";
  const text = variantKey(v);
  return text === stableStringify({ type: v.type }) ? "" : ` (${text})`;
}

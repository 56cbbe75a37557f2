/**
 * `<name>.vectors.json`: conformance vectors a peer in any language can replay (docs/vectors.md).
 * For every state, every event and every direction it flows: a valid message and what the sending
 * endpoint's lifecycle guard and the receiving endpoint do with it; for every payload constraint
 * the generator can break on its own: a message that breaks it and the place the validator names;
 * per direction, an event name the union does not know. Every message is checked with Ajv against
 * the `<name>.schema.json` bundle before it is written (an invalid vector must fail there, at its
 * path); what cannot be built is listed under `skipped`, with the reason.
 */
import { Ajv2020, type ErrorObject, type ValidateFunction } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import { valueAt } from "../../common/json.js";
import { type CloseCodeRef, type Contract, type ContractEvent, type JsonSchema, OPENNESS_KEYWORD } from "../model.js";
import { hasBacktrackingPattern } from "../load/regex-risk.js";
import { ExampleMaker } from "./examples.js";
import { buildJsonSchemaBundle } from "./json-schema.js";
import { buildGenerationModel, headerLine, type GenerationOptions } from "./names.js";
import { isSchemaObject, refTarget, schemaTypes, type SchemaObject } from "./schema-walk.js";
import type { Outcome, VectorsFile } from "./vectors-format.js";

const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: Ajv2020) => Ajv2020;

type Path = (string | number)[];
type Side = "server-to-client" | "client-to-server";

const BUNDLE_ID = "covenant:vectors";
/** The base "payload" of an event whose optional payload is left out of its messages. */
const OMITTED: unique symbol = Symbol("omitted");

/** The close code a default stands for (as the loader's): 1008, policy violation. */
const DEFAULT_CLOSE: CloseCodeRef = { code: 1008, name: "policy_violation" };

/** Strings longer than this are not written into the file (a `maxLength: 100000` gets no vector). */
const MAX_VECTOR_STRING = 10_000;
/** How deep `$ref`s are followed into shared schemas (recursive schemas stop here). */
const MAX_REF_DEPTH = 8;

export function emitVectors(contract: Contract, options: GenerationOptions): string {
  return `${JSON.stringify(buildVectors(contract, options), null, 2)}\n`;
}

export function buildVectors(contract: Contract, options: GenerationOptions): VectorsFile {
  const model = buildGenerationModel(contract, options);
  const { discriminator, payloadField } = contract.envelope;
  // An event's envelope fields (`envelope.fields`) go beside the payload, each with a valid value;
  // an optional payload no value can satisfy (`payload: { not: {} }`) is left out.
  const fieldValues = new Map<string, unknown>();
  for (const field of contract.envelope.fields ?? []) {
    const found = new ExampleMaker(contract.definitions).exampleFor(field.schema, []);
    if (found !== undefined) fieldValues.set(field.name, found.value);
  }
  const fieldsOf = (event: string): [string, unknown][] =>
    (contract.events.find((e) => e.name === event)?.fields ?? []).filter((f) => fieldValues.has(f)).map((f) => [f, fieldValues.get(f)]);
  const message = (event: string, payload: unknown): Record<string, unknown> =>
    Object.fromEntries([[discriminator, event], ...(payload === OMITTED ? [] : [[payloadField, payload]]), ...fieldsOf(event)]) as Record<string, unknown>;
  const sidesOf = (event: ContractEvent): Side[] => (event.direction === "both" ? ["server-to-client", "client-to-server"] : [event.direction]);

  // The bundle is built from schemas the loader checked against the meta-schema: not compiled and checked again.
  const ajv = new Ajv2020({ validateSchema: false, strict: false, allErrors: true, logger: false, validateFormats: true, ownProperties: true });
  addFormats(ajv);
  // Only the bundle's `$defs`: each payload is compiled on its own (the root's `oneOf` over thousands
  // of messages would nest Ajv's generated code too deep), with the definitions it reaches.
  ajv.addSchema({ $id: BUNDLE_ID, $defs: buildJsonSchemaBundle(contract, options).$defs as Record<string, unknown> });
  // One compiled validator per distinct payload schema (generated contracts often repeat one).
  const compiled = new Map<string, ValidateFunction>();
  const validatorOf = (event: ContractEvent): ValidateFunction => {
    const key = JSON.stringify(event.payload);
    let validate = compiled.get(key);
    if (!validate) compiled.set(key, (validate = ajv.getSchema(`${BUNDLE_ID}#/$defs/${defKeys.get(event.name)!}`)!));
    return validate;
  };
  const defKeys = new Map(model.events.map((names) => [names.event.name, names.defKey]));
  const maker = new ExampleMaker(contract.definitions);
  const skipped: VectorsFile["skipped"] = [];

  const paths = shortestPaths(contract);
  const states: VectorsFile["states"] = Object.fromEntries(
    contract.lifecycle.states.map((s) => [s.name, { transitions: paths.get(s.name) ?? [], final: s.final }]),
  );

  const bases = new Map<string, unknown>();
  for (const event of contract.events) {
    const found = maker.exampleFor(event.payload, event.examples);
    if (found === undefined && event.payloadOptional === true) {
      bases.set(event.name, OMITTED);
      continue;
    }
    if (found === undefined) {
      skipped.push({
        schemaPath: `events.${event.name}.payload`,
        reason:
          "no valid payload could be built (a pattern that may backtrack, or a schema the example maker cannot satisfy): add an `examples` entry to the event",
      });
      continue;
    }
    bases.set(event.name, found.value);
  }

  // What a conforming server endpoint does with a client message: deliver it where its state allows
  // it, else apply the event's out-of-state policy (hold it, or close with the policy's code).
  const invalidClose = contract.invalidClose ?? DEFAULT_CLOSE;
  const closeWith = (close: CloseCodeRef, reason: string): Outcome => ({ action: "close", code: close.code, reason: `${reason} (${close.name})` });
  const serverReceives = (event: ContractEvent, state: string): Outcome => {
    if (event.states.includes(state)) return { action: "deliver" };
    const policy = event.outOfState ?? { action: "reject", close: DEFAULT_CLOSE };
    if (policy.action === "hold")
      return { action: "hold", reason: `"${event.name}" is not allowed in "${state}": the server holds it until a state allows it` };
    return closeWith(policy.close, `"${event.name}" is not allowed in "${state}": the server closes`);
  };
  /** A client message the contract refuses: the server closes with `inbound.invalid`'s code; a client's parser refuses it. */
  const refusedBy = (side: Side): Outcome =>
    side === "client-to-server" ? closeWith(invalidClose, "the server closes on an invalid message") : { action: "refuse" };

  const valid: VectorsFile["valid"] = [];
  for (const state of contract.lifecycle.states) {
    for (const event of contract.events) {
      if (!bases.has(event.name)) continue;
      const send: Outcome = event.states.includes(state.name)
        ? { action: "deliver" }
        : state.final
          ? { action: "refuse", reason: `"${state.name}" is final and does not allow "${event.name}"` }
          : { action: "queue", reason: `"${event.name}" is not allowed in "${state.name}": it waits, in order, until a transition allows it` };
      for (const side of sidesOf(event)) {
        valid.push({
          id: `${state.name}/${event.name}/${side}`,
          state: state.name,
          event: event.name,
          direction: side,
          message: message(event.name, bases.get(event.name)),
          send,
          receive: side === "client-to-server" ? serverReceives(event, state.name) : { action: "deliver" },
        });
      }
    }
  }

  const unknownName = unusedName(contract.events.map((e) => e.name));
  const unknown: VectorsFile["unknown"] = (["server-to-client", "client-to-server"] as const)
    .filter((side) => contract.events.some((e) => sidesOf(e).includes(side)))
    .map((side) => {
      const open = contract.openness?.events[side] === "open";
      return {
        id: `unknown/${side}`,
        direction: side,
        message: message(unknownName, {}),
        receive: open
          ? { action: "ignore", reason: `the ${side} union is open: an event name the receiver does not know is dropped` }
          : side === "client-to-server"
            ? closeWith(invalidClose, `the ${side} union is closed: the server closes on an event name the contract does not declare`)
            : { action: "refuse", reason: `the ${side} union is closed: an event name the contract does not declare is a validation failure` },
      };
    });

  const invalid: VectorsFile["invalid"] = [];
  const samples = new Map<string, { value: unknown } | undefined>();
  const ids = new Set<string>();
  /** `<event>/<direction>/<path>/<keyword>`, numbered when one place breaks the same keyword twice (two `allOf` parts). */
  const idFor = (stem: string): string => {
    let id = stem;
    for (let n = 2; ids.has(id); n++) id = `${stem}#${n}`;
    ids.add(id);
    return id;
  };
  const risky = Object.values(contract.definitions).some(hasBacktrackingPattern);
  for (const event of contract.events) {
    const base = bases.get(event.name);
    if (base === undefined || base === OMITTED) continue;
    if (risky || hasBacktrackingPattern(event.payload)) {
      skipped.push({
        schemaPath: `events.${event.name}.payload`,
        reason: "a `pattern` of the contract may backtrack super-linearly, so no invalid message is checked against it",
      });
      continue;
    }
    const validate = validatorOf(event);
    const breaker = new ConstraintBreaker(contract, maker, validate, samples);
    for (const found of breaker.vectorsFor(event, base, skipped)) {
      for (const side of sidesOf(event)) {
        invalid.push({
          id: idFor(`${event.name}/${side}/${[payloadField, ...found.path].join(".")}/${found.constraint}`),
          event: event.name,
          direction: side,
          constraint: found.constraint,
          schemaPath: found.schemaPath,
          message: message(event.name, found.payload),
          path: [payloadField, ...found.path],
          send: { action: "refuse" },
          receive: refusedBy(side),
        });
      }
    }
  }

  // An event's envelope field left out: refused at that field (the fields are required where listed).
  for (const event of contract.events) {
    const base = bases.get(event.name);
    if (base === undefined) continue;
    for (const field of event.fields ?? []) {
      if (!fieldValues.has(field)) continue;
      const whole = message(event.name, base);
      delete whole[field];
      for (const side of sidesOf(event)) {
        invalid.push({
          id: idFor(`${event.name}/${side}/${field}/required`),
          event: event.name,
          direction: side,
          constraint: "required",
          schemaPath: `events.${event.name}.fields`,
          message: whole,
          path: [field],
          send: { action: "refuse" },
          receive: refusedBy(side),
        });
      }
    }
  }

  // Per-id uniqueness: per rule, one id opened twice (the receiver closes with the rule's code), and
  // opened, ended by each `until` event from each side that sends it, then opened again (delivered).
  const sequences: NonNullable<VectorsFile["sequences"]> = [];
  for (const rule of contract.unique ?? []) {
    const opener: Side = rule.opener;
    const receiver = opener === "client-to-server" ? "server" : "client";
    const opens = contract.events.find((e) => e.name === rule.from[0])!;
    const at = (event: string): (string | number)[] => (rule.carriedIn[event] === "envelope" ? [rule.field] : [payloadField, rule.field]);
    const base = bases.get(opens.name);
    const first = base === undefined ? undefined : message(opens.name, base);
    const id = first === undefined ? undefined : valueAt(first, at(opens.name));
    /** The event's valid message carrying the id; undefined when that message is not valid. */
    const carrying = (event: ContractEvent): Record<string, unknown> | undefined => {
      const payload = bases.get(event.name);
      if (payload === undefined || id === undefined) return undefined;
      const built = setAt(message(event.name, payload), at(event.name), id) as Record<string, unknown> | undefined;
      if (built === undefined || (rule.carriedIn[event.name] === "payload" && !validatorOf(event)(built[payloadField]))) return undefined;
      return built;
    };
    const stateFor = (events: readonly ContractEvent[]) => contract.lifecycle.states.find((s) => !s.final && events.every((e) => e.states.includes(s.name)));
    const opened = carrying(opens);
    const reusedIn = stateFor([opens]);
    if (opened === undefined || reusedIn === undefined) {
      skipped.push({ schemaPath: `unique.${rule.name}`, reason: "no valid message of the opening event with an id could be built in a state that allows it" });
      continue;
    }
    sequences.push({
      id: `unique/${rule.name}/reused`,
      rule: rule.name,
      state: reusedIn.name,
      receiver,
      messages: [opened, opened].map((m) => ({ direction: opener, message: m })),
      receive: closeWith(rule.close, `"${opens.name}" opens ${rule.field} ${JSON.stringify(id)} while it is live: the ${receiver} closes`),
    });
    for (const name of rule.until) {
      const ends = contract.events.find((e) => e.name === name)!;
      const ended = carrying(ends);
      const state = stateFor([opens, ends]);
      if (ended === undefined || state === undefined) {
        skipped.push({
          schemaPath: `unique.${rule.name}.until`,
          reason: `no valid \`${name}\` message with the id could be built in a state that allows it and \`${opens.name}\``,
        });
        continue;
      }
      for (const side of sidesOf(ends)) {
        sequences.push({
          id: `unique/${rule.name}/ended-by/${name}/${side}`,
          rule: rule.name,
          state: state.name,
          receiver,
          messages: [
            { direction: opener, message: opened },
            { direction: side, message: ended },
            { direction: opener, message: opened },
          ],
          receive: { action: "deliver", reason: `"${name}" ended ${rule.field} ${JSON.stringify(id)}, so it may be opened again` },
        });
      }
    }
  }

  return {
    $comment: headerLine(model.source),
    format: 1,
    contract: { name: contract.name, version: contract.version },
    envelope: { discriminator, payloadField, ...(contract.envelope.fields ? { fields: contract.envelope.fields.map((f) => f.name) } : {}) },
    states,
    valid,
    invalid,
    unknown,
    ...(sequences.length > 0 ? { sequences } : {}),
    skipped,
  };
}

/** A shortest list of transitions from the initial state to every state (breadth first, transitions in document order). */
function shortestPaths(contract: Contract): Map<string, string[]> {
  const byName = new Map(contract.lifecycle.states.map((s) => [s.name, s]));
  const paths = new Map<string, string[]>([[contract.lifecycle.initial, []]]);
  const queue = [contract.lifecycle.initial];
  for (let i = 0; i < queue.length; i++) {
    const from = queue[i]!;
    for (const [transition, target] of Object.entries(byName.get(from)?.on ?? {})) {
      if (paths.has(target)) continue;
      paths.set(target, [...paths.get(from)!, transition]);
      queue.push(target);
    }
  }
  return paths;
}

function unusedName(taken: readonly string[]): string {
  const names = new Set(taken);
  for (let i = 0; ; i++) {
    const name = i === 0 ? "unknown_event" : `unknown_event_${i}`;
    if (!names.has(name)) return name;
  }
}

interface Broken {
  constraint: string;
  schemaPath: string;
  /** Below the payload. */
  path: Path;
  payload: unknown;
}

/** Keywords whose subschemas the walk does not enter, with why (a message breaking them is not one place). */
const NOT_ENTERED: Record<string, string> = {
  anyOf: "a message that breaks one branch may match another",
  oneOf: "a message that breaks one branch may match another",
  not: "covenant does not build values for `not`",
  if: "conditional schemas are not broken one constraint at a time",
  then: "conditional schemas are not broken one constraint at a time",
  else: "conditional schemas are not broken one constraint at a time",
  contains: "covenant does not build values for `contains`",
  patternProperties: "covenant does not build names for `patternProperties`",
  propertyNames: "covenant does not build names for `propertyNames`",
  dependentSchemas: "conditional schemas are not broken one constraint at a time",
  unevaluatedProperties: "not enforced by the generated validators",
  unevaluatedItems: "not enforced by the generated validators",
};

/** Constraint keywords with a vector of their own (others on the same schema are listed as skipped). */
const BREAKABLE = new Set([
  "type",
  "enum",
  "const",
  "minimum",
  "maximum",
  "exclusiveMinimum",
  "exclusiveMaximum",
  "multipleOf",
  "minLength",
  "maxLength",
  "pattern",
  "format",
  "minItems",
  "maxItems",
  "uniqueItems",
  "required",
  "additionalProperties",
  "maxProperties",
  "minProperties",
]);
const CONSTRAINT_KEYWORDS = new Set([...BREAKABLE, "dependentRequired", "minContains", "maxContains", ...Object.keys(NOT_ENTERED)]);

/** Builds, per constraint of a payload, the valid payload with one value changed so that it breaks the constraint. */
class ConstraintBreaker {
  constructor(
    private readonly contract: Contract,
    private readonly maker: ExampleMaker,
    private readonly validate: ValidateFunction,
    /** Values made for subschemas, by schema text (shared by all events: the example maker compiles a schema per call). */
    private readonly samples: Map<string, { value: unknown } | undefined>,
  ) {}

  vectorsFor(event: ContractEvent, base: unknown, skipped: VectorsFile["skipped"]): Broken[] {
    const out: Broken[] = [];
    this.walk(event.payload, ["events", event.name, "payload"], [], base, 0, out, skipped);
    return out;
  }

  private walk(schema: JsonSchema, at: Path, path: Path, payload: unknown, refDepth: number, out: Broken[], skipped: VectorsFile["skipped"]): void {
    if (!isSchemaObject(schema)) return;
    const target = refTarget(schema.$ref);
    if (target !== undefined) {
      const def = Object.hasOwn(this.contract.definitions, target) ? this.contract.definitions[target] : undefined;
      if (def !== undefined && refDepth < MAX_REF_DEPTH) this.walk(def, ["definitions", target], path, payload, refDepth + 1, out, skipped);
    }
    const where = (key: string | number, ...rest: (string | number)[]) => [...at, key, ...rest].join(".");
    const value = valueAt(payload, path);
    for (const key of Object.keys(schema)) {
      if (!CONSTRAINT_KEYWORDS.has(key)) continue;
      if (key in NOT_ENTERED) {
        skipped.push({ schemaPath: where(key), reason: NOT_ENTERED[key]! });
        continue;
      }
      if (!BREAKABLE.has(key)) {
        skipped.push({ schemaPath: where(key), reason: `covenant does not build a message that breaks \`${key}\`` });
        continue;
      }
      if (key === "required") {
        const names = Array.isArray(schema.required) ? schema.required.filter((n): n is string => typeof n === "string") : [];
        names.forEach((name, i) =>
          this.add(out, skipped, { constraint: "required", schemaPath: where("required", i), path: [...path, name], payload: withoutKey(payload, path, name) }),
        );
        continue;
      }
      if (key === "additionalProperties" && schema.additionalProperties !== false) continue; // a schema: not one value to break
      if ((key === "enum" || key === "const") && (schema[OPENNESS_KEYWORD] ?? this.contract.openness?.enums) === "open") {
        skipped.push({
          schemaPath: where(key),
          reason:
            "the enum is open (`x-covenant-openness` or `openness.enums`): receivers ignore a value they do not know, which the generated validators do not do yet",
        });
        continue;
      }
      const broken = this.breakValue(key, schema, value);
      if (broken === undefined) {
        skipped.push({ schemaPath: where(key), reason: `no value that breaks \`${key}\` could be built from the valid payload` });
        continue;
      }
      this.add(out, skipped, {
        constraint: key,
        schemaPath: where(key),
        path: broken.at === undefined ? path : [...path, broken.at],
        payload: setAt(payload, path, broken.value),
      });
    }

    // Into subschemas, with a valid payload that has a value there.
    for (const [i, sub] of (Array.isArray(schema.allOf) ? schema.allOf : []).entries())
      this.walk(sub as JsonSchema, [...at, "allOf", i], path, payload, refDepth, out, skipped);
    if (isSchemaObject(schema.properties) && isSchemaObject(value)) {
      for (const [name, sub] of Object.entries(schema.properties)) {
        const withIt = Object.hasOwn(value, name) ? payload : this.inserted(payload, [...path, name], sub as JsonSchema);
        if (withIt === undefined) {
          skipped.push({ schemaPath: [...at, "properties", name].join("."), reason: "no valid payload with this optional field could be built" });
          continue;
        }
        this.walk(sub as JsonSchema, [...at, "properties", name], [...path, name], withIt, refDepth, out, skipped);
      }
    }
    if (Array.isArray(value)) {
      if (Array.isArray(schema.prefixItems)) {
        schema.prefixItems.forEach((sub, i) => {
          if (i < value.length) this.walk(sub as JsonSchema, [...at, "prefixItems", i], [...path, i], payload, refDepth, out, skipped);
        });
      }
      const first = Array.isArray(schema.prefixItems) ? schema.prefixItems.length : 0;
      if (schema.items !== undefined && typeof schema.items === "object") {
        const withItem = value.length > first ? payload : this.inserted(payload, [...path, first], schema.items as JsonSchema);
        if (withItem === undefined) skipped.push({ schemaPath: [...at, "items"].join("."), reason: "no valid payload with an item here could be built" });
        else this.walk(schema.items as JsonSchema, [...at, "items"], [...path, first], withItem, refDepth, out, skipped);
      }
    }
  }

  /** The payload with a value for the place added (an optional field, a first item), when it stays valid. */
  private inserted(payload: unknown, path: Path, schema: JsonSchema): unknown {
    const key = JSON.stringify(schema);
    if (!this.samples.has(key)) this.samples.set(key, this.maker.exampleFor(schema, []));
    const found = this.samples.get(key);
    if (found === undefined) return undefined;
    const candidate = setAt(payload, path, found.value);
    return candidate !== undefined && this.validate(candidate) ? candidate : undefined;
  }

  /** Keeps a broken payload only when the bundle rejects it at the expected place (or below it). */
  private add(out: Broken[], skipped: VectorsFile["skipped"], broken: Broken): void {
    // What goes into the file is the JSON text: a value JSON cannot carry (Infinity from `multipleOf: 1e308`) is checked as it arrives.
    const wire: unknown = broken.payload === undefined ? undefined : JSON.parse(JSON.stringify(broken.payload));
    if (wire !== undefined && !this.validate(wire) && (this.validate.errors ?? []).some((e) => startsWith(errorPath(e), broken.path))) {
      out.push({ ...broken, payload: wire });
      return;
    }
    skipped.push({ schemaPath: broken.schemaPath, reason: "the message built to break it was not rejected there by the JSON Schema bundle" });
  }

  /** A value that breaks `key` of `schema`, made from the valid `value` there; `at` when the offending value is one below it. */
  private breakValue(key: string, schema: SchemaObject, value: unknown): { value: unknown; at?: string | number } | undefined {
    const num = (k: string) => (typeof schema[k] === "number" ? schema[k] : undefined);
    switch (key) {
      case "type": {
        const types = schemaTypes(schema) ?? [];
        const candidates: unknown[] = [null, true, "text", 0, 0.5, [], {}];
        return wrap(candidates.find((c) => !types.some((t) => isOfType(c, t))));
      }
      case "enum":
      case "const": {
        const listed = key === "const" ? [schema.const] : Array.isArray(schema.enum) ? (schema.enum as unknown[]) : [];
        const text = new Set(listed.map((v) => JSON.stringify(v)));
        const sample = listed.find((v) => v !== null) ?? value;
        const candidates: unknown[] =
          typeof sample === "number"
            ? [listed.reduce<number>((max, v) => (typeof v === "number" && v > max ? v : max), -Infinity) + 1, -1, 0.5]
            : typeof sample === "boolean"
              ? [!sample, "text"]
              : ["not-listed", "not-listed-1", 0];
        return wrap(candidates.find((c) => !text.has(JSON.stringify(c))));
      }
      case "minimum":
        return num(key) === undefined ? undefined : { value: num(key)! - 1 };
      case "exclusiveMinimum":
        return num(key) === undefined ? undefined : { value: num(key)! };
      case "maximum":
        return num(key) === undefined ? undefined : { value: num(key)! + 1 };
      case "exclusiveMaximum":
        return num(key) === undefined ? undefined : { value: num(key)! };
      case "multipleOf":
        return num(key) === undefined ? undefined : { value: num(key)! * 1.5 };
      case "minLength": {
        const n = num(key);
        return n === undefined || n <= 0 ? undefined : { value: "a".repeat(n - 1) };
      }
      case "maxLength": {
        const n = num(key);
        return n === undefined || n + 1 > MAX_VECTOR_STRING ? undefined : { value: "a".repeat(n + 1) };
      }
      case "pattern": {
        if (typeof schema.pattern !== "string") return undefined;
        let regex: RegExp;
        try {
          regex = new RegExp(schema.pattern, "u");
        } catch {
          return undefined;
        }
        return wrap(["", " ", "~", "0", "a", "!#"].find((c) => !regex.test(c)));
      }
      case "format":
        return typeof schema.format === "string" ? { value: `not a ${schema.format}` } : undefined;
      case "minItems": {
        const n = num(key);
        return n === undefined || n <= 0 || !Array.isArray(value) ? undefined : { value: value.slice(0, n - 1) };
      }
      case "maxItems": {
        const n = num(key);
        if (n === undefined || !Array.isArray(value) || value.length === 0 || n + 1 > 1000) return undefined;
        return { value: Array.from({ length: n + 1 }, (_, i): unknown => (value as unknown[])[i % value.length]) };
      }
      case "uniqueItems":
        return schema.uniqueItems === true && Array.isArray(value) && value.length > 0
          ? { value: [...(value as unknown[]), (value as unknown[])[0]] }
          : undefined;
      case "additionalProperties": {
        if (!isSchemaObject(value)) return undefined;
        const declared = isSchemaObject(schema.properties) ? Object.keys(schema.properties) : [];
        const name = unusedName([...declared, ...Object.keys(value)]).replace("unknown_event", "unexpected_field");
        return { value: { ...value, [name]: "x" }, at: name };
      }
      case "maxProperties": {
        const n = num(key);
        if (n === undefined || !isSchemaObject(value) || schema.additionalProperties === false || n + 1 > 1000) return undefined;
        const extra: Record<string, unknown> = { ...value };
        for (let i = 0; Object.keys(extra).length <= n; i++) if (!Object.hasOwn(extra, `extra_${i}`)) extra[`extra_${i}`] = "x";
        return { value: extra };
      }
      case "minProperties": {
        const n = num(key);
        if (n === undefined || n <= 0 || !isSchemaObject(value)) return undefined;
        const required = new Set(Array.isArray(schema.required) ? schema.required : []);
        const keep = Object.keys(value).filter((k) => required.has(k));
        if (keep.length >= n) return undefined;
        return { value: Object.fromEntries(Object.entries(value).filter(([k]) => required.has(k))) };
      }
      default:
        return undefined;
    }
  }
}

function wrap(value: unknown): { value: unknown } | undefined {
  return value === undefined ? undefined : { value };
}

function isOfType(value: unknown, type: string): boolean {
  switch (type) {
    case "null":
      return value === null;
    case "boolean":
      return typeof value === "boolean";
    case "string":
      return typeof value === "string";
    case "integer":
      return typeof value === "number" && Number.isInteger(value);
    case "number":
      return typeof value === "number";
    case "array":
      return Array.isArray(value);
    case "object":
      return isSchemaObject(value);
    default:
      return false;
  }
}

/** A copy of `root` with `value` at `path` (the containers on the way must exist; an array index may append). */
function setAt(root: unknown, path: Path, value: unknown): unknown {
  if (path.length === 0) return value;
  const [head, ...rest] = path;
  if (typeof head === "number") {
    if (!Array.isArray(root) || head > root.length) return undefined;
    const inner = setAt(root[head], rest, value);
    if (inner === undefined) return undefined;
    const copy = [...(root as unknown[])];
    copy[head] = inner;
    return copy;
  }
  if (!isSchemaObject(root)) return undefined;
  const inner = rest.length === 0 ? value : setAt(root[head!], rest, value);
  if (inner === undefined) return undefined;
  // fromEntries defines own properties: no key is taken for a prototype setter. A key keeps its place.
  const entries = Object.entries(root);
  return Object.fromEntries(Object.hasOwn(root, head!) ? entries.map(([k, v]) => [k, k === head ? inner : v]) : [...entries, [head!, inner]]);
}

function withoutKey(root: unknown, path: Path, key: string): unknown {
  const object = valueAt(root, path);
  if (!isSchemaObject(object) || !Object.hasOwn(object, key)) return undefined;
  return setAt(root, path, Object.fromEntries(Object.entries(object).filter(([k]) => k !== key)));
}

/** Where an Ajv error points: its instance path, and the missing or extra field it names. */
function errorPath(error: ErrorObject): Path {
  const path: Path =
    error.instancePath === ""
      ? []
      : error.instancePath
          .slice(1)
          .split("/")
          .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
  const params = error.params as { missingProperty?: string; additionalProperty?: string };
  if (params.missingProperty !== undefined) path.push(params.missingProperty);
  else if (params.additionalProperty !== undefined) path.push(params.additionalProperty);
  return path;
}

/** Whether `path` is `prefix` or below it (array indices compared as text, as Ajv gives them). */
function startsWith(path: Path, prefix: Path): boolean {
  return prefix.length <= path.length && prefix.every((segment, i) => String(segment) === String(path[i]));
}

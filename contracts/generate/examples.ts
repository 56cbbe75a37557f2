import { Ajv2020 } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import { hasBacktrackingPattern } from "../load/regex-risk.js";
import type { JsonSchema } from "../model.js";
import { embeddable, isSchemaObject, refTarget, schemaTypes } from "./schema-walk.js";

// ajv-formats is CommonJS; its default export arrives wrapped under NodeNext.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: Ajv2020) => Ajv2020;

/**
 * Example payloads for the docs: the contract's own first example, else one synthesized from the
 * schema and kept only when the schema accepts it (checked with ajv, JSON Schema 2020-12).
 */
export class ExampleMaker {
  // `validateSchema: false`: the loader has checked every schema against the 2020-12 meta-schema, and
  // compiling that meta-schema again (on each maker's first example) was a third of a `generate`'s CPU.
  private readonly ajv = new Ajv2020({ validateSchema: false, strict: false, allErrors: false, logger: false, validateFormats: true, ownProperties: true });

  private readonly definitions: Record<string, JsonSchema>;
  /** Whether a shared definition holds a pattern that may backtrack (see `mayBacktrack`); computed on first need. */
  private definitionsBacktrack: boolean | undefined;

  constructor(definitions: Record<string, JsonSchema>) {
    this.definitions = Object.fromEntries(Object.entries(definitions).map(([key, schema]) => [key, embeddable(schema)]));
    addFormats(this.ajv);
  }

  /** An example the schema accepts, or undefined when none could be found. */
  exampleFor(schema: JsonSchema, given: readonly unknown[]): { value: unknown } | undefined {
    if (given.length > 0) return { value: given[0] };
    const value = this.sample(schema, 0);
    if (value === UNSET) return undefined;
    // Checking the value against a pattern that backtracks could take exponential time: no example then.
    // (Any shared definition counts, referenced or not: a conservative shortcut.)
    this.definitionsBacktrack ??= Object.values(this.definitions).some(hasBacktrackingPattern);
    if (this.definitionsBacktrack || hasBacktrackingPattern(schema)) return undefined;
    try {
      const root = embeddable(schema);
      const validate = this.ajv.compile({ ...(isSchemaObject(root) ? root : { allOf: [root] }), $defs: this.definitions });
      return validate(value) ? { value } : undefined;
    } catch {
      return undefined;
    }
  }

  private sample(schema: JsonSchema, depth: number): unknown {
    if (schema === true) return {};
    if (!isSchemaObject(schema) || depth > 6) return UNSET;
    if (Array.isArray(schema.examples) && schema.examples.length > 0) return schema.examples[0];
    if ("const" in schema) return schema.const;
    if (Array.isArray(schema.enum)) return schema.enum.length > 0 ? schema.enum[0] : UNSET;
    if ("default" in schema) return schema.default;
    const target = refTarget(schema.$ref);
    if (target !== undefined) {
      const def = Object.hasOwn(this.definitions, target) ? this.definitions[target] : undefined;
      return def === undefined ? UNSET : this.sample(def, depth + 1);
    }
    if (Array.isArray(schema.oneOf) && schema.oneOf.length > 0) return this.sample(schema.oneOf[0] as JsonSchema, depth + 1);
    if (Array.isArray(schema.anyOf) && schema.anyOf.length > 0) return this.sample(schema.anyOf[0] as JsonSchema, depth + 1);
    if (Array.isArray(schema.allOf) && schema.allOf.length > 0) {
      const parts = schema.allOf.map((sub) => this.sample(sub as JsonSchema, depth + 1));
      if (parts.every((p) => isSchemaObject(p))) return Object.assign({}, ...parts, this.sampleType(schema, depth));
      return parts[0];
    }
    return this.sampleType(schema, depth);
  }

  private sampleType(schema: Record<string, unknown>, depth: number): unknown {
    const types =
      schemaTypes(schema) ?? (schema.properties !== undefined || schema.required !== undefined ? ["object"] : schema.items !== undefined ? ["array"] : []);
    const type = types.find((t) => t !== "null") ?? types[0];
    switch (type) {
      case "string":
        return sampleString(schema);
      case "integer":
      case "number":
        return sampleNumber(schema, type);
      case "boolean":
        return true;
      case "null":
        return null;
      case "array": {
        const item = schema.items === undefined ? "item" : this.sample(schema.items as JsonSchema, depth + 1);
        if (item === UNSET) return [];
        const count = Math.max(typeof schema.minItems === "number" ? schema.minItems : 1, 0);
        return schema.maxItems === 0 ? [] : Array.from({ length: Math.min(count, 3) || 1 }, () => item);
      }
      case "object":
        return this.sampleObject(schema, depth);
      default:
        return UNSET;
    }
  }

  private sampleObject(schema: Record<string, unknown>, depth: number): unknown {
    const properties = isSchemaObject(schema.properties) ? schema.properties : {};
    const required = new Set(Array.isArray(schema.required) ? schema.required : []);
    const entries: [string, unknown][] = [];
    for (const [name, sub] of Object.entries(properties)) {
      if (!required.has(name) && depth > 2) continue;
      const value = this.sample(sub as JsonSchema, depth + 1);
      if (value === UNSET) {
        if (required.has(name)) return UNSET;
        continue;
      }
      entries.push([name, value]);
    }
    return Object.fromEntries(entries);
  }
}

const UNSET = Symbol("unset");

const FORMAT_SAMPLES: Record<string, string> = {
  "date-time": "2024-01-01T12:00:00Z",
  date: "2024-01-01",
  time: "12:00:00Z",
  email: "user@example.com",
  uri: "https://example.com/",
  "uri-reference": "https://example.com/",
  uuid: "00000000-0000-4000-8000-000000000000",
  ipv4: "192.0.2.1",
  ipv6: "2001:db8::1",
  hostname: "example.com",
};

/**
 * The longest string a synthesized example holds: a docs example is read by people, and a schema may
 * ask for `minLength: 100000000`. Past it, the event gets no synthesized example (the docs ask for one).
 */
const MAX_SAMPLE_STRING = 200;

function sampleString(schema: Record<string, unknown>): string | typeof UNSET {
  const text = (typeof schema.format === "string" && Object.hasOwn(FORMAT_SAMPLES, schema.format) && FORMAT_SAMPLES[schema.format]) || "text";
  const min = typeof schema.minLength === "number" ? schema.minLength : 0;
  const max = typeof schema.maxLength === "number" ? schema.maxLength : Infinity;
  if (min > MAX_SAMPLE_STRING) return UNSET;
  return text.padEnd(min, "x").slice(0, max);
}

function sampleNumber(schema: Record<string, unknown>, type: string): number {
  const num = (key: string): number | undefined => (typeof schema[key] === "number" ? schema[key] : undefined);
  let value = num("minimum") ?? (num("exclusiveMinimum") !== undefined ? num("exclusiveMinimum")! + 1 : undefined) ?? 0;
  const multipleOf = num("multipleOf");
  if (multipleOf !== undefined && multipleOf > 0) value = Math.ceil(value / multipleOf) * multipleOf;
  return type === "integer" ? Math.ceil(value) : value;
}

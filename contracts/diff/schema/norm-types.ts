/** The normal form of schemas the diff compares (see normalize.ts), as types the normalizer and its helpers share. */
import type { JsonSchema } from "../../model.js";
import type { JsonObject } from "./json.js";

export type JsonType = "null" | "boolean" | "number" | "string" | "array" | "object";
export const JSON_TYPES: readonly JsonType[] = ["null", "boolean", "number", "string", "array", "object"];

/**
 * A schema and where it is written in its contract, for `contract.locate`: `["events", e, "payload",
 * ...]`, or `["definitions", name, ...]` once a `$ref` was followed.
 */
export interface Located {
  schema: JsonSchema;
  at: (string | number)[];
}

export interface Bound {
  value: number;
  exclusive: boolean;
}

export interface NumberConstraints {
  type: "number";
  integer: boolean;
  min?: Bound;
  max?: Bound;
  multipleOf: number[];
}
export interface StringConstraints {
  type: "string";
  minLength: number;
  maxLength?: number;
  patterns: string[];
  formats: string[];
}
export interface ArrayConstraints {
  type: "array";
  items: Located;
  prefixItems: Located[];
  minItems: number;
  maxItems?: number;
  unique: boolean;
}
export interface ObjectConstraints {
  type: "object";
  /** Declared properties (including names only listed in `required`), in document order. */
  properties: Map<string, Located>;
  required: Set<string>;
  additional: Located;
  minProperties: number;
  maxProperties?: number;
}
export interface PlainConstraints {
  type: "null" | "boolean";
}
export type Constraints = NumberConstraints | StringConstraints | ArrayConstraints | ObjectConstraints | PlainConstraints;

export type Variant =
  | { kind: "values"; type: JsonType; values: unknown[]; at: (string | number)[] }
  | {
      kind: "schema";
      type: JsonType;
      c: Constraints;
      /** Keywords covenant does not decompose (not, if/then/else, contains, ...), one object per source. */
      opaque: JsonObject[];
      at: (string | number)[];
    };

export interface NormSchema {
  /** Variants per accepted JSON type; a missing type is not accepted. */
  types: Map<JsonType, Variant[]>;
  /** The raw schema this is the normal form of (for checking values against it). */
  source: JsonSchema;
}

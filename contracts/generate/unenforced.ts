import type { Contract, JsonSchema, SourcePosition } from "../model.js";
import { isSchemaObject } from "./schema-walk.js";
import { isEnforcedFormat, isEnforcedKeyword } from "./zod-source.js";

/** Something the generated validators do not check although the contract says it. */
export interface GenerationWarning {
  /** The contract file. */
  file: string;
  /** Where in the contract (for a shared schema from another file: the `$ref` that brought it in). */
  position: SourcePosition;
  message: string;
}

const FIXES: Record<string, string> = {
  unevaluatedProperties: "List the properties and use `additionalProperties` in the same schema instead",
  unevaluatedItems: "Use `prefixItems` with `items` in the same schema instead",
};

/**
 * Keywords and formats in the contract's schemas that the generated zod validators cannot enforce
 * (the JSON Schema bundle still checks them): the two would disagree on some messages, so
 * `generate` says so, at the keyword.
 */
export function findUnenforced(contract: Contract): GenerationWarning[] {
  const found: { path: (string | number)[]; message: string }[] = [];
  const visit = (schema: JsonSchema, at: (string | number)[]): void => {
    if (!isSchemaObject(schema)) return;
    for (const [key, value] of Object.entries(schema)) {
      if (!isEnforcedKeyword(key)) {
        found.push({
          path: [...at, key],
          message: `\`${key}\` is not enforced by the generated validators (zod), only by the JSON Schema bundle, so they accept messages it rejects. ${FIXES[key] ?? "Express the rule with other keywords"}, or validate with the bundle.`,
        });
      }
      if (key === "format" && typeof value === "string" && !isEnforcedFormat(value)) {
        found.push({
          path: [...at, key],
          message: `format \`${value}\` is not checked by the generated validators (zod), only by the JSON Schema bundle. Add a \`pattern\` for it, or validate with the bundle.`,
        });
      }
      forEachSubschema(key, value, (sub, segments) => visit(sub, [...at, key, ...segments]));
    }
  };
  for (const [key, schema] of Object.entries(contract.definitions)) visit(schema, ["definitions", key]);
  for (const event of contract.events) visit(event.payload, ["events", event.name, "payload"]);
  const warnings = found.map(({ path, message }) => ({ file: contract.file, position: contract.locate(path), message }));
  return warnings.sort((a, b) => a.position.line - b.position.line || a.position.column - b.position.column);
}

const SCHEMA = new Set(["items", "additionalProperties", "unevaluatedItems", "unevaluatedProperties", "propertyNames", "contains", "not", "if", "then", "else"]);
const SCHEMA_ARRAY = new Set(["allOf", "anyOf", "oneOf", "prefixItems"]);
const SCHEMA_MAP = new Set(["properties", "patternProperties", "dependentSchemas"]);

function forEachSubschema(key: string, value: unknown, visit: (sub: JsonSchema, segments: (string | number)[]) => void): void {
  const isSchema = (v: unknown): v is JsonSchema => typeof v === "boolean" || isSchemaObject(v);
  if (SCHEMA.has(key) && isSchema(value)) visit(value, []);
  else if (SCHEMA_ARRAY.has(key) && Array.isArray(value)) value.forEach((sub, i) => isSchema(sub) && visit(sub, [i]));
  else if (SCHEMA_MAP.has(key) && isSchemaObject(value)) for (const [name, sub] of Object.entries(value)) if (isSchema(sub)) visit(sub, [name]);
}

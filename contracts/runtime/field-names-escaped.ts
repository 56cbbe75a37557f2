/**
 * How the validators hand a value to zod when a field the contract names is also a member of
 * `Object.prototype` (`constructor`, `toString`, ...), or when a schema needs the object rules
 * (patternProperties, additionalProperties schemas, propertyNames, min/maxProperties), which must
 * see an own `__proto__` field that zod skips: always a copy without prototypes, `__proto__` under
 * another name. The generator inlines the region into `<name>.validators.ts` in place of
 * field-names-own.ts's.
 */
import type * as FieldNamesOwn from "./field-names-own.js";

// #region field-names
/** Stands for an own `__proto__` field while zod parses: zod skips that key, so no rule would see it. */
const PROTO_FIELD = "__proto__\u0000";

/** The value zod parses: always a copy (see `forZod`). */
function zodInput(value: unknown, _inherits: boolean): unknown {
  return forZod(value);
}

/**
 * The value as the schemas read it: every object re-created without a prototype (zod would read a
 * missing `constructor` or `toString` field through the prototype chain, as a function) and an own
 * `__proto__` field under PROTO_FIELD.
 */
function forZod(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(forZod);
  if (typeof value !== "object" || value === null) return value;
  const copy = Object.create(null) as { [key: string]: unknown };
  for (const [key, item] of Object.entries(value)) copy[key === "__proto__" ? PROTO_FIELD : key] = forZod(item);
  return copy;
}

/** A field name as the message has it. */
function fieldName(key: string): string {
  return key === PROTO_FIELD ? "__proto__" : key;
}
// #endregion field-names

// The validators type-check against field-names-own.ts: this variant must take the same calls.
export const escapedFieldNames = { fieldName, zodInput } satisfies typeof FieldNamesOwn;

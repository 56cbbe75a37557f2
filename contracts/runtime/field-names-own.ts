/**
 * How the validators hand a value to zod when no field the contract names is also a member of
 * `Object.prototype` and no schema needs the object rules (see field-names-escaped.ts for the other
 * case): the value itself, or a copy of its own fields when some object in it inherits others. The
 * generator inlines the region into `<name>.validators.ts` in place of field-names-escaped.ts's.
 */

// #region field-names
/** The value zod parses: `value` itself, or a copy (see `forZod`) when some object in it inherits fields. */
function zodInput(value: unknown, inherits: boolean): unknown {
  return inherits ? forZod(value) : value;
}

/**
 * The value as the schemas read it: every object re-created from its own fields, without a prototype (zod
 * reads a field through the prototype chain, but only own fields go on the wire).
 */
function forZod(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(forZod);
  if (typeof value !== "object" || value === null) return value;
  const copy = Object.create(null) as { [key: string]: unknown };
  for (const [key, item] of Object.entries(value)) copy[key] = forZod(item);
  return copy;
}

/** A field name as the message has it (zod saw the message's own names). */
function fieldName(key: string): string {
  return key;
}
// #endregion field-names

export { fieldName, zodInput };

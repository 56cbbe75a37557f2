/**
 * The zod helpers the generated schemas call for JSON Schema keywords zod has no method for. The
 * generator inlines, after the validators' runtime, only the regions of the helpers a contract's
 * schemas use (each region is named after its helper, see contracts/generate/zod-source.ts).
 */
import type { z } from "zod";
import { fieldName } from "./field-names-own.js";
import { describeReason, formatValue, lookup, type SchemaLike } from "./validators.js";

// #region jsonEqual
/** Deep equality of JSON values (for `enum` and `const`). */
function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((item, i) => jsonEqual(item, b[i]));
  }
  const left = a as { readonly [key: string]: unknown };
  const right = b as { readonly [key: string]: unknown };
  const keys = Object.keys(left);
  return (
    keys.length === Object.keys(right).length &&
    keys.every((key) => Object.prototype.hasOwnProperty.call(right, key) && jsonEqual(left[key], right[key]))
  );
}
// #endregion jsonEqual

// #region valueIn
/** `enum` / `const` with an object or array among the values: deep equality, and the same messages as other values get. */
function valueIn(allowed: readonly unknown[], expected: string): <T>(value: T, ctx: z.core.$RefinementCtx<T>) => void {
  return (value, ctx) => {
    if (allowed.some((item) => jsonEqual(value, item))) return;
    const message =
      value === undefined
        ? `missing required field (expected ${expected})`
        : `expected ${expected}, received ${formatValue(value)}`;
    ctx.addIssue({ code: "custom", message, input: value });
  };
}
// #endregion valueIn

// #region uniqueItems
/** `uniqueItems: true`: one pass, each item keyed by its canonical JSON text (linear, where comparing pairs is quadratic). */
function uniqueItems<T extends readonly unknown[]>(items: T, ctx: z.core.$RefinementCtx<T>): void {
  const seen = new Map<string, number>();
  for (let i = 0; i < items.length; i++) {
    const key = canonicalJson(items[i]);
    const first = seen.get(key);
    if (first !== undefined) {
      ctx.addIssue({
        code: "custom",
        message: `items must be unique: item ${i} repeats item ${first}`,
        path: [i],
        input: items[i],
      });
      return;
    }
    seen.set(key, i);
  }
}

/** JSON text with every object's keys sorted: equal JSON values, and only they, give the same text. */
function canonicalJson(value: unknown): string {
  if (typeof value !== "object" || value === null) return JSON.stringify(value) ?? "undefined";
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  const record = value as { readonly [key: string]: unknown };
  const fields = Object.keys(record)
    .sort()
    .map((key) => `${JSON.stringify(key)}:${canonicalJson(record[key])}`);
  return `{${fields.join(",")}}`;
}
// #endregion uniqueItems

// #region containsRule
/** `contains` with `minContains` (default 1) and `maxContains`: how many items match the schema. */
function containsRule(
  schema: SchemaLike,
  min: number,
  max = Infinity,
): <T extends readonly unknown[]>(items: T, ctx: z.core.$RefinementCtx<T>) => void {
  return (items, ctx) => {
    const count = items.filter((item) => schema.safeParse(item).success).length;
    if (count < min) {
      ctx.addIssue({
        code: "custom",
        message: `expected at least ${min} item${min === 1 ? "" : "s"} matching the \`contains\` schema, received ${count}`,
        input: items,
      });
    } else if (count > max) {
      ctx.addIssue({
        code: "custom",
        message: `expected at most ${max} item${max === 1 ? "" : "s"} matching the \`contains\` schema, received ${count}`,
        input: items,
      });
    }
  };
}
// #endregion containsRule

// #region notRule
/** `not`: the value must fail the given schema. */
function notRule(schema: SchemaLike): <T>(value: T, ctx: z.core.$RefinementCtx<T>) => void {
  return (value, ctx) => {
    if (schema.safeParse(value).success)
      ctx.addIssue({ code: "custom", message: "must not match the `not` schema", input: value });
  };
}
// #endregion notRule

// #region forwardIssues
/** Re-reports the issues of a nested parse (run by a refinement) at their place in the outer value. */
function forwardIssues<T>(
  ctx: z.core.$RefinementCtx<T>,
  issues: readonly z.core.$ZodIssue[],
  input: unknown,
  path: readonly (string | number)[],
  what: string,
): void {
  for (const issue of issues) {
    const sub = issue.path.map((segment) => (typeof segment === "number" ? segment : String(segment)));
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) {
        ctx.addIssue({
          code: "custom",
          message: "unexpected field (the contract does not declare it)",
          path: [...path, ...sub, key],
          input,
        });
      }
      continue;
    }
    ctx.addIssue({
      code: "custom",
      message: `${what}${describeReason(issue, lookup(input, sub))}`,
      path: [...path, ...sub],
      input,
    });
  }
}
// #endregion forwardIssues

// #region conditional
/** `if` / `then` / `else`: a value that matches `if` must match `then`, any other must match `else`. */
function conditional(
  condition: SchemaLike,
  then: SchemaLike | undefined,
  otherwise: SchemaLike | undefined,
): <T>(value: T, ctx: z.core.$RefinementCtx<T>) => void {
  return (value, ctx) => {
    const matches = condition.safeParse(value).success;
    const schema = matches ? then : otherwise;
    if (schema === undefined) return;
    const result = schema.safeParse(value);
    if (!result.success)
      forwardIssues(
        ctx,
        result.error.issues,
        value,
        [],
        matches ? "when the \`if\` schema matches: " : "when the \`if\` schema does not match: ",
      );
  };
}
// #endregion conditional

// #region whenType
/** A keyword without `type` constrains only values of its type, as in JSON Schema. */
function whenType(
  type: "object" | "array" | "string" | "number",
  schema: SchemaLike,
): <T>(value: T, ctx: z.core.$RefinementCtx<T>) => void {
  return (value, ctx) => {
    const matches =
      type === "object"
        ? typeof value === "object" && value !== null && !Array.isArray(value)
        : type === "array"
          ? Array.isArray(value)
          : typeof value === type;
    if (!matches) return;
    const result = schema.safeParse(value);
    if (!result.success) forwardIssues(ctx, result.error.issues, value, [], "");
  };
}
// #endregion whenType

// #region objectRules
interface ObjectRules {
  readonly patterns?: readonly (readonly [RegExp, SchemaLike])[];
  readonly known?: readonly string[];
  readonly additional?: SchemaLike;
  readonly closed?: boolean;
  readonly names?: SchemaLike;
  readonly minProperties?: number;
  readonly maxProperties?: number;
  readonly dependentRequired?: { readonly [key: string]: readonly string[] };
  readonly dependentSchemas?: readonly (readonly [string, SchemaLike])[];
}

/** Object keywords zod has no method for: patternProperties, propertyNames, min/maxProperties, dependentRequired, dependentSchemas. */
function objectRules(rules: ObjectRules): <T>(value: T, ctx: z.core.$RefinementCtx<T>) => void {
  return (value, ctx) => {
    if (typeof value !== "object" || value === null) return;
    const record = value as { readonly [key: string]: unknown };
    const keys = Object.keys(record);
    const check = (schema: SchemaLike, input: unknown, path: readonly (string | number)[], what: string): void => {
      const result = schema.safeParse(input);
      if (!result.success) forwardIssues(ctx, result.error.issues, input, path, what);
    };
    for (const key of keys) {
      const field = fieldName(key);
      if (rules.names !== undefined) check(rules.names, field, [key], "property name: ");
      if (rules.patterns === undefined) continue;
      let matched = false;
      for (const [pattern, schema] of rules.patterns) {
        if (!pattern.test(field)) continue;
        matched = true;
        check(schema, record[key], [key], "");
      }
      if (matched || (rules.known ?? []).includes(field)) continue;
      if (rules.closed === true)
        ctx.addIssue({
          code: "custom",
          message: "unexpected field (the contract does not declare it)",
          path: [key],
          input: value,
        });
      else if (rules.additional !== undefined) check(rules.additional, record[key], [key], "");
    }
    if (rules.minProperties !== undefined && keys.length < rules.minProperties) {
      ctx.addIssue({
        code: "custom",
        message: `expected at least ${rules.minProperties} properties, received ${keys.length}`,
        input: value,
      });
    }
    if (rules.maxProperties !== undefined && keys.length > rules.maxProperties) {
      ctx.addIssue({
        code: "custom",
        message: `expected at most ${rules.maxProperties} properties, received ${keys.length}`,
        input: value,
      });
    }
    for (const [key, needed] of Object.entries(rules.dependentRequired ?? {})) {
      if (!keys.includes(key)) continue;
      for (const other of needed) {
        if (!keys.includes(other))
          ctx.addIssue({
            code: "custom",
            message: `missing required field (required when ${JSON.stringify(key)} is present)`,
            path: [other],
            input: value,
          });
      }
    }
    for (const [key, schema] of rules.dependentSchemas ?? []) {
      if (keys.includes(key)) check(schema, value, [], `when ${JSON.stringify(key)} is present: `);
    }
  };
}
// #endregion objectRules

export { conditional, containsRule, jsonEqual, notRule, objectRules, uniqueItems, valueIn, whenType };

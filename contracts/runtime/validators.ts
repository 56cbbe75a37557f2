/**
 * The validators' runtime, inlined by the generator into every `<name>.validators.ts` after the
 * contract's schemas: the parse functions, their error messages and the depth and stack guards.
 * Written for the stand-in contract (`Protocol…` names, see stand-in.ts); the generator renames
 * them to the contract's own and fills the `{{…}}` slots of the comments. Only the text between
 * the region markers is inlined.
 *
 * MAX_DEPTH: real protocol messages nest a few levels; the limit leaves zod's recursion (several
 * stack frames per level of a recursive schema) far below Node's default stack, even when the
 * validator is called deep in an application's own stack.
 */
import { z } from "zod";
import { fieldName, zodInput } from "./field-names-own.js";
import type { ProtocolEventName, ProtocolMessage, ProtocolPayloads } from "./stand-in.js";
import { PAYLOAD_FIELD, ProtocolMessageSchema, ProtocolPayloadSchemas } from "./stand-in.js";

// #region validators
export interface ProtocolValidationIssue {
  /** Where in the message, e.g. `["data", "run_id"]`. */
  readonly path: readonly (string | number)[];
  /** The path and what is wrong, e.g. `data.run_id: expected string, received number`. */
  readonly message: string;
}

export interface ProtocolValidationError {
  /** Every issue's message, joined by "; ". */
  readonly message: string;
  readonly issues: readonly ProtocolValidationIssue[];
}

/**
 * Each branch names the other's field as absent, so `result.error` and `result.data` can be read
 * after `if (!result.success)` also where `strictNullChecks` is off (narrowing then ignores truthiness).
 */
export type ProtocolParseResult<T = ProtocolMessage> =
  | { readonly success: true; readonly data: T; readonly error?: undefined }
  | { readonly success: false; readonly error: ProtocolValidationError; readonly data?: undefined };
// #endregion validators

// #region parse-message

/**
 * Validates a wire message given as JSON text or as an already parsed value (own fields only, as
 * `JSON.stringify` sends them). Objects and arrays nested deeper than 64 levels fail.
 */
export function parseProtocolMessage(raw: unknown): ProtocolParseResult {
  return parseWireMessage(raw);
}
// #endregion parse-message

// #region validators-rest

/**
 * Reads a wire message (JSON text, or an already parsed value within MAX_DEPTH) and validates it
 * against the message schema. `setAside`, given the value read, may answer first: true gives a
 * failure without issues, which the caller answers in its own way (the open union's unknown event).
 */
function parseWireMessage(raw: unknown, setAside?: (value: unknown) => boolean): ProtocolParseResult {
  return withStackGuard([], () => {
    let value: unknown = raw;
    let found = PLAIN;
    if (typeof raw === "string") {
      if (textTooDeep(raw)) return failure(tooDeep([]));
      try {
        value = JSON.parse(raw);
      } catch (error) {
        return failure([
          { path: [], message: `message: not valid JSON (${error instanceof Error ? error.message : String(error)})` },
        ]);
      }
    } else {
      found = inspect(value, 1);
      if (found === TOO_DEEP) return failure(tooDeep([]));
    }
    if (setAside?.(value) === true) return failure([]);
    // Not `{ reportInput: true }`: it makes zod's parse of a valid message several times slower, and
    // describeIssues needs no reported input (it reads the offending values from `value` by path).
    // The schemas transform nothing: a valid message is returned as it came (zod's copy would lack a `__proto__` field).
    const result = ProtocolMessageSchema.safeParse(zodInput(value, found === INHERITS));
    if (result.success) return { success: true, data: value as ProtocolMessage };
    return failure(describeIssues(result.error.issues, [], value));
  });
}

/**
 * A zod schema as the runtime uses it: only `safeParse`. Not `z.ZodType`: checking that a schema is
 * one compares zod's classes member by member, which made type-checking a generated file several times slower.
 * (Not named `…Schema`: a contract's schema constants are, and one could take the same name.)
 */
interface SchemaLike {
  safeParse(data: unknown): z.ZodSafeParseResult<unknown>;
}

/** Validates the payload of one event; issue paths start at the payload field ({{payloadField}}), which is level 2 of 64. */
export function parseProtocolPayload<E extends ProtocolEventName>(
  event: E,
  payload: unknown,
): ProtocolParseResult<ProtocolPayloads[E]> {
  const schemas: { readonly [event: string]: SchemaLike | undefined } = ProtocolPayloadSchemas;
  const schema = Object.prototype.hasOwnProperty.call(schemas, event) ? schemas[event] : undefined;
  if (schema === undefined) return failure([{ path: [], message: `unknown event ${JSON.stringify(event)}` }]);
  return withStackGuard([PAYLOAD_FIELD], () => {
    const found = inspect(payload, 2);
    if (found === TOO_DEEP) return failure(tooDeep([PAYLOAD_FIELD]));
    const result = schema.safeParse(zodInput(payload, found === INHERITS));
    if (result.success) return { success: true, data: payload as ProtocolPayloads[E] };
    return failure(describeIssues(result.error.issues, [PAYLOAD_FIELD], payload));
  });
}

function failure(issues: ProtocolValidationIssue[]): {
  readonly success: false;
  readonly error: ProtocolValidationError;
} {
  return { success: false, error: { message: issues.map((issue) => issue.message).join("; "), issues } };
}

function describeIssues(
  issues: readonly z.core.$ZodIssue[],
  prefix: readonly (string | number)[],
  root: unknown,
): ProtocolValidationIssue[] {
  const out: ProtocolValidationIssue[] = [];
  for (const issue of issues) {
    const relative = issue.path.map((segment) => (typeof segment === "number" ? segment : fieldName(String(segment))));
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) {
        const path = [...prefix, ...relative, fieldName(key)];
        out.push({ path, message: `${formatPath(path)}: unexpected field (the contract does not declare it)` });
      }
      continue;
    }
    const path = [...prefix, ...relative];
    out.push({ path, message: `${formatPath(path)}: ${describeReason(issue, lookup(root, relative))}` });
  }
  return out;
}

type Lookup = { readonly found: boolean; readonly value: unknown };

function lookup(root: unknown, path: readonly (string | number)[]): Lookup {
  let current: unknown = root;
  for (const segment of path) {
    if (typeof current !== "object" || current === null || !Object.prototype.hasOwnProperty.call(current, segment)) {
      return { found: false, value: undefined };
    }
    current = (current as { readonly [key: string]: unknown })[segment];
  }
  return { found: true, value: current };
}

function describeReason(issue: z.core.$ZodIssue, actual: Lookup): string {
  switch (issue.code) {
    case "invalid_type": {
      const expected = issue.expected === "int" ? "integer" : issue.expected;
      if (!actual.found)
        return issue.expected === "nonoptional"
          ? "missing required field"
          : `missing required field (expected ${expected})`;
      return `expected ${expected}, received ${describeType(actual.value)}`;
    }
    case "invalid_value": {
      const expected =
        issue.values.length === 1
          ? formatValue(issue.values[0])
          : `one of ${issue.values.map(formatValue).join(" | ")}`;
      if (!actual.found) return `missing required field (expected ${expected})`;
      return `expected ${expected}, received ${formatValue(actual.value)}`;
    }
    case "invalid_union": {
      if (issue.discriminator !== undefined && issue.errors.length === 0 && issue.inclusive !== false) {
        const options = (issue as { readonly options?: readonly unknown[] }).options ?? [];
        if (!actual.found) return `missing required field (expected one of ${options.map(formatValue).join(" | ")})`;
        return `expected one of ${options.map(formatValue).join(" | ")}, received ${formatValue(actual.value)}`;
      }
      if (issue.inclusive === false) return "matches more than one of the allowed shapes (oneOf needs exactly one)";
      const closest = closestBranch(issue.errors);
      if (closest === undefined) return "matches none of the allowed shapes";
      const subPath = closest.path.map((segment) => (typeof segment === "number" ? segment : String(segment)));
      const sub = describeReason(closest, lookupFrom(actual, subPath));
      return `matches none of the allowed shapes (closest: ${subPath.length > 0 ? `${formatPath(subPath)}: ` : ""}${sub})`;
    }
    case "too_small":
    case "too_big":
    case "not_multiple_of":
      return `${lowerFirst(issue.message.replace(/^(Too small|Too big|Invalid number): /, ""))}, received ${formatValue(actual.value)}`;
    case "invalid_format":
      return issue.format === "regex"
        ? `expected a string matching ${issue.pattern ?? "the pattern"}, received ${formatValue(actual.value)}`
        : `expected a valid ${issue.format}, received ${formatValue(actual.value)}`;
    default:
      return lowerFirst(issue.message);
  }
}

function lookupFrom(base: Lookup, path: readonly (string | number)[]): Lookup {
  return base.found ? lookup(base.value, path) : base;
}

/** The union branch that got furthest into the value (longest issue path, then fewest issues). */
function closestBranch(branches: readonly (readonly z.core.$ZodIssue[])[]): z.core.$ZodIssue | undefined {
  let best: readonly z.core.$ZodIssue[] | undefined;
  let bestDepth = -1;
  for (const branch of branches) {
    const depth = Math.max(-1, ...branch.map((issue) => issue.path.length));
    if (depth > bestDepth || (depth === bestDepth && best !== undefined && branch.length < best.length)) {
      best = branch;
      bestDepth = depth;
    }
  }
  return best?.[0];
}

function formatPath(path: readonly (string | number)[]): string {
  if (path.length === 0) return "message";
  let text = "";
  for (const segment of path) {
    if (typeof segment === "number") text += `[${segment}]`;
    else if (/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(segment)) text += text === "" ? segment : `.${segment}`;
    else text += `[${JSON.stringify(segment)}]`;
  }
  return text;
}

function describeType(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number" && !Number.isInteger(value)) return `number (${value})`;
  return typeof value;
}

function formatValue(value: unknown): string {
  if (value === undefined) return "undefined";
  if (typeof value === "object" && value !== null) return Array.isArray(value) ? "array" : "object";
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function lowerFirst(text: string): string {
  return text.length === 0 ? text : text[0]!.toLowerCase() + text.slice(1);
}

/**
 * How deeply objects and arrays may nest in a message (the message object is level 1, its payload
 * level 2). Deeper input is refused before zod sees it: a recursive schema would otherwise recurse
 * once per level and overflow the stack, and `JSON.parse` slows down super-linearly with depth.
 */
const MAX_DEPTH = 64;

/** Whether JSON text opens more than MAX_DEPTH nested objects or arrays (stops at the first one too deep). */
function textTooDeep(text: string): boolean {
  // Each level opens a bracket: most messages have fewer than MAX_DEPTH in all, which indexOf
  // counts many times faster than the character loop below.
  let opening = 0;
  for (let i = text.indexOf("{"); i >= 0 && opening <= MAX_DEPTH; i = text.indexOf("{", i + 1)) opening++;
  for (let i = text.indexOf("["); i >= 0 && opening <= MAX_DEPTH; i = text.indexOf("[", i + 1)) opening++;
  if (opening <= MAX_DEPTH) return false;
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      // A backslash escapes the next character; a quote ends the string.
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > MAX_DEPTH) return true;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
}

/** What `inspect` found: nothing special, an object with a prototype other than Object.prototype or null, or nesting past MAX_DEPTH. */
const PLAIN = 0;
const INHERITS = 1;
const TOO_DEEP = 2;

/** Walks an already parsed value (at most MAX_DEPTH levels down, so a cycle ends too). */
function inspect(value: unknown, depth: number): number {
  if (typeof value !== "object" || value === null) return PLAIN;
  if (depth > MAX_DEPTH) return TOO_DEEP;
  let found = PLAIN;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const inner = inspect(value[i], depth + 1);
      if (inner === TOO_DEEP) return inner;
      found |= inner;
    }
    return found;
  }
  const prototype: unknown = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) found = INHERITS;
  const record = value as { readonly [key: string]: unknown };
  for (const key in record) {
    if (!Object.prototype.hasOwnProperty.call(record, key)) continue;
    const inner = inspect(record[key], depth + 1);
    if (inner === TOO_DEEP) return inner;
    found |= inner;
  }
  return found;
}

function tooDeep(path: readonly (string | number)[]): ProtocolValidationIssue[] {
  return [
    {
      path,
      message: `${formatPath(path)}: objects and arrays nest deeper than ${MAX_DEPTH} levels (the limit of these validators)`,
    },
  ];
}

/**
 * Runs a parse; a stack overflow (a value that needs more stack than is left) is a failure, not an
 * exception. The catch calls no function: with the stack nearly used up, a call could overflow again.
 */
function withStackGuard<T>(
  path: readonly (string | number)[],
  parse: () => ProtocolParseResult<T>,
): ProtocolParseResult<T> {
  const where = formatPath(path);
  try {
    return parse();
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    const message = `${where}: could not be validated (${error.message})`;
    return { success: false, error: { message, issues: [{ path, message }] } };
  }
}
// #endregion validators-rest

// For the zod helpers (zod-helpers.ts) and the open union's parse-message (parse-message-open.ts), which the generated file has in the same scope.
export { describeReason, formatValue, lookup, parseWireMessage, type SchemaLike };

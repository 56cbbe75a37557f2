import type { Contract } from "../model.js";
import { buildGenerationModel, headerLine, objectKey, type DefinitionNames, type GenerationModel, type GenerationOptions } from "./names.js";
import { collectRefs, isSchemaObject, walkSchema } from "./schema-walk.js";
import { formatTypeScript } from "./format.js";
import { zodSource, type ZodHelper, type ZodSourceContext } from "./zod-source.js";

/**
 * `<name>.validators.ts`: a zod v4 schema per shared definition and payload, the wire-message
 * union, `parse<Name>Message(raw)` and `parse<Name>Payload(event, payload)`, whose failures say
 * which field is wrong and why (`data.run_id: expected string, received number`).
 */
export async function emitValidators(contract: Contract, options: GenerationOptions): Promise<string> {
  const model = buildGenerationModel(contract, options);
  const { api } = model;
  const refNames = new Map(model.definitions.map((d) => [d.key, d.schemaName]));
  const ctx: ZodSourceContext = { refName: (key) => refNames.get(key), helpers: new Set<ZodHelper>(), unsupported: new Set<string>() };

  const definitionLines: string[] = [];
  for (const def of declarationOrder(model)) {
    const expr = zodSource(def.schema, ctx, def.typeName);
    definitionLines.push(`/** Shared definition \`${def.key}\`. */`);
    definitionLines.push(
      def.recursive
        ? `export const ${def.schemaName}: z.ZodType<unknown> = z.lazy(() => ${expr});`
        : `export const ${def.schemaName} = ${expr};`,
    );
    definitionLines.push("");
  }
  const payloadLines: string[] = [];
  for (const names of model.events) {
    const { event } = names;
    payloadLines.push(`/** Payload of \`${event.name}\` (${event.direction}; allowed in ${event.states.join(", ") || "no state"}). */`);
    payloadLines.push(`export const ${names.schemaName} = ${zodSource(event.payload, ctx, names.typeName)};`, "");
  }

  const { discriminator, payloadField } = contract.envelope;
  const messageMembers = model.events.map(
    (e) => `  z.strictObject({ ${objectKey(discriminator)}: z.literal(${JSON.stringify(e.event.name)}), ${objectKey(payloadField)}: ${e.schemaName} }),`,
  );
  const messageSchema =
    messageMembers.length === 0 ? "z.never()" : `z.discriminatedUnion(${JSON.stringify(discriminator)}, [\n${messageMembers.join("\n")}\n])`;

  const out: string[] = [`// ${headerLine(model.source)}`];
  if (ctx.unsupported.size > 0) {
    out.push("//");
    out.push("// Not enforced by these validators (no zod equivalent; checked by the JSON Schema bundle only):");
    for (const item of [...ctx.unsupported].sort()) out.push(`//   ${item.replace(/[\r\n\u2028\u2029]/g, " ")}`);
  }
  out.push(`import { z } from "zod";`);
  out.push(`import type { ${[api.eventName, api.message, api.payloads].sort().join(", ")} } from "./${model.fileStem}.types.js";`, "");
  for (const line of [...definitionLines, ...payloadLines]) out.push(line);
  out.push(`/** The payload schema of every event, by event name. */`);
  out.push(`export const ${api.payloadSchemas} = {`);
  for (const e of model.events) out.push(`  ${objectKey(e.event.name)}: ${e.schemaName},`);
  out.push(`} as const;`, "");
  out.push(`/** A wire message \`{ ${discriminator}, ${payloadField} }\` of any event. */`);
  out.push(`export const ${api.messageSchema} = ${messageSchema};`, "");
  // zod skips an own `__proto__` field, so objectRules (patternProperties, additionalProperties
  // schemas, propertyNames, min/maxProperties) would not see it: the values are prepared for zod.
  out.push(runtimeSource(model, namesInheritedField(model) || ctx.helpers.has("objectRules")));
  for (const helper of HELPER_ORDER) if (ctx.helpers.has(helper)) out.push(HELPERS[helper]);
  return formatTypeScript(out.join("\n"));
}

/** The directions some event flows in whose union the contract declares open. */
function openSides(contract: GenerationModel["contract"]): ("server-to-client" | "client-to-server")[] {
  return (["server-to-client", "client-to-server"] as const).filter(
    (side) => contract.openness?.events[side] === "open" && contract.events.some((e) => e.direction === side || e.direction === "both"),
  );
}

/** What \`parse<Name>Message\` returns for an event name an open union does not know: not a validation failure. */
const UNKNOWN_EVENT_RESULT = `
  | { readonly success: false; readonly unknown: { readonly event: string }; readonly data?: undefined; readonly error?: undefined }`;

function unknownEventSource(model: GenerationModel): string {
  const { api, contract } = model;
  const open = openSides(contract);
  return `
/**
 * Directions whose event union is open: a receiver ignores an event name it does not know. Without a
 * direction, a name is unknown (rather than invalid) only when every union is open.
 */
const OPEN_UNIONS: { readonly "server-to-client": boolean; readonly "client-to-server": boolean } = { "server-to-client": ${open.includes("server-to-client")}, "client-to-server": ${open.includes("client-to-server")} };

/** The event name of a message whose name the contract does not declare, when that union is open. */
function unknownEventOf(value: unknown, direction: "server-to-client" | "client-to-server" | undefined): string | undefined {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined;
  if (!Object.prototype.hasOwnProperty.call(value, ${JSON.stringify(contract.envelope.discriminator)})) return undefined;
  const event: unknown = (value as { readonly [field: string]: unknown })[${JSON.stringify(contract.envelope.discriminator)}];
  if (typeof event !== "string" || Object.prototype.hasOwnProperty.call(${api.payloadSchemas}, event)) return undefined;
  const open = direction === undefined ? OPEN_UNIONS["server-to-client"] && OPEN_UNIONS["client-to-server"] : OPEN_UNIONS[direction];
  return open ? event : undefined;
}
`;
}

/**
 * How deeply objects and arrays may nest in a message the generated validators accept (the
 * message is level 1). Real protocol messages nest a few levels; the limit leaves zod's recursion
 * (several stack frames per level of a recursive schema) far below Node's default stack, even
 * when the validator is called deep in an application's own stack.
 */
export const MAX_DEPTH = 64;

/**
 * Definitions in dependency order (depth-first, post-order, keys sorted), so every schema constant
 * is declared before a non-recursive schema reads it; a cycle's members defer their bodies with
 * `z.lazy`, which makes the order inside a cycle irrelevant.
 */
function declarationOrder(model: GenerationModel): DefinitionNames[] {
  const byKey = new Map(model.definitions.map((d) => [d.key, d]));
  const done = new Set<string>();
  const order: DefinitionNames[] = [];
  const visit = (def: DefinitionNames): void => {
    if (done.has(def.key)) return;
    done.add(def.key);
    for (const key of [...collectRefs(def.schema)].sort()) {
      const target = byKey.get(key);
      if (target !== undefined) visit(target);
    }
    order.push(def);
  };
  for (const def of model.definitions) visit(def);
  return order;
}

/**
 * Whether some field the contract names is also a member of `Object.prototype` (`constructor`,
 * `toString`, ...): zod reads a field through the prototype chain, so a message without such a
 * field would be read as having a function there. The validators then parse a copy whose objects
 * have no prototype.
 */
function namesInheritedField(model: GenerationModel): boolean {
  const inherited = (name: unknown): boolean => typeof name === "string" && name in Object.prototype;
  const { envelope } = model.contract;
  if (inherited(envelope.discriminator) || inherited(envelope.payloadField)) return true;
  let found = false;
  const schemas = [...model.definitions.map((d) => d.schema), ...model.events.map((e) => e.event.payload)];
  for (const schema of schemas) {
    walkSchema(schema, (node) => {
      if (isSchemaObject(node.properties) && Object.keys(node.properties).some(inherited)) found = true;
      if (Array.isArray(node.required) && node.required.some(inherited)) found = true;
      if (isSchemaObject(node.dependentRequired)) {
        for (const [key, needed] of Object.entries(node.dependentRequired)) {
          if (inherited(key) || (Array.isArray(needed) && needed.some(inherited))) found = true;
        }
      }
    });
  }
  return found;
}

function runtimeSource(model: GenerationModel, prepare: boolean): string {
  const { api, contract } = model;
  // An open event union (docs/contract-format.md#openness): an unknown event name is its own result.
  const openUnions = openSides(contract).length > 0;
  const payloadField = JSON.stringify(contract.envelope.payloadField);
  const name = (key: string) => (prepare ? `fieldName(${key})` : key);
  const copyComment = prepare
    ? `every object re-created without a prototype (zod would read a
 * missing \`constructor\` or \`toString\` field through the prototype chain, as a function) and an own
 * \`__proto__\` field under PROTO_FIELD`
    : `every object re-created from its own fields, without a prototype (zod
 * reads a field through the prototype chain, but only own fields go on the wire)`;
  const protoField = prepare
    ? `
/** Stands for an own \`__proto__\` field while zod parses: zod skips that key, so no rule would see it. */
const PROTO_FIELD = "__proto__\\u0000";
`
    : "";
  const fieldNameSource = prepare
    ? `
/** A field name as the message has it. */
function fieldName(key: string): string {
  return key === PROTO_FIELD ? "__proto__" : key;
}
`
    : "";
  const runtimeHelpers = `${protoField}
/**
 * How deeply objects and arrays may nest in a message (the message object is level 1, its payload
 * level 2). Deeper input is refused before zod sees it: a recursive schema would otherwise recurse
 * once per level and overflow the stack, and \`JSON.parse\` slows down super-linearly with depth.
 */
const MAX_DEPTH = ${MAX_DEPTH};

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

/** What \`inspect\` found: nothing special, an object with a prototype other than Object.prototype or null, or nesting past MAX_DEPTH. */
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

function tooDeep(path: readonly (string | number)[]): ${api.validationIssue}[] {
  return [{ path, message: \`\${formatPath(path)}: objects and arrays nest deeper than \${MAX_DEPTH} levels (the limit of these validators)\` }];
}

/**
 * Runs a parse; a stack overflow (a value that needs more stack than is left) is a failure, not an
 * exception. The catch calls no function: with the stack nearly used up, a call could overflow again.
 */
function withStackGuard<T>(path: readonly (string | number)[], parse: () => ${api.parseResult}<T>): ${api.parseResult}<T> {
  const where = formatPath(path);
  try {
    return parse();
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    const message = \`\${where}: could not be validated (\${error.message})\`;
    return { success: false, error: { message, issues: [{ path, message }] } };
  }
}

/**
 * The value as the schemas read it: ${copyComment}.
 */
function forZod(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(forZod);
  if (typeof value !== "object" || value === null) return value;
  const copy = Object.create(null) as { [key: string]: unknown };
  for (const [key, item] of Object.entries(value)) copy[${prepare ? `key === "__proto__" ? PROTO_FIELD : key` : "key"}] = forZod(item);
  return copy;
}
${fieldNameSource}`;
  return `export interface ${api.validationIssue} {
  /** Where in the message, e.g. \`["data", "run_id"]\`. */
  readonly path: readonly (string | number)[];
  /** The path and what is wrong, e.g. \`data.run_id: expected string, received number\`. */
  readonly message: string;
}

export interface ${api.validationError} {
  /** Every issue's message, joined by "; ". */
  readonly message: string;
  readonly issues: readonly ${api.validationIssue}[];
}

/**
 * Each branch names the other's field as absent, so \`result.error\` and \`result.data\` can be read
 * after \`if (!result.success)\` also where \`strictNullChecks\` is off (narrowing then ignores truthiness).
 */
export type ${api.parseResult}<T = ${api.message}> =
  | { readonly success: true; readonly data: T; readonly error?: undefined }
  | { readonly success: false; readonly error: ${api.validationError}; readonly data?: undefined };

/**
 * Validates a wire message given as JSON text or as an already parsed value (own fields only, as
 * \`JSON.stringify\` sends them). Objects and arrays nested deeper than ${MAX_DEPTH} levels fail.
 */
export function ${api.parseMessage}(${openUnions ? `raw: unknown, direction?: "server-to-client" | "client-to-server"` : "raw: unknown"}): ${api.parseResult}${openUnions ? UNKNOWN_EVENT_RESULT : ""} {
${openUnions ? "  let unknownEvent: string | undefined;\n  const result = " : "  return "}withStackGuard([], ${openUnions ? `(): ${api.parseResult} =>` : "() =>"} {
    let value: unknown = raw;
    let found = PLAIN;
    if (typeof raw === "string") {
      if (textTooDeep(raw)) return failure(tooDeep([]));
      try {
        value = JSON.parse(raw);
      } catch (error) {
        return failure([{ path: [], message: \`message: not valid JSON (\${error instanceof Error ? error.message : String(error)})\` }]);
      }
    } else {
      found = inspect(value, 1);
      if (found === TOO_DEEP) return failure(tooDeep([]));
    }
    // Not \`{ reportInput: true }\`: it makes zod's parse of a valid message several times slower, and
    // describeIssues needs no reported input (it reads the offending values from \`value\` by path).
    // The schemas transform nothing: a valid message is returned as it came (zod's copy would lack a \`__proto__\` field).
${openUnions ? "    unknownEvent = unknownEventOf(value, direction);\n    if (unknownEvent !== undefined) return failure([]); // answered below: not a validation failure\n" : ""}    const result = ${api.messageSchema}.safeParse(${prepare ? "forZod(value)" : "found === INHERITS ? forZod(value) : value"});
    if (result.success) return { success: true, data: value as ${api.message} };
    return failure(describeIssues(result.error.issues, [], value));
  });
${openUnions ? "  return unknownEvent === undefined ? result : { success: false, unknown: { event: unknownEvent } };\n" : ""}}
${openUnions ? unknownEventSource(model) : ""}
/** Validates the payload of one event; issue paths start at the payload field (${payloadField}), which is level 2 of ${MAX_DEPTH}. */
export function ${api.parsePayload}<E extends ${api.eventName}>(event: E, payload: unknown): ${api.parseResult}<${api.payloads}[E]> {
  const schemas: { readonly [event: string]: z.ZodType<unknown> | undefined } = ${api.payloadSchemas};
  const schema = Object.prototype.hasOwnProperty.call(schemas, event) ? schemas[event] : undefined;
  if (schema === undefined) return failure([{ path: [], message: \`unknown event \${JSON.stringify(event)}\` }]);
  return withStackGuard([${payloadField}], () => {
    const found = inspect(payload, 2);
    if (found === TOO_DEEP) return failure(tooDeep([${payloadField}]));
    const result = schema.safeParse(${prepare ? "forZod(payload)" : "found === INHERITS ? forZod(payload) : payload"});
    if (result.success) return { success: true, data: payload as ${api.payloads}[E] };
    return failure(describeIssues(result.error.issues, [${payloadField}], payload));
  });
}

function failure(issues: ${api.validationIssue}[]): { readonly success: false; readonly error: ${api.validationError} } {
  return { success: false, error: { message: issues.map((issue) => issue.message).join("; "), issues } };
}

function describeIssues(issues: readonly z.core.$ZodIssue[], prefix: readonly (string | number)[], root: unknown): ${api.validationIssue}[] {
  const out: ${api.validationIssue}[] = [];
  for (const issue of issues) {
    const relative = issue.path.map((segment) => (typeof segment === "number" ? segment : ${name("String(segment)")}));
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) {
        const path = [...prefix, ...relative, ${name("key")}];
        out.push({ path, message: \`\${formatPath(path)}: unexpected field (the contract does not declare it)\` });
      }
      continue;
    }
    const path = [...prefix, ...relative];
    out.push({ path, message: \`\${formatPath(path)}: \${describeReason(issue, lookup(root, relative))}\` });
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
      if (!actual.found) return issue.expected === "nonoptional" ? "missing required field" : \`missing required field (expected \${expected})\`;
      return \`expected \${expected}, received \${describeType(actual.value)}\`;
    }
    case "invalid_value": {
      const expected = issue.values.length === 1 ? formatValue(issue.values[0]) : \`one of \${issue.values.map(formatValue).join(" | ")}\`;
      if (!actual.found) return \`missing required field (expected \${expected})\`;
      return \`expected \${expected}, received \${formatValue(actual.value)}\`;
    }
    case "invalid_union": {
      if (issue.discriminator !== undefined && issue.errors.length === 0 && issue.inclusive !== false) {
        const options = (issue as { readonly options?: readonly unknown[] }).options ?? [];
        if (!actual.found) return \`missing required field (expected one of \${options.map(formatValue).join(" | ")})\`;
        return \`expected one of \${options.map(formatValue).join(" | ")}, received \${formatValue(actual.value)}\`;
      }
      if (issue.inclusive === false) return "matches more than one of the allowed shapes (oneOf needs exactly one)";
      const closest = closestBranch(issue.errors);
      if (closest === undefined) return "matches none of the allowed shapes";
      const subPath = closest.path.map((segment) => (typeof segment === "number" ? segment : String(segment)));
      const sub = describeReason(closest, lookupFrom(actual, subPath));
      return \`matches none of the allowed shapes (closest: \${subPath.length > 0 ? \`\${formatPath(subPath)}: \` : ""}\${sub})\`;
    }
    case "too_small":
    case "too_big":
    case "not_multiple_of":
      return \`\${lowerFirst(issue.message.replace(/^(Too small|Too big|Invalid number): /, ""))}, received \${formatValue(actual.value)}\`;
    case "invalid_format":
      return issue.format === "regex"
        ? \`expected a string matching \${issue.pattern ?? "the pattern"}, received \${formatValue(actual.value)}\`
        : \`expected a valid \${issue.format}, received \${formatValue(actual.value)}\`;
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
    if (typeof segment === "number") text += \`[\${segment}]\`;
    else if (/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(segment)) text += text === "" ? segment : \`.\${segment}\`;
    else text += \`[\${JSON.stringify(segment)}]\`;
  }
  return text;
}

function describeType(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number" && !Number.isInteger(value)) return \`number (\${value})\`;
  return typeof value;
}

function formatValue(value: unknown): string {
  if (value === undefined) return "undefined";
  if (typeof value === "object" && value !== null) return Array.isArray(value) ? "array" : "object";
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? \`\${text.slice(0, 57)}...\` : text;
}

function lowerFirst(text: string): string {
  return text.length === 0 ? text : text[0]!.toLowerCase() + text.slice(1);
}
${runtimeHelpers}`;
}

const HELPER_ORDER: ZodHelper[] = ["jsonEqual", "valueIn", "uniqueItems", "containsRule", "notRule", "forwardIssues", "conditional", "whenType", "objectRules"];

const HELPERS: Record<ZodHelper, string> = {
  jsonEqual: `
/** Deep equality of JSON values (for \`enum\` and \`const\`). */
function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((item, i) => jsonEqual(item, b[i]));
  }
  const left = a as { readonly [key: string]: unknown };
  const right = b as { readonly [key: string]: unknown };
  const keys = Object.keys(left);
  return keys.length === Object.keys(right).length && keys.every((key) => Object.prototype.hasOwnProperty.call(right, key) && jsonEqual(left[key], right[key]));
}`,
  valueIn: `
/** \`enum\` / \`const\` with an object or array among the values: deep equality, and the same messages as other values get. */
function valueIn(allowed: readonly unknown[], expected: string): <T>(value: T, ctx: z.core.$RefinementCtx<T>) => void {
  return (value, ctx) => {
    if (allowed.some((item) => jsonEqual(value, item))) return;
    const message = value === undefined ? \`missing required field (expected \${expected})\` : \`expected \${expected}, received \${formatValue(value)}\`;
    ctx.addIssue({ code: "custom", message, input: value });
  };
}`,
  uniqueItems: `
/** \`uniqueItems: true\`: one pass, each item keyed by its canonical JSON text (linear, where comparing pairs is quadratic). */
function uniqueItems<T extends readonly unknown[]>(items: T, ctx: z.core.$RefinementCtx<T>): void {
  const seen = new Map<string, number>();
  for (let i = 0; i < items.length; i++) {
    const key = canonicalJson(items[i]);
    const first = seen.get(key);
    if (first !== undefined) {
      ctx.addIssue({ code: "custom", message: \`items must be unique: item \${i} repeats item \${first}\`, path: [i], input: items[i] });
      return;
    }
    seen.set(key, i);
  }
}

/** JSON text with every object's keys sorted: equal JSON values, and only they, give the same text. */
function canonicalJson(value: unknown): string {
  if (typeof value !== "object" || value === null) return JSON.stringify(value) ?? "undefined";
  if (Array.isArray(value)) return \`[\${value.map(canonicalJson).join(",")}]\`;
  const record = value as { readonly [key: string]: unknown };
  const fields = Object.keys(record)
    .sort()
    .map((key) => \`\${JSON.stringify(key)}:\${canonicalJson(record[key])}\`);
  return \`{\${fields.join(",")}}\`;
}`,
  notRule: `
/** \`not\`: the value must fail the given schema. */
function notRule(schema: z.ZodType<unknown>): <T>(value: T, ctx: z.core.$RefinementCtx<T>) => void {
  return (value, ctx) => {
    if (schema.safeParse(value).success) ctx.addIssue({ code: "custom", message: "must not match the \`not\` schema", input: value });
  };
}`,
  containsRule: `
/** \`contains\` with \`minContains\` (default 1) and \`maxContains\`: how many items match the schema. */
function containsRule(schema: z.ZodType<unknown>, min: number, max = Infinity): <T extends readonly unknown[]>(items: T, ctx: z.core.$RefinementCtx<T>) => void {
  return (items, ctx) => {
    const count = items.filter((item) => schema.safeParse(item).success).length;
    if (count < min) {
      ctx.addIssue({ code: "custom", message: \`expected at least \${min} item\${min === 1 ? "" : "s"} matching the \\\`contains\\\` schema, received \${count}\`, input: items });
    } else if (count > max) {
      ctx.addIssue({ code: "custom", message: \`expected at most \${max} item\${max === 1 ? "" : "s"} matching the \\\`contains\\\` schema, received \${count}\`, input: items });
    }
  };
}`,
  conditional: `
/** \`if\` / \`then\` / \`else\`: a value that matches \`if\` must match \`then\`, any other must match \`else\`. */
function conditional(
  condition: z.ZodType<unknown>,
  then: z.ZodType<unknown> | undefined,
  otherwise: z.ZodType<unknown> | undefined,
): <T>(value: T, ctx: z.core.$RefinementCtx<T>) => void {
  return (value, ctx) => {
    const matches = condition.safeParse(value).success;
    const schema = matches ? then : otherwise;
    if (schema === undefined) return;
    const result = schema.safeParse(value);
    if (!result.success) forwardIssues(ctx, result.error.issues, value, [], matches ? "when the \\\`if\\\` schema matches: " : "when the \\\`if\\\` schema does not match: ");
  };
}`,
  forwardIssues: `
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
        ctx.addIssue({ code: "custom", message: "unexpected field (the contract does not declare it)", path: [...path, ...sub, key], input });
      }
      continue;
    }
    ctx.addIssue({ code: "custom", message: \`\${what}\${describeReason(issue, lookup(input, sub))}\`, path: [...path, ...sub], input });
  }
}`,
  whenType: `
/** A keyword without \`type\` constrains only values of its type, as in JSON Schema. */
function whenType(type: "object" | "array" | "string" | "number", schema: z.ZodType<unknown>): <T>(value: T, ctx: z.core.$RefinementCtx<T>) => void {
  return (value, ctx) => {
    const matches =
      type === "object" ? typeof value === "object" && value !== null && !Array.isArray(value) : type === "array" ? Array.isArray(value) : typeof value === type;
    if (!matches) return;
    const result = schema.safeParse(value);
    if (!result.success) forwardIssues(ctx, result.error.issues, value, [], "");
  };
}`,
  objectRules: `
interface ObjectRules {
  readonly patterns?: readonly (readonly [RegExp, z.ZodType<unknown>])[];
  readonly known?: readonly string[];
  readonly additional?: z.ZodType<unknown>;
  readonly closed?: boolean;
  readonly names?: z.ZodType<unknown>;
  readonly minProperties?: number;
  readonly maxProperties?: number;
  readonly dependentRequired?: { readonly [key: string]: readonly string[] };
  readonly dependentSchemas?: readonly (readonly [string, z.ZodType<unknown>])[];
}

/** Object keywords zod has no method for: patternProperties, propertyNames, min/maxProperties, dependentRequired, dependentSchemas. */
function objectRules(rules: ObjectRules): <T>(value: T, ctx: z.core.$RefinementCtx<T>) => void {
  return (value, ctx) => {
    if (typeof value !== "object" || value === null) return;
    const record = value as { readonly [key: string]: unknown };
    const keys = Object.keys(record);
    const check = (schema: z.ZodType<unknown>, input: unknown, path: readonly (string | number)[], what: string): void => {
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
      if (rules.closed === true) ctx.addIssue({ code: "custom", message: "unexpected field (the contract does not declare it)", path: [key], input: value });
      else if (rules.additional !== undefined) check(rules.additional, record[key], [key], "");
    }
    if (rules.minProperties !== undefined && keys.length < rules.minProperties) {
      ctx.addIssue({ code: "custom", message: \`expected at least \${rules.minProperties} properties, received \${keys.length}\`, input: value });
    }
    if (rules.maxProperties !== undefined && keys.length > rules.maxProperties) {
      ctx.addIssue({ code: "custom", message: \`expected at most \${rules.maxProperties} properties, received \${keys.length}\`, input: value });
    }
    for (const [key, needed] of Object.entries(rules.dependentRequired ?? {})) {
      if (!keys.includes(key)) continue;
      for (const other of needed) {
        if (!keys.includes(other)) ctx.addIssue({ code: "custom", message: \`missing required field (required when \${JSON.stringify(key)} is present)\`, path: [other], input: value });
      }
    }
    for (const [key, schema] of rules.dependentSchemas ?? []) {
      if (keys.includes(key)) check(schema, value, [], \`when \${JSON.stringify(key)} is present: \`);
    }
  };
}`,
};

import { compile } from "json-schema-to-typescript";
import type { Contract, JsonSchema } from "../model.js";
import { buildGenerationModel, headerLine, propertyKey, type GenerationModel, type GenerationOptions } from "./names.js";
import { formatTypeScript, PRETTIER_OPTIONS } from "./format.js";
import { isSchemaObject, mapChildren, refTo, schemaTypes, type SchemaObject } from "./schema-walk.js";

/**
 * `<name>.types.ts`: payload interfaces (json-schema-to-typescript), the event-name, state,
 * transition and wire-message unions. Type-only: importing it costs nothing at run time.
 */
export async function emitTypes(contract: Contract, options: GenerationOptions): Promise<string> {
  const model = buildGenerationModel(contract, options);
  const payloadTypes = await compilePayloadTypes(model);
  const { api, events } = model;
  const { discriminator, payloadField } = contract.envelope;
  const lines: string[] = [`// ${headerLine(model.source)}`, ""];
  lines.push(payloadTypes.trimEnd(), "");
  lines.push(`/** Every event of the ${contract.name} contract. */`);
  lines.push(`export type ${api.eventName} = ${union(events.map((e) => JSON.stringify(e.event.name)))};`, "");
  lines.push(`/** The states of the ${contract.name} connection lifecycle. */`);
  lines.push(`export type ${api.state} = ${union(contract.lifecycle.states.map((s) => JSON.stringify(s.name)))};`, "");
  const finals = contract.lifecycle.states.filter((s) => s.final).map((s) => JSON.stringify(s.name));
  lines.push(`/** States the connection never leaves. */`);
  lines.push(`export type ${api.finalState} = ${union(finals)};`, "");
  const transitions = [...new Set(contract.lifecycle.states.flatMap((s) => Object.keys(s.on)))].map((t) => JSON.stringify(t));
  lines.push(`/** Transition names of the lifecycle. */`);
  lines.push(`export type ${api.transition} = ${union(transitions)};`, "");
  const fieldType = new Map(model.envelopeFields.map((f) => [f.name, f.typeName]));
  const carried = (e: (typeof events)[number]): string => (e.event.fields ?? []).map((f) => `; ${propertyKey(f)}: ${fieldType.get(f)!}`).join("");
  const extra = model.envelopeFields.length > 0 ? `, ${model.envelopeFields.map((f) => f.name).join(", ")} (per event)` : "";
  lines.push(`/** A wire message: \`{ ${discriminator}: event, ${payloadField}: payload${extra} }\`, discriminated by \`${discriminator}\`. */`);
  const members = events.map(
    (e) =>
      `{ ${propertyKey(discriminator)}: ${JSON.stringify(e.event.name)}; ${propertyKey(payloadField)}${e.event.payloadOptional ? "?" : ""}: ${e.typeName}${carried(e)} }`,
  );
  lines.push(`export type ${api.message} =${members.length === 0 ? " never" : members.map((m) => `\n  | ${m}`).join("")};`, "");
  lines.push(`/** The wire message of one event. */`);
  lines.push(`export type ${api.messageOf}<E extends ${api.eventName}> = Extract<${api.message}, { ${propertyKey(discriminator)}: E }>;`, "");
  if (model.envelopeFields.length > 0) {
    lines.push(`/** The envelope fields each event's message carries beside the payload. */`);
    lines.push(`export interface ${api.envelopeFields} {`);
    for (const e of events) {
      const fields = (e.event.fields ?? []).map((f) => `${propertyKey(f)}: ${fieldType.get(f)!}`);
      lines.push(`  ${propertyKey(e.event.name)}: ${fields.length === 0 ? "{ readonly [field: string]: never }" : `{ ${fields.join("; ")} }`};`);
    }
    lines.push(`}`, "");
    lines.push(`/** The envelope-field argument of \`emit\`: required when the event carries fields, else optional. */`);
    lines.push(
      `export type ${api.envelopeFieldsArg}<E extends ${api.eventName}> = Record<never, never> extends ${api.envelopeFields}[E] ? [fields?: ${api.envelopeFields}[E]] : [fields: ${api.envelopeFields}[E]];`,
      "",
    );
  }
  return formatTypeScript(lines.join("\n"));
}

function union(members: string[]): string {
  return members.length === 0 ? "never" : members.join(" | ");
}

/**
 * One json-schema-to-typescript run over a root schema whose properties are the payloads, so
 * shared definitions are declared once and the root becomes the `<Name>Payloads` map.
 */
async function compilePayloadTypes(model: GenerationModel): Promise<string> {
  // fromEntries defines own properties: no name is taken for a prototype setter.
  const $defs: SchemaObject = Object.fromEntries([
    ...model.definitions.map((def) => [def.key, { ...asObject(prepareForTypes(def.schema)), title: def.typeName }] as const),
    ...model.events.map((names) => [names.defKey, { ...aliasBareRef(asObject(prepareForTypes(names.event.payload))), title: names.typeName }] as const),
    ...model.envelopeFields.map((field) => [field.defKey, { ...aliasBareRef(asObject(prepareForTypes(field.schema))), title: field.typeName }] as const),
  ]);
  const properties: SchemaObject = Object.fromEntries(model.events.map((names) => [names.event.name, { $ref: refTo(names.defKey) }]));
  const root = {
    title: model.api.payloads,
    description: `Payload of every event, by event name.`,
    type: "object",
    additionalProperties: false,
    // An event whose payload may be left out: `<Name>Payloads[event]` includes undefined.
    required: model.events.filter((e) => e.event.payloadOptional !== true).map((e) => e.event.name),
    properties,
    $defs,
  };
  const hidden = hideInheritedNames(root);
  const text = await compile(hidden.schema, model.api.payloads, {
    bannerComment: "",
    // The whole file is formatted once, below.
    format: false,
    style: PRETTIER_OPTIONS,
    additionalProperties: true,
    declareExternallyReferenced: true,
    enableConstEnums: false,
    ignoreMinAndMaxItems: true,
    strictIndexSignatures: false,
    unknownAny: true,
    // Envelope fields are not reachable from the payload map; their types are declared all the same.
    unreachableDefinitions: model.envelopeFields.length > 0,
    // Every $ref is local (`#/$defs/...`): never let the resolver touch files or the network.
    $refOptions: { resolve: { file: false, http: false } },
    cwd: "/",
  });
  return hidden.restore(text);
}

/**
 * json-schema-to-typescript calls \`schema.hasOwnProperty(...)\` on every object it walks, and reads
 * keys through the prototype chain, so a property, event or definition called \`hasOwnProperty\`
 * (or any other member of \`Object.prototype\`, \`__proto__\` included) breaks it. Such keys, and the
 * \`required\` entries that name them, go in as placeholders and are put back in the output.
 */
function hideInheritedNames(root: SchemaObject): { schema: SchemaObject; restore: (text: string) => string } {
  const names: string[] = [];
  const hide = (name: string): string => {
    if (!(name in Object.prototype)) return name;
    let index = names.indexOf(name);
    if (index < 0) index = names.push(name) - 1;
    return `__covenant_inherited_${index}__`;
  };
  const walk = (value: unknown, key: string | undefined): unknown => {
    if (Array.isArray(value)) return value.map((item) => (key === "required" && typeof item === "string" ? hide(item) : walk(item, undefined)));
    if (!isSchemaObject(value)) return value;
    return Object.fromEntries(Object.entries(value).map(([name, sub]) => [hide(name), walk(sub, name)]));
  };
  const schema = walk(root, undefined) as SchemaObject;
  return { schema, restore: (text) => text.replace(/__covenant_inherited_(\d+)__/g, (_, index: string) => names[Number(index)]!) };
}

/**
 * A payload that is only a `$ref` becomes an alias (`type JoinedPayload = Member`) instead of a
 * second copy of the definition's interface.
 */
function aliasBareRef(schema: SchemaObject): SchemaObject {
  const annotations = new Set(["description", "$comment", "examples", "default", "deprecated"]);
  if (typeof schema.$ref !== "string" || !Object.keys(schema).every((key) => key === "$ref" || annotations.has(key))) return schema;
  const { $ref, ...rest } = schema;
  return { ...rest, allOf: [{ $ref }] };
}

function asObject(schema: JsonSchema): SchemaObject {
  const out = booleanSchema(schema);
  return isSchemaObject(out) ? out : {};
}

/** `true` admits anything (`unknown`), `false` nothing (`never`). */
function booleanSchema(schema: unknown): unknown {
  if (schema === true) return {};
  if (schema === false) return { tsType: "never" };
  return schema;
}

/**
 * Keywords that constrain what a value is, as json-schema-to-typescript reads them; a schema with
 * none of them admits any value. (`not` is not one: TypeScript has no negated types, so a schema
 * that only says what a value is not admits, as a type, any value.)
 */
const TYPE_KEYWORDS = new Set([
  "type",
  "enum",
  "const",
  "$ref",
  "properties",
  "additionalProperties",
  "patternProperties",
  "required",
  "items",
  "prefixItems",
  "allOf",
  "anyOf",
  "oneOf",
  "tsType",
]);

/** Keywords json-schema-to-typescript would read as TypeScript source or naming hints. */
const TS_ONLY_KEYWORDS = ["tsType", "tsEnumNames", "$id", "id", "$schema", "$anchor", "$dynamicAnchor", "$defs", "definitions"];

/** Keywords that make json-schema-to-typescript type a value as an object, or as an array. */
const OBJECT_SHAPE = ["properties", "additionalProperties", "patternProperties", "required"];
const ARRAY_SHAPE = ["items", "prefixItems", "additionalItems"];
/** Annotations that json-schema-to-typescript turns into the type's doc comment. */
const DOC_KEYWORDS = ["description", "default", "deprecated", "examples"];
const JSON_TYPES = ["object", "array", "string", "number", "boolean", "null"];
/** Keywords whose boolean subschemas become `unknown` / `never` (`additionalProperties: false` and `items: false` keep their meaning). */
const BOOLEAN_AS_TYPE = new Set(["properties", "prefixItems", "allOf", "anyOf", "oneOf", "$defs", "definitions"]);

/**
 * Makes a payload or definition schema safe and predictable for json-schema-to-typescript, and
 * makes the types admit every value the validators admit (types may be wider, never narrower):
 * - no contract-supplied TypeScript (`tsType`), no names from nested titles (only covenant names
 *   types), boolean schemas as `unknown`/`never`;
 * - index signatures that cannot conflict with declared properties;
 * - `prefixItems` as tuple types (`[] | [A] | [A, B, ...C[]]`: every prefix item is optional, the
 *   rest follows `items`, none with `items: false`);
 * - `not` dropped (TypeScript cannot say "anything but");
 * - object or array keywords without `type` do not exclude the other types: in JSON Schema
 *   `{ properties: ... }` also accepts `5`, so the type becomes `{ ... } | string | number | ...`
 *   unless `type`, `enum`, `const` or `$ref` (here or on an `allOf` sibling) already says what it is.
 */
export function prepareForTypes(schema: JsonSchema): JsonSchema {
  return prepare(schema, false);
}

function prepare(schema: JsonSchema, typed: boolean): JsonSchema {
  if (!isSchemaObject(schema)) return schema;
  const known = typed || saysWhatItIs(schema);
  const allOfTyped = known || (Array.isArray(schema.allOf) && schema.allOf.some((part) => isSchemaObject(part) && saysWhatItIs(part)));
  const node = mapChildren(schema, (sub, keyword) => {
    const childTyped = keyword === "allOf" ? allOfTyped : keyword === "anyOf" || keyword === "oneOf" ? known : false;
    const prepared = prepare(sub, childTyped);
    return BOOLEAN_AS_TYPE.has(keyword) ? (booleanSchema(prepared) as JsonSchema) : prepared;
  });
  const out: SchemaObject = Object.create(null) as SchemaObject;
  for (const [key, value] of Object.entries(node)) {
    if (TS_ONLY_KEYWORDS.includes(key) || key === "title" || key === "not") continue;
    out[key] = value;
  }
  // `{ a?: number; [k: string]: string }` does not compile; widen the index signature.
  const hasProperties = isSchemaObject(out.properties) && Object.keys(out.properties).length > 0;
  if (hasProperties && isSchemaObject(out.additionalProperties)) out.additionalProperties = true;
  if (out.patternProperties !== undefined) {
    delete out.patternProperties;
    out.additionalProperties = true;
  }
  // `items: false` alone: `never[]` (with `prefixItems` it closes the tuple, below).
  if (typeof out.items === "boolean" && !Array.isArray(out.prefixItems)) out.items = booleanSchema(out.items);
  const result = splitByType(out, known);
  // Nothing says what the value is (e.g. only a description): any JSON value.
  if (!Object.keys(result).some((key) => TYPE_KEYWORDS.has(key))) result.tsType = "unknown";
  return { ...result };
}

/** Whether the schema itself pins the type of the value (so missing `type` does not widen it). */
function saysWhatItIs(schema: SchemaObject): boolean {
  return schema.type !== undefined || schema.enum !== undefined || "const" in schema || schema.$ref !== undefined;
}

/**
 * A schema whose `type` is missing (and not implied) or lists several types, split into one
 * member per type, so object keywords describe only the object member, array keywords only the
 * array member (a tuple for `prefixItems`), and the other types stay admitted.
 */
function splitByType(node: SchemaObject, known: boolean): SchemaObject {
  const hasObject = OBJECT_SHAPE.some((key) => key in node);
  const hasArray = ARRAY_SHAPE.some((key) => key in node);
  const hasTuple = Array.isArray(node.prefixItems);
  const explicit = schemaTypes(node);
  let types: readonly string[];
  if (explicit !== undefined) {
    if (!hasTuple) return node;
    types = explicit;
  } else if (!known && (hasObject || hasArray)) {
    types = JSON_TYPES;
  } else if (hasTuple) {
    types = ["array"];
  } else {
    return node;
  }
  const docs: SchemaObject = {};
  const rest: SchemaObject = {};
  for (const [key, value] of Object.entries(node)) {
    if (DOC_KEYWORDS.includes(key)) docs[key] = value;
    else if (key !== "type") rest[key] = value;
  }
  const without = (keys: readonly string[]): SchemaObject => Object.fromEntries(Object.entries(rest).filter(([key]) => !keys.includes(key)));
  const members: unknown[] = [];
  const others = types.filter((type) => type !== "object" && type !== "array");
  if (types.includes("object")) members.push({ ...without(ARRAY_SHAPE), type: "object" });
  if (types.includes("array")) members.push(...arrayMembers(without(OBJECT_SHAPE)));
  // Only the type: the other keywords constrain objects or arrays (wider is safe, narrower is not).
  if (others.length > 0) members.push({ type: others.length === 1 ? others[0] : others });
  if (members.length === 0) return { ...docs, tsType: "never" };
  if (members.length === 1) return { ...docs, ...(members[0] as SchemaObject) };
  return { ...docs, anyOf: members };
}

/** The array member(s) of a schema: the schema itself, or one closed tuple per allowed length for `prefixItems`. */
function arrayMembers(node: SchemaObject): SchemaObject[] {
  if (!Array.isArray(node.prefixItems)) return [{ ...node, type: "array" }];
  const prefix = node.prefixItems as unknown[];
  const { prefixItems: _prefix, items: restItems, additionalItems: _additional, minItems, maxItems, ...others } = node;
  const min = typeof minItems === "number" ? Math.min(Math.max(0, Math.ceil(minItems)), prefix.length) : 0;
  const max = typeof maxItems === "number" ? Math.floor(maxItems) : Infinity;
  const tuples: SchemaObject[] = [];
  for (let length = min; length <= Math.min(prefix.length, max); length++) {
    const open = length === prefix.length && restItems !== false && max > prefix.length;
    const spread = restItems === undefined || restItems === true ? true : restItems;
    tuples.push({ ...others, type: "array", items: prefix.slice(0, length), ...(open ? { additionalItems: spread } : {}) });
  }
  return tuples;
}

import { compile } from "json-schema-to-typescript";
import type { Contract, JsonSchema } from "../model.js";
import { buildGenerationModel, headerLine, propertyKey, type GenerationModel, type GenerationOptions } from "./names.js";
import { formatTypeScript, PRETTIER_OPTIONS } from "./format.js";
import { isSchemaObject, mapSchema, refTo, type SchemaObject } from "./schema-walk.js";

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
  lines.push(`/** A wire message: \`{ ${discriminator}: event, ${payloadField}: payload }\`, discriminated by \`${discriminator}\`. */`);
  const members = events.map((e) => `{ ${propertyKey(discriminator)}: ${JSON.stringify(e.event.name)}; ${propertyKey(payloadField)}: ${e.typeName} }`);
  lines.push(`export type ${api.message} =${members.length === 0 ? " never" : members.map((m) => `\n  | ${m}`).join("")};`, "");
  lines.push(`/** The wire message of one event. */`);
  lines.push(`export type ${api.messageOf}<E extends ${api.eventName}> = Extract<${api.message}, { ${propertyKey(discriminator)}: E }>;`, "");
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
  const $defs: SchemaObject = {};
  for (const def of model.definitions) $defs[def.key] = { ...asObject(prepareForTypes(def.schema)), title: def.typeName };
  const properties: SchemaObject = {};
  for (const names of model.events) {
    $defs[names.defKey] = { ...aliasBareRef(asObject(prepareForTypes(names.event.payload))), title: names.typeName };
    properties[names.event.name] = { $ref: refTo(names.defKey) };
  }
  const root = {
    title: model.api.payloads,
    description: `Payload of every event, by event name.`,
    type: "object",
    additionalProperties: false,
    required: model.events.map((e) => e.event.name),
    properties,
    $defs,
  };
  return compile(root as never, model.api.payloads, {
    bannerComment: "",
    format: true,
    style: PRETTIER_OPTIONS,
    additionalProperties: true,
    declareExternallyReferenced: true,
    enableConstEnums: false,
    ignoreMinAndMaxItems: true,
    strictIndexSignatures: false,
    unknownAny: true,
    unreachableDefinitions: false,
    // Every $ref is local (`#/$defs/...`): never let the resolver touch files or the network.
    $refOptions: { resolve: { file: false, http: false } } as never,
    cwd: "/",
  });
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

/** Keywords that constrain what a value is; a schema with none of them admits any value. */
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
  "not",
  "tsType",
]);

/** Keywords json-schema-to-typescript would read as TypeScript source or naming hints. */
const TS_ONLY_KEYWORDS = ["tsType", "tsEnumNames", "$id", "id", "$schema", "$anchor", "$dynamicAnchor", "$defs", "definitions"];

/**
 * Makes a payload or definition schema safe and predictable for json-schema-to-typescript:
 * no contract-supplied TypeScript (`tsType`), no names from nested titles (only covenant names
 * types), boolean schemas as `unknown`/`never`, and index signatures that cannot conflict with
 * declared properties.
 */
export function prepareForTypes(schema: JsonSchema): JsonSchema {
  return mapSchema(schema, (node) => {
    const out: SchemaObject = {};
    for (const [key, value] of Object.entries(node)) {
      if (TS_ONLY_KEYWORDS.includes(key) || key === "title") continue;
      out[key] = value;
    }
    if (isSchemaObject(out.properties)) {
      const properties: SchemaObject = {};
      for (const [name, sub] of Object.entries(out.properties)) properties[name] = booleanSchema(sub);
      out.properties = properties;
    }
    if (typeof out.items === "boolean") out.items = booleanSchema(out.items);
    // Nothing says what the value is (e.g. only a description): any JSON value.
    if (!Object.keys(out).some((key) => TYPE_KEYWORDS.has(key))) out.tsType = "unknown";
    // `{ a?: number; [k: string]: string }` does not compile; widen the index signature.
    const hasProperties = isSchemaObject(out.properties) && Object.keys(out.properties).length > 0;
    if (hasProperties && isSchemaObject(out.additionalProperties)) out.additionalProperties = true;
    if (out.patternProperties !== undefined) {
      delete out.patternProperties;
      out.additionalProperties = true;
    }
    return out;
  });
}

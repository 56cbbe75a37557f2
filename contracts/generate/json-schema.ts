import type { Contract, JsonSchema } from "../model.js";
import { buildGenerationModel, headerLine, type GenerationOptions } from "./names.js";
import { embeddable, refTo } from "./schema-walk.js";

/**
 * `<name>.schema.json`: one JSON Schema (2020-12) for the contract's wire messages. `$defs` holds
 * the shared definitions under their contract names (so the payloads' `#/$defs/<Name>` refs
 * resolve unchanged) and one entry per payload; the root is a `oneOf` over the messages.
 */
export function emitJsonSchema(contract: Contract, options: GenerationOptions): string {
  return `${JSON.stringify(buildJsonSchemaBundle(contract, options), null, 2)}\n`;
}

export function buildJsonSchemaBundle(contract: Contract, options: GenerationOptions): Record<string, unknown> {
  const model = buildGenerationModel(contract, options);
  const { discriminator, payloadField } = contract.envelope;
  // fromEntries defines own properties: no key is taken for a prototype setter.
  const $defs: Record<string, JsonSchema> = Object.fromEntries([
    ...model.definitions.map((def) => [def.key, embeddable(def.schema)] as const),
    ...model.events.map((names) => [names.defKey, embeddable(names.event.payload)] as const),
    ...model.envelopeFields.map((field) => [field.defKey, embeddable(field.schema)] as const),
  ]);
  const fieldKey = new Map(model.envelopeFields.map((f) => [f.name, f.defKey]));
  const messages = model.events.map((names) => ({
    title: names.event.name,
    ...(names.event.description === undefined ? {} : { description: names.event.description }),
    type: "object",
    required: [discriminator, ...(names.event.payloadOptional ? [] : [payloadField]), ...(names.event.fields ?? [])],
    additionalProperties: false,
    properties: {
      [discriminator]: { const: names.event.name },
      [payloadField]: { $ref: refTo(names.defKey) },
      ...Object.fromEntries((names.event.fields ?? []).map((f) => [f, { $ref: refTo(fieldKey.get(f)!) }])),
    },
    $comment: `${names.event.direction}; allowed in: ${names.event.states.join(", ") || "no state"}`,
  }));
  return {
    $comment: headerLine(model.source),
    $schema: "https://json-schema.org/draft/2020-12/schema",
    title: `${contract.name} ${contract.version} wire message`,
    ...(contract.description === undefined ? {} : { description: contract.description }),
    ...(messages.length === 0 ? { not: {} } : { oneOf: messages }),
    $defs,
  };
}

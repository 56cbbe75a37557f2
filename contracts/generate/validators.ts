import type { Contract } from "../model.js";
import {
  buildGenerationModel,
  headerLine,
  objectKey,
  openEventSides,
  SIDES,
  type DefinitionNames,
  type GenerationModel,
  type GenerationOptions,
} from "./names.js";
import { collectRefs, isSchemaObject, walkSchema } from "./schema-walk.js";
import { formatTypeScriptPieces, type Piece } from "./format.js";
import { zodSource, type ZodHelper, type ZodSourceContext } from "./zod-source.js";
import { inlineRuntimePieces } from "./runtime-source.js";

/**
 * `<name>.validators.ts`: a zod v4 schema per shared definition and payload, the wire-message
 * union, `parse<Name>Message(raw)` and `parse<Name>Payload(event, payload)`, whose failures say
 * which field is wrong and why (`data.run_id: expected string, received number`). The schemas are
 * written here; the code that runs them is contracts/runtime/validators.ts, field-names-*.ts and
 * zod-helpers.ts, inlined (see runtime-source.ts). For a contract with an open event union, the
 * message parser is parse-message-open.ts's, which answers an undeclared event name with
 * `{ success: false, unknown: { event } }` (docs/contract-format.md#openness).
 */
export async function emitValidators(contract: Contract, options: GenerationOptions): Promise<string> {
  return formatTypeScriptPieces(validatorsSource(contract, options));
}

/** The validators' source before formatting: lines, and the inlined runtime's pieces. */
export function validatorsSource(contract: Contract, options: GenerationOptions): (string | Piece)[] {
  const model = buildGenerationModel(contract, options);
  const { api } = model;
  const refNames = new Map(model.definitions.map((d) => [d.key, d.schemaName]));
  const ctx: ZodSourceContext = { refName: (key) => refNames.get(key), helpers: new Set<ZodHelper>(), unsupported: new Set<string>() };

  // Each schema constant is a run of its own for the formatter (a doc comment and one statement):
  // its formatted text is remembered, so a contract generated again with a few schemas changed (the
  // other side of a diff, the next version) formats only those.
  const constant = (doc: string, statement: string): Piece => ({ text: `${doc}\n${statement}`, formatted: false });
  const definitionLines: (string | Piece)[] = [];
  for (const def of declarationOrder(model)) {
    const expr = zodSource(def.schema, ctx, def.typeName);
    // A recursive schema's type cannot be inferred (it refers to itself), so it is stated; by a cast, not
    // an annotation: checking that a zod schema is a `z.ZodType` compares zod's classes member by member,
    // which took most of the time TypeScript spent on a generated file.
    definitionLines.push(
      constant(
        `/** Shared definition \`${def.key}\`. */`,
        def.recursive
          ? `export const ${def.schemaName} = z.lazy(() => ${expr}) as unknown as z.ZodType<unknown>;`
          : `export const ${def.schemaName} = ${expr};`,
      ),
    );
    definitionLines.push("");
  }
  const payloadLines: (string | Piece)[] = [];
  for (const field of model.envelopeFields) {
    payloadLines.push(
      constant(
        `/** Envelope field \`${field.name}\`, beside the payload. */`,
        `export const ${field.schemaName} = ${zodSource(field.schema, ctx, field.typeName)};`,
      ),
      "",
    );
  }
  for (const names of model.events) {
    const { event } = names;
    const optional = event.payloadOptional === true;
    const expr = zodSource(event.payload, ctx, names.typeName);
    payloadLines.push(
      constant(
        `/** Payload of \`${event.name}\` (${event.direction}; allowed in ${event.states.join(", ") || "no state"}${optional ? "; may be left out" : ""}). */`,
        `export const ${names.schemaName} = ${optional ? `z.optional(${expr})` : expr};`,
      ),
      "",
    );
  }

  const { discriminator, payloadField } = contract.envelope;
  const fieldSchema = new Map(model.envelopeFields.map((f) => [f.name, f.schemaName]));
  const messageMembers = model.events.map(
    (e) =>
      `  z.strictObject({ ${objectKey(discriminator)}: z.literal(${JSON.stringify(e.event.name)}), ${objectKey(payloadField)}: ${e.schemaName}${(e.event.fields ?? []).map((f) => `, ${objectKey(f)}: ${fieldSchema.get(f)!}`).join("")} }),`,
  );
  const messageSchema =
    messageMembers.length === 0 ? "z.never()" : `z.discriminatedUnion(${JSON.stringify(discriminator)}, [\n${messageMembers.join("\n")}\n])`;

  const out: (string | Piece)[] = [`// ${headerLine(model.source)}`];
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
  out.push(`/** The field a message's payload is under: a payload's issue paths start there. */`);
  out.push(`const PAYLOAD_FIELD = ${JSON.stringify(payloadField)};`, "");
  // An open event union (docs/contract-format.md#openness): an undeclared event name is its own parse result.
  const open = openEventSides(contract);
  if (open.length > 0) {
    out.push(`/** The field a message's event name is under. */`);
    out.push(`const DISCRIMINATOR = ${JSON.stringify(discriminator)};`, "");
    out.push(`/** Directions whose event union is open: a receiver ignores an event name it does not know. */`);
    out.push(`const OPEN_UNIONS: { readonly "server-to-client": boolean; readonly "client-to-server": boolean } = {`);
    for (const side of SIDES) out.push(`  ${JSON.stringify(side)}: ${String(open.includes(side))},`);
    out.push(`};`, "");
  }
  out.push(...inlineRuntimePieces("validators", "validators", api), "");
  out.push(
    ...(open.length > 0 ? inlineRuntimePieces("parse-message-open", "parse-message", api) : inlineRuntimePieces("validators", "parse-message", api)),
    "",
  );
  out.push(...inlineRuntimePieces("validators", "validators-rest", api, { payloadField: JSON.stringify(payloadField) }), "");
  // zod skips an own `__proto__` field, so objectRules (patternProperties, additionalProperties
  // schemas, propertyNames, min/maxProperties) would not see it: the values are prepared for zod.
  const escaped = namesInheritedField(model) || ctx.helpers.has("objectRules");
  out.push(...inlineRuntimePieces(escaped ? "field-names-escaped" : "field-names-own", "field-names", api));
  for (const helper of HELPER_ORDER) if (ctx.helpers.has(helper)) out.push("", ...inlineRuntimePieces("zod-helpers", helper, api));
  return out;
}

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
  if (inherited(envelope.discriminator) || inherited(envelope.payloadField) || model.envelopeFields.some((f) => inherited(f.name))) return true;
  let found = false;
  const schemas = [...model.definitions.map((d) => d.schema), ...model.events.map((e) => e.event.payload), ...model.envelopeFields.map((f) => f.schema)];
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

/** The zod helpers, in the order the generated file has them; each is a region of contracts/runtime/zod-helpers.ts. */
export const HELPER_ORDER: readonly ZodHelper[] = [
  "jsonEqual",
  "valueIn",
  "uniqueItems",
  "containsRule",
  "notRule",
  "forwardIssues",
  "conditional",
  "whenType",
  "objectRules",
];

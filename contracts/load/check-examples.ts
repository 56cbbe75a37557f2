import type { ErrorObject, ValidateFunction } from "ajv/dist/2020.js";
import type { JsonSchema } from "../model.js";
import { formatChoices, formatList, truncate } from "./contract-errors.js";
import type { BundledDefinition } from "./schema-bundle.js";
import { isPlainObject, pickErrors, pointerSegments, type SchemaCheckContext } from "./schema-checks.js";
import type { JsonPath } from "./source-document.js";

export interface ExampleSet {
  event: string;
  payload: JsonSchema;
  /** Where each example list sits in the contract, with its items. */
  lists: { path: JsonPath; items: unknown[] }[];
  /** Where the payload schema sits (for compile errors). */
  payloadPath: JsonPath;
}

const BUNDLE_ID = "urn:covenant:bundle";

/**
 * Compiles each bundled payload with Ajv (catching what the meta-schema cannot see) and validates
 * every example against it. Returns false when a payload did not compile.
 */
export function checkExamples(
  ctx: SchemaCheckContext,
  sets: readonly ExampleSet[],
  definitions: Readonly<Record<string, JsonSchema>>,
  origins: ReadonlyMap<string, BundledDefinition>,
): void {
  const source = ctx.contract;
  // One bundle: the shared definitions and every payload side by side under `$defs`, so each shared
  // schema is compiled once. Payload keys contain `:`, which no definition name may.
  const $defs: Record<string, unknown> = { ...definitions };
  sets.forEach((set, index) => ($defs[`payload:${index}`] = set.payload));
  ctx.ajv.addSchema({ $id: BUNDLE_ID, $defs });
  for (const [index, set] of sets.entries()) {
    let validate: ValidateFunction | undefined;
    try {
      validate = ctx.ajv.getSchema(`${BUNDLE_ID}#/$defs/payload:${index}`);
    } catch (error) {
      reportCompileError(ctx, set, origins, (error as Error).message);
      continue;
    }
    if (!validate) continue;
    for (const list of set.lists) {
      list.items.forEach((example, index) => {
        if (validate(example)) return;
        for (const error of pickErrors(validate.errors ?? [])) {
          const instance = pointerSegments(error.instancePath);
          const at = error.keyword === "additionalProperties"
            ? source.entryPosition([...list.path, index, ...instance, String((error.params as { additionalProperty: string }).additionalProperty)])
            : source.valuePosition([...list.path, index, ...instance]);
          ctx.problems.add("example-invalid", source.file, at, { index: String(index), event: set.event, detail: describeInstanceError(error) });
        }
      });
    }
  }
}

function reportCompileError(ctx: SchemaCheckContext, set: ExampleSet, origins: ReadonlyMap<string, BundledDefinition>, message: string): void {
  // Ajv names the schema location as `at "#/..."` or `at path "#/..."`.
  const pointer = /at (?:path )?"(?:urn:covenant:bundle)?#([^"]*)"/.exec(message)?.[1] ?? "";
  const segments = pointerSegments(pointer);
  let doc = ctx.contract;
  let at: JsonPath = set.payloadPath;
  if (segments[0] === "$defs" && typeof segments[1] === "string" && segments[1].startsWith("payload:")) {
    at = [...set.payloadPath, ...segments.slice(2)];
  } else if (segments[0] === "$defs" && typeof segments[1] === "string" && origins.has(segments[1])) {
    const origin = origins.get(segments[1])!.origin;
    doc = origin.doc;
    at = [...origin.path, ...segments.slice(2)];
  }
  ctx.problems.add("schema-invalid", doc.file, doc.entryPosition(at), {
    where: doc === ctx.contract ? `the payload of \`${set.event}\`` : `\`${ctx.displayFile(doc.file)}\``,
    detail: message.replace(/^strict mode: /, "").replace(/\s+/g, " "),
    fix: "Fix the schema.",
  });
}

/** "`run_id` must be a string" / "`extra` is not allowed" / "`agent_name` is missing". */
export function describeInstanceError(error: ErrorObject): string {
  const field = error.instancePath === "" ? "the payload" : `\`${pointerSegments(error.instancePath).join(".")}\``;
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case "required":
      return `${error.instancePath === "" ? "" : `in ${field}, `}\`${String(params.missingProperty)}\` is missing`;
    case "additionalProperties":
      return `${error.instancePath === "" ? "" : `in ${field}, `}\`${String(params.additionalProperty)}\` is not allowed (not declared under \`properties\`)`;
    case "type":
      return `${field} must be ${String(params.type).replace(/,/g, " or ")}`;
    case "enum":
      return `${field} must be one of ${formatChoices((params.allowedValues as unknown[]).map((v) => truncate(JSON.stringify(v))))}`;
    case "const":
      return `${field} must be ${truncate(JSON.stringify(params.allowedValue))}`;
    default:
      return `${field} ${error.message ?? "is invalid"}`;
  }
}

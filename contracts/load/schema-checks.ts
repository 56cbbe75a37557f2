import type { Ajv2020, ErrorObject, ValidateFunction } from "ajv/dist/2020.js";
import { isJsonObject, valueAt } from "../../common/json.js";
import { DEFINITION_NAME_PATTERN } from "../format/contract.schema.js";
import { createAjv, loadAjv } from "./example-validation.js";
import { didYouMean, formatChoices, formatPath, type ProblemCollector } from "./contract-errors.js";
import { FOREIGN_KEYWORD_FIXES, KEYWORD_TYPES, SCHEMA_KEYWORDS, UNSUPPORTED_KEYWORDS } from "./json-schema-keywords.js";
import { OPENNESS_KEYWORD } from "../model.js";
import type { JsonPath, SourceDocument } from "./source-document.js";

// Ajv is created in example-validation.ts, which a worker also loads on its own.
export { createAjv };

export type SchemaObject = Record<string, unknown>;

/** A JSON object: not null, not an array. */
export const isPlainObject: (value: unknown) => value is SchemaObject = isJsonObject;

const META_SCHEMA_ID = "https://json-schema.org/draft/2020-12/schema";
let metaSchemaValidator: ValidateFunction | undefined;

/**
 * The compiled 2020-12 meta-schema. Compiling it costs ~150 ms, so it is built once per process and
 * then only read: a validation function holds no state between calls that could leak from one load
 * into another (its `errors` are replaced on every call and read right after it).
 */
function getMetaSchemaValidator(): ValidateFunction {
  if (!metaSchemaValidator) {
    const validate = new (loadAjv().Ajv2020)({ strict: false, allErrors: true }).getSchema(META_SCHEMA_ID);
    if (!validate) throw new Error("Ajv2020 does not ship the 2020-12 meta-schema");
    metaSchemaValidator = validate;
  }
  return metaSchemaValidator;
}

/** Where a schema node lives, for messages: the contract path, or `file` plus the pointer inside it. */
export function describeSchemaLocation(doc: SourceDocument, contract: SourceDocument, path: JsonPath, displayFile: (file: string) => string): string {
  if (doc === contract) return formatPath(path);
  const pointer = path.map((segment) => String(segment).replace(/~/g, "~0").replace(/\//g, "~1")).join("/");
  return `\`${displayFile(doc.file)}#/${pointer}\``;
}

export interface SchemaCheckContext {
  contract: SourceDocument;
  problems: ProblemCollector;
  ajv: Ajv2020;
  displayFile: (file: string) => string;
}

/**
 * Checks one schema subtree as written: unknown or unsupported keywords, unknown formats, bad regular
 * expressions, unsatisfiable `required`, keywords that cannot apply to the declared type, then Ajv's
 * 2020-12 meta-schema. Does not follow `$ref` (the bundler checks each target once).
 */
export function checkSchemaTree(ctx: SchemaCheckContext, doc: SourceDocument, path: JsonPath, schema: unknown): boolean {
  if (!walkSchema(ctx, doc, path, schema, 0, path)) return false;
  validateAgainstMetaSchema(ctx, doc, path, schema);
  return true;
}

/**
 * How deep schemas may nest inside one payload, shared definition or schema file: each subschema
 * keyword (`properties.x`, `items`, `anyOf[i]`, …) is one level; a `$ref` starts again from 0, so
 * recursive schemas are not limited. Generated code nests as deeply as the schema, and the code
 * formatter overflows its stack at about 200 levels; real schemas stay under 20.
 */
export const MAX_SCHEMA_DEPTH = 64;

/** Returns false when the schema nests deeper than `MAX_SCHEMA_DEPTH` (reported at the first level too deep). */
function walkSchema(ctx: SchemaCheckContext, doc: SourceDocument, path: JsonPath, node: unknown, depth: number, root: JsonPath): boolean {
  if (!isPlainObject(node)) return true; // booleans are schemas; anything else is reported by the meta-schema
  const where = () => describeSchemaLocation(doc, ctx.contract, path, ctx.displayFile);
  if (depth > MAX_SCHEMA_DEPTH) {
    const rootWhere = describeSchemaLocation(doc, ctx.contract, root, ctx.displayFile);
    ctx.problems.add("schema-too-deep", doc.file, doc.entryPosition(path), { where: rootWhere, limit: String(MAX_SCHEMA_DEPTH) });
    return false;
  }
  let ok = true;
  for (const key of Object.keys(node)) {
    const kind = SCHEMA_KEYWORDS.get(key);
    if (kind === undefined) {
      const foreign = FOREIGN_KEYWORD_FIXES.get(key);
      const fix = foreign ?? `${didYouMean(key, SCHEMA_KEYWORDS.keys())}Remove it, or put notes in \`description\` or \`$comment\`.`;
      ctx.problems.add("schema-unknown-keyword", doc.file, doc.entryPosition([...path, key]), { keyword: key, where: where(), fix });
      continue;
    }
    const unsupported = UNSUPPORTED_KEYWORDS.get(key);
    if (unsupported) {
      ctx.problems.add("schema-invalid", doc.file, doc.entryPosition([...path, key]), {
        where: where(),
        detail: `covenant does not support \`${key}\` in contracts`,
        fix: `Instead, ${unsupported}.`,
      });
      continue;
    }
    const child = node[key];
    if (kind === "schema") ok = walkSchema(ctx, doc, [...path, key], child, depth + 1, root) && ok;
    else if (kind === "schemaArray" && Array.isArray(child))
      child.forEach((item, i) => (ok = walkSchema(ctx, doc, [...path, key, i], item, depth + 1, root) && ok));
    else if (kind === "schemaMap" && isPlainObject(child)) {
      for (const name of Object.keys(child)) ok = walkSchema(ctx, doc, [...path, key, name], child[name], depth + 1, root) && ok;
    }
    if (!ok) return false; // one report per schema is enough
  }
  if (Array.isArray(node.enum) && node.enum.length === 0) {
    ctx.problems.add("schema-invalid", doc.file, doc.valuePosition([...path, "enum"]), {
      where: describeSchemaLocation(doc, ctx.contract, [...path, "enum"], ctx.displayFile),
      detail: "`enum` lists no values, so no value can match",
      fix: "List the allowed values, or remove `enum`.",
    });
  }
  checkFormat(ctx, doc, path, node, where);
  checkProtoFields(ctx, doc, path, node, where);
  checkRegexes(ctx, doc, path, node, where);
  checkRequiredDeclared(ctx, doc, path, node, where);
  checkKeywordTypes(ctx, doc, path, node, where);
  checkOpenness(ctx, doc, path, node, where);
  return true;
}

/** Whether a schema lists its values: `enum`, `const`, or a `oneOf`/`anyOf` whose every branch does. */
export function holdsEnum(node: SchemaObject): boolean {
  if ("enum" in node || "const" in node) return true;
  return (["oneOf", "anyOf"] as const).some((key) => {
    const branches = node[key];
    return Array.isArray(branches) && branches.length > 0 && branches.every((b) => isPlainObject(b) && ("enum" in b || "const" in b));
  });
}

/** `x-covenant-openness` is `open` or `closed`, on a schema that lists values (not through a `$ref`: on the shared schema itself). */
function checkOpenness(ctx: SchemaCheckContext, doc: SourceDocument, path: JsonPath, node: SchemaObject, where: () => string): void {
  if (!(OPENNESS_KEYWORD in node)) return;
  const value = node[OPENNESS_KEYWORD];
  if (value !== "open" && value !== "closed") {
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- JSON.stringify returns undefined for undefined, functions and symbols (lib.d.ts says string)
    const found = typeof value === "string" ? value : (JSON.stringify(value) ?? String(value));
    ctx.problems.add("invalid-value", doc.file, doc.valuePosition([...path, OPENNESS_KEYWORD]), {
      where: `\`${OPENNESS_KEYWORD}\` (in ${where()})`,
      value: found,
      allowed: "`open`, `closed`",
    });
    return;
  }
  if (!holdsEnum(node)) ctx.problems.add("openness-no-enum", doc.file, doc.entryPosition([...path, OPENNESS_KEYWORD]), { where: where() });
}

function checkFormat(ctx: SchemaCheckContext, doc: SourceDocument, path: JsonPath, node: SchemaObject, where: () => string): void {
  if (typeof node.format !== "string") return;
  const formats = Object.keys(ctx.ajv.formats).sort();
  if (formats.includes(node.format)) return;
  ctx.problems.add("schema-unknown-format", doc.file, doc.valuePosition([...path, "format"]), {
    format: node.format,
    where: where(),
    didYouMean: didYouMean(node.format, formats),
    formats: formatChoices(formats, 40),
  });
}

/**
 * A field called `__proto__`: zod skips that key in every object it parses, so the generated
 * validators could neither require nor check it. (An undeclared `__proto__` field of an open object
 * is fine: the validators check it against `additionalProperties`.)
 */
function checkProtoFields(ctx: SchemaCheckContext, doc: SourceDocument, path: JsonPath, node: SchemaObject, where: () => string): void {
  const report = (at: JsonPath, entry: boolean) =>
    ctx.problems.add("reserved-name", doc.file, entry ? doc.entryPosition(at) : doc.valuePosition(at), {
      what: `a field name (in ${where()})`,
      why: "the generated validators (zod) could not check that field",
    });
  for (const keyword of ["properties", "dependentRequired", "dependentSchemas"]) {
    const map = node[keyword];
    if (isPlainObject(map) && Object.hasOwn(map, "__proto__")) report([...path, keyword, "__proto__"], true);
  }
  if (Array.isArray(node.required)) node.required.forEach((name, i) => name === "__proto__" && report([...path, "required", i], false));
  if (isPlainObject(node.dependentRequired)) {
    for (const [key, names] of Object.entries(node.dependentRequired)) {
      if (Array.isArray(names)) names.forEach((name, i) => name === "__proto__" && report([...path, "dependentRequired", key, i], false));
    }
  }
}

function checkRegexes(ctx: SchemaCheckContext, doc: SourceDocument, path: JsonPath, node: SchemaObject, where: () => string): void {
  if (typeof node.pattern === "string") {
    const reason = regexError(node.pattern);
    if (reason) {
      ctx.problems.add("schema-invalid-regex", doc.file, doc.valuePosition([...path, "pattern"]), {
        keyword: "pattern",
        pattern: node.pattern,
        where: where(),
        reason,
      });
    }
  }
  if (isPlainObject(node.patternProperties)) {
    for (const key of Object.keys(node.patternProperties)) {
      const reason = regexError(key);
      if (reason) {
        ctx.problems.add("schema-invalid-regex", doc.file, doc.entryPosition([...path, "patternProperties", key]), {
          keyword: "patternProperties",
          pattern: key,
          where: where(),
          reason,
        });
      }
    }
  }
}

function regexError(source: string): string | undefined {
  try {
    new RegExp(source, "u");
    return undefined;
  } catch (error) {
    return (error as Error).message.replace(/^Invalid regular expression: /, "");
  }
}

function checkRequiredDeclared(ctx: SchemaCheckContext, doc: SourceDocument, path: JsonPath, node: SchemaObject, where: () => string): void {
  if (node.additionalProperties !== false || !Array.isArray(node.required)) return;
  const properties = isPlainObject(node.properties) ? node.properties : {};
  const patterns = isPlainObject(node.patternProperties) ? Object.keys(node.patternProperties).flatMap((p) => (regexError(p) ? [] : [new RegExp(p, "u")])) : [];
  node.required.forEach((name, index) => {
    if (typeof name !== "string" || Object.hasOwn(properties, name) || patterns.some((re) => re.test(name))) return;
    ctx.problems.add("schema-required-not-declared", doc.file, doc.valuePosition([...path, "required", index]), {
      property: name,
      where: where(),
      didYouMean: didYouMean(name, Object.keys(properties)),
    });
  });
}

function checkKeywordTypes(ctx: SchemaCheckContext, doc: SourceDocument, path: JsonPath, node: SchemaObject, where: () => string): void {
  const types =
    typeof node.type === "string" ? [node.type] : Array.isArray(node.type) ? node.type.filter((t): t is string => typeof t === "string") : undefined;
  if (!types || types.length === 0) return;
  for (const key of Object.keys(node)) {
    const applies = KEYWORD_TYPES.get(key);
    // draft-04's `required: true` on a property is reported by the meta-schema, with its own fix.
    if (key === "required" && !Array.isArray(node.required)) continue;
    if (!applies || applies.some((t) => types.includes(t) || (t === "number" && types.includes("integer")))) continue;
    ctx.problems.add("schema-keyword-type-mismatch", doc.file, doc.entryPosition([...path, key]), {
      keyword: key,
      type: types.join(" | "),
      where: where(),
      applies: applies.filter((t) => t !== "integer").join(" and "),
    });
  }
}

/** Copies a schema without `$id`/`$schema` (covenant resolves refs itself; a draft-07 `$schema` would make Ajv look up another meta-schema). */
export function withoutIdentity(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withoutIdentity);
  if (!isPlainObject(node)) return node;
  const out: [string, unknown][] = [];
  for (const [key, value] of Object.entries(node)) {
    if (key === "$id" || key === "$schema") continue;
    const kind = SCHEMA_KEYWORDS.get(key);
    out.push([
      key,
      kind === undefined || kind === "value"
        ? value
        : kind === "schemaMap" && isPlainObject(value)
          ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withoutIdentity(v)]))
          : withoutIdentity(value),
    ]);
  }
  // fromEntries defines own properties, so a key named `__proto__` stays data.
  return Object.fromEntries(out);
}

function validateAgainstMetaSchema(ctx: SchemaCheckContext, doc: SourceDocument, path: JsonPath, schema: unknown): void {
  const validate = getMetaSchemaValidator();
  if (validate(withoutIdentity(schema))) return;
  for (const error of pickErrors(validate.errors ?? [])) {
    const segments = pointerSegments(error.instancePath);
    const full = [...path, ...segments];
    const keyword = String(segments.at(-1) ?? "the schema");
    ctx.problems.add("schema-invalid", doc.file, doc.valuePosition(full), {
      where: describeSchemaLocation(doc, ctx.contract, full, ctx.displayFile),
      ...describeMetaError(error, keyword, valueAt(schema, segments)),
    });
  }
}

/** One error per instance path: the most specific one (Ajv also reports the enclosing `anyOf`). */
export function pickErrors(errors: readonly ErrorObject[]): ErrorObject[] {
  const byPath = new Map<string, ErrorObject>();
  const rank = (e: ErrorObject) =>
    e.keyword === "enum" || e.keyword === "const" ? 0 : e.keyword === "anyOf" || e.keyword === "oneOf" || e.keyword === "if" ? 2 : 1;
  for (const error of errors) {
    const current = byPath.get(error.instancePath);
    if (!current || rank(error) < rank(current)) byPath.set(error.instancePath, error);
  }
  return [...byPath.values()];
}

function describeMetaError(error: ErrorObject, keyword: string, value: unknown): { detail: string; fix: string } {
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case "enum": {
      const allowed = (params.allowedValues as unknown[]).map(String);
      return { detail: `\`${keyword}\` must be one of ${formatChoices(allowed)}`, fix: `${didYouMeanValue(value, allowed)}Use one of the allowed values.` };
    }
    case "type":
      if (keyword === "items" && Array.isArray(value)) {
        return { detail: "`items` must be one schema", fix: "A list under `items` is draft-07's tuple form: in 2020-12 write the tuple as `prefixItems`." };
      }
      if (keyword === "required" && typeof value === "boolean") {
        return {
          detail: "`required` must be a list of property names",
          fix: "`required: true` on a property is draft-04; list the name in the parent object's `required` instead.",
        };
      }
      return { detail: `\`${keyword}\` must be ${articleType(String(params.type))}`, fix: "Change the value's type." };
    case "minimum":
    case "exclusiveMinimum":
      return { detail: `\`${keyword}\` ${error.message ?? "is too small"}`, fix: "Use a larger number." };
    case "uniqueItems":
      return { detail: `\`${keyword}\` lists the same item twice`, fix: "Remove the repetition." };
    case "minItems":
      return { detail: `\`${keyword}\` must not be empty`, fix: "Add at least one item, or remove the keyword." };
    case "format":
      return { detail: `\`${keyword}\` ${error.message ?? "has the wrong format"}`, fix: "Fix the value." };
    default:
      return { detail: `\`${keyword}\` ${error.message ?? "is invalid"}`, fix: "Fix the value." };
  }
}

function didYouMeanValue(value: unknown, allowed: string[]): string {
  return typeof value === "string" ? didYouMean(value, allowed) : "";
}

function articleType(type: string): string {
  return type
    .split(",")
    .map(
      (t) =>
        ({ array: "a list", object: "a mapping", string: "a string", number: "a number", integer: "an integer", boolean: "true or false", null: "null" })[t] ??
        t,
    )
    .join(" or ");
}

/** `/properties/a~1b/0` -> ["properties", "a/b", 0] (numbers for array indexes). */
export function pointerSegments(pointer: string): (string | number)[] {
  if (pointer === "") return [];
  return pointer
    .slice(1)
    .split("/")
    .map((raw) => {
      const segment = raw.replace(/~1/g, "/").replace(/~0/g, "~");
      return /^(0|[1-9][0-9]*)$/.test(segment) ? Number(segment) : segment;
    });
}

/** Definition names must stay valid `$defs` keys and identifiers. */
export function isDefinitionName(name: string): boolean {
  return DEFINITION_NAME_PATTERN.test(name);
}

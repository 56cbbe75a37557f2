import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import type { JsonSchema } from "../../model.js";
import { isObject, stableStringify, stripAnnotations } from "./json.js";

// ajv-formats is CommonJS; its default export arrives wrapped under NodeNext.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: Ajv2020) => Ajv2020;

const DEFS_PREFIX = "#/$defs/";

function depth(pointer: string): number {
  return pointer === "" ? 0 : pointer.split("/").length;
}

/**
 * One side of a diff: the shared definitions payloads refer to (`#/$defs/<Name>`) and a validator
 * that decides whether a schema of this side accepts a value (ajv, JSON Schema 2020-12).
 */
export class SchemaContext {
  private readonly ajv: Ajv2020;
  private readonly compiled = new Map<string, ValidateFunction>();
  private readonly defs: Record<string, JsonSchema>;

  constructor(definitions: Record<string, JsonSchema>) {
    this.defs = Object.fromEntries(Object.entries(definitions).map(([name, schema]) => [name, stripAnnotations(schema) as JsonSchema]));
    // `validateSchema: false`: the loader has checked every schema against the 2020-12 meta-schema, and
    // compiling that meta-schema again (once per side) was most of a small diff's CPU.
    this.ajv = new Ajv2020({ validateSchema: false, strict: false, allErrors: false, logger: false, validateFormats: true });
    addFormats(this.ajv);
  }

  /** The definition a `$ref` names, or undefined when it is not a local `#/$defs/` reference. */
  resolveRef(ref: string): { name: string; schema: JsonSchema } | undefined {
    if (!ref.startsWith(DEFS_PREFIX)) return undefined;
    const name = decodeURIComponent(ref.slice(DEFS_PREFIX.length)).replace(/~1/g, "/").replace(/~0/g, "~");
    const schema = this.defs[name];
    return schema === undefined ? undefined : { name, schema };
  }

  definitionNames(): string[] {
    return Object.keys(this.defs).sort();
  }

  private validatorFor(schema: JsonSchema): ValidateFunction {
    const stripped = stripAnnotations(schema);
    const key = stableStringify(stripped);
    let validate = this.compiled.get(key);
    if (!validate) {
      const root = typeof stripped === "boolean" ? (stripped ? {} : { not: {} }) : { ...(stripped as object) };
      const rootDefs = (root as Record<string, unknown>).$defs;
      if (Object.keys(this.defs).length > 0) (root as Record<string, unknown>).$defs = { ...this.defs, ...(isObject(rootDefs) ? rootDefs : {}) };
      validate = this.ajv.compile(root);
      this.compiled.set(key, validate);
    }
    return validate;
  }

  accepts(schema: JsonSchema, value: unknown): boolean {
    try {
      // eslint-disable-next-line @typescript-eslint/no-unnecessary-boolean-literal-compare -- ajv returns a promise for a schema with `$async: true`: only `true` accepts
      return this.validatorFor(schema)(value) === true;
    } catch {
      return false;
    }
  }

  /** Why the schema rejects the value (ajv's first error, at its JSON pointer), or undefined when it accepts it. */
  explain(schema: JsonSchema, value: unknown): { pointer: string; message: string } | undefined {
    const validate = this.validatorFor(schema);
    if (validate(value)) return undefined;
    // In a union every branch reports; the deepest error is the one that names the real problem,
    // unless every branch fails at the union itself: then "matches no variant" is the news.
    const errors = validate.errors ?? [];
    const unionError = errors.find((e) => e.keyword === "oneOf" || e.keyword === "anyOf");
    const deepest = errors.filter((e) => e !== unionError && e.keyword !== "if").reduce<(typeof errors)[number] | undefined>((best, e) => (!best || depth(e.instancePath) > depth(best.instancePath) ? e : best), undefined);
    const error = unionError && (!deepest || depth(deepest.instancePath) <= depth(unionError.instancePath)) ? unionError : (deepest ?? errors[0]);
    if (!error) return { pointer: "", message: "is rejected" };
    const params = error.params as { additionalProperty?: string; allowedValues?: unknown };
    const detail = error.keyword === "additionalProperties" ? `: "${String(params.additionalProperty)}"` : error.keyword === "enum" ? `: ${stableStringify(params.allowedValues)}` : "";
    return { pointer: error.instancePath, message: `${error.message ?? "is invalid"}${detail}` };
  }
}

import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import { LruMap } from "../../../common/lru-map.js";
import type { JsonSchema } from "../../model.js";
import { isObject, stableStringify, stripAnnotations } from "./json.js";

// ajv-formats is CommonJS; its default export arrives wrapped under NodeNext.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: Ajv2020) => Ajv2020;

const DEFS_PREFIX = "#/$defs/";

function depth(pointer: string): number {
  return pointer === "" ? 0 : pointer.split("/").length;
}

/** What is compiled against one set of definitions: the Ajv, and each schema's validator by text. */
interface Compiled {
  ajv: Ajv2020;
  byText: Map<string, ValidateFunction>;
}

/**
 * The compiled validators of the last few definition sets, by their text (annotations stripped): a
 * validator depends on nothing but its schema and the definitions it is compiled with, so the two
 * sides of a diff whose definitions are the same (most diffs: a payload or the lifecycle changed)
 * compile each schema they share once, and so do the diffs of one process (`covenant diff` over
 * several contracts, the pairs of a test).
 */
const compiledByDefinitions = new LruMap<string, Compiled>(16);

function compiledFor(defs: Record<string, JsonSchema>): Compiled {
  return compiledByDefinitions.getOrCreate(stableStringify(defs), () => {
    // No meta-schema validation on compile (`validateSchema: false`): the loader has checked every
    // schema against it, and compiling the meta-schema is most of an Ajv instance's cost (~50 ms).
    const ajv = new Ajv2020({ strict: false, allErrors: false, logger: false, validateFormats: true, validateSchema: false });
    addFormats(ajv);
    return { ajv, byText: new Map() };
  });
}

/**
 * One side of a diff: the shared definitions payloads refer to (`#/$defs/<Name>`) and a validator
 * that decides whether a schema of this side accepts a value (ajv, JSON Schema 2020-12).
 */
export class SchemaContext {
  private readonly compiled: Compiled;
  private readonly defs: Record<string, JsonSchema>;
  /**
   * The validator of each schema object this side was already asked about: a diff asks about the same
   * schema objects over and over, and stripping and printing a schema for its key cost more than the
   * validation itself. Kept per context (one diff), not with the shared validators, so a caller that
   * edits a schema object between two diffs gets the edited schema's validator.
   */
  private readonly byObject = new WeakMap<object, ValidateFunction>();

  constructor(definitions: Record<string, JsonSchema>) {
    this.defs = Object.fromEntries(Object.entries(definitions).map(([name, schema]) => [name, stripAnnotations(schema) as JsonSchema]));
    this.compiled = compiledFor(this.defs);
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
    if (typeof schema === "boolean") return this.validatorOfText(schema);
    let validate = this.byObject.get(schema);
    if (!validate) this.byObject.set(schema, (validate = this.validatorOfText(schema)));
    return validate;
  }

  /** The validator of a schema, compiled once per schema text (annotations aside). */
  private validatorOfText(schema: JsonSchema): ValidateFunction {
    const stripped = stripAnnotations(schema);
    const key = stableStringify(stripped);
    let validate = this.compiled.byText.get(key);
    if (!validate) {
      const root = typeof stripped === "boolean" ? (stripped ? {} : { not: {} }) : { ...(stripped as object) };
      const rootDefs = (root as Record<string, unknown>).$defs;
      if (Object.keys(this.defs).length > 0) (root as Record<string, unknown>).$defs = { ...this.defs, ...(isObject(rootDefs) ? rootDefs : {}) };
      validate = this.compiled.ajv.compile(root);
      this.compiled.byText.set(key, validate);
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

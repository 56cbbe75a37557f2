import fs from "node:fs";
import AjvDraft04Module from "ajv-draft-04";
import addFormatsModule from "ajv-formats";

const SCHEMA_FILE = "/work/shared/schemas/sarif-schema-2.1.0.json";

// Both are CommonJS with `exports.default`; under NodeNext the default import is the module object.
interface AjvLike {
  compile(schema: object): ((data: unknown) => boolean) & { errors?: { instancePath: string; message?: string }[] | null };
}
const AjvDraft04 = ((AjvDraft04Module as unknown as { default?: unknown }).default ?? AjvDraft04Module) as new (options: object) => AjvLike;
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: AjvLike) => AjvLike;

/** Validates a SARIF log against the official 2.1.0 schema (draft-04); returns the errors, [] when valid. */
export function validateSarif(log: unknown): string[] {
  const ajv = new AjvDraft04({ allErrors: true, strict: false });
  addFormats(ajv);
  const validate = ajv.compile(JSON.parse(fs.readFileSync(SCHEMA_FILE, "utf8")) as object);
  return validate(log) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}

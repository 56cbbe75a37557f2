import fs from "node:fs";
import Ajv from "ajv-draft-04";
import addFormats from "ajv-formats";

const SCHEMA_FILE = "/work/shared/schemas/sarif-schema-2.1.0.json";

/** Validates a SARIF log against the official 2.1.0 schema (draft-04); returns the errors, [] when valid. */
export function validateSarif(log: unknown): string[] {
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  const validate = ajv.compile(JSON.parse(fs.readFileSync(SCHEMA_FILE, "utf8")) as object);
  return validate(log) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}

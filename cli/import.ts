/** `covenant import asyncapi <doc>`: a contract from an AsyncAPI 3.x document. */
import fs from "node:fs";
import path from "node:path";
import { CovenantError } from "../common/errors.js";
import { readUserFile, writeUserFile } from "../common/user-files.js";
import { toPosix } from "../common/strings.js";
import { importAsyncApi } from "../contracts/asyncapi/index.js";
import { loadContractFromText } from "../contracts/index.js";
import { IMPORT_FORMATS as FORMATS } from "./command-values.js";
import type { ExitCode } from "./exit-code.js";

function usage(message: string): CovenantError {
  return new CovenantError({ code: "import-usage", file: "covenant import", line: 0, column: 0, message });
}

export function runImport(format: string, document: string, options: { output?: string; force?: boolean }, cwd: string = process.cwd()): ExitCode {
  if (!FORMATS.includes(format)) throw usage(`Unknown import format "${format}". Use one of: ${FORMATS.join(", ")}.`);
  const file = path.resolve(cwd, document);
  const text = readUserFile(file, { what: "the AsyncAPI document", flag: "<document>" });
  if (text === undefined)
    throw new CovenantError({ code: "asyncapi-not-found", file, line: 0, column: 0, message: "No such file. Check the path of the AsyncAPI document." });
  const result = importAsyncApi(toPosix(path.relative(cwd, file)) || file, text);
  const output = options.output !== undefined && options.output !== "-" ? path.resolve(cwd, options.output) : path.join(cwd, `${result.name}.contract.yaml`);
  if (options.output !== "-" && fs.existsSync(output) && !options.force) {
    throw new CovenantError({
      code: "import-exists",
      file: output,
      line: 0,
      column: 0,
      message: "The contract already exists. Pass --force to overwrite it, or -o another file.",
    });
  }
  // A document whose import is not a valid contract is an error, and nothing is written.
  try {
    loadContractFromText(result.text, output);
  } catch (error) {
    if (!(error instanceof CovenantError)) throw error;
    throw new CovenantError(
      error.problems.map((p) =>
        p.file === path.resolve(output)
          ? {
              ...p,
              file,
              line: 0,
              column: 0,
              message: `The imported contract is not valid: ${p.message} Fix the document (or import with -o - and edit the contract).`,
            }
          : p,
      ),
    );
  }
  if (options.output === "-") {
    process.stdout.write(result.text);
    return 0;
  }
  writeUserFile(output, result.text, { what: "the contract", flag: "--output" });
  process.stdout.write(`wrote ${toPosix(path.relative(cwd, output)) || output}\n`);
  return 0;
}

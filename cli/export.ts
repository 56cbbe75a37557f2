/** `covenant export asyncapi <contract>`: the contract as an AsyncAPI 3.0 document. */
import path from "node:path";
import { CovenantError } from "../common/errors.js";
import { writeUserFile } from "../common/user-files.js";
import { toPosix } from "../common/strings.js";
import { formatAsyncApiYaml } from "../contracts/asyncapi/index.js";
import { loadContract } from "../contracts/index.js";
import { EXPORT_FORMATS as FORMATS } from "./command-values.js";
import type { ExitCode } from "./exit-code.js";

function usage(message: string): CovenantError {
  return new CovenantError({ code: "export-usage", file: "covenant export", line: 0, column: 0, message });
}

export function runExport(format: string, contractFile: string, options: { output?: string }, cwd: string = process.cwd()): ExitCode {
  if (!FORMATS.includes(format)) throw usage(`Unknown export format "${format}". Use one of: ${FORMATS.join(", ")}.`);
  const file = path.resolve(cwd, contractFile);
  const contract = loadContract(file);
  const text = formatAsyncApiYaml(contract, toPosix(path.basename(file)));
  if (options.output === "-") {
    process.stdout.write(text);
    return 0;
  }
  const output = options.output !== undefined ? path.resolve(cwd, options.output) : path.join(path.dirname(file), `${contract.name}.asyncapi.yaml`);
  writeUserFile(output, text, { what: "the AsyncAPI document", flag: "--output" });
  process.stdout.write(`wrote ${toPosix(path.relative(cwd, output)) || output}\n`);
  return 0;
}

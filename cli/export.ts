/** `covenant export asyncapi <contract>`: the contract as an AsyncAPI 3.0 document. */
import path from "node:path";
import type { Command } from "commander";
import { CovenantError } from "../common/errors.js";
import { writeUserFile } from "../common/user-files.js";
import { toPosix } from "../common/strings.js";
import { formatAsyncApiYaml } from "../contracts/asyncapi/index.js";
import { loadContract } from "../contracts/index.js";
import type { ExitCode } from "./exit-code.js";

const FORMATS = ["asyncapi"];

function usage(message: string): CovenantError {
  return new CovenantError({ code: "export-usage", file: "covenant export", line: 0, column: 0, message });
}

export function registerExportCommand(program: Command, setExitCode: (code: ExitCode) => void): void {
  program
    .command("export")
    .description("Write a contract in another format: asyncapi (an AsyncAPI 3.0 document).")
    .argument("<format>", `the format: ${FORMATS.join(", ")}`)
    .argument("<contract>", "the contract file")
    .option("-o, --output <file>", "where to write it (default: <contract name>.asyncapi.yaml beside the contract; - for stdout)")
    .addHelpText(
      "after",
      `
Examples:
  covenant export asyncapi contracts/chat.contract.yaml
  covenant export asyncapi contracts/chat.contract.yaml -o docs/chat.asyncapi.yaml

What AsyncAPI cannot say (the lifecycle, event states, envelope, run pattern) is kept in x-covenant-*
extensions: see docs/asyncapi.md. Exit codes: 0 written; 2 invalid input.`,
    )
    .action((format: string, contractFile: string, options: { output?: string }) => {
      setExitCode(runExport(format, contractFile, options));
    });
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

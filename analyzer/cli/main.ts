import { Command, CommanderError } from "commander";
import { CovenantError, formatProblem } from "../../common/errors.js";
import { registerCheckCommand } from "./check.js";
import { registerDiffCommand } from "./diff.js";
import { registerGenerateCommand } from "./generate.js";
import { registerInitCommand } from "./init.js";

/** A command's action resolves to its exit code (0/1/2); main sets process.exitCode. */
export type ExitCode = 0 | 1 | 2;

export function createProgram(setExitCode: (code: ExitCode) => void): Command {
  const program = new Command("covenant")
    .description("Protocol contracts and a TypeScript analyzer for WebSocket/event-channel services.")
    .version(VERSION)
    .option("--debug", "print stack traces of unexpected errors")
    .exitOverride()
    .showHelpAfterError();
  registerCheckCommand(program, setExitCode);
  registerGenerateCommand(program, setExitCode);
  registerDiffCommand(program, setExitCode);
  registerInitCommand(program, setExitCode);
  return program;
}

const VERSION = "0.1.0";

export async function main(argv: string[]): Promise<ExitCode> {
  let exitCode: ExitCode = 0;
  const program = createProgram((code) => {
    exitCode = code;
  });
  try {
    await program.parseAsync(argv);
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help / --version exit 0; usage errors exit 2 (commander already printed the message).
      return error.exitCode === 0 ? 0 : 2;
    }
    if (error instanceof CovenantError) {
      for (const problem of error.problems) process.stderr.write(`${formatProblem(problem)}\n`);
      return 2;
    }
    const debug = argv.includes("--debug");
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`covenant: internal error: ${message}\n${debug && error instanceof Error ? `${error.stack}\n` : "Run again with --debug for a stack trace, and please report it.\n"}`);
    return 2;
  }
}

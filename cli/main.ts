import { Command, CommanderError } from "commander";
import { CovenantError, formatProblem } from "../common/errors.js";
import { PACKAGE } from "../common/package.js";
import { registerCommands } from "./commands.js";
import type { ExitCode } from "./exit-code.js";

export type { ExitCode };

/** The `covenant` program: every command declared (cli/commands.ts); a command's module loads when it runs. */
export function createProgram(setExitCode: (code: ExitCode) => void): Command {
  const program = new Command("covenant")
    .description("Protocol contracts and a TypeScript analyzer for WebSocket/event-channel services.")
    .version(PACKAGE.version)
    .option("--debug", "print stack traces of unexpected errors")
    .option("--color", "colour the report even when the output is not a terminal (also FORCE_COLOR=1)")
    .option("--no-color", "never colour the report (also NO_COLOR=1)")
    .helpCommand("help [command]", "Display help for a command.")
    .configureHelp({ showGlobalOptions: true })
    .exitOverride();
  registerCommands(program, setExitCode);
  configureUsageErrors(program, program.name());
  return program;
}

/**
 * A usage error (unknown option, bad option value, missing argument) is one line on stderr, what is
 * wrong and where to look, in the shape of every other input error: `covenant check  error  <what>.
 * See covenant check --help.` The full help is for `--help`.
 */
function configureUsageErrors(command: Command, commandPath: string): void {
  command.showHelpAfterError(false).configureOutput({
    outputError: (message, write) => write(formatUsageError(message, commandPath)),
  });
  for (const sub of command.commands) configureUsageErrors(sub, `${commandPath} ${sub.name()}`);
}

function formatUsageError(message: string, commandPath: string): string {
  const what = message
    .trim()
    .replace(/^error:\s*/i, "")
    .replace(/\s*\n\s*/g, " ");
  const sentence = `${what.charAt(0).toUpperCase()}${what.slice(1)}${/[.!?]$/.test(what) ? "" : "."}`;
  return `${commandPath}  error  ${sentence} See ${commandPath} --help.\n`;
}

export async function main(argv: string[]): Promise<ExitCode> {
  let exitCode: ExitCode = 0;
  try {
    const program = createProgram((code) => {
      exitCode = code;
    });
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
    process.stderr.write(
      `covenant: internal error: ${message}\n${debug && error instanceof Error ? `${error.stack ?? error.message}\n` : "Run again with --debug for a stack trace, and please report it.\n"}`,
    );
    return 2;
  }
}

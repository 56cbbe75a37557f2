import { Command, CommanderError } from "commander";
import { CovenantError, formatProblem } from "../../common/errors.js";

/** A command's action resolves to its exit code (0/1/2); main sets process.exitCode. */
export type ExitCode = 0 | 1 | 2;

type Register = (program: Command, setExitCode: (code: ExitCode) => void) => void;

/**
 * Command modules, loaded on demand: `covenant check` must not pay for the contract stack (ajv,
 * prettier, json-schema-to-typescript) nor `covenant generate` for ts-morph. Only the invoked
 * command's module is imported; `--help` without a command loads them all.
 */
const COMMANDS: Record<string, () => Promise<Register>> = {
  check: async () => (await import("./check.js")).registerCheckCommand,
  generate: async () => (await import("./generate.js")).registerGenerateCommand,
  diff: async () => (await import("./diff.js")).registerDiffCommand,
  init: async () => (await import("./init.js")).registerInitCommand,
  infer: async () => (await import("../../cli/infer.js")).registerInferCommand,
};

/** The command word of argv (after node and the script), or undefined when there is none. */
function findCommand(argv: readonly string[]): string | undefined {
  const first = argv.slice(2).find((arg) => !arg.startsWith("-"));
  return first !== undefined && first in COMMANDS ? first : undefined;
}

export async function createProgram(setExitCode: (code: ExitCode) => void, argv: readonly string[] = []): Promise<Command> {
  const program = new Command("covenant")
    .description("Protocol contracts and a TypeScript analyzer for WebSocket/event-channel services.")
    .version(VERSION)
    .option("--debug", "print stack traces of unexpected errors")
    .exitOverride();
  const wanted = findCommand(argv);
  const versionOnly = wanted === undefined && argv.some((arg) => arg === "-V" || arg === "--version");
  const names = wanted !== undefined ? [wanted] : versionOnly ? [] : Object.keys(COMMANDS);
  for (const name of names) (await COMMANDS[name]!())(program, setExitCode);
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
  const what = message.trim().replace(/^error:\s*/i, "").replace(/\s*\n\s*/g, " ");
  const sentence = `${what.charAt(0).toUpperCase()}${what.slice(1)}${/[.!?]$/.test(what) ? "" : "."}`;
  return `${commandPath}  error  ${sentence} See ${commandPath} --help.\n`;
}

const VERSION = "0.1.0";

export async function main(argv: string[]): Promise<ExitCode> {
  let exitCode: ExitCode = 0;
  try {
    const program = await createProgram((code) => {
      exitCode = code;
    }, argv);
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

import type { Command } from "commander";
import type { ExitCode } from "./main.js";

// Placeholder: replaced by the real command.
export function registerGenerateCommand(program: Command, setExitCode: (code: ExitCode) => void): void {
  program
    .command("generate")
    .description("not yet implemented")
    .action(() => {
      process.stderr.write("covenant generate: not yet implemented\n");
      setExitCode(2);
    });
}

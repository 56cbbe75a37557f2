import type { Command } from "commander";
import type { ExitCode } from "./main.js";

// Placeholder: replaced by the real command.
export function registerInitCommand(program: Command, setExitCode: (code: ExitCode) => void): void {
  program
    .command("init")
    .description("not yet implemented")
    .action(() => {
      process.stderr.write("covenant init: not yet implemented\n");
      setExitCode(2);
    });
}

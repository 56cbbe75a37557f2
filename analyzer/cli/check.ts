import type { Command } from "commander";
import type { ExitCode } from "./main.js";

// Placeholder: replaced by the real command.
export function registerCheckCommand(program: Command, setExitCode: (code: ExitCode) => void): void {
  program
    .command("check")
    .description("not yet implemented")
    .action(() => {
      process.stderr.write("covenant check: not yet implemented\n");
      setExitCode(2);
    });
}

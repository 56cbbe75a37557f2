import type { Command } from "commander";
import type { ExitCode } from "./main.js";

// Placeholder: replaced by the real command.
export function registerDiffCommand(program: Command, setExitCode: (code: ExitCode) => void): void {
  program
    .command("diff")
    .description("not yet implemented")
    .action(() => {
      process.stderr.write("covenant diff: not yet implemented\n");
      setExitCode(2);
    });
}

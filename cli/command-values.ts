/**
 * Values a command's help names and its implementation checks or uses: shared by cli/commands.ts (the
 * declarations, loaded by every run, `--help` included) and the command modules (loaded when their
 * command runs). Nothing here may import: this module is on every run's path.
 */

/** `covenant diff --format`. */
export const DIFF_FORMATS = ["stylish", "json", "markdown"] as const;

/** `covenant diff --fail-on`. */
export const DIFF_FAIL_ON = ["breaking", "warning"] as const;

/** The accepted-breaks file `covenant diff` looks for upward from the cwd (contracts/diff/breaks.ts reads its content). */
export const BREAKS_FILE_NAME = "covenant.breaks.json";

/** `covenant export <format>`. */
export const EXPORT_FORMATS = ["asyncapi"];

/** `covenant import <format>`. */
export const IMPORT_FORMATS = ["asyncapi"];

/** What `covenant init` writes. */
export const CONFIG_FILE = "covenant.config.json";
export const EXAMPLE_CONTRACT_FILE = "contracts/example.contract.yaml";

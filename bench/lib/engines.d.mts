/** Options a tsconfig must lose for TypeScript 7 to accept it, from `tsc -p <config> --listFilesOnly` output of TypeScript 7. */
export function removedOptions(tscOutput: string, configName?: string): { option: string; message: string }[];
/** Errors in `tsc --noEmit` output. */
export function countTscErrors(tscOutput: string): number;
/** oxlint `-f json` output → findings by rule and the number of files linted; throws when it is not oxlint's report. */
export function readOxlintReport(stdout: string): { files: number; byRule: Record<string, number>; total: number };
/** What `covenant check --help` says about `--engine`. */
export function engineSupport(helpText: string): { flag: boolean; ts6: boolean; ts7: boolean };

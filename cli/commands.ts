import { type Command, InvalidArgumentError, Option } from "commander";
import { FORMAT_NAMES } from "../analyzer/report/index.js";
import type { CheckFlags } from "./check.js";
import type { ColorFlag } from "./color.js";
import { BREAKS_FILE_NAME, CONFIG_FILE, DIFF_FAIL_ON, DIFF_FORMATS, EXAMPLE_CONTRACT_FILE, EXPORT_FORMATS, IMPORT_FORMATS } from "./command-values.js";
import type { DiffCommandOptions } from "./diff.js";
import type { ExitCode } from "./exit-code.js";
import type { GenerateCommandOptions } from "./generate.js";
import type { InferFlags } from "./infer.js";
import type { MergeFlags } from "./sarif-merge.js";

/**
 * Every command's declaration: its name, arguments, options and help. A command's module (what it
 * does, and the libraries that takes: TypeScript, ajv, prettier, yaml, ts-morph) is imported by its
 * action, when it runs: `covenant --help`, a mistyped command or a usage error load none of them, and a
 * command loads only its own.
 */
export function registerCommands(program: Command, setExitCode: (code: ExitCode) => void): void {
  registerCheck(program, setExitCode);
  registerGenerate(program, setExitCode);
  registerDiff(program, setExitCode);
  registerExport(program, setExitCode);
  registerImport(program, setExitCode);
  registerInfer(program, setExitCode);
  registerInit(program, setExitCode);
  registerSarif(program, setExitCode);
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** `--max-warnings`: a whole number, or -1 for no limit (ESLint's meaning). */
function parseMaxWarnings(value: string): number {
  if (!/^(\d+|-1)$/.test(value.trim())) throw new InvalidArgumentError("Expected a whole number >= 0, or -1 for no limit.");
  return Number(value);
}

function registerCheck(program: Command, setExitCode: (code: ExitCode) => void): void {
  program
    .command("check")
    .description("Analyze a TypeScript project and report findings. Exit 0: no error-severity finding; 1: findings; 2: usage, config or input error.")
    .argument("[paths...]", "report only on files under these files or folders (each must exist)")
    .option("-p, --project <tsconfig>", "tsconfig.json or its folder (default: tsconfig.json found upward from the cwd)")
    .option("-c, --config <file>", "covenant.config.json (default: found upward from the tsconfig's folder)")
    .addOption(new Option("--format <format>", "output format").choices(FORMAT_NAMES).default("stylish"))
    .option("-o, --output <file>", "write the report to this file instead of stdout")
    .option("--rule <id>", "run only this rule (repeatable)", collect)
    .option("--baseline <file>", "report only findings not in this baseline file")
    .option("--update-baseline", "write the current findings to the baseline (--baseline <file>, default covenant.baseline.json)")
    .option("--changed [git-ref]", "report only on files changed since the ref (default HEAD) and untracked files; the whole program is still typed")
    .option("--max-warnings <n>", "exit 1 when there are more warnings than this (-1: no limit)", parseMaxWarnings)
    .addOption(
      new Option(
        "--engine <engine>",
        "which TypeScript analyzes: ts6 (covenant's TypeScript 6, in process), ts7 (TypeScript 7's native compiler), auto (default: the config's `engine`, else ts7 where its compiler is installed and accepts the tsconfig, ts6 otherwise; with --daemon ts6)",
      ).choices(["auto", "ts6", "ts7"]),
    )
    .option(
      "--daemon",
      "run in a background covenant process that keeps the parsed program between runs (started on first use, exits after 15 idle minutes): a run after a small edit parses only what changed",
    )
    .action(async (paths: string[], flags: CheckFlags, command: Command) => {
      const { runCheckCommand } = await import("./check.js");
      setExitCode(await runCheckCommand(paths, { ...flags, color: command.optsWithGlobals<ColorFlag>().color }));
    });
}

function registerGenerate(program: Command, setExitCode: (code: ExitCode) => void): void {
  program
    .command("generate")
    .description("Compile contracts into types, validators, JSON Schema, a runtime guard and reviewer docs.")
    .argument("[contracts...]", "contract files or globs (default: the config's `contracts`)")
    .option("--out-dir <dir>", "folder to write into (default: the config's generate.outDir, else beside each contract)")
    .option("--check", "write nothing; exit 1 when any generated file is missing or out of date")
    .option("-c, --config <file>", "covenant.config.json to use (default: found upward from the cwd)")
    .option("--base <git-ref>", 'add a "Changes since <version>" section to the docs, diffing each contract with its version at this ref')
    .addOption(
      new Option(
        "--slow-patterns <level>",
        "a pattern that can backtrack super-linearly: `warning` prints it, `error` fails (default: the config's generate.slowPatterns, else warning)",
      ).choices(["warning", "error"]),
    )
    .action(async (contracts: string[], options: GenerateCommandOptions) => {
      const { runGenerateCommand } = await import("./generate.js");
      setExitCode(await runGenerateCommand(contracts, options));
    });
}

function registerDiff(program: Command, setExitCode: (code: ExitCode) => void): void {
  program
    .command("diff")
    .description("Classify every change between two versions of a contract as breaking or not, with witnesses.")
    .argument("[old]", "the old contract: a file, or git-ref:path (path relative to the cwd, else to the repository root)")
    .argument("[new]", "the new contract: a file, or git-ref:path")
    .option("--base <git-ref>", "compare every contract of the config (or the contracts given) with its version at this ref")
    .option("--format <format>", `output format: ${DIFF_FORMATS.join(", ")}`, "stylish")
    .option("-c, --config <file>", "covenant.config.json to use with --base (default: found upward from the cwd)")
    .option("--breaks <file>", `accepted breaking changes (default: ${BREAKS_FILE_NAME} in the cwd or the nearest folder above)`)
    .option("--today <date>", "the day (YYYY-MM-DD) expiry dates in the accepted-breaks file are checked against (default: today, UTC)")
    .option("--fail-on <level>", `what fails the run without a major bump: ${DIFF_FAIL_ON.join(", ")}`, "breaking")
    .addHelpText(
      "after",
      `
Examples:
  covenant diff old.contract.yaml new.contract.yaml
  covenant diff main:contracts/chat.contract.yaml contracts/chat.contract.yaml
  covenant diff --base origin/main            every contract in covenant.config.json
  covenant diff --base v1.2.0 contracts/chat.contract.yaml

Levels: breaking (breaks a party that follows the contract), warning (breaks only a party that does not
follow what the contract declares, or cannot be decided from the contract), non-breaking.

Exit codes: 0 no breaking change, or breaking with a major version bump; 1 breaking without a major bump
(warnings too with --fail-on warning); 2 invalid input.`,
    )
    .action(async (oldArg: string | undefined, newArg: string | undefined, options: DiffCommandOptions, command: Command) => {
      const { color } = command.optsWithGlobals<ColorFlag>();
      const { runDiff } = await import("./diff.js");
      setExitCode(
        await runDiff(
          [oldArg, newArg].filter((a): a is string => a !== undefined),
          { ...options, color },
        ),
      );
    });
}

function registerExport(program: Command, setExitCode: (code: ExitCode) => void): void {
  program
    .command("export")
    .description("Write a contract in another format: asyncapi (an AsyncAPI 3.0 document).")
    .argument("<format>", `the format: ${EXPORT_FORMATS.join(", ")}`)
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
    .action(async (format: string, contractFile: string, options: { output?: string }) => {
      const { runExport } = await import("./export.js");
      setExitCode(runExport(format, contractFile, options));
    });
}

function registerImport(program: Command, setExitCode: (code: ExitCode) => void): void {
  program
    .command("import")
    .description("Write a contract from another format: asyncapi (an AsyncAPI 3.x document).")
    .argument("<format>", `the format: ${IMPORT_FORMATS.join(", ")}`)
    .argument("<document>", "the document (YAML or JSON)")
    .option("-o, --output <file>", "the contract to write (default: <name>.contract.yaml in the current folder; - for stdout)")
    .option("--force", "overwrite an existing contract")
    .addHelpText(
      "after",
      `
Examples:
  covenant import asyncapi chat.asyncapi.yaml
  covenant import asyncapi asyncapi.json -o contracts/chat.contract.yaml

The lifecycle, event states and envelope are read from the x-covenant-* extensions covenant export
writes; without them the contract has a one-state lifecycle and comments saying what to fill in
(docs/asyncapi.md). Exit codes: 0 written; 2 invalid input (nothing is written).`,
    )
    .action(async (format: string, document: string, options: { output?: string; force?: boolean }) => {
      const { runImport } = await import("./import.js");
      setExitCode(runImport(format, document, options));
    });
}

function registerInfer(program: Command, setExitCode: (code: ExitCode) => void): void {
  program
    .command("infer")
    .description("Draft a contract from the message types and emission sites of a TypeScript project.")
    .argument("[paths...]", "files or folders to look in (default: the whole project); may name a library's .d.ts")
    .requiredOption("-o, --out <file>", "the draft contract to write (e.g. protocol.contract.yaml)")
    .option("-p, --project <tsconfig>", "tsconfig.json (or its folder) of the project (default: found upward from the cwd)")
    .option("--type <name>", "a message union to draft from, by its type name (repeatable); skips the name heuristic", collect)
    .option("--discriminator <field>", "the field that names the event (default: found, preferring `type`)")
    .option("--payload-field <field>", "the field that carries the payload (default: found, preferring `data`, `payload`)")
    .option("--name <contract-name>", "the contract's kebab-case name (default: from the --out file name)")
    .option("--force", "overwrite --out (and --config-out) when they exist")
    .option("-c, --config <file>", "covenant.config.json whose `emits` bindings name the emission sites (default: found upward from the tsconfig)")
    .option("--config-out <file>", "also write a covenant.config.json naming the draft, with the inferred `emits` bindings")
    .action(async (paths: string[], flags: InferFlags) => {
      const { runInfer } = await import("./infer.js");
      setExitCode(await runInfer(paths, flags));
    });
}

function registerInit(program: Command, setExitCode: (code: ExitCode) => void): void {
  program
    .command("init")
    .description(`Write a starter ${CONFIG_FILE} and an example contract (${EXAMPLE_CONTRACT_FILE}) in the current folder.`)
    .option("--force", "overwrite the files if they exist")
    .action(async (flags: { force?: boolean }) => {
      const { initProject } = await import("./init.js");
      for (const name of await initProject(process.cwd(), flags)) process.stdout.write(`wrote ${name}\n`);
      process.stdout.write("Next: edit the contract, then run `covenant generate` and `covenant check`.\n");
      process.stdout.write("Next: the generated validators import zod 4: `npm install zod@^4`.\n");
      setExitCode(0);
    });
}

function registerSarif(program: Command, setExitCode: (code: ExitCode) => void): void {
  const sarif = program.command("sarif").description("Work with SARIF files that covenant check wrote.");
  sarif
    .command("merge")
    .description("Merge SARIF files (one per package of a monorepo) into one log for a single code-scanning upload.")
    .argument("<files...>", "SARIF files; the relative paths in each are relative to its folder")
    .option("-o, --output <file>", "write the merged log to this file (paths relative to its folder) instead of stdout (paths relative to the cwd)")
    .addHelpText(
      "after",
      `
Runs of the same tool and version are joined into one run (code scanning takes one run per tool and
category in an upload); results are sorted by location. Exit codes, as covenant check's: 0 merged,
nothing at error level; 1 merged, some result at error level; 2 an unreadable or invalid input
(nothing written).

Example:
  covenant sarif merge packages/*/covenant.sarif -o covenant.sarif`,
    )
    .action(async (files: string[], flags: MergeFlags) => {
      const { runSarifMerge } = await import("./sarif-merge.js");
      setExitCode(runSarifMerge(files, flags));
    });
}

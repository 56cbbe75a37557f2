/**
 * `covenant infer [paths...] -p <tsconfig> --out <file.contract.yaml>`: drafts a contract from the
 * message unions and emission sites of a TypeScript project. Parses options, runs the inference
 * (analyzer/infer), writes the draft (and, with --config-out, a config with the inferred bindings),
 * prints what it could not convert as warnings. 0 written; 2 bad input.
 */
import fs from "node:fs";
import path from "node:path";
import { CovenantError, formatProblem } from "../common/errors.js";
import { toPosix } from "../common/strings.js";
import { CONTRACT_NAME_PATTERN } from "../contracts/format/contract.schema.js";
import type { ExitCode } from "./exit-code.js";
import type { EmitBinding } from "../contracts/bindings/bindings.schema.js";
import { loadConfig } from "../analyzer/config/load-config.js";
import { resolveTsconfigPath } from "../analyzer/project/tsconfig-path.js";
import type { InferResult } from "../analyzer/infer/infer-protocol.js";
import { prepareUserFile, writeUserFile } from "../common/user-files.js";

export interface InferFlags {
  project?: string;
  out: string;
  type?: string[];
  discriminator?: string;
  payloadField?: string;
  name?: string;
  force?: boolean;
  config?: string;
  configOut?: string;
}

const DRAFT_ROLE = { what: "the draft contract", flag: "--out" };
const CONFIG_ROLE = { what: "the config", flag: "--config-out" };

function refuseExisting(file: string, flag: string, force: boolean | undefined): void {
  if (!force && fs.existsSync(file)) {
    throw new CovenantError({ code: "output-exists", file, line: 0, column: 0, message: `The file exists. Pass --force to overwrite it, or another ${flag}.` });
  }
}

/** The contract name: `--name`, else the --out file's name without `.contract.yaml`, kebab-cased. */
function getContractName(flags: InferFlags, out: string): string {
  if (flags.name !== undefined) {
    if (CONTRACT_NAME_PATTERN.test(flags.name)) return flags.name;
    throw new CovenantError({
      code: "invalid-contract-name",
      file: out,
      line: 0,
      column: 0,
      message: `--name "${flags.name}" is not kebab-case. Pass a name like my-protocol.`,
    });
  }
  const stem = path.basename(out).replace(/(\.contract)?\.(ya?ml|json)$/i, "");
  const kebab = stem
    .replace(/([a-z0-9])([A-Z])/g, "$1-$2")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^[^a-z]+|-+$/g, "");
  return CONTRACT_NAME_PATTERN.test(kebab) ? kebab : "protocol";
}

function getConfigBindings(flags: InferFlags, tsconfig: string): EmitBinding[] | undefined {
  const config = loadConfig({ ...(flags.config === undefined ? {} : { configFile: flags.config }), searchFrom: path.dirname(tsconfig) });
  const emits = Object.values(config.bindings).flatMap((bindings) => (bindings as { emits?: EmitBinding[] }).emits ?? []);
  return emits.length > 0 ? emits : undefined;
}

function summarize(result: InferResult, out: string, cwd: string): string {
  const { events, definitions } = result.protocol;
  const count = (direction: string) => events.filter((e) => new Set(e.hints.map((h) => h.side)).size === 1 && e.hints[0]!.side === direction).length;
  const server = count("server");
  const client = count("client");
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
  const relative = toPosix(path.relative(cwd, out));
  const shown = relative === "" || relative.startsWith("../") ? out : relative;
  return `covenant infer: wrote ${shown}: ${plural(events.length, "event")} (${server} server-to-client, ${client} client-to-server, ${events.length - server - client} to decide), ${plural(definitions.size, "shared schema")}, ${plural(result.warnings.length, "warning")}.\n`;
}

export async function runInfer(paths: readonly string[], flags: InferFlags, cwd: string = process.cwd()): Promise<ExitCode> {
  const out = path.resolve(cwd, flags.out);
  const configOut = flags.configOut === undefined ? undefined : path.resolve(cwd, flags.configOut);
  // A folder is refused as such before an existing file is refused as existing.
  prepareUserFile(out, DRAFT_ROLE);
  if (configOut) prepareUserFile(configOut, CONFIG_ROLE);
  refuseExisting(out, "--out", flags.force);
  if (configOut) refuseExisting(configOut, "--config-out", flags.force);
  const name = getContractName(flags, out);
  const tsconfig = resolveTsconfigPath(flags.project, cwd);
  const bindings = getConfigBindings(flags, tsconfig);
  // Loaded once the flags, the tsconfig's path and the config are known good: their errors come before TypeScript loads.
  const [{ inferProtocol }, { writeDraft }, { loadContractFromText }] = await Promise.all([
    import("../analyzer/infer/infer-protocol.js"),
    import("../analyzer/infer/write-draft.js"),
    import("../contracts/load/load-contract.js"),
  ]);
  const result = inferProtocol({
    tsconfig,
    paths,
    cwd,
    contractName: name,
    typeNames: flags.type ?? [],
    ...(flags.discriminator === undefined ? {} : { discriminator: flags.discriminator }),
    ...(flags.payloadField === undefined ? {} : { payloadField: flags.payloadField }),
    ...(bindings === undefined ? {} : { bindings }),
  });
  const text = writeDraft(result.protocol, { name, root: result.root, tsconfig: toPosix(path.relative(path.dirname(out), tsconfig)) || "tsconfig.json" });
  try {
    loadContractFromText(text, out);
  } catch (error) {
    // The draft is ours: a draft the loader refuses is a bug here, not the user's input.
    if (error instanceof CovenantError) throw new Error(`the draft does not load as a contract: ${error.message}`);
    throw error;
  }
  for (const warning of result.warnings) {
    const problem = {
      code: "infer-warning",
      file: warning.at?.file ?? tsconfig,
      line: warning.at?.line ?? 0,
      column: warning.at?.column ?? 0,
      message: warning.text,
    };
    process.stderr.write(`${formatProblem(problem, cwd).replace("  error  ", "  warning  ")}\n`);
  }
  writeUserFile(out, text, DRAFT_ROLE);
  const emits = { [name]: { emits: result.protocol.emits } };
  if (configOut) {
    const contract = toPosix(path.relative(path.dirname(configOut), out));
    writeUserFile(configOut, `${JSON.stringify({ contracts: [contract], bindings: emits }, null, 2)}\n`, CONFIG_ROLE);
  }
  process.stdout.write(summarize(result, out, cwd));
  if (!configOut && result.protocol.emits.length > 0) {
    process.stdout.write(`Bindings for \`covenant check\` (covenant.config.json, under "bindings"):\n${JSON.stringify(emits, null, 2)}\n`);
  }
  return 0;
}

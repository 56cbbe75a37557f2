import path from "node:path";
import { CovenantError } from "../../common/errors.js";
import type { Contract } from "../model.js";
import { emitDocs, type DocsChange } from "./docs.js";
import { emitJsonSchema } from "./json-schema.js";
import { emitLifecycle } from "./lifecycle.js";
import { emitTypes } from "./types.js";
import { emitValidators } from "./validators.js";
import { emitVectors } from "./vectors.js";
import { findSlowPatterns, PATTERN_ANALYSIS_BUDGET_MS } from "./slow-patterns.js";
import { findUnenforced, type GenerationWarning } from "./unenforced.js";
import { getFileStatuses, MAX_OUTPUT_NAME_BYTES, writeFilesAtomic, type FileStatus, type GeneratedFile } from "./write-atomic.js";
import { toPosix } from "../../common/strings.js";

export { emitDocs, type DocsChange } from "./docs.js";
export { emitLifecycle } from "./lifecycle.js";
export { emitValidators } from "./validators.js";
export { emitVectors } from "./vectors.js";
export { buildGenerationModel } from "./names.js";
export { buildRunDfa } from "../automata/run-dfa.js";
export type { FileStatus, GeneratedFile } from "./write-atomic.js";
export type { GenerationWarning } from "./unenforced.js";

export interface ArtifactOptions {
  /** Contract path named in every header (relative, `/` separators). */
  source: string;
  /** Changes since a base version, for the docs (`--base`). */
  changes?: { base: string; changes: readonly DocsChange[] };
}

/** One generator target: the file it writes, named `<contract name><suffix>`, and the pure function that makes it. */
interface GeneratorTarget {
  suffix: string;
  emit(contract: Contract, options: ArtifactOptions): string | Promise<string>;
}

/**
 * The generator registry: every target `covenant generate` writes per contract, in this order. A new
 * target is one entry here (and its module beside this file); names, the name-length check, `--check` and
 * the atomic write all follow from the list.
 */
const GENERATORS = [
  { suffix: ".types.ts", emit: (contract, { source }) => emitTypes(contract, { source }) },
  { suffix: ".validators.ts", emit: (contract, { source }) => emitValidators(contract, { source }) },
  { suffix: ".schema.json", emit: (contract, { source }) => emitJsonSchema(contract, { source }) },
  { suffix: ".lifecycle.ts", emit: (contract, { source }) => emitLifecycle(contract, { source }) },
  { suffix: ".md", emit: (contract, { source, changes }) => emitDocs(contract, changes === undefined ? { source } : { source, changes }) },
  { suffix: ".vectors.json", emit: (contract, { source }) => emitVectors(contract, { source }) },
] as const satisfies readonly GeneratorTarget[];

/** The artifacts' suffixes, in the registry's order. */
export const ARTIFACT_SUFFIXES: readonly string[] = GENERATORS.map((target) => target.suffix);

/** Every artifact of one contract as `{ fileName, content }`; pure and deterministic (made one after another). */
export async function generateArtifacts(contract: Contract, options: ArtifactOptions): Promise<{ fileName: string; content: string }[]> {
  const artifacts: { fileName: string; content: string }[] = [];
  for (const target of GENERATORS) artifacts.push({ fileName: `${contract.name}${target.suffix}`, content: await target.emit(contract, options) });
  return artifacts;
}

export interface PlanOptions {
  /** Absolute output folder; default: beside each contract. */
  outDir?: string;
  /** Hook for `--base`: the docs' "changes since" section per contract. */
  changesFor?: (contract: Contract) => Promise<ArtifactOptions["changes"]> | ArtifactOptions["changes"];
  /**
   * Receives, per contract in order, what the generated validators cannot enforce (see
   * `findUnenforced`) and the patterns that can backtrack super-linearly (see `findSlowPatterns`).
   * Default: one `file:line:column  warning  message` line each on stderr.
   */
  onWarning?: (warning: GenerationWarning) => void;
  /** `error`: a pattern that can backtrack super-linearly is an input error (nothing is written). Default `warning`. */
  slowPatterns?: "warning" | "error";
}

/**
 * The files `generate` would write for these contracts. The header names each contract by its
 * path relative to the folder the files go to, so the bytes do not depend on the cwd.
 */
export async function planGeneration(contracts: readonly Contract[], options: PlanOptions = {}): Promise<GeneratedFile[]> {
  const files: GeneratedFile[] = [];
  const owners = new Map<string, Contract>();
  const warn = options.onWarning ?? ((warning: GenerationWarning) => process.stderr.write(`${formatWarning(warning)}\n`));
  const deadline = Date.now() + PATTERN_ANALYSIS_BUDGET_MS; // one budget for the whole run
  const slow = contracts.map((contract) => findSlowPatterns(contract, deadline));
  if (options.slowPatterns === "error" && slow.some((list) => list.length > 0)) {
    throw new CovenantError(slow.flat().map((w) => ({ code: "slow-pattern", file: w.file, ...w.position, message: w.message })));
  }
  for (const [index, contract] of contracts.entries()) {
    const warnings = [...findUnenforced(contract), ...slow[index]!];
    warnings.sort((a, b) => a.position.line - b.position.line || a.position.column - b.position.column);
    for (const warning of warnings) warn(warning);
    const dir = options.outDir ?? path.dirname(contract.file);
    const source = toPosix(path.relative(dir, contract.file)) || path.basename(contract.file);
    checkOutputNames(contract);
    const changes = await options.changesFor?.(contract);
    for (const artifact of await generateOrExplain(contract, { source, ...(changes === undefined ? {} : { changes }) })) {
      const target = path.join(dir, artifact.fileName);
      const owner = owners.get(target);
      if (owner !== undefined) {
        const where = contract.locate(["name"]);
        throw new CovenantError({
          code: "generate-name-collision",
          file: contract.file,
          ...where,
          message: `Contract name "${contract.name}" is also used by ${owner.file}: both would generate ${target}. Give each contract a unique name, or generate them into different folders.`,
        });
      }
      owners.set(target, contract);
      files.push({ path: target, content: artifact.content });
    }
  }
  return files;
}

/** Every output name fits the file system, checked before any artifact is made (and any file written). */
function checkOutputNames(contract: Contract): void {
  const longest = ARTIFACT_SUFFIXES.map((suffix) => `${contract.name}${suffix}`).reduce((a, b) => (Buffer.byteLength(b) > Buffer.byteLength(a) ? b : a));
  const bytes = Buffer.byteLength(longest);
  if (bytes <= MAX_OUTPUT_NAME_BYTES) return;
  throw new CovenantError({
    code: "generate-name-too-long",
    file: contract.file,
    ...contract.locate(["name"]),
    message: `contract name \`${contract.name.slice(0, 40)}…\` (${contract.name.length} characters) makes the generated file name \`…${longest.slice(-30)}\` ${bytes} bytes long, more than the ${MAX_OUTPUT_NAME_BYTES} covenant can write (file systems take 255, and the temporary file adds 13). Use a name of at most ${MAX_OUTPUT_NAME_BYTES - (bytes - Buffer.byteLength(contract.name))} characters. Nothing was written.`,
  });
}

/**
 * `generateArtifacts`, with a stack overflow (a schema library recursing through a very long chain of
 * `$ref`s) turned into one located error: the loader has already bounded what it can (see
 * docs/contract-format.md, Limits), and what remains is a contract too complex to generate.
 */
async function generateOrExplain(contract: Contract, options: ArtifactOptions): Promise<{ fileName: string; content: string }[]> {
  try {
    return await generateArtifacts(contract, options);
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    throw new CovenantError({
      code: "generate-too-complex",
      file: contract.file,
      ...contract.locate(["name"]),
      message: `contract \`${contract.name}\` is too complex to generate: ${error.message.toLowerCase()} while translating its schemas (a chain of \`$ref\`s hundreds of schemas long?). Shorten the chains of \`$ref\`s, or split the contract.`,
    });
  }
}

export interface GenerateResult {
  files: { path: string; status: FileStatus }[];
  /** True when any file differs from (or is missing on) disk. */
  stale: boolean;
}

/** Compares the planned files with the disk and, unless `check`, writes the ones that differ. */
export async function applyGeneration(files: readonly GeneratedFile[], options: { check: boolean }): Promise<GenerateResult> {
  const statuses = await getFileStatuses(files);
  const outdated = statuses.filter((s) => s.status !== "unchanged").map((s) => s.file);
  if (!options.check) await writeFilesAtomic(outdated);
  return { files: statuses.map((s) => ({ path: s.file.path, status: s.status })), stale: outdated.length > 0 };
}

/** `file:line:column  warning  message`, the file relative to the cwd (as errors are printed). */
export function formatWarning(warning: GenerationWarning, cwd: string = process.cwd()): string {
  const file = toPosix(path.relative(cwd, warning.file)) || warning.file;
  return `${file}:${warning.position.line}:${warning.position.column}  warning  ${warning.message}`;
}

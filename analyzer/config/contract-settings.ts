import { globSync } from "tinyglobby";
import { CovenantError, type Problem } from "../../common/errors.js";
import { MAX_INPUT_FILE_BYTES, readRegularFile } from "../../common/safe-fs.js";
import { loadContract } from "../../contracts/load/load-contract.js";
import { readSourceFile } from "../../contracts/load/read-source.js";
import type { Contract } from "../../contracts/model.js";
import { type ContractBindings, findBindingProblems } from "../../contracts/bindings/bindings.schema.js";
import { parseJsonSource } from "./json-source.js";
import type { LoadedConfig } from "./load-config.js";

/**
 * What `CheckSettings.contracts` holds for the contract rules (lifecycle-order, contract-event): each
 * contract matched by the config's `contracts` globs, loaded and validated, with its `bindings` entry.
 */
export interface ContractSetting {
  /** Absolute path of the contract file. */
  file: string;
  contract: Contract;
  /** `bindings[contract.name]` from the config, when there is one. */
  bindings?: ContractBindings;
}

/** Where the config's contracts and bindings come from: a config file, or ESLint settings (no file). */
export type ContractSource = Pick<LoadedConfig, "dir" | "contracts" | "bindings" | "file">;

function locateInConfig(source: ContractSource, path: (string | number)[]): { file: string; line: number; column: number } {
  if (!source.file) return { file: "settings.covenant", line: 0, column: 0 };
  try {
    const json = parseJsonSource(source.file, readRegularFile(source.file, MAX_INPUT_FILE_BYTES), "config");
    return { file: source.file, ...json.locate(path, "value") };
  } catch {
    return { file: source.file, line: 0, column: 0 };
  }
}

/** A contract loaded before, with the text of every file its load read (the contract, its `$ref`ed files). */
interface LoadedContract {
  contract: Contract;
  reads: Map<string, string>;
}

const loadedContracts = new Map<string, LoadedContract>();

function readsUnchanged(reads: Map<string, string>): boolean {
  for (const [file, text] of reads) {
    try {
      if (readSourceFile(file) !== text) return false;
    } catch {
      return false;
    }
  }
  return true;
}

/**
 * `loadContract(file)`, reusing the contract of an earlier load in this process while every file that
 * load read (the contract and its `$ref`ed schema files) still holds the same text: the daemon checks
 * on every commit and an ESLint run per settings object and cwd, and loading (YAML, schemas, examples
 * compiled with Ajv) costs far more than reading the files again. A contract that does not load is not
 * kept, so its problems are reported every time. The contract is shared: nothing that reads it changes it.
 */
function loadContractOnce(file: string): Contract {
  const known = loadedContracts.get(file);
  if (known && readsUnchanged(known.reads)) return known.contract;
  const reads = new Map<string, string>();
  const contract = loadContract(file, {
    readFile: (f) => {
      const text = readSourceFile(f);
      reads.set(f, text);
      return text;
    },
  });
  loadedContracts.set(file, { contract, reads });
  return contract;
}

/**
 * Loads the config's contracts (an invalid one is an input error, as with `covenant generate`; every
 * contract's problems are reported together) and
 * checks that every `bindings` entry names a loaded contract and only its transitions, states and
 * events (a typo would silently switch the contract rules off).
 */
export function loadContractSettings(source: ContractSource): ContractSetting[] {
  const files = source.contracts.length ? globSync(source.contracts, { cwd: source.dir, absolute: true }).sort() : [];
  // Every contract's problems in one run, and the bindings of those that load: one invalid contract
  // hides nothing about the others.
  const problems: Problem[] = [];
  const settings: ContractSetting[] = [];
  for (const file of files) {
    let contract: Contract;
    try {
      contract = loadContractOnce(file);
    } catch (error) {
      if (!(error instanceof CovenantError)) throw error;
      problems.push(...error.problems);
      continue;
    }
    const bindings = source.bindings[contract.name] as ContractBindings | undefined;
    settings.push(bindings ? { file, contract, bindings } : { file, contract });
  }
  const failed = settings.length < files.length;
  const loaded = settings.map((s) => s.contract.name);
  for (const name of Object.keys(source.bindings).sort()) {
    // A contract that did not load may be the one this entry names: its own problems say enough.
    if (loaded.includes(name) || failed) continue;
    const message = loaded.length
      ? `bindings "${name}" names no contract the config loads (${loaded.join(", ")}). Use a contract's \`name\`, or add its file to "contracts".`
      : `bindings "${name}" names no contract: "contracts" loads none. Add the contract's file to "contracts".`;
    problems.push({ code: "config-unknown-contract", ...locateInConfig(source, ["bindings", name]), message });
  }
  for (const setting of settings) {
    if (!setting.bindings) continue;
    for (const problem of findBindingProblems(setting.contract, setting.bindings)) {
      problems.push({
        code: "config-invalid-binding",
        ...locateInConfig(source, ["bindings", setting.contract.name, ...problem.path]),
        message: problem.message,
      });
    }
  }
  if (problems.length) throw new CovenantError(problems);
  return settings;
}

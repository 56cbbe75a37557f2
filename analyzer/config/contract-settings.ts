import { globSync } from "tinyglobby";
import { CovenantError, type Problem } from "../../common/errors.js";
import { MAX_INPUT_FILE_BYTES, readRegularFile } from "../../common/safe-fs.js";
import { loadContract } from "../../contracts/load/load-contract.js";
import type { Contract } from "../../contracts/model.js";
import { type ContractBindings, findBindingProblems } from "./bindings.schema.js";
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

/**
 * Loads the config's contracts (an invalid one is an input error, as with `covenant generate`) and
 * checks that every `bindings` entry names a loaded contract and only its transitions, states and
 * events (a typo would silently switch the contract rules off).
 */
export function loadContractSettings(source: ContractSource): ContractSetting[] {
  const files = source.contracts.length ? globSync(source.contracts, { cwd: source.dir, absolute: true }).sort() : [];
  const settings: ContractSetting[] = files.map((file) => {
    const contract = loadContract(file);
    const bindings = source.bindings[contract.name] as ContractBindings | undefined;
    return bindings ? { file, contract, bindings } : { file, contract };
  });
  const problems: Problem[] = [];
  const loaded = settings.map((s) => s.contract.name);
  for (const name of Object.keys(source.bindings).sort()) {
    if (loaded.includes(name)) continue;
    const message = loaded.length
      ? `bindings "${name}" names no contract the config loads (${loaded.join(", ")}). Use a contract's \`name\`, or add its file to "contracts".`
      : `bindings "${name}" names no contract: "contracts" loads none. Add the contract's file to "contracts".`;
    problems.push({ code: "config-unknown-contract", ...locateInConfig(source, ["bindings", name]), message });
  }
  for (const setting of settings) {
    if (!setting.bindings) continue;
    for (const problem of findBindingProblems(setting.contract, setting.bindings)) {
      problems.push({ code: "config-invalid-binding", ...locateInConfig(source, ["bindings", setting.contract.name, ...problem.path]), message: problem.message });
    }
  }
  if (problems.length) throw new CovenantError(problems);
  return settings;
}

import path from "node:path";
import type { CheckSettings } from "../../analyzer/checks/define-check.js";
import type { ContractBindingsInput } from "../../contracts/bindings/bindings.schema.js";
import { loadContractSettings } from "../../analyzer/config/contract-settings.js";
import { loadContract } from "../../contracts/load/load-contract.js";

/** The bundled contract the contract rules' tables run against, loaded by the real loader. */
export const AGENT_CONTRACT = path.resolve(import.meta.dirname, "../../contracts/agent-websocket.contract.yaml");

const names = new Map<string, string>();

/**
 * `CheckSettings` with a contract (default: the bundled agent-websocket) and these bindings, as the
 * engine builds them from a config: the real loader, the bindings' names checked against the contract.
 */
export function withBindings(bindings: ContractBindingsInput, contractFile = AGENT_CONTRACT): Partial<CheckSettings> {
  let name = names.get(contractFile);
  if (name === undefined) {
    name = loadContract(contractFile).name;
    names.set(contractFile, name);
  }
  const contracts = loadContractSettings({ dir: path.dirname(contractFile), contracts: [path.basename(contractFile)], bindings: { [name]: bindings } });
  return { contracts };
}

/** The contract room's entry for the others: the model, the loader and run patterns. */
export type { Contract, RunPattern } from "./model.js";
export { EMPTY_PAYLOAD, loadContract, loadContractFromText, type LoadContractOptions } from "./load/load-contract.js";
export { CONTRACT_MESSAGES } from "./load/contract-errors.js";
export * from "./pattern/index.js";

/** The contract format, its loader and run patterns: the public API of `covenant/contracts`. */
export type { Contract, ContractEvent, ContractState, Direction, JsonSchema, RunPattern, SourcePosition } from "./model.js";
export {
  CONTRACT_NAME_PATTERN,
  ContractDocumentSchema,
  createContractJsonSchema,
  DIRECTIONS,
  EVENT_NAME_PATTERN,
  SEMVER_PATTERN,
  STATE_NAME_PATTERN,
  type ContractDocument,
  type ContractDocumentInput,
} from "./format/contract.schema.js";
export { EMPTY_PAYLOAD, loadContract, loadContractFromText, type LoadContractOptions } from "./load/load-contract.js";
export { CONTRACT_MESSAGES, type ContractErrorCode } from "./load/contract-errors.js";
export { toPascalCase } from "./load/identifiers.js";
export * from "./pattern/index.js";

/**
 * The identifiers generated code derives from contract names, as far as the loader must know them to
 * reject collisions up front (the generators keep their own allocator as a second line of defence).
 */
import { toPascalCase } from "../../common/strings.js";

/** Suffixes of the per-contract API names (`<Name>Message`, `create<Name>Connection`, ...). */
const API_NAMES = [
  (base: string) => `${base}EventName`,
  (base: string) => `${base}State`,
  (base: string) => `${base}Transition`,
  (base: string) => `${base}FinalState`,
  (base: string) => `${base}Payloads`,
  (base: string) => `${base}Message`,
  (base: string) => `${base}MessageOf`,
  (base: string) => `${base}MessageSchema`,
  (base: string) => `${base}PayloadSchemas`,
  (base: string) => `${base}ValidationIssue`,
  (base: string) => `${base}ValidationError`,
  (base: string) => `${base}ParseResult`,
  (base: string) => `${base}Connection`,
  (base: string) => `${base}ConnectionOptions`,
  (base: string) => `${base}RunMonitor`,
  (base: string) => `${base}RunViolation`,
];

/** Identifiers every generated module may declare, whatever the contract says. */
export function reservedIdentifiers(contractName: string): string[] {
  const base = toPascalCase(contractName);
  return [...API_NAMES.map((make) => make(base)), "LifecycleError", "ContractError"];
}

/** Type and schema-constant names generated for an event's payload. */
export function eventIdentifiers(eventName: string): string[] {
  const type = `${toPascalCase(eventName)}Payload`;
  return [type, `${type}Schema`];
}

/** Type and schema-constant names generated for a shared definition. */
export function definitionIdentifiers(definitionName: string): string[] {
  const type = toPascalCase(definitionName);
  return [type, `${type}Schema`];
}

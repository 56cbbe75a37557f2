import type { Contract } from "../../contracts/model.js";
import { generateInto, importGenerated } from "../contracts/generate-harness.js";

/**
 * The generated lifecycle guard as tests drive it, from any contract (event, state and transition
 * names are plain strings here): what `create<Name>Connection` returns.
 */
export interface GeneratedConnection<M = Record<string, unknown>> {
  readonly state: string;
  readonly pending: number;
  transition(name: string): string;
  emit(event: string, payload: unknown): "sent" | "queued";
  drain(): M[];
}

/** `LifecycleError` or `ContractError` of a generated `<name>.lifecycle.ts`. */
export type GeneratedErrorClass = new (...args: never[]) => Error & { state?: string; transition?: string; event?: string; issues?: unknown[] };

/** A generated `<name>.lifecycle.ts`: its error classes and its `create<Name>…` factories, by name. */
export interface GeneratedLifecycle {
  LifecycleError: GeneratedErrorClass;
  ContractError: GeneratedErrorClass;
  [factory: string]: unknown;
}

/**
 * Generates each contract's files into test/__generated__/<dir>/<contract name> (emptied first)
 * and imports its `<name>.lifecycle.ts` for real (vitest transpiles the TypeScript), by contract name.
 */
export async function importGeneratedLifecycles<T = GeneratedLifecycle>(contracts: readonly Contract[], dir: string): Promise<Map<string, T>> {
  const modules = new Map<string, T>();
  for (const contract of contracts) {
    const outDir = await generateInto(contract, `${dir}/${contract.name}`);
    modules.set(contract.name, await importGenerated<T>(outDir, `${contract.name}.lifecycle.ts`));
  }
  return modules;
}

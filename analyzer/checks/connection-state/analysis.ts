/**
 * One file's lifecycle analysis per bound contract, shared by lifecycle-order and contract-event:
 * the bound calls, and (on demand) the control-flow states of each unit that has some.
 */
import type ts from "typescript";
import { getProgramCache, type CheckSettings } from "../define-check.js";
import { ConnectionKeys } from "./connection-keys.js";
import { type BoundContract, getBoundContracts } from "./contract-bindings.js";
import { type FlowResult, LifecycleFlow } from "./flow.js";
import { findLifecycleSites, type LifecycleSite } from "./sites.js";
import { getUnitStart, type Unit } from "./units.js";

export interface LifecycleAnalysis {
  bound: BoundContract;
  keys: ConnectionKeys;
  /** Every bound call of the file, in source order. */
  sites: LifecycleSite[];
  /** The flow of the unit a site runs in. */
  flowOf(unit: Unit): FlowResult;
}

function analyze(checker: ts.TypeChecker, sourceFile: ts.SourceFile, bound: BoundContract): LifecycleAnalysis {
  const keys = new ConnectionKeys(checker, sourceFile);
  const sites = findLifecycleSites(checker, keys, sourceFile, bound);
  const flows = new Map<Unit, FlowResult>();
  return {
    bound,
    keys,
    sites,
    flowOf(unit) {
      let flow = flows.get(unit);
      if (!flow) {
        const start = getUnitStart(checker, keys, unit, bound.bindings.handlers ?? []);
        const unitSites = sites.filter((s) => s.unit === unit);
        flow = new LifecycleFlow(checker, bound.graph, unit, start, unitSites, (name) => keys.getKey(name)).run();
        flows.set(unit, flow);
      }
      return flow;
    },
  };
}

/** The analyses of a file, one per contract with bindings; cached per program, file and settings. */
export function getLifecycleAnalyses(program: ts.Program, checker: ts.TypeChecker, sourceFile: ts.SourceFile, settings: CheckSettings): LifecycleAnalysis[] {
  const bound = getBoundContracts(settings);
  if (bound.length === 0) return [];
  const cache = getProgramCache(program, "lifecycle-analysis", () => new WeakMap<ts.SourceFile, WeakMap<readonly unknown[], LifecycleAnalysis[]>>());
  let perFile = cache.get(sourceFile);
  if (!perFile) {
    perFile = new WeakMap();
    cache.set(sourceFile, perFile);
  }
  let analyses = perFile.get(settings.contracts);
  if (!analyses) {
    analyses = bound.map((b) => analyze(checker, sourceFile, b));
    perFile.set(settings.contracts, analyses);
  }
  return analyses;
}

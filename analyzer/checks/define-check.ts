import type ts from "typescript";
import { z } from "zod";
import { getDocsUrl, type RuleId, type Severity } from "./rule-ids.js";
import { withTypeScript } from "./typescript.js";

/** What a check knows of the project beyond the program: config-derived, never fs. */
export interface CheckSettings {
  /** Whether a file (absolute path, `/` separators) is a test file per the config's `tests` globs. */
  isTestFile: (fileName: string) => boolean;
  /** Config `migrations`: any use of `from` is reported by dual-interface. */
  migrations: readonly { from: string; to: string }[];
  /** Loaded contracts with their bindings (lifecycle-order, contract-event); shape owned by those checks. */
  contracts: readonly unknown[];
}

export const defaultCheckSettings: CheckSettings = {
  isTestFile: (fileName) => /\.(test|spec)\.[cm]?tsx?$/.test(fileName) || /(^|\/)(test|__tests__)\//.test(fileName),
  migrations: [],
  contracts: [],
};

export interface ReportRelated {
  node: ts.Node;
  message: string;
}

export interface ReportSuggestion<MessageIds extends string> {
  messageId: MessageIds;
  data?: Record<string, string>;
  /** Replace [start, end) (0-based offsets in the reported file) by text. */
  edits: { start: number; end: number; text: string }[];
}

export interface ReportDescriptor<MessageIds extends string> {
  node: ts.Node;
  messageId: MessageIds;
  data?: Record<string, string>;
  /** `Class.member` style name of the symbol involved. */
  symbol?: string;
  related?: ReportRelated[];
  suggest?: ReportSuggestion<MessageIds>[];
}

export interface CheckContext<MessageIds extends string, Options> {
  /**
   * The TypeScript module the program was built with (covenant's own in the CLI, the project's in
   * ESLint). A check reads it through `ts` of analyzer/checks/typescript.ts, bound from here.
   */
  ts: typeof ts;
  program: ts.Program;
  checker: ts.TypeChecker;
  sourceFile: ts.SourceFile;
  options: Options;
  settings: CheckSettings;
  report(this: void, descriptor: ReportDescriptor<MessageIds>): void;
}

export interface CheckMeta {
  description: string;
  defaultSeverity: Severity;
  /** Needs config (contracts/bindings) to do anything. */
  requiresConfig?: boolean;
}

export interface Check<MessageIds extends string = string, Options = unknown, Id extends RuleId = RuleId> {
  id: Id;
  meta: CheckMeta & { docsUrl: string };
  messages: Record<MessageIds, string>;
  options: z.ZodType<Options>;
  /** Runs on one source file. Program-wide facts go through `getProgramCache`. */
  check(context: CheckContext<MessageIds, Options>): void;
}

export function defineCheck<MessageIds extends string, Options, const Id extends RuleId>(definition: {
  id: Id;
  meta: CheckMeta;
  messages: Record<MessageIds, string>;
  options: z.ZodType<Options>;
  check(context: CheckContext<MessageIds, Options>): void;
}): Check<MessageIds, Options, Id> {
  return {
    ...definition,
    meta: { ...definition.meta, docsUrl: getDocsUrl(definition.id) },
    check: (context) => {
      // A caller of the public `checks` (index.ts) that predates context.ts: say what is missing, not "cannot read SyntaxKind".
      if (!context.ts?.SyntaxKind)
        throw new Error(`${definition.id}: the check context has no \`ts\`; pass the TypeScript module that built the program (import ts from "typescript").`);
      return withTypeScript(context.ts, () => definition.check(context));
    },
  };
}

/** An options schema for checks without options. */
export const noOptions = z.strictObject({});

const programCaches = new WeakMap<ts.Program, Map<string, unknown>>();

/** Program-wide facts computed once per program and check (e.g. all call sites of a member). */
export function getProgramCache<T>(program: ts.Program, key: string, compute: () => T): T {
  let cache = programCaches.get(program);
  if (!cache) {
    cache = new Map();
    programCaches.set(program, cache);
  }
  if (!cache.has(key)) cache.set(key, compute());
  return cache.get(key) as T;
}

import type { JSONSchema, TSESLint, TSESTree } from "@typescript-eslint/utils";
import type ts from "typescript";
import { z } from "zod";
import type { Check, ReportDescriptor } from "../analyzer/checks/define-check.js";
import { RULE_IDS } from "../analyzer/checks/rule-ids.js";
import {
  findInvalidSuppressions,
  findSuppressions,
  matchSuppressions,
  SUPPRESSION_MESSAGES,
  type Suppression,
  type SuppressionMessageId,
  type SuppressionProblem,
} from "../analyzer/engine/suppressions.js";
import { getProgramTypeScript } from "./program-typescript.js";
import { getContractSettings, parseEslintSettings, toCheckSettings } from "./settings.js";

/** The messageId an adapted rule reports when its check throws on a file (the CLI's `internal-error`). */
export const INTERNAL_ERROR_MESSAGE_ID = "covenantInternalError";

/** The messageId of the one message on a file the checks cannot read (a TypeScript they do not run on). */
export const CANNOT_RUN_MESSAGE_ID = "covenantCannotRun";

type JSONSchema4 = JSONSchema.JSONSchema4;

export type CovenantRuleModule = TSESLint.RuleModule<string, [Record<string, unknown>?], { requiresTypeChecking: boolean }>;

/** `{name}` (our templates, rendered by renderMessage) → `{{name}}` (ESLint's interpolation). */
export function toEslintTemplate(template: string): string {
  return template.replace(/\{(\w+)\}/g, "{{$1}}");
}

/** The rule's options schema for ESLint: one options object, from the check's zod schema (draft-04, as ESLint's ajv). */
export function toEslintSchema(options: z.ZodType): TSESLint.RuleMetaData<string>["schema"] {
  // JSON Schema from zod is plain JSON data; ESLint's ajv (draft-04) rejects a `$schema` it does not know.
  const { $schema: _, ...schema } = z.toJSONSchema(options, { target: "draft-4", io: "input" }) as JSONSchema4;
  return [schema];
}

export function getNoTypeInformationMessage(ruleId: string, filename: string): string {
  return (
    `covenant/${ruleId} needs type information, and ESLint has none for ${filename}. ` +
    "Lint this file with @typescript-eslint/parser and typed linting: " +
    "languageOptions: { parser: tseslint.parser, parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } } " +
    "(covenant.configs.recommended sets the parser and projectService for *.ts files). " +
    "See https://typescript-eslint.io/getting-started/typed-linting."
  );
}

interface TypedServices {
  program: ts.Program;
  esTreeNodeToTSNodeMap: { get(node: TSESTree.Node): ts.Node };
}

function getTypedServicesOrThrow(context: Readonly<TSESLint.RuleContext<string, unknown[]>>, ruleId: string): TypedServices {
  const services = context.sourceCode.parserServices as Partial<TypedServices> | undefined;
  if (!services?.program || !services.esTreeNodeToTSNodeMap) throw new Error(getNoTypeInformationMessage(ruleId, context.filename));
  return services as TypedServices;
}

function parseOptionsOrThrow<Options>(check: Check<string, Options>, raw: unknown): Options {
  const result = check.options.safeParse(raw ?? {});
  if (result.success) return result.data;
  const issues = result.error.issues.map((i) => `  ✖ ${i.message}\n    → at ${["options", ...i.path.map(String)].join(".")}`);
  throw new Error(`covenant/${check.id}: invalid rule options:\n${issues.join("\n")}`);
}

/**
 * The single adapter from a covenant check to an ESLint rule. The check runs once per file on
 * `Program`, over the TypeScript program typescript-eslint built for that file (parser services),
 * exactly as the CLI runs it; its report descriptors become `context.report` calls. Lines are
 * 1-based and columns 0-based (ESLint's `loc`), taken from ESLint's own line index so they match
 * ESLint's view of the text. Related locations and symbols have no ESLint equivalent and are dropped.
 */
export function toEslintRule<Options>(check: Check<string, Options>): CovenantRuleModule {
  for (const id of [INTERNAL_ERROR_MESSAGE_ID, CANNOT_RUN_MESSAGE_ID]) if (id in check.messages) throw new Error(`${check.id}: messageId ${id} is reserved`);
  const messages: Record<string, string> = {
    [INTERNAL_ERROR_MESSAGE_ID]: "covenant check {{check}} failed on this file: {{reason}}. The lint run went on; please report this with the file.",
    [CANNOT_RUN_MESSAGE_ID]: "covenant's rules did not run on this file: {{reason}}",
  };
  for (const [id, template] of Object.entries<string>(check.messages)) messages[id] = toEslintTemplate(template);
  for (const [id, template] of Object.entries(SUPPRESSION_MESSAGES) as [SuppressionMessageId, string][]) {
    if (suppressionMessageId(id) in check.messages) throw new Error(`${check.id}: messageId ${suppressionMessageId(id)} is reserved`);
    messages[suppressionMessageId(id)] = toEslintTemplate(template);
  }
  return {
    meta: {
      type: "problem",
      docs: { description: check.meta.description, url: check.meta.docsUrl, requiresTypeChecking: true },
      messages,
      schema: toEslintSchema(check.options),
      hasSuggestions: true,
    },
    create(context) {
      const services = getTypedServicesOrThrow(context, check.id);
      const options = parseOptionsOrThrow(check, context.options[0]);
      const settings = parseEslintSettings((context.settings as Record<string, unknown>).covenant);
      // An invalid contract or binding stops the run here, with its location, not as a per-file internal error.
      if (check.meta.requiresConfig) getContractSettings(settings, context.cwd);
      const { sourceCode } = context;
      // The plugin's namespace, as ESLint directives name the rule: `covenant/` unless registered under another name.
      const prefix = context.id.endsWith(`/${check.id}`) ? context.id.slice(0, -check.id.length) : "covenant/";
      const running = runningRules.get(sourceCode) ?? new Set<string>();
      runningRules.set(sourceCode, running.add(check.id));
      return {
        Program(node) {
          const sourceFile = services.esTreeNodeToTSNodeMap.get(node) as ts.SourceFile;
          const typescript = getProgramTypeScript(services.program, sourceFile);
          if (typescript.problem !== undefined) {
            // Once per file, from the first covenant rule running on it; the other rules are silent.
            if (RULE_IDS.find((id) => running.has(id)) === check.id)
              context.report({ loc: { line: 1, column: 0 }, messageId: CANNOT_RUN_MESSAGE_ID, data: { reason: typescript.problem } });
            return;
          }
          const configPath = services.program.getCompilerOptions().configFilePath;
          const root = typeof configPath === "string" ? configPath.replace(/[/\\][^/\\]*$/, "") : undefined;
          const descriptors: ReportDescriptor<string>[] = [];
          try {
            check.check({
              ts: typescript.ts,
              program: services.program,
              checker: services.program.getTypeChecker(),
              sourceFile,
              options,
              settings: toCheckSettings(settings, context.cwd, root),
              report: (descriptor) => descriptors.push(descriptor),
            });
          } catch (error) {
            const reason = error instanceof Error ? error.message : String(error);
            context.report({ loc: { line: 1, column: 0 }, messageId: INTERNAL_ERROR_MESSAGE_ID, data: { check: check.id, reason } });
          }
          // ESLint reports per file: a node in another file is that file's business.
          const reports = descriptors.filter((d) => d.node.getSourceFile() === sourceFile).map((d) => toEslintDescriptor(d, sourceFile, sourceCode));
          const suppressions = getSuppressions(sourceCode, sourceFile, typescript.ts, prefix);
          // ESLint applies its own directives (and reports them when unused); covenant-ignore is covenant's.
          const starts = reports.map((r) => {
            const { start } = r.loc as TSESTree.SourceLocation;
            return { ruleId: check.id, line: start.line, column: start.column + 1 };
          });
          const { suppressed, unused } = matchSuppressions(
            starts,
            suppressions.filter((s) => s.directive === "covenant-ignore"),
            KNOWN_RULE_IDS,
            new Set([check.id]),
          );
          reports.forEach((report, i) => {
            if (!suppressed[i]) context.report(report);
          });
          // ESLint itself reports a directive naming a rule it does not know ("Definition for rule … was not found").
          const invalid = findInvalidSuppressions(suppressions, KNOWN_RULE_IDS).filter(
            (p) => !(p.messageId === "unknownRule" && p.suppression.directive !== "covenant-ignore") && getReporter(p.suppression, running) === check.id,
          );
          for (const problem of [...invalid, ...unused].sort((a, b) => a.suppression.pos - b.suppression.pos))
            context.report(toSuppressionReport(problem, sourceCode));
        },
      };
    },
  };
}

/** The rule ids a suppression may name, in the order the CLI lists them. */
const KNOWN_RULE_IDS: readonly string[] = [...RULE_IDS].sort();

function suppressionMessageId(id: SuppressionMessageId): string {
  return `covenantSuppression${id[0]!.toUpperCase()}${id.slice(1)}`;
}

/** The covenant rules running on a file in this lint pass (ESLint creates every rule before it walks the file). */
const runningRules = new WeakMap<object, Set<string>>();
const suppressionCache = new WeakMap<object, Suppression[]>();

function getSuppressions(sourceCode: object, sourceFile: ts.SourceFile, typescript: typeof ts, prefix: string): Suppression[] {
  let suppressions = suppressionCache.get(sourceCode);
  if (!suppressions) {
    suppressions = sourceFile.text.includes("covenant-ignore") || sourceFile.text.includes(`eslint-`) ? findSuppressions(sourceFile, typescript, prefix) : [];
    suppressionCache.set(sourceCode, suppressions);
  }
  return suppressions;
}

/**
 * The one rule that reports a bad suppression comment, so a file shows it once however many covenant
 * rules run: the rule it names if that rule runs, else the first running rule; never a rule that the
 * comment itself disables on its own line (`eslint-disable-line`, block `eslint-disable`), since ESLint
 * would hide that rule's report.
 */
function getReporter(s: Suppression, running: ReadonlySet<string>): string | undefined {
  const hidesOwnLine = s.directive === "eslint-disable-line" || s.directive === "eslint-disable";
  return [...s.ruleIds, ...RULE_IDS].find((id) => running.has(id) && !(hidesOwnLine && s.ruleIds.includes(id)));
}

function toSuppressionReport(problem: SuppressionProblem, sourceCode: Readonly<TSESLint.SourceCode>): TSESLint.ReportDescriptor<string> {
  const s = problem.suppression;
  return {
    loc: { start: sourceCode.getLocFromIndex(s.pos), end: sourceCode.getLocFromIndex(s.end) },
    messageId: suppressionMessageId(problem.messageId),
    data: problem.data,
  };
}

function toEslintDescriptor(
  descriptor: ReportDescriptor<string>,
  sourceFile: ts.SourceFile,
  sourceCode: Readonly<TSESLint.SourceCode>,
): TSESLint.ReportDescriptor<string> {
  const start = sourceCode.getLocFromIndex(descriptor.node.getStart(sourceFile));
  const end = sourceCode.getLocFromIndex(descriptor.node.getEnd());
  const suggest: TSESLint.SuggestionReportDescriptor<string>[] = (descriptor.suggest ?? []).map((s) => ({
    messageId: s.messageId,
    data: s.data ?? {},
    fix: (fixer: TSESLint.RuleFixer) => s.edits.map((e) => fixer.replaceTextRange([e.start, e.end], e.text)),
  }));
  return { loc: { start, end }, messageId: descriptor.messageId, data: descriptor.data ?? {}, ...(suggest.length ? { suggest } : {}) };
}

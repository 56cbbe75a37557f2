import fs from "node:fs";
import path from "node:path";
import type { JSONSchema, TSESLint, TSESTree } from "@typescript-eslint/utils";
import ts from "typescript";
import { z } from "zod";
import type { Check, ReportDescriptor } from "../analyzer/checks/define-check.js";
import { findSuppressions } from "../analyzer/engine/suppressions.js";
import { getContractSettings, parseEslintSettings, toCheckSettings } from "./settings.js";

/** The messageId an adapted rule reports when its check throws on a file (the CLI's `internal-error`). */
export const INTERNAL_ERROR_MESSAGE_ID = "covenantInternalError";

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

const checkedPrograms = new WeakSet<ts.Program>();

/** The version of the TypeScript that built a program, read from beside its default lib file. */
function getProgramTypeScriptVersion(program: ts.Program): string | undefined {
  const lib = program.getSourceFiles().find((sf) => program.isSourceFileDefaultLibrary(sf));
  if (!lib) return undefined;
  try {
    const pkg = JSON.parse(fs.readFileSync(path.join(path.dirname(lib.fileName), "..", "package.json"), "utf8")) as { name?: string; version?: string };
    return pkg.name === "typescript" ? pkg.version : undefined;
  } catch {
    return undefined;
  }
}

const majorMinor = (version: string) => version.split(".").slice(0, 2).join(".");

/**
 * The checks read syntax trees with covenant's own TypeScript; typescript-eslint builds them with the
 * project's. Node kinds are numbered differently across minor versions, so a mismatch would make the
 * checks silently wrong: stop with a message that says what to install instead.
 */
export function assertSameTypeScript(program: ts.Program, sourceFile: ts.SourceFile, ruleId: string): void {
  if (checkedPrograms.has(program)) return;
  const theirs = getProgramTypeScriptVersion(program);
  if (sourceFile.kind !== ts.SyntaxKind.SourceFile || (theirs !== undefined && majorMinor(theirs) !== majorMinor(ts.version))) {
    throw new Error(
      `covenant/${ruleId}: typescript-eslint built the program for ${sourceFile.fileName} with TypeScript ${theirs ?? "of another version"}, ` +
        `and covenant's checks read syntax trees of TypeScript ${ts.version}; the two number their nodes differently. ` +
        `Make the project use TypeScript ${ts.version} (npm install --save-dev --save-exact typescript@${ts.version}), ` +
        "or run `covenant check`, which carries its own TypeScript.",
    );
  }
  checkedPrograms.add(program);
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
  if (INTERNAL_ERROR_MESSAGE_ID in check.messages) throw new Error(`${check.id}: messageId ${INTERNAL_ERROR_MESSAGE_ID} is reserved`);
  const messages: Record<string, string> = {
    [INTERNAL_ERROR_MESSAGE_ID]: "covenant check {{check}} failed on this file: {{reason}}. The lint run went on; please report this with the file.",
  };
  for (const [id, template] of Object.entries(check.messages) as [string, string][]) messages[id] = toEslintTemplate(template);
  return {
    meta: {
      type: "problem",
      docs: { description: check.meta.description, url: check.meta.docsUrl, requiresTypeChecking: true },
      messages,
      schema: toEslintSchema(check.options as z.ZodType),
      hasSuggestions: true,
    },
    defaultOptions: [],
    create(context) {
      const services = getTypedServicesOrThrow(context, check.id);
      const options = parseOptionsOrThrow(check, context.options[0]);
      const settings = parseEslintSettings((context.settings as Record<string, unknown>).covenant);
      // An invalid contract or binding stops the run here, with its location, not as a per-file internal error.
      if (check.meta.requiresConfig) getContractSettings(settings, context.cwd);
      const { sourceCode } = context;
      return {
        Program(node) {
          const sourceFile = services.esTreeNodeToTSNodeMap.get(node) as ts.SourceFile;
          assertSameTypeScript(services.program, sourceFile, check.id);
          const configPath = services.program.getCompilerOptions().configFilePath;
          const root = typeof configPath === "string" ? configPath.replace(/[/\\][^/\\]*$/, "") : undefined;
          const descriptors: ReportDescriptor<string>[] = [];
          try {
            check.check({
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
          const suppressedLines = getSuppressedLines(sourceFile, check.id);
          for (const descriptor of descriptors) {
            // ESLint reports per file: a node in another file is that file's business.
            if (descriptor.node.getSourceFile() !== sourceFile) continue;
            const report = toEslintDescriptor(descriptor, sourceFile, sourceCode);
            if (!suppressedLines.has((report.loc as TSESTree.SourceLocation).start.line)) context.report(report);
          }
        },
      };
    },
  };
}

/**
 * Lines a valid `// covenant-ignore <id> -- <reason>` suppresses for this rule, so ESLint and the CLI
 * agree on a file. Invalid and unused suppressions are the CLI's to report (ESLint's own
 * `eslint-disable` comments work as usual).
 */
function getSuppressedLines(sourceFile: ts.SourceFile, ruleId: string): Set<number> {
  if (!sourceFile.text.includes("covenant-ignore")) return new Set();
  return new Set(
    findSuppressions(sourceFile)
      .filter((s) => s.reason !== "" && s.ruleIds.includes(ruleId))
      .map((s) => s.targetLine),
  );
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

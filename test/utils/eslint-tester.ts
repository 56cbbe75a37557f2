import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import * as tsParser from "@typescript-eslint/parser";
import { RuleTester } from "@typescript-eslint/rule-tester";
import { Linter } from "eslint";
import ts from "typescript";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Check } from "../../analyzer/checks/define-check.js";
import type { ContractSetting } from "../../analyzer/config/contract-settings.js";
import plugin from "../../rules/index.js";
import { type CovenantRuleModule, toEslintRule } from "../../rules/to-eslint-rule.js";
import { assertNoDuplicateCases, type CheckTable, DEFAULT_FILENAME, getCaseFindings, getValidCases, type InvalidCase, type ValidCase } from "./check-tester.js";
import { createVirtualProgram, VIRTUAL_ROOT } from "./program.js";
import { createSharingCompilerHost } from "./shared-host.js";
import { getTypeScriptsUnderTest, type TypeScriptUnderTest } from "./typescript-versions.js";

RuleTester.afterAll = afterAll;
RuleTester.describe = describe;
RuleTester.it = it;
RuleTester.itOnly = it.only;

/** The compiler options of createVirtualProgram (test/utils/program.ts), as a tsconfig. */
const CASE_TSCONFIG = {
  compilerOptions: {
    target: "ES2022",
    module: "NodeNext",
    moduleResolution: "NodeNext",
    lib: ["ES2023"],
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    types: [],
    // TypeScript 6's default, written out for 5.9 (whose default is true): the `lib` files are
    // TypeScript's own, not looked up as `@typescript/lib-*` packages from the case folder up (which
    // doubled the cost of each 5.9 case program, and no such package is installed).
    libReplacement: false,
  },
  include: ["**/*"],
};

/**
 * Why a case cannot run through ESLint, or undefined. Settings given as functions (isTestFile) or
 * loaded contracts have no ESLint shared-settings form (test-file cases use file names instead), and
 * ESLint reports a parse error instead of running rules on code with syntax errors.
 */
function getSkipReason(testCase: ValidCase): string | undefined {
  const keys = Object.keys(testCase.settings ?? {}).filter((k) => k !== "migrations" && k !== "contracts");
  if (keys.length) return `settings.${keys.join(", ")} has no ESLint settings.covenant form`;
  if (testCase.allowTypeErrors && hasSyntaxErrors(testCase))
    return "ESLint does not lint a file that does not parse (the CLI analyzes it as far as recovery allows)";
  return undefined;
}

function hasSyntaxErrors(testCase: ValidCase): boolean {
  const filename = testCase.filename ?? DEFAULT_FILENAME;
  const program = createVirtualProgram({ [filename]: testCase.code });
  return program.getSyntacticDiagnostics(program.getSourceFile(`${VIRTUAL_ROOT}/${filename}`)).length > 0;
}

/** Writes one case as a small project (tsconfig + files): typed by createCaseProgram here, by a project service in to-eslint-rule.test.ts. */
export function writeCaseProject(root: string, index: number, testCase: ValidCase): string {
  const dir = path.join(root, `case-${index}`);
  const files = { ...testCase.files, [testCase.filename ?? DEFAULT_FILENAME]: testCase.code };
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  fs.writeFileSync(path.join(dir, "tsconfig.json"), JSON.stringify(CASE_TSCONFIG, null, 2));
  return dir;
}

/**
 * A table's cases as projects on disk, one folder each (`case-<index>`, the index in valid-then-invalid
 * order), each written by writeCaseProject: the folders ESLint's case programs are built from
 * (createCaseProgram) and the ones TypeScript 7's compiler opens (ts7-tester.ts), written once for
 * both by the first `write()` and removed by `remove()` after the table's last test (rule-table.ts).
 */
export interface CaseProjects {
  readonly root: string;
  dir(index: number): string;
  /** Writes every case's folder (once: later calls find them written). */
  write(): void;
  remove(): void;
}

export function createCaseProjects(id: string, cases: readonly ValidCase[]): CaseProjects {
  const root = path.join(os.tmpdir(), `covenant-cases-${id}-${process.pid}-${Math.random().toString(36).slice(2, 8)}`);
  let written = false;
  return {
    root,
    dir: (index) => path.join(root, `case-${index}`),
    write() {
      if (written) return;
      written = true;
      cases.forEach((testCase, index) => writeCaseProject(root, index, testCase));
    },
    remove() {
      written = false;
      fs.rmSync(root, { recursive: true, force: true });
    },
  };
}

/** settings.covenant for a case: its migrations, and its loaded contracts as files (absolute paths) + bindings. */
function getEslintSettings(testCase: ValidCase): Record<string, unknown> {
  const covenant: Record<string, unknown> = {};
  if (testCase.settings?.migrations) covenant.migrations = testCase.settings.migrations;
  const contracts = (testCase.settings?.contracts ?? []) as ContractSetting[];
  if (contracts.length) {
    covenant.contracts = contracts.map((c) => c.file);
    covenant.bindings = Object.fromEntries(contracts.flatMap((c) => (c.bindings ? [[c.contract.name, c.bindings]] : [])));
  }
  return Object.keys(covenant).length ? { covenant } : {};
}

type TypeScript = typeof ts;

/**
 * A real ts.Program for a case project written by writeCaseProject: its tsconfig.json parsed as
 * typescript-eslint's createProgram does, its files read from disk, and the TypeScript lib files
 * parsed once per worker and TypeScript and shared with every program of the same settings, the CLI
 * path's included (shared-host.ts's DocumentRegistry). `replacement` stands for the main file's
 * text when ESLint lints another text (a suggestion's output). Building this is what a project
 * service per case folder did, less the lib parsing and the language service around it.
 * `typescript` is the TypeScript that builds it (the one typescript-eslint's parser loaded).
 */
export function createCaseProgram(dir: string, replacement?: { fileName: string; text: string }, typescript: TypeScript = ts): ts.Program {
  const ts = typescript;
  const config = ts.getParsedCommandLineOfConfigFile(path.join(dir, "tsconfig.json"), undefined, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (d) => {
      throw new Error(ts.flattenDiagnosticMessageText(d.messageText, "\n"));
    },
  });
  if (!config) throw new Error(`cannot read ${dir}/tsconfig.json`);
  const host = createSharingCompilerHost(ts, config.options);
  const readSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (fileName, languageVersion, onError, shouldCreate) =>
    path.resolve(fileName) === replacement?.fileName
      ? ts.createSourceFile(fileName, replacement.text, languageVersion, true)
      : readSourceFile(fileName, languageVersion, onError, shouldCreate);
  return ts.createProgram({
    rootNames: config.fileNames,
    options: config.options,
    host,
    configFileParsingDiagnostics: ts.getConfigFileParsingDiagnostics(config),
  });
}

/**
 * typescript-eslint's parser given the case's program through `parserOptions.programs` (typed
 * linting with a program the caller built). The program is built on first use and kept for the
 * case's tests; a text other than the file's on disk (a suggestion's output, which RuleTester lints
 * again) gets a program of its own with that text, as a project service would build. `under` is
 * the TypeScript and parser (default: the repo's).
 */
export function createCaseParser(dir: string, under?: TypeScriptUnderTest): { parser: Linter.Parser; dispose: () => void } {
  let program: ts.Program | undefined;
  const typescript = under?.ts ?? ts;
  const parseForESLint = under?.parser.parseForESLint ?? tsParser.parseForESLint;
  const parser: Linter.Parser = {
    meta: { name: "covenant-case-parser" },
    parseForESLint(code: string, options: Record<string, unknown>) {
      // ESLint hands over the file name as the Linter got it: RuleTester's is relative ("src/file.ts"),
      // and typescript-estree resolves it against tsconfigRootDir (the case folder), so this does too.
      const filePath = path.resolve(dir, String(options.filePath));
      program ??= createCaseProgram(dir, undefined, typescript);
      const sourceFile = program.getSourceFile(filePath);
      if (!sourceFile) throw new Error(`${filePath} is not a file of the case project ${dir}`);
      const programs = sourceFile.text === code ? [program] : [createCaseProgram(dir, { fileName: filePath, text: code }, typescript)];
      return parseForESLint(code, { ...options, programs });
    },
  } as Linter.Parser;
  return { parser, dispose: () => (program = undefined) };
}

/** Lints one case with ESLint's Linter (flat config, typed linting through `parser`), the rule at "error". */
export function lintCase(rule: CovenantRuleModule, ruleId: string, dir: string, testCase: ValidCase, parser: Linter.Parser): Linter.LintMessage[] {
  const linter = new Linter({ cwd: dir, configType: "flat" });
  const parserOptions = { tsconfigRootDir: dir, disallowAutomaticSingleRunInference: true };
  const config: Linter.Config[] = [
    {
      files: ["**/*.ts", "**/*.tsx", "**/*.mts", "**/*.cts"],
      languageOptions: { parser, parserOptions },
      plugins: { covenant: { rules: { [ruleId]: rule as never } } },
      rules: { [`covenant/${ruleId}`]: testCase.options === undefined ? "error" : ["error", testCase.options] },
      settings: getEslintSettings(testCase),
    },
  ];
  return linter.verify(testCase.code, config, path.join(dir, testCase.filename ?? DEFAULT_FILENAME));
}

function toRuleTesterCase(testCase: ValidCase) {
  return {
    code: testCase.code,
    filename: testCase.filename ?? DEFAULT_FILENAME,
    ...(testCase.options === undefined ? {} : { options: [testCase.options] as [Record<string, unknown>] }),
    settings: getEslintSettings(testCase),
  };
}

function toRuleTesterInvalidCase(testCase: InvalidCase) {
  return {
    ...toRuleTesterCase(testCase),
    errors: testCase.errors.map((e) => ({
      messageId: e.messageId,
      line: e.line,
      column: e.column,
      ...(e.endLine === undefined ? {} : { endLine: e.endLine }),
      ...(e.endColumn === undefined ? {} : { endColumn: e.endColumn }),
      ...(e.suggestions === undefined ? {} : { suggestions: e.suggestions }),
    })),
  };
}

/** What the parity tests compare: messageId, message, 1-based line and column, end, suggestions. */
function lintCaseFindings(rule: CovenantRuleModule, ruleId: string, dir: string, testCase: ValidCase, parser: Linter.Parser) {
  return toParityFindings(lintCase(rule, ruleId, dir, testCase, parser));
}

function toParityFindings(messages: Linter.LintMessage[]) {
  return messages.map((m) => ({
    messageId: m.messageId,
    message: m.message,
    line: m.line,
    column: m.column,
    endLine: m.endLine,
    endColumn: m.endColumn,
    suggestions: (m.suggestions ?? []).map((s) => s.messageId),
  }));
}

function getCliFindings(check: Check, testCase: ValidCase) {
  return getCaseFindings(check, testCase).map((f) => ({
    messageId: f.messageId,
    message: f.message,
    line: f.line,
    column: f.column,
    endLine: f.endLine,
    endColumn: f.endColumn,
    suggestions: (f.suggestions ?? []).map((s) => s.messageId),
  }));
}

/**
 * The messages of the first lint a RuleTester runs (its lint of the case's code, before any fix or
 * suggestion output): RuleTester asserts on them and does not return them, so its `runRuleForItem`
 * (public in JavaScript, "exposed for testing purposes") is wrapped on this instance.
 */
function recordFirstLint(tester: RuleTester): { messages?: Linter.LintMessage[] } {
  const recorded: { messages?: Linter.LintMessage[] } = {};
  const instance = tester as unknown as { runRuleForItem?: (...args: unknown[]) => { messages: Linter.LintMessage[] } };
  const runRuleForItem = instance.runRuleForItem;
  if (typeof runRuleForItem !== "function") return recorded;
  instance.runRuleForItem = (...args: unknown[]) => {
    const result = runRuleForItem.apply(tester, args);
    recorded.messages ??= result.messages;
    return result;
  };
  return recorded;
}

/**
 * Runs a check's `{ valid, invalid }` table through the ESLint front end:
 * 1. `@typescript-eslint/rule-tester` with the table's expectations (messageId, 1-based line and
 *    column, end positions and suggestions where given): RuleTester's `column` is 1-based like ours,
 *    while the adapter reports ESLint's 0-based `loc.column`;
 * 2. a parity test: ESLint's Linter and the CLI path give the same findings (messageId, message,
 *    line, column, endLine, endColumn, suggestions) for every case, once with the repo's TypeScript
 *    (6.0: the messages of RuleTester's own lint of the case, which linting it again with the same
 *    program, rule and settings only repeated) and once more per other TypeScript of
 *    getTypeScriptsUnderTest (5.9: lintCase, a plain flat-config Linter; typescript-eslint's parser
 *    loading 5.9 builds the case's program, the checks read it through that module). RuleTester
 *    runs on the repo's TypeScript only: the parity test already holds the other to the same findings.
 * Every case is a small project of its own in a temp dir (tsconfig + its files, multi-file `files`
 * included; `projects`, which the ts7 engine's run of the table reads too): most cases are scripts
 * or carry a global env.d.ts, so their declarations are global and one program for several cases
 * would let them see each other. Its program is built once for
 * the case's two runs (lib files parsed once per worker, see createCaseProgram) and handed to
 * typescript-eslint's parser as `parserOptions.programs` (a project service per case folder, as
 * before, made the seven tables cost 181 CPU seconds instead of 61).
 */
export function runCheckTableThroughEslint(check: Check, table: CheckTable, projects: CaseProjects): void {
  const rule = (plugin.rules as Record<string, CovenantRuleModule>)[check.id] ?? toEslintRule(check);
  assertNoDuplicateCases(check, table);
  const cases: (ValidCase | InvalidCase)[] = [...getValidCases(table), ...table.invalid];
  const [repoTypeScript, ...otherTypeScripts] = getTypeScriptsUnderTest();

  describe(`${check.id} (ESLint)`, () => {
    cases.forEach((testCase, index) => {
      const skip = getSkipReason(testCase);
      const title = `#${index}${testCase.name ? `: ${testCase.name}` : ""}`;
      if (skip) {
        it.skip(`${title} (skipped: ${skip})`, () => {});
        return;
      }
      const dir = projects.dir(index);
      const { parser, dispose } = createCaseParser(dir);
      describe(title, () => {
        // Written when the first case runs (a filter that skips them all writes nothing).
        beforeAll(() => projects.write());
        // The case's program is dropped after its tests: memory stays bounded by one case.
        afterAll(dispose);
        const tester = new RuleTester({ languageOptions: { parser, parserOptions: { tsconfigRootDir: dir } } });
        const firstLint = recordFirstLint(tester);
        const isInvalid = "errors" in testCase;
        // rule-tester 8.72 carries its own @typescript-eslint/utils types (8.73 at the top level).
        tester.run(check.id, rule as unknown as Parameters<RuleTester["run"]>[1], {
          valid: isInvalid ? [] : [toRuleTesterCase(testCase)],
          invalid: isInvalid ? [toRuleTesterInvalidCase(testCase)] : [],
        });
        it(`reports the same findings as the CLI path (${repoTypeScript.label})`, () => {
          // RuleTester's Linter linted this very case with the same parser (so the same program), rule,
          // options and settings: its messages are the ones compared. A filter that skipped RuleTester's
          // test leaves none, and the case is linted here.
          const messages = firstLint.messages ?? lintCase(rule, check.id, dir, testCase, parser);
          expect(toParityFindings(messages)).toEqual(getCliFindings(check, testCase));
        });
        for (const under of otherTypeScripts) {
          // The same case, typescript-eslint on another TypeScript: its own program and parser, the same findings.
          it(`reports the same findings as the CLI path (${under.label})`, () => {
            const other = createCaseParser(dir, under);
            try {
              expect(lintCaseFindings(rule, check.id, dir, testCase, other.parser)).toEqual(getCliFindings(check, testCase));
            } finally {
              other.dispose();
            }
          });
        }
      });
    });
  });
}

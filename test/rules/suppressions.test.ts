import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import * as tsParser from "@typescript-eslint/parser";
import { clearCaches } from "@typescript-eslint/parser";
import { Linter } from "eslint";
import ts from "typescript";
import { checks } from "../../analyzer/checks/index.js";
import { RULE_IDS } from "../../analyzer/checks/rule-ids.js";
import { applySuppressions, findSuppressions } from "../../analyzer/engine/suppressions.js";
import { runChecksOnFile } from "../../analyzer/engine/run-checks.js";
import plugin from "../../rules/index.js";
import { writeCaseProject } from "../utils/eslint-tester.js";
import { createVirtualProgram, VIRTUAL_ROOT } from "../utils/program.js";
import { getTypeScriptsUnderTest } from "../utils/typescript-versions.js";

/**
 * One suppression syntax for both front ends: each case runs through `covenant check`'s path
 * (the checks, then applySuppressions) and through ESLint with the plugin, and both must give the
 * same outcome: `line:column what`, where what is a rule id (a finding left), `invalid:<why>` or
 * `unused`. ESLint reports on its own directives itself: its report of an unused
 * `eslint-disable covenant/…` counts as `unused`, of an unknown `covenant/…` rule as `invalid:unknownRule`.
 * Two rules run, so a comment that hides its own rule on its own line is reported by the other.
 */
const RULES = ["silent-emit-drop", "liskov-override"] as const;

/** `this.sink?.emit(…)` is a silent-emit-drop finding at column 5 of its line; the body starts on line 5. */
const code = (...body: string[]) =>
  ["interface Sink { emit(e: string): void }", "export class A {", "  sink?: Sink;", "  go() {", ...body.map((l) => `    ${l}`), "  }", "}", ""].join("\n");
const EMIT = "this.sink?.emit('x');";

interface Case {
  name: string;
  code: string;
  /** The outcome in both front ends. */
  expected: string[];
  /** Where ESLint differs: its own directives suppress even without a reason (covenant then reports the comment). */
  eslint?: string[];
}

const cases: Case[] = [
  { name: "no comment: the finding", code: code(EMIT), expected: ["5:5 silent-emit-drop"] },
  { name: "covenant-ignore on the line before", code: code("// covenant-ignore silent-emit-drop -- nobody listens in tests", EMIT), expected: [] },
  { name: "covenant-ignore at the end of the line", code: code(`${EMIT} // covenant-ignore silent-emit-drop -- nobody listens`), expected: [] },
  { name: "covenant-ignore over a blank line and a comment", code: code("// covenant-ignore silent-emit-drop -- r", "", "// why", EMIT), expected: [] },
  { name: "covenant-ignore naming two rules", code: code("// covenant-ignore liskov-override, silent-emit-drop -- r", EMIT), expected: ["5:5 unused"] },
  {
    name: "covenant-ignore without a reason",
    code: code("// covenant-ignore silent-emit-drop", EMIT),
    expected: ["5:5 invalid:missingReason", "6:5 silent-emit-drop"],
  },
  { name: "covenant-ignore naming no rule", code: code("// covenant-ignore -- r", EMIT), expected: ["5:5 invalid:missingRule", "6:5 silent-emit-drop"] },
  {
    name: "covenant-ignore naming an unknown rule",
    code: code("// covenant-ignore silent-emit-drops -- r", EMIT),
    expected: ["5:5 invalid:unknownRule", "6:5 silent-emit-drop"],
  },
  { name: "covenant-ignore with nothing to suppress", code: code("// covenant-ignore silent-emit-drop -- r", "void 0;"), expected: ["5:5 unused"] },
  {
    name: "covenant-ignore in a string is not a comment",
    code: code('const s = "// covenant-ignore silent-emit-drop -- r";', EMIT),
    expected: ["6:5 silent-emit-drop"],
  },
  { name: "eslint-disable-next-line", code: code("// eslint-disable-next-line covenant/silent-emit-drop -- nobody listens in tests", EMIT), expected: [] },
  {
    name: "eslint-disable-next-line among other rules",
    code: code("// eslint-disable-next-line no-console, covenant/silent-emit-drop -- r", EMIT),
    expected: [],
  },
  { name: "eslint-disable-next-line as a block comment", code: code("/* eslint-disable-next-line covenant/silent-emit-drop -- r */", EMIT), expected: [] },
  {
    name: "eslint-disable-next-line is the very next line, not the next code line",
    code: code("// eslint-disable-next-line covenant/silent-emit-drop -- r", "", EMIT),
    expected: ["5:5 unused", "7:5 silent-emit-drop"],
  },
  { name: "eslint-disable-line", code: code(`${EMIT} // eslint-disable-line covenant/silent-emit-drop -- nobody listens`), expected: [] },
  {
    name: "eslint-disable-next-line with nothing to suppress",
    code: code("// eslint-disable-next-line covenant/silent-emit-drop -- r", "void 0;"),
    expected: ["5:5 unused"],
  },
  {
    name: "eslint-disable-next-line without a reason",
    code: code("// eslint-disable-next-line covenant/silent-emit-drop", EMIT),
    expected: ["5:5 invalid:missingReason", "6:5 silent-emit-drop"],
    eslint: ["5:5 invalid:missingReason"],
  },
  {
    name: "eslint-disable-line without a reason (reported by the other rule)",
    code: code(`${EMIT} // eslint-disable-line covenant/silent-emit-drop`),
    expected: ["5:5 silent-emit-drop", "5:27 invalid:missingReason"],
    eslint: ["5:27 invalid:missingReason"],
  },
  {
    name: "eslint-disable-next-line naming an unknown covenant rule",
    code: code("// eslint-disable-next-line covenant/silent-emit-drops -- r", EMIT),
    expected: ["5:5 invalid:unknownRule", "6:5 silent-emit-drop"],
  },
  {
    name: "a block eslint-disable up to eslint-enable",
    code: code("/* eslint-disable covenant/silent-emit-drop -- legacy */", EMIT, EMIT, "/* eslint-enable covenant/silent-emit-drop */", EMIT),
    expected: ["9:5 silent-emit-drop"],
  },
  {
    name: "a block eslint-disable up to a bare eslint-enable",
    code: code("/* eslint-disable covenant/silent-emit-drop -- legacy */", EMIT, "/* eslint-enable */", EMIT),
    expected: ["8:5 silent-emit-drop"],
  },
  { name: "a block eslint-disable to the end of the file", code: code("/* eslint-disable covenant/silent-emit-drop -- legacy */", EMIT, EMIT), expected: [] },
  {
    name: "a block eslint-disable with nothing to suppress",
    code: code("/* eslint-disable covenant/silent-emit-drop -- legacy */", "void 0;", "/* eslint-enable */", EMIT),
    expected: ["5:5 unused", "8:5 silent-emit-drop"],
  },
  {
    name: "a line comment cannot open an eslint-disable block",
    code: code("// eslint-disable covenant/silent-emit-drop -- legacy", EMIT),
    expected: ["6:5 silent-emit-drop"],
  },
  {
    name: "an eslint-disable naming only other rules is not covenant's",
    code: code("// eslint-disable-next-line no-console", EMIT),
    expected: ["6:5 silent-emit-drop"],
  },
];

const cliOutcome = (text: string): string[] => {
  const program = createVirtualProgram({ "src/file.ts": text });
  const sourceFile = program.getSourceFile(`${VIRTUAL_ROOT}/src/file.ts`)!;
  const enabled = RULES.map((id) => ({ check: checks[id], severity: checks[id].meta.defaultSeverity, options: checks[id].options.parse({}) }));
  const findings = runChecksOnFile(sourceFile, enabled, {
    program,
    checker: program.getTypeChecker(),
    settings: { isTestFile: () => false, migrations: [], contracts: [] },
    cwd: VIRTUAL_ROOT,
  });
  const { findings: left } = applySuppressions("src/file.ts", findings, findSuppressions(sourceFile, ts), [...RULE_IDS].sort(), new Set(RULES));
  return left
    .sort((a, b) => a.line - b.line || a.column - b.column)
    .map(
      (f) => `${f.line}:${f.column} ${f.ruleId === "invalid-suppression" ? `invalid:${f.messageId}` : f.ruleId === "unused-suppression" ? "unused" : f.ruleId}`,
    );
};

const eslintKind = (m: Linter.LintMessage): string | undefined => {
  if (m.ruleId === null) return /^Unused eslint-disable directive .*'covenant\//.test(m.message) ? "unused" : undefined;
  // ESLint's own report of a directive naming a rule the plugin does not have.
  if (/^Definition for rule 'covenant\/[\w-]+' was not found\.$/.test(m.message)) return "invalid:unknownRule";
  const suppression = /^covenantSuppression(\w+)$/.exec(m.messageId ?? "");
  if (!suppression) return m.ruleId.replace(/^covenant\//, "");
  const id = suppression[1]![0]!.toLowerCase() + suppression[1]!.slice(1);
  return id === "unused" ? "unused" : `invalid:${id}`;
};

// ESLint runs each case on the repo's TypeScript (6.0) and with typescript-eslint loading 5.9: the plugin reads comments with the project's TypeScript.
const typescripts = getTypeScriptsUnderTest();

/** typescript-eslint keeps one project service per process (per parser copy), made with the first tsconfigRootDir it is given. */
function clearProjectServices(): void {
  clearCaches();
  for (const under of typescripts) under.parser.clearCaches();
}

// Every case is a project of its own (case-N/tsconfig.json) under one tsconfigRootDir, as a monorepo's
// packages are: one project service per TypeScript opens each case's file in its case's project, and
// parses the lib files once (a service per case parsed them for every case).
let root = "";
beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), "covenant-suppressions-"));
  clearProjectServices();
});
afterAll(() => {
  clearProjectServices();
  if (root) fs.rmSync(root, { recursive: true, force: true });
});

describe.each(cases.map((c, i) => [c.name, c, i] as const))("%s", (_name, testCase, index) => {
  it("covenant check", () => {
    expect(cliOutcome(testCase.code)).toEqual(testCase.expected);
  });

  it.each(typescripts.map((under) => [under.label, under] as const))("ESLint, %s", (_label, under) => {
    const dir = writeCaseProject(root, index, { code: testCase.code });
    const linter = new Linter({ cwd: dir, configType: "flat" });
    const messages = linter.verify(
      testCase.code,
      [
        {
          files: ["**/*.ts"],
          linterOptions: { reportUnusedDisableDirectives: "warn" },
          languageOptions: { parser: under.parser, parserOptions: { projectService: true, tsconfigRootDir: root } },
          plugins: { covenant: plugin },
          rules: Object.fromEntries(RULES.map((id) => [`covenant/${id}`, "error"])),
        },
      ],
      path.join(dir, "src/file.ts"),
    );
    const outcome = messages.flatMap((m) => {
      const kind = eslintKind(m);
      return kind ? [`${m.line}:${m.column} ${kind}`] : [];
    });
    expect(outcome).toEqual(testCase.eslint ?? testCase.expected);
  });
});

describe("messages", () => {
  it("are the same text in both front ends", () => {
    const text = code("// eslint-disable-next-line covenant/silent-emit-drop", EMIT, "// covenant-ignore silent-emit-drop -- r", "void 0;");
    const program = createVirtualProgram({ "src/file.ts": text });
    const sourceFile = program.getSourceFile(`${VIRTUAL_ROOT}/src/file.ts`)!;
    const cli = applySuppressions("src/file.ts", [], findSuppressions(sourceFile, ts), [...RULE_IDS].sort(), new Set(RULES)).findings.map((f) => f.message);
    expect(cli).toEqual([
      "`eslint-disable-next-line covenant/silent-emit-drop` gives no reason. Add one after ` -- ` so reviewers know why the finding is accepted.",
      "`covenant-ignore silent-emit-drop` suppresses nothing: there is no silent-emit-drop finding on line 8. Remove the comment.",
    ]);
    const dir = writeCaseProject(root, cases.length, { code: text });
    const messages = new Linter({ cwd: dir, configType: "flat" }).verify(
      text,
      [
        {
          files: ["**/*.ts"],
          languageOptions: { parser: tsParser, parserOptions: { projectService: true, tsconfigRootDir: root } },
          plugins: { covenant: plugin },
          rules: { "covenant/silent-emit-drop": "warn" },
        },
      ],
      path.join(dir, "src/file.ts"),
    );
    expect(messages.map((m) => m.message)).toEqual(cli);
  });
});

import ts from "typescript";
import { findSuppressions } from "../../analyzer/engine/suppressions.js";
import { runCheck } from "../../analyzer/engine/run-check.js";
import { TempProject, TSCONFIG } from "./temp-project.js";
import { testChecks } from "./test-checks.js";

const parse = (code: string) => ts.createSourceFile("/x/a.ts", code, ts.ScriptTarget.ES2022, true);
const brief = (code: string) =>
  findSuppressions(parse(code), ts).map((s) => `${s.line}:${s.column}->${s.targetLine} [${s.ruleIds.join(",")}] ${JSON.stringify(s.reason)}`);

describe("findSuppressions", () => {
  it.each([
    ["own line: the next code line", "// covenant-ignore liskov-override -- legacy API\nfoo();\n", ['1:1->2 [liskov-override] "legacy API"']],
    ["end of line: that line", "foo(); // covenant-ignore unawaited-factory -- fire and forget\n", ['1:8->1 [unawaited-factory] "fire and forget"']],
    ["stacked comments: the next code line", "// covenant-ignore a -- x\n// covenant-ignore b -- y\n\nfoo();\n", ['1:1->4 [a] "x"', '2:1->4 [b] "y"']],
    ["skips a JSDoc in between", "class A {\n  // covenant-ignore a -- r\n  /** docs */\n  m() {}\n}\n", ['2:3->4 [a] "r"']],
    ["block comment", "/* covenant-ignore a, b -- multi\n   line */ foo();\n", ['1:1->2 [a,b] "multi line"']],
    ["no reason", "// covenant-ignore a\nfoo();\n", ['1:1->2 [a] ""']],
    ["empty reason", "// covenant-ignore a --   \nfoo();\n", ['1:1->2 [a] ""']],
    ["reason without spaces around --", "// covenant-ignore a --why\nfoo();\n", ['1:1->2 [a] "why"']],
    ["no rule", "// covenant-ignore -- why\nfoo();\n", ['1:1->2 [] "why"']],
    ["at the end of the file: nothing to target", "foo();\n// covenant-ignore a -- r\n", ['2:1->3 [a] "r"']],
    ["eslint-disable-next-line: the very next line", "// eslint-disable-next-line covenant/a, no-console -- r\n\nfoo();\n", ['1:1->2 [a] "r"']],
    ["eslint-disable-line: its own line", "foo(); // eslint-disable-line covenant/a -- r\n", ['1:8->1 [a] "r"']],
    [
      "eslint's reason needs spaces around --: else it is part of the (then unknown) rule name",
      "// eslint-disable-next-line covenant/a --r\nfoo();\n",
      ['1:1->2 [a --r] ""'],
    ],
    ["a quoted rule name, as ESLint allows", "// eslint-disable-next-line 'covenant/a' -- r\nfoo();\n", ['1:1->2 [a] "r"']],
    ["a multi-line eslint-disable-line is not a directive", "foo(); /* eslint-disable-line covenant/a\n -- r */\n", []],
  ])("%s", (_name, code, expected) => {
    expect(brief(code)).toEqual(expected);
  });

  it.each([
    ["a string", 'const s = "// covenant-ignore a -- r";\n'],
    ["a template", "const s = `${1} // covenant-ignore a -- r`;\n"],
    ["a regex", "const r = /covenant-ignore/;\n"],
    ["prose in a comment", "// use covenant-ignore a -- r to silence\nfoo();\n"],
    ["a longer word", "// covenant-ignored a -- r\nfoo();\n"],
  ])("ignores the text inside %s", (_name, code) => {
    expect(brief(code)).toEqual([]);
  });
});

describe("suppressions in a run", () => {
  let project: TempProject;
  afterEach(() => project.remove());

  it("suppresses valid comments, reports missing reasons, unknown rules and unused comments", () => {
    project = new TempProject({
      "tsconfig.json": TSCONFIG,
      "src/lib.ts": "export async function forbidden(): Promise<number> { return 1; }\nexport function allowed(): number { return 1; }\n",
      "src/a.ts": [
        'import { forbidden, allowed } from "./lib.js";',
        "// covenant-ignore forbidden-call -- the legacy path, removed in #12",
        "void forbidden();",
        "void forbidden(); // covenant-ignore forbidden-call -- same",
        "// covenant-ignore forbidden-call",
        "void forbidden();",
        "// covenant-ignore forbiden-call -- typo",
        "void forbidden();",
        "// covenant-ignore forbidden-call -- nothing here",
        "allowed();",
        "// covenant-ignore mock-in-tests -- not run below, so never unused",
        "allowed();",
      ].join("\n"),
    });
    const report = runCheck({ cwd: project.dir, checks: testChecks, rules: ["forbidden-call"] });
    expect(report.findings.map((f) => `${f.line}:${f.column} ${f.severity} ${f.ruleId}:${f.messageId}`)).toEqual([
      "5:1 error invalid-suppression:missingReason",
      "6:6 error forbidden-call:call",
      "7:1 error invalid-suppression:unknownRule",
      "8:6 error forbidden-call:call",
      "9:1 warn unused-suppression:unused",
    ]);
    expect(report.summary.suppressed).toBe(2);
    const messages = report.findings.map((f) => f.message);
    expect(messages[0]).toBe("`covenant-ignore forbidden-call` gives no reason. Add one after ` -- ` so reviewers know why the finding is accepted.");
    expect(messages[2]).toMatch(/^`forbiden-call` is not a covenant rule id/);
    expect(messages[4]).toBe("`covenant-ignore forbidden-call` suppresses nothing: there is no forbidden-call finding on line 10. Remove the comment.");
  });

  it("honours ESLint's directives naming covenant/<id> with a reason, and reports them like covenant-ignore", () => {
    project = new TempProject({
      "tsconfig.json": TSCONFIG,
      "src/lib.ts": "export async function forbidden(): Promise<number> { return 1; }\nexport function allowed(): number { return 1; }\n",
      "src/a.ts": [
        'import { forbidden, allowed } from "./lib.js";',
        "// eslint-disable-next-line covenant/forbidden-call -- the legacy path, removed in #12",
        "void forbidden();",
        "void forbidden(); // eslint-disable-line covenant/forbidden-call -- same",
        "// eslint-disable-next-line covenant/forbidden-call",
        "void forbidden();",
        "/* eslint-disable covenant/forbidden-call -- a legacy block */",
        "void forbidden();",
        "void forbidden();",
        "/* eslint-enable covenant/forbidden-call */",
        "void forbidden();",
        "// eslint-disable-next-line covenant/forbidden-call -- nothing here",
        "allowed();",
        "// eslint-disable-next-line no-console -- not covenant's",
        "void forbidden();",
      ].join("\n"),
    });
    const report = runCheck({ cwd: project.dir, checks: testChecks, rules: ["forbidden-call"] });
    expect(report.findings.map((f) => `${f.line}:${f.column} ${f.severity} ${f.ruleId}:${f.messageId}`)).toEqual([
      "5:1 error invalid-suppression:missingReason",
      "6:6 error forbidden-call:call",
      "11:6 error forbidden-call:call",
      "12:1 warn unused-suppression:unused",
      "15:6 error forbidden-call:call",
    ]);
    expect(report.summary.suppressed).toBe(4);
    expect(report.findings[3]!.message).toBe(
      "`eslint-disable-next-line covenant/forbidden-call` suppresses nothing: there is no covenant/forbidden-call finding on line 13. Remove the comment.",
    );
  });
});

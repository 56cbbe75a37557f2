import ts from "typescript";
import { findSuppressions } from "../../analyzer/engine/suppressions.js";
import { runCheck } from "../../analyzer/engine/run-check.js";
import { TempProject, TSCONFIG } from "./temp-project.js";
import { testChecks } from "./test-checks.js";

const parse = (code: string) => ts.createSourceFile("/x/a.ts", code, ts.ScriptTarget.ES2022, true);
const brief = (code: string) => findSuppressions(parse(code)).map((s) => `${s.line}:${s.column}->${s.targetLine} [${s.ruleIds.join(",")}] ${JSON.stringify(s.reason)}`);

describe("findSuppressions", () => {
  it.each([
    ["own line: the next code line", "// covenant-ignore liskov-override -- legacy API\nfoo();\n", ["1:1->2 [liskov-override] \"legacy API\""]],
    ["end of line: that line", "foo(); // covenant-ignore unawaited-factory -- fire and forget\n", ["1:8->1 [unawaited-factory] \"fire and forget\""]],
    ["stacked comments: the next code line", "// covenant-ignore a -- x\n// covenant-ignore b -- y\n\nfoo();\n", ['1:1->4 [a] "x"', '2:1->4 [b] "y"']],
    ["skips a JSDoc in between", "class A {\n  // covenant-ignore a -- r\n  /** docs */\n  m() {}\n}\n", ['2:3->4 [a] "r"']],
    ["block comment", "/* covenant-ignore a, b -- multi\n   line */ foo();\n", ['1:1->2 [a,b] "multi line"']],
    ["no reason", "// covenant-ignore a\nfoo();\n", ['1:1->2 [a] ""']],
    ["empty reason", "// covenant-ignore a --   \nfoo();\n", ['1:1->2 [a] ""']],
    ["reason without spaces around --", "// covenant-ignore a --why\nfoo();\n", ['1:1->2 [a] "why"']],
    ["no rule", "// covenant-ignore -- why\nfoo();\n", ['1:1->2 [] "why"']],
    ["at the end of the file: nothing to target", "foo();\n// covenant-ignore a -- r\n", ['2:1->3 [a] "r"']],
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
});

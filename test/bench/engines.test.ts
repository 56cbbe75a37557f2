// What the corpus bench's engines group (issue 12) reads from the tools it runs: TypeScript 7's
// verdict on a tsconfig, tsc's error count, oxlint's JSON report, and whether the covenant build
// offers the ts7 engine. The inputs are the tools' real output shapes (TypeScript 7.0.2, oxlint 1.96).
import { countTscErrors, engineSupport, readOxlintReport, removedOptions } from "../../bench/lib/engines.mjs";

describe("removedOptions", () => {
  test.each([
    [
      "TypeScript 7 removed esModuleInterop: false",
      "tsconfig.json(20,24): error TS5108: Option 'esModuleInterop=false' has been removed. Please remove it from your configuration.\n",
      ["esModuleInterop"],
    ],
    [
      "an option removed without a value, and one repeated",
      "tsconfig.json(3,5): error TS5102: Option 'downlevelIteration' has been removed. Please remove it from your configuration.\ntsconfig.json(4,5): error TS5102: Option 'downlevelIteration' has been removed.\n",
      ["downlevelIteration"],
    ],
    [
      "an absolute path with Windows separators",
      "C:\\p\\tsconfig.json(2,3): error TS5108: Option 'moduleResolution=node10' has been removed.\n",
      ["moduleResolution"],
    ],
    ["an error in an extended config does not count", "../base/tsconfig.base.json(2,3): error TS5108: Option 'esModuleInterop=false' has been removed.\n", []],
    ["a type error is not a config error", "src/a.ts(1,7): error TS2322: Type 'string' is not assignable to type 'number'.\n", []],
    ["the file list of an accepted config", "/x/lib.es5.d.ts\n/x/src/index.ts\n", []],
  ])("%s", (_name, output, expected) => {
    expect(removedOptions(output).map((r) => r.option)).toEqual(expected);
  });

  test("keeps the message for the report", () => {
    expect(removedOptions("tsconfig.json(20,24): error TS5108: Option 'esModuleInterop=false' has been removed. Please remove it.")[0]?.message).toBe(
      "TS5108: Option 'esModuleInterop=false' has been removed. Please remove it.",
    );
  });
});

describe("countTscErrors", () => {
  test.each([
    ["no error", "", 0],
    [
      "errors with their continuation lines",
      "src/a.ts(1,7): error TS2322: Type 'string' is not assignable.\n  Type 'x' is not assignable to type 'y'.\nsrc/b.tsx(2,1): error TS2769: No overload matches this call.\n",
      2,
    ],
    ["a global error without a location", "error TS5083: Cannot read file '/x/tsconfig.json'.\n", 1],
    ["a warning-like line is not an error", "src/a.ts(1,7): message TS6133: unused.\n", 0],
  ])("%s", (_name, output, expected) => {
    expect(countTscErrors(output)).toBe(expected);
  });
});

describe("readOxlintReport", () => {
  const diagnostic = (code: string) => ({ message: "m", code, severity: "error", filename: "src/a.ts", labels: [] });

  test("counts findings by rule and reads the file count", () => {
    const stdout = JSON.stringify({
      diagnostics: [diagnostic("typescript(no-floating-promises)"), diagnostic("typescript(no-floating-promises)"), diagnostic("eslint(no-debugger)")],
      number_of_files: 142,
      number_of_rules: 1,
    });
    expect(readOxlintReport(stdout)).toEqual({ files: 142, byRule: { "typescript(no-floating-promises)": 2, "eslint(no-debugger)": 1 }, total: 3 });
  });

  test("a clean run", () => {
    expect(readOxlintReport('{ "diagnostics": [], "number_of_files": 3, "number_of_rules": 1 }')).toEqual({ files: 3, byRule: {}, total: 0 });
  });

  test.each([
    ["tsgolint missing", "Failed to find type-aware linter executable. You may need to add the `tsrs` or `oxlint-tsgolint` package to your project?"],
    ["nothing printed", ""],
    ["JSON that is not a report", '{"error": "x"}'],
  ])("throws when oxlint printed no report: %s", (_name, stdout) => {
    expect(() => readOxlintReport(stdout)).toThrow(/no JSON report/);
  });
});

describe("engineSupport", () => {
  const help = (options: string) =>
    `Usage: covenant check [options] [paths...]\n\nOptions:\n  -p, --project <tsconfig>  tsconfig.json\n${options}  -h, --help                display help for command\n`;

  test.each([
    ["today's build: no --engine", help("  --daemon                  run in a background covenant process\n"), { flag: false, ts6: false, ts7: false }],
    [
      "--engine with its choices on the next line",
      help(
        '  --engine <engine>         the TypeScript the checks run on (choices:\n                            "auto", "ts6", "ts7", default: "auto")\n  --daemon                  background\n',
      ),
      { flag: true, ts6: true, ts7: true },
    ],
    ["--engine offering ts6 only", help('  --engine <engine>         engine (choices: "auto", "ts6")\n'), { flag: true, ts6: true, ts7: false }],
    [
      "ts7 named by another option does not count",
      help('  --engine <engine>         engine (choices: "ts6")\n  --foo                     unlike ts7\n'),
      { flag: true, ts6: true, ts7: false },
    ],
  ])("%s", (_name, text, expected) => {
    expect(engineSupport(text)).toEqual(expected);
  });
});

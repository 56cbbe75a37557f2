// The two measures the held-out corpus review rests on: the code-line count behind every "per 10k
// lines" figure of docs/real-world.md, and the verdict key that must survive line drift.
import { countCodeLines } from "../../bench/lib/code-lines.mjs";
import { findingKey } from "../../bench/lib/review-key.mjs";

describe("countCodeLines", () => {
  test.each([
    ["empty file", "", 0],
    ["blank lines only", "\n\n  \n", 0],
    ["line comments only", "// a\n// b\n", 0],
    ["block comment over lines", "/* a\n b\n c */\n", 0],
    ["JSDoc before a declaration", "/**\n * @param x y\n */\nexport const a = 1;\n", 1],
    ["code with a trailing comment", "const a = 1; // one\n", 1],
    ["code after a block comment on the same line", "/* x */ let b;\n", 1],
    ["a template literal spans its lines", "const s = `1\n2\n3`;\n", 3],
    ["a statement over several lines", "call(\n  a,\n\n  b,\n);\n", 4],
    ["a regex holding //", "const r = /\\/\\//;\nconst c = 2;\n", 2],
  ])("%s", (_name, text, expected) => {
    expect(countCodeLines("x.ts", text)).toBe(expected);
  });

  test("tsx is parsed as tsx", () => {
    expect(countCodeLines("x.tsx", "const e = (\n  <div>\n    {a}\n  </div>\n);\n")).toBe(5);
  });
});

describe("findingKey", () => {
  const finding = { ruleId: "permissive-mock", file: "src/a.test.ts", symbol: undefined };

  test("ignores the line number and the indentation of the line", () => {
    expect(findingKey("p", { ...finding, line: 10 } as never, "  x as any")).toBe(findingKey("p", { ...finding, line: 99 } as never, "x as any"));
  });

  test.each([
    ["another rule", { ...finding, ruleId: "dual-interface" }, "p", "x as any"],
    ["another file", { ...finding, file: "src/b.test.ts" }, "p", "x as any"],
    ["another symbol", { ...finding, symbol: "A.b" }, "p", "x as any"],
    ["another project", finding, "q", "x as any"],
    ["another line text", finding, "p", "y as any"],
  ])("differs for %s", (_name, other, project, text) => {
    expect(findingKey(project, other, text)).not.toBe(findingKey("p", finding, "x as any"));
  });
});

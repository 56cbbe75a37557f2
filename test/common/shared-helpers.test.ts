// The helpers several rooms share (common/): each once, so each is pinned here by its contract.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { reachable } from "../../common/graph.js";
import { isJsonObject, joinPath, valueAt } from "../../common/json.js";
import { capitalize, tableCell } from "../../common/strings.js";
import { findUp, realPath } from "../../common/user-files.js";
import { hasBacktrackingPattern } from "../../contracts/load/regex-risk.js";

describe("valueAt: the value at a path inside a JSON value (own properties only)", () => {
  const root = JSON.parse('{"a":{"b":[10,{"c":null}],"0":"zero"},"list":[1,2]}') as unknown;
  it.each([
    { name: "the root for an empty path", path: [], expected: root },
    { name: "a nested object property", path: ["a", "b"], expected: [10, { c: null }] },
    { name: "an array index", path: ["a", "b", 1, "c"], expected: null },
    { name: "a number names an object's key", path: ["a", 0], expected: "zero" },
    { name: "past the end of an array", path: ["list", 5], expected: undefined },
    { name: "a string does not index an array", path: ["list", "length"], expected: undefined },
    { name: "a missing key", path: ["a", "missing"], expected: undefined },
    { name: "through a primitive", path: ["a", "b", 0, "x"], expected: undefined },
    { name: "an inherited property is not the document's", path: ["a", "constructor"], expected: undefined },
    { name: "nor is __proto__", path: ["a", "__proto__"], expected: undefined },
  ])("$name", ({ path: at, expected }) => {
    expect(valueAt(root, at)).toEqual(expected);
  });

  it("reads an own __proto__ key that JSON.parse made a property", () => {
    expect(valueAt(JSON.parse('{"__proto__":{"x":1}}'), ["__proto__", "x"])).toBe(1);
  });
});

describe("isJsonObject", () => {
  it.each([
    { value: {}, expected: true },
    { value: Object.create(null) as unknown, expected: true },
    { value: [], expected: false },
    { value: null, expected: false },
    { value: "{}", expected: false },
  ])("$value -> $expected", ({ value, expected }) => {
    expect(isJsonObject(value)).toBe(expected);
  });
});

describe("joinPath", () => {
  it.each([
    { path: [], expected: "" },
    { path: ["rules"], expected: "rules" },
    { path: ["events", "a", "examples", 0], expected: "events.a.examples[0]" },
    { path: [0, "a"], expected: "[0].a" },
    { path: ["a", 1, 2, "b"], expected: "a[1][2].b" },
  ])("$expected", ({ path: at, expected }) => {
    expect(joinPath(at)).toBe(expected);
  });
});

describe("reachable: breadth first, in the order reached", () => {
  const edges: Record<string, string[]> = { a: ["b", "c"], b: ["d"], c: ["d", "a"], d: [], e: ["a"] };
  it.each([
    { name: "from one node", start: ["a"], expected: ["a", "b", "c", "d"] },
    { name: "a sink reaches itself only", start: ["d"], expected: ["d"] },
    { name: "several starts, each once", start: ["e", "d", "e"], expected: ["e", "d", "a", "b", "c"] },
    { name: "no start, nothing", start: [], expected: [] },
  ])("$name", ({ start, expected }) => {
    expect([...reachable(start, (node) => edges[node] ?? [])]).toEqual(expected);
  });
});

describe("hasBacktrackingPattern: any `pattern` or `patternProperties` key at any depth", () => {
  it.each([
    { name: "a nested-quantifier pattern deep in a schema", schema: { properties: { a: { items: { pattern: "^(a+)+$" } } } }, expected: true },
    { name: "a risky patternProperties key", schema: { patternProperties: { "(x|xx)*": {} } }, expected: true },
    { name: "inside a list of schemas", schema: [{}, { anyOf: [{ pattern: "(\\w+\\s?)*" }] }], expected: true },
    { name: "a linear pattern", schema: { pattern: "^[a-z]+$", patternProperties: { "^x-": {} } }, expected: false },
    { name: "a property named pattern is a schema, not a pattern", schema: { properties: { pattern: { type: "string" } } }, expected: false },
    { name: "no schema at all", schema: true, expected: false },
  ])("$name", ({ schema, expected }) => {
    expect(hasBacktrackingPattern(schema)).toBe(expected);
  });
});

describe("text", () => {
  it.each([
    { text: "a | b", expected: "a \\| b" },
    { text: "one\ntwo\r\nthree", expected: "one two three" },
    { text: "plain", expected: "plain" },
  ])("tableCell($text)", ({ text, expected }) => {
    expect(tableCell(text)).toBe(expected);
  });

  it.each([
    { text: "entry 0", expected: "Entry 0" },
    { text: "", expected: "" },
    { text: "Already", expected: "Already" },
  ])("capitalize($text)", ({ text, expected }) => {
    expect(capitalize(text)).toBe(expected);
  });
});

describe("findUp and realPath", () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "covenant-find-up-")));
    fs.mkdirSync(path.join(dir, "a/b/c"), { recursive: true });
    fs.mkdirSync(path.join(dir, "a/node_modules/zod"), { recursive: true });
    fs.writeFileSync(path.join(dir, "marker.json"), "{}");
    fs.writeFileSync(path.join(dir, "a/b/marker.json"), "{}");
    fs.writeFileSync(path.join(dir, "a/node_modules/zod/package.json"), "{}");
    fs.symlinkSync(path.join(dir, "a/b"), path.join(dir, "link"));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it.each([
    { name: "the nearest folder's file", from: "a/b/c", file: "marker.json", expected: "a/b/marker.json" },
    { name: "in the start folder itself", from: "a/b", file: "marker.json", expected: "a/b/marker.json" },
    { name: "further up", from: "a", file: "marker.json", expected: "marker.json" },
    { name: "a path below a folder above", from: "a/b/c", file: "node_modules/zod/package.json", expected: "a/node_modules/zod/package.json" },
    { name: "none anywhere above", from: "a/b/c", file: "covenant-find-up-nowhere.json", expected: undefined },
  ])("$name", ({ from, file, expected }) => {
    expect(findUp(path.join(dir, from), file)).toBe(expected === undefined ? undefined : path.join(dir, expected));
  });

  it("takes only what `accept` accepts", () => {
    expect(findUp(path.join(dir, "a/b/c"), "marker.json", (file) => fs.existsSync(file) && !file.includes(`${path.sep}b${path.sep}`))).toBe(
      path.join(dir, "marker.json"),
    );
  });

  it("realPath resolves links, and gives a missing file as an absolute path", () => {
    expect(realPath(path.join(dir, "link/marker.json"))).toBe(path.join(dir, "a/b/marker.json"));
    expect(realPath(path.join(dir, "link/../missing"))).toBe(path.join(dir, "missing"));
  });
});

import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { CovenantError } from "../../common/errors.js";
import { DEFAULT_TEST_GLOBS } from "../../analyzer/config/config.schema.js";
import { findConfigFile, loadConfig } from "../../analyzer/config/load-config.js";
import { parseJsonSource } from "../../analyzer/config/json-source.js";

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "covenant-config-"));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function write(name: string, text: string): string {
  const file = path.join(dir, name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  return file;
}

function problemsOf(fn: () => unknown) {
  try {
    fn();
  } catch (error) {
    if (error instanceof CovenantError) return error.problems.map((p) => ({ code: p.code, line: p.line, column: p.column, message: p.message }));
    throw error;
  }
  return [];
}

describe("loadConfig", () => {
  it("returns the defaults when no config file exists", () => {
    const config = loadConfig({ searchFrom: dir });
    expect(config.file).toBeUndefined();
    expect(config).toMatchObject({ dir, contracts: [], rules: {}, tests: DEFAULT_TEST_GLOBS, migrations: [], bindings: {} });
  });

  it("finds the config upward from the project folder and applies defaults", () => {
    const file = write(
      "covenant.config.json",
      JSON.stringify({ rules: { "silent-emit-drop": "error" }, migrations: [{ from: "WebSocketManager", to: "AgentWebSocketBridge" }] }),
    );
    fs.mkdirSync(path.join(dir, "packages/a"), { recursive: true });
    expect(findConfigFile(path.join(dir, "packages/a"))).toBe(file);
    const config = loadConfig({ searchFrom: path.join(dir, "packages/a") });
    expect(config).toMatchObject({ file, dir, rules: { "silent-emit-drop": "error" }, tests: DEFAULT_TEST_GLOBS, generate: {} });
    expect(config.migrations).toEqual([{ from: "WebSocketManager", to: "AgentWebSocketBridge" }]);
  });

  it("accepts every documented key", () => {
    write(
      "covenant.config.json",
      JSON.stringify({
        $schema: "./node_modules/@covenant-dev/covenant/schema/config.schema.json",
        contracts: ["contracts/*.contract.yaml"],
        generate: { outDir: "src/generated" },
        rules: { "permissive-mock": "off", "liskov-override": ["warn", {}] },
        tests: ["spec/**"],
        migrations: [],
        bindings: { "agent-websocket": { transitions: [{ transition: "accept", call: "accept" }] } },
      }),
    );
    const config = loadConfig({ searchFrom: dir });
    // Rule options are parsed by the check's own schema (its defaults filled in).
    expect(config.rules).toMatchObject({ "permissive-mock": "off", "liskov-override": ["warn", {}] });
    expect(config.bindings).toEqual({ "agent-websocket": { transitions: [{ transition: "accept", call: "accept" }] } });
    expect(config.tests).toEqual(["spec/**"]);
  });

  it("names each unknown key and bad value with its line and column", () => {
    write(
      "covenant.config.json",
      [
        "{",
        '  "rulez": {},',
        '  "rules": {',
        '    "liskov-override": "warning",',
        '    "dual-interfac": "off",',
        '    "silent-emit-drop": ["warn", { "nope": 1 }]',
        "  },",
        '  "tests": [1],',
        '  "migrations": [{ "from": "", "to": "B" }],',
        '  "bindings": { "a": 1 }',
        "}",
      ].join("\n"),
    );
    const problems = problemsOf(() => loadConfig({ searchFrom: dir }));
    expect(problems.map((p) => `${p.line}:${p.column} ${p.code}`)).toEqual([
      "2:3 config-unknown-key",
      "4:24 config-invalid-value",
      "5:5 config-unknown-key",
      "6:36 config-unknown-key",
      "8:13 config-invalid-type",
      "9:28 config-invalid-value",
      "10:22 config-invalid-type",
    ]);
    expect(problems[0]!.message).toContain('Unknown key "rulez" in the config. Did you mean "rules"?');
    expect(problems[1]!.message).toBe('"rules.liskov-override" must be one of "off", "warn", "error", or [severity, options] (found "warning").');
    expect(problems[2]!.message).toContain('"dual-interfac" is not a covenant rule id. Did you mean "dual-interface"?');
    // silent-emit-drop takes no options: say so, not "use one of: ." (#17).
    expect(problems[3]!.message).toBe('Unknown key "nope" in "rules.silent-emit-drop[1]", which takes no keys. Remove it.');
    expect(problems[4]!.message).toBe('"tests[0]" must be a string (found 1).');
  });

  it.each([
    [
      "a rule that takes no options",
      '["warn", { "nope": 1 }]',
      "silent-emit-drop",
      'Unknown key "nope" in "rules.silent-emit-drop[1]", which takes no keys. Remove it.',
    ],
    [
      "a rule's options, through [severity, options]",
      '["error", { "sufixes": ["Client"] }]',
      "dual-interface",
      'Unknown key "sufixes" in "rules.dual-interface[1]". Did you mean "suffixes"? Remove it or use one of: suffixes, complementarySuffixes',
    ],
    [
      "a rule's options, nothing close",
      '["error", { "zzzzzz": 1 }]',
      "dual-interface",
      'Unknown key "zzzzzz" in "rules.dual-interface[1]". Remove it or use one of: suffixes, complementarySuffixes',
    ],
  ])("names the keys %s accepts, and never prints an empty list", (_name, setting, rule, message) => {
    write("covenant.config.json", `{ "rules": { "${rule}": ${setting} } }`);
    const [problem, ...rest] = problemsOf(() => loadConfig({ searchFrom: dir }));
    expect(rest).toEqual([]);
    expect(problem!.message.startsWith(message), problem!.message).toBe(true);
    expect(problem!.message).not.toMatch(/one of: ?\./);
  });

  it("reports JSON syntax errors and duplicate keys with their position", () => {
    write("covenant.config.json", '{\n  "rules": {,\n}');
    expect(problemsOf(() => loadConfig({ searchFrom: dir }))).toMatchObject([{ code: "config-syntax", line: 2, column: 13 }]);
    write("covenant.config.json", '{\n  "tests": [],\n  "tests": []\n}');
    expect(problemsOf(() => loadConfig({ searchFrom: dir }))).toMatchObject([{ code: "json-duplicate-key", line: 3, column: 3 }]);
  });

  it("fails on a missing -c file and a non-object config", () => {
    expect(problemsOf(() => loadConfig({ configFile: path.join(dir, "nope.json"), searchFrom: dir }))).toMatchObject([{ code: "config-not-found" }]);
    write("covenant.config.json", "[1]");
    expect(problemsOf(() => loadConfig({ searchFrom: dir }))).toMatchObject([{ code: "config-invalid-type", line: 1, column: 1 }]);
    write("covenant.config.json", "");
    expect(problemsOf(() => loadConfig({ searchFrom: dir }))).toMatchObject([{ code: "config-invalid-type", line: 1, column: 1 }]);
  });
});

describe("parseJsonSource: duplicate and __proto__ keys", () => {
  // Strict JSON takes the fast path (JSON.parse and a key scan); a comment forces TypeScript's tree.
  // Both must report the same problems at the same positions.
  const cases: [string, string, { code: string; line: number; column: number }[]][] = [
    ["no problem", '{"a": [{"x": 1}, {"x": 2}], "b": {"x": "}{\\"", "y": []}}', []],
    ["a duplicate inside an array's object", '{"a": [{"x": 1, "x": 2}]}', [{ code: "json-duplicate-key", line: 1, column: 17 }]],
    ["a duplicate spelled with an escape", '{"a\\u0062": 1,\n "ab": 2}', [{ code: "json-duplicate-key", line: 2, column: 2 }]],
    ["braces and quotes inside strings", '{"a": "}{\\"[", "a": 1}', [{ code: "json-duplicate-key", line: 1, column: 16 }]],
    ["a nested __proto__", '{"rules": {\n  "__proto__": {}}}', [{ code: "config-reserved-key", line: 2, column: 3 }]],
    [
      "__proto__ twice",
      '{"__proto__": 1, "__proto__": 2}',
      [
        { code: "config-reserved-key", line: 1, column: 2 },
        { code: "config-reserved-key", line: 1, column: 18 },
        { code: "json-duplicate-key", line: 1, column: 18 },
      ],
    ],
  ];
  it.each(cases)("%s", (_name, text, expected) => {
    for (const variant of [text, `${text}\n// a comment: not strict JSON`]) {
      expect(problemsOf(() => parseJsonSource("c.json", variant, "config"))).toMatchObject(expected);
    }
  });
});

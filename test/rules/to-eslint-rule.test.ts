import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import * as tsParser from "@typescript-eslint/parser";
import { Linter } from "eslint";
import ts from "typescript";
import { z } from "zod";
import { defineCheck, noOptions } from "../../analyzer/checks/define-check.js";
import { checks } from "../../analyzer/checks/index.js";
import plugin from "../../rules/index.js";
import { getProgramTypeScript } from "../../rules/program-typescript.js";
import { CANNOT_RUN_MESSAGE_ID, INTERNAL_ERROR_MESSAGE_ID, toEslintRule, toEslintTemplate } from "../../rules/to-eslint-rule.js";
import { writeCaseProject } from "../utils/eslint-tester.js";
import { loadTypeScriptUnderTest } from "../utils/typescript-versions.js";

let root = "";
beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), "covenant-adapter-"));
});
afterAll(() => {
  if (root) fs.rmSync(root, { recursive: true, force: true });
});
let caseIndex = 0;

function lint(
  ruleId: string,
  rule: ReturnType<typeof toEslintRule>,
  code: string,
  extra: { filename?: string; options?: unknown; settings?: Record<string, unknown> } = {},
) {
  const dir = writeCaseProject(root, caseIndex++, { code, ...(extra.filename ? { filename: extra.filename } : {}) });
  const linter = new Linter({ cwd: dir, configType: "flat" });
  return linter.verify(
    code,
    [
      {
        files: ["**/*.ts"],
        languageOptions: { parser: tsParser, parserOptions: { projectService: true, tsconfigRootDir: dir } },
        plugins: { covenant: { rules: { [ruleId]: rule as never } } },
        rules: { [`covenant/${ruleId}`]: extra.options === undefined ? "warn" : ["warn", extra.options] },
        settings: extra.settings ?? {},
      },
    ],
    path.join(dir, extra.filename ?? "src/file.ts"),
  );
}

describe("the plugin object", () => {
  it("is a flat plugin with meta, every rule and a recommended config", () => {
    const pkg = JSON.parse(fs.readFileSync(path.resolve(import.meta.dirname, "../../package.json"), "utf8")) as { name: string; version: string };
    // ESLint's meta.name is the specifier the plugin is imported by.
    expect(plugin.meta).toEqual({ name: `${pkg.name}/eslint-plugin`, version: pkg.version });
    expect(Object.keys(plugin.rules)).toEqual([
      "dual-interface",
      "liskov-override",
      "unawaited-factory",
      "silent-emit-drop",
      "permissive-mock",
      "lifecycle-order",
      "contract-event",
    ]);
    expect(plugin.configs.recommended.rules).toEqual({
      "covenant/dual-interface": "error",
      "covenant/liskov-override": "error",
      "covenant/unawaited-factory": "error",
      "covenant/silent-emit-drop": "warn",
      "covenant/permissive-mock": "warn",
      "covenant/lifecycle-order": "error",
      "covenant/contract-event": "error",
    });
    expect(plugin.configs.recommended.plugins?.covenant).toBe(plugin);
    expect(plugin.configs.recommended.languageOptions?.parserOptions).toEqual({ projectService: true });
  });

  it("derives each rule's meta from its check: docs URL, messages, schema from the zod options", () => {
    const rule = plugin.rules["dual-interface"];
    const check = checks["dual-interface"];
    expect(rule.meta.docs?.url).toBe(check.meta.docsUrl);
    expect(rule.meta.docs?.description).toBe(check.meta.description);
    for (const [id, template] of Object.entries(check.messages)) expect(rule.meta.messages[id]).toBe(toEslintTemplate(template));
    const [schema] = rule.meta.schema as [{ type: string; properties: Record<string, unknown>; additionalProperties: boolean }];
    expect(schema.type).toBe("object");
    expect(schema.additionalProperties).toBe(false);
    expect(Object.keys(schema.properties).sort()).toEqual(Object.keys((z.toJSONSchema(check.options) as { properties: object }).properties).sort());
    expect(schema).not.toHaveProperty("$schema");
  });

  it("turns {placeholders} into ESLint's {{placeholders}} and nothing else", () => {
    expect(toEslintTemplate("`{call}(…)` drops `{ a: 1 }` for {receiver}")).toBe("`{{call}}(…)` drops `{ a: 1 }` for {{receiver}}");
  });
});

describe("running a rule", () => {
  const silentEmitDrop = plugin.rules["silent-emit-drop"];
  const code = "interface Sink { emit(e: string): void }\nexport class A {\n  sink?: Sink;\n  go() {\n    this.sink?.emit('x');\n  }\n}\n";

  it("reports at 1-based line and column, rendered like the CLI", () => {
    const [message, ...rest] = lint("silent-emit-drop", silentEmitDrop, code);
    expect(rest).toEqual([]);
    expect(message).toMatchObject({
      ruleId: "covenant/silent-emit-drop",
      messageId: "optionalReceiver",
      line: 5,
      column: 5,
      endLine: 5,
      endColumn: 25,
      severity: 1,
    });
    expect(message!.message).toContain("`this.sink?.emit(…)` does nothing when `this.sink` is null or undefined");
  });

  it("fails without type information, saying how to enable typed linting", () => {
    const linter = new Linter({ configType: "flat" });
    const config = { plugins: { covenant: plugin as never }, rules: { "covenant/silent-emit-drop": "warn" as const } };
    expect(() => linter.verify("this.sink?.emit('x');", [config], "file.js")).toThrow(/needs type information.*projectService: true/s);
    const untyped = { ...config, files: ["**/*.ts"], languageOptions: { parser: tsParser as Linter.Parser } };
    expect(() => linter.verify("const a = 1;", [untyped], "file.ts")).toThrow(
      /covenant\/silent-emit-drop needs type information, and ESLint has none for .*file\.ts/,
    );
  });

  it("validates settings.covenant and names the bad key", () => {
    expect(() => lint("silent-emit-drop", silentEmitDrop, code, { settings: { covenant: { tests: "**/*.test.ts" } } })).toThrow(/settings\.covenant\.tests/);
    expect(() => lint("silent-emit-drop", silentEmitDrop, code, { settings: { covenant: { test: ["x"] } } })).toThrow(/invalid ESLint settings\.covenant/);
  });

  it("validates options against the schema from zod", () => {
    expect(() => lint("silent-emit-drop", silentEmitDrop, code, { options: { strict: true } })).toThrow(
      /covenant\/silent-emit-drop[\s\S]*Unexpected property "strict"/,
    );
    expect(() => lint("dual-interface", plugin.rules["dual-interface"], code, { options: { suffixes: "Manager" } })).toThrow(
      /covenant\/dual-interface[\s\S]*should be array/,
    );
    expect(lint("dual-interface", plugin.rules["dual-interface"], code, { options: { suffixes: ["Manager", "Bridge"] } })).toEqual([]);
  });

  it("reads the test globs from settings.covenant.tests", () => {
    const mock = "interface Repo { find(): string; save(): void }\nexport const repo = {} as unknown as Repo;\n";
    const rule = plugin.rules["permissive-mock"];
    expect(lint("permissive-mock", rule, mock, { filename: "src/repo.test.ts" }).map((m) => m.messageId)).toEqual(["castThroughAny"]);
    expect(lint("permissive-mock", rule, mock, { filename: "src/repo.ts" })).toEqual([]);
    const settings = { covenant: { tests: ["src/doubles/**"] } };
    expect(lint("permissive-mock", rule, mock, { filename: "src/doubles/repo.ts", settings }).map((m) => m.messageId)).toEqual(["castThroughAny"]);
    expect(lint("permissive-mock", rule, mock, { filename: "src/repo.test.ts", settings })).toEqual([]);
  });

  it("honours `// covenant-ignore <id> -- <reason>` like the CLI, and reports one without a reason (which suppresses nothing)", () => {
    const ignored = code.replace("    this.sink?.emit('x');", "    // covenant-ignore silent-emit-drop -- nobody listens in tests\n    this.sink?.emit('x');");
    expect(lint("silent-emit-drop", silentEmitDrop, ignored)).toEqual([]);
    const noReason = code.replace("    this.sink?.emit('x');", "    this.sink?.emit('x'); // covenant-ignore silent-emit-drop");
    expect(lint("silent-emit-drop", silentEmitDrop, noReason).map((m) => `${m.line}:${m.column} ${m.messageId}`)).toEqual([
      "5:5 optionalReceiver",
      "5:27 covenantSuppressionMissingReason",
    ]);
  });

  it("turns check suggestions into ESLint suggestions with fixes", () => {
    const check = defineCheck({
      id: "silent-emit-drop",
      meta: { description: "test check: every `let`", defaultSeverity: "warn" },
      messages: { useConst: "`{name}` is never reassigned.", replace: "Use `const {name}`." },
      options: noOptions,
      check({ sourceFile, report }) {
        const visit = (node: ts.Node): void => {
          if (ts.isVariableDeclarationList(node) && node.flags & ts.NodeFlags.Let) {
            const name = node.declarations[0]!.name.getText(sourceFile);
            const start = node.getStart(sourceFile);
            report({
              node,
              messageId: "useConst",
              data: { name },
              suggest: [{ messageId: "replace", data: { name }, edits: [{ start, end: start + 3, text: "const" }] }],
            });
          }
          ts.forEachChild(node, visit);
        };
        visit(sourceFile);
      },
    });
    const [message] = lint("silent-emit-drop", toEslintRule(check), "export let a = 1;\n");
    expect(message).toMatchObject({ messageId: "useConst", message: "`a` is never reassigned.", line: 1, column: 8 });
    expect(message!.suggestions).toEqual([{ messageId: "replace", data: { name: "a" }, desc: "Use `const a`.", fix: { range: [7, 10], text: "const" } }]);
  });

  it("reports a check that throws as an internal error and goes on", () => {
    const check = defineCheck({
      id: "silent-emit-drop",
      meta: { description: "test check that throws", defaultSeverity: "warn" },
      messages: { never: "never" },
      options: noOptions,
      check() {
        throw new Error("cannot read properties of undefined");
      },
    });
    const messages = lint("silent-emit-drop", toEslintRule(check), "export const a = 1;\n");
    expect(messages).toMatchObject([{ messageId: INTERNAL_ERROR_MESSAGE_ID, line: 1, column: 1 }]);
    expect(messages[0]!.message).toContain("cannot read properties of undefined");
  });
});

describe("a project on another TypeScript", () => {
  /** A real program whose default lib sits in a `typescript` package of the given version (its lib/typescript.js only says its version). */
  function programWithTypeScript(version: string): ts.Program {
    const dir = fs.mkdtempSync(path.join(root, "ts-"));
    fs.mkdirSync(path.join(dir, "typescript/lib"), { recursive: true });
    fs.writeFileSync(path.join(dir, "typescript/package.json"), JSON.stringify({ name: "typescript", version, main: "./lib/typescript.js" }));
    fs.writeFileSync(
      path.join(dir, "typescript/lib/typescript.js"),
      `module.exports = { version: ${JSON.stringify(version)}, SyntaxKind: { SourceFile: ${ts.SyntaxKind.SourceFile} } };\n`,
    );
    const libDir = path.join(dir, "typescript/lib");
    const realLibDir = path.dirname(ts.getDefaultLibFilePath({}));
    for (const lib of ["lib.es5.d.ts", "lib.decorators.d.ts", "lib.decorators.legacy.d.ts"])
      fs.copyFileSync(path.join(realLibDir, lib), path.join(libDir, lib));
    fs.writeFileSync(path.join(dir, "a.ts"), "export const a = 1;\n");
    const host = ts.createCompilerHost({});
    host.getDefaultLibFileName = () => path.join(libDir, "lib.es5.d.ts");
    host.getDefaultLibLocation = () => libDir;
    return ts.createProgram({ rootNames: [path.join(dir, "a.ts")], options: { noEmit: true, types: [] }, host });
  }

  it("finds the TypeScript that built the program beside its default library (5.9 and 6.0)", () => {
    const ts59 = loadTypeScriptUnderTest("typescript-5.9").ts;
    for (const typescript of [ts, ts59]) {
      const file = path.join(fs.mkdtempSync(path.join(root, "real-")), "a.ts");
      fs.writeFileSync(file, "export const a = 1;\n");
      const program = typescript.createProgram({ rootNames: [file], options: { noEmit: true, types: [] } });
      expect(getProgramTypeScript(program, program.getSourceFile(file)!)).toEqual({ ts: typescript });
    }
    expect(ts59.version).toMatch(/^5\.9\./);
  });

  it("reports once per file, and goes on, when typescript-eslint's TypeScript is one the checks do not run on", () => {
    const program = programWithTypeScript("4.9.5");
    const file = program.getRootFileNames()[0]!;
    const parser = {
      meta: { name: "fixed-program" },
      parseForESLint: (code: string, options: Record<string, unknown>) => tsParser.parseForESLint(code, { ...options, programs: [program] }),
    };
    const linter = new Linter({ cwd: path.dirname(file), configType: "flat" });
    const messages = linter.verify(
      "export const a = 1;\n",
      [
        {
          files: ["**/*.ts"],
          languageOptions: { parser: parser },
          plugins: { covenant: plugin },
          rules: { "covenant/liskov-override": "error", "covenant/silent-emit-drop": "warn", "covenant/unawaited-factory": "error" },
        },
      ],
      file,
    );
    expect(messages.map((m) => [m.ruleId, m.messageId, m.line, m.column])).toEqual([["covenant/liskov-override", CANNOT_RUN_MESSAGE_ID, 1, 1]]);
    expect(messages[0]!.message).toMatch(
      /with TypeScript 4\.9\.5, and covenant's rules run on TypeScript 5\.x or 6\.x\. Install one .* or run `covenant check`/,
    );
  });
});

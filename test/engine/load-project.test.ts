import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import ts from "typescript";
import { CovenantError } from "../../common/errors.js";
import { loadProject } from "../../analyzer/project/load-project.js";
import { findTsconfig, resolveTsconfigPath } from "../../analyzer/project/tsconfig-path.js";

let dir: string;
beforeEach(() => {
  dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "covenant-project-")));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function write(files: Record<string, string>): void {
  for (const [name, text] of Object.entries(files)) {
    const file = path.join(dir, name);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
  }
}

function problemOf(fn: () => unknown) {
  try {
    fn();
  } catch (error) {
    if (error instanceof CovenantError) return error.problems[0]!;
    throw error;
  }
  throw new Error("expected a CovenantError");
}

const rel = (sf: ts.SourceFile) => path.relative(dir, sf.fileName).split(path.sep).join("/");

/** The type the checker gives a `const` declared in the file. */
function typeOfConst(program: ts.Program, file: string, name: string): string {
  const sf = program.getSourceFile(path.join(dir, file).split(path.sep).join("/"))!;
  const checker = program.getTypeChecker();
  for (const statement of sf.statements) {
    if (!ts.isVariableStatement(statement)) continue;
    for (const d of statement.declarationList.declarations) {
      if (ts.isIdentifier(d.name) && d.name.text === name) return checker.typeToString(checker.getTypeAtLocation(d.name));
    }
  }
  throw new Error(`no const ${name}`);
}

describe("loadProject", () => {
  it("honours include and exclude and analyzes only the project's own TypeScript files", () => {
    write({
      "tsconfig.json": JSON.stringify({ compilerOptions: { strict: true, module: "nodenext", types: [] }, include: ["src"], exclude: ["src/generated"] }),
      "src/a.ts": 'import { b } from "./b.js"; export const a = b;',
      "src/b.ts": "export const b = 1;",
      "src/generated/g.ts": "export const g = 1;",
      "other/c.ts": "export const c = 1;",
    });
    const project = loadProject({ tsconfig: path.join(dir, "tsconfig.json") });
    expect(project.units).toHaveLength(1);
    expect(project.units[0]!.files.map(rel)).toEqual(["src/a.ts", "src/b.ts"]);
    expect(typeOfConst(project.units[0]!.program, "src/a.ts", "a")).toBe("1");
  });

  it("finds tsconfig.json upward from the cwd and accepts a folder for -p", () => {
    write({ "tsconfig.json": "{}", "src/deep/x.ts": "" });
    expect(findTsconfig(path.join(dir, "src/deep"))).toBe(path.join(dir, "tsconfig.json"));
    expect(resolveTsconfigPath(".", dir)).toBe(path.join(dir, "tsconfig.json"));
    expect(problemOf(() => resolveTsconfigPath("nope.json", dir))).toMatchObject({ code: "tsconfig-not-found" });
  });

  it("follows project references when the root tsconfig has no files of its own", () => {
    write({
      "tsconfig.json": JSON.stringify({ files: [], references: [{ path: "./packages/core" }, { path: "./packages/app/tsconfig.json" }] }),
      "packages/core/tsconfig.json": JSON.stringify({ compilerOptions: { composite: true, strict: true, types: [] }, include: ["src"] }),
      "packages/core/src/core.ts": "export class Core { run(): number { return 1; } }",
      "packages/app/tsconfig.json": JSON.stringify({ compilerOptions: { strict: true, types: [] }, include: ["src"], references: [{ path: "../core" }] }),
      "packages/app/src/app.ts": 'import { Core } from "../../core/src/core.js"; export const n = new Core().run();',
    });
    const project = loadProject({ tsconfig: path.join(dir, "tsconfig.json") });
    expect(project.units.map((u) => path.relative(dir, u.tsconfig))).toEqual(["packages/core/tsconfig.json", "packages/app/tsconfig.json"]);
    expect(project.units.map((u) => u.files.map(rel))).toEqual([["packages/core/src/core.ts"], ["packages/app/src/app.ts"]]);
    expect(typeOfConst(project.units[1]!.program, "packages/app/src/app.ts", "n")).toBe("number");
  });

  it("shares TypeScript's lib files with the programs built before with settings that parse and bind them alike, and only those", () => {
    const options = { strict: true, target: "ES2022", lib: ["ES2022"], types: [] };
    write({
      "tsconfig.json": JSON.stringify({ files: [], references: [{ path: "./a" }, { path: "./b" }] }),
      "a/tsconfig.json": JSON.stringify({ compilerOptions: options, include: ["src"] }),
      "a/src/a.ts": "export const first = [1].at(0);",
      "b/tsconfig.json": JSON.stringify({ compilerOptions: { ...options, outDir: "dist" }, include: ["src"] }),
      "b/src/b.ts": "export const last = ['b'].at(-1);",
      // Another target parses the lib files for another language version; unreachable code is a binder setting.
      "c/tsconfig.json": JSON.stringify({ compilerOptions: { ...options, target: "ES2023" }, include: ["src"] }),
      "c/src/c.ts": "export const first = [1].at(0);",
      "d/tsconfig.json": JSON.stringify({ compilerOptions: { ...options, allowUnreachableCode: false }, include: ["src"] }),
      "d/src/d.ts": "export const first = [1].at(0);",
      // `paths` is resolved from the tsconfig's own folder (TypeScript records it as pathsBasePath): a location, not a parse setting.
      "e/tsconfig.json": JSON.stringify({ compilerOptions: { ...options, paths: { "#e/*": ["./src/*"] } }, include: ["src"] }),
      "e/src/e.ts": "export const first = [1].at(0);",
    });
    const lib = (program: ts.Program) => program.getSourceFiles().find((sf) => path.basename(sf.fileName) === "lib.es2022.array.d.ts")!;
    const [a, b] = loadProject({ tsconfig: path.join(dir, "tsconfig.json") }).units.map((u) => u.program);
    expect(lib(a!)).toBeDefined();
    expect(lib(b!)).toBe(lib(a!));
    // The next run (a process that runs covenant check twice): the same lib files, the project's own files read afresh.
    const again = loadProject({ tsconfig: path.join(dir, "a/tsconfig.json") }).units[0]!.program;
    expect(lib(again)).toBe(lib(a!));
    expect(again.getSourceFile(path.join(dir, "a/src/a.ts"))).not.toBe(a!.getSourceFile(path.join(dir, "a/src/a.ts")));
    const [c, d] = ["c", "d"].map((name) => loadProject({ tsconfig: path.join(dir, `${name}/tsconfig.json`) }).units[0]!.program);
    for (const program of [c!, d!]) expect(lib(program)).toBeDefined();
    expect(lib(c!)).not.toBe(lib(a!));
    expect(lib(d!)).not.toBe(lib(a!));
    const e = loadProject({ tsconfig: path.join(dir, "e/tsconfig.json") }).units[0]!.program;
    expect(e.getCompilerOptions().pathsBasePath).toBe(path.join(dir, "e"));
    expect(lib(e)).toBe(lib(a!));
    expect(typeOfConst(again, "a/src/a.ts", "first")).toBe("number | undefined");
    expect(typeOfConst(b!, "b/src/b.ts", "last")).toBe("string | undefined");
    expect(typeOfConst(c!, "c/src/c.ts", "first")).toBe("number | undefined");
    expect(typeOfConst(d!, "d/src/d.ts", "first")).toBe("number | undefined");
  });

  it("reports a missing reference at its position", () => {
    write({ "tsconfig.json": '{\n  "files": [],\n  "references": [\n    { "path": "./gone" }\n  ]\n}' });
    expect(problemOf(() => loadProject({ tsconfig: path.join(dir, "tsconfig.json") }))).toMatchObject({
      code: "tsconfig-reference-not-found",
      line: 4,
      column: 5,
    });
  });

  it("reports broken JSON at its line and column", () => {
    write({ "tsconfig.json": '{\n  "compilerOptions": {\n    "strict": true,,\n  }\n}' });
    const problem = problemOf(() => loadProject({ tsconfig: path.join(dir, "tsconfig.json") }));
    expect(problem).toMatchObject({ file: path.join(dir, "tsconfig.json"), line: 3, column: 20 });
    expect(problem.message).toMatch(/not valid JSON/);
  });

  it("reports an unreadable extends at its value, and a tsconfig without inputs", () => {
    write({ "tsconfig.json": '{\n  "include": ["src"],\n  "extends": "./base.json"\n}\n', "src/a.ts": "" });
    const missing = problemOf(() => loadProject({ tsconfig: path.join(dir, "tsconfig.json") }));
    expect(missing).toMatchObject({ file: path.join(dir, "tsconfig.json"), line: 3, column: 14 });
    expect(missing.message).toMatch(/base\.json/);
    // In an array, at the element that names the missing file; through a tsconfig it extends, in that file.
    write({
      "tsconfig.json": '{\n  "extends": ["./shared.json", "./base.json"],\n  "include": ["src"]\n}\n',
      "shared.json": '{\n  "extends": "./strict.json"\n}\n',
    });
    expect(problemOf(() => loadProject({ tsconfig: path.join(dir, "tsconfig.json") }))).toMatchObject({
      file: path.join(dir, "shared.json"),
      line: 2,
      column: 14,
    });
    write({ "strict.json": "{}\n" });
    expect(problemOf(() => loadProject({ tsconfig: path.join(dir, "tsconfig.json") }))).toMatchObject({
      file: path.join(dir, "tsconfig.json"),
      line: 2,
      column: 32,
    });
    write({ "tsconfig.json": JSON.stringify({ include: ["nothing"] }) });
    expect(problemOf(() => loadProject({ tsconfig: path.join(dir, "tsconfig.json") })).message).toMatch(/No inputs were found/);
  });

  it("keeps going on unknown compiler options, as warnings", () => {
    write({ "tsconfig.json": '{ "compilerOptions": { "strct": true, "types": [] } }', "a.ts": "export const a = 1;" });
    const project = loadProject({ tsconfig: path.join(dir, "tsconfig.json") });
    expect(project.warnings).toMatchObject([{ line: 1, column: 24 }]);
    expect(project.warnings[0]!.message).toMatch(/Unknown compiler option 'strct'/);
  });

  // A TypeScript 5 project: options TypeScript 6 deprecates or removed, TypeScript 5 defaults.
  const ts5Files = {
    "tsconfig.json": JSON.stringify({
      compilerOptions: {
        target: "ES5",
        module: "commonjs",
        moduleResolution: "node",
        downlevelIteration: true,
        baseUrl: ".",
        paths: { "@lib/*": ["src/lib/*"] },
        esModuleInterop: false,
        lib: ["es2015", "dom"],
        keyofStringsOnly: true,
        outFile: "out.js",
      },
      include: ["src"],
    }),
    "node_modules/@types/globals-pkg/index.d.ts": "declare var globalThing: { ping(): void };",
    "node_modules/@types/globals-pkg/package.json": '{ "name": "@types/globals-pkg", "types": "index.d.ts" }',
    "node_modules/dep/package.json": '{ "name": "dep", "main": "index.js", "types": "index.d.ts" }',
    "node_modules/dep/index.d.ts": "export declare function makeEmitter(): Promise<{ emit(name: string): void }>;",
    "src/lib/util.ts": "export const util = (x: string | undefined) => x;",
    "src/main.ts": [
      'import { makeEmitter } from "dep";',
      'import { util } from "@lib/util";',
      "export const emitter = makeEmitter();",
      "export const global = globalThing;",
      'export const maybe = util("a");',
      "export const it = [...new Set([1])];",
    ].join("\n"),
  };

  it.each([
    ["with TypeScript 5 installed", { "node_modules/typescript/package.json": '{ "name": "typescript", "version": "5.9.3" }' }],
    ["with no TypeScript installed", {}],
  ])("analyzes a TypeScript 5 project %s with its 5.x semantics", (_name, extra) => {
    write({ ...ts5Files, ...extra });
    const project = loadProject({ tsconfig: path.join(dir, "tsconfig.json") });
    const unit = project.units[0]!;
    expect(unit.files.map(rel)).toEqual(["src/lib/util.ts", "src/main.ts"]);
    expect(typeOfConst(unit.program, "src/main.ts", "emitter")).toBe("Promise<{ emit(name: string): void; }>");
    // TypeScript 5 included every @types package and was not strict by default.
    expect(typeOfConst(unit.program, "src/main.ts", "global")).toBe("{ ping(): void; }");
    expect(typeOfConst(unit.program, "src/main.ts", "maybe")).toBe("string");
    expect(typeOfConst(unit.program, "src/main.ts", "it")).toBe("number[]");
    expect(project.adjustments[path.join(dir, "tsconfig.json")]).toEqual([
      'ignoreDeprecations: "6.0"',
      "strict: false (TypeScript 5 default)",
      'types: ["*"] (TypeScript 5 default: every @types package)',
    ]);
  });

  it("keeps TypeScript 6 defaults for a project on TypeScript 6", () => {
    write({
      "tsconfig.json": JSON.stringify({ compilerOptions: { module: "nodenext" }, include: ["src"] }),
      "node_modules/typescript/package.json": '{ "name": "typescript", "version": "6.0.2" }',
      "src/a.ts": "export const maybe = (x: string | undefined) => x;\nexport const v = maybe('a');",
    });
    const unit = loadProject({ tsconfig: path.join(dir, "tsconfig.json") }).units[0]!;
    expect(typeOfConst(unit.program, "src/a.ts", "v")).toBe("string | undefined");
  });
});

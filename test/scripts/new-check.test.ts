import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import ts from "typescript";
import { createSharingCompilerHost } from "../utils/shared-host.js";

const ROOT = path.resolve(import.meta.dirname, "../..");
const SCRIPT = path.join(ROOT, "scripts/new-check.mjs");

/** A copy of the rooms a check compiles against, with the repository's node_modules linked in. */
function copyCheckout(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "covenant-new-check-"));
  for (const rel of [
    "analyzer",
    "common",
    "contracts",
    "rules",
    "test/utils",
    "test/checks",
    "test/contracts/generate-harness.ts",
    "tsconfig.json",
    "package.json",
  ]) {
    fs.cpSync(path.join(ROOT, rel), path.join(dir, rel), { recursive: true });
  }
  fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"));
  return dir;
}

/**
 * What `tsc -p <tsconfig>` reports about a scaffold (config, options, syntax, global diagnostics, and
 * the semantic and declaration diagnostics), the semantic ones for the files TypeScript's incremental
 * builder checks again after such an edit: the files `changed` (written or edited) and every file that
 * depends on one of them, directly or not (its `getAllDependencies`, which counts a script's global
 * declarations as everyone's dependency). No other file changed, nor did anything it reads, so it
 * checks as it did before the scaffold. Run in this worker, where TypeScript is loaded already.
 * Returns the diagnostics, formatted, and the files checked (relative to `dir`).
 */
function scaffoldDiagnostics(dir: string, tsconfig: string, changed: readonly string[]): { errors: string; checked: string[] } {
  const parsed = ts.getParsedCommandLineOfConfigFile(path.join(dir, tsconfig), undefined, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
      throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n"));
    },
  });
  if (!parsed) throw new Error(`cannot read ${tsconfig}`);
  const builder = ts.createSemanticDiagnosticsBuilderProgram(
    parsed.fileNames,
    parsed.options,
    createSharingCompilerHost(ts, parsed.options, ts.createIncrementalCompilerHost(parsed.options)),
    undefined,
    ts.getConfigFileParsingDiagnostics(parsed),
  );
  const program = builder.getProgram();
  const edited = new Set(changed.map((rel) => program.getSourceFile(path.join(dir, rel))));
  expect(edited.has(undefined), "every changed file is in the program").toBe(false);
  const affected = program
    .getSourceFiles()
    .filter((file) => builder.getAllDependencies(file).some((dependency) => edited.has(program.getSourceFile(dependency))));
  const declarations = Boolean(parsed.options.declaration || parsed.options.composite);
  const diagnostics = [
    ...program.getConfigFileParsingDiagnostics(),
    ...program.getOptionsDiagnostics(),
    ...program.getSyntacticDiagnostics(),
    ...program.getGlobalDiagnostics(),
    ...affected.flatMap((file) => [...program.getSemanticDiagnostics(file), ...(declarations ? program.getDeclarationDiagnostics(file) : [])]),
  ];
  const errors = ts.formatDiagnostics(diagnostics, { getCanonicalFileName: (f) => f, getCurrentDirectory: () => dir, getNewLine: () => "\n" });
  return { errors, checked: affected.map((file) => path.relative(dir, file.fileName).split(path.sep).join("/")) };
}

const run = (cwd: string, ...args: string[]) => spawnSync(process.execPath, [SCRIPT, ...args], { cwd, encoding: "utf8" });

describe("npm run new-check", () => {
  // A cap for a starved machine: the type-check of the copy takes a few seconds of CPU (60 s, the default, ran out under load).
  it("scaffolds a check folder, its table, test, docs page and fixture, registers it once, and it compiles", { timeout: 300_000 }, () => {
    const dir = copyCheckout();
    try {
      const result = run(dir, "stale-handler");
      expect(result.stderr).toBe("");
      expect(result.status).toBe(0);
      for (const rel of [
        "analyzer/checks/stale-handler/index.ts",
        "test/checks/stale-handler.cases.ts",
        "test/checks/stale-handler.test.ts",
        "docs/rules/stale-handler.md",
        "fixtures/stale-handler/tsconfig.json",
        "fixtures/stale-handler/src/clean/ok.ts",
      ]) {
        expect(fs.existsSync(path.join(dir, rel)), rel).toBe(true);
      }
      const ids = fs.readFileSync(path.join(dir, "analyzer/checks/rule-ids.ts"), "utf8");
      expect(ids.match(/"stale-handler"/g)).toHaveLength(1);
      const registry = fs.readFileSync(path.join(dir, "analyzer/checks/index.ts"), "utf8");
      expect(registry).toContain('import staleHandler from "./stale-handler/index.js";');
      expect(registry).toContain('"stale-handler": staleHandler,');
      // The registry is typed by RULE_IDS: the scaffold compiles only if both places agree.
      fs.writeFileSync(
        path.join(dir, "tsconfig.check.json"),
        JSON.stringify({
          extends: "./tsconfig.json",
          compilerOptions: { noEmit: true, types: ["node", "vitest/globals"] },
          include: ["analyzer", "common", "contracts", "rules", "test/utils", "test/checks/stale-handler.test.ts"],
        }),
      );
      // Every TypeScript file the script says it wrote or edited (the fixture has a tsconfig of its own), so a file
      // it writes later is checked without this list changing.
      const written = [...result.stdout.matchAll(/^wrote (\S+\.ts)$/gm)].map((match) => match[1]!).filter((rel) => !rel.startsWith("fixtures/"));
      const registered = /^registered \S+ in (\S+) and (\S+)$/m.exec(result.stdout)?.slice(1) ?? [];
      const changed = [...registered, ...written];
      expect(changed).toEqual(
        expect.arrayContaining([
          "analyzer/checks/rule-ids.ts",
          "analyzer/checks/index.ts",
          "analyzer/checks/stale-handler/index.ts",
          "test/checks/stale-handler.cases.ts",
          "test/checks/stale-handler.test.ts",
        ]),
      );
      const { errors, checked } = scaffoldDiagnostics(dir, "tsconfig.check.json", changed);
      expect(errors).toBe("");
      // What reads the rule ids is checked too: the engine, the ESLint plugin, the check-test utilities.
      expect(checked).toEqual(expect.arrayContaining([...changed, "analyzer/engine/run-check.ts", "rules/index.ts", "test/utils/check-tester.ts"]));
      // A second run for the same id is refused, and writes nothing.
      const again = run(dir, "stale-handler");
      expect(again.status).toBe(2);
      expect(again.stderr).toMatch(/^new-check {2}error {2}stale-handler is already a rule id/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it.each(["Stale", "stale_handler", "stale", "../escape"])("refuses the id %j", (id) => {
    const dir = copyCheckout();
    try {
      const result = run(dir, id);
      expect(result.status).toBe(2);
      expect(result.stderr).toMatch(/^new-check {2}error {2}Give a kebab-case rule id/);
      expect(fs.existsSync(path.join(dir, "docs"))).toBe(false);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

import path from "node:path";
import { describe, expect, it } from "vitest";
import { checks } from "../analyzer/checks/index.js";
import { defaultCheckSettings } from "../analyzer/checks/define-check.js";
import { runChecksOnFile } from "../analyzer/engine/run-checks.js";
import ts from "typescript";
import { getFixtureTypeErrors, listFixtureProjects, readMarkers } from "./utils/fixtures.js";

// Runs every check (default severity, default settings) over every fixture project and compares the
// findings with the `// expect:` markers in both directions: a clean file must report nothing.
// TODO(engine): switch to the engine's project loader + config once it exists.
describe.each(listFixtureProjects().map((dir) => [path.basename(dir), dir]))("fixture %s", (_name, dir) => {
  it("type-checks cleanly", () => {
    expect(getFixtureTypeErrors(dir)).toEqual([]);
  });
  it("reports exactly the marked findings", () => {
    const parsed = ts.getParsedCommandLineOfConfigFile(path.join(dir, "tsconfig.json"), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} })!;
    const program = ts.createProgram({ rootNames: parsed.fileNames, options: parsed.options });
    const checker = program.getTypeChecker();
    const enabled = Object.values(checks).map((check) => ({ check, severity: check.meta.defaultSeverity, options: check.options.parse({}) }));
    const files = program.getSourceFiles().filter((sf) => !sf.isDeclarationFile && !sf.fileName.includes("/node_modules/"));
    const findings = files.flatMap((sf) => runChecksOnFile(sf, enabled, { program, checker, settings: defaultCheckSettings, cwd: dir }));
    const markers = readMarkers(dir, files.map((sf) => sf.fileName));
    const actual = findings.map((f) => `${f.file}:${f.line} ${f.ruleId}`).sort();
    const expected = markers.map((m) => `${m.file}:${m.line} ${m.ruleId}`).sort();
    expect(actual).toEqual(expected);
    for (const m of markers.filter((m) => m.messageId)) {
      expect(findings.some((f) => f.file === m.file && f.line === m.line && f.ruleId === m.ruleId && f.messageId === m.messageId), `${m.file}:${m.line} ${m.ruleId}:${m.messageId}`).toBe(true);
    }
  });
});

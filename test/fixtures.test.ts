import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Report } from "../analyzer/engine/report.js";
import { loadTs7Engine, runCheck } from "../analyzer/engine/run-check.js";
import { Ts7Session } from "../analyzer/engine/ts7/api.js";
import { loadProject } from "../analyzer/project/load-project.js";
import { ProgramCache } from "../analyzer/project/program-cache.js";
import { getFixtureTypeErrors, listFixtureProjects, readMarkers } from "./utils/fixtures.js";
import { comparable } from "./utils/ts7-tester.js";

// Runs the engine (load-project, config, every check at its default severity, suppressions) over
// every fixture project and compares the findings with the `// expect:` markers in both directions:
// a clean file must report nothing, and every marker must be reported. A fixture's own
// covenant.config.json applies when present; no config is looked up above a fixture.
// One ProgramCache (the daemon's) for the file: the lib files are parsed once for all fixtures, and
// the project listing after a fixture's run reuses the program the run built.
const programCache = new ProgramCache();
// The ts7 engine's runs share one TypeScript 7 compiler process (as the daemon does).
let ts7: Ts7Session | undefined;
beforeAll(async () => {
  await loadTs7Engine();
});
afterAll(() => ts7?.close());
describe.each(listFixtureProjects().map((dir) => [path.basename(dir), dir]))("fixture %s", (_name, dir) => {
  const configFile = path.join(dir, "covenant.config.json");
  const options = { cwd: dir, project: path.join(dir, "tsconfig.json"), config: fs.existsSync(configFile) ? configFile : (false as const) };
  // The fixture's run on the default engine (ts6, asserted below), made once: the marker test and the
  // ts7 comparison read the same report instead of analyzing the fixture twice on ts6.
  let ts6Report: Report | undefined;
  const ts6 = (): Report => (ts6Report ??= runCheck({ ...options, programCache }));
  it("type-checks cleanly", () => {
    expect(getFixtureTypeErrors(dir)).toEqual([]);
  });
  it("reports exactly the marked findings", () => {
    const report = ts6();
    const files = loadProject({ tsconfig: path.join(dir, "tsconfig.json"), cache: programCache }).units.flatMap((u) => u.files.map((sf) => sf.fileName));
    const markers = readMarkers(dir, files);
    const actual = report.findings.map((f) => `${f.file}:${f.line} ${f.ruleId}`).sort();
    const expected = markers.map((m) => `${m.file}:${m.line} ${m.ruleId}`).sort();
    expect(actual, report.findings.map((f) => `${f.file}:${f.line}:${f.column} ${f.ruleId}: ${f.message}`).join("\n")).toEqual(expected);
    for (const m of markers.filter((m) => m.messageId)) {
      expect(
        report.findings.some((f) => f.file === m.file && f.line === m.line && f.ruleId === m.ruleId && f.messageId === m.messageId),
        `${m.file}:${m.line} ${m.ruleId}:${m.messageId}`,
      ).toBe(true);
    }
    expect(report.summary.filesAnalyzed).toBe(files.length);
    expect(report.summary.engine).toBe("ts6");
  });
  it("reports the same findings on the ts7 engine", () => {
    const report = ts6();
    expect(report.summary.engine).toBe("ts6");
    const native = runCheck({ ...options, engine: "ts7", ts7Session: () => (ts7 ??= new Ts7Session(dir)) });
    expect(native.summary.engine).toBe("ts7");
    expect(native.summary.filesAnalyzed).toBe(report.summary.filesAnalyzed);
    expect(comparable(native.findings, report.findings)).toEqual(comparable(report.findings));
  });
});

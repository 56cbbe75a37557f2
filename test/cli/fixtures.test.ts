import path from "node:path";
import { AUTO_ENGINE, loadTs7Engine, runCheck } from "../../analyzer/engine/run-check.js";
import { formatJson } from "../../analyzer/report/json.js";
import { FIXTURES_DIR } from "../utils/fixtures.js";
import { validateSarif } from "../report/sarif-validator.js";
import { runCli } from "./run-cli.js";

// The real registry through the CLI's main on the seed-incident fixture: the CLI reports what the
// engine finds (test/fixtures.test.ts holds the engine to the fixture's markers), and its SARIF,
// with real related locations and fixes, is valid.
const service = path.join(FIXTURES_DIR, "agent-service");
const withoutDuration = (text: string) => text.replace(/"durationMs": \d+/, '"durationMs": 0');

describe("covenant check on fixtures/agent-service (CLI, real checks)", () => {
  it("prints the engine's findings as json and exits 1", async () => {
    const result = await runCli(["check", "--format", "json"], service);
    expect(result.stderr).toBe("");
    expect(result.status).toBe(1);
    // The CLI's auto: AUTO_ENGINE (ts7) where it can run.
    await loadTs7Engine();
    const engine = formatJson(runCheck({ cwd: service, autoEngine: AUTO_ENGINE }));
    expect(withoutDuration(result.stdout)).toBe(withoutDuration(engine));
    const rules = new Set((JSON.parse(result.stdout) as { findings: { ruleId: string }[] }).findings.map((f) => f.ruleId));
    for (const id of ["dual-interface", "liskov-override", "unawaited-factory"]) expect(rules).toContain(id);
  });

  it("prints valid SARIF for real findings", async () => {
    const result = await runCli(["check", "--format", "sarif"], service);
    expect(result.status).toBe(1);
    const log = JSON.parse(result.stdout);
    expect(validateSarif(log)).toEqual([]);
    const results = log.runs[0].results as { relatedLocations?: unknown[]; fixes?: unknown[] }[];
    expect(results.some((r) => r.relatedLocations?.length)).toBe(true);
    expect(results.some((r) => r.fixes?.length)).toBe(true);
  });

  it("reports nothing on the fixed twin", async () => {
    expect(await runCli(["check"], path.join(FIXTURES_DIR, "agent-service-clean"))).toEqual({ status: 0, stdout: "", stderr: "" });
  });
});

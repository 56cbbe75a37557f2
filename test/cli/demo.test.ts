import { spawnSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/** `npm run demo` (the README's quick start) shows the whole product, from the built CLI. */
describe("npm run demo", () => {
  it("generates, runs the guard (an early event held, then released in order), diffs with a witness, and checks", () => {
    const result = spawnSync(process.execPath, [path.join(repo, "scripts/demo.mjs")], { cwd: repo, encoding: "utf8", timeout: 120_000 });
    expect(result.status, result.stderr).toBe(0);
    const out = result.stdout;
    const headings = out
      .split("\n")
      .filter((l) => l.startsWith("━━ "))
      .map((l) => l.slice(3, !l.includes(":") ? undefined : l.indexOf(":")));
    expect(headings).toEqual([
      "1. covenant generate",
      "2. the generated lifecycle guard",
      "3. covenant diff",
      "4. covenant check on fixtures/agent-service",
      "5. covenant check on fixtures/agent-service-clean",
    ]);
    // The guard: both events wait, nothing goes out before the last transition, then both in emit order.
    expect(out).toMatch(/guard\.emit\("agent_started", \{ … \}\) +\/\/ queued, sent so far: 0/);
    expect(out).toMatch(/guard\.transition\("services_ready"\) +\/\/ state: services_ready, sent so far: 0/);
    expect(out).toMatch(/guard\.transition\("ready"\) +\/\/ state: processing_ready, sent so far: 2/);
    const wire = out.slice(out.indexOf("What went out"));
    expect(wire.indexOf('{"type":"agent_started"')).toBeGreaterThan(-1);
    expect(wire.indexOf('{"type":"agent_started"')).toBeLessThan(wire.indexOf('{"type":"agent_thinking"'));
    // The diff: a breaking change with its witness, exit 1.
    expect(out).toMatch(/breaking .*payload-enum-value-added/);
    expect(out).toMatch(/witness: \{"type":"agent_completed",.*"status":"timed_out"/);
    expect(out).toContain("(exit code 1)\n");
    expect(out).toContain("No problems found.");
  });
});

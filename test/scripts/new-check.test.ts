import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

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

const run = (cwd: string, ...args: string[]) => spawnSync(process.execPath, [SCRIPT, ...args], { cwd, encoding: "utf8" });

describe("npm run new-check", () => {
  // A cap for a starved machine: the tsc run over the copy takes ~10 s of CPU (60 s, the default, ran out under load).
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
      const tsc = spawnSync(process.execPath, [path.join(ROOT, "node_modules/typescript/bin/tsc"), "-p", "tsconfig.check.json"], {
        cwd: dir,
        encoding: "utf8",
      });
      expect(tsc.stdout + tsc.stderr).toBe("");
      expect(tsc.status).toBe(0);
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

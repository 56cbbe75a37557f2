import fs from "node:fs";
import path from "node:path";
import { ESLint } from "eslint";
import { defineConfig } from "eslint/config";
import plugin, { ESLINT_RULE_IDS } from "../../rules/index.js";
import { listFixtureProjects, readMarkers } from "../utils/fixtures.js";
import { getTypeScriptsUnderTest } from "../utils/typescript-versions.js";

// The real ESLint class with `covenant.configs.recommended` (nothing else but tsconfigRootDir, and the
// fixture's covenant.config.json `contracts` and `bindings` as settings.covenant) over each fixture
// project; the findings must be exactly the fixture's `// expect:` markers of the rules the plugin
// registers. agent-service is the seed incident; the per-rule fixtures and clean twins run too. Each
// fixture runs with the repo's TypeScript (6.0) and again with typescript-eslint loading TypeScript 5.9
// (the parser replaced by a copy that resolves `typescript` to the `typescript-5.9` package, as in a
// project that installs 5.9): the same markers, no aborted run.
/** A fixture config's `contracts` and `bindings`, as settings.covenant (globs relative to ESLint's cwd, the fixture). */
function readContractSettings(dir: string): Record<string, unknown> {
  const file = path.join(dir, "covenant.config.json");
  if (!fs.existsSync(file)) return {};
  const { contracts, bindings } = JSON.parse(fs.readFileSync(file, "utf8")) as { contracts?: unknown; bindings?: unknown };
  return { ...(contracts ? { contracts } : {}), ...(bindings ? { bindings } : {}) };
}

const typescripts = getTypeScriptsUnderTest();
const fixtures = listFixtureProjects().flatMap((dir) => typescripts.map((under, i) => [path.basename(dir), under.label, dir, i] as const));

describe.each(fixtures)("ESLint with covenant.configs.recommended on fixtures/%s, %s", (_name, _label, dir, i) => {
  it("reports exactly the marked findings of the plugin's rules", async () => {
    const under = typescripts[i]!;
    const eslint = new ESLint({
      cwd: dir,
      overrideConfigFile: true,
      // What a user's eslint.config.ts holds (type-checked here with ESLint's own config types).
      overrideConfig: defineConfig([
        plugin.configs.recommended,
        {
          languageOptions: { ...(i === 0 ? {} : { parser: under.parser }), parserOptions: { tsconfigRootDir: dir } },
          settings: { covenant: readContractSettings(dir) },
        },
      ]),
    });
    const results = await eslint.lintFiles(["."]);
    expect(results.length).toBeGreaterThan(0);
    const actual = results
      .flatMap((r) => r.messages.map((m) => `${path.relative(dir, r.filePath).split(path.sep).join("/")}:${m.line} ${m.ruleId ?? `fatal: ${m.message}`}`))
      .sort();
    const markers = readMarkers(
      dir,
      results.map((r) => r.filePath),
    ).filter((m) => (ESLINT_RULE_IDS as readonly string[]).includes(m.ruleId));
    const expected = markers.map((m) => `${m.file}:${m.line} covenant/${m.ruleId}`).sort();
    expect(actual).toEqual(expected);
    for (const result of results) {
      for (const m of result.messages) {
        const severity = plugin.configs.recommended.rules?.[m.ruleId ?? ""];
        expect(m.severity, `${m.ruleId} severity`).toBe(severity === "error" ? 2 : 1);
      }
    }
  });
});

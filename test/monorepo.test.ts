import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Log } from "sarif";
import { validateSarif } from "./report/sarif-validator.js";
import { createInstalledProject, packCovenant, REGISTRY_TESTS, run, type Run, writeFiles } from "./utils/registry-project.js";

// The monorepo recipe of docs/ci.md, for real: an npm workspace of three packages, each with its
// tsconfig, `covenant check` as a Turborepo task per package (turbo from the registry, covenant from
// `npm pack` of this checkout, both devDependencies of the workspace), then `covenant sarif merge`.
// An unchanged package must be a cache hit and not be analyzed again. Needs the network and about a
// minute: COVENANT_REGISTRY_TESTS=1 npx vitest run test/monorepo.test.ts
const TURBO_VERSION = "2.11.13";

const TURBO_JSON = {
  $schema: "https://turborepo.com/schema.json",
  tasks: {
    "covenant:check": {
      inputs: [
        "src/**/*.{ts,tsx,mts,cts}",
        "tsconfig*.json",
        "package.json",
        "covenant.config.json",
        "$TURBO_ROOT$/covenant.config.json",
        "$TURBO_ROOT$/contracts/**",
        "$TURBO_ROOT$/tsconfig.base.json",
      ],
      outputs: ["covenant.sarif"],
    },
  },
};

const pkg = (name: string) =>
  JSON.stringify(
    {
      name: `@mono/${name}`,
      version: "1.0.0",
      private: true,
      scripts: { "covenant:check": "covenant check --format sarif --output covenant.sarif || [ $? -eq 1 ]" },
    },
    null,
    2,
  );
const TSCONFIG = JSON.stringify({ extends: "../../tsconfig.base.json", include: ["src"] });
const NARROW = "class Base { handle(x: string | number): void {} }\nexport class Narrow extends Base { override handle(x: string): void {} }\n";
const PACKAGES = ["api", "web", "worker"];

/** Per package, whether turbo ran the task (`miss`) or replayed it from the cache (`hit`). */
function cacheStatus(result: Run): Record<string, "hit" | "miss"> {
  expect(result.status, `${result.stdout}\n${result.stderr}`).toBe(0);
  const status: Record<string, "hit" | "miss"> = {};
  for (const match of result.stdout.matchAll(/^@mono\/(\w+):covenant:check: cache (hit|miss)\b/gm)) status[match[1]!] = match[2] as "hit" | "miss";
  return status;
}

describe.runIf(REGISTRY_TESTS)("the Turborepo recipe (registry)", () => {
  let dir: string;
  const times: Record<string, number> = {};
  const turbo = (label: string) => {
    const result = run("npx", ["--no-install", "turbo", "run", "covenant:check", "--output-logs=hash-only"], dir, 180_000);
    times[label] = result.ms;
    return cacheStatus(result);
  };

  beforeAll(() => {
    const tarball = packCovenant(fs.mkdtempSync(path.join(os.tmpdir(), "covenant-pack-")));
    const files: Record<string, string> = {
      "package.json": JSON.stringify(
        {
          name: "mono",
          private: true,
          packageManager: "npm@11.0.0",
          workspaces: ["packages/*"],
          devDependencies: { "@covenant-dev/covenant": `file:${tarball}`, turbo: TURBO_VERSION },
        },
        null,
        2,
      ),
      "turbo.json": JSON.stringify(TURBO_JSON, null, 2),
      "tsconfig.base.json": JSON.stringify({
        compilerOptions: { strict: true, target: "ES2022", module: "NodeNext", moduleResolution: "NodeNext", noEmit: true, types: [] },
      }),
      "covenant.config.json": JSON.stringify({ rules: { "silent-emit-drop": "warn" } }),
      ".gitignore": "node_modules\n.turbo\ncovenant.sarif\n",
    };
    for (const name of PACKAGES)
      Object.assign(files, {
        [`packages/${name}/package.json`]: pkg(name),
        [`packages/${name}/tsconfig.json`]: TSCONFIG,
        [`packages/${name}/src/index.ts`]: "export const ok = 1;\n",
      });
    files["packages/api/src/narrow.ts"] = NARROW;
    const project = createInstalledProject("covenant-turbo-", files);
    dir = project.dir;
    times.install = project.install.ms;
    for (const args of [
      ["init", "-q", "-b", "main"],
      ["add", "-A"],
      ["-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qm", "init"],
    ])
      expect(run("git", args, dir).status).toBe(0);
  }, 400_000);

  afterAll(() => {
    // The figures for the report: how long each step took on this machine.
    console.log(`turbo recipe timings (ms): ${JSON.stringify(times)}`);
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  }, 300_000);

  it("analyzes every package once, then replays an unchanged package from the cache, outputs included", { timeout: 600_000 }, () => {
    expect(turbo("first")).toEqual({ api: "miss", web: "miss", worker: "miss" });
    const first = fs.readFileSync(path.join(dir, "packages/api/covenant.sarif"), "utf8");
    expect(first).toContain("liskov-override");

    // The SARIF files come back from the cache, byte for byte, without running covenant.
    for (const name of PACKAGES) fs.rmSync(path.join(dir, `packages/${name}/covenant.sarif`));
    expect(turbo("second")).toEqual({ api: "hit", web: "hit", worker: "hit" });
    expect(fs.readFileSync(path.join(dir, "packages/api/covenant.sarif"), "utf8")).toBe(first);

    // An edit re-analyzes its package only.
    writeFiles(dir, { "packages/web/src/index.ts": "export const ok = 2;\n" });
    expect(turbo("one edit")).toEqual({ api: "hit", web: "miss", worker: "hit" });

    // The shared config, and covenant's version (the root devDependency in the lockfile), invalidate every package.
    writeFiles(dir, { "covenant.config.json": JSON.stringify({ rules: { "silent-emit-drop": "error" } }) });
    expect(turbo("config edit")).toEqual({ api: "miss", web: "miss", worker: "miss" });
    const lockFile = path.join(dir, "package-lock.json");
    const lock = fs.readFileSync(lockFile, "utf8");
    const upgraded = JSON.parse(lock) as { packages: Record<string, { version: string }> };
    upgraded.packages["node_modules/@covenant-dev/covenant"]!.version = "0.1.1";
    fs.writeFileSync(lockFile, JSON.stringify(upgraded, null, 2));
    expect(turbo("version change")).toEqual({ api: "miss", web: "miss", worker: "miss" });
    fs.writeFileSync(lockFile, lock);
    expect(turbo("version back")).toEqual({ api: "hit", web: "hit", worker: "hit" });
  });

  it("merges the packages' SARIF files into one upload whose paths are relative to the repository root", () => {
    const merged = run(
      "npx",
      ["--no-install", "covenant", "sarif", "merge", ...PACKAGES.map((name) => `packages/${name}/covenant.sarif`), "-o", "covenant.sarif"],
      dir,
    );
    // Exit 1: the packages' tasks exit 0 on findings (so they are cached); the merged log fails the build.
    expect(merged.status, merged.stderr).toBe(1);
    const log = JSON.parse(fs.readFileSync(path.join(dir, "covenant.sarif"), "utf8")) as Log;
    expect(validateSarif(log)).toEqual([]);
    expect(log.runs).toHaveLength(1);
    expect(log.runs[0]!.results!.map((r) => [r.ruleId, r.locations![0]!.physicalLocation!.artifactLocation!.uri])).toEqual([
      ["liskov-override", "packages/api/src/narrow.ts"],
    ]);
  });
});

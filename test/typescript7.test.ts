import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createInstalledProject, packCovenant, REGISTRY_TESTS, run } from "./utils/registry-project.js";

// TypeScript 7 projects, installed from the registry as docs/pre-commit.md says (covenant from `npm
// pack` of this checkout). typescript-eslint loads only TypeScript < 6.1, so the ESLint plugin needs
// `typescript` 6.0 beside TypeScript 7 under an alias for `tsc`; `covenant check` carries its own
// TypeScript 6 and runs whatever the project installs. Needs the network and a few minutes:
// COVENANT_REGISTRY_TESTS=1 npx vitest run test/typescript7.test.ts
const TS7 = "7.0.2";

const TSCONFIG = JSON.stringify(
  { compilerOptions: { strict: true, target: "ES2022", module: "NodeNext", moduleResolution: "NodeNext", noEmit: true, types: [] }, include: ["src"] },
  null,
  2,
);
// tsc accepts it (method parameters are bivariant); covenant reports it.
const NARROW = "class Base {\n  handle(x: string | number): void {}\n}\nexport class Narrow extends Base {\n  override handle(x: string): void {}\n}\n";
const ESLINT_CONFIG = [
  'import covenant from "@covenant-dev/covenant/eslint-plugin";',
  'import { defineConfig } from "eslint/config";',
  "",
  "export default defineConfig([",
  "  covenant.configs.recommended,",
  "  { languageOptions: { parserOptions: { tsconfigRootDir: import.meta.dirname } } },",
  "]);",
  "",
].join("\n");

describe.runIf(REGISTRY_TESTS)("TypeScript 7 projects (registry)", () => {
  let tarball: string;
  const dirs: string[] = [];
  beforeAll(() => {
    tarball = packCovenant(fs.mkdtempSync(path.join(os.tmpdir(), "covenant-pack-")));
  });
  afterAll(() => {
    for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
  }, 300_000);

  it("covenant check runs on a project whose typescript is 7", { timeout: 400_000 }, () => {
    const { dir } = createInstalledProject("covenant-ts7-", {
      "package.json": JSON.stringify(
        { name: "ts7", private: true, type: "module", devDependencies: { "@covenant-dev/covenant": `file:${tarball}`, typescript: TS7 } },
        null,
        2,
      ),
      "tsconfig.json": TSCONFIG,
      "src/narrow.ts": NARROW,
    });
    dirs.push(dir);
    expect(run("npx", ["--no-install", "tsc", "--version"], dir).stdout).toContain(`Version ${TS7}`);
    expect(run("npx", ["--no-install", "tsc", "-p", "."], dir)).toMatchObject({ status: 0 });
    const check = run("npx", ["--no-install", "covenant", "check"], dir);
    console.log(`typescript ${TS7} only, covenant check (exit ${check.status}, ${check.ms} ms):\n${check.stdout}${check.stderr}`);
    expect(check.stderr).toBe("");
    expect(check.status).toBe(1);
    expect(check.stdout).toMatch(/src\/narrow\.ts\n\s+5:\d+\s+error\s+.*liskov-override/);
  });

  it("ESLint with the plugin: typescript 6.0 for typescript-eslint, TypeScript 7 under an alias for tsc", { timeout: 400_000 }, () => {
    const { dir } = createInstalledProject("covenant-ts7-eslint-", {
      "package.json": JSON.stringify(
        {
          name: "ts7-eslint",
          private: true,
          type: "module",
          scripts: { typecheck: "node node_modules/typescript7/bin/tsc -p .", lint: "eslint ." },
          devDependencies: {
            "@covenant-dev/covenant": `file:${tarball}`,
            eslint: "10.16.0",
            "typescript-eslint": "8.74.0",
            typescript: "~6.0.3",
            typescript7: `npm:typescript@${TS7}`,
          },
        },
        null,
        2,
      ),
      "tsconfig.json": TSCONFIG,
      "eslint.config.js": ESLINT_CONFIG,
      "src/narrow.ts": NARROW,
    });
    dirs.push(dir);
    // tsc is TypeScript 7, through the alias; ESLint's parser loads the `typescript` package, 6.0.
    const typecheck = run("npm", ["run", "--silent", "typecheck"], dir);
    expect(typecheck, typecheck.stderr).toMatchObject({ status: 0 });
    expect(run("node", ["node_modules/typescript7/bin/tsc", "--version"], dir).stdout).toContain(`Version ${TS7}`);
    expect(JSON.parse(fs.readFileSync(path.join(dir, "node_modules/typescript/package.json"), "utf8")).version).toMatch(/^6\.0\./);
    const lint = run("npx", ["--no-install", "eslint", "."], dir);
    console.log(`node_modules/.bin/tsc -> ${fs.readlinkSync(path.join(dir, "node_modules/.bin/tsc"))}`);
    console.log(`npm run typecheck (exit ${typecheck.status}): ${typecheck.stdout}${typecheck.stderr}`);
    console.log(`npx eslint . (exit ${lint.status}, ${lint.ms} ms):\n${lint.stdout}${lint.stderr}`);
    expect(lint.stderr).toBe("");
    expect(lint.status).toBe(1);
    expect(lint.stdout).toMatch(/src\/narrow\.ts\n\s+5:\d+\s+error\s+.*covenant\/liskov-override/);
    // And the CLI says the same.
    const check = run("npx", ["--no-install", "covenant", "check"], dir);
    expect(check.status).toBe(1);
    expect(check.stdout).toMatch(/5:\d+\s+error\s+.*liskov-override/);
  });
});

import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { globSync } from "tinyglobby";
import { checks } from "../analyzer/checks/index.js";
import { ENGINE_RULES } from "../analyzer/engine/report.js";
import { PACKAGE, toRepositoryUrl } from "../common/package.js";
import plugin from "../rules/index.js";

// The unscoped `covenant` on npm is someone else's package: every command a user copies from the
// README or the docs (install, npx, the ESLint plugin's import, the config's $schema path) must name
// the package.json name, and `npx covenant` must never be able to download a stranger's `covenant`.
const ROOT = path.resolve(import.meta.dirname, "..");
const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as {
  name: string;
  version: string;
  license: string;
  bin: Record<string, string>;
  repository: { url: string };
};

interface Reference {
  line: number;
  /** What the line does with a package: installs it, runs it, imports from it, points into it. */
  kind: "install" | "npx" | "import" | "node_modules";
  text: string;
  problem?: string;
}

/** The package name of a spec: `@scope/name@1.2` -> `@scope/name`, `name@^1` -> `name`, `alias@npm:x` -> `alias`. */
function specName(spec: string): string {
  const at = spec.indexOf("@", spec.startsWith("@") ? 1 : 0);
  return at < 0 ? spec : spec.slice(0, at);
}

/** A spec that means covenant: its own name, or anything named like it (`covenant`, `@x/covenant`). */
const meansCovenant = (name: string, pkg: string) => name === pkg || /(^|\/)covenant$/.test(name);

/** The arguments of a shell command, up to the end of that command (`&&`, `;`, `|`, a closing backtick or parenthesis). */
function commandArgs(rest: string): string[] {
  const end = rest.search(/&&|\|\||[;|`)]|\s#/);
  return (end < 0 ? rest : rest.slice(0, end)).trim().split(/\s+/).filter(Boolean);
}

const NPX_OPTIONS_WITH_VALUE = new Set(["-p", "--package", "-c", "--call", "-w", "--workspace"]);

export function findReferences(text: string, pkg: string): Reference[] {
  const references: Reference[] = [];
  text.split("\n").forEach((lineText, index) => {
    const line = index + 1;
    const add = (kind: Reference["kind"], problem?: string) => references.push({ line, kind, text: lineText.trim(), ...(problem ? { problem } : {}) });

    for (const match of lineText.matchAll(/\bnpm\s+(?:install|i|add)\b(.*)$/g)) {
      const specs = commandArgs(match[1]!).filter((arg) => !arg.startsWith("-"));
      const wrong = specs.map(specName).filter((name) => meansCovenant(name, pkg) && name !== pkg);
      add("install", wrong.length > 0 ? `installs ${wrong.join(", ")}, not ${pkg}` : undefined);
    }

    for (const match of lineText.matchAll(/\b(?:npx|npm\s+exec)\s+(.*)$/g)) {
      const args = commandArgs(match[1]!);
      let noInstall = false;
      const packages: string[] = [];
      let command: string | undefined;
      for (let i = 0; i < args.length && command === undefined; i++) {
        const arg = args[i]!;
        if (arg === "--no-install" || arg === "--no") noInstall = true;
        else if (arg.startsWith("--package=")) packages.push(specName(arg.slice("--package=".length)));
        else if (NPX_OPTIONS_WITH_VALUE.has(arg)) {
          if (arg === "-p" || arg === "--package") packages.push(specName(args[i + 1] ?? ""));
          i++;
        } else if (arg === "--") continue;
        else if (!arg.startsWith("-")) command = arg;
      }
      if (command === undefined) continue;
      const wrongPackage = packages.find((name) => meansCovenant(name, pkg) && name !== pkg);
      const runsCovenant = command === "covenant" || meansCovenant(specName(command), pkg);
      if (!runsCovenant && wrongPackage === undefined) continue;
      let problem: string | undefined;
      if (wrongPackage !== undefined) problem = `runs ${wrongPackage}, not ${pkg}`;
      else if (command !== "covenant" && specName(command) !== pkg) problem = `runs ${specName(command)}, not ${pkg}`;
      else if (command === "covenant" && !noInstall && !packages.includes(pkg))
        problem = `\`npx covenant\` without --no-install (or --package=${pkg}) downloads the unrelated \`covenant\` when the project lacks it`;
      add("npx", problem);
    }

    for (const match of lineText.matchAll(/(?:\bfrom\s+|\bimport\s*\(\s*|\brequire\s*\(\s*)["']([^"'.][^"']*)["']/g)) {
      const specifier = match[1]!;
      const name = specifier.startsWith("@") ? specifier.split("/").slice(0, 2).join("/") : specifier.split("/")[0]!;
      if (!meansCovenant(name, pkg) && !specifier.endsWith("/eslint-plugin")) continue;
      add("import", name === pkg ? undefined : `imports from ${name}, not ${pkg}`);
    }

    for (const match of lineText.matchAll(/node_modules\/((?:@[^/\s"'`]+\/)?[^/\s"'`]+)\//g)) {
      const name = match[1]!;
      if (!meansCovenant(name, pkg)) continue;
      add("node_modules", name === pkg ? undefined : `points into node_modules/${name}, not node_modules/${pkg}`);
    }
  });
  return references;
}

const problemsOf = (text: string) => findReferences(text, "@covenant-dev/covenant").map((r) => r.problem ?? "ok");

describe("findReferences", () => {
  it.each([
    ["npm install --save-dev @covenant-dev/covenant", ["ok"]],
    ["npm i -D @covenant-dev/covenant@0.1.0 husky", ["ok"]],
    ["npm install --save-dev covenant", ["installs covenant, not @covenant-dev/covenant"]],
    ["npm add -D covenant@latest typescript", ["installs covenant, not @covenant-dev/covenant"]],
    ["`npm install --save-dev lint-staged` then", ["ok"]],
    ["npx --no-install covenant check --format sarif", ["ok"]],
    ["npx --package=@covenant-dev/covenant covenant init", ["ok"]],
    ["npx -p @covenant-dev/covenant covenant init", ["ok"]],
    ["npx @covenant-dev/covenant check", ["ok"]],
    ["npm exec --no-install covenant -- check", ["ok"]],
    [
      "   npx covenant check --update-baseline",
      ["`npx covenant` without --no-install (or --package=@covenant-dev/covenant) downloads the unrelated `covenant` when the project lacks it"],
    ],
    [
      "npx -y covenant check",
      ["`npx covenant` without --no-install (or --package=@covenant-dev/covenant) downloads the unrelated `covenant` when the project lacks it"],
    ],
    ["npx --package=covenant covenant check", ["runs covenant, not @covenant-dev/covenant"]],
    ["npx husky init && npx --no-install lint-staged", []],
    ['import covenant from "@covenant-dev/covenant/eslint-plugin";', ["ok"]],
    ['import covenant from "covenant/eslint-plugin";', ["imports from covenant, not @covenant-dev/covenant"]],
    ['const covenant = await import("covenant");', ["imports from covenant, not @covenant-dev/covenant"]],
    ['import config from "./covenant.config.json" with { type: "json" };', []],
    ['import tseslint from "typescript-eslint";', []],
    ['"$schema": "./node_modules/@covenant-dev/covenant/schema/config.schema.json",', ["ok"]],
    ['"$schema": "./node_modules/covenant/schema/config.schema.json",', ["points into node_modules/covenant, not node_modules/@covenant-dev/covenant"]],
    [
      "# yaml-language-server: $schema=../node_modules/covenant/schema/contract.schema.json",
      ["points into node_modules/covenant, not node_modules/@covenant-dev/covenant"],
    ],
    ["runs the covenant in your `node_modules` from the repository root", []],
  ])("%s", (line, expected) => {
    expect(problemsOf(line)).toEqual(expected);
  });
});

describe("the package name in the README, docs and examples", () => {
  const files = [
    ...globSync(["README.md", "docs/**/*.md", "examples/**/*.md"], { cwd: ROOT, ignore: ["**/node_modules/**"] }).sort(),
    ".pre-commit-hooks.yaml",
  ];

  it("is not the unscoped `covenant` someone else owns, and the command stays `covenant`", () => {
    expect(PACKAGE.name).toBe(manifest.name);
    expect(manifest.name).not.toBe("covenant");
    expect(Object.keys(manifest.bin)).toEqual(["covenant"]);
  });

  it("is what every install, npx, import and node_modules path names", () => {
    const problems = files.flatMap((file) =>
      findReferences(fs.readFileSync(path.join(ROOT, file), "utf8"), manifest.name)
        .filter((r) => r.problem !== undefined)
        .map((r) => `${file}:${r.line}: ${r.problem}: ${r.text}`),
    );
    expect(problems).toEqual([]);
  });

  it.each(["README.md", "docs/pre-commit.md", "docs/ci.md"])("%s says how to install it", (file) => {
    const installs = findReferences(fs.readFileSync(path.join(ROOT, file), "utf8"), manifest.name).filter(
      (r) => r.kind === "install" && r.text.includes(manifest.name),
    );
    expect(installs.length).toBeGreaterThan(0);
  });
});

describe("the repository and the licence package.json names", () => {
  it.each([
    ["git+https://github.com/covenant-dev/covenant.git", "https://github.com/covenant-dev/covenant"],
    [{ type: "git", url: "https://github.com/o/r" }, "https://github.com/o/r"],
    ["git@github.com:o/r.git", "https://github.com/o/r"],
    ["github:o/r", "https://github.com/o/r"],
    ["o/r", "https://github.com/o/r"],
    ["https://gitlab.com/o/r", undefined],
    [undefined, undefined],
  ])("toRepositoryUrl(%j)", (repository, expected) => {
    expect(toRepositoryUrl(repository)).toBe(expected);
  });

  it("is where every rule's docs link points, at a docs page that exists", () => {
    const repository = toRepositoryUrl(manifest.repository)!;
    expect(PACKAGE).toEqual({ name: manifest.name, version: manifest.version, repositoryUrl: repository });
    for (const check of Object.values(checks)) {
      expect(check.meta.docsUrl).toBe(`${repository}/blob/main/docs/rules/${check.id}.md`);
      expect(fs.existsSync(path.join(ROOT, "docs/rules", `${check.id}.md`)), check.id).toBe(true);
    }
    for (const [id, rule] of Object.entries(plugin.rules)) expect(rule.meta.docs?.url, id).toBe(`${repository}/blob/main/docs/rules/${id}.md`);
    for (const rule of Object.values(ENGINE_RULES)) expect(rule.docsUrl.startsWith(`${repository}/blob/main/README.md#`), rule.id).toBe(true);
  });

  it("ships an MIT LICENSE in the tarball", () => {
    expect(manifest.license).toBe("MIT");
    expect(fs.readFileSync(path.join(ROOT, "LICENSE"), "utf8")).toMatch(/^MIT License\n/);
    const [pack] = JSON.parse(
      execFileSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], { cwd: ROOT, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }),
    ) as [{ name: string; files: { path: string }[] }];
    expect(pack.name).toBe(manifest.name);
    expect(pack.files.map((f) => f.path)).toEqual(expect.arrayContaining(["LICENSE", "README.md", "package.json", "schema/config.schema.json"]));
  });
});

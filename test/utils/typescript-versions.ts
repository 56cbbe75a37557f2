import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import type * as tsParserModule from "@typescript-eslint/parser";
import ts from "typescript";

type TypeScript = typeof ts;
type Parser = typeof tsParserModule;

/** A TypeScript the ESLint side of the tests runs on, with typescript-eslint's parser loading that TypeScript. */
export interface TypeScriptUnderTest {
  /** `TypeScript 6.0`: a test title. */
  label: string;
  ts: TypeScript;
  parser: Parser;
}

const requireHere = createRequire(import.meta.url);
const REPO = path.resolve(import.meta.dirname, "../..");

/** The @typescript-eslint packages (and ts-api-utils) that `require("typescript")` at run time. */
const REQUIRES_TYPESCRIPT = [
  "@typescript-eslint/parser",
  "@typescript-eslint/typescript-estree",
  "@typescript-eslint/project-service",
  "@typescript-eslint/tsconfig-utils",
  "ts-api-utils",
];

/** The folder of package `name` as Node finds it from file `from` (without `name/package.json`, which `exports` may hide). */
function packageDir(name: string, from: string): string {
  const found = (createRequire(from).resolve.paths(name) ?? []).map((dir) => path.join(dir, name)).find((dir) => fs.existsSync(path.join(dir, "package.json")));
  if (!found) throw new Error(`cannot find ${name} from ${from}`);
  return found;
}

/**
 * A user's project with another TypeScript, as npm lays it out: `node_modules/typescript` is the
 * given package (the `typescript-5.9` alias devDependency) and typescript-eslint's packages that
 * require TypeScript are copies beside it, so Node resolves their `require("typescript")` to it. Their
 * other dependencies resolve from the repo's node_modules (the folder is under test/__generated__).
 * Built once per TypeScript and typescript-eslint version (renamed into place: test workers may race).
 */
function installProject(typescriptPackage: string): string {
  const tsDir = packageDir(typescriptPackage, path.join(REPO, "package.json"));
  const tsVersion = (JSON.parse(fs.readFileSync(path.join(tsDir, "package.json"), "utf8")) as { version: string }).version;
  const estree = packageDir("@typescript-eslint/typescript-estree", packageDir("@typescript-eslint/parser", path.join(REPO, "package.json")) + "/");
  const eslintVersion = (JSON.parse(fs.readFileSync(path.join(estree, "package.json"), "utf8")) as { version: string }).version;
  const root = path.join(REPO, "test/__generated__", `typescript-${tsVersion}-typescript-eslint-${eslintVersion}`);
  if (fs.existsSync(path.join(root, "node_modules"))) return root;
  const temp = `${root}.${process.pid}.${Math.random().toString(36).slice(2, 8)}`;
  try {
    fs.mkdirSync(path.join(temp, "node_modules"), { recursive: true });
    fs.symlinkSync(fs.realpathSync(tsDir), path.join(temp, "node_modules/typescript"), "dir");
    let from = path.join(REPO, "package.json");
    for (const name of REQUIRES_TYPESCRIPT) {
      // Each from where its dependent finds it (estree from the parser, the rest from estree).
      const dir = packageDir(name, from);
      fs.cpSync(fs.realpathSync(dir), path.join(temp, "node_modules", name), { recursive: true });
      if (name === "@typescript-eslint/parser" || name === "@typescript-eslint/typescript-estree") from = path.join(dir, "package.json");
    }
    fs.renameSync(temp, root);
  } catch (error) {
    fs.rmSync(temp, { recursive: true, force: true });
    if (!fs.existsSync(path.join(root, "node_modules"))) throw error;
  }
  return root;
}

/** typescript-eslint's parser on the TypeScript of `typescriptPackage` (a package name in the repo's node_modules). */
export function loadTypeScriptUnderTest(typescriptPackage: string): TypeScriptUnderTest {
  const root = installProject(typescriptPackage);
  const requireThere = createRequire(path.join(root, "package.json"));
  const typescript = requireThere("typescript") as TypeScript;
  const parser = requireThere("@typescript-eslint/parser") as Parser;
  // The copy's parser must have loaded this TypeScript, not the repo's.
  const estree = createRequire(requireThere.resolve("@typescript-eslint/parser"))("@typescript-eslint/typescript-estree") as { version: string };
  if (createRequire(requireThere.resolve("@typescript-eslint/typescript-estree"))("typescript") !== typescript)
    throw new Error(`typescript-eslint ${estree.version} in ${root} did not load TypeScript ${typescript.version}`);
  return { label: `TypeScript ${typescript.version.split(".").slice(0, 2).join(".")}`, ts: typescript, parser };
}

/** The TypeScripts the plugin's tests run on: the repo's own (6.0) and 5.9 (the `typescript-5.9` alias). */
export function getTypeScriptsUnderTest(): [TypeScriptUnderTest, ...TypeScriptUnderTest[]] {
  return [
    { label: `TypeScript ${ts.version.split(".").slice(0, 2).join(".")}`, ts, parser: requireHere("@typescript-eslint/parser") as Parser },
    loadTypeScriptUnderTest("typescript-5.9"),
  ];
}

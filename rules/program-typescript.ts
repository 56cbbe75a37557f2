import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import type ts from "typescript";

type TypeScript = typeof ts;

/** The TypeScript majors the checks are written and tested for (typescript-eslint 8 loads 4.8.4 to 6.0). */
const SUPPORTED_MAJORS = [5, 6];
const SUPPORTED_TEXT = "TypeScript 5.x or 6.x";

/** The TypeScript module that built a program, or why covenant's checks cannot run on it. */
export type ProgramTypeScript = { ts: TypeScript; problem?: undefined } | { ts?: undefined; problem: string };

const byProgram = new WeakMap<ts.Program, ProgramTypeScript>();
const byPackage = new Map<string, TypeScript | Error>();
const requireHere = createRequire(import.meta.url);

/**
 * The package folder of the TypeScript whose compiler host gave the program its default library
 * (`lib.*.d.ts` sits in `<typescript>/lib/`): the TypeScript typescript-eslint built the program with.
 */
function findPackageOfDefaultLib(program: ts.Program): string | undefined {
  const lib = program.getSourceFiles().find((sf) => program.isSourceFileDefaultLibrary(sf));
  if (!lib) return undefined;
  const dir = path.dirname(path.dirname(lib.fileName));
  return readPackageName(dir) === "typescript" ? dir : undefined;
}

/** The TypeScript typescript-eslint's parser requires, seen from the parser covenant depends on. */
function findPackageOfParser(): string | undefined {
  try {
    const estree = createRequire(requireHere.resolve("@typescript-eslint/parser")).resolve("@typescript-eslint/typescript-estree");
    // The folder, not `typescript/package.json`: a package's `exports` may hide that subpath.
    return (createRequire(estree).resolve.paths("typescript") ?? [])
      .map((dir) => path.join(dir, "typescript"))
      .find((dir) => readPackageName(dir) === "typescript");
  } catch {
    return undefined;
  }
}

function readPackageName(dir: string): string | undefined {
  try {
    return (JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")) as { name?: unknown }).name as string | undefined;
  } catch {
    return undefined;
  }
}

/** Loads the TypeScript of a package folder: the module typescript-eslint already loaded from there (Node's require cache). */
function loadTypeScript(dir: string): TypeScript | Error {
  let loaded = byPackage.get(dir);
  if (!loaded) {
    try {
      loaded = requireHere(dir) as TypeScript;
      if (typeof loaded.version !== "string" || typeof loaded.SyntaxKind !== "object") loaded = new Error(`${dir} does not hold the TypeScript compiler`);
    } catch (error) {
      loaded = error instanceof Error ? error : new Error(String(error));
    }
    byPackage.set(dir, loaded);
  }
  return loaded;
}

/**
 * The TypeScript module typescript-eslint built `program` with, so the checks read its trees, flags
 * and helpers with that module's numbering (TypeScript 5.9 and 6.0 number TypeFlags differently). Found
 * beside the program's default library, else next to typescript-eslint's parser; accepted when it is
 * 5.x or 6.x and numbers the file's root node as a SourceFile. Otherwise the reason, for one ESLint
 * message per file: the lint run goes on.
 */
export function getProgramTypeScript(program: ts.Program, sourceFile: ts.SourceFile): ProgramTypeScript {
  const known = byProgram.get(program);
  if (known) return known;
  const result = findProgramTypeScript(program, sourceFile);
  byProgram.set(program, result);
  return result;
}

function findProgramTypeScript(program: ts.Program, sourceFile: ts.SourceFile): ProgramTypeScript {
  const dir = findPackageOfDefaultLib(program) ?? findPackageOfParser();
  const rerun = "Run `covenant check` on this project instead: it carries its own TypeScript.";
  if (!dir) {
    return {
      problem: `covenant cannot tell which TypeScript typescript-eslint built the program for ${sourceFile.fileName} with (no TypeScript package beside its default library or typescript-eslint's parser). ${rerun}`,
    };
  }
  const loaded = loadTypeScript(dir);
  if (loaded instanceof Error) return { problem: `covenant cannot load the TypeScript at ${dir}: ${loaded.message}. ${rerun}` };
  const major = Number(loaded.version.split(".")[0]);
  if (!SUPPORTED_MAJORS.includes(major)) {
    return {
      problem: `typescript-eslint built the program for ${sourceFile.fileName} with TypeScript ${loaded.version}, and covenant's rules run on ${SUPPORTED_TEXT}. Install one in the project (npm install --save-dev typescript@6), or ${rerun.charAt(0).toLowerCase()}${rerun.slice(1)}`,
    };
  }
  if (sourceFile.kind !== loaded.SyntaxKind.SourceFile) {
    return {
      problem: `the syntax tree of ${sourceFile.fileName} was not built by the TypeScript ${loaded.version} at ${dir} (its root is not a SourceFile there). ${rerun}`,
    };
  }
  return { ts: loaded };
}

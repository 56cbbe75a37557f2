import fs from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import ts from "typescript";
import { applyGeneration, planGeneration } from "../../contracts/generate/index.js";
import type { Contract } from "../../contracts/model.js";
import { createSharingCompilerHost } from "../utils/shared-host.js";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
/** Git-ignored; under the repo so the generated code resolves `zod` from node_modules. */
export const generatedRoot = path.join(repoRoot, "test", "__generated__");

/** Generates a contract's artifacts into test/__generated__/<dir> (emptied first) and returns the folder. */
export async function generateInto(contract: Contract, dir: string): Promise<string> {
  const outDir = path.join(generatedRoot, dir);
  fs.rmSync(outDir, { recursive: true, force: true });
  await applyGeneration(await planGeneration([contract], { outDir }), { check: false });
  return outDir;
}

export function readGenerated(outDir: string, name: string): string {
  return fs.readFileSync(path.join(outDir, name), "utf8");
}

/** Imports a generated module for real (vitest transpiles the TypeScript). */
export async function importGenerated<T>(outDir: string, name: string): Promise<T> {
  return (await import(pathToFileURL(path.join(outDir, name)).href)) as T;
}

export const STRICT_OPTIONS: ts.CompilerOptions = {
  strict: true,
  exactOptionalPropertyTypes: true,
  noUncheckedIndexedAccess: true,
  noImplicitOverride: true,
  noImplicitReturns: true,
  noUnusedLocals: true,
  noUnusedParameters: true,
  noFallthroughCasesInSwitch: true,
  noEmit: true,
  skipLibCheck: true,
  target: ts.ScriptTarget.ES2022,
  types: [],
};

export const MODULE_MODES: Record<"nodenext" | "bundler", ts.CompilerOptions> = {
  nodenext: { module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext },
  bundler: { module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler, verbatimModuleSyntax: true },
};

/**
 * Type-checks every generated .ts file of a folder (plus `extra` files, e.g. a consumer) with the
 * strictest options; returns the diagnostics as `file:line:col message` lines.
 */
export function compileGenerated(outDir: string, mode: keyof typeof MODULE_MODES, extra: string[] = []): string[] {
  const roots = [
    ...fs
      .readdirSync(outDir)
      .filter((f) => f.endsWith(".ts"))
      .map((f) => path.join(outDir, f)),
    ...extra,
  ];
  const options = { ...STRICT_OPTIONS, ...MODULE_MODES[mode] };
  // The lib and zod declarations are parsed and bound once per worker for every program of a mode.
  const program = ts.createProgram({ rootNames: roots, options, host: createSharingCompilerHost(ts, options) });
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const text = ts.flattenDiagnosticMessageText(d.messageText, "\n");
    if (!d.file || d.start === undefined) return text;
    const { line, character } = d.file.getLineAndCharacterOfPosition(d.start);
    return `${path.relative(outDir, d.file.fileName)}:${line + 1}:${character + 1} ${text}`;
  });
}

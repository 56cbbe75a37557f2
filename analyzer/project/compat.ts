/* eslint-disable @typescript-eslint/no-deprecated -- this module recognises the options TypeScript 6 deprecates, by name */
import fs from "node:fs";
import path from "node:path";
import ts from "../../common/typescript.cjs";
import { findUp } from "../../common/user-files.js";

/**
 * covenant runs on TypeScript 6, which rejects options that 5.x projects carry (target ES3/ES5,
 * moduleResolution node10/classic, downlevelIteration, baseUrl, outFile, ...) and changed defaults
 * (strict on, no automatic @types). Those only produce option diagnostics, which covenant never asks
 * for; the checker still works. What matters for analysis is that the program types the code the
 * way the project's own compiler does, so a 5.x project keeps its 5.x defaults.
 */

/** Options deprecated or removed in TypeScript 6 (any of them marks a 5.x-era tsconfig). */
function usesPre6Options(options: ts.CompilerOptions): boolean {
  const raw = options as Record<string, unknown>;
  const removedKeys = [
    "out",
    "charset",
    "keyofStringsOnly",
    "suppressImplicitAnyIndexErrors",
    "noImplicitUseStrict",
    "noStrictGenericChecks",
    "importsNotUsedAsValues",
    "preserveValueImports",
    "downlevelIteration",
    "baseUrl",
    "outFile",
  ];
  if (removedKeys.some((key) => raw[key] !== undefined)) return true;
  if (options.target !== undefined && options.target <= ts.ScriptTarget.ES5) return true;
  if (options.module !== undefined && [ts.ModuleKind.None, ts.ModuleKind.AMD, ts.ModuleKind.UMD, ts.ModuleKind.System].includes(options.module)) return true;
  if (options.moduleResolution === ts.ModuleResolutionKind.Node10 || options.moduleResolution === ts.ModuleResolutionKind.Classic) return true;
  return options.esModuleInterop === false || options.allowSyntheticDefaultImports === false || options.alwaysStrict === false;
}

/** Major version of the TypeScript the project itself installs (read from package.json only). */
export function findInstalledTypeScriptMajor(fromDir: string): number | undefined {
  const manifest = findUp(fromDir, path.join("node_modules", "typescript", "package.json"));
  if (manifest === undefined) return undefined;
  try {
    const version = (JSON.parse(fs.readFileSync(manifest, "utf8")) as { version?: unknown }).version;
    const major = typeof version === "string" ? Number.parseInt(version, 10) : Number.NaN;
    return Number.isNaN(major) ? undefined : major;
  } catch {
    return undefined;
  }
}

export interface AdaptedOptions {
  options: ts.CompilerOptions;
  /** What was changed, for `--debug` and tests. */
  adjustments: string[];
}

/** Compiler options covenant analyzes a project with: the project's own, made to work on TypeScript 6. */
export function adaptCompilerOptions(options: ts.CompilerOptions, projectDir: string): AdaptedOptions {
  const adjustments: string[] = [];
  const adapted: ts.CompilerOptions = { ...options, noEmit: true };
  if (options.ignoreDeprecations !== "6.0") {
    adapted.ignoreDeprecations = "6.0";
    adjustments.push('ignoreDeprecations: "6.0"');
  }
  if (options.target === ts.ScriptTarget.ES3) {
    adapted.target = ts.ScriptTarget.ES5;
    adjustments.push("target: ES3 (removed) -> ES5");
  }
  const installedMajor = findInstalledTypeScriptMajor(projectDir);
  const pre6 = installedMajor !== undefined ? installedMajor < 6 : usesPre6Options(options);
  if (pre6) {
    // TypeScript 5 defaults that 6 changed and that change types.
    if (options.strict === undefined) {
      adapted.strict = false;
      adjustments.push("strict: false (TypeScript 5 default)");
    }
    if (options.types === undefined) {
      adapted.types = ["*"];
      adjustments.push('types: ["*"] (TypeScript 5 default: every @types package)');
    }
  }
  return { options: adapted, adjustments };
}

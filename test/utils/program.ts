import path from "node:path";
import ts from "typescript";
import { createSharingCompilerHost } from "./shared-host.js";

/** Root of the in-memory projects that check tests compile. */
export const VIRTUAL_ROOT = "/virtual";

export const testCompilerOptions: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  lib: ["lib.es2023.d.ts"],
  strict: true,
  noEmit: true,
  skipLibCheck: true,
  types: [],
};

const libDir = path.dirname(ts.getDefaultLibFilePath(testCompilerOptions));

/**
 * Builds a real ts.Program over in-memory files (paths relative to VIRTUAL_ROOT) plus the
 * TypeScript lib files from disk. Lib source files are parsed once per worker and shared with every
 * program of the same settings, the ESLint front end's case programs included (shared-host.ts).
 */
export function createVirtualProgram(files: Record<string, string>, options: ts.CompilerOptions = testCompilerOptions): ts.Program {
  const abs = new Map(Object.entries(files).map(([name, text]) => [path.posix.join(VIRTUAL_ROOT, name), text]));
  const host: ts.CompilerHost = {
    getSourceFile(fileName, languageVersion) {
      const text = abs.get(fileName);
      if (text !== undefined) return ts.createSourceFile(fileName, text, languageVersion, true);
      if (fileName.startsWith(libDir)) {
        const libText = ts.sys.readFile(fileName);
        return libText === undefined ? undefined : ts.createSourceFile(fileName, libText, languageVersion, true);
      }
      return undefined;
    },
    getDefaultLibFileName: (o) => ts.getDefaultLibFilePath(o),
    writeFile: () => {},
    getCurrentDirectory: () => VIRTUAL_ROOT,
    getDirectories: () => [],
    fileExists: (f) => abs.has(f) || (f.startsWith(libDir) && ts.sys.fileExists(f)),
    readFile: (f) => abs.get(f) ?? (f.startsWith(libDir) ? ts.sys.readFile(f) : undefined),
    getCanonicalFileName: (f) => f,
    useCaseSensitiveFileNames: () => true,
    getNewLine: () => "\n",
  };
  return ts.createProgram([...abs.keys()], options, createSharingCompilerHost(ts, options, host));
}

/** Semantic + syntactic diagnostics of the non-lib files, formatted, for asserting test code compiles. */
export function getProgramErrors(program: ts.Program): string[] {
  return program
    .getSourceFiles()
    .filter((sf) => sf.fileName.startsWith(VIRTUAL_ROOT))
    .flatMap((sf) => [...program.getSyntacticDiagnostics(sf), ...program.getSemanticDiagnostics(sf)])
    .map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"));
}

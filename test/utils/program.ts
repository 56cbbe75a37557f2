import path from "node:path";
import ts from "typescript";

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
const libCache = new Map<string, ts.SourceFile>();

/**
 * Builds a real ts.Program over in-memory files (paths relative to VIRTUAL_ROOT) plus the
 * TypeScript lib files from disk. Lib source files are parsed once and shared between programs.
 */
export function createVirtualProgram(files: Record<string, string>, options: ts.CompilerOptions = testCompilerOptions): ts.Program {
  const abs = new Map(Object.entries(files).map(([name, text]) => [path.posix.join(VIRTUAL_ROOT, name), text]));
  const host: ts.CompilerHost = {
    getSourceFile(fileName, languageVersion) {
      const text = abs.get(fileName);
      if (text !== undefined) return ts.createSourceFile(fileName, text, languageVersion, true);
      if (fileName.startsWith(libDir)) {
        let sf = libCache.get(fileName);
        if (!sf) {
          const libText = ts.sys.readFile(fileName);
          if (libText === undefined) return undefined;
          sf = ts.createSourceFile(fileName, libText, languageVersion, true);
          libCache.set(fileName, sf);
        }
        return sf;
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
  return ts.createProgram([...abs.keys()], options, host);
}

/** Semantic + syntactic diagnostics of the non-lib files, formatted, for asserting test code compiles. */
export function getProgramErrors(program: ts.Program): string[] {
  return program
    .getSourceFiles()
    .filter((sf) => sf.fileName.startsWith(VIRTUAL_ROOT))
    .flatMap((sf) => [...program.getSyntacticDiagnostics(sf), ...program.getSemanticDiagnostics(sf)])
    .map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"));
}

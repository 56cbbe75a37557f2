import path from "node:path";
import { LruMap } from "../../common/lru-map.js";
import ts from "../../common/typescript.cjs";

/**
 * TypeScript's own lib files (lib.es2022.d.ts, lib.dom.d.ts, ...: about 2 MB of declarations, most of
 * the parse and bind of a small project), parsed and bound once per process and handed to every
 * program built with settings that parse and bind them alike: the programs of a tsconfig that
 * references several projects, each runCheck of a process that runs more than one (the API, the
 * tests), and the daemon's ProgramCache for every option set it keeps (the tsconfig's `strict`
 * changed, another project served). They are files of the TypeScript this process loaded, which does
 * not change under it.
 * The settings are keyed as TypeScript's DocumentRegistry keys them for tsserver (the compiler
 * options that affect a source file's parse or binding, and the file's module format).
 */
const registry = ts.createDocumentRegistry();

/** Source files by settings key, then by file name; at most 4 settings (a project uses one, a monorepo's packages a few). */
const bySettings = new LruMap<string, Map<string, ts.SourceFile>>(4);

/** Wraps `host.getSourceFile`: a file of TypeScript's lib folder comes from (and goes to) the process's lib files for `options`. */
export function shareLibFiles(host: ts.CompilerHost, options: ts.CompilerOptions): ts.CompilerHost {
  const libFolder = host.getDefaultLibLocation?.();
  if (libFolder === undefined) return host;
  // Without pathsBasePath, which TypeScript adds to the key for its module resolution: it is the folder of a tsconfig
  // that sets `paths`, so every package of a monorepo would have a key of its own (ProgramCache leaves it out too).
  const settingsKey = registry.getKeyForCompilationSettings({ ...options, pathsBasePath: undefined });
  const readSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (fileName, languageVersionOrOptions, onError, shouldCreateNewSourceFile) => {
    if (shouldCreateNewSourceFile || path.dirname(fileName) !== libFolder) {
      return readSourceFile(fileName, languageVersionOrOptions, onError, shouldCreateNewSourceFile);
    }
    const files = bySettings.getOrCreate(`${settingsKey}|${getParseKey(languageVersionOrOptions)}`, () => new Map());
    let sourceFile = files.get(fileName);
    if (!sourceFile) {
      sourceFile = readSourceFile(fileName, languageVersionOrOptions, onError, shouldCreateNewSourceFile);
      if (sourceFile) files.set(fileName, sourceFile);
    }
    return sourceFile;
  };
  return host;
}

/** What `getSourceFile` is asked to parse for, as a key: the language version, and the module format and JSDoc mode when given. */
export function getParseKey(languageVersionOrOptions: ts.ScriptTarget | ts.CreateSourceFileOptions): string {
  if (typeof languageVersionOrOptions !== "object") return String(languageVersionOrOptions);
  const { languageVersion, impliedNodeFormat, jsDocParsingMode } = languageVersionOrOptions;
  return `${languageVersion}:${impliedNodeFormat ?? ""}:${jsDocParsingMode ?? ""}`;
}

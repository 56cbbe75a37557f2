import fs from "node:fs";
import ts from "../../common/typescript.cjs";
import { getParseKey, shareLibFiles } from "./lib-files.js";

/**
 * What a long-lived covenant process (`covenant check --daemon`) keeps between runs: the parsed and
 * bound source files of the programs it built, so the next run parses only what changed and lets
 * TypeScript reuse the rest (`createProgram` with the old program, as tsserver does). A file is
 * reused while its size and modification time are those it was parsed at; a program is rebuilt
 * from the tsconfig on every run (files added or removed, options changed), and the checker is
 * always new, so no type computed for an older version of a file survives.
 */
export class ProgramCache {
  /** Source files by compiler options (parsing and binding depend on them; shared by tsconfigs with the same), then by file name. */
  private readonly files = new Map<string, Map<string, CachedSourceFile>>();
  /** The last program built for each tsconfig, offered to TypeScript for structure reuse. */
  private readonly programs = new Map<string, { optionsKey: string; program: ts.Program }>();
  /** At most this many option sets are kept (one per project served, usually). */
  private static readonly MAX_OPTION_SETS = 4;

  /**
   * A compiler host whose `getSourceFile` returns the cached file while it has not changed on disk.
   * TypeScript's lib files come from the process's (shareLibFiles): a new option set, or a new
   * cache, does not parse them again when they parse and bind alike.
   */
  createHost(options: ts.CompilerOptions): ts.CompilerHost {
    const host = shareLibFiles(ts.createCompilerHost(options, true), options);
    const key = getOptionsKey(options);
    const files = this.getFiles(key);
    const readSourceFile = host.getSourceFile.bind(host);
    host.getSourceFile = (fileName, languageVersionOrOptions, onError, shouldCreateNewSourceFile) => {
      const stamp = getStamp(fileName);
      const parseKey = getParseKey(languageVersionOrOptions);
      const cached = files.get(fileName);
      if (!shouldCreateNewSourceFile && stamp !== undefined && cached?.stamp === stamp && cached.parseKey === parseKey) return cached.sourceFile;
      const sourceFile = readSourceFile(fileName, languageVersionOrOptions, onError, shouldCreateNewSourceFile);
      if (sourceFile && stamp !== undefined) files.set(fileName, { stamp, parseKey, sourceFile });
      else files.delete(fileName);
      return sourceFile;
    };
    return host;
  }

  /** The program last built for this tsconfig with the same options, if any. */
  getOldProgram(tsconfig: string, options: ts.CompilerOptions): ts.Program | undefined {
    const entry = this.programs.get(tsconfig);
    return entry?.optionsKey === getOptionsKey(options) ? entry.program : undefined;
  }

  setProgram(tsconfig: string, options: ts.CompilerOptions, program: ts.Program): void {
    this.programs.set(tsconfig, { optionsKey: getOptionsKey(options), program });
    // Files no program of this option set holds any more (deleted, excluded) are dropped.
    const key = getOptionsKey(options);
    const files = this.files.get(key);
    if (!files) return;
    const live = new Set<string>();
    for (const entry of this.programs.values()) {
      if (entry.optionsKey === key) for (const sf of entry.program.getSourceFiles()) live.add(sf.fileName);
    }
    for (const fileName of files.keys()) if (!live.has(fileName)) files.delete(fileName);
  }

  private getFiles(key: string): Map<string, CachedSourceFile> {
    let files = this.files.get(key);
    if (!files) {
      files = new Map();
      this.files.set(key, files);
      while (this.files.size > ProgramCache.MAX_OPTION_SETS) this.evict(this.files.keys().next().value!);
    } else {
      // Most recently used last.
      this.files.delete(key);
      this.files.set(key, files);
    }
    return files;
  }

  private evict(key: string): void {
    this.files.delete(key);
    for (const [tsconfig, entry] of this.programs) if (entry.optionsKey === key) this.programs.delete(tsconfig);
  }
}

interface CachedSourceFile {
  stamp: string;
  parseKey: string;
  sourceFile: ts.SourceFile;
}

function getStamp(fileName: string): string | undefined {
  try {
    const stat = fs.statSync(fileName);
    return `${stat.size}:${stat.mtimeMs}:${stat.ctimeMs}:${stat.ino}`;
  } catch {
    return undefined;
  }
}

/**
 * Options that only say where a tsconfig is or where its output goes: TypeScript sets `configFilePath`
 * and `pathsBasePath` from the tsconfig's own path, so every package of a monorepo would get an
 * option set (and parse the lib files and shared `.d.ts` files again) although it parses and binds
 * them alike.
 */
const LOCATION_OPTIONS = new Set(["configFilePath", "pathsBasePath", "outDir", "rootDir", "declarationDir", "tsBuildInfoFile"]);

/** Options as a stable key: parsing and binding depend on them (target, strictness, module kind...), not on the locations. */
function getOptionsKey(options: ts.CompilerOptions): string {
  return JSON.stringify(
    Object.keys(options)
      .filter((name) => !LOCATION_OPTIONS.has(name))
      .sort()
      .map((name) => [name, options[name]]),
  );
}

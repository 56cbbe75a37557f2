import fs from "node:fs";
import path from "node:path";
import ts from "../../common/typescript.cjs";
import { CovenantError, type Problem } from "../../common/errors.js";
import { MAX_INPUT_FILE_BYTES, readRegularFileBytes, UnsafeFileError } from "../../common/safe-fs.js";
import { adaptCompilerOptions } from "./compat.js";
import { guardDepth } from "./depth-guard.js";
import { shareLibFiles } from "./lib-files.js";
import type { ProgramCache } from "./program-cache.js";
import { toPosix } from "../../common/strings.js";

/** One TypeScript program: a tsconfig, its program and the files it analyzes. */
export interface ProgramUnit {
  tsconfig: string;
  program: ts.Program;
  checker: ts.TypeChecker;
  /** The tsconfig's own TypeScript files (not node_modules, not other projects' files). */
  files: ts.SourceFile[];
}

export interface LoadedProject {
  /** The tsconfig given or found (absolute). */
  tsconfig: string;
  /** One unit, or one per referenced project when the root tsconfig only references others. */
  units: ProgramUnit[];
  /** Non-fatal tsconfig problems (an unknown compiler option, ...), shown as warnings. */
  warnings: Problem[];
  /** Option changes that let TypeScript 6 analyze the project (per tsconfig). */
  adjustments: Record<string, string[]>;
}

const ANALYZED_EXTENSIONS = /\.(ts|tsx|mts|cts)$/;

/** Diagnostics that mean the tsconfig cannot be used: syntax, unreadable `extends`, missing files, no inputs. */
const FATAL_CODES = new Set([5083, 5012, 6053, 6054, 18003, 6231, 6232]);

function diagnosticToProblem(diagnostic: ts.Diagnostic, tsconfig: string, fix: string): Problem {
  const file = diagnostic.file?.fileName ?? tsconfig;
  let line = 1;
  let column = 1;
  if (diagnostic.file && diagnostic.start !== undefined) {
    const at = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start);
    line = at.line + 1;
    column = at.character + 1;
  }
  const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, " ").replace(/\.?$/, ".");
  return { code: `tsconfig-${diagnostic.code}`, file: path.resolve(file), line, column, message: `${message} ${fix}` };
}

/** Reads only regular files within the limit (an `extends` naming a FIFO or /dev/zero must not hang or exhaust memory); undefined otherwise, which TypeScript reports as unreadable. */
function readRegularOrUndefined(file: string, maxBytes: number): string | undefined {
  try {
    return decodeAsTypeScript(readRegularFileBytes(file, maxBytes));
  } catch {
    return undefined;
  }
}

/** Text as ts.sys.readFile decodes it: a UTF-16 byte order mark selects UTF-16, a UTF-8 one is dropped. */
function decodeAsTypeScript(bytes: Buffer): string {
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff)
    return Buffer.from(bytes.subarray(2, 2 + ((bytes.length - 2) & ~1)))
      .swap16()
      .toString("utf16le");
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) return bytes.subarray(2).toString("utf16le");
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return bytes.subarray(3).toString("utf8");
  return bytes.toString("utf8");
}

/** ts.sys for reading tsconfigs and what they extend, through readRegularOrUndefined. */
const configHost: ts.ParseConfigHost = {
  useCaseSensitiveFileNames: ts.sys.useCaseSensitiveFileNames,
  readDirectory: (...args) => ts.sys.readDirectory(...args),
  fileExists: (file) => ts.sys.fileExists(file),
  readFile: (file) => readRegularOrUndefined(file, MAX_INPUT_FILE_BYTES),
};

/** The largest source file read (generated code can be large; a source of this size is not code a person reviews). */
const MAX_SOURCE_FILE_BYTES = 64 * 1024 * 1024;

interface ParsedTsconfig {
  file: string;
  parsed: ts.ParsedCommandLine;
  sourceFile: ts.TsConfigSourceFile;
}

function parseTsconfig(file: string, warnings: Problem[]): ParsedTsconfig {
  const fix = "Fix the tsconfig, or pass another with -p/--project.";
  let text: string;
  try {
    text = decodeAsTypeScript(readRegularFileBytes(file, MAX_INPUT_FILE_BYTES));
  } catch (error) {
    const why = error instanceof UnsafeFileError ? `: ${error.message}` : "";
    throw new CovenantError({
      code: "tsconfig-not-found",
      file,
      line: 0,
      column: 0,
      message: `Cannot read this tsconfig${why}. Pass an existing one with -p/--project.`,
    });
  }
  const sourceFile = ts.parseJsonText(file, text) as ts.TsConfigSourceFile;
  const syntax = (sourceFile as unknown as { parseDiagnostics?: readonly ts.Diagnostic[] }).parseDiagnostics ?? [];
  if (syntax.length) throw new CovenantError(diagnosticToProblem(syntax[0]!, file, `The tsconfig is not valid JSON. ${fix}`));
  const parsed = ts.parseJsonSourceFileConfigFileContent(sourceFile, configHost, path.dirname(file), undefined, file);
  const hasReferences = (parsed.projectReferences?.length ?? 0) > 0;
  const fatal: Problem[] = [];
  for (const reported of parsed.errors) {
    if (reported.category !== ts.DiagnosticCategory.Error) continue;
    const diagnostic = locateUnreadableExtends(reported, sourceFile);
    if (diagnostic.code === 18003 && hasReferences) continue;
    const isFatal = FATAL_CODES.has(diagnostic.code) || diagnostic.code < 2000;
    (isFatal ? fatal : warnings).push(diagnosticToProblem(diagnostic, file, isFatal ? fix : "covenant analyzes the project without it."));
  }
  if (fatal.length) throw new CovenantError(fatal);
  return { file, parsed, sourceFile };
}

/** A key of the tsconfig's root object (`"extends": …`, `"references": …`). */
function findRootProperty(sourceFile: ts.TsConfigSourceFile, name: string): ts.PropertyAssignment | undefined {
  const root = sourceFile.statements[0]?.expression;
  if (!root || !ts.isObjectLiteralExpression(root)) return undefined;
  return root.properties.find((p): p is ts.PropertyAssignment => ts.isPropertyAssignment(p) && ts.isStringLiteral(p.name) && p.name.text === name);
}

/** The string values of the root object's `extends` (a string or an array of strings). */
function getExtendsValues(sourceFile: ts.TsConfigSourceFile): ts.StringLiteral[] {
  const property = findRootProperty(sourceFile, "extends");
  if (!property) return [];
  const values = ts.isArrayLiteralExpression(property.initializer) ? [...property.initializer.elements] : [property.initializer];
  return values.filter(ts.isStringLiteral);
}

/** The file an `extends` value names, when it is a path (not a package): with or without `.json`. */
function resolveExtendsPath(from: string, value: string): string | undefined {
  if (!value.startsWith(".") && !path.isAbsolute(value)) return undefined;
  const target = path.resolve(path.dirname(from), value);
  return fs.existsSync(target) || !fs.existsSync(`${target}.json`) ? target : `${target}.json`;
}

/**
 * Where the tsconfig `file` (or a tsconfig it extends by path, up to a few levels) names `unreadable`
 * in its `extends`, as a diagnostic location.
 */
function findExtendsOf(sourceFile: ts.TsConfigSourceFile, unreadable: string, depth = 0): { file: ts.TsConfigSourceFile; value: ts.StringLiteral } | undefined {
  const values = getExtendsValues(sourceFile);
  const own = values.find((value) => {
    const target = resolveExtendsPath(sourceFile.fileName, value.text);
    return target !== undefined && [target, `${target}.json`].includes(unreadable);
  });
  if (own) return { file: sourceFile, value: own };
  if (depth >= 4) return undefined;
  for (const value of values) {
    const target = resolveExtendsPath(sourceFile.fileName, value.text);
    const text = target && fs.existsSync(target) && fs.statSync(target).isFile() ? configHost.readFile(target) : undefined;
    if (text === undefined) continue;
    const found = findExtendsOf(ts.parseJsonText(target!, text), unreadable, depth + 1);
    if (found) return found;
  }
  return undefined;
}

/**
 * TypeScript reports an `extends` target it cannot read ("Cannot read file '/abs/base.json'") without
 * a location: point at the `extends` value that names that file, in this tsconfig or in one it extends.
 */
function locateUnreadableExtends(diagnostic: ts.Diagnostic, sourceFile: ts.TsConfigSourceFile): ts.Diagnostic {
  if (diagnostic.file || diagnostic.code !== 5083) return diagnostic;
  const unreadable = /'([^']+)'/.exec(ts.flattenDiagnosticMessageText(diagnostic.messageText, " "))?.[1];
  const found = unreadable === undefined ? undefined : findExtendsOf(sourceFile, path.resolve(unreadable));
  return found ? { ...diagnostic, file: found.file, start: found.value.getStart(found.file), length: found.value.getWidth(found.file) } : diagnostic;
}

function referencePosition(sourceFile: ts.TsConfigSourceFile, index: number): { line: number; column: number } {
  const refs = findRootProperty(sourceFile, "references");
  const node = refs && ts.isArrayLiteralExpression(refs.initializer) ? refs.initializer.elements[index] : undefined;
  if (!node) return { line: 1, column: 1 };
  const at = sourceFile.getLineAndCharacterOfPosition(node.getStart(sourceFile));
  return { line: at.line + 1, column: at.character + 1 };
}

/**
 * The program is built with the compiler API directly (as tsc does), not through a ts-morph Project:
 * the checks read only `ts` nodes and the checker, and a ts-morph Project loads a second copy of
 * TypeScript and wraps every file, which cost about a sixth of the run and of its memory on large
 * projects (docs/performance.md).
 */
function createUnit(config: ProjectConfig, cache: ProgramCache | undefined): ProgramUnit {
  const { options } = config;
  // TypeScript's lib files come parsed from the units and runs before (shareLibFiles), with a cache or without.
  const host = guardDepth(cache ? cache.createHost(options) : shareLibFiles(ts.createCompilerHost(options, true), options));
  // Sources too: a FIFO matched by `include` would block the run, /dev/zero linked as a .ts file exhaust memory.
  host.readFile = readSourceText;
  const oldProgram = cache?.getOldProgram(config.file, options);
  // No projectReferences: an import of a referenced project resolves to its sources, not its built .d.ts.
  const program = ts.createProgram({ rootNames: config.parsed.fileNames, options, host, ...(oldProgram ? { oldProgram } : {}) });
  cache?.setProgram(config.file, options, program);
  const own = new Set(config.parsed.fileNames.map((f) => toPosix(path.resolve(f))));
  const files = program
    .getSourceFiles()
    .filter((sf) => own.has(toPosix(path.resolve(sf.fileName))) && ANALYZED_EXTENSIONS.test(sf.fileName) && !/[\\/]node_modules[\\/]/.test(sf.fileName))
    .sort((a, b) => (a.fileName < b.fileName ? -1 : a.fileName > b.fileName ? 1 : 0));
  return { tsconfig: config.file, program, checker: program.getTypeChecker(), files };
}

/** A source file's text as the program reads it: a regular file within the size limit, else undefined. */
export function readSourceText(file: string): string | undefined {
  return readRegularOrUndefined(file, MAX_SOURCE_FILE_BYTES);
}

/** One tsconfig whose files are analyzed, parsed, with the compiler options TypeScript 6 analyzes it with. */
export interface ProjectConfig extends ParsedTsconfig {
  options: ts.CompilerOptions;
}

/**
 * Parses a tsconfig and, when it has no files of its own, the projects it references (recursively),
 * calling `use` with each that has files of its own (or no references). Located errors: an unreadable
 * or invalid tsconfig, a reference to nothing, a reference cycle.
 */
function visitProjects(tsconfig: string, warnings: Problem[], use: (config: ParsedTsconfig) => void): void {
  const visited = new Set<string>();
  /** `chain`: the tsconfigs whose references led here, to tell a cycle from a project reached twice. */
  const visit = (file: string, chain: readonly string[]): void => {
    if (visited.has(file)) return;
    visited.add(file);
    const config = parseTsconfig(file, warnings);
    const references = config.parsed.projectReferences ?? [];
    if (config.parsed.fileNames.length > 0 || references.length === 0) {
      use(config);
      return;
    }
    references.forEach((reference, index) => {
      const target = ts.resolveProjectReferencePath(reference);
      if (!fs.existsSync(target)) {
        throw new CovenantError({
          code: "tsconfig-reference-not-found",
          file,
          ...referencePosition(config.sourceFile, index),
          message: `The referenced project ${toPosix(path.relative(path.dirname(file), target))} does not exist. Fix the reference's "path".`,
        });
      }
      const resolved = path.resolve(target);
      const cycleStart = [...chain, file].indexOf(resolved);
      if (cycleStart >= 0) {
        const cycle = [...chain, file]
          .slice(cycleStart)
          .concat(resolved)
          .map((f) => toPosix(path.relative(path.dirname(tsconfig), f)) || path.basename(f));
        throw new CovenantError({
          code: "tsconfig-reference-cycle",
          file,
          ...referencePosition(config.sourceFile, index),
          message: `The project references form a cycle (${cycle.join(" -> ")}), so no project in it has files of its own to analyze. Remove the reference that closes the cycle.`,
        });
      }
      visit(resolved, [...chain, file]);
    });
  };
  visit(path.resolve(tsconfig), []);
}

/**
 * What a compiler that reads the project's files itself (the ts7 engine's native compiler) must be
 * told before it opens them: the tsconfigs are read and their references followed as loadProject does
 * (the same located errors: a tsconfig that is /dev/zero, a reference cycle), and the first file of
 * the projects that is not a regular file within the size limit (a FIFO would block that compiler,
 * /dev/zero linked as a .ts file exhaust its memory; loadProject leaves such files out), if any.
 */
export function inspectProject(tsconfig: string): { unreadable?: { file: string; why: string } } {
  let unreadable: { file: string; why: string } | undefined;
  visitProjects(tsconfig, [], (config) => {
    for (const file of config.parsed.fileNames) {
      if (unreadable) return;
      let stat: fs.Stats;
      try {
        stat = fs.statSync(file);
      } catch {
        continue; // missing: the compiler reports it as TypeScript 6 does
      }
      if (!stat.isFile()) unreadable = { file, why: "is not a regular file" };
      else if (stat.size > MAX_SOURCE_FILE_BYTES) unreadable = { file, why: `is larger than ${MAX_SOURCE_FILE_BYTES / 1024 / 1024} MB` };
    }
  });
  return unreadable ? { unreadable } : {};
}

/**
 * The tsconfigs of a project, parsed (their problems located), without building a program: the
 * tsconfig's own, or, when it has no files of its own, the projects it references (recursively).
 */
export function loadProjectConfigs(tsconfig: string): Omit<LoadedProject, "units"> & { configs: ProjectConfig[] } {
  const warnings: Problem[] = [];
  const adjustments: Record<string, string[]> = {};
  const configs: ProjectConfig[] = [];
  visitProjects(tsconfig, warnings, (config) => {
    const adapted = adaptCompilerOptions(config.parsed.options, path.dirname(config.file));
    adjustments[config.file] = adapted.adjustments;
    configs.push({ ...config, options: adapted.options });
  });
  return { tsconfig: path.resolve(tsconfig), configs, warnings, adjustments };
}

/**
 * Loads the TypeScript project of a tsconfig: its files (include/exclude honoured), or, when the
 * tsconfig has no files of its own, the projects it references (recursively). Never asks for
 * whole-program diagnostics: the checks only need the type checker.
 */
export function loadProject(options: { tsconfig: string; cache?: ProgramCache }): LoadedProject {
  const { configs, ...loaded } = loadProjectConfigs(options.tsconfig);
  const units = configs.map((config) => createUnit(config, options.cache));
  // A file shared by several referenced projects is analyzed once, in the first that owns it.
  const seen = new Set<string>();
  for (const unit of units) {
    unit.files = unit.files.filter((sf) => !seen.has(sf.fileName) && seen.add(sf.fileName));
  }
  return { ...loaded, units };
}

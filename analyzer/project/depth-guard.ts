import ts from "../../common/typescript.cjs";

/**
 * Files too deeply nested for TypeScript. Its parser, binder and checker recurse once or more per
 * level of the syntax tree, so 10,000 nested parentheses, 1,000 nested calls or 1,000 nested `if`s
 * exhaust the stack (RangeError) and, in the middle of building the program, take the whole run
 * down. Such a file is swapped for an empty one before TypeScript binds it: the rest of the project
 * is checked, and that file gets one `internal-error` finding saying why it was not.
 */

/**
 * The deepest syntax tree analyzed. Hand-written code stays far below (a few dozen levels; a
 * 100-term `a + b + ...` chain is 100); TypeScript and covenant's checks still have room above it
 * on Node's default stack (measured: 700 nested `if`s, ~1,400 levels, bind and check; 1,000 do not).
 */
export const MAX_SYNTAX_DEPTH = 1000;

const skipped = new WeakMap<ts.SourceFile, string>();

/** Why `sourceFile` stands for a file that was not analyzed, or undefined for an analyzed file. */
export function getSkipReason(sourceFile: ts.SourceFile): string | undefined {
  return skipped.get(sourceFile);
}

/** Why a file whose syntax tree is deeper than MAX_SYNTAX_DEPTH is not analyzed. */
export const TOO_DEEP_REASON = `its syntax tree is more than ${MAX_SYNTAX_DEPTH} levels deep, more than TypeScript can analyze safely`;

/**
 * The depth of the syntax tree, or `limit + 1` as soon as it is deeper than `limit` (no recursion).
 * `forEachChild`: the one of the TypeScript the tree comes from (the ts7 engine's trees are TypeScript 7's).
 */
export function measureDepth(sourceFile: ts.SourceFile, limit: number, forEachChild: typeof ts.forEachChild = ts.forEachChild): number {
  const nodes: ts.Node[] = [sourceFile];
  const depths: number[] = [0];
  let deepest = 0;
  while (nodes.length > 0) {
    const node = nodes.pop()!;
    const depth = depths.pop()! + 1;
    if (depth > deepest) {
      deepest = depth;
      if (deepest > limit) return deepest;
    }
    forEachChild(node, (child) => {
      nodes.push(child);
      depths.push(depth);
    });
  }
  return deepest;
}

const checked = new WeakMap<ts.SourceFile, ts.SourceFile>();

/**
 * Wraps `host.getSourceFile`: a file whose parse overflows the stack, or whose syntax tree is deeper
 * than MAX_SYNTAX_DEPTH, comes back as an empty source file marked with the reason.
 */
export function guardDepth(host: ts.CompilerHost): ts.CompilerHost {
  const getSourceFile = host.getSourceFile.bind(host);
  const substitute = (fileName: string, languageVersionOrOptions: ts.ScriptTarget | ts.CreateSourceFileOptions, reason: string): ts.SourceFile => {
    const empty = ts.createSourceFile(fileName, "", languageVersionOrOptions, true);
    skipped.set(empty, reason);
    return empty;
  };
  // TypeScript's own lib files are known to be shallow: not measured (lib.dom.d.ts alone is 100k nodes).
  const libFolder = host.getDefaultLibLocation?.();
  host.getSourceFile = (fileName, languageVersionOrOptions, onError, shouldCreateNewSourceFile) => {
    let sourceFile: ts.SourceFile | undefined;
    try {
      sourceFile = getSourceFile(fileName, languageVersionOrOptions, onError, shouldCreateNewSourceFile);
    } catch (error) {
      if (!(error instanceof RangeError)) throw error;
      return substitute(fileName, languageVersionOrOptions, "its nesting is too deep for TypeScript's parser (it ran out of stack)");
    }
    if (!sourceFile || (libFolder !== undefined && fileName.startsWith(libFolder))) return sourceFile;
    // A cached source file (--daemon) is measured once.
    const known = checked.get(sourceFile);
    if (known) return known;
    const depth = measureDepth(sourceFile, MAX_SYNTAX_DEPTH);
    const result = depth > MAX_SYNTAX_DEPTH ? substitute(fileName, languageVersionOrOptions, TOO_DEEP_REASON) : sourceFile;
    checked.set(sourceFile, result);
    return result;
  };
  return host;
}

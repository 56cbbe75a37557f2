// Code lines of a TypeScript file: the lines on which at least one token of the program starts or
// continues (a multi-line string or template covers every line it spans), found by walking the
// tokens of TypeScript's own parse. Blank lines and lines holding only comments do not count; a line
// with code and a trailing comment does. Used for the "per 10k lines" figures of docs/real-world.md.
import ts from "typescript";

/** @param {string} fileName @param {string} text */
export function countCodeLines(fileName, text) {
  const kind = fileName.endsWith("x") ? ts.ScriptKind.TSX : ts.ScriptKind.TS;
  const sourceFile = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, kind);
  const lines = new Set();
  const visit = (node) => {
    if (node.kind >= ts.SyntaxKind.FirstJSDocNode && node.kind <= ts.SyntaxKind.LastJSDocNode) return;
    const children = node.getChildren(sourceFile);
    if (children.length === 0) {
      if (node.kind === ts.SyntaxKind.EndOfFileToken) return;
      const start = node.getStart(sourceFile);
      const end = node.getEnd();
      if (end <= start) return;
      const first = sourceFile.getLineAndCharacterOfPosition(start).line;
      const last = sourceFile.getLineAndCharacterOfPosition(end - 1).line;
      for (let line = first; line <= last; line++) lines.add(line);
      return;
    }
    for (const child of children) visit(child);
  };
  visit(sourceFile);
  return lines.size;
}

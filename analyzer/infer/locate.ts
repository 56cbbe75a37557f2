import { type Node, ts, type Symbol as MorphSymbol, type TypeChecker } from "ts-morph";
import type { SourceLocation } from "./model.js";

/** Where a node starts: absolute file, 1-based line and column. */
export function locate(node: Node): SourceLocation {
  const sourceFile = node.getSourceFile();
  const { line, column } = sourceFile.getLineAndColumnAtPos(node.getStart());
  return { file: sourceFile.getFilePath(), line, column };
}

/** A symbol's doc comment as plain text (`/** Run id. *\/` → `Run id.`), or undefined. */
export function getDocumentation(symbol: MorphSymbol | undefined, checker: TypeChecker): string | undefined {
  if (!symbol) return undefined;
  const text = ts.displayPartsToString(symbol.compilerSymbol.getDocumentationComment(checker.compilerObject)).trim();
  return text.length > 0 ? text.replace(/\r\n?/g, "\n") : undefined;
}

/** The node a symbol is declared at (its value declaration, else its first declaration). */
export function getDeclaration(symbol: MorphSymbol): Node | undefined {
  return symbol.getValueDeclaration() ?? symbol.getDeclarations()[0];
}

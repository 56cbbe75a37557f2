import type ts from "typescript";

/** `text` cut to at most `max` characters, ending in `…` when cut. */
export function shortenText(text: string, max = 60): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** Source text of a node for a message: whitespace folded to one line, at most `max` characters. */
export function describeNode(node: ts.Node, max = 60, sourceFile?: ts.SourceFile): string {
  return shortenText(node.getText(sourceFile).replace(/\s+/g, " ").trim(), max);
}

/** A type as a message shows it: the checker's text, at most 60 characters. */
export function typeToDisplay(checker: ts.TypeChecker, type: ts.Type, at?: ts.Node): string {
  return shortenText(checker.typeToString(type, at));
}

/**
 * Names for "which connection": an expression that denotes a connection (`conn`, `this.socket`,
 * `ctx.ws`) becomes a key, so the lifecycle analysis tracks each connection on its own. Keys come
 * from symbols (not text), and `const ws = conn` makes `ws` the same key as `conn`.
 */
import { ts } from "../typescript.js";
import { skipValueWrappers } from "../shared/nodes.js";

const symbolIds = new WeakMap<ts.Symbol, number>();
let nextSymbolId = 1;

function symbolKey(symbol: ts.Symbol): string {
  let id = symbolIds.get(symbol);
  if (id === undefined) {
    id = nextSymbolId++;
    symbolIds.set(symbol, id);
  }
  return `#${id}`;
}

function getValueSymbol(checker: ts.TypeChecker, node: ts.Identifier): ts.Symbol | undefined {
  if (ts.isShorthandPropertyAssignment(node.parent) && node.parent.name === node) return checker.getShorthandAssignmentValueSymbol(node.parent);
  return checker.getSymbolAtLocation(node);
}

export class ConnectionKeys {
  /** `const ws = conn`: ws's symbol → conn's key. */
  private readonly aliases = new Map<ts.Symbol, string>();
  /** Readable text per key, for messages. */
  private readonly texts = new Map<string, string>();

  constructor(
    private readonly checker: ts.TypeChecker,
    sourceFile: ts.SourceFile,
  ) {
    const visit = (node: ts.Node): void => {
      if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.initializer && ts.getCombinedNodeFlags(node) & ts.NodeFlags.Const) {
        const key = this.getKey(node.initializer);
        const symbol = checker.getSymbolAtLocation(node.name);
        if (key && symbol) this.aliases.set(symbol, key);
      }
      ts.forEachChild(node, visit);
    };
    visit(sourceFile);
  }

  /** The key of the connection an expression denotes; undefined for anything but names and member chains. */
  getKey(expression: ts.Expression): string | undefined {
    const node = skipValueWrappers(expression);
    let key: string | undefined;
    if (ts.isIdentifier(node)) {
      const symbol = getValueSymbol(this.checker, node);
      key = symbol && (this.aliases.get(symbol) ?? symbolKey(symbol));
    } else if (node.kind === ts.SyntaxKind.ThisKeyword) {
      key = "this";
    } else if (ts.isPropertyAccessExpression(node)) {
      const base = this.getKey(node.expression);
      key = base && `${base}.${node.name.text}`;
    } else if (ts.isElementAccessExpression(node) && (ts.isStringLiteralLike(node.argumentExpression) || ts.isNumericLiteral(node.argumentExpression))) {
      const base = this.getKey(node.expression);
      key = base && `${base}.${node.argumentExpression.text}`;
    }
    if (key && !this.texts.has(key)) this.texts.set(key, node.getText().replace(/\s+/g, ""));
    return key;
  }

  /** The key of a declared name (a parameter). */
  getDeclarationKey(name: ts.Identifier): string | undefined {
    const symbol = this.checker.getSymbolAtLocation(name);
    if (!symbol) return undefined;
    const key = symbolKey(symbol);
    if (!this.texts.has(key)) this.texts.set(key, name.text);
    return key;
  }

  /** The source text the key was first seen as (`conn`, `this.socket`). */
  getText(key: string): string | undefined {
    return this.texts.get(key);
  }
}

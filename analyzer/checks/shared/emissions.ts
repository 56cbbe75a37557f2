import { ts } from "../typescript.js";
import { skipParentheses } from "./nodes.js";
import { describeNode } from "./text.js";

/**
 * Emission verbs at the start of a method name, the next character not a lower-case letter:
 * `emit`, `emitEvent`, `notifyAgentStarted`, `send`, `send_message`, `SendAsync`, `publish`, `dispatchEvent`;
 * not `sender`, `emitter`, `dispatcher`, `publishing`, `notifyee`.
 */
const EMISSION_NAME = /^(?:[eE]mit|[nN]otify|[sS]end|[pP]ublish|[dD]ispatch)(?![a-z])/;

export function isEmissionName(name: string): boolean {
  return EMISSION_NAME.test(name.replace(/^#/, ""));
}

export interface EmissionCall {
  call: ts.CallExpression;
  /** `recv.emit` / `recv?.emit` */
  callee: ts.PropertyAccessExpression;
  /** `recv` (parentheses skipped) */
  receiver: ts.Expression;
  method: string;
}

/** `recv.emitX(...)` / `recv?.emitX(...)`: a method call whose name is an emission verb. */
export function getEmissionCall(node: ts.Node): EmissionCall | undefined {
  if (!ts.isCallExpression(node)) return undefined;
  const callee = skipParentheses(node.expression);
  if (!ts.isPropertyAccessExpression(callee)) return undefined;
  const method = callee.name.text.replace(/^#/, "");
  if (!isEmissionName(method)) return undefined;
  return { call: node, callee, receiver: skipParentheses(callee.expression), method };
}

/**
 * Whether the call's value is thrown away, so nobody can notice that it did not run: an expression
 * statement (through `await`, `void`, parentheses, `!`, the right side of `&&`, a branch of `?:`,
 * a comma), or a concise arrow body. A value that is returned, assigned, passed on, or has a
 * `??` / `||` fallback is observable and is not a silent drop.
 */
export function isValueDiscarded(call: ts.CallExpression): boolean {
  let node: ts.Node = call;
  for (;;) {
    const parent = node.parent;
    if (ts.isParenthesizedExpression(parent) || ts.isAwaitExpression(parent) || ts.isNonNullExpression(parent)) {
      node = parent;
    } else if (ts.isVoidExpression(parent) || ts.isExpressionStatement(parent)) {
      return true;
    } else if (ts.isBinaryExpression(parent)) {
      const op = parent.operatorToken.kind;
      if (op === ts.SyntaxKind.CommaToken) {
        if (node === parent.left) return true;
        node = parent;
      } else if (op === ts.SyntaxKind.AmpersandAmpersandToken && node === parent.right) {
        node = parent;
      } else {
        return false;
      }
    } else if (ts.isConditionalExpression(parent) && node !== parent.condition) {
      node = parent;
    } else if (ts.isArrowFunction(parent) && parent.body === node) {
      return true;
    } else if (ts.isForStatement(parent) && (parent.incrementor === node || parent.initializer === node)) {
      return true;
    } else {
      return false;
    }
  }
}

/**
 * An emission call for a message: the callee's text, the call's own `?.` when it has one, and `()`
 * or `(…)` for no arguments or some: `this.bus.notifyDone()`, `this.opts?.notify?.(…)`.
 */
export function describeCall(emission: EmissionCall, sourceFile: ts.SourceFile): string {
  const { call, callee } = emission;
  return `${describeNode(callee, 60, sourceFile)}${call.questionDotToken ? "?." : ""}${call.arguments.length > 0 ? "(…)" : "()"}`;
}

/** `Owner.method` for the called member, when the checker can name its declaring type. */
export function getEmissionSymbol(emission: EmissionCall, checker: ts.TypeChecker): string | undefined {
  const symbol = checker.getSymbolAtLocation(emission.callee.name);
  const declaration = symbol?.declarations?.[0];
  const owner = declaration?.parent;
  if (!owner || !(ts.isClassLike(owner) || ts.isInterfaceDeclaration(owner)) || !owner.name) return undefined;
  return `${owner.name.text}.${emission.method}`;
}

/**
 * Deferred emissions: a member that emits only once its receiver exists, and that the class runs
 * again when the receiver arrives. Skipping it while the receiver is missing postpones the event;
 * it does not drop it.
 */
import { perTypeScript, ts } from "../typescript.js";
import { isNullishLiteral, skipParenthesesAndNonNull } from "../shared/nodes.js";

const ASSIGNMENTS = perTypeScript(() => new Set([ts.SyntaxKind.EqualsToken, ts.SyntaxKind.QuestionQuestionEqualsToken, ts.SyntaxKind.BarBarEqualsToken]));

/**
 * `maybeEmitCreated() { if (!this.target) return; this.target.emit("created"); }` where the same
 * class, in some function, assigns `this.target` a value and then calls `this.maybeEmitCreated()`
 * (`setTarget(t) { this.target = t; this.maybeEmitCreated(); }`): the emission waits for its
 * receiver and runs when it arrives. Only a receiver that is a field of `this`, and an emission inside
 * a named member of the class without parameters (method, getter, or arrow-function field), so that
 * running it again rebuilds the same event; the retry has to follow the assignment in the same
 * function, not in a callback of it.
 */
export function isRetriedOnArrival(receiver: ts.Expression, call: ts.CallExpression, checker: ts.TypeChecker): boolean {
  const field = skipParenthesesAndNonNull(receiver);
  if (!ts.isPropertyAccessExpression(field) || field.expression.kind !== ts.SyntaxKind.ThisKeyword) return false;
  const fieldSymbol = checker.getSymbolAtLocation(field.name);
  const member = getEnclosingMember(call);
  const memberSymbol = member?.name ? checker.getSymbolAtLocation(member.name) : undefined;
  if (!fieldSymbol || !member || !memberSymbol || takesParameters(member)) return false;
  const isThisMember = (node: ts.Expression, symbol: ts.Symbol): boolean => {
    const inner = skipParenthesesAndNonNull(node);
    return ts.isPropertyAccessExpression(inner) && inner.expression.kind === ts.SyntaxKind.ThisKeyword && checker.getSymbolAtLocation(inner.name) === symbol;
  };
  if (consumesStateBeforeReceiver(member, (node) => ts.isExpression(node) && isThisMember(node, fieldSymbol))) return false;
  let retried = false;
  const visit = (node: ts.Node): void => {
    if (retried) return;
    if (ts.isBinaryExpression(node) && ASSIGNMENTS().has(node.operatorToken.kind) && !isNullishLiteral(node.right) && isThisMember(node.left, fieldSymbol)) {
      const scope = getFunctionScope(node);
      const callsMemberAfter = (inner: ts.Node): boolean => {
        if (inner.pos >= node.end && ts.isCallExpression(inner) && isThisMember(inner.expression, memberSymbol) && getFunctionScope(inner) === scope)
          return true;
        return ts.forEachChild(inner, callsMemberAfter) ?? false;
      };
      if (scope && callsMemberAfter(scope)) {
        retried = true;
        return;
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(member.parent);
  return retried;
}

/**
 * A member with parameters (`send(message)`) emits what each caller hands it: running it again
 * later, with other arguments, does not bring back the message that was skipped. Only a member
 * without parameters rebuilds its event from the object's state (`maybeEmitCreated()`, `flush()`).
 */
function takesParameters(member: ClassMember): boolean {
  if (ts.isPropertyDeclaration(member)) {
    const initializer = member.initializer;
    return initializer !== undefined && (ts.isArrowFunction(initializer) || ts.isFunctionExpression(initializer)) && initializer.parameters.length > 0;
  }
  return member.parameters.length > 0;
}

const MUTATORS = new Set(["shift", "pop", "splice", "clear", "delete", "dequeue"]);
const UPDATES = perTypeScript(() => new Set([ts.SyntaxKind.PlusPlusToken, ts.SyntaxKind.MinusMinusToken]));

/**
 * `while ((m = this.queue.shift())) { if (!this.socket) continue; this.socket.send(m); }`: the member
 * changes the object's state (assigns a field of `this`, counts, takes items off a collection of
 * `this`) before it first looks at the receiver, so running it again later does not rebuild what
 * it skipped. `if (this.sent) return; if (!this.target) return; this.sent = true; …` changes it only
 * after.
 */
function consumesStateBeforeReceiver(member: ClassMember, mentionsReceiver: (node: ts.Node) => boolean): boolean {
  let firstMention = Infinity;
  const find = (node: ts.Node): void => {
    if (node.pos >= firstMention) return;
    if (mentionsReceiver(node)) firstMention = Math.min(firstMention, node.getStart());
    ts.forEachChild(node, find);
  };
  find(member);
  let consumes = false;
  const visit = (node: ts.Node): void => {
    if (consumes || node.getStart() >= firstMention) return;
    if (
      ts.isBinaryExpression(node) &&
      node.operatorToken.kind >= ts.SyntaxKind.FirstAssignment &&
      node.operatorToken.kind <= ts.SyntaxKind.LastAssignment &&
      isRootedAtThis(node.left)
    )
      consumes = true;
    else if ((ts.isPrefixUnaryExpression(node) || ts.isPostfixUnaryExpression(node)) && UPDATES().has(node.operator) && isRootedAtThis(node.operand))
      consumes = true;
    else if (
      ts.isCallExpression(node) &&
      ts.isPropertyAccessExpression(node.expression) &&
      MUTATORS.has(node.expression.name.text) &&
      isRootedAtThis(node.expression.expression)
    )
      consumes = true;
    else ts.forEachChild(node, visit);
  };
  ts.forEachChild(member, visit);
  return consumes;
}

/** `this.x`, `this.a.b[i]`: an expression that reaches into the object itself. */
function isRootedAtThis(node: ts.Expression): boolean {
  let inner = skipParenthesesAndNonNull(node);
  while (ts.isPropertyAccessExpression(inner) || ts.isElementAccessExpression(inner)) inner = skipParenthesesAndNonNull(inner.expression);
  return inner.kind === ts.SyntaxKind.ThisKeyword;
}

type ClassMember = (ts.MethodDeclaration | ts.AccessorDeclaration | ts.PropertyDeclaration) & { parent: ts.ClassLikeDeclaration };

/** The named class member (method, accessor, or field initialized with a function) the node runs in. */
function getEnclosingMember(node: ts.Node): ClassMember | undefined {
  for (let current = node.parent; current; current = current.parent) {
    if (ts.isClassLike(current.parent) && (ts.isMethodDeclaration(current) || ts.isAccessor(current) || ts.isPropertyDeclaration(current))) {
      return current as ClassMember;
    }
    if (ts.isClassLike(current) || ts.isSourceFile(current)) return undefined;
  }
  return undefined;
}

/** The innermost function (or class static block) a node runs in. */
function getFunctionScope(node: ts.Node): ts.Node | undefined {
  for (let current = node.parent; current; current = current.parent) {
    if (ts.isFunctionLike(current) || ts.isClassStaticBlockDeclaration(current)) return current;
    if (ts.isSourceFile(current)) return undefined;
  }
  return undefined;
}

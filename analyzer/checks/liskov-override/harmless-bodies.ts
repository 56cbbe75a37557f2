/**
 * Overrides whose body shows that a narrowing or an async signature cannot reach a caller holding
 * the parent: the narrowed parameter is only used in ways that accept the parent's type, or every
 * `await` is inside a `try` that catches.
 */
import { perTypeScript, ts } from "../typescript.js";
import type { Member } from "./override-members.js";

type FunctionBody = ts.FunctionLikeDeclaration & { body: ts.ConciseBody };

/** The override's implementation: a method with a body, or a property / accessor initialized with a function. */
export function getImplementation(member: Member): FunctionBody | undefined {
  for (const declaration of member.declarations) {
    if ((ts.isMethodDeclaration(declaration) || ts.isSetAccessorDeclaration(declaration)) && declaration.body) return declaration as FunctionBody;
    if (ts.isPropertyDeclaration(declaration) && declaration.initializer) {
      const init = declaration.initializer;
      if ((ts.isArrowFunction(init) || ts.isFunctionExpression(init)) && init.body) return init;
    }
  }
  return undefined;
}

const EQUALITY = perTypeScript(
  () =>
    new Set([
      ts.SyntaxKind.EqualsEqualsEqualsToken,
      ts.SyntaxKind.ExclamationEqualsEqualsToken,
      ts.SyntaxKind.EqualsEqualsToken,
      ts.SyntaxKind.ExclamationEqualsToken,
    ]),
);

/**
 * Whether every use of the implementation's parameter at `index` accepts `parentType`, so an argument
 * of the parent's type cannot go wrong there (at least one use; a parameter never read is still
 * reported, since an empty or throwing body says nothing about what the override will accept): compared (`===`, `switch`, `typeof`); passed
 * to a call whose parameter accepts `parentType` (`super.on(event, listener)` with the parent's
 * `string | symbol`, an API typed wider); called, when the parent's type is itself callable
 * (`Function`, `(...args: any[]) => any` narrowed to a concrete callback). Any other use (a property
 * read, a store, a return) keeps the finding.
 */
export function isNarrowingHarmless(checker: ts.TypeChecker, member: Member, index: number, parentType: ts.Type, childType: ts.Type): boolean {
  const implementation = getImplementation(member);
  const parameter = implementation?.parameters[index];
  if (!implementation || !parameter || parameter.dotDotDotToken || !ts.isIdentifier(parameter.name)) return false;
  const symbol = checker.getSymbolAtLocation(parameter.name);
  if (!symbol) return false;
  // Only what the parent admits and the override's declared type does not (the `number` of a
  // parent's `string | number` narrowed to `string`) must be accepted by each use.
  const parts = parentType.isUnion() ? parentType.types : [parentType];
  const excess = parts.filter((t) => !checker.isTypeAssignableTo(t, childType));
  // An optional parameter made required (only `undefined` in excess) changes the declared contract
  // whatever the body does with it: still reported.
  if (excess.length === 0 || excess.every((t) => t.flags & ts.TypeFlags.Undefined)) return false;
  let harmless = true;
  let uses = 0;
  const visit = (node: ts.Node): void => {
    if (!harmless) return;
    if (ts.isIdentifier(node) && node !== parameter.name && checker.getSymbolAtLocation(node) === symbol) {
      uses++;
      harmless = excess.every((t) => isHarmlessUse(checker, node, t));
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(implementation.body);
  return uses > 0 && harmless;
}

function isHarmlessUse(checker: ts.TypeChecker, use: ts.Identifier, parentType: ts.Type): boolean {
  let node: ts.Expression = use;
  while (ts.isParenthesizedExpression(node.parent)) node = node.parent;
  const parent = node.parent;
  if (ts.isBinaryExpression(parent) && EQUALITY().has(parent.operatorToken.kind)) return true;
  if (ts.isSwitchStatement(parent) || ts.isTypeOfExpression(parent)) return true;
  if (ts.isPrefixUnaryExpression(parent) && parent.operator === ts.SyntaxKind.ExclamationToken) return true;
  if ((ts.isIfStatement(parent) && parent.expression === node) || (ts.isConditionalExpression(parent) && parent.condition === node)) return true;
  if ((ts.isCallExpression(parent) || ts.isNewExpression(parent)) && parent.arguments?.includes(node)) {
    const slot = checker.getContextualType(node);
    return slot !== undefined && !(slot.flags & ts.TypeFlags.Any) && checker.isTypeAssignableTo(parentType, slot);
  }
  if (ts.isCallExpression(parent) && parent.expression === node) {
    const callable = checker.getNonNullableType(parentType);
    return callable.getCallSignatures().length > 0 || callable.getSymbol()?.getName() === "Function";
  }
  return false;
}

/**
 * `async () => { …; try { await x } catch { … } }`: every `await` (and `for await`) of the body, outside
 * nested functions, sits in the `try` block of a statement with a `catch`. The asynchronous work's
 * failures are handled inside, so a caller holding a `void` parent that does not wait loses no
 * rejection. Synchronous code after an await could still throw; the rule prefers precision there.
 */
export function awaitsOnlyInsideTryCatch(member: Member): boolean {
  const implementation = getImplementation(member);
  if (!implementation || !ts.isBlock(implementation.body)) return false;
  let awaits = 0;
  let uncaught = false;
  const visit = (node: ts.Node, caught: boolean): void => {
    if (uncaught || ts.isFunctionLike(node)) return;
    if (ts.isAwaitExpression(node) || (ts.isForOfStatement(node) && node.awaitModifier)) {
      awaits++;
      if (!caught) uncaught = true;
    }
    if (ts.isTryStatement(node) && node.catchClause) {
      visit(node.tryBlock, true);
      visit(node.catchClause, caught);
      if (node.finallyBlock) visit(node.finallyBlock, caught);
      return;
    }
    ts.forEachChild(node, (child) => visit(child, caught));
  };
  ts.forEachChild(implementation.body, (child) => visit(child, false));
  return awaits > 0 && !uncaught;
}

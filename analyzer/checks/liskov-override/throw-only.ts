/**
 * "Refused bequest" bodies: a member whose every path ends in a throw (`throw new Error("not
 * supported")`, or a call to a function returning `never`), with no `return` anywhere.
 */
import { ts } from "../typescript.js";

function unwrap(expression: ts.Expression): ts.Expression {
  let e = expression;
  while (ts.isParenthesizedExpression(e) || ts.isAsExpression(e) || ts.isSatisfiesExpression(e) || ts.isAwaitExpression(e)) e = e.expression;
  return e;
}

/** The function a member declaration runs: its body, or the body of a function-valued property initializer. */
export function getMemberBody(declaration: ts.Declaration): ts.ConciseBody | undefined {
  if (ts.isMethodDeclaration(declaration) || ts.isGetAccessorDeclaration(declaration) || ts.isSetAccessorDeclaration(declaration)) {
    return declaration.body;
  }
  if (ts.isPropertyDeclaration(declaration) && declaration.initializer) {
    const initializer = unwrap(declaration.initializer);
    if (ts.isArrowFunction(initializer) || ts.isFunctionExpression(initializer)) return initializer.body;
  }
  return undefined;
}

/** Whether a signature can return `never`: declared so, or through a type parameter a call may bind to it. */
function mayReturnNever(signature: ts.Signature): boolean {
  const returnType = signature.getReturnType();
  return (
    (returnType.flags & ts.TypeFlags.Never) !== 0 || ((signature.typeParameters?.length ?? 0) > 0 && (returnType.flags & ts.TypeFlags.TypeParameter) !== 0)
  );
}

function isNeverCall(checker: ts.TypeChecker, expression: ts.Expression): boolean {
  const call = unwrap(expression);
  if (!ts.isCallExpression(call)) return false;
  // Most member bodies end in an ordinary call: the callee's own signatures rule it out without
  // resolving the call (overload choice and argument checking cost far more).
  const callee = checker.getTypeAtLocation(call.expression);
  const parts = callee.isUnion() ? callee.types : [callee];
  if (!parts.some((part) => part.getCallSignatures().some(mayReturnNever))) return false;
  const signature = checker.getResolvedSignature(call);
  return signature !== undefined && (signature.getReturnType().flags & ts.TypeFlags.Never) !== 0;
}

function containsReturn(node: ts.Node): boolean {
  if (ts.isReturnStatement(node)) return true;
  if (ts.isFunctionLike(node) || ts.isClassLike(node)) return false;
  return ts.forEachChild(node, containsReturn) ?? false;
}

/** True when the body cannot complete normally: it ends in a throw and returns nowhere. */
export function isThrowOnlyBody(checker: ts.TypeChecker, body: ts.ConciseBody): boolean {
  if (!ts.isBlock(body)) return isNeverCall(checker, body);
  const statements = body.statements.filter((s) => !ts.isEmptyStatement(s));
  const last = statements.at(-1);
  if (!last) return false;
  if (statements.some(containsReturn)) return false;
  return ts.isThrowStatement(last) || (ts.isExpressionStatement(last) && isNeverCall(checker, last.expression));
}

export function isThrowOnlyDeclaration(checker: ts.TypeChecker, declaration: ts.Declaration): boolean {
  const body = getMemberBody(declaration);
  return body !== undefined && isThrowOnlyBody(checker, body);
}

/**
 * Members of TypeScript's standard library whose contract includes throwing: a Proxy handler's traps
 * (the engine calls them, and a trap that throws is how a handler refuses the operation, as a
 * read-only proxy's `set` or `deleteProperty` does) and an iterator's `throw` (it hands the error back
 * into the iteration by design). A throw-only implementation of one keeps the contract.
 */
const THROWING_LIB_MEMBERS: Readonly<Record<string, ((member: string) => boolean) | undefined>> = {
  ProxyHandler: () => true,
  Iterator: (member) => member === "throw",
  AsyncIterator: (member) => member === "throw",
  Generator: (member) => member === "throw",
  AsyncGenerator: (member) => member === "throw",
};

export function isThrowingLibContract(program: ts.Program, parent: ts.Symbol): boolean {
  const declarations = parent.declarations ?? [];
  return (
    declarations.length > 0 &&
    declarations.every((d) => {
      const owner = d.parent;
      if (!program.isSourceFileDefaultLibrary(d.getSourceFile()) || !ts.isInterfaceDeclaration(owner)) return false;
      return THROWING_LIB_MEMBERS[owner.name.text]?.(parent.getName()) ?? false;
    })
  );
}

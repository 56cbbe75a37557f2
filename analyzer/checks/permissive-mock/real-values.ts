/**
 * What permissive-mock does not take for a test double: values that are real (a primitive, the real
 * object re-typed or seen through the test's own type), values fed on purpose to code that is
 * expected to throw, and `as any` used only to pick an overload.
 */
import { perTypeScript, ts } from "../typescript.js";
import { skipParentheses } from "../shared/nodes.js";

const PRIMITIVE_VALUE = perTypeScript(
  () =>
    ts.TypeFlags.StringLike | ts.TypeFlags.NumberLike | ts.TypeFlags.BigIntLike | ts.TypeFlags.BooleanLike | ts.TypeFlags.EnumLike | ts.TypeFlags.ESSymbolLike,
);

/** Where mocking libraries declare their doubles' types (`Mock`, `Mocked<T>`, `DeepMockProxy<T>`, `SinonStub`). */
const MOCK_LIBRARY =
  /[\\/]node_modules[\\/](?:vitest|@vitest[\\/][^\\/]+|jest|jest-mock|@jest[\\/][^\\/]+|@types[\\/](?:jest|sinon)|sinon|ts-mockito|jest-mock-extended|vitest-mock-extended)[\\/]/;

/**
 * The value is no test double: a primitive (a literal cast to a branded id is not a mock), or a
 * production-typed value (declared outside test files and mocking libraries, not written inline)
 * that is either seen through a type the tests declare (white-box access to its internals, a reverse
 * cast to a fake's type) or has every member the target requires (the real object re-typed: an
 * instance to its interface, a record of another schema version, a loader's result to its
 * generated type). A double written inline or typed by the tests is never a real value.
 */
export function isRealValue(
  source: ts.Expression,
  sourceType: ts.Type,
  target: ts.Type,
  checker: ts.TypeChecker,
  isTestFile: (fileName: string) => boolean,
): boolean {
  if (isPrimitiveValue(sourceType)) return true;
  const inner = skipParentheses(source);
  if (
    ts.isObjectLiteralExpression(inner) ||
    ts.isArrayLiteralExpression(inner) ||
    ts.isFunctionExpression(inner) ||
    ts.isArrowFunction(inner) ||
    ts.isClassExpression(inner)
  )
    return false;
  const sourceFiles = declarationFiles(sourceType);
  if (sourceFiles.length === 0 || sourceFiles.some((f) => isTestFile(f) || MOCK_LIBRARY.test(f))) return false;
  if (declarationFiles(target).some(isTestFile)) return true;
  const required = checker.getPropertiesOfType(target).filter((p) => (p.flags & ts.SymbolFlags.Optional) === 0);
  if (required.length === 0) return false;
  const names = new Set(checker.getPropertiesOfType(sourceType).map((p) => p.escapedName));
  return required.every((p) => names.has(p.escapedName));
}

/**
 * In code expected to throw, the cast value is the deliberately invalid input when it is written
 * inline (a literal) or is a real, production-typed value; a named fake the tests declare
 * (`new FakeClient()`, a variable typed by it) is still a double there.
 */
export function isInvalidInput(source: ts.Expression, sourceType: ts.Type, isTestFile: (fileName: string) => boolean): boolean {
  const inner = skipParentheses(source);
  if (ts.isObjectLiteralExpression(inner) || ts.isArrayLiteralExpression(inner) || isPrimitiveValue(sourceType)) return true;
  const files = declarationFiles(sourceType);
  return files.length > 0 && !files.some((f) => isTestFile(f) || MOCK_LIBRARY.test(f));
}

/**
 * `{ id, typeName, title: 1 } as any as BookRecord`: an object literal naming every member the target
 * requires, where none of those is callable: a complete data record whose field types (a brand, a
 * schema version) are bent by the cast, not a double with a collaborator's methods left out.
 */
export function isCompleteDataRecord(source: ts.Expression, sourceType: ts.Type, target: ts.Type, checker: ts.TypeChecker): boolean {
  if (!ts.isObjectLiteralExpression(skipParentheses(source))) return false;
  const required = checker.getPropertiesOfType(target).filter((p) => (p.flags & ts.SymbolFlags.Optional) === 0);
  if (
    required.length === 0 ||
    required.some((p) => p.flags & ts.SymbolFlags.Method || checker.getNonNullableType(checker.getTypeOfSymbol(p)).getCallSignatures().length > 0)
  )
    return false;
  const names = new Set(checker.getPropertiesOfType(sourceType).map((p) => p.escapedName));
  return required.every((p) => names.has(p.escapedName));
}

function isPrimitiveValue(type: ts.Type): boolean {
  if (type.isUnion()) return type.types.every(isPrimitiveValue);
  return (type.flags & PRIMITIVE_VALUE()) !== 0;
}

/** The files declaring a type (its symbol's and alias's), through unions and intersections. */
function declarationFiles(type: ts.Type): string[] {
  if (type.isUnionOrIntersection()) return type.types.flatMap(declarationFiles);
  const symbols = [type.aliasSymbol, type.getSymbol()].filter((s): s is ts.Symbol => s !== undefined);
  return symbols.flatMap((s) => (s.declarations ?? []).map((d) => d.getSourceFile().fileName));
}

const FAILURE_MATCHERS = new Set(["toThrow", "toThrowError", "toThrowErrorMatchingSnapshot", "toThrowErrorMatchingInlineSnapshot", "rejects"]);
const FAILURE_ASSERTIONS = new Set(["throws", "rejects", "throwsAsync"]);

/**
 * The cast sits inside code a test expects to fail: `expect(() => …).toThrow()`,
 * `expect(promise).rejects…`, `assert.throws(() => …)`, `assert.rejects(…)`. The invalid value is
 * the point of the test, not a double.
 */
export function isExpectedToFail(node: ts.Node): boolean {
  for (let child = node, parent = node.parent; parent && !ts.isSourceFile(parent); child = parent, parent = parent.parent) {
    if (!ts.isCallExpression(parent) || !parent.arguments.includes(child as ts.Expression)) continue;
    const callee = parent.expression;
    if (ts.isPropertyAccessExpression(callee) && FAILURE_ASSERTIONS.has(callee.name.text)) return true;
    if (ts.isIdentifier(callee) && callee.text === "expect" && matcherNames(parent).some((n) => FAILURE_MATCHERS.has(n))) return true;
  }
  return false;
}

/** `expect(x).rejects.toThrow()` → ["rejects", "toThrow"]: the names chained on an `expect(...)` call. */
function matcherNames(expectCall: ts.CallExpression): string[] {
  const names: string[] = [];
  let node: ts.Node = expectCall;
  while (ts.isPropertyAccessExpression(node.parent) || (ts.isCallExpression(node.parent) && node.parent.expression === node)) {
    node = node.parent;
    if (ts.isPropertyAccessExpression(node)) names.push(node.name.text);
  }
  return names;
}

/** `new Map(headers as any)`: an argument of a call whose callee has several signatures, so `as any` may only pick one. */
export function isOverloadArgument(value: ts.Expression, checker: ts.TypeChecker): boolean {
  const call = value.parent;
  if (!(ts.isCallExpression(call) || ts.isNewExpression(call)) || !call.arguments?.includes(value)) return false;
  const calleeType = checker.getTypeAtLocation(call.expression);
  const signatures = ts.isNewExpression(call) ? calleeType.getConstructSignatures() : calleeType.getCallSignatures();
  return signatures.length > 1;
}

/**
 * Return-type facts for overrides: does a member return a Promise (anything `await` unwraps), and does a
 * parent promise a plain, non-Promise result that its callers will not await?
 */
import { perTypeScript, ts } from "../typescript.js";

const OPAQUE = perTypeScript(() => ts.TypeFlags.Any | ts.TypeFlags.Unknown | ts.TypeFlags.Never | ts.TypeFlags.TypeParameter | ts.TypeFlags.NonPrimitive);

function hasCallableThen(checker: ts.TypeChecker, type: ts.Type): boolean {
  const then = checker.getPropertyOfType(checker.getApparentType(type), "then");
  if (!then) return false;
  const thenType = checker.getNonNullableType(checker.getTypeOfSymbol(then));
  return thenType.getCallSignatures().length > 0;
}

/** Every constituent is thenable: `Promise<T>`, `PromiseLike<T>`, a custom thenable. */
export function isAlwaysThenable(checker: ts.TypeChecker, type: ts.Type): boolean {
  if (type.flags & OPAQUE()) return false;
  if (type.isUnion()) return type.types.every((t) => isAlwaysThenable(checker, t));
  return (type.flags & ts.TypeFlags.Object) !== 0 || type.isIntersection() ? hasCallableThen(checker, type) : false;
}

/** `{}` and other object types with no members at all: a Promise is one, too. */
function hasNoMembers(checker: ts.TypeChecker, type: ts.Type): boolean {
  return (
    (type.flags & ts.TypeFlags.Object) !== 0 &&
    checker.getPropertiesOfType(type).length === 0 &&
    type.getCallSignatures().length === 0 &&
    type.getConstructSignatures().length === 0 &&
    checker.getIndexInfosOfType(type).length === 0
  );
}

/**
 * A return type whose callers do not expect a Promise: no constituent is thenable, and none is open
 * enough to hold one (`any`, `unknown`, a type parameter, `object`, `{}`). `void` counts as non-Promise:
 * a caller of a `void` method does not await it.
 */
export function isNonPromiseType(checker: ts.TypeChecker, type: ts.Type): boolean {
  const parts = type.isUnion() ? type.types : [type];
  return parts.every((part) => !(part.flags & OPAQUE()) && !hasNoMembers(checker, part) && !hasCallableThen(checker, part));
}

export function isVoidType(type: ts.Type): boolean {
  const parts = type.isUnion() ? type.types : [type];
  return parts.every((part) => (part.flags & (ts.TypeFlags.Void | ts.TypeFlags.Undefined)) !== 0);
}

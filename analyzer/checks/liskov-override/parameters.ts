/**
 * Parameter comparison between a parent member's call signatures and an override's: does the override
 * accept every argument list a caller holding the parent may pass? Assignability is the checker's own
 * (`isTypeAssignableTo`), compared contravariantly, which is what `tsc` skips for methods (bivariance).
 */
import { ts } from "../typescript.js";
import { typeToDisplay } from "../shared/text.js";
import { referencesTypeParameter } from "./type-references.js";

export interface ParameterNarrowing {
  /** 0-based parameter position. */
  index: number;
  parentSignature: ts.Signature;
  childSignature: ts.Signature;
  /** What a caller holding the parent may pass at `index`. */
  parentType: ts.Type;
  /** What the override accepts there. */
  childType: ts.Type;
}

function getParameterDeclaration(symbol: ts.Symbol | undefined): ts.ParameterDeclaration | undefined {
  const declaration = symbol?.valueDeclaration;
  return declaration && ts.isParameter(declaration) ? declaration : undefined;
}

export function hasRestParameter(signature: ts.Signature): boolean {
  return getParameterDeclaration(signature.parameters.at(-1))?.dotDotDotToken !== undefined;
}

/** `this` inside a class or interface (polymorphic this): always the receiver's own type. */
function isThisType(type: ts.Type): boolean {
  return (type.flags & ts.TypeFlags.TypeParameter) !== 0 && ((type.symbol?.flags ?? 0) & (ts.SymbolFlags.Class | ts.SymbolFlags.Interface)) !== 0;
}

/** Positions where the parent's callers pass an argument that the child reads. */
function getComparedPositions(parent: ts.Signature, child: ts.Signature): number[] {
  const parentRest = hasRestParameter(parent);
  const childRest = hasRestParameter(child);
  const positions: number[] = [];
  const end = Math.max(parent.parameters.length, child.parameters.length);
  for (let i = 0; i < end; i++) {
    if (i >= parent.parameters.length && !parentRest) break;
    if (i >= child.parameters.length && !childRest) break;
    positions.push(i);
  }
  return positions;
}

interface PositionTypes {
  parentType: ts.Type;
  childType: ts.Type;
  /** The type parameters of the two signatures themselves (`<U>(u: U)`), not of their classes. */
  own: ReadonlySet<ts.Type>;
}

/** The types at one position, a signature's own type parameters replaced by their constraints. */
function getPositionTypes(checker: ts.TypeChecker, parent: ts.Signature, child: ts.Signature, index: number): PositionTypes {
  const own = new Set<ts.Type>([...(parent.typeParameters ?? []), ...(child.typeParameters ?? [])]);
  const erase = (type: ts.Type) => (own.has(type) ? (checker.getBaseConstraintOfType(type) ?? checker.getUnknownType()) : type);
  return { parentType: erase(parent.getTypeParameterAtPosition(index)), childType: erase(child.getTypeParameterAtPosition(index)), own };
}

/**
 * A failed comparison counts only between closed types: one that still mentions a signature's own
 * type parameter (`(f: (u: U) => void)`) or a polymorphic `this` cannot be compared without unifying
 * the two signatures, so it is skipped rather than guessed. Walked only after a failed comparison.
 */
function isComparable(checker: ts.TypeChecker, types: PositionTypes): boolean {
  const open = (t: ts.Type) => types.own.has(t) || isThisType(t);
  return !referencesTypeParameter(checker, types.parentType, open) && !referencesTypeParameter(checker, types.childType, open);
}

/** Whether the child accepts `source` (default: everything the parent accepts) at this position. */
function accepts(checker: ts.TypeChecker, types: PositionTypes, source: ts.Type = types.parentType): boolean {
  return checker.isTypeAssignableTo(source, types.childType) || !isComparable(checker, types);
}

/**
 * The first position at which `child` rejects an argument `parent` accepts, or undefined. With
 * `count`, only the first `count` arguments (a call of the parent with that many).
 */
export function compareSignatureParameters(
  checker: ts.TypeChecker,
  parent: ts.Signature,
  child: ts.Signature,
  count = Infinity,
): ParameterNarrowing | undefined {
  // `this` parameters are not arguments; tsc compares them strictly itself.
  for (const index of getComparedPositions(parent, child)) {
    if (index >= count) break;
    const types = getPositionTypes(checker, parent, child, index);
    const passed = count === Infinity ? [types.parentType] : getPassedTypes(types.parentType, parent, index);
    if (!passed.every((source) => accepts(checker, types, source))) {
      return { index, parentSignature: parent, childSignature: child, parentType: types.parentType, childType: types.childType };
    }
  }
  return undefined;
}

/**
 * An overload set may split a parent's union parameter across signatures (`(e: A)` and `(e: B)` for
 * a parent's `(e: A | B)`). Accept the parent signature when, position by position, every member of
 * the parent's union is accepted by some overload. Deliberately lenient: a miss is cheaper here than
 * a false report on a correct overload set.
 */
function isCoveredPositionwise(checker: ts.TypeChecker, parent: ts.Signature, children: readonly ts.Signature[], count = Infinity): boolean {
  const end = Math.min(count, Math.max(parent.parameters.length, ...children.map((c) => c.parameters.length)));
  for (let index = 0; index < end; index++) {
    const readers = children.filter((c) => getComparedPositions(parent, c).includes(index));
    if (readers.length === 0 || readers.length < children.length) continue; // some overload ignores this argument
    const parentType = getPositionTypes(checker, parent, readers[0]!, index).parentType;
    const members = count === Infinity ? (parentType.isUnion() ? parentType.types : [parentType]) : getPassedTypes(parentType, parent, index);
    const accepted = members.every((member) => readers.some((reader) => accepts(checker, getPositionTypes(checker, parent, reader, index), member)));
    if (!accepted) return false;
  }
  return true;
}

/** How many arguments a call of `signature` may pass: from its required parameters to all of them (one for a rest). */
function getArgumentCounts(signature: ts.Signature): { min: number; max: number } {
  let min = 0;
  for (const symbol of signature.parameters) {
    const declaration = getParameterDeclaration(symbol);
    if (!declaration || declaration.questionToken || declaration.initializer || declaration.dotDotDotToken) break;
    min++;
  }
  return { min, max: signature.parameters.length };
}

/**
 * What a call with a given argument count passes at `index`, member by member: an optional
 * parameter's `undefined` stands for the argument left out, which is the shorter call (compared on
 * its own), so `read(): string` beside `read(size: number): string` covers `read(size?: number)`.
 */
function getPassedTypes(parentType: ts.Type, parent: ts.Signature, index: number): readonly ts.Type[] {
  const members = parentType.isUnion() ? parentType.types : [parentType];
  if (index < getArgumentCounts(parent).min) return members;
  const defined = members.filter((t) => !(t.flags & ts.TypeFlags.Undefined));
  return defined.length > 0 ? defined : members;
}

/** Whether an overload can be chosen for a call with `count` arguments: not fewer than it requires, not more than it declares. */
function takesArgumentCount(overload: ts.Signature, count: number): boolean {
  const { min, max } = getArgumentCounts(overload);
  return count >= min && (count <= max || hasRestParameter(overload));
}

/**
 * Whether the overloads accept every call of `parent`: for each argument count the parent's callers
 * may use, an overload that takes that many arguments accepts their types (or the overloads that take
 * that many split a union of the parent's between them). An overload takes only as many arguments as
 * it declares: a zero-argument `attach()` beside `attach(element: HTMLVideoElement)` says nothing of
 * `attach(audioElement)`, which the implementation receives.
 */
function isCoveredByOverloads(checker: ts.TypeChecker, parent: ts.Signature, overloads: readonly ts.Signature[]): boolean {
  if (overloads.length === 0) return false;
  const { min, max } = getArgumentCounts(parent);
  for (let count = min; count <= max; count++) {
    const takers = overloads.filter((o) => takesArgumentCount(o, count));
    if (takers.some((t) => compareSignatureParameters(checker, parent, t, count) === undefined)) continue;
    if (takers.length > 1 && isCoveredPositionwise(checker, parent, takers, count)) continue;
    return false;
  }
  return true;
}

/**
 * Finds a parent signature that no override signature accepts. Each parent signature must be
 * covered by at least one child signature (an overload set that still covers the parent is fine).
 * `isOverload` marks the signatures of an overload set (not its implementation): an overload takes
 * only as many arguments as it declares, while an implementation or a lone signature ignores extra
 * arguments (fewer parameters than the parent is a widening).
 */
export function findParameterNarrowing(
  checker: ts.TypeChecker,
  parentSignatures: readonly ts.Signature[],
  childSignatures: readonly ts.Signature[],
  isOverload: (signature: ts.Signature) => boolean = () => false,
): ParameterNarrowing | undefined {
  if (childSignatures.length === 0) return undefined;
  const lenient = childSignatures.filter((c) => !isOverload(c));
  const overloads = childSignatures.filter(isOverload);
  for (const parent of parentSignatures) {
    const results = lenient.map((child) => compareSignatureParameters(checker, parent, child));
    if (results.some((r) => r === undefined)) continue;
    if (lenient.length > 1 && isCoveredPositionwise(checker, parent, lenient)) continue;
    if (isCoveredByOverloads(checker, parent, overloads)) continue;
    const narrowings = childSignatures.map((child) => compareSignatureParameters(checker, parent, child)).filter((r) => r !== undefined);
    const sameArity = narrowings.find((r) => r.childSignature.parameters.length === parent.parameters.length);
    const narrowing = sameArity ?? narrowings[0];
    if (narrowing) return narrowing;
  }
  return undefined;
}

/** A parameter's name as written (`e`, `{…}` for a destructuring pattern). */
export function getParameterName(signature: ts.Signature, index: number): string {
  const symbol = signature.parameters[Math.min(index, signature.parameters.length - 1)];
  const declaration = getParameterDeclaration(symbol);
  if (declaration && !ts.isIdentifier(declaration.name)) return ts.isObjectBindingPattern(declaration.name) ? "{…}" : "[…]";
  return symbol?.name ?? `arg${index}`;
}

/** `(e: Event, options?: Options)` for messages: declared types, `?` and `...` as written. */
export function formatParameters(checker: ts.TypeChecker, signature: ts.Signature, at?: ts.Node): string {
  const parts: string[] = [];
  if (signature.thisParameter) parts.push(`this: ${typeToDisplay(checker, checker.getTypeOfSymbol(signature.thisParameter), at)}`);
  signature.parameters.forEach((symbol, index) => {
    const declaration = getParameterDeclaration(symbol);
    const optional = declaration ? declaration.questionToken !== undefined || declaration.initializer !== undefined : false;
    let type = typeToDisplay(checker, checker.getTypeOfSymbol(symbol), at);
    if (optional) type = type.replace(/ \| undefined$/, "");
    const rest = declaration?.dotDotDotToken ? "..." : "";
    parts.push(`${rest}${getParameterName(signature, index)}${optional ? "?" : ""}: ${type}`);
  });
  return `(${parts.join(", ")})`;
}

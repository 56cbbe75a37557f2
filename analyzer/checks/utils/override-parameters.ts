/**
 * Parameter comparison between a parent member's call signatures and an override's: does the override
 * accept every argument list a caller holding the parent may pass? Assignability is the checker's own
 * (`isTypeAssignableTo`), compared contravariantly, which is what `tsc` skips for methods (bivariance).
 */
import ts from "typescript";
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

/**
 * The type to compare at one position. Type parameters of the signatures themselves (`<U>(u: U)`)
 * are replaced by their constraint; a position whose type still mentions one (`(f: (u: U) => void)`)
 * cannot be compared without unifying the signatures, so it is skipped (undefined): no guess, no
 * false positive.
 */
function getComparableType(checker: ts.TypeChecker, type: ts.Type, own: ReadonlySet<ts.Type>): ts.Type | undefined {
  if (isThisType(type)) return undefined;
  if (own.size === 0) return type;
  if (own.has(type)) {
    const constraint = checker.getBaseConstraintOfType(type) ?? checker.getUnknownType();
    return referencesTypeParameter(checker, constraint, (t) => own.has(t)) ? undefined : constraint;
  }
  return referencesTypeParameter(checker, type, (t) => own.has(t)) ? undefined : type;
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
}

function getPositionTypes(checker: ts.TypeChecker, parent: ts.Signature, child: ts.Signature, index: number): PositionTypes | undefined {
  const own = new Set<ts.Type>([...(parent.typeParameters ?? []), ...(child.typeParameters ?? [])]);
  const parentType = getComparableType(checker, parent.getTypeParameterAtPosition(index), own);
  const childType = getComparableType(checker, child.getTypeParameterAtPosition(index), own);
  return parentType && childType ? { parentType, childType } : undefined;
}

/** The first position at which `child` rejects an argument `parent` accepts, or undefined. */
export function compareSignatureParameters(checker: ts.TypeChecker, parent: ts.Signature, child: ts.Signature): ParameterNarrowing | undefined {
  // `this` parameters are not arguments; tsc compares them strictly itself.
  for (const index of getComparedPositions(parent, child)) {
    const types = getPositionTypes(checker, parent, child, index);
    if (types && !checker.isTypeAssignableTo(types.parentType, types.childType)) {
      return { index, parentSignature: parent, childSignature: child, ...types };
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
function isCoveredPositionwise(checker: ts.TypeChecker, parent: ts.Signature, children: readonly ts.Signature[]): boolean {
  const end = Math.max(parent.parameters.length, ...children.map((c) => c.parameters.length));
  for (let index = 0; index < end; index++) {
    const readers = children.filter((c) => getComparedPositions(parent, c).includes(index));
    if (readers.length < children.length) continue; // some overload ignores this argument
    for (const reader of readers) {
      const types = getPositionTypes(checker, parent, reader, index);
      if (!types) return true;
    }
    const parentType = parent.getTypeParameterAtPosition(index);
    const members = parentType.isUnion() ? parentType.types : [parentType];
    const accepted = members.every((member) =>
      readers.some((reader) => {
        const types = getPositionTypes(checker, parent, reader, index)!;
        return checker.isTypeAssignableTo(member, types.childType);
      }),
    );
    if (!accepted) return false;
  }
  return true;
}

/**
 * Finds a parent signature that no override signature accepts. Each parent signature must be
 * covered by at least one child signature (an overload set that still covers the parent is fine).
 */
export function findParameterNarrowing(
  checker: ts.TypeChecker,
  parentSignatures: readonly ts.Signature[],
  childSignatures: readonly ts.Signature[],
): ParameterNarrowing | undefined {
  if (childSignatures.length === 0) return undefined;
  for (const parent of parentSignatures) {
    const results = childSignatures.map((child) => compareSignatureParameters(checker, parent, child));
    if (results.some((r) => r === undefined)) continue;
    if (childSignatures.length > 1 && isCoveredPositionwise(checker, parent, childSignatures)) continue;
    const sameArity = results.find((r) => r!.childSignature.parameters.length === parent.parameters.length);
    return sameArity ?? results[0];
  }
  return undefined;
}

function truncate(text: string, max = 60): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

export function typeToDisplay(checker: ts.TypeChecker, type: ts.Type, at?: ts.Node): string {
  return truncate(checker.typeToString(type, at));
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

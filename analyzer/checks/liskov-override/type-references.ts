/**
 * Structural search through a type for type parameters: does `(f: (u: U) => void) => U[]` mention `U`?
 * Bounded in depth and breadth; when the bound is hit the answer is "yes" (callers skip what they cannot
 * compare rather than guess).
 */
import { ts } from "../typescript.js";

const MAX_DEPTH = 6;
const MAX_PROPERTIES = 32;

type Predicate = (typeParameter: ts.Type) => boolean;

function signatureReferences(checker: ts.TypeChecker, signature: ts.Signature, test: (t: ts.Type) => boolean): boolean {
  if (signature.parameters.some((p) => test(checker.getTypeOfSymbol(p)))) return true;
  if (signature.thisParameter && test(checker.getTypeOfSymbol(signature.thisParameter))) return true;
  return test(signature.getReturnType());
}

function objectReferences(checker: ts.TypeChecker, type: ts.ObjectType, test: (t: ts.Type) => boolean): boolean {
  if (type.objectFlags & ts.ObjectFlags.Reference) {
    return checker.getTypeArguments(type as ts.TypeReference).some(test);
  }
  if (!(type.objectFlags & (ts.ObjectFlags.Anonymous | ts.ObjectFlags.Mapped))) return false; // a plain named type
  if (type.objectFlags & ts.ObjectFlags.Mapped) return true; // `{ [K in keyof U]: … }`: not worth unfolding
  const signatures = [...type.getCallSignatures(), ...type.getConstructSignatures()];
  if (signatures.some((s) => signatureReferences(checker, s, test))) return true;
  const properties = type.getProperties();
  if (properties.length > MAX_PROPERTIES) return true;
  return properties.some((p) => test(checker.getTypeOfSymbol(p)));
}

function referencesDirectly(checker: ts.TypeChecker, t: ts.Type, predicate: Predicate, test: (t: ts.Type) => boolean): boolean {
  if (t.flags & ts.TypeFlags.TypeParameter) return predicate(t);
  if (t.isUnionOrIntersection()) return t.types.some(test);
  if (t.flags & ts.TypeFlags.Object) return objectReferences(checker, t as ts.ObjectType, test);
  if (t.flags & ts.TypeFlags.Index) return test((t as ts.IndexType).type);
  if (t.flags & ts.TypeFlags.IndexedAccess) return test((t as ts.IndexedAccessType).objectType) || test((t as ts.IndexedAccessType).indexType);
  // `run:${string}` mentions only its placeholders' types; Uppercase<T> only T.
  if (t.flags & ts.TypeFlags.TemplateLiteral) return (t as ts.TemplateLiteralType).types.some(test);
  if (t.flags & ts.TypeFlags.StringMapping) return test((t as ts.StringMappingType).type);
  return (t.flags & (ts.TypeFlags.Conditional | ts.TypeFlags.Substitution)) !== 0;
}

/** True when `type` mentions a type parameter for which `predicate` holds. */
export function referencesTypeParameter(checker: ts.TypeChecker, type: ts.Type, predicate: Predicate): boolean {
  const visiting = new Set<ts.Type>(); // the current path: a recursive type does not loop
  const clear = new Set<ts.Type>(); // known not to mention one
  const visit = (t: ts.Type, depth: number): boolean => {
    if (depth > MAX_DEPTH) return true;
    if (visiting.has(t) || clear.has(t)) return false;
    visiting.add(t);
    const found = referencesDirectly(checker, t, predicate, (inner) => visit(inner, depth + 1));
    visiting.delete(t);
    if (!found) clear.add(t);
    return found;
  };
  return visit(type, 0);
}

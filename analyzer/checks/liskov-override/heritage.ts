/**
 * Class and interface heritage, read through the type checker: the parents a class-like declaration
 * inherits from (`extends` and `implements`, across merged declarations) and the parent members one of
 * its members overrides, as seen from the derived declaration (generic parents instantiated).
 */
import { ts } from "../typescript.js";

export type ClassLikeDeclaration = ts.ClassDeclaration | ts.ClassExpression | ts.InterfaceDeclaration;

export interface HeritageParent {
  /** The parent type as the derived declaration sees it (`Base<Event>`, not `Base<T>`). */
  type: ts.Type;
  /** The heritage clause entry that names the parent. */
  node: ts.ExpressionWithTypeArguments;
  kind: "extends" | "implements";
}

export interface ParentMember {
  parent: HeritageParent;
  /** The member of `parent.type`: an instantiated symbol for generic parents. */
  symbol: ts.Symbol;
}

export function isClassLikeDeclaration(node: ts.Node): node is ClassLikeDeclaration {
  return ts.isClassDeclaration(node) || ts.isClassExpression(node) || ts.isInterfaceDeclaration(node);
}

/** The declarations merged with `declaration` (class + interfaces of one name), itself first. */
export function getMergedDeclarations(checker: ts.TypeChecker, declaration: ClassLikeDeclaration): ClassLikeDeclaration[] {
  const symbol = declaration.name ? checker.getSymbolAtLocation(declaration.name) : undefined;
  const others = (symbol?.declarations ?? []).filter((d): d is ClassLikeDeclaration => isClassLikeDeclaration(d) && d !== declaration);
  return [declaration, ...others];
}

function isUsableType(type: ts.Type): boolean {
  return (type.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown | ts.TypeFlags.Never)) === 0;
}

/**
 * Every parent of a class-like declaration: its own `extends` and `implements` entries and the
 * `extends` entries of interfaces merged with it (an interface merged into a class adds to the class's
 * type). An interface merged with a class does not take the class's parents: its members only
 * describe the inherited implementation. `extends` first, then `implements`; unresolvable parents
 * (errors, `any`) are left out.
 */
export function getHeritageParents(checker: ts.TypeChecker, declaration: ClassLikeDeclaration): HeritageParent[] {
  const parents: HeritageParent[] = [];
  for (const kind of ["extends", "implements"] as const) {
    const token = kind === "extends" ? ts.SyntaxKind.ExtendsKeyword : ts.SyntaxKind.ImplementsKeyword;
    const sources = getMergedDeclarations(checker, declaration).filter((d) => d === declaration || ts.isInterfaceDeclaration(d));
    for (const merged of sources) {
      for (const clause of merged.heritageClauses ?? []) {
        if (clause.token !== token) continue;
        for (const node of clause.types) {
          const type = checker.getTypeAtLocation(node);
          if (isUsableType(type)) parents.push({ type, node, kind });
        }
      }
    }
  }
  return parents;
}

/**
 * The members that the parents declare or inherit under a member's name, in parent order. Matched by
 * escaped name, so symbol-keyed members (`[Symbol.iterator]`) are found too.
 */
export function findParentMembers(checker: ts.TypeChecker, parents: readonly HeritageParent[], name: ts.__String): ParentMember[] {
  const found: ParentMember[] = [];
  for (const parent of parents) {
    const symbol = checker.getPropertiesOfType(parent.type).find((p) => p.escapedName === name);
    if (symbol) found.push({ parent, symbol });
  }
  return found;
}

/** A readable name for a class-like declaration: its own name, the variable it is assigned to, or `(anonymous class)`. */
export function getClassLikeName(declaration: ClassLikeDeclaration): string {
  if (declaration.name) return declaration.name.text;
  const parent = declaration.parent;
  if ((ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent) || ts.isPropertyDeclaration(parent)) && ts.isIdentifier(parent.name)) {
    return parent.name.text;
  }
  return "(anonymous class)";
}

/** The name of the class, interface or type alias that declares a member, for messages. */
export function getDeclaringTypeName(declaration: ts.Declaration): string | undefined {
  const owner = declaration.parent;
  if (!owner) return undefined;
  if (isClassLikeDeclaration(owner)) return getClassLikeName(owner);
  if (ts.isTypeLiteralNode(owner) && ts.isTypeAliasDeclaration(owner.parent)) return owner.parent.name.text;
  return undefined;
}

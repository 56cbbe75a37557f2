import { ts } from "../typescript.js";

export type ClassOrInterface = ts.ClassLikeDeclaration | ts.InterfaceDeclaration;

export function getTypeDeclarationName(declaration: ClassOrInterface): string {
  if (declaration.name) return declaration.name.text;
  const parent = declaration.parent;
  if (ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name)) return parent.name.text;
  return "(anonymous class)";
}

/** The class/interface symbol of a declaration (class expressions included). */
export function getTypeSymbol(checker: ts.TypeChecker, declaration: ClassOrInterface): ts.Symbol | undefined {
  if (declaration.name) return checker.getSymbolAtLocation(declaration.name);
  return checker.getTypeAtLocation(declaration).getSymbol();
}

/**
 * Direct bases: the extended class / interfaces and the implemented interfaces (of every merged
 * declaration). A mixin base (`extends Mixin(Base)`, an intersection) counts as its constituents.
 */
export function getDirectBaseTypes(checker: ts.TypeChecker, symbol: ts.Symbol, declaration: ClassOrInterface): ts.Type[] {
  const declared = checker.getDeclaredTypeOfSymbol(symbol);
  const bases: ts.Type[] = declared.isClassOrInterface() ? checker.getBaseTypes(declared).flatMap((b) => (b.isIntersection() ? b.types : [b])) : [];
  for (const merged of symbol.getDeclarations() ?? [declaration]) {
    if (!ts.isClassLike(merged)) continue;
    for (const clause of merged.heritageClauses ?? []) {
      if (clause.token !== ts.SyntaxKind.ImplementsKeyword) continue;
      for (const node of clause.types) bases.push(checker.getTypeAtLocation(node));
    }
  }
  return bases;
}

/** Resolves an import/export alias to the symbol it stands for. */
export function resolveAlias(checker: ts.TypeChecker, symbol: ts.Symbol | undefined): ts.Symbol | undefined {
  return symbol && symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
}

/** The class/interface that declares a member (a parameter property's class included). */
export function getMemberOwner(declaration: ts.Node): ClassOrInterface | undefined {
  const owner = ts.isParameter(declaration) ? declaration.parent.parent : declaration.parent;
  return owner && (ts.isClassLike(owner) || ts.isInterfaceDeclaration(owner)) ? owner : undefined;
}

/** `Owner.member` for members, the plain name for anything else. */
export function getQualifiedName(declaration: ts.NamedDeclaration): string {
  const name = declaration.name?.getText() ?? "(anonymous)";
  const owner = getMemberOwner(declaration);
  return owner ? `${getTypeDeclarationName(owner)}.${name}` : name;
}

/**
 * A symbol's declarations plus those of every member it overrides or implements, through base
 * classes, extended and implemented interfaces, at any depth. Memoized per first declaration.
 */
export function createMemberChain(checker: ts.TypeChecker): (symbol: ts.Symbol) => ReadonlySet<ts.Node> {
  const memo = new Map<ts.Node, Set<ts.Node>>();
  const chainOf = (symbol: ts.Symbol): ReadonlySet<ts.Node> => {
    const declarations = symbol.getDeclarations() ?? [];
    const first = declarations[0];
    if (!first) return new Set();
    const cached = memo.get(first);
    if (cached) return cached;
    const chain = new Set<ts.Node>(declarations);
    memo.set(first, chain); // set before recursing: cycles end here
    for (const declaration of declarations) {
      const owner = getMemberOwner(declaration);
      const ownerSymbol = owner && getTypeSymbol(checker, owner);
      if (!owner || !ownerSymbol) continue;
      for (const base of getDirectBaseTypes(checker, ownerSymbol, owner)) {
        const inherited = checker.getPropertyOfType(base, symbol.getName());
        if (inherited) for (const node of chainOf(inherited)) chain.add(node);
      }
    }
    return chain;
  };
  return chainOf;
}

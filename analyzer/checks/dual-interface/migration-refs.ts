import { ts } from "../typescript.js";
import { createMemberChain, getMemberOwner, getTypeDeclarationName, resolveAlias } from "../shared/hierarchy.js";

export interface Migration {
  from: string;
  to: string;
}

export interface MigrationUse {
  node: ts.Identifier;
  migration: Migration;
}

/** Import/export specifiers and clauses: they bring a name in, the uses after them are what count. */
function isImportOrExport(node: ts.Node): boolean {
  const parent = node.parent;
  return (
    ts.isImportSpecifier(parent) ||
    ts.isExportSpecifier(parent) ||
    ts.isImportClause(parent) ||
    ts.isNamespaceImport(parent) ||
    ts.isImportEqualsDeclaration(parent) ||
    ts.isNamespaceExport(parent)
  );
}

/** The identifier is the name a declaration introduces (not a use of it). */
function isDeclarationName(node: ts.Identifier): boolean {
  const parent = node.parent as ts.Node & { name?: ts.Node };
  return (
    parent.name === node &&
    (ts.isDeclarationStatement(parent) ||
      ts.isClassElement(parent) ||
      ts.isTypeElement(parent) ||
      ts.isVariableDeclaration(parent) ||
      ts.isParameter(parent) ||
      ts.isBindingElement(parent) ||
      ts.isClassLike(parent) ||
      ts.isFunctionExpression(parent) ||
      ts.isTypeParameterDeclaration(parent) ||
      ts.isEnumMember(parent) ||
      ts.isPropertyAssignment(parent) ||
      ts.isShorthandPropertyAssignment(parent))
  );
}

/** `from` is `Name` (any declaration named so) or `Type.member` (that member, its overrides and implementations). */
function matches(symbol: ts.Symbol, from: string, chainOf: (s: ts.Symbol) => ReadonlySet<ts.Node>): boolean {
  const dot = from.indexOf(".");
  if (dot < 0) return symbol.getName() === from;
  const [typeName, member] = [from.slice(0, dot), from.slice(dot + 1)];
  if (symbol.getName() !== member) return false;
  return [...chainOf(symbol)].some((d) => {
    const owner = getMemberOwner(d);
    return owner !== undefined && getTypeDeclarationName(owner) === typeName;
  });
}

/** Local names of `import { from as local }`: uses of `local` are uses of `from`. */
function getImportAliases(sourceFile: ts.SourceFile, name: string): string[] {
  const aliases: string[] = [];
  for (const statement of sourceFile.statements) {
    const bindings = ts.isImportDeclaration(statement) ? statement.importClause?.namedBindings : undefined;
    if (!bindings || !ts.isNamedImports(bindings)) continue;
    for (const element of bindings.elements) {
      if (element.propertyName?.text === name) aliases.push(element.name.text);
    }
  }
  return aliases;
}

/** Every reference in the file to the `from` side of a configured migration (declarations and imports excluded). */
export function findMigrationUses(checker: ts.TypeChecker, sourceFile: ts.SourceFile, migrations: readonly Migration[]): MigrationUse[] {
  const wanted = migrations
    .map((migration) => ({ migration, name: migration.from.slice(migration.from.indexOf(".") + 1) }))
    .filter((w) => w.name !== "" && sourceFile.text.includes(w.name))
    .flatMap((w) => [w, ...(w.migration.from.includes(".") ? [] : getImportAliases(sourceFile, w.name).map((name) => ({ ...w, name })))]);
  if (wanted.length === 0) return [];
  const chainOf = createMemberChain(checker);
  const uses: MigrationUse[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isIdentifier(node) && !isDeclarationName(node) && !isImportOrExport(node)) {
      const candidates = wanted.filter((w) => w.name === node.text);
      const symbol = candidates.length ? resolveAlias(checker, checker.getSymbolAtLocation(node)) : undefined;
      const hit = symbol && candidates.find((w) => matches(symbol, w.migration.from, chainOf));
      if (hit) uses.push({ node, migration: hit.migration });
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return uses;
}

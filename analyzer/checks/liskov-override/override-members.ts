/**
 * The members of a class-like declaration that can override a parent member: named, instance,
 * non-private members (methods, properties, accessors, interface signatures) and constructor parameter
 * properties, one entry per method overload group.
 */
import { ts } from "../typescript.js";
import type { ClassLikeDeclaration } from "./heritage.js";

/** One member of the visited declaration, as an override candidate. */
export interface Member {
  owner: ClassLikeDeclaration;
  /** The reported name: first declaration of a method's overload group, or the accessor's own name. */
  name: ts.PropertyName;
  symbol: ts.Symbol;
  kind: "callable" | "getter" | "setter";
  /** This member's declarations in the visited declaration (overloads + implementation). */
  declarations: ts.Declaration[];
}

export function isInstanceMember(node: ts.Node): boolean {
  const flags = ts.getCombinedModifierFlags(node as ts.Declaration);
  return (flags & (ts.ModifierFlags.Static | ts.ModifierFlags.Private)) === 0;
}

function getMemberKind(member: ts.Node): Member["kind"] | undefined {
  if (ts.isGetAccessorDeclaration(member)) return "getter";
  if (ts.isSetAccessorDeclaration(member)) return "setter";
  if (ts.isMethodDeclaration(member) || ts.isMethodSignature(member) || ts.isPropertyDeclaration(member) || ts.isPropertySignature(member)) return "callable";
  if (ts.isParameter(member)) return "callable";
  return undefined;
}

/** Named, instance, non-private members, and parameter properties; one entry per method overload group. */
export function collectMembers(checker: ts.TypeChecker, owner: ClassLikeDeclaration): Member[] {
  const nodes: ts.NamedDeclaration[] = [];
  for (const member of owner.members as ts.NodeArray<ts.ClassElement | ts.TypeElement>) {
    if (ts.isConstructorDeclaration(member)) nodes.push(...member.parameters.filter((p) => ts.isParameterPropertyDeclaration(p, member)));
    else nodes.push(member);
  }
  const members: Member[] = [];
  const groups = new Map<ts.Symbol, Member>();
  for (const node of nodes) {
    const kind = getMemberKind(node);
    const name = node.name;
    if (!kind || !name || ts.isPrivateIdentifier(name) || ts.isObjectBindingPattern(name) || ts.isArrayBindingPattern(name)) continue;
    if (!isInstanceMember(node)) continue;
    // A computed name (`[Symbol.iterator]`) has no symbol at its location; the declaration's own symbol
    // (a stable, if undocumented, field of declarations) names the member then.
    const symbol = checker.getSymbolAtLocation(name) ?? (node as { symbol?: ts.Symbol }).symbol;
    if (!symbol) continue;
    const group = kind === "callable" ? groups.get(symbol) : undefined;
    if (group) {
      group.declarations.push(node);
      continue;
    }
    const entry: Member = { owner, name: name as ts.PropertyName, symbol, kind, declarations: [node] };
    if (kind === "callable") groups.set(symbol, entry);
    members.push(entry);
  }
  return members;
}

export function getNameText(name: ts.PropertyName): string {
  return ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isNumericLiteral(name) ? name.text : name.getText();
}

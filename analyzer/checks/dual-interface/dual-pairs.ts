import { perTypeScript, ts } from "../typescript.js";
import { type ClassOrInterface, getDirectBaseTypes, getMemberOwner, getTypeDeclarationName, getTypeSymbol } from "../shared/hierarchy.js";
import { isSameRole, isSameRoleByOneSource, type MemberRole, readMemberRole, splitWords } from "./member-names.js";

/** Options of the pair search (the check's options, already parsed). */
export interface DualPairOptions {
  /** Plumbing suffixes, lower-cased. */
  suffixes: ReadonlySet<string>;
  /** Lower-cased suffix -> group index: suffixes in different groups are complementary, not parallel. */
  complementaryGroup: ReadonlyMap<string, number>;
  /** The program's compiler options (strictPropertyInitialization guarantees required fields are set). */
  compilerOptions: ts.CompilerOptions;
}

/** One instance member of a class/interface hierarchy, seen from the type under analysis. */
export interface HierarchyMember {
  /** The symbol's name (for property lookups) and the declared name as written. */
  key: string;
  name: string;
  symbol: ts.Symbol;
  nameNode: ts.Node;
  /** `Owner.member`, Owner being the class/interface that declares it. */
  qualifiedName: string;
  /** Declared by the type under analysis itself (any of its merged declarations). */
  own: boolean;
  isMethod: boolean;
  /** 0 public, 1 protected, 2 private (`private` or `#name`). */
  visibility: number;
  /** The type that carries the plumbing: a field's value type; a method's first object-typed parameter, else its (awaited) result. */
  plumbingType: ts.Type;
  role: MemberRole;
}

export interface DualPair {
  /** Where to report: the later / own member's name, or the type's name when both are inherited. */
  reportNode: ts.Node;
  /** `Type.member` for the finding's symbol. */
  symbol: string;
  member: HierarchyMember;
  sibling: HierarchyMember;
}

const NOT_PLUMBING = perTypeScript(
  () =>
    ts.TypeFlags.Any |
    ts.TypeFlags.Unknown |
    ts.TypeFlags.Never |
    ts.TypeFlags.Void |
    ts.TypeFlags.Undefined |
    ts.TypeFlags.Null |
    ts.TypeFlags.StringLike |
    ts.TypeFlags.NumberLike |
    ts.TypeFlags.BooleanLike |
    ts.TypeFlags.BigIntLike |
    ts.TypeFlags.ESSymbolLike |
    ts.TypeFlags.EnumLike |
    ts.TypeFlags.NonPrimitive,
);

/** Object-like types only: primitives, `any`, `unknown` and bare `object` say nothing about plumbing. */
function isPlumbingType(type: ts.Type): boolean {
  if (type.flags & NOT_PLUMBING()) return false;
  if (type.isUnion()) return type.types.every(isPlumbingType);
  if (type.flags & ts.TypeFlags.TypeParameter) {
    const constraint = type.getConstraint();
    return constraint !== undefined && isPlumbingType(constraint);
  }
  return true;
}

/** Name of a class/interface/alias type, undefined for anonymous ones (`__type`, `__object`); a type parameter's is its constraint's. */
function getTypeName(type: ts.Type): string | undefined {
  if (type.flags & ts.TypeFlags.TypeParameter) {
    const constraint = type.getConstraint();
    return constraint ? getTypeName(constraint) : undefined;
  }
  const name = (type.aliasSymbol ?? type.getSymbol())?.getName();
  return name === undefined || name.startsWith("__") ? undefined : name;
}

function isMemberDeclaration(node: ts.Declaration): node is ts.NamedDeclaration & { name: ts.PropertyName } {
  const named =
    ts.isMethodDeclaration(node) ||
    ts.isMethodSignature(node) ||
    ts.isPropertyDeclaration(node) ||
    ts.isPropertySignature(node) ||
    ts.isGetAccessorDeclaration(node) ||
    ts.isSetAccessorDeclaration(node) ||
    (ts.isParameter(node) && ts.isConstructorDeclaration(node.parent));
  return (
    named && node.name !== undefined && !ts.isComputedPropertyName(node.name) && !ts.isObjectBindingPattern(node.name) && !ts.isArrayBindingPattern(node.name)
  );
}

function getPlumbingType(checker: ts.TypeChecker, symbol: ts.Symbol, declaration: ts.Declaration, isMethod: boolean): ts.Type | undefined {
  const type = checker.getTypeOfSymbolAtLocation(symbol, declaration);
  if (!isMethod) {
    const value = checker.getNonNullableType(type);
    return isPlumbingType(value) ? value : undefined;
  }
  const signature = checker.getNonNullableType(type).getCallSignatures()[0];
  if (!signature) return undefined;
  for (const parameter of signature.getParameters()) {
    const parameterType = checker.getNonNullableType(checker.getTypeOfSymbolAtLocation(parameter, declaration));
    if (isPlumbingType(parameterType)) return parameterType;
  }
  const result = checker.getNonNullableType(checker.getAwaitedType(signature.getReturnType()) ?? signature.getReturnType());
  return isPlumbingType(result) ? result : undefined;
}

function getVisibility(declaration: ts.Declaration & { name: ts.PropertyName }): number {
  const flags = ts.getCombinedModifierFlags(declaration);
  if (flags & ts.ModifierFlags.Private || ts.isPrivateIdentifier(declaration.name)) return 2;
  return flags & ts.ModifierFlags.Protected ? 1 : 0;
}

const lastWords = new Map<string, string>();

/** The lower-cased last word of a name, memoized: hierarchies repeat the same member names a lot. */
function getLastWord(name: string): string {
  let word = lastWords.get(name);
  if (word === undefined) {
    word = splitWords(name).at(-1)?.toLowerCase() ?? "";
    if (lastWords.size > 50_000) lastWords.clear();
    lastWords.set(name, word);
  }
  return word;
}

function isOwn(symbol: ts.Symbol, ownDeclarations: readonly ts.Node[]): boolean {
  return (symbol.getDeclarations() ?? []).some((d) => {
    const owner = getMemberOwner(d);
    return owner !== undefined && ownDeclarations.includes(owner);
  });
}

function toHierarchyMember(
  checker: ts.TypeChecker,
  symbol: ts.Symbol,
  ownDeclarations: readonly ts.Node[],
  options: DualPairOptions,
): HierarchyMember | undefined {
  const declaration = symbol.getDeclarations()?.find(isMemberDeclaration);
  if (!declaration) return undefined;
  const name = declaration.name.getText();
  // Cheap name test first: most members of a big hierarchy do not end in a plumbing suffix.
  if (!options.suffixes.has(getLastWord(name))) return undefined;
  const isMethod = ts.isMethodDeclaration(declaration) || ts.isMethodSignature(declaration);
  const plumbingType = getPlumbingType(checker, symbol, declaration, isMethod);
  if (!plumbingType) return undefined;
  const role = readMemberRole(name, isMethod, getTypeName(plumbingType), options.suffixes);
  if (!role) return undefined;
  const owner = getMemberOwner(declaration);
  const ownerName = owner ? getTypeDeclarationName(owner) : "(anonymous)";
  const own = isOwn(symbol, ownDeclarations);
  return {
    key: symbol.getName(),
    name,
    symbol,
    visibility: getVisibility(declaration),
    nameNode: declaration.name,
    qualifiedName: `${ownerName}.${name}`,
    own,
    isMethod,
    plumbingType,
    role,
  };
}

/** Instance members of the whole hierarchy (own, inherited, from implemented interfaces) that carry a role. */
function collectRoleMembers(checker: ts.TypeChecker, symbol: ts.Symbol, bases: readonly ts.Type[], options: DualPairOptions): HierarchyMember[] {
  const own = symbol.getDeclarations() ?? [];
  const seen = new Set<string>();
  const members: HierarchyMember[] = [];
  const properties = [checker.getDeclaredTypeOfSymbol(symbol), ...bases].flatMap((t) => checker.getPropertiesOfType(t));
  for (const property of properties) {
    if (seen.has(property.getName())) continue;
    seen.add(property.getName());
    const member = toHierarchyMember(checker, property, own, options);
    if (member) members.push(member);
  }
  return members;
}

const ABSENT = perTypeScript(() => ts.TypeFlags.Undefined | ts.TypeFlags.Null | ts.TypeFlags.Void | ts.TypeFlags.Any | ts.TypeFlags.Unknown);

/** Whether the member's declared type rules out a missing value (no `undefined` / `null`, not `any` / `unknown`). */
function hasPresentType(checker: ts.TypeChecker, member: HierarchyMember, declaration: ts.Declaration): boolean {
  const type = checker.getTypeOfSymbolAtLocation(member.symbol, declaration);
  const parts = type.isUnion() ? type.types : [type];
  return !parts.some((part) => part.flags & ABSENT());
}

/** A `strict` family option: its own value, else `strict`'s. */
function isStrictOption(compilerOptions: ts.CompilerOptions, name: "strictPropertyInitialization" | "strictNullChecks"): boolean {
  return compilerOptions[name] ?? compilerOptions.strict ?? false;
}

/** Decorators of dependency-injection frameworks (`@Inject(TOKEN)`, `@inject(TYPES.X)`, `@Autowired()`, `@InjectRepository(User)`). */
function hasInjectionDecorator(declaration: ts.PropertyDeclaration): boolean {
  const names = (ts.getDecorators(declaration) ?? []).map((decorator) => {
    const callee = ts.isCallExpression(decorator.expression) ? decorator.expression.expression : decorator.expression;
    return ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : "";
  });
  if (names.some((name) => /^optional$/i.test(name))) return false;
  return names.some((name) => /inject|autowired/i.test(name));
}

/**
 * A member every instance has (not a slot some callers fill and others leave empty): a parameter
 * property its constructor requires (no `?`, no default), or a field that is not optional and is
 * always set: it has an initializer (`private client = inject(Client)`), a definite-assignment `!`
 * (property injection), an injection decorator, or TypeScript's strictPropertyInitialization makes the
 * constructor assign it. The type must rule out a missing value either way. Two such members are
 * collaborators used together, not a migration's two halves.
 */
function isAlwaysPresent(checker: ts.TypeChecker, compilerOptions: ts.CompilerOptions, member: HierarchyMember): boolean {
  const declaration = member.nameNode.parent;
  if (ts.isParameter(declaration)) {
    if (!ts.isConstructorDeclaration(declaration.parent) || declaration.questionToken || declaration.initializer || declaration.dotDotDotToken) return false;
    return hasPresentType(checker, member, declaration);
  }
  if (!ts.isPropertyDeclaration(declaration) || declaration.questionToken) return false;
  const modifiers = ts.getCombinedModifierFlags(declaration);
  if (modifiers & (ts.ModifierFlags.Ambient | ts.ModifierFlags.Abstract | ts.ModifierFlags.Static)) return false;
  const set =
    declaration.initializer !== undefined ||
    declaration.exclamationToken !== undefined ||
    hasInjectionDecorator(declaration) ||
    (isStrictOption(compilerOptions, "strictPropertyInitialization") && isStrictOption(compilerOptions, "strictNullChecks"));
  return set && hasPresentType(checker, member, declaration);
}

/** The text of a member's JSDoc comments (empty when it has none). */
function getJSDocText(declaration: ts.Node): string {
  return ts
    .getJSDocCommentsAndTags(declaration)
    .map((doc) => doc.getText())
    .join("\n");
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * Whether something beyond the names says the two are the old and the new side of one role: either
 * is `@deprecated`, either name carries a migration marker (`legacyEventBridge`), or the JSDoc of one
 * names the other (`Replaces {@link manager}`).
 */
function hasMigrationMarker(a: HierarchyMember, b: HierarchyMember): boolean {
  if (a.role.marked || b.role.marked) return true;
  const [da, db] = [a.nameNode.parent, b.nameNode.parent];
  if (ts.getJSDocDeprecatedTag(da) || ts.getJSDocDeprecatedTag(db)) return true;
  const names = (doc: string, name: string) => doc !== "" && new RegExp(`(^|[^\\w$#])${escapeRegExp(name)}(?![\\w$])`).test(doc);
  return names(getJSDocText(da), b.name) || names(getJSDocText(db), a.name);
}

/**
 * Same role: one source (both member names, or both type names) says so and none says otherwise; or,
 * when a migration marker says the two are old and new, the names alone say so (a stem read from one
 * member's type and the other's name included).
 */
function isSameRoleForPair(a: HierarchyMember, b: HierarchyMember): boolean {
  if (isSameRoleByOneSource(a.role, b.role)) return true;
  return isSameRole(a.role, b.role) && hasMigrationMarker(a, b);
}

function isParallelPair(checker: ts.TypeChecker, a: HierarchyMember, b: HierarchyMember, options: DualPairOptions): boolean {
  if (a.isMethod !== b.isMethod || a.role.suffix === b.role.suffix || !isSameRoleForPair(a, b)) return false;
  // Two collaborators every instance has (injected, initialised, required by the constructor) are not alternatives.
  if (isAlwaysPresent(checker, options.compilerOptions, a) && isAlwaysPresent(checker, options.compilerOptions, b)) return false;
  const groupA = options.complementaryGroup.get(a.role.suffix);
  const groupB = options.complementaryGroup.get(b.role.suffix);
  if (groupA !== undefined && groupB !== undefined && groupA !== groupB) return false;
  return !checker.isTypeAssignableTo(a.plumbingType, b.plumbingType) && !checker.isTypeAssignableTo(b.plumbingType, a.plumbingType);
}

function isLater(a: HierarchyMember, b: HierarchyMember): boolean {
  const fa = a.nameNode.getSourceFile().fileName;
  const fb = b.nameNode.getSourceFile().fileName;
  return fa === fb ? a.nameNode.pos > b.nameNode.pos : fa > fb;
}

/**
 * One role drifting shows up several times in a type: public setters, protected getters, private
 * backing fields. Of the pairs with the same role and suffixes, keep only the most visible ones.
 */
function keepMostVisible(pairs: DualPair[]): DualPair[] {
  const rank = (p: DualPair) => Math.max(p.member.visibility, p.sibling.visibility);
  const sameRole = (a: DualPair, b: DualPair) =>
    isSameRole({ ...a.member.role, verb: "" }, { ...b.member.role, verb: "" }) &&
    [a.member.role.suffix, a.sibling.role.suffix].sort().join() === [b.member.role.suffix, b.sibling.role.suffix].sort().join();
  return pairs.filter((p) => !pairs.some((q) => q !== p && rank(q) < rank(p) && sameRole(p, q)));
}

/**
 * Pairs of parallel APIs that come together in this class/interface: pairs already present together
 * in one direct base are that base's to report. Reported at the own member (the later one when both
 * are own), or at the type's name when both members are inherited from different bases. Several
 * pairs for one role: the most visible ones only (see keepMostVisible).
 */
export function findDualPairs(checker: ts.TypeChecker, declaration: ClassOrInterface, options: DualPairOptions): DualPair[] {
  const symbol = getTypeSymbol(checker, declaration);
  if (!symbol) return [];
  const bases = getDirectBaseTypes(checker, symbol, declaration);
  const members = collectRoleMembers(checker, symbol, bases, options);
  const pairs: DualPair[] = [];
  const typeName = getTypeDeclarationName(declaration);
  for (let i = 0; i < members.length; i++) {
    for (let j = i + 1; j < members.length; j++) {
      const [early, late] = isLater(members[j]!, members[i]!) ? [members[i]!, members[j]!] : [members[j]!, members[i]!];
      if (!isParallelPair(checker, early, late, options)) continue;
      if (bases.some((base) => checker.getPropertyOfType(base, early.key) && checker.getPropertyOfType(base, late.key))) continue;
      const [member, sibling] = late.own || !early.own ? [late, early] : [early, late];
      if (member.own) pairs.push({ reportNode: member.nameNode, symbol: member.qualifiedName, member, sibling });
      else pairs.push({ reportNode: declaration.name ?? declaration, symbol: `${typeName}.${member.name}`, member, sibling });
    }
  }
  return keepMostVisible(pairs);
}

import ts from "typescript";
import { createMemberChain, getMemberOwner, getQualifiedName, getTypeSymbol, resolveAlias } from "../shared/hierarchy.js";

/** A `@deprecated` member or function of the project whose named replacement exists. */
export interface DeprecatedApi {
  declaration: ts.NamedDeclaration & { name: ts.PropertyName };
  qualifiedName: string;
  replacement: ts.NamedDeclaration & { name: ts.PropertyName };
  replacementName: string;
  /** Remaining calls of the deprecated API (and its overrides), outside the deprecated bodies. */
  oldCalls: ts.CallExpression[];
  /** Calls of the replacement (and its overrides), outside the deprecated bodies. */
  newCalls: number;
}

export interface DeprecationIndex {
  apis: DeprecatedApi[];
  oldCallsByFile: Map<ts.SourceFile, { call: ts.CallExpression; api: DeprecatedApi }[]>;
}

type NamedDeclaration = ts.NamedDeclaration & { name: ts.PropertyName };

function isCallableMember(node: ts.Node): node is NamedDeclaration {
  const kind = ts.isMethodDeclaration(node) || ts.isMethodSignature(node) || ts.isPropertyDeclaration(node) || ts.isPropertySignature(node) ||
    ts.isFunctionDeclaration(node);
  return kind && (node as ts.NamedDeclaration).name !== undefined && !ts.isComputedPropertyName((node as NamedDeclaration).name);
}

export function isProjectSourceFile(program: ts.Program, sourceFile: ts.SourceFile): boolean {
  return !sourceFile.isDeclarationFile && !program.isSourceFileFromExternalLibrary(sourceFile) && !sourceFile.fileName.includes("/node_modules/");
}

/** The name node a call goes through: `a.b()` -> `b`, `f()` -> `f`, `a["b"]()` -> `"b"`. */
export function getCalleeNameNode(call: ts.CallExpression): ts.Identifier | ts.PrivateIdentifier | ts.StringLiteralLike | undefined {
  let callee: ts.Expression = call.expression;
  while (ts.isParenthesizedExpression(callee) || ts.isNonNullExpression(callee)) callee = callee.expression;
  if (ts.isIdentifier(callee)) return callee;
  if (ts.isPropertyAccessExpression(callee)) return callee.name;
  if (ts.isElementAccessExpression(callee) && ts.isStringLiteralLike(callee.argumentExpression)) return callee.argumentExpression;
  return undefined;
}

const LINK = /\{@link(?:code|plain)?\s+([A-Za-z_$][\w$]*(?:[.#][A-Za-z_$][\w$]*)*)/g;
const BACKTICK = /`(?:this\.)?([A-Za-z_$][\w$]*(?:[.#][A-Za-z_$][\w$]*)*)(?:\([^`]*\))?`/g;
const PHRASE =
  /\b(?:use|using|replaced\s+by|replaced\s+with|in\s+favou?r\s+of|prefer|superseded\s+by|switch\s+to|migrate\s+to|call|see)\s+(?:the\s+)?(?:this\.)?([A-Za-z_$][\w$]*(?:[.#][A-Za-z_$][\w$]*)*)/gi;

/** Candidate replacement names in a `@deprecated` text, most explicit first: `{@link X}`, `` `X` ``, "use X". */
export function readReplacementNames(text: string): string[] {
  const names = [LINK, BACKTICK, PHRASE].flatMap((re) => [...text.matchAll(re)].map((m) => m[1]!));
  return [...new Set(names)];
}

function findInScope(checker: ts.TypeChecker, location: ts.Node, name: string): ts.Symbol | undefined {
  const flags = (ts.SymbolFlags.Value | ts.SymbolFlags.Type | ts.SymbolFlags.Alias) as ts.SymbolFlags;
  const found = checker.getSymbolsInScope(location, flags).find((s) => s.getName() === name);
  // Exported declarations appear in scope as local export symbols: take the symbol they export.
  return found && resolveAlias(checker, checker.getExportSymbolOfSymbol(found));
}

/** Resolves `name` / `Type.name` / `Type#name` as seen from the deprecated declaration. */
function resolveReplacement(checker: ts.TypeChecker, deprecated: NamedDeclaration, reference: string): ts.Symbol | undefined {
  const segments = reference.split(/[.#]/);
  const owner = getMemberOwner(deprecated);
  const ownerSymbol = owner && getTypeSymbol(checker, owner);
  if (segments.length === 1) {
    const onOwner = ownerSymbol && checker.getPropertyOfType(checker.getDeclaredTypeOfSymbol(ownerSymbol), reference);
    return onOwner ?? findInScope(checker, deprecated, reference);
  }
  let symbol = findInScope(checker, deprecated, segments[0]!);
  for (const segment of segments.slice(1)) {
    if (!symbol) return undefined;
    const instance = symbol.flags & (ts.SymbolFlags.Class | ts.SymbolFlags.Interface) ? checker.getDeclaredTypeOfSymbol(symbol) : undefined;
    const onInstance = instance && checker.getPropertyOfType(instance, segment);
    symbol = onInstance ?? checker.getPropertyOfType(checker.getTypeOfSymbolAtLocation(symbol, deprecated), segment);
  }
  return symbol;
}

function toDeprecatedApi(checker: ts.TypeChecker, declaration: NamedDeclaration): DeprecatedApi | undefined {
  const tag = ts.getJSDocDeprecatedTag(declaration);
  const text = tag && ts.getTextOfJSDocComment(tag.comment);
  if (!text) return undefined;
  for (const name of readReplacementNames(text)) {
    const symbol = resolveReplacement(checker, declaration, name);
    const replacement = symbol?.getDeclarations()?.find(isCallableMember);
    if (!replacement || symbol!.getDeclarations()!.includes(declaration)) continue;
    // A field named in the text ("use the bridge") is a replacement only when it can be called.
    if (!checker.getNonNullableType(checker.getTypeOfSymbolAtLocation(symbol!, replacement)).getCallSignatures().length) continue;
    return { declaration, qualifiedName: getQualifiedName(declaration), replacement, replacementName: getQualifiedName(replacement), oldCalls: [], newCalls: 0 };
  }
  return undefined;
}

/**
 * The members and functions whose bodies a node is in, innermost first (arrow functions and function
 * expressions are looked through): methods, accessors, fields, function declarations, and the
 * properties of object literals (`{ send() {...} }`, `{ send: () => ... }`).
 */
function getEnclosingMembers(node: ts.Node): ts.NamedDeclaration[] {
  const members: ts.NamedDeclaration[] = [];
  for (let current = node.parent; current && !ts.isSourceFile(current); current = current.parent) {
    if (ts.isMethodDeclaration(current) || ts.isGetAccessorDeclaration(current) || ts.isSetAccessorDeclaration(current) ||
      ts.isPropertyDeclaration(current) || ts.isFunctionDeclaration(current) || ts.isPropertyAssignment(current)) members.push(current);
  }
  return members;
}

/**
 * What a member's body stands for: its own declarations, those of the members it overrides or
 * implements, and, for an object-literal property, the property of the literal's contextual type
 * (`const api: Api = { send() {...} }` implements `Api.send`).
 */
function getImplementedDeclarations(checker: ts.TypeChecker, chainOf: (symbol: ts.Symbol) => ReadonlySet<ts.Node>, member: ts.NamedDeclaration): ts.Node[] {
  if (!member.name) return [];
  const symbol = resolveAlias(checker, checker.getSymbolAtLocation(member.name));
  const declarations = symbol ? [...chainOf(symbol)] : [];
  if (ts.isObjectLiteralExpression(member.parent) && (ts.isIdentifier(member.name) || ts.isStringLiteralLike(member.name) || ts.isNumericLiteral(member.name))) {
    const contextual = checker.getContextualType(member.parent);
    const property = contextual && checker.getPropertyOfType(checker.getNonNullableType(contextual), member.name.text);
    if (property) declarations.push(...chainOf(property));
  }
  return declarations;
}

function collect(program: ts.Program): { candidates: NamedDeclaration[]; callsByName: Map<string, ts.CallExpression[]> } {
  const candidates: NamedDeclaration[] = [];
  const callsByName = new Map<string, ts.CallExpression[]>();
  for (const sourceFile of program.getSourceFiles()) {
    if (!isProjectSourceFile(program, sourceFile)) continue;
    // One file at a time: a file the walk fails on (too deep a syntax tree) is left out of the index,
    // so its failure stays its own (reported by its own checks) instead of failing every file.
    let found: ReturnType<typeof collectInFile>;
    try {
      found = collectInFile(sourceFile);
    } catch {
      continue;
    }
    candidates.push(...found.candidates);
    for (const [name, call] of found.calls) {
      const calls = callsByName.get(name);
      if (calls) calls.push(call);
      else callsByName.set(name, [call]);
    }
  }
  return { candidates, callsByName };
}

function collectInFile(sourceFile: ts.SourceFile): { candidates: NamedDeclaration[]; calls: [string, ts.CallExpression][] } {
  const candidates: NamedDeclaration[] = [];
  const calls: [string, ts.CallExpression][] = [];
  const renamedImports = new Map<string, string>();
  const visit = (node: ts.Node): void => {
    if (isCallableMember(node) && ts.getJSDocDeprecatedTag(node)) candidates.push(node);
    if (ts.isImportSpecifier(node) && node.propertyName) renamedImports.set(node.name.text, node.propertyName.text);
    if (ts.isCallExpression(node)) {
      const callee = getCalleeNameNode(node);
      if (callee) calls.push([callee.text, node]);
      // `import { old as legacy }`: `legacy()` is a call of `old`.
      const imported = callee && ts.isIdentifier(callee) ? renamedImports.get(callee.text) : undefined;
      if (imported !== undefined && imported !== callee!.text) calls.push([imported, node]);
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return { candidates, calls };
}

/**
 * Whether a call of an overloaded function or method resolves to one of its overloads that is not
 * `@deprecated`: often only some signatures are (rxjs's `from(input, scheduler)` next to `from(input)`,
 * `mergeMap(project, resultSelector)` next to `mergeMap(project)`), and such a call uses none of them.
 * A call that resolves through an override (another symbol's declaration) is not decided here.
 */
function callsUndeprecatedOverload(checker: ts.TypeChecker, call: ts.CallExpression, deprecated: NamedDeclaration): boolean {
  const overloads = (checker.getSymbolAtLocation(deprecated.name)?.getDeclarations() ?? []).filter((d) => ts.isFunctionLike(d));
  if (overloads.length < 2) return false;
  const resolved = checker.getResolvedSignature(call)?.getDeclaration();
  return resolved !== undefined && overloads.includes(resolved) && ts.getJSDocDeprecatedTag(resolved) === undefined;
}

/**
 * Program-wide: every deprecated API with a resolvable replacement, and every call of either side.
 * Calls inside the deprecated member's own body or its overrides' bodies (shims) are not counted.
 */
export function buildDeprecationIndex(program: ts.Program, checker: ts.TypeChecker): DeprecationIndex {
  const { candidates, callsByName } = collect(program);
  const apis = candidates.map((d) => toDeprecatedApi(checker, d)).filter((a): a is DeprecatedApi => a !== undefined);
  const oldCallsByFile: DeprecationIndex["oldCallsByFile"] = new Map();
  if (apis.length === 0) return { apis, oldCallsByFile };
  const chainOf = createMemberChain(checker);
  const symbolOf = (node: ts.Node) => resolveAlias(checker, checker.getSymbolAtLocation(node));
  const names = new Set(apis.flatMap((a) => [a.declaration.name.getText(), a.replacement.name.getText()].map((n) => n.replace(/^["']|["']$/g, ""))));
  const seen = new Set<ts.CallExpression>();
  for (const name of [...names].sort()) {
    for (const call of callsByName.get(name) ?? []) {
      if (seen.has(call)) continue;
      seen.add(call);
      const callee = symbolOf(getCalleeNameNode(call)!);
      if (!callee) continue;
      const chain = chainOf(callee);
      const oldApi = apis.find((a) => chain.has(a.declaration));
      const api = oldApi ?? apis.find((a) => chain.has(a.replacement));
      if (!api) continue;
      if (oldApi && callsUndeprecatedOverload(checker, call, oldApi.declaration)) continue;
      const enclosing = getEnclosingMembers(call).flatMap((member) => getImplementedDeclarations(checker, chainOf, member));
      // The deprecated member's own body, or an override's (a forwarding shim, `super.old()`), counts for neither side.
      if (enclosing.includes(api.declaration)) continue;
      // Deprecated code calling deprecated code is the legacy path kept for compatibility (a function
      // whose deprecated overloads share its body, a deprecated wrapper, the implementation of a
      // deprecated interface member): its own callers are the ones to move.
      if (oldApi && enclosing.some((d) => ts.getJSDocDeprecatedTag(d) !== undefined)) continue;
      if (!oldApi) {
        api.newCalls++;
        continue;
      }
      api.oldCalls.push(call);
      const inFile = oldCallsByFile.get(call.getSourceFile());
      if (inFile) inFile.push({ call, api });
      else oldCallsByFile.set(call.getSourceFile(), [{ call, api }]);
    }
  }
  return { apis, oldCallsByFile };
}

import { ts } from "../typescript.js";
import { createMemberChain, getMemberOwner, getQualifiedName, getTypeSymbol, resolveAlias } from "../shared/hierarchy.js";
import { splitWords } from "./member-names.js";

/** A `@deprecated` member or function of the project whose named replacement exists. */
export interface DeprecatedApi {
  declaration: ts.NamedDeclaration & { name: ts.PropertyName };
  qualifiedName: string;
  /** The replacements the text names, in the order it names them (one, mostly). */
  replacements: Replacement[];
  /** The text offers a choice (`use a() or b()`) rather than naming a combination (`a() and b()`). */
  choice: boolean;
  /** Remaining calls of the deprecated API (and its overrides), outside the deprecated bodies (back-compat tests included: see getLiveCalls). */
  oldCalls: ts.CallExpression[];
  /** Calls (reads, for a getter) of a replacement (and its overrides), outside the deprecated bodies. */
  newCalls: number;
}

/** One replacement of a deprecated API: a callable member or function, or a getter (read, not called). */
export interface Replacement {
  declaration: ts.NamedDeclaration & { name: ts.PropertyName };
  name: string;
  getter: boolean;
}

export interface DeprecationIndex {
  apis: DeprecatedApi[];
  oldCallsByFile: Map<ts.SourceFile, { call: ts.CallExpression; api: DeprecatedApi }[]>;
}

type NamedDeclaration = ts.NamedDeclaration & { name: ts.PropertyName };

/** A `const f = () => ...` / `const f = function () {...}`: a function as much as a function declaration is. */
function isFunctionVariable(node: ts.Node): node is ts.VariableDeclaration & { name: ts.Identifier } {
  if (!ts.isVariableDeclaration(node) || !ts.isIdentifier(node.name) || !node.initializer) return false;
  let initializer: ts.Expression = node.initializer;
  while (ts.isParenthesizedExpression(initializer) || ts.isAsExpression(initializer) || ts.isSatisfiesExpression(initializer))
    initializer = initializer.expression;
  return ts.isArrowFunction(initializer) || ts.isFunctionExpression(initializer);
}

/** What can be deprecated and called: methods, function-valued properties, functions and function-valued consts. */
function isCallableMember(node: ts.Node): node is NamedDeclaration {
  const kind =
    ts.isMethodDeclaration(node) ||
    ts.isMethodSignature(node) ||
    ts.isPropertyDeclaration(node) ||
    ts.isPropertySignature(node) ||
    ts.isFunctionDeclaration(node) ||
    isFunctionVariable(node);
  return kind && (node as ts.NamedDeclaration).name !== undefined && !ts.isComputedPropertyName((node as NamedDeclaration).name);
}

/** A getter, or a `readonly` property (what an interface declares for a class's getter): read, not called. */
function isGetter(node: ts.Node): node is NamedDeclaration {
  if (ts.isGetAccessorDeclaration(node)) return !ts.isComputedPropertyName(node.name);
  const readonly = (ts.isPropertyDeclaration(node) || ts.isPropertySignature(node)) && (ts.getCombinedModifierFlags(node) & ts.ModifierFlags.Readonly) !== 0;
  return readonly && !ts.isComputedPropertyName((node as NamedDeclaration).name);
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

/** The replacement a name in the text stands for: a callable member or function, or a getter. */
function toReplacement(checker: ts.TypeChecker, deprecated: NamedDeclaration, reference: string): Replacement | undefined {
  const symbol = resolveReplacement(checker, deprecated, reference);
  const declarations = symbol?.getDeclarations() ?? [];
  if (declarations.length === 0 || declarations.includes(deprecated)) return undefined;
  const getter = declarations.find(isGetter);
  if (getter) return { declaration: getter, name: getQualifiedName(getter), getter: true };
  const callable = declarations.find(isCallableMember);
  // A field named in the text ("use the bridge") is a replacement only when it can be called.
  if (!callable || !checker.getNonNullableType(checker.getTypeOfSymbolAtLocation(symbol!, callable)).getCallSignatures().length) return undefined;
  return { declaration: callable, name: getQualifiedName(callable), getter: false };
}

/**
 * Whether the text offers the replacements as alternatives: "or" / "either" between them, or no
 * "and" / "together" (a list of names is a choice unless the text says they go together).
 */
function offersChoice(text: string, names: readonly string[]): boolean {
  const positions = names.map((n) => text.indexOf(n)).filter((i) => i >= 0);
  const between = text.slice(Math.min(...positions), Math.max(...positions));
  if (/\b(?:or|either)\b/i.test(between)) return true;
  return !/\b(?:and|together|then|plus)\b/i.test(between);
}

function toDeprecatedApi(checker: ts.TypeChecker, declaration: NamedDeclaration): DeprecatedApi | undefined {
  const tag = ts.getJSDocDeprecatedTag(declaration);
  const text = tag && ts.getTextOfJSDocComment(tag.comment);
  if (!text) return undefined;
  const replacements: Replacement[] = [];
  const named: string[] = [];
  for (const name of readReplacementNames(text)) {
    const replacement = toReplacement(checker, declaration, name);
    if (!replacement || replacements.some((r) => r.declaration === replacement.declaration)) continue;
    replacements.push(replacement);
    named.push(name);
  }
  if (replacements.length === 0) return undefined;
  // The order the text names them in, not the order of the patterns that found them.
  const order = replacements
    .map((r, i) => ({ r, at: text.indexOf(named[i]!) }))
    .sort((a, b) => a.at - b.at)
    .map((x) => x.r);
  return { declaration, qualifiedName: getQualifiedName(declaration), replacements: order, choice: offersChoice(text, named), oldCalls: [], newCalls: 0 };
}

/** Names of test blocks (`describe`, `it`, `test`, … and their `.only` / `.skip` / `.each(...)` forms). */
const TEST_BLOCK = /^(?:describe|context|suite|it|test|specify|fdescribe|fit|xdescribe|xit)$/;
const BACK_COMPAT = /deprecat|legacy|back(?:wards?)?[\s-]*compat/i;

function getTestBlockTitle(call: ts.CallExpression): string | undefined {
  let callee: ts.Expression = call.expression;
  // `it.each(table)("title", ...)`: the title is the outer call's.
  if (ts.isCallExpression(callee)) callee = callee.expression;
  while (ts.isPropertyAccessExpression(callee)) callee = callee.expression;
  if (!ts.isIdentifier(callee) || !TEST_BLOCK.test(callee.text)) return undefined;
  const title = call.arguments[0];
  return title && ts.isStringLiteralLike(title) ? title.text : title && ts.isTemplateExpression(title) ? title.getText() : undefined;
}

/**
 * Whether a test title names the member `name`. A name of several words (`getDevice`,
 * `request_info`) counts wherever it stands as a word; a one-word name only as code (`device()`,
 * `.device`, `#device`, `` `device` ``) or as the whole title (`describe("device", ...)`), since
 * "sends on close" is no test of `on` or `send`.
 */
function namesMember(title: string, name: string): boolean {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  if (splitWords(name).length > 1) return new RegExp(`(^|[^\\w$])${escaped}(?![\\w$])`, "i").test(title);
  if (title.trim().toLowerCase() === name.toLowerCase()) return true;
  return new RegExp(`[.#\`]${escaped}(?![\\w$])|(^|[^\\w$])${escaped}\\s*\\(`, "i").test(title);
}

/**
 * A call in a test file whose test is about the deprecated member itself (a back-compat test): a
 * describe/it/test title around it names the member or says deprecated / legacy / backward
 * compatible, or the file's name is the member's (`device.test.ts`, `get-device.spec.ts`). Such a
 * call is meant to stay until the member goes; it is not a caller left behind.
 */
export function isBackCompatTest(call: ts.CallExpression, api: DeprecatedApi, isTestFile: (fileName: string) => boolean): boolean {
  const sourceFile = call.getSourceFile();
  if (!isTestFile(sourceFile.fileName)) return false;
  const name = api.declaration.name.getText().replace(/^["']|["']$/g, "");
  for (let node: ts.Node = call.parent; !ts.isSourceFile(node); node = node.parent) {
    const title = ts.isCallExpression(node) ? getTestBlockTitle(node) : undefined;
    if (title !== undefined && (namesMember(title, name) || BACK_COMPAT.test(title))) return true;
  }
  // The member's words, in a row, among the words of the file's name (before its first dot).
  const fileWords = splitWords(sourceFile.fileName.split("/").at(-1)!.split(".")[0]!).map((w) => w.toLowerCase());
  const nameWords = splitWords(name).map((w) => w.toLowerCase());
  if (nameWords.length === 0) return false;
  for (let i = 0; i + nameWords.length <= fileWords.length; i++) {
    if (nameWords.every((word, j) => fileWords[i + j] === word)) return true;
  }
  return false;
}

/**
 * The members and functions whose bodies a node is in, innermost first (arrow functions and function
 * expressions are looked through): methods, accessors, fields, function declarations, function-valued
 * consts, and the properties of object literals (`{ send() {...} }`, `{ send: () => ... }`).
 */
function getEnclosingMembers(node: ts.Node): ts.NamedDeclaration[] {
  const members: ts.NamedDeclaration[] = [];
  for (let current = node.parent; current && !ts.isSourceFile(current); current = current.parent) {
    if (
      ts.isMethodDeclaration(current) ||
      ts.isGetAccessorDeclaration(current) ||
      ts.isSetAccessorDeclaration(current) ||
      ts.isPropertyDeclaration(current) ||
      ts.isFunctionDeclaration(current) ||
      ts.isPropertyAssignment(current) ||
      isFunctionVariable(current)
    )
      members.push(current);
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
  if (
    ts.isObjectLiteralExpression(member.parent) &&
    (ts.isIdentifier(member.name) || ts.isStringLiteralLike(member.name) || ts.isNumericLiteral(member.name))
  ) {
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

/** Reads (`x.name`, not called) of the given property names in the project's files: the uses of getter replacements. */
function collectReads(program: ts.Program, names: ReadonlySet<string>): ts.PropertyAccessExpression[] {
  const reads: ts.PropertyAccessExpression[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isPropertyAccessExpression(node) && names.has(node.name.text) && !(ts.isCallExpression(node.parent) && node.parent.expression === node))
      reads.push(node);
    ts.forEachChild(node, visit);
  };
  for (const sourceFile of program.getSourceFiles()) {
    if (!isProjectSourceFile(program, sourceFile)) continue;
    try {
      visit(sourceFile);
    } catch {
      // Too deep a syntax tree: its reads are not counted (progress only).
    }
  }
  return reads;
}

const unquote = (name: string) => name.replace(/^["']|["']$/g, "");

/**
 * Program-wide: every deprecated API with a resolvable replacement, and every call of either side
 * (reads, for a getter replacement). Calls inside the deprecated member's own body or its overrides'
 * bodies (shims), are not counted. Back-compat tests depend on the config's `tests` globs, not on the
 * program, so they are left in here and taken out by getLiveCalls.
 */
export function buildDeprecationIndex(program: ts.Program, checker: ts.TypeChecker): DeprecationIndex {
  const { candidates, callsByName } = collect(program);
  const apis = candidates.map((d) => toDeprecatedApi(checker, d)).filter((a): a is DeprecatedApi => a !== undefined);
  const oldCallsByFile: DeprecationIndex["oldCallsByFile"] = new Map();
  if (apis.length === 0) return { apis, oldCallsByFile };
  const chainOf = createMemberChain(checker);
  const symbolOf = (node: ts.Node) => resolveAlias(checker, checker.getSymbolAtLocation(node));
  const enclosingOf = (node: ts.Node) => getEnclosingMembers(node).flatMap((member) => getImplementedDeclarations(checker, chainOf, member));
  const replacedBy = (chain: ReadonlySet<ts.Node>) => apis.filter((a) => a.replacements.some((r) => chain.has(r.declaration)));
  const names = new Set(
    apis.flatMap((a) => [a.declaration, ...a.replacements.filter((r) => !r.getter).map((r) => r.declaration)].map((d) => unquote(d.name.getText()))),
  );
  const seen = new Set<ts.CallExpression>();
  for (const name of [...names].sort()) {
    for (const call of callsByName.get(name) ?? []) {
      if (seen.has(call)) continue;
      seen.add(call);
      const callee = symbolOf(getCalleeNameNode(call)!);
      if (!callee) continue;
      const chain = chainOf(callee);
      const oldApi = apis.find((a) => chain.has(a.declaration));
      if (!oldApi) {
        // A call of a replacement: one moved call site for each API it replaces (the shims excluded).
        for (const api of replacedBy(chain)) if (!enclosingOf(call).includes(api.declaration)) api.newCalls++;
        continue;
      }
      if (callsUndeprecatedOverload(checker, call, oldApi.declaration)) continue;
      const enclosing = enclosingOf(call);
      // The deprecated member's own body, or an override's (a forwarding shim, `super.old()`), counts for neither side.
      if (enclosing.includes(oldApi.declaration)) continue;
      // Deprecated code calling deprecated code is the legacy path kept for compatibility (a function
      // whose deprecated overloads share its body, a deprecated wrapper, the implementation of a
      // deprecated interface member): its own callers are the ones to move.
      if (enclosing.some((d) => ts.getJSDocDeprecatedTag(d) !== undefined)) continue;
      oldApi.oldCalls.push(call);
      const inFile = oldCallsByFile.get(call.getSourceFile());
      if (inFile) inFile.push({ call, api: oldApi });
      else oldCallsByFile.set(call.getSourceFile(), [{ call, api: oldApi }]);
    }
  }
  // Each file's calls in source order (they were found name by name).
  for (const calls of oldCallsByFile.values()) calls.sort((a, b) => a.call.getStart() - b.call.getStart());
  const getterNames = new Set(apis.flatMap((a) => a.replacements.filter((r) => r.getter).map((r) => unquote(r.declaration.name.getText()))));
  if (getterNames.size > 0) {
    for (const read of collectReads(program, getterNames)) {
      const symbol = symbolOf(read.name);
      if (!symbol) continue;
      for (const api of replacedBy(chainOf(symbol))) if (!enclosingOf(read).includes(api.declaration)) api.newCalls++;
    }
  }
  return { apis, oldCallsByFile };
}

const liveCalls = new WeakMap<DeprecatedApi, WeakMap<(fileName: string) => boolean, ReadonlySet<ts.CallExpression>>>();

/**
 * The remaining calls of a deprecated API that are callers left behind: all but those in back-compat
 * tests, as the `tests` globs of this run say (memoized per API and per `isTestFile`, since the index
 * outlives a run's settings when a program is reused).
 */
export function getLiveCalls(api: DeprecatedApi, isTestFile: (fileName: string) => boolean): ReadonlySet<ts.CallExpression> {
  let byTests = liveCalls.get(api);
  if (!byTests) liveCalls.set(api, (byTests = new WeakMap()));
  let live = byTests.get(isTestFile);
  if (!live) byTests.set(isTestFile, (live = new Set(api.oldCalls.filter((call) => !isBackCompatTest(call, api, isTestFile)))));
  return live;
}

/**
 * The native TypeScript 7 engine's one door to TypeScript 7: every call into `typescript-7/sync` and
 * `typescript-7/ast` (npm `typescript@7.1`) is in this module (dependency-cruiser
 * `typescript-7-behind-one-module`), so the next move of its entry points is a one-file change.
 *
 * The checks run unchanged: they read `ts` (analyzer/checks/typescript.ts) and get `context.checker`
 * and `context.program`. Here `ts` is a TypeScript-6-shaped namespace built from TypeScript 7 (its
 * enums, its `is*` predicates under TypeScript 6's names, and the helpers 7 lacks from ./syntax.ts),
 * and the checker and program are facades over the API's checker and program implementing the part of
 * `ts.TypeChecker` / `ts.Program` the checks call, with Type/Symbol/Signature wrappers offering the
 * TypeScript 6 members the checks read. Nodes are the API's own (`typescript/ast` nodes have TypeScript
 * 6's property names, `parent`, `getText()`, `getStart()`, `getSourceFile()`).
 *
 * Every wrapper is memoized per the API's type, symbol and signature id (stable within a snapshot), so
 * identity comparisons in the checks hold and a repeated question costs no round trip. Batch forms
 * (`prefetchTypesAt`, `prefetchSymbolsAt`) ask for many nodes in one request; the per-node calls that
 * follow hit the memo. What TypeScript 7 lacks and how it is emulated: docs/architecture.md.
 */
import { ChildProcess } from "node:child_process";
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import type TS from "typescript";
import * as ast from "typescript-7/ast";
import {
  API,
  type Checker as Checker7,
  IndexKind,
  ModuleKind,
  ObjectFlags,
  type Program as Program7,
  type Project as Project7,
  type Signature as Signature7,
  SignatureKind,
  type Snapshot as Snapshot7,
  type Symbol as Symbol7,
  SymbolFlags,
  type Type as Type7,
  TypeFlags,
  TypeFormatFlags,
} from "typescript-7/sync";
import { createSyntaxHelpers } from "./syntax.js";

/** Why the engine cannot run here (no native compiler for the platform, its process died, a tsconfig it rejects). */
export class Ts7Unavailable extends Error {
  constructor(
    message: string,
    /** Where: a tsconfig and the position of the option TypeScript 7 rejects, when known. */
    readonly location?: { file: string; line: number; column: number },
  ) {
    super(message);
  }
}

/** The version of the TypeScript 7 package covenant depends on. */
export function getTs7Version(): string {
  const require = createRequire(import.meta.url);
  return (require("typescript-7/package.json") as { version: string }).version;
}

/**
 * The native compiler's executable: `COVENANT_TS7_EXE` when set (a build for a platform npm has none
 * for), else the `@typescript/typescript-<platform>-<arch>` package TypeScript 7 installs as an optional
 * dependency. Checked before spawning: the API reports a missing executable as an unhandled `error` event.
 */
export function findTs7Executable(): string {
  const override = process.env.COVENANT_TS7_EXE;
  let exe: string;
  if (override) exe = path.resolve(override);
  else {
    const packageName = `@typescript/typescript-${process.platform}-${process.arch}`;
    try {
      const fromTypeScript7 = createRequire(createRequire(import.meta.url).resolve("typescript-7/package.json"));
      exe = path.join(path.dirname(fromTypeScript7.resolve(`${packageName}/package.json`)), "lib", process.platform === "win32" ? "tsc.exe" : "tsc");
    } catch {
      throw new Ts7Unavailable(`TypeScript 7's native compiler is not installed for ${process.platform}-${process.arch} (no ${packageName})`);
    }
  }
  try {
    fs.accessSync(exe, fs.constants.X_OK);
  } catch {
    throw new Ts7Unavailable(`TypeScript 7's native compiler ${exe} is missing or not executable`);
  }
  return exe;
}

let namespace: typeof TS | undefined;

/**
 * `ts` for checks on TypeScript 7 trees: TypeScript 7's enums (its numbers) and predicates, under
 * TypeScript 6's names. Built once.
 */
export function getTs7Namespace(): typeof TS {
  if (namespace) return namespace;
  const a = ast as unknown as Record<string, unknown> & Parameters<typeof createSyntaxHelpers>[0];
  const helpers = createSyntaxHelpers(a);
  namespace = {
    ...a,
    TypeFlags,
    ObjectFlags,
    SymbolFlags,
    TypeFormatFlags,
    ModuleKind,
    SignatureKind,
    IndexKind,
    // TypeScript 6's names of predicates TypeScript 7 names differently.
    isParameter: ast.isParameterDeclaration,
    isPropertySignature: ast.isPropertySignatureDeclaration,
    isMethodSignature: ast.isMethodSignatureDeclaration,
    isTypeAssertionExpression: ast.isTypeAssertion,
    ...helpers,
  } as unknown as typeof TS;
  return namespace;
}

// ---------------------------------------------------------------------------------------------
// Facade: TypeScript 6's Type / Symbol / Signature over TypeScript 7's.

type Raw7 = Type7 & Record<string, unknown>;

/** The wrappers of one project of one snapshot: one object per API id. */
class Registry {
  readonly types = new Map<number, TypeW>();
  readonly symbols = new Map<number, SymbolW>();
  readonly signatures = new Map<number, SignatureW>();
  constructor(readonly project: Project7) {}

  type(raw: Type7): TypeW;
  type(raw: Type7 | undefined): TypeW | undefined;
  type(raw: Type7 | undefined): TypeW | undefined {
    if (!raw) return undefined;
    let w = this.types.get(raw.id);
    if (!w) this.types.set(raw.id, (w = new TypeW(raw as Raw7, this)));
    return w;
  }
  symbol(raw: Symbol7): SymbolW;
  symbol(raw: Symbol7 | undefined): SymbolW | undefined;
  symbol(raw: Symbol7 | undefined): SymbolW | undefined {
    if (!raw) return undefined;
    let w = this.symbols.get(raw.id);
    if (!w) this.symbols.set(raw.id, (w = new SymbolW(raw, this)));
    return w;
  }
  signature(raw: Signature7): SignatureW;
  signature(raw: Signature7 | undefined): SignatureW | undefined;
  signature(raw: Signature7 | undefined): SignatureW | undefined {
    if (!raw) return undefined;
    let w = this.signatures.get(raw.id);
    if (!w) this.signatures.set(raw.id, (w = new SignatureW(raw, this)));
    return w;
  }
  /** A declaration handle's node (fetches the declaring file's AST once). */
  node<T>(handle: { resolve(project?: Project7): T | undefined } | undefined): T | undefined {
    return handle?.resolve(this.project);
  }
}

/** Memoizes a getter's value on the instance (the API's answers do not change within a snapshot). */
function once<T>(self: object, key: string, compute: () => T): T {
  const cache = self as Record<string, unknown>;
  const slot = `_${key}`;
  if (!(slot in cache)) cache[slot] = compute();
  return cache[slot] as T;
}

class TypeW {
  readonly flags: number;
  readonly id: number;
  constructor(
    readonly raw: Raw7,
    private readonly r: Registry,
  ) {
    this.flags = raw.flags;
    this.id = raw.id;
  }
  get objectFlags(): number {
    return (this.raw.objectFlags as number | undefined) ?? 0;
  }
  get value(): unknown {
    return this.raw.value;
  }
  get texts(): readonly string[] | undefined {
    return this.raw.texts as readonly string[] | undefined;
  }
  get intrinsicName(): string | undefined {
    return this.raw.intrinsicName as string | undefined;
  }
  get isThisType(): boolean | undefined {
    return this.raw.isThisType as boolean | undefined;
  }
  get symbol(): SymbolW | undefined {
    return once(this, "symbol", () => (this.raw.symbol ? this.r.symbol(this.raw.getSymbol()) : undefined));
  }
  get aliasSymbol(): SymbolW | undefined {
    return once(this, "aliasSymbol", () => (this.raw.aliasSymbol ? this.r.symbol(this.raw.getAliasSymbol()) : undefined));
  }
  get aliasTypeArguments(): readonly TypeW[] | undefined {
    return once(this, "aliasTypeArguments", () => (this.raw.aliasSymbol ? this.raw.getAliasTypeArguments().map((t) => this.r.type(t)) : undefined));
  }
  /** Union, intersection and template literal members. */
  get types(): readonly TypeW[] {
    return once(this, "types", () => ((this.raw as unknown as { getTypes(): readonly Type7[] | undefined }).getTypes() ?? []).map((t) => this.r.type(t)));
  }
  /** A type reference's generic target; an index type's and a string mapping's type (TypeScript 6's `.type`). */
  get target(): TypeW | undefined {
    return once(this, "target", () => (this.raw.target ? this.r.type((this.raw as unknown as { getTarget(): Type7 }).getTarget()) : undefined));
  }
  get type(): TypeW | undefined {
    return this.target;
  }
  get objectType(): TypeW | undefined {
    return once(this, "objectType", () => this.r.type((this.raw as unknown as { getObjectType(): Type7 }).getObjectType()));
  }
  get indexType(): TypeW | undefined {
    return once(this, "indexType", () => this.r.type((this.raw as unknown as { getIndexType(): Type7 }).getIndexType()));
  }
  get checkType(): TypeW | undefined {
    return once(this, "checkType", () => this.r.type((this.raw as unknown as { getCheckType(): Type7 }).getCheckType()));
  }
  get extendsType(): TypeW | undefined {
    return once(this, "extendsType", () => this.r.type((this.raw as unknown as { getExtendsType(): Type7 }).getExtendsType()));
  }
  getFlags(): number {
    return this.flags;
  }
  getSymbol(): SymbolW | undefined {
    return this.symbol;
  }
  getProperties(): SymbolW[] {
    return once(this, "properties", () => this.raw.getProperties().map((s) => this.r.symbol(s)));
  }
  getProperty(name: string): SymbolW | undefined {
    return this.r.symbol(this.raw.getProperty(name));
  }
  getApparentProperties(): SymbolW[] {
    return once(this, "apparentProperties", () => this.raw.getApparentProperties().map((s) => this.r.symbol(s)));
  }
  getCallSignatures(): SignatureW[] {
    return once(this, "callSignatures", () => this.raw.getCallSignatures().map((s) => this.r.signature(s)));
  }
  getConstructSignatures(): SignatureW[] {
    return once(this, "constructSignatures", () => this.raw.getConstructSignatures().map((s) => this.r.signature(s)));
  }
  getStringIndexType(): TypeW | undefined {
    return this.r.type(this.raw.getStringIndexType());
  }
  getNumberIndexType(): TypeW | undefined {
    return this.r.type(this.raw.getNumberIndexType());
  }
  getBaseTypes(): TypeW[] | undefined {
    return this.raw.getBaseTypes()?.map((t) => this.r.type(t));
  }
  getNonNullableType(): TypeW {
    return this.r.type(this.raw.getNonNullableType());
  }
  getConstraint(): TypeW | undefined {
    return this.r.type((this.raw as unknown as { getConstraint(): Type7 | undefined }).getConstraint());
  }
  getDefault(): TypeW | undefined {
    return this.r.type((this.raw as unknown as { getDefault(): Type7 | undefined }).getDefault());
  }
  isUnion(): boolean {
    return (this.flags & TypeFlags.Union) !== 0;
  }
  isIntersection(): boolean {
    return (this.flags & TypeFlags.Intersection) !== 0;
  }
  isUnionOrIntersection(): boolean {
    return (this.flags & TypeFlags.UnionOrIntersection) !== 0;
  }
  isLiteral(): boolean {
    return (this.flags & (TypeFlags.StringLiteral | TypeFlags.NumberLiteral | TypeFlags.BigIntLiteral)) !== 0;
  }
  isStringLiteral(): boolean {
    return (this.flags & TypeFlags.StringLiteral) !== 0;
  }
  isNumberLiteral(): boolean {
    return (this.flags & TypeFlags.NumberLiteral) !== 0;
  }
  isTypeParameter(): boolean {
    return (this.flags & TypeFlags.TypeParameter) !== 0;
  }
  isClassOrInterface(): boolean {
    return (this.objectFlags & ObjectFlags.ClassOrInterface) !== 0;
  }
  isClass(): boolean {
    return (this.objectFlags & ObjectFlags.Class) !== 0;
  }
  isIndexType(): boolean {
    return (this.flags & TypeFlags.Index) !== 0;
  }
}

class SymbolW {
  readonly name: string;
  readonly escapedName: string;
  readonly flags: number;
  readonly id: number;
  constructor(
    readonly raw: Symbol7,
    private readonly r: Registry,
  ) {
    this.name = raw.name;
    this.escapedName = raw.escapedName;
    this.flags = raw.flags;
    this.id = raw.id;
  }
  /** The declarations' nodes, TypeScript 6's `undefined` for none. Reading one fetches its file's AST. */
  get declarations(): TS.Declaration[] | undefined {
    return once(this, "declarations", () => {
      const nodes = this.raw.declarations.map((d) => this.r.node(d)).filter((d) => d !== undefined) as unknown as TS.Declaration[];
      return nodes.length ? nodes : undefined;
    });
  }
  get valueDeclaration(): TS.Declaration | undefined {
    return once(this, "valueDeclaration", () => this.r.node(this.raw.valueDeclaration) as unknown as TS.Declaration | undefined);
  }
  get parent(): SymbolW | undefined {
    return once(this, "parent", () => this.r.symbol(this.raw.getParent()));
  }
  getName(): string {
    return this.name;
  }
  getEscapedName(): string {
    return this.escapedName;
  }
  getFlags(): number {
    return this.flags;
  }
  getDeclarations(): TS.Declaration[] | undefined {
    return this.declarations;
  }
}

class SignatureW {
  constructor(
    readonly raw: Signature7,
    private readonly r: Registry,
  ) {}
  get declaration(): TS.SignatureDeclaration | undefined {
    return once(this, "declaration", () => this.r.node(this.raw.declaration) as unknown as TS.SignatureDeclaration | undefined);
  }
  get parameters(): SymbolW[] {
    return once(this, "parameters", () => this.raw.getParameters().map((s) => this.r.symbol(s)));
  }
  get thisParameter(): SymbolW | undefined {
    return once(this, "thisParameter", () => (this.raw.thisParameter ? this.r.symbol(this.raw.getThisParameter()) : undefined));
  }
  get typeParameters(): TypeW[] | undefined {
    return once(this, "typeParameters", () => {
      const list = this.raw.typeParameters?.length ? this.raw.getTypeParameters().map((t) => this.r.type(t)) : [];
      return list.length ? list : undefined;
    });
  }
  getDeclaration(): TS.SignatureDeclaration | undefined {
    return this.declaration;
  }
  getParameters(): SymbolW[] {
    return this.parameters;
  }
  getTypeParameters(): TypeW[] | undefined {
    return this.typeParameters;
  }
  getReturnType(): TypeW {
    return once(this, "returnType", () => this.r.type(this.raw.getReturnType()));
  }
  getTypeParameterAtPosition(position: number): TypeW {
    return this.r.type(this.raw.getTypeParameterAtPosition(position));
  }
}

type AnyNode = TS.Node;
const unwrapType = (t: TS.Type) => (t as unknown as TypeW).raw;
const unwrapSymbol = (s: TS.Symbol) => (s as unknown as SymbolW).raw;
const unwrapSignature = (s: TS.Signature) => (s as unknown as SignatureW).raw;
/** A node of TypeScript 7 typed as TypeScript 6's, back to the API (which takes its own node types). */
const asNode = (n: AnyNode): never => n as never;

/** The memo of a per-node question (types and symbols at locations), filled one node or a batch at a time. */
class NodeMemo<V> {
  private readonly map = new Map<AnyNode, V>();
  constructor(private readonly batch: (nodes: AnyNode[]) => V[]) {}
  get(node: AnyNode): V {
    if (this.map.has(node)) return this.map.get(node)!;
    const [value] = this.batch([node]);
    this.map.set(node, value!);
    return value!;
  }
  prefetch(nodes: readonly AnyNode[]): void {
    const missing = [...new Set(nodes)].filter((n) => !this.map.has(n));
    if (missing.length === 0) return;
    const values = this.batch(missing);
    missing.forEach((n, i) => this.map.set(n, values[i]!));
  }
}

/**
 * The part of `ts.TypeChecker` the checks call, over TypeScript 7's checker. Types, symbols and
 * signatures are the wrappers above; the per-node questions are memoized per node and have batch forms.
 */
class CheckerFacade {
  private readonly typesAt: NodeMemo<TypeW>;
  private readonly symbolsAt: NodeMemo<SymbolW | undefined>;
  private readonly memo = new Map<string, unknown>();
  constructor(
    private readonly c: Checker7,
    private readonly r: Registry,
  ) {
    this.typesAt = new NodeMemo((nodes) => c.getTypeAtLocation(nodes.map(asNode)).map((t) => r.type(t)));
    this.symbolsAt = new NodeMemo((nodes) => c.getSymbolAtLocation(nodes.map(asNode)).map((s) => r.symbol(s)));
  }
  /** One answer per (question, ids): TypeScript 7's ids are stable within a snapshot. */
  private cached<T>(key: string, compute: () => T): T {
    if (this.memo.has(key)) return this.memo.get(key) as T;
    const value = compute();
    this.memo.set(key, value);
    return value;
  }
  /** Batch form: the types of all these nodes in one request (the per-node calls that follow hit the memo). */
  prefetchTypesAt(nodes: readonly AnyNode[]): void {
    this.typesAt.prefetch(nodes);
  }
  /** Batch form: the symbols at all these nodes in one request. */
  prefetchSymbolsAt(nodes: readonly AnyNode[]): void {
    this.symbolsAt.prefetch(nodes);
  }
  getTypeAtLocation(node: AnyNode): TypeW {
    return this.typesAt.get(node);
  }
  getSymbolAtLocation(node: AnyNode): SymbolW | undefined {
    return this.symbolsAt.get(node);
  }
  getTypeOfSymbol(symbol: TS.Symbol): TypeW {
    const s = symbol as unknown as SymbolW;
    return this.cached(`tos:${s.id}`, () => this.r.type(this.c.getTypeOfSymbol(s.raw)));
  }
  getTypeOfSymbolAtLocation(symbol: TS.Symbol, node: AnyNode): TypeW {
    return this.r.type(this.c.getTypeOfSymbolAtLocation(unwrapSymbol(symbol), asNode(node)));
  }
  getDeclaredTypeOfSymbol(symbol: TS.Symbol): TypeW {
    const s = symbol as unknown as SymbolW;
    return this.cached(`dtos:${s.id}`, () => this.r.type(this.c.getDeclaredTypeOfSymbol(s.raw)));
  }
  typeToString(type: TS.Type, enclosing?: AnyNode, flags?: number): string {
    const t = type as unknown as TypeW;
    return this.cached(`tts:${t.id}:${enclosing ? `${enclosing.getSourceFile().fileName}:${enclosing.pos}` : ""}:${flags ?? ""}`, () =>
      this.c.typeToString(t.raw, enclosing ? asNode(enclosing) : undefined, flags as never),
    );
  }
  getNonNullableType(type: TS.Type): TypeW {
    const t = type as unknown as TypeW;
    if (!(t.flags & (TypeFlags.Undefined | TypeFlags.Null | TypeFlags.Union | TypeFlags.TypeParameter | TypeFlags.Intersection | TypeFlags.Unknown))) return t;
    return this.cached(`nn:${t.id}`, () => this.r.type(this.c.getNonNullableType(t.raw)));
  }
  getPropertiesOfType(type: TS.Type): SymbolW[] {
    const t = type as unknown as TypeW;
    return this.cached(`props:${t.id}`, () => this.c.getPropertiesOfType(t.raw).map((s) => this.r.symbol(s)));
  }
  getPropertyOfType(type: TS.Type, name: string): SymbolW | undefined {
    const t = type as unknown as TypeW;
    return this.cached(`prop:${t.id}:${name}`, () => this.r.symbol(this.c.getPropertyOfType(t.raw, name)));
  }
  isTypeAssignableTo(source: TS.Type, target: TS.Type): boolean {
    const s = source as unknown as TypeW;
    const t = target as unknown as TypeW;
    return this.cached(`assign:${s.id}:${t.id}`, () => this.c.isTypeAssignableTo(s.raw, t.raw));
  }
  isTupleType(type: TS.Type): boolean {
    const t = type as unknown as TypeW;
    if (!(t.objectFlags & ObjectFlags.Reference)) return false;
    return this.cached(`tuple:${t.id}`, () => this.c.isTupleType(t.raw));
  }
  isArrayType(type: TS.Type): boolean {
    const t = type as unknown as TypeW;
    if (!(t.objectFlags & ObjectFlags.Reference)) return false;
    return this.cached(`array:${t.id}`, () => this.c.isArrayType(t.raw));
  }
  getTypeArguments(type: TS.TypeReference): TypeW[] {
    const t = type as unknown as TypeW;
    return this.cached(`targs:${t.id}`, () => this.c.getTypeArguments(t.raw as never).map((a) => this.r.type(a)));
  }
  getResolvedSignature(node: AnyNode): SignatureW | undefined {
    return this.cached(`rsig:${node.getSourceFile().fileName}:${node.pos}:${node.kind}`, () => this.r.signature(this.c.getResolvedSignature(asNode(node))));
  }
  getContextualType(node: TS.Expression): TypeW | undefined {
    return this.r.type(this.c.getContextualType(asNode(node)));
  }
  getBaseConstraintOfType(type: TS.Type): TypeW | undefined {
    const t = type as unknown as TypeW;
    return this.cached(`bc:${t.id}`, () => this.r.type(this.c.getBaseConstraintOfType(t.raw)));
  }
  getTypeFromTypeNode(node: TS.TypeNode): TypeW {
    return this.r.type(this.c.getTypeFromTypeNode(asNode(node)));
  }
  getShorthandAssignmentValueSymbol(node: AnyNode | undefined): SymbolW | undefined {
    return node ? this.r.symbol(this.c.getShorthandAssignmentValueSymbol(asNode(node))) : undefined;
  }
  getIndexInfosOfType(type: TS.Type): { keyType: TypeW; type: TypeW; isReadonly: boolean; declaration: AnyNode | undefined }[] {
    const t = type as unknown as TypeW;
    return this.cached(`ii:${t.id}`, () =>
      this.c.getIndexInfosOfType(t.raw).map((info) => ({
        keyType: this.r.type(info.keyType),
        type: this.r.type(info.valueType),
        isReadonly: info.isReadonly,
        get declaration() {
          return undefined;
        },
      })),
    );
  }
  getReturnTypeOfSignature(signature: TS.Signature): TypeW {
    return (signature as unknown as SignatureW).getReturnType();
  }
  getAliasedSymbol(symbol: TS.Symbol): SymbolW {
    const s = symbol as unknown as SymbolW;
    return this.cached(`alias:${s.id}`, () => this.r.symbol(this.c.getAliasedSymbol(s.raw)));
  }
  getExportSymbolOfSymbol(symbol: TS.Symbol): SymbolW {
    const s = symbol as unknown as SymbolW;
    return this.cached(`export:${s.id}`, () => this.r.symbol(this.c.getExportSymbolOfSymbol(s.raw)));
  }
  getSignatureFromDeclaration(node: TS.SignatureDeclaration): SignatureW | undefined {
    return this.r.signature(this.c.getSignatureFromDeclaration(asNode(node)));
  }
  getSignaturesOfType(type: TS.Type, kind: TS.SignatureKind): SignatureW[] {
    return this.c.getSignaturesOfType(unwrapType(type), kind as never).map((s) => this.r.signature(s));
  }
  getAwaitedType(type: TS.Type): TypeW | undefined {
    const t = type as unknown as TypeW;
    return this.cached(`await:${t.id}`, () => this.r.type(this.c.getAwaitedType(t.raw)));
  }
  getApparentType(type: TS.Type): TypeW {
    const t = type as unknown as TypeW;
    return this.cached(`apparent:${t.id}`, () => this.r.type(this.c.getApparentType(t.raw)));
  }
  getBaseTypes(type: TS.InterfaceType): TypeW[] {
    const t = type as unknown as TypeW;
    return this.cached(`bases:${t.id}`, () => this.c.getBaseTypes(t.raw as never).map((b) => this.r.type(b)));
  }
  getSymbolsInScope(location: AnyNode, meaning: number): SymbolW[] {
    return this.c.getSymbolsInScope(asNode(location), meaning as never).map((s) => this.r.symbol(s));
  }
  getUnknownType(): TypeW {
    return this.cached("unknown", () => this.r.type(this.c.getUnknownType()));
  }
  getAnyType(): TypeW {
    return this.cached("any", () => this.r.type(this.c.getAnyType()));
  }
  getTypeOfPropertyOfType(type: TS.Type, name: string): TypeW | undefined {
    return this.r.type(this.c.getTypeOfPropertyOfType(unwrapType(type), name));
  }
  getParameterType(signature: TS.Signature, index: number): TypeW {
    return this.r.type(this.c.getParameterType(unwrapSignature(signature), index));
  }
}

const DECLARATION_FILE = /\.d\.([cm]?ts|[^.]+\.ts)$/;

/**
 * The part of `ts.Program` the checks call. `getSourceFiles()` lists the program's files that are not
 * declaration files (their ASTs are fetched once, on first use): the one check that walks every file
 * (dual-interface's deprecation index) skips declaration files, and fetching lib.dom.d.ts's AST alone
 * costs 160 ms. `getSourceFile(name)` gives any file, declaration files too.
 */
class ProgramFacade {
  private files: AnyNode[] | undefined;
  constructor(
    private readonly p: Program7,
    private readonly checker: CheckerFacade,
  ) {}
  getTypeChecker(): CheckerFacade {
    return this.checker;
  }
  getCompilerOptions(): TS.CompilerOptions {
    return this.p.getCompilerOptions() as unknown as TS.CompilerOptions;
  }
  getSourceFile(fileName: string): TS.SourceFile | undefined {
    return withFileMetadata(this.p, this.p.getSourceFile(fileName)) as unknown as TS.SourceFile | undefined;
  }
  getSourceFileNames(): readonly string[] {
    return this.p.getSourceFileNames();
  }
  getSourceFiles(): readonly TS.SourceFile[] {
    this.files ??= this.p
      .getSourceFileNames()
      .filter((name) => !DECLARATION_FILE.test(name))
      .map((name) => withFileMetadata(this.p, this.p.getSourceFile(name)) as unknown as AnyNode);
    return this.files as TS.SourceFile[];
  }
  isSourceFileDefaultLibrary(file: TS.SourceFile): boolean {
    return this.p.isSourceFileDefaultLibrary(file as unknown as ast.SourceFile);
  }
  isSourceFileFromExternalLibrary(file: TS.SourceFile): boolean {
    return this.p.isSourceFileFromExternalLibrary(file as unknown as ast.SourceFile);
  }
}

// ---------------------------------------------------------------------------------------------
// Sessions: one API process, one snapshot per run (the daemon keeps the process and updates it).

export interface Ts7Unit {
  tsconfig: string;
  program: TS.Program;
  checker: TS.TypeChecker;
  /** The tsconfig's own TypeScript files (not node_modules, not declaration files), sorted. */
  files: TS.SourceFile[];
  /** Batch form: the types of and symbols at these nodes in one request each. */
  prefetch(nodes: { types?: readonly TS.Node[]; symbols?: readonly TS.Node[] }): void;
}

const ANALYZED_EXTENSIONS = /\.(ts|tsx|mts|cts)$/;

/** A diagnostic of the API (the subset read here). */
interface Diagnostic7 {
  fileName?: string;
  startPosition?: { line: number; character: number };
  code: number;
  category: number;
  text: string;
}

/**
 * Whether an error thrown through the API (and caught by a check's internal-error handling) means the
 * compiler process is gone or its pipe broken, not a failure of the check: the run cannot go on.
 */
export function isTs7ProcessFailure(message: string): boolean {
  return /\bEPIPE\b|Unexpected EOF while reading from child process|SyncRpcChannel is closed|TypeScript 7's compiler process/.test(message);
}

/** `d|f:mtime:size` of a path, undefined when it is gone. */
function readStamp(file: string): string | undefined {
  try {
    const stat = fs.statSync(file);
    return `${stat.isDirectory() ? "d" : "f"}:${stat.mtimeMs}:${stat.size}`;
  } catch {
    return undefined;
  }
}

/** The API's errors (EPIPE, "exited with code", a malformed answer) as a Ts7Unavailable naming what failed. */
function describeFailure(error: unknown, doing: string): Ts7Unavailable {
  if (error instanceof Ts7Unavailable) return error;
  const reason = error instanceof Error ? error.message : String(error);
  return new Ts7Unavailable(`TypeScript 7's compiler process failed while ${doing} (${reason.split("\n")[0] ?? reason})`);
}

export class Ts7Session {
  private api: API | undefined;
  private snapshot: Snapshot7 | undefined;
  /** `mtime:size` of every file and folder the last snapshot read (not TypeScript 7's own libs), to tell the next what changed. */
  private stamps = new Map<string, string>();

  /** Starts the native compiler's API process (throws Ts7Unavailable when it cannot run). */
  constructor(cwd: string) {
    const exe = findTs7Executable();
    try {
      this.api = new API({ cwd, tsserverPath: exe });
    } catch (error) {
      throw describeFailure(error, "starting");
    }
  }

  /**
   * Opens a tsconfig's projects in a fresh snapshot (files read again: changes since the last open are
   * seen): the tsconfig's own, or, when it has no files of its own, the projects it references
   * (recursively), as loadProject does for TypeScript 6. Throws Ts7Unavailable, located at the
   * option, when TypeScript 7 rejects a tsconfig.
   */
  open(tsconfig: string): Ts7Unit[] {
    const api = this.api;
    if (!api) throw new Ts7Unavailable("TypeScript 7's compiler process is closed");
    try {
      this.snapshot?.dispose();
      this.snapshot = undefined;
      const fileNotifications = this.changesSinceLastOpen();
      let snapshot = api.createSnapshot({ openProjects: [tsconfig], ...(fileNotifications ? { fileNotifications } : {}) } as never) as Snapshot7;
      this.snapshot = snapshot;
      const root = snapshot.getConfiguredProject(tsconfig);
      if (!root) throw new Ts7Unavailable(`TypeScript 7 opened no project for ${tsconfig}`);
      rejectConfig(root.program);
      let projects = [root];
      if (root.parsedCommandLine.fileNames.length === 0 && (root.parsedCommandLine.projectReferences?.length ?? 0) > 0) {
        const configs = collectReferences(snapshot, root);
        snapshot.dispose();
        snapshot = api.createSnapshot({ openProjects: configs } as never);
        this.snapshot = snapshot;
        projects = configs.map((config) => snapshot.getConfiguredProject(config)).filter((p) => p !== undefined);
        for (const project of projects) rejectConfig(project.program);
      }
      this.recordStamps(projects);
      const seen = new Set<string>();
      return projects.map((project) => {
        const unit = createUnit(project);
        // A file shared by several referenced projects is analyzed once, in the first that owns it.
        unit.files = unit.files.filter((sf) => !seen.has(sf.fileName) && seen.add(sf.fileName));
        return unit;
      });
    } catch (error) {
      const failure = describeFailure(error, `opening ${tsconfig}`);
      // A process that failed (not a tsconfig it rejects) is not used again.
      if (!failure.location) this.close();
      throw failure;
    }
  }

  /** Whether the compiler process is gone (closed, or failed): a long-lived caller starts another. */
  get closed(): boolean {
    return this.api === undefined;
  }

  /**
   * What changed on disk since the last snapshot, for the next (the compiler process caches what it
   * read): files whose mtime or size changed or that are gone; any change of a folder's entries (a
   * file added or removed) invalidates everything. Undefined on the first open.
   */
  private changesSinceLastOpen(): { changed?: string[]; deleted?: string[]; invalidateAll?: boolean } | undefined {
    if (this.stamps.size === 0) return undefined;
    const changed: string[] = [];
    const deleted: string[] = [];
    for (const [file, stamp] of this.stamps) {
      const now = readStamp(file);
      if (now === stamp) continue;
      if (stamp.startsWith("d") || (now ?? "").startsWith("d")) return { invalidateAll: true };
      (now === undefined ? deleted : changed).push(file);
    }
    return changed.length || deleted.length ? { changed, deleted } : {};
  }

  private recordStamps(projects: readonly Project7[]): void {
    const stamps = new Map<string, string>();
    const libs = path.dirname(findTs7Executable());
    const add = (file: string) => {
      if (stamps.has(file)) return;
      const stamp = readStamp(file);
      if (stamp !== undefined) stamps.set(file, stamp);
    };
    for (const project of projects) {
      if (project.configFileName) add(project.configFileName);
      for (const file of project.program.getSourceFileNames()) {
        if (file.startsWith(`${libs}/`)) continue;
        add(file);
        add(path.dirname(file));
      }
    }
    this.stamps = stamps;
  }

  /**
   * Opens many tsconfigs (each with files of its own) in one snapshot: the projects share the
   * compiler's parsed lib files and the snapshot is one request (the tests' many small projects).
   */
  openEach(tsconfigs: readonly string[]): Map<string, Ts7Unit> {
    const api = this.api;
    if (!api) throw new Ts7Unavailable("TypeScript 7's compiler process is closed");
    try {
      this.snapshot?.dispose();
      const snapshot = api.createSnapshot({ openProjects: [...tsconfigs] } as never) as Snapshot7;
      this.snapshot = snapshot;
      return new Map(
        tsconfigs.map((tsconfig) => {
          const project = snapshot.getConfiguredProject(tsconfig);
          if (!project) throw new Ts7Unavailable(`TypeScript 7 opened no project for ${tsconfig}`);
          rejectConfig(project.program);
          return [tsconfig, createUnit(project)];
        }),
      );
    } catch (error) {
      throw describeFailure(error, `opening ${tsconfigs.length} projects`);
    }
  }

  /**
   * Ends the compiler process (idempotent); the snapshot's objects are unusable after. The API kills
   * the process without waiting for it: `waitForTs7Exit` waits until it is gone.
   */
  close(): void {
    const api = this.api;
    this.api = undefined;
    this.snapshot = undefined;
    const child = api && compilerProcessOf(api);
    try {
      api?.close();
    } catch {
      // The process is gone already (it died): nothing left to end.
    }
    if (child?.exitCode === null && child.signalCode === null) ending.add(child);
  }
}

/** Compiler processes closed and not yet seen to exit. */
const ending = new Set<ChildProcess>();

/**
 * The API's compiler process. `typescript/sync` 7.1 does not expose it (`API.client.channel.child` is
 * internal), so it is read defensively: it serves only to wait for the process to exit, and when the
 * shape changes nothing is waited for (the API still kills the process when Node exits).
 */
function compilerProcessOf(api: API): ChildProcess | undefined {
  const child = (api as unknown as { client?: { channel?: { child?: unknown } } }).client?.channel?.child;
  return child instanceof ChildProcess ? child : undefined;
}

/**
 * Waits until the compiler processes closed so far have exited (killed after `ms`), so that a run
 * leaves no process behind and the process that ran it reaps them: their CPU time is counted with
 * the run's (GNU time, `process.resourceUsage` of a parent), not lost to an orphan.
 */
export async function waitForTs7Exit(ms = 2000): Promise<void> {
  const children = [...ending];
  ending.clear();
  await Promise.all(
    children.map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          const timer = setTimeout(() => {
            child.kill("SIGKILL");
            resolve();
          }, ms);
          child.once("exit", () => {
            clearTimeout(timer);
            resolve();
          });
          child.ref();
        }),
    ),
  );
}

/**
 * TypeScript 6's `SourceFile.impliedNodeFormat` (whether a `.ts` file is CommonJS or an ES module under
 * node16/nodenext), which TypeScript 7's tree does not carry: the program's file metadata, fetched on
 * first read and set on the file object (one request per file that asks).
 */
function withFileMetadata<T>(program: Program7, file: T): T {
  if (!file || Object.prototype.hasOwnProperty.call(file, "impliedNodeFormat")) return file;
  const fileName = (file as unknown as { fileName: string }).fileName;
  let format: number | undefined;
  let read = false;
  Object.defineProperty(file, "impliedNodeFormat", {
    configurable: true,
    get() {
      if (!read) {
        read = true;
        format = (program.getSourceFileMetadata(fileName) as { impliedNodeFormat?: number } | undefined)?.impliedNodeFormat;
      }
      return format;
    },
  });
  return file;
}

/** The tsconfigs a solution-style tsconfig references, recursively, in order (each once). */
function collectReferences(snapshot: Snapshot7, root: Project7): string[] {
  const found: string[] = [];
  const visit = (project: Project7, chain: ReadonlySet<string>) => {
    for (const reference of project.parsedCommandLine.projectReferences ?? []) {
      let target = path.resolve(reference.path);
      if (!/\.json$/i.test(target)) target = path.join(target, "tsconfig.json");
      if (chain.has(target) || found.includes(target)) continue;
      const referenced = snapshot.getConfiguredProject(target);
      if (referenced?.parsedCommandLine.fileNames.length === 0) visit(referenced, new Set([...chain, target]));
      else found.push(target);
    }
  };
  visit(root, new Set([root.configFileName ?? ""]));
  return found;
}

function createUnit(project: Project7): Ts7Unit {
  const registry = new Registry(project);
  const checker = new CheckerFacade(project.checker, registry);
  const program = new ProgramFacade(project.program, checker);
  const own = new Set(project.parsedCommandLine.fileNames.map((f) => path.resolve(f)));
  const files = project.program
    .getSourceFileNames()
    .filter((f) => own.has(path.resolve(f)) && ANALYZED_EXTENSIONS.test(f) && !DECLARATION_FILE.test(f) && !/[\\/]node_modules[\\/]/.test(f))
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .map((f) => withFileMetadata(project.program, project.program.getSourceFile(f)) as unknown as TS.SourceFile);
  return {
    tsconfig: project.configFileName ?? "",
    program: program as unknown as TS.Program,
    checker: checker as unknown as TS.TypeChecker,
    files,
    prefetch: ({ types, symbols }) => {
      if (types?.length) checker.prefetchTypesAt(types);
      if (symbols?.length) checker.prefetchSymbolsAt(symbols);
    },
  };
}

/** An error TypeScript 7 reports on the tsconfig itself (an option it removed): the project cannot be analyzed as configured. */
function rejectConfig(program: Program7): void {
  const diagnostics = [...program.getConfigFileParsingDiagnostics(), ...program.getProgramDiagnostics()] as unknown as Diagnostic7[];
  const configError = diagnostics.find((d) => d.category === 1 && d.fileName !== undefined && /\.json$/i.test(d.fileName));
  if (!configError) return;
  const at = configError.startPosition ?? { line: 0, character: 0 };
  throw new Ts7Unavailable(`TypeScript 7 rejects the tsconfig: ${configError.text.replace(/\.?$/, "")} (TS${configError.code})`, {
    file: path.resolve(configError.fileName!),
    line: at.line + 1,
    column: at.character + 1,
  });
}

export type { TypeW as Ts7Type, SymbolW as Ts7Symbol, SignatureW as Ts7Signature };

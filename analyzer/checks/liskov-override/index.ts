import { ts } from "../typescript.js";
import { z } from "zod";
import { type CheckContext, defineCheck } from "../define-check.js";
import {
  type ClassLikeDeclaration,
  findParentMembers,
  getClassLikeName,
  getDeclaringTypeName,
  getHeritageParents,
  type HeritageParent,
  isClassLikeDeclaration,
  type ParentMember,
} from "./heritage.js";
import { typeToDisplay } from "../shared/text.js";
import { findParameterNarrowing, formatParameters, getParameterName } from "./parameters.js";
import { awaitsOnlyInsideTryCatch, isNarrowingHarmless } from "./harmless-bodies.js";
import { isNonPromiseType, isAlwaysThenable, isVoidType } from "./returns.js";
import { collectMembers, getNameText, isInstanceMember, type Member } from "./override-members.js";
import { getMemberBody, isThrowingLibContract, isThrowOnlyBody, isThrowOnlyDeclaration } from "./throw-only.js";
import { referencesTypeParameter } from "./type-references.js";

const options = z.strictObject({
  asyncVoidOverrides: z
    .boolean()
    .default(true)
    .describe(
      "Report an async (Promise-returning) override of a member whose parent returns `void`. A caller of a `void` method does not await it, so rejections go unhandled. Set to false to allow fire-and-forget overrides such as `async componentDidMount()`.",
    ),
  throwOnlyImplementations: z
    .boolean()
    .default(true)
    .describe(
      "Report a throw-only implementation of an interface member or an abstract member too, not only a throw-only override of a concrete parent method.",
    ),
});

type Options = z.infer<typeof options>;

const messages = {
  narrowerParameter:
    "`{child}` narrows `{parent}`: callers holding `{holder}` may pass any `{expected}` as `{param}`, which this override does not accept. Make `{param}` accept `{expected}` and narrow inside the body.",
  asyncOverride:
    "`{child}` returns `{childReturn}` but overrides `{parent}`, which returns `{parentReturn}`: callers holding `{holder}` do not await it, so its rejections go unhandled and its work may finish after they go on. Keep the override synchronous (handle the async work and its errors inside), or make the parent return a Promise and await it at its call sites.",
  throwOnlyOverride:
    "`{child}` only throws, but `{parent}` is expected to work: callers holding `{holder}` call it and get an exception. Implement it, or do not inherit it: use composition, or split `{holder}` so that `{owner}` need not provide `{member}`.",
};

type MessageId = keyof typeof messages;
type Context = CheckContext<MessageId, Options>;

function getCallSignatures(checker: ts.TypeChecker, symbol: ts.Symbol): readonly ts.Signature[] {
  return checker.getNonNullableType(checker.getTypeOfSymbol(symbol)).getCallSignatures();
}

function hasDeclaration(symbol: ts.Symbol, test: (d: ts.Declaration) => boolean): boolean {
  return (symbol.declarations ?? []).some(test);
}

function isAccessorSymbol(symbol: ts.Symbol): boolean {
  return (symbol.flags & ts.SymbolFlags.Accessor) !== 0;
}

function isWritable(symbol: ts.Symbol): boolean {
  if (symbol.flags & ts.SymbolFlags.SetAccessor) return true;
  if (isAccessorSymbol(symbol)) return false;
  return hasDeclaration(symbol, (d) => (ts.getCombinedModifierFlags(d) & ts.ModifierFlags.Readonly) === 0);
}

function isBodilessContract(symbol: ts.Symbol): boolean {
  return (symbol.declarations ?? []).every(
    (d) => (ts.getCombinedModifierFlags(d) & ts.ModifierFlags.Abstract) !== 0 || ts.isInterfaceDeclaration(d.parent) || ts.isTypeLiteralNode(d.parent),
  );
}

/**
 * Names and locations shared by every message about one (member, parent member) pair. `at` is the
 * parent declaration involved when it is known (the parent signature that is not covered): with an
 * intersection parent (mixins) the member has several declarations.
 */
function describePair(context: Context, member: Member, parent: ParentMember, at?: ts.Declaration) {
  const owner = getClassLikeName(member.owner);
  const memberName = getNameText(member.name);
  const declarations = parent.symbol.declarations ?? [];
  const declaration = at && declarations.includes(at) ? at : declarations[0];
  const parentOwner = (declaration && getDeclaringTypeName(declaration)) ?? context.checker.typeToString(parent.parent.type);
  const relatedNode = declaration ? (ts.getNameOfDeclaration(declaration) ?? declaration) : undefined;
  return {
    owner,
    memberName,
    parentOwner,
    holder: typeToDisplay(context.checker, parent.parent.type, member.owner),
    symbol: `${owner}.${memberName}`,
    related: relatedNode ? [{ node: relatedNode, message: "parent member" }] : [],
  };
}

type Reporter = (messageId: MessageId, pair: ReturnType<typeof describePair>, data: Record<string, string>) => void;

/**
 * What the override accepts: its declared signatures and, for an overload set, the implementation
 * signature too, since every call reaches the implementation at run time. `overloads`: the declared
 * signatures of an overload set (several declarations), which take only the arguments they declare.
 */
function getAcceptingSignatures(checker: ts.TypeChecker, member: Member): { signatures: readonly ts.Signature[]; overloads: ReadonlySet<ts.Signature> } {
  const declared = getCallSignatures(checker, member.symbol);
  if (member.declarations.length < 2) return { signatures: declared, overloads: new Set() };
  const implementation = member.declarations.find((d): d is ts.MethodDeclaration => ts.isMethodDeclaration(d) && d.body !== undefined);
  const signature = implementation && checker.getSignatureFromDeclaration(implementation);
  return { signatures: signature ? [...declared, signature] : declared, overloads: new Set(declared) };
}

function checkCallableParameters(context: Context, member: Member, parent: ParentMember, report: Reporter): void {
  const { checker } = context;
  const { signatures: childSignatures, overloads } = getAcceptingSignatures(checker, member);
  const parentSignatures = getCallSignatures(checker, parent.symbol);
  const narrowing = findParameterNarrowing(checker, parentSignatures, childSignatures, (s) => overloads.has(s));
  if (!narrowing || isNarrowingHarmless(checker, member, narrowing.index, narrowing.parentType, narrowing.childType)) return;
  const pair = describePair(context, member, parent, narrowing.parentSignature.declaration);
  report("narrowerParameter", pair, {
    child: `${pair.owner}.${pair.memberName}${formatParameters(checker, narrowing.childSignature, member.owner)}`,
    parent: `${pair.parentOwner}.${pair.memberName}${formatParameters(checker, narrowing.parentSignature, member.owner)}`,
    holder: pair.holder,
    param: getParameterName(narrowing.childSignature, narrowing.index),
    expected: typeToDisplay(checker, narrowing.parentType, member.owner),
  });
}

function checkAsync(context: Context, member: Member, parent: ParentMember, report: Reporter): void {
  const { checker } = context;
  const childSignatures = getCallSignatures(checker, member.symbol);
  const childReturns = childSignatures.map((s) => s.getReturnType());
  if (childReturns.length === 0 || !childReturns.every((t) => isAlwaysThenable(checker, t))) return;
  const parentSignatures = getCallSignatures(checker, parent.symbol);
  const parentReturns = parentSignatures.map((s) => s.getReturnType());
  if (parentReturns.length === 0 || !parentReturns.every((t) => isNonPromiseType(checker, t))) return;
  if (!context.options.asyncVoidOverrides && parentReturns.every(isVoidType)) return;
  if (parentReturns.every(isVoidType) && awaitsOnlyInsideTryCatch(member)) return;
  const pair = describePair(context, member, parent);
  report("asyncOverride", pair, {
    child: `${pair.owner}.${pair.memberName}${formatParameters(checker, childSignatures[0]!, member.owner)}`,
    parent: `${pair.parentOwner}.${pair.memberName}${formatParameters(checker, parentSignatures[0]!, member.owner)}`,
    holder: pair.holder,
    childReturn: typeToDisplay(checker, childReturns[0]!, member.owner),
    parentReturn: typeToDisplay(checker, parentReturns[0]!, member.owner),
  });
}

/**
 * The type a caller holding the parent may assign: the parent setter's declared parameter type, or,
 * when there is none or it is generic (`set value(v: T)`: only the instantiated read type is public),
 * the member's type as the derived declaration sees it.
 */
function getParentWriteType(checker: ts.TypeChecker, parent: ts.Symbol): ts.Type {
  const annotation = parent.declarations?.find(ts.isSetAccessorDeclaration)?.parameters[0]?.type;
  if (annotation) {
    const declared = checker.getTypeFromTypeNode(annotation);
    if (!referencesTypeParameter(checker, declared, () => true)) return declared;
  }
  return checker.getTypeOfSymbol(parent);
}

function checkSetter(context: Context, member: Member, parent: ParentMember, report: Reporter): void {
  const { checker } = context;
  const setter = member.declarations[0];
  if (!setter || !ts.isSetAccessorDeclaration(setter) || !isWritable(parent.symbol)) return;
  const parameter = setter.parameters[0];
  if (!parameter) return;
  const parentType = getParentWriteType(checker, parent.symbol);
  const childType = checker.getTypeAtLocation(parameter);
  if (checker.isTypeAssignableTo(parentType, childType)) return;
  const pair = describePair(context, member, parent);
  const param = ts.isIdentifier(parameter.name) ? parameter.name.text : "value";
  report("narrowerParameter", pair, {
    child: `set ${pair.owner}.${pair.memberName}(${param}: ${typeToDisplay(checker, childType, member.owner)})`,
    parent: `${pair.parentOwner}.${pair.memberName}: ${typeToDisplay(checker, parentType, member.owner)}`,
    holder: pair.holder,
    param,
    expected: typeToDisplay(checker, parentType, member.owner),
  });
}

/** Whether the parent member is one this member overrides for the purpose of a throw-only check. */
function isComparableForThrowOnly(checker: ts.TypeChecker, member: Member, parent: ts.Symbol): boolean {
  if (member.kind === "setter") return isWritable(parent);
  if (member.kind === "getter") return !(parent.flags & ts.SymbolFlags.SetAccessor) || (parent.flags & ts.SymbolFlags.GetAccessor) !== 0;
  return !isAccessorSymbol(parent) && getCallSignatures(checker, parent).length > 0;
}

/** The parent refuses too: its own body only throws, or it is declared to return `never`. */
function parentRefuses(checker: ts.TypeChecker, member: Member, parent: ts.Symbol): boolean {
  if ((parent.declarations ?? []).some((d) => isThrowOnlyDeclaration(checker, d))) return true;
  if (member.kind !== "callable") return false;
  const signatures = getCallSignatures(checker, parent);
  return signatures.length > 0 && signatures.every((s) => (s.getReturnType().flags & ts.TypeFlags.Never) !== 0);
}

function checkThrowOnly(context: Context, member: Member, parent: ParentMember, report: Reporter): void {
  const { checker } = context;
  // Test doubles (an in-memory fake of a repository) implement what the test needs and throw for the rest.
  if (context.settings.isTestFile(context.sourceFile.fileName)) return;
  const body = member.declarations.map(getMemberBody).find((b) => b !== undefined);
  if (!body || !isThrowOnlyBody(checker, body)) return;
  if (!isComparableForThrowOnly(checker, member, parent.symbol) || parentRefuses(checker, member, parent.symbol)) return;
  if (isThrowingLibContract(context.program, parent.symbol)) return;
  if (!context.options.throwOnlyImplementations && isBodilessContract(parent.symbol)) return;
  const pair = describePair(context, member, parent);
  const prefix = member.kind === "getter" ? "get " : member.kind === "setter" ? "set " : "";
  report("throwOnlyOverride", pair, {
    child: `${prefix}${pair.owner}.${pair.memberName}`,
    parent: `${pair.parentOwner}.${pair.memberName}`,
    holder: pair.holder,
    owner: pair.owner,
    member: pair.memberName,
  });
}

function checkMember(context: Context, member: Member, parents: readonly HeritageParent[]): void {
  const reported = new Set<MessageId>();
  const report: Reporter = (messageId, pair, data) => {
    if (reported.has(messageId)) return;
    reported.add(messageId);
    context.report({ node: member.name, messageId, data, symbol: pair.symbol, related: pair.related });
  };
  for (const parent of findParentMembers(context.checker, parents, member.symbol.escapedName)) {
    if (parent.symbol === member.symbol || hasDeclaration(parent.symbol, (d) => !isInstanceMember(d))) continue;
    if (member.kind === "callable" && !isAccessorSymbol(parent.symbol)) {
      checkCallableParameters(context, member, parent, report);
      checkAsync(context, member, parent, report);
    }
    if (member.kind === "setter") checkSetter(context, member, parent, report);
    checkThrowOnly(context, member, parent, report);
  }
}

function checkDeclaration(context: Context, declaration: ClassLikeDeclaration): void {
  const parents = getHeritageParents(context.checker, declaration);
  if (parents.length === 0) return;
  const members = collectMembers(context.checker, declaration);
  for (const member of members) checkMember(context, member, parents);
}

export default defineCheck({
  id: "liskov-override",
  meta: {
    description:
      "Overrides that break callers holding the parent type: a narrower parameter, an async override of a synchronous member, or a body that only throws.",
    defaultSeverity: "error",
  },
  messages,
  options,
  check(context) {
    // Declaration files describe implementations that are not analyzed (and usually not owned).
    if (context.sourceFile.isDeclarationFile) return;
    const visit = (node: ts.Node): void => {
      if (isClassLikeDeclaration(node) && (node.heritageClauses?.length || ts.isInterfaceDeclaration(node) || node.name)) {
        checkDeclaration(context, node);
      }
      ts.forEachChild(node, visit);
    };
    visit(context.sourceFile);
  },
});

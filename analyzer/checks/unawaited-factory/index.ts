import { perTypeScript, ts } from "../typescript.js";
import { type CheckContext, defineCheck, noOptions } from "../define-check.js";
import { canAwaitAt, getAddAwaitEdits } from "./await-position.js";
import { type ExpressionUse, getExpressionUse } from "./expression-context.js";
import { skipParentheses } from "../shared/nodes.js";
import { describeNode, typeToDisplay } from "../shared/text.js";
import { getNonNullishParts, getPromiseOfFactory, isNullableType, mayBeThenable, PROMISE_METHODS, type PromiseOfFactory } from "../shared/promises.js";
import { judgeCast, judgeSlot } from "./value-slots.js";

const messages = {
  truthiness:
    "`{call}` returns `{promise}`, but {subject} is tested for truthiness as if it were the `{value}` it resolves to: a Promise is always truthy, so the test always passes. Await the call to test the `{value}` itself.",
  nullishProbe:
    "`{call}` returns `{promise}`, but {subject} is checked for null or undefined as if it were the `{value}` it resolves to: a Promise is never nullish, so the check never fires. Await the call to check the `{value}` itself.",
  memberProbe:
    "`{call}` returns `{promise}`, but {subject} is probed for {probe} as if it were the `{value}` it resolves to: a Promise never passes that probe, so the code it guards never runs. Await the call to probe the `{value}`.",
  looseSlot:
    "`{call}` returns `{promise}`, but {subject} is {slot} as if it were the `{value}` it resolves to: whoever reads it gets a Promise, so its methods are missing and calls behind `?.` or a type check silently never run. Await the call to pass on the `{value}`.",
  discarded:
    "`{call}` returns `{promise}`, but the result is discarded: the `{value}` it makes is never used and a rejection goes unhandled. Await the call, or write `void` before it to discard it on purpose.",
  voidCallback:
    "`{call}` returns `{promise}`, but {subject} is returned from a callback typed to return `void` ({callback}): its caller drops it, so the `{value}` it makes is never used and a rejection goes unhandled. Await it in an async callback and handle its errors, or write `void` before the call to discard it on purpose.",
  addAwait: "Await `{call}`.",
} as const;

type MessageId = keyof typeof messages;
type Context = CheckContext<MessageId, unknown>;

/** A use of the promise as its value: what to report, where it happens. */
interface Misuse {
  messageId: Exclude<MessageId, "addAwait">;
  node: ts.Node;
  data: Record<string, string>;
  /** The local that holds the promise at this use, when it is not the call itself. */
  holder?: string;
}

/** The verdict on one use: a misuse, fine and compatible with adding `await` at the call, or fine only as a promise. */
interface UseVerdict {
  misuses: Misuse[];
  keepsPromise: boolean;
}

const FINE: UseVerdict = { misuses: [], keepsPromise: false };
const KEEPS_PROMISE: UseVerdict = { misuses: [], keepsPromise: true };
/** How deep `const a = call(); const b = a; ...` aliases are followed. */
const MAX_ALIAS_DEPTH = 3;

function misuse(messageId: Misuse["messageId"], node: ts.Node, data: Record<string, string> = {}): UseVerdict {
  return { misuses: [{ messageId, node, data }], keepsPromise: false };
}

function instanceofMisuse(context: Context, probe: ts.BinaryExpression): UseVerdict {
  // `p instanceof Promise` (or a Promise subclass) asks the right question.
  const prototype = context.checker.getTypeAtLocation(probe.right).getProperty("prototype");
  if (!prototype || mayBeThenable(context.checker, context.checker.getTypeOfSymbol(prototype))) return KEEPS_PROMISE;
  return misuse("memberProbe", probe, { probe: `\`instanceof ${describeNode(probe.right, 40)}\`` });
}

/**
 * Judges one use of the promise: of the call itself (`depth` 0) or of a reference to a local that
 * holds it (`depth` = how many locals deep). `mayBeAbsent`: the call returns the promise or
 * null / undefined (`map.get(key)`, `list.at(0)`), so a truthiness or nullish test asks whether
 * there is a promise at all, not what it resolves to.
 */
function judgeUse(context: Context, use: ExpressionUse, depth: number, mayBeAbsent: boolean): UseVerdict {
  const { program, checker } = context;
  switch (use.kind) {
    case "handled":
      return use.how === "await" || use.how === "asyncReturn" || use.how === "void" ? FINE : KEEPS_PROMISE;
    case "neutral":
      return FINE;
    case "discarded":
      // A reference to a local as a statement does nothing; only a discarded call loses a value.
      return depth === 0 ? misuse("discarded", use.node) : FINE;
    case "truthiness":
    case "nullishProbe":
      return mayBeAbsent ? FINE : misuse(use.kind, use.node);
    case "memberProbe":
      return misuse("memberProbe", use.node, { probe: use.probe });
    case "instanceofProbe":
      return instanceofMisuse(context, use.node);
    case "slot": {
      const verdict = judgeSlot(program, checker, use.slot);
      if (verdict.kind === "loose") return isTestDoubleArgument(context, use) ? FINE : misuse("looseSlot", use.slot.node, { slot: verdict.description });
      return verdict.kind === "promise" ? KEEPS_PROMISE : FINE;
    }
    case "cast": {
      const verdict = judgeCast(program, checker, use.node);
      if (verdict.kind !== "loose") return judgeUse(context, getExpressionUse(use.node), depth, mayBeAbsent);
      const castUse = getExpressionUse(use.node);
      if (verdict.typeText === "any" && isTestDoubleArgument(context, castUse)) return FINE;
      return misuse("looseSlot", use.node, { slot: verdict.description });
    }
    case "local":
      return depth < MAX_ALIAS_DEPTH ? judgeLocal(context, use.name, depth + 1, mayBeAbsent) : FINE;
    case "callbackReturn": {
      const callback = getVoidCallbackType(checker, use.fn);
      return callback ? misuse("voidCallback", use.fn, { callback: `\`${callback}\`` }) : FINE;
    }
  }
}

/**
 * The declared type of the parameter or slot a callback is passed to, when every signature it may
 * be called through returns `void` exactly (`() => void`, `(e: Event) => void`, `forEach`'s callback):
 * the caller drops whatever the callback returns. `undefined` for anything else: no contextual type
 * (`const make = () => f()`), a result the caller uses (`() => T`, `() => unknown`, `() => Promise<void>`,
 * `() => void | Promise<void>`).
 */
function getVoidCallbackType(checker: ts.TypeChecker, fn: ts.ArrowFunction | ts.FunctionExpression): string | undefined {
  const contextual = checker.getContextualType(fn);
  if (!contextual) return undefined;
  const parts = getNonNullishParts(contextual);
  // Every part must be a function type returning exactly `void` (a non-function part, e.g. `any`, may use the result).
  const returnsVoid = (part: ts.Type) => {
    const signatures = part.getCallSignatures();
    return signatures.length > 0 && signatures.every((s) => s.getReturnType().flags === ts.TypeFlags.Void);
  };
  if (parts.length === 0 || !parts.every(returnsVoid)) return undefined;
  return typeToDisplay(checker, contextual, fn);
}

/**
 * In test files, `any`-typed parameters belong to test doubles and assertion libraries
 * (`vi.fn().mockReturnValue(x)`, sinon's `stub.returns(x)`, chai-as-promised's `expect(p).to.eventually`),
 * which take promises on purpose: an argument (or an `as any` argument) there is not reported.
 */
function isTestDoubleArgument(context: Context, use: ExpressionUse): boolean {
  if (use.kind !== "slot" || use.slot.kind !== "argument" || !context.settings.isTestFile(context.sourceFile.fileName)) return false;
  const verdict = judgeSlot(context.program, context.checker, use.slot);
  return verdict.kind === "loose" && verdict.typeText === "any";
}

function getScope(declarationName: ts.Identifier): ts.Node {
  return (
    ts.findAncestor(
      declarationName.parent,
      (n) => ts.isBlock(n) || ts.isSourceFile(n) || ts.isModuleBlock(n) || ts.isCaseBlock(n) || ts.isIterationStatement(n, false),
    ) ?? declarationName.getSourceFile()
  );
}

function getReferencedSymbol(checker: ts.TypeChecker, node: ts.Identifier): ts.Symbol | undefined {
  // In `{ emitter }` the name is the property; the value it reads is the variable.
  if (ts.isShorthandPropertyAssignment(node.parent) && node.parent.name === node) return checker.getShorthandAssignmentValueSymbol(node.parent);
  return checker.getSymbolAtLocation(node);
}

/** Follows a local that holds the promise to every reference in its scope. */
function judgeLocal(context: Context, name: ts.Identifier, depth: number, mayBeAbsent: boolean): UseVerdict {
  const symbol = context.checker.getSymbolAtLocation(name);
  if (!symbol) return FINE;
  const result: UseVerdict = { misuses: [], keepsPromise: false };
  const visit = (node: ts.Node): void => {
    if (ts.isIdentifier(node)) {
      if (node !== name && node.text === name.text && getReferencedSymbol(context.checker, node) === symbol) {
        const verdict = judgeUse(context, getExpressionUse(node), depth, mayBeAbsent);
        result.misuses.push(...verdict.misuses.map((m) => ({ ...m, holder: m.holder ?? name.text })));
        result.keepsPromise ||= verdict.keepsPromise;
      }
      return;
    }
    ts.forEachChild(node, visit);
  };
  ts.forEachChild(getScope(name), visit);
  return result;
}

/** Calls that are promise handling themselves (`p.then(...)`, `Promise.all(...)`) or module loads (`import()`). */
function isExcludedCall(call: ts.CallExpression): boolean {
  const callee = skipParentheses(call.expression);
  if (callee.kind === ts.SyntaxKind.ImportKeyword || callee.kind === ts.SyntaxKind.SuperKeyword) return true;
  if (!ts.isPropertyAccessExpression(callee)) return false;
  if (PROMISE_METHODS.has(callee.name.text)) return true;
  return ts.isIdentifier(callee.expression) && callee.expression.text === "Promise";
}

function getSymbolName(checker: ts.TypeChecker, call: ts.CallExpression): string | undefined {
  const declaration = checker.getResolvedSignature(call)?.getDeclaration();
  if (!declaration) return undefined;
  // `const make = async () => ...`: the variable names the factory.
  const named = declaration.name ? declaration : ts.isVariableDeclaration(declaration.parent) ? declaration.parent : undefined;
  if (!named?.name || !(ts.isIdentifier(named.name) || ts.isPrivateIdentifier(named.name) || ts.isStringLiteral(named.name))) return undefined;
  const name = named.name.text;
  const owner = declaration.parent;
  if ((ts.isClassLike(owner) || ts.isInterfaceDeclaration(owner)) && owner.name) return `${owner.name.text}.${name}`;
  return name;
}

function report(context: Context, call: ts.CallExpression, factory: PromiseOfFactory, verdict: UseVerdict): void {
  const { checker, program } = context;
  const first = verdict.misuses[0]!;
  const value = checker.typeToString(factory.valueType);
  const callText = describeNode(call);
  const data = {
    call: callText,
    promise: checker.typeToString(factory.promiseType),
    value,
    subject: first.holder ? `\`${first.holder}\` (which holds it)` : "its value",
    probe: "",
    slot: "",
    ...first.data,
  };
  const edits = !verdict.keepsPromise && canAwaitAt(program, call) ? getAddAwaitEdits(call) : undefined;
  const symbol = getSymbolName(checker, call);
  context.report({
    node: call,
    messageId: first.messageId,
    data,
    ...(symbol ? { symbol } : {}),
    related: verdict.misuses.filter((m) => m.holder).map((m) => ({ node: m.node, message: `\`${m.holder!}\` used as the \`${value}\` here` })),
    ...(edits ? { suggest: [{ messageId: "addAwait" as const, data: { call: callText }, edits }] } : {}),
  });
}

const STABLE_NON_OBJECT = perTypeScript(
  () =>
    ts.TypeFlags.StringLike |
    ts.TypeFlags.NumberLike |
    ts.TypeFlags.BigIntLike |
    ts.TypeFlags.BooleanLike |
    ts.TypeFlags.ESSymbolLike |
    ts.TypeFlags.Void |
    ts.TypeFlags.Undefined |
    ts.TypeFlags.Null |
    ts.TypeFlags.Never |
    ts.TypeFlags.Any |
    ts.TypeFlags.Unknown,
);
const STABLE_OBJECT = perTypeScript(() => ts.ObjectFlags.Reference | ts.ObjectFlags.Class | ts.ObjectFlags.Interface | ts.ObjectFlags.Anonymous);

/**
 * Whether a generic signature's declared return type stays a non-promise whatever its type arguments
 * are: primitives, and object types with a fixed set of members and no `then` (`U[]`, `Observable<R>`,
 * `{ value: T }`). Type parameters, conditional, indexed, mapped and intersection types may become anything.
 */
function isStablyNotPromise(checker: ts.TypeChecker, type: ts.Type): boolean {
  return getNonNullishParts(type).every((part) => {
    if (part.flags & STABLE_NON_OBJECT()) return true;
    if (!(part.flags & ts.TypeFlags.Object)) return false;
    const objectFlags = (part as ts.ObjectType).objectFlags;
    return (objectFlags & STABLE_OBJECT()) !== 0 && (objectFlags & ts.ObjectFlags.Mapped) === 0 && !mayBeThenable(checker, part);
  });
}

/**
 * The type of the call, or `undefined` when it cannot be a promise of a factory product, read from the
 * callee's own signatures before the call is resolved. A call of a non-generic signature has that
 * signature's return type, and a generic one whose return type is stably not a promise cannot return
 * one, so the call is resolved (overload choice, inference, contextual typing of every argument: most
 * of what the checker does on a call) only when one of its signatures may return a promise.
 */
function getCallType(context: Context, call: ts.CallExpression): ts.Type | undefined {
  const { program, checker } = context;
  // Each non-nullish part on its own: `a?.b()` and unions of functions have no combined signature here.
  const signatures = getNonNullishParts(checker.getTypeAtLocation(call.expression)).flatMap((part) => part.getCallSignatures());
  const isGeneric = (signature: ts.Signature) => (signature.typeParameters?.length ?? 0) > 0;
  const mayReturnPromise = signatures.some((signature) => {
    const returnType = checker.getReturnTypeOfSignature(signature);
    return isGeneric(signature) ? !isStablyNotPromise(checker, returnType) : getPromiseOfFactory(program, checker, returnType) !== undefined;
  });
  if (!mayReturnPromise) return undefined;
  if (signatures.length === 1 && !isGeneric(signatures[0]!)) return checker.getReturnTypeOfSignature(signatures[0]!);
  return checker.getTypeAtLocation(call);
}

/**
 * Whether the callee itself may return null / undefined instead of the promise (`map.get(key)`,
 * `list.at(0)`, `Promise<T> | undefined`). The `undefined` an optional chain adds (`f?.()`, `a?.b()`)
 * does not count: it says whether there was a callee, not whether the call produced a promise.
 */
function callMayBeAbsent(context: Context, call: ts.CallExpression, type: ts.Type): boolean {
  if (!isNullableType(type)) return false;
  if (!ts.isOptionalChain(call)) return true;
  const signature = context.checker.getResolvedSignature(call);
  return signature !== undefined && isNullableType(context.checker.getReturnTypeOfSignature(signature));
}

function checkCall(context: Context, call: ts.CallExpression): void {
  if (isExcludedCall(call)) return;
  // Syntax first: most calls are awaited, chained or used in ways that need no types at all.
  const use = getExpressionUse(call);
  if (use.kind === "neutral" || use.kind === "handled") return;
  const type = getCallType(context, call);
  if (!type) return;
  const factory = getPromiseOfFactory(context.program, context.checker, type);
  if (!factory) return;
  const verdict = judgeUse(context, use, 0, callMayBeAbsent(context, call, type));
  if (verdict.misuses.length === 0) return;
  report(context, call, factory, verdict);
}

export default defineCheck({
  id: "unawaited-factory",
  meta: {
    description:
      "Reports a call returning Promise<T> (T an object with methods) whose value is used as if it were T: stored or passed as any/unknown/object/a type parameter, tested for truthiness, probed for members, or discarded.",
    defaultSeverity: "error",
  },
  messages,
  options: noOptions,
  check(context) {
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node)) checkCall(context, node);
      ts.forEachChild(node, visit);
    };
    visit(context.sourceFile);
  },
});

import { ts } from "../typescript.js";
import { describeNode } from "../shared/text.js";
import type { SlotSite } from "./expression-context.js";
import { getLooseSlotText, getNonNullishParts, mayBeThenable } from "../shared/promises.js";

/** The verdict on a slot: it takes a promise as one, it is a loose slot (described for a message), or neither. */
export type SlotVerdict = { kind: "promise" } | { kind: "loose"; description: string; typeText: string } | { kind: "other" };

const OTHER: SlotVerdict = { kind: "other" };
const PROMISE: SlotVerdict = { kind: "promise" };

function judgeType(program: ts.Program, checker: ts.TypeChecker, type: ts.Type | undefined, describe: (typeText: string) => string): SlotVerdict {
  if (!type) return OTHER;
  if (mayBeThenable(checker, type)) return PROMISE;
  const loose = getLooseSlotText(program, checker, type);
  return loose === undefined ? OTHER : { kind: "loose", description: describe(loose), typeText: loose };
}

/** The parameter a given argument lands in (the rest parameter's element for trailing arguments). */
function getParameterTypeAt(checker: ts.TypeChecker, signature: ts.Signature, index: number): ts.Type | undefined {
  const parameters = signature.getParameters();
  const last = parameters[parameters.length - 1];
  const lastDeclaration = last?.valueDeclaration;
  const isRest = lastDeclaration !== undefined && ts.isParameter(lastDeclaration) && lastDeclaration.dotDotDotToken !== undefined;
  if (isRest && index >= parameters.length - 1) {
    const restType = checker.getTypeOfSymbol(last!);
    if (checker.isArrayType(restType)) return checker.getTypeArguments(restType as ts.TypeReference)[0];
    if (checker.isTupleType(restType)) return checker.getTypeArguments(restType as ts.TypeReference)[index - (parameters.length - 1)];
    return undefined;
  }
  const parameter = parameters[index];
  return parameter ? checker.getTypeOfSymbol(parameter) : undefined;
}

/** Whether `type` mentions the type parameter anywhere we can see; unsure means yes. */
function mentionsTypeParameter(checker: ts.TypeChecker, type: ts.Type, typeParameter: ts.Type, depth = 0): boolean {
  if (type === typeParameter) return true;
  if (depth > 4) return true;
  if (type.isUnionOrIntersection()) return type.types.some((t) => mentionsTypeParameter(checker, t, typeParameter, depth + 1));
  if (type.flags & (ts.TypeFlags.IndexedAccess | ts.TypeFlags.Conditional | ts.TypeFlags.Index | ts.TypeFlags.Substitution | ts.TypeFlags.TemplateLiteral))
    return true;
  if (!(type.flags & ts.TypeFlags.Object)) return false;
  const objectFlags = (type as ts.ObjectType).objectFlags;
  if (objectFlags & ts.ObjectFlags.Mapped) return true;
  if (objectFlags & ts.ObjectFlags.Reference) {
    if (checker.getTypeArguments(type as ts.TypeReference).some((t) => mentionsTypeParameter(checker, t, typeParameter, depth + 1))) return true;
    if (!(objectFlags & ts.ObjectFlags.Anonymous)) return false;
  }
  if (objectFlags & ts.ObjectFlags.Anonymous) {
    const signatures = [...type.getCallSignatures(), ...type.getConstructSignatures()];
    const signatureTypes = signatures.flatMap((s) => [s.getReturnType(), ...s.getParameters().map((p) => checker.getTypeOfSymbol(p))]);
    if (signatureTypes.some((t) => mentionsTypeParameter(checker, t, typeParameter, depth + 1))) return true;
    return checker
      .getPropertiesOfType(type)
      .slice(0, 32)
      .some((p) => mentionsTypeParameter(checker, checker.getTypeOfSymbol(p), typeParameter, depth + 1));
  }
  return false;
}

function describeCallee(call: ts.CallExpression | ts.NewExpression): string {
  const callee = call.expression;
  return ts.isNewExpression(call) ? `new ${describeNode(callee, 40)}` : describeNode(callee, 40);
}

/**
 * A parameter typed with one of the signature's own type parameters that the return type does not
 * mention (`register<T>(service: T): void`): the promise goes in and nothing typed as it comes back.
 * When the return type mentions it (`expect<T>(actual: T): Assertion<T>`, `identity<T>(x: T): T`),
 * the promise type flows back to the caller, which is not a use as T.
 */
function judgeTypeParameterSlot(
  checker: ts.TypeChecker,
  declaration: ts.SignatureDeclaration,
  index: number,
  call: ts.CallExpression | ts.NewExpression,
): SlotVerdict | undefined {
  const declared = checker.getSignatureFromDeclaration(declaration);
  const ownTypeParameters = declared?.getTypeParameters();
  if (!declared || !ownTypeParameters?.length) return undefined;
  const parameterType = getParameterTypeAt(checker, declared, index);
  if (!parameterType) return undefined;
  const parts = getNonNullishParts(parameterType);
  const typeParameter = parts.find((t) => ownTypeParameters.includes(t));
  if (!typeParameter) return undefined;
  if (parts.length !== 1 || mayBeThenable(checker, typeParameter)) return PROMISE;
  if (mentionsTypeParameter(checker, declared.getReturnType(), typeParameter)) return OTHER;
  const constraint = checker.getBaseConstraintOfType(typeParameter);
  const constraintText =
    constraint && constraint !== typeParameter && !(constraint.flags & ts.TypeFlags.Unknown) ? ` extends ${checker.typeToString(constraint)}` : "";
  const typeText = `${checker.typeToString(typeParameter)}${constraintText}`;
  return { kind: "loose", typeText, description: `passed to \`${describeCallee(call)}\` as type parameter \`${typeText}\`, which its result does not carry,` };
}

function judgeArgument(program: ts.Program, checker: ts.TypeChecker, slot: Extract<SlotSite, { kind: "argument" }>): SlotVerdict {
  const resolved = checker.getResolvedSignature(slot.call);
  const declaration = resolved?.getDeclaration();
  // An untyped callee (`any`) has no declared slots: nothing to judge.
  if (!resolved || !declaration) return OTHER;
  const typeParameterVerdict = judgeTypeParameterSlot(checker, declaration, slot.index, slot.call);
  if (typeParameterVerdict) return typeParameterVerdict;
  return judgeType(
    program,
    checker,
    getParameterTypeAt(checker, resolved, slot.index),
    (t) => `passed to \`${describeCallee(slot.call)}\` as a parameter typed \`${t}\``,
  );
}

function describeDeclaration(declaration: ts.VariableDeclaration | ts.PropertyDeclaration | ts.ParameterDeclaration, typeText: string): string {
  const name = describeNode(declaration.name, 40);
  if (ts.isPropertyDeclaration(declaration)) return `stored in field \`${name}: ${typeText}\``;
  if (ts.isParameter(declaration)) return `used as the default of parameter \`${name}: ${typeText}\``;
  return `stored in \`${name}: ${typeText}\``;
}

function describeFunction(fn: ts.SignatureDeclaration): string {
  const name = fn.name && !ts.isComputedPropertyName(fn.name) ? describeNode(fn.name, 40) : undefined;
  return name ? `\`${name}\`` : "a function";
}

/**
 * The type expected of an object-literal property or array element. When the literal itself goes
 * into an `any` / `unknown` slot (`log({ emitter: p })`), its members have no contextual type of their
 * own; the nearest enclosing literal's contextual type then stands for them.
 */
function getMemberContextualType(checker: ts.TypeChecker, node: ts.Expression): ts.Type | undefined {
  const own = checker.getContextualType(node);
  if (own) return own;
  let member: ts.Node = node;
  let literal: ts.Node = ts.isArrayLiteralExpression(node.parent) ? node.parent : node.parent.parent;
  for (let depth = 0; depth < 5 && (ts.isObjectLiteralExpression(literal) || ts.isArrayLiteralExpression(literal)); depth++) {
    const outer = checker.getContextualType(literal);
    if (outer) {
      if (outer.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown | ts.TypeFlags.NonPrimitive)) return outer;
      // A shorthand `{ emitter }` has no contextual type of its own: read the property off the literal's.
      return depth === 0 && ts.isShorthandPropertyAssignment(member.parent) ? getPropertyTypeOfContext(checker, outer, member.parent.name.text) : undefined;
    }
    member = literal;
    const parent: ts.Node = literal.parent;
    literal = ts.isArrayLiteralExpression(parent) ? parent : ts.isPropertyAssignment(parent) ? parent.parent : parent;
  }
  return undefined;
}

function getPropertyTypeOfContext(checker: ts.TypeChecker, context: ts.Type, name: string): ts.Type | undefined {
  const property = checker.getPropertyOfType(checker.getApparentType(context), name);
  if (property) return checker.getTypeOfSymbol(property);
  return checker.getIndexInfosOfType(context).find((info) => info.keyType.flags & ts.TypeFlags.String)?.type;
}

/** `let x;` with neither type nor initializer: its type follows what is assigned, it is no `any` slot. */
function isEvolvingVariable(checker: ts.TypeChecker, target: ts.Expression): boolean {
  if (!ts.isIdentifier(target)) return false;
  const declaration = checker.getSymbolAtLocation(target)?.valueDeclaration;
  return declaration !== undefined && ts.isVariableDeclaration(declaration) && !declaration.type && !declaration.initializer;
}

/** Judges a slot the value flows into (arguments, annotated declarations, assignments, returns, literal members). */
export function judgeSlot(program: ts.Program, checker: ts.TypeChecker, slot: SlotSite): SlotVerdict {
  switch (slot.kind) {
    case "argument":
      return judgeArgument(program, checker, slot);
    case "annotated":
      return judgeType(program, checker, checker.getTypeFromTypeNode(slot.type), (t) => describeDeclaration(slot.declaration, t));
    case "assignment":
      if (!ts.isIdentifier(slot.target) && !ts.isPropertyAccessExpression(slot.target) && !ts.isElementAccessExpression(slot.target)) return OTHER;
      if (isEvolvingVariable(checker, slot.target)) return OTHER;
      return judgeType(program, checker, checker.getTypeAtLocation(slot.target), (t) => `assigned to \`${describeNode(slot.target, 40)}\`, typed \`${t}\`,`);
    case "return":
      return judgeType(program, checker, checker.getTypeFromTypeNode(slot.type), (t) => `returned as \`${t}\` from ${describeFunction(slot.fn)}`);
    case "property":
      return judgeType(program, checker, getMemberContextualType(checker, slot.node), (t) => `stored in property \`${slot.name}\`, typed \`${t}\`,`);
    case "element":
      return judgeType(program, checker, getMemberContextualType(checker, slot.node), (t) => `stored as an array element typed \`${t}\``);
  }
}

/** Judges a cast: to a promise type passes the value on; to a loose type is a loose slot; to anything else is a use as that type. */
export function judgeCast(program: ts.Program, checker: ts.TypeChecker, cast: ts.AsExpression | ts.TypeAssertion): SlotVerdict {
  const target = checker.getTypeFromTypeNode(cast.type);
  if (mayBeThenable(checker, target)) return PROMISE;
  const typeText = getLooseSlotText(program, checker, target) ?? describeNode(cast.type, 40);
  return { kind: "loose", typeText, description: `cast to \`${typeText}\`` };
}

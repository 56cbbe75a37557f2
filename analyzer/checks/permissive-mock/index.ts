import { ts } from "../typescript.js";
import { isNullishLiteral, skipParentheses } from "../shared/nodes.js";
import { defineCheck, noOptions } from "../define-check.js";
import { describeNode } from "../shared/text.js";
import { type Cast, getCastChain, getEscapeKeyword, getValueNode, isCast, isGeneratedFile, isMockTargetType, isOutermostCast } from "./mock-casts.js";
import { isCompleteDataRecord, isExpectedToFail, isInvalidInput, isOverloadArgument, isRealValue } from "./real-values.js";

/**
 * permissive-mock: in test files, a value cast to an interface or class type through `any` /
 * `unknown` (`x as unknown as T`, `x as any as T`, `<T><any>x`, or `x as any` where a `T` is
 * expected), when the value is not a `T`: the cast hides the mismatch, so the test keeps passing
 * when `T` changes under it. A cast that hides nothing (the value already is a `T`) is not reported.
 */
export default defineCheck({
  id: "permissive-mock",
  meta: {
    description: "Reports test values cast to an interface or class type through `any` / `unknown`, which hides interface mismatches.",
    defaultSeverity: "warn",
  },
  messages: {
    castThroughAny:
      "`{expression}` is cast to `{type}` through `{via}`, so the compiler no longer checks this mock against `{type}` and a changed `{type}` will not fail the test. Type the mock instead: an object literal `satisfies Partial<{type}>` returned by a typed factory, or `vi.mocked()` on a real `{type}`.",
    castHidesNothing:
      "`{expression}` already is a `{type}` but is cast to it through `{via}`, so a changed `{type}` will not fail the test. Write `{expression} satisfies {type}` instead of the cast.",
    anyInTypedSlot:
      "`{expression} as any` is used where `{type}` is expected, so the compiler no longer checks this mock against `{type}` and a changed `{type}` will not fail the test. Type the mock instead: an object literal `satisfies {type}` (or `Partial<{type}>` from a typed factory), or `vi.mocked()` on a real `{type}`.",
  },
  options: noOptions,
  check({ sourceFile, checker, settings, report }) {
    if (!settings.isTestFile(sourceFile.fileName) || isGeneratedFile(sourceFile)) return;
    const visit = (node: ts.Node): void => {
      if (isCast(node) && isOutermostCast(node)) {
        const finding = findPermissiveCast(node, checker, settings.isTestFile);
        if (finding) {
          const expression = describeNode(finding.source, 40, sourceFile);
          report({ node, messageId: finding.messageId, data: { expression, type: finding.type, via: finding.via } });
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(sourceFile);
  },
});

interface PermissiveCast {
  messageId: "castThroughAny" | "anyInTypedSlot" | "castHidesNothing";
  source: ts.Expression;
  type: string;
  via: string;
}

/** The target a cast chain escapes to through `any`/`unknown`, if the cast hides what the value is. */
function findPermissiveCast(outer: Cast, checker: ts.TypeChecker, isTestFile: (fileName: string) => boolean): PermissiveCast | undefined {
  const { casts, source } = getCastChain(outer);
  const via = casts
    .slice(1)
    .map(getEscapeKeyword)
    .find((k) => k !== undefined);
  let target: ts.Type;
  let messageId: PermissiveCast["messageId"];
  if (casts.length > 1 && via && getEscapeKeyword(outer) === undefined) {
    target = checker.getTypeFromTypeNode(outer.type);
    messageId = "castThroughAny";
  } else if (casts.length === 1 && getEscapeKeyword(outer) === "any") {
    const slot = checker.getContextualType(getValueNode(outer));
    if (!slot || isOverloadArgument(getValueNode(outer), checker)) return undefined;
    target = checker.getNonNullableType(slot);
    messageId = "anyInTypedSlot";
  } else {
    return undefined;
  }
  if (isNullishLiteral(source) || !isMockTargetType(target, checker)) return undefined;
  const sourceType = checker.getTypeAtLocation(source);
  if (isExpectedToFail(outer) && isInvalidInput(source, sourceType, isTestFile)) return undefined;
  const type = checker.typeToString(target);
  if (!ts.isObjectLiteralExpression(skipParentheses(source))) {
    // Any other value is left alone when it is assignable to the target or a real value. The name-level
    // test goes first: the relation may compare two large declarations member by member (a rule module
    // against a second copy of ESLint's RuleModule types: seconds of checker time) only to reach the same verdict.
    if (isRealValue(source, sourceType, target, checker, isTestFile) || checker.isTypeAssignableTo(sourceType, target)) return undefined;
    return { messageId, source, type, via: via ?? "any" };
  }
  if (checker.isTypeAssignableTo(sourceType, target)) return { messageId: "castHidesNothing", source, type, via: via ?? "any" };
  if (isRealValue(source, sourceType, target, checker, isTestFile) || isCompleteDataRecord(source, sourceType, target, checker)) return undefined;
  return { messageId, source, type, via: via ?? "any" };
}

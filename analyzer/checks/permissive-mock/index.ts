import ts from "typescript";
import { isNullishLiteral } from "../shared/nodes.js";
import { defineCheck, noOptions } from "../define-check.js";
import { describeNode } from "../shared/text.js";
import { type Cast, getCastChain, getEscapeKeyword, getValueNode, isCast, isGeneratedFile, isMockTargetType, isOutermostCast } from "./mock-casts.js";

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
    anyInTypedSlot:
      "`{expression} as any` is used where `{type}` is expected, so the compiler no longer checks this mock against `{type}` and a changed `{type}` will not fail the test. Type the mock instead: an object literal `satisfies {type}` (or `Partial<{type}>` from a typed factory), or `vi.mocked()` on a real `{type}`.",
  },
  options: noOptions,
  check({ sourceFile, checker, settings, report }) {
    if (!settings.isTestFile(sourceFile.fileName) || isGeneratedFile(sourceFile)) return;
    const visit = (node: ts.Node): void => {
      if (isCast(node) && isOutermostCast(node)) {
        const finding = findPermissiveCast(node, checker);
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
  messageId: "castThroughAny" | "anyInTypedSlot";
  source: ts.Expression;
  type: string;
  via: string;
}

/** The target a cast chain escapes to through `any`/`unknown`, if the value is not assignable to it. */
function findPermissiveCast(outer: Cast, checker: ts.TypeChecker): PermissiveCast | undefined {
  const { casts, source } = getCastChain(outer);
  const via = casts.slice(1).map(getEscapeKeyword).find((k) => k !== undefined);
  if (casts.length > 1 && via && getEscapeKeyword(outer) === undefined) {
    const target = checker.getTypeFromTypeNode(outer.type);
    return hidesMismatch(source, target, checker) ? { messageId: "castThroughAny", source, type: checker.typeToString(target), via } : undefined;
  }
  if (casts.length === 1 && getEscapeKeyword(outer) === "any") {
    const slot = checker.getContextualType(getValueNode(outer));
    if (!slot) return undefined;
    const target = checker.getNonNullableType(slot);
    return hidesMismatch(source, target, checker) ? { messageId: "anyInTypedSlot", source, type: checker.typeToString(target), via: "any" } : undefined;
  }
  return undefined;
}

function hidesMismatch(source: ts.Expression, target: ts.Type, checker: ts.TypeChecker): boolean {
  if (isNullishLiteral(source)) return false;
  return isMockTargetType(target, checker) && !checker.isTypeAssignableTo(checker.getTypeAtLocation(source), target);
}

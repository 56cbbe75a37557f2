import ts from "typescript";
import { type Check, defineCheck, noOptions } from "../../analyzer/checks/define-check.js";
import type { RuleId } from "../../analyzer/checks/rule-ids.js";

// Small real checks over real programs, registered through runCheck's `checks` seam, so the engine
// is tested independently of the product checks being written in parallel.

function calleeName(node: ts.CallExpression): string | undefined {
  return ts.isIdentifier(node.expression) ? node.expression.text : undefined;
}

function forEachCall(sourceFile: ts.SourceFile, visit: (call: ts.CallExpression) => void): void {
  const walk = (node: ts.Node): void => {
    if (ts.isCallExpression(node)) visit(node);
    ts.forEachChild(node, walk);
  };
  walk(sourceFile);
}

/** Reports calls of functions named `forbidden` whose declaration returns a Promise (uses the checker). */
export const forbiddenCall = defineCheck({
  id: "forbidden-call" as RuleId,
  meta: { description: "Calls of `forbidden`.", defaultSeverity: "error" },
  messages: { call: "`{name}()` is forbidden here: it returns {type}. Call `allowed()` instead." },
  options: noOptions,
  check({ sourceFile, checker, report }) {
    forEachCall(sourceFile, (call) => {
      const name = calleeName(call);
      if (name !== "forbidden") return;
      const type = checker.typeToString(checker.getTypeAtLocation(call));
      report({ node: call, messageId: "call", data: { name, type }, symbol: name });
    });
  },
});

/** Reports `mock()` calls in test files (per settings.isTestFile), at warn. */
export const mockInTests = defineCheck({
  id: "mock-in-tests" as RuleId,
  meta: { description: "mock() in test files.", defaultSeverity: "warn" },
  messages: { mock: "`mock()` in a test file. Use a typed fake." },
  options: noOptions,
  check({ sourceFile, settings, report }) {
    if (!settings.isTestFile(sourceFile.fileName)) return;
    forEachCall(sourceFile, (call) => {
      if (calleeName(call) === "mock") report({ node: call, messageId: "mock" });
    });
  },
});

/** Throws on any file that calls `explode()`. */
export const explodes = defineCheck({
  id: "explodes" as RuleId,
  meta: { description: "Throws.", defaultSeverity: "error" },
  messages: { never: "never" },
  options: noOptions,
  check({ sourceFile }) {
    forEachCall(sourceFile, (call) => {
      if (calleeName(call) === "explode") throw new Error(`cannot handle ${call.getText(sourceFile)}`);
    });
  },
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each check's options type is its own zod schema's (a check's `check` takes its options contravariantly)
export const testChecks: Record<string, Check<string, any>> = {
  "forbidden-call": forbiddenCall,
  "mock-in-tests": mockInTests,
  explodes,
};

/** Reports, at each file's first statement, the contracts the engine passed in settings (name and bound keys). */
export const contractsSeen = defineCheck({
  id: "contracts-seen" as RuleId,
  meta: { description: "Lists the loaded contracts.", defaultSeverity: "warn" },
  messages: { seen: "{contracts}" },
  options: noOptions,
  check({ sourceFile, settings, report }) {
    const first = sourceFile.statements[0];
    if (!first || settings.contracts.length === 0) return;
    const list = (settings.contracts as { contract: { name: string }; bindings?: Record<string, unknown> }[]).map(
      (c) => `${c.contract.name}[${Object.keys(c.bindings ?? {}).join(",")}]`,
    );
    report({ node: first, messageId: "seen", data: { contracts: list.join(" ") } });
  },
});

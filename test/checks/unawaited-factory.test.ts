import ts from "typescript";
import { defaultCheckSettings } from "../../analyzer/checks/define-check.js";
import check from "../../analyzer/checks/unawaited-factory/index.js";
import { runCheckOnCase } from "../utils/check-tester.js";
import { runRuleTable } from "../utils/rule-table.js";
import { createVirtualProgram, VIRTUAL_ROOT } from "../utils/program.js";
import table from "./unawaited-factory.cases.js";

runRuleTable(check, table);

const ENV = `
interface UserEmitter { notifyAgentStarted(runId: string): void }
declare function createUserEmitter(ctx: string): Promise<UserEmitter>;
`;

describe("unawaited-factory findings", () => {
  it("names the call, the promise, the value and the slot (the seed incident)", () => {
    const code = [
      "class AgentRunner {",
      "  private emitter: any;",
      "  async start(ctx: string) {",
      "    this.emitter = createUserEmitter(ctx);",
      "  }",
      "  run(id: string) {",
      "    this.emitter?.notifyAgentStarted(id);",
      "  }",
      "}",
    ].join("\n");
    const [finding, ...rest] = runCheckOnCase(check, { code, files: { "src/env.d.ts": ENV } });
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({
      ruleId: "unawaited-factory",
      line: 4,
      column: 20,
      endLine: 4,
      endColumn: 42,
      symbol: "createUserEmitter",
      severity: "error",
    });
    expect(finding!.message).toBe(
      "`createUserEmitter(ctx)` returns `Promise<UserEmitter>`, but its value is assigned to `this.emitter`, typed `any`, as if it were the `UserEmitter` it resolves to: " +
        "whoever reads it gets a Promise, so its methods are missing and calls behind `?.` or a type check silently never run. Await the call to pass on the `UserEmitter`.",
    );
    expect(finding!.suggestions).toEqual([
      {
        messageId: "addAwait",
        message: "Await `createUserEmitter(ctx)`.",
        edits: [{ start: code.indexOf("createUserEmitter"), end: code.indexOf("createUserEmitter"), text: "await " }],
      },
    ]);
  });

  it("reports a misused local once, at the call, with every misuse as a related location", () => {
    const code = [
      "async function start(ctx: string) {",
      "  const emitter = createUserEmitter(ctx);",
      "  if (!emitter) return;",
      "  if ('notifyAgentStarted' in emitter) return;",
      "  const again = emitter;",
      "  return again ?? undefined;",
      "}",
    ].join("\n");
    const findings = runCheckOnCase(check, { code, files: { "src/env.d.ts": ENV } });
    expect(findings.map((f) => [f.line, f.column, f.messageId])).toEqual([[2, 19, "truthiness"]]);
    expect(findings[0]!.message).toContain("but `emitter` (which holds it) is tested for truthiness");
    expect(findings[0]!.related.map((r) => [r.line, r.column, r.message])).toEqual([
      [3, 7, "`emitter` used as the `UserEmitter` here"],
      [4, 7, "`emitter` used as the `UserEmitter` here"],
      [6, 10, "`again` used as the `UserEmitter` here"],
    ]);
  });

  it("names the callback type when the promise is returned from a void callback", () => {
    const code = "declare function onIdle(listener: (idleMs: number) => void): void;\nonIdle(() => createUserEmitter('c'));\n";
    const [finding, ...rest] = runCheckOnCase(check, { code, files: { "src/env.d.ts": ENV } });
    expect(rest).toEqual([]);
    expect(finding!.message).toBe(
      "`createUserEmitter('c')` returns `Promise<UserEmitter>`, but its value is returned from a callback typed to return `void` (`(idleMs: number) => void`): " +
        "its caller drops it, so the `UserEmitter` it makes is never used and a rejection goes unhandled. Await it in an async callback and handle its errors, or write `void` before the call to discard it on purpose.",
    );
    expect(finding!.suggestions).toBeUndefined();
  });

  it("asks for no types where the syntax already settles the use (awaited, chained, voided)", () => {
    const lines = Array.from(
      { length: 50 },
      (_, i) =>
        `  const e${i} = await createUserEmitter("c${i}");\n  createUserEmitter("d${i}").then((e) => e, () => undefined);\n  void createUserEmitter("v${i}");`,
    );
    const program = createVirtualProgram({ "src/env.d.ts": ENV, "src/file.ts": `export async function f() {\n${lines.join("\n")}\n}\n` });
    const real = program.getTypeChecker();
    let typeQueries = 0;
    const counting = new Proxy(real, {
      get(target, key, receiver) {
        const value = Reflect.get(target, key, receiver);
        if (key === "getTypeAtLocation" || key === "getResolvedSignature" || key === "getContextualType") {
          return (...args: unknown[]) => {
            typeQueries++;
            return (value as (...a: unknown[]) => unknown).apply(target, args);
          };
        }
        return value;
      },
    });
    const sourceFile = program.getSourceFile(`${VIRTUAL_ROOT}/src/file.ts`)!;
    const reported: unknown[] = [];
    check.check({ ts, program, checker: counting, sourceFile, options: {}, settings: defaultCheckSettings, report: (d) => reported.push(d) });
    expect(reported).toEqual([]);
    expect(typeQueries).toBe(0);
  });
});

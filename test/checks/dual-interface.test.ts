import fs from "node:fs";
import path from "node:path";
import dualInterface, { dualInterfaceOptions } from "../../analyzer/checks/dual-interface/index.js";
import { defaultCheckSettings } from "../../analyzer/checks/define-check.js";
import { runChecksOnFile } from "../../analyzer/engine/run-checks.js";
import { runCheckOnCase } from "../utils/check-tester.js";
import { runRuleTable } from "../utils/rule-table.js";
import { createVirtualProgram, getProgramErrors, testCompilerOptions, VIRTUAL_ROOT } from "../utils/program.js";
import table from "./dual-interface.cases.js";

runRuleTable(dualInterface, table);

describe("dual-interface without strictPropertyInitialization", () => {
  const run = (code: string) => {
    const program = createVirtualProgram({ "src/file.ts": code }, { ...testCompilerOptions, strict: false, experimentalDecorators: true });
    expect(getProgramErrors(program)).toEqual([]);
    const sourceFile = program.getSourceFile(`${VIRTUAL_ROOT}/src/file.ts`)!;
    const checks = [{ check: dualInterface, severity: dualInterface.meta.defaultSeverity, options: dualInterface.options.parse({}) }];
    return runChecksOnFile(sourceFile, checks, { program, checker: program.getTypeChecker(), settings: defaultCheckSettings, cwd: VIRTUAL_ROOT }).map(
      (f) => `${f.line}:${f.column} ${f.messageId}`,
    );
  };
  const types = `export interface AuthService { login(user: string): Promise<void> }
export interface AuthClient { request(path: string): Promise<string> }
declare function Inject(token: string): PropertyDecorator;
declare function Autowired(): PropertyDecorator;
declare function Optional(): PropertyDecorator;
`;

  it("fields set by an injection decorator are collaborators, not alternatives", () => {
    expect(
      run(`${types}export class LoginController {
  @Inject("auth") private authService: AuthService;
  @Autowired() private authClient: AuthClient;
}
`),
    ).toEqual([]);
  });

  it("plain fields nothing guarantees to set, or an @Optional() one, are still a pair", () => {
    expect(
      run(`${types}export class LoginController {
  private authService: AuthService;
  private authClient: AuthClient;
}
`),
    ).toEqual(["8:11 parallelApi"]);
    expect(
      run(`${types}export class LoginController {
  @Inject("auth") private authService: AuthService;
  @Optional() @Inject("client") private authClient: AuthClient;
}
`),
    ).toEqual(["8:41 parallelApi"]);
  });
});

describe("dual-interface back-compat tests follow the run's tests globs", () => {
  it("one program, two runs: a call in a back-compat test is reported only when its file is not a test file", () => {
    const files = {
      "src/client.ts": `export class Client {
  /** @deprecated Use {@link Client.getDevice} instead. */
  device(): string { return "d"; }
  getDevice(): Promise<string> { return Promise.resolve("d"); }
}
`,
      "src/client.test.ts": `import { Client } from "./client.js";
declare function it(name: string, fn: () => void): void;
it("device() still works", () => { new Client().device(); });
`,
    };
    const program = createVirtualProgram(files, testCompilerOptions);
    expect(getProgramErrors(program)).toEqual([]);
    const sourceFile = program.getSourceFile(`${VIRTUAL_ROOT}/src/client.test.ts`)!;
    const checks = [{ check: dualInterface, severity: dualInterface.meta.defaultSeverity, options: dualInterface.options.parse({}) }];
    const run = (isTestFile: (fileName: string) => boolean) =>
      runChecksOnFile(sourceFile, checks, {
        program,
        checker: program.getTypeChecker(),
        settings: { ...defaultCheckSettings, isTestFile },
        cwd: VIRTUAL_ROOT,
      }).map((f) => `${f.line}:${f.column} ${f.messageId} ${f.data.moved}/${f.data.total}`);
    expect(run(defaultCheckSettings.isTestFile)).toEqual([]);
    expect(run(() => false)).toEqual(["3:36 deprecatedCall 0/1"]);
    expect(run(defaultCheckSettings.isTestFile)).toEqual([]);
  });
});

// The docs' ❌ blocks must each yield a finding and its ✅ blocks none (the same check the meta-test
// makes for every rule), and the migration example must report what the text says it does.
const docs = fs.readFileSync(path.resolve(import.meta.dirname, "../../docs/rules/dual-interface.md"), "utf8");

function tsBlocksUnder(heading: string): string[] {
  const start = docs.indexOf(`\n${heading}\n`);
  if (start < 0) throw new Error(`docs: no "${heading}" section`);
  const end = docs.slice(start + heading.length + 2).search(/\n#{2,3} /);
  const section = end < 0 ? docs.slice(start) : docs.slice(start, start + heading.length + 2 + end);
  return [...section.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!);
}

describe("docs/rules/dual-interface.md", () => {
  it.each(tsBlocksUnder("### ❌ Incorrect").map((code, i) => [i, code]))("❌ block #%i reports", (_i, code) => {
    expect(runCheckOnCase(dualInterface, { code }).length).toBeGreaterThan(0);
  });
  it.each(tsBlocksUnder("### ✅ Correct").map((code, i) => [i, code]))("✅ block #%i reports nothing", (_i, code) => {
    expect(runCheckOnCase(dualInterface, { code }).map((f) => f.message)).toEqual([]);
  });
  it("the migration example reports three uses", () => {
    const [code] = tsBlocksUnder("## Configuration: migrations");
    const findings = runCheckOnCase(dualInterface, {
      code: code!,
      files: { "src/websocket-manager.ts": "export class WebSocketManager {\n  sendToUser(userId: string): void {}\n}\n" },
      settings: { migrations: [{ from: "WebSocketManager", to: "AgentWebSocketBridge" }] },
    });
    expect(findings.map((f) => `${f.line}:${f.column} ${f.messageId}`)).toEqual(["4:20 migrationUse", "4:43 migrationUse", "6:37 migrationUse"]);
  });
  it("documents every option with its description", () => {
    for (const [key, schema] of Object.entries(dualInterfaceOptions.shape)) {
      expect(docs).toContain(`| \`${key}\` |`);
      expect(docs).toContain(schema.description!);
    }
  });
});

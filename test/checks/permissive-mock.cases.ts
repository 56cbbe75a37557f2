import type { CheckTable } from "../utils/check-tester.js";

// Shared declarations, one line appended to the cases that use them (so case lines count from the code).
const decls =
  "interface Repo { find(id: string): Promise<string | undefined>; save(id: string, value: string): Promise<void> } declare class Service { constructor(repo: Repo); readonly repo: Repo } declare class Clock { now(): number } declare const vi: { fn(): ((...args: any[]) => any) & { mockReturnValue(value: unknown): void } };";

const TEST = "src/service.test.ts";

const table: CheckTable = {
  valid: [
    // `satisfies` and typed object literals are checked.
    { filename: TEST, code: `const repo = { find: vi.fn(), save: vi.fn() } satisfies Repo;\nnew Service(repo);\n${decls}` },
    { filename: TEST, code: `const repo: Repo = { find: async () => undefined, save: async () => {} };\nnew Service(repo);\n${decls}` },
    { filename: TEST, code: `const partial = { find: vi.fn() } satisfies Partial<Repo>;\nnew Service({ ...partial, save: vi.fn() });\n${decls}` },
    // A direct `as T` from an object literal is (partly) checked by TypeScript.
    { filename: TEST, code: `const repo = {} as Repo;\nnew Service(repo);\n${decls}` },
    // The same casts outside test files are not this rule's business.
    { filename: "src/service.ts", code: `export const repo = {} as unknown as Repo;\nexport const service = new Service(vi.fn() as any);\n${decls}` },
    { filename: "src/testing.ts", code: `export const clock = <Clock><any>{ now: () => "never" };\n${decls}` },
    // Casts to primitives, index-signature types, `any`, function types and type parameters.
    { filename: TEST, code: `const id = 42 as unknown as string;\nconst bag = {} as any as Record<string, number>;\nconst anything = (id as any) as any;\nexport { bag, anything };` },
    { filename: TEST, code: `const onFind = vi.fn() as unknown as (id: string) => void;\nonFind("a");\n${decls}` },
    { filename: TEST, code: `export function mock<T>(partial: Partial<T>): T {\n  return partial as unknown as T;\n}` },
    // `as any` whose value goes nowhere typed: poking a private, a generic assertion helper, `unknown`.
    {
      filename: TEST,
      code: `declare function expect<T>(value: T): { toBe(expected: T): void };\ndeclare function inspect(value: unknown): void;\nconst service = new Service({ find: vi.fn(), save: vi.fn() });\n(service as any).repo = undefined;\nexpect(service as any).toBe(service);\ninspect(service as unknown);\n${decls}`,
    },
    // Casts that hide nothing: the value already is a `T`; parsed JSON is `any` from the start.
    { filename: TEST, code: `declare function makeRepo(): Repo;\nconst real = makeRepo();\nconst again = real as unknown as Repo;\nnew Service(again);\n${decls}` },
    { filename: TEST, code: `const repo = JSON.parse("{}") as unknown as Repo;\nnew Service(repo);\n${decls}` },
    { filename: "src/__tests__/fixtures.ts", code: `export const repo = { find: vi.fn(), save: vi.fn() } satisfies Repo;\n${decls}` },
  ],
  invalid: [
    {
      filename: TEST,
      code: `const repo = {} as unknown as Repo;\nnew Service(repo);\n${decls}`,
      errors: [{ messageId: "castThroughAny", line: 1, column: 14, data: { expression: "{}", type: "Repo", via: "unknown" } }],
    },
    {
      filename: TEST,
      code: `const repo = { find: vi.fn() } as any as Repo;\nnew Service(repo);\n${decls}`,
      errors: [{ messageId: "castThroughAny", line: 1, column: 14, data: { type: "Repo", via: "any" } }],
    },
    {
      filename: TEST,
      code: `const repo = <Repo><any>{ find: vi.fn() };\nnew Service(repo);\n${decls}`,
      errors: [{ messageId: "castThroughAny", line: 1, column: 14, data: { via: "any" } }],
    },
    {
      filename: TEST,
      code: `const service = new Service(vi.fn() as any);\n${decls}`,
      errors: [{ messageId: "anyInTypedSlot", line: 1, column: 29, data: { expression: "vi.fn()", type: "Repo" } }],
    },
    {
      filename: TEST,
      code: `const repo: Repo = {} as any;\nnew Service(repo);\n${decls}`,
      errors: [{ messageId: "anyInTypedSlot", line: 1, column: 20 }],
    },
    {
      filename: TEST,
      code: `const deps: { repo: Repo; clock: Clock } = {\n  repo: { find: vi.fn() } as any,\n  clock: new Clock(),\n};\n${decls}`,
      errors: [{ messageId: "anyInTypedSlot", line: 2, column: 9, data: { type: "Repo" } }],
    },
    {
      filename: TEST,
      code: `function makeRepo(): Repo {\n  return { find: vi.fn() } as any;\n}\nnew Service(makeRepo());\n${decls}`,
      errors: [{ messageId: "anyInTypedSlot", line: 2, column: 10 }],
    },
    {
      filename: TEST,
      code: `function use(repo?: Repo) {\n  return repo;\n}\nuse(({}) as any);\n${decls}`,
      errors: [{ messageId: "anyInTypedSlot", line: 4, column: 5, data: { type: "Repo" } }],
    },
    {
      name: "a class type, with a wrong member type",
      filename: TEST,
      code: `const clock = { now: () => "noon" } as unknown as Clock;\nclock.now();\n${decls}`,
      errors: [{ messageId: "castThroughAny", line: 1, column: 15, data: { type: "Clock" } }],
    },
    {
      filename: TEST,
      code: `const repos = [{}] as unknown as Repo[];\nrepos.map((r) => new Service(r));\n${decls}`,
      errors: [{ messageId: "castThroughAny", line: 1, column: 15, data: { type: "Repo[]" } }],
    },
    {
      name: "a helper under test/",
      filename: "test/helpers.ts",
      code: `export const service = new Service({} as any);\n${decls}`,
      errors: [{ messageId: "anyInTypedSlot", line: 1, column: 36 }],
    },
    {
      name: "a .spec.ts file",
      filename: "src/service.spec.ts",
      code: `export const clock = {} as unknown as Clock;\n${decls}`,
      errors: [{ messageId: "castThroughAny", line: 1, column: 22 }],
    },
    {
      name: "a file under __tests__",
      filename: "src/__tests__/service.ts",
      code: `export const repo = { find: vi.fn() } as unknown as Repo;\n${decls}`,
      errors: [{ messageId: "castThroughAny", line: 1, column: 21 }],
    },
    {
      filename: TEST,
      code: `type Deps = { repo: Repo; clock: Clock };\nconst repo = { find: vi.fn(), save: vi.fn() } satisfies Repo;\nconst deps = { repo } as unknown as Deps;\nexport { deps };\n${decls}`,
      errors: [{ messageId: "castThroughAny", line: 3, column: 14, data: { type: "Deps" } }],
    },
    {
      filename: TEST,
      code: `const repo = (({}) as unknown) as Repo;\nnew Service(repo);\n${decls}`,
      errors: [{ messageId: "castThroughAny", line: 1, column: 14 }],
    },
    {
      name: "two mocks in one call",
      filename: TEST,
      code: `function wire(repo: Repo, clock: Clock) {\n  return { repo, clock };\n}\nwire(vi.fn() as any, {} as unknown as Clock);\n${decls}`,
      errors: [
        { messageId: "anyInTypedSlot", line: 4, column: 6 },
        { messageId: "castThroughAny", line: 4, column: 22 },
      ],
    },
    {
      name: "the interface from another file",
      filename: "src/agent.test.ts",
      code: `import type { AgentBridge } from "./bridge.js";\nimport { Agent } from "./agent.js";\nconst agent = new Agent({ emit: () => 1 } as unknown as AgentBridge);\nexport { agent };`,
      files: {
        "src/bridge.ts": "export interface AgentBridge { emit(event: string): void; close(): void }\n",
        "src/agent.ts": 'import type { AgentBridge } from "./bridge.js";\nexport class Agent { constructor(readonly bridge: AgentBridge) {} }\n',
      },
      errors: [{ messageId: "castThroughAny", line: 3, column: 25, data: { type: "AgentBridge" } }],
    },
  ],
};

export default table;

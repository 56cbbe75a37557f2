import type { CheckTable } from "../utils/check-tester.js";

// Ambient declarations every case sees (a .d.ts beside the file under test, so case lines start at 1).
const ENV = `
interface UserEmitter { notifyAgentStarted(runId: string): void; readonly userId: string }
interface UserRecord { id: string; name: string; tags: string[] }
declare class EmitterImpl implements UserEmitter { notifyAgentStarted(runId: string): void; readonly userId: string }
declare function createUserEmitter(ctx: string): Promise<UserEmitter>;
declare function findEmitter(ctx: string): Promise<UserEmitter | undefined>;
declare function loadUser(id: string): Promise<UserRecord>;
declare function loadIds(): Promise<string[]>;
declare function countUsers(): Promise<number>;
declare function save(): Promise<void>;
declare function loadHandlers(): Promise<Map<string, () => void>>;
declare function loadCallback(): Promise<() => void>;
declare function loadAnything(): Promise<any>;
declare function register(name: string, service: unknown): void;
declare function registerAny(name: string, service: any): void;
declare function registerObject(service: object): void;
declare function registerEmpty(service: {}): void;
declare function registerGeneric<T>(name: string, service: T): void;
declare function registerObjectLike<T extends object>(service: T): void;
declare function identity<T>(value: T): T;
declare function wrap<T>(value: T): { value: T };
declare function log(...args: unknown[]): void;
declare function track(p: Promise<unknown>): void;
declare function trackLike(p: PromiseLike<unknown> | undefined): void;
declare function adopt<T>(value: T | PromiseLike<T>): void;
declare function configure(options: { emitter: unknown; name: string }): void;
declare function configureAsync(options: { emitter: Promise<UserEmitter> }): void;
declare function onEvent(listener: () => void): void;
declare function expectValue<T>(actual: T): { resolves: { toBeDefined(): Promise<void> }; toBe(expected: T): void };
declare const ctx: string;
declare const cond: boolean;
declare const registry: Map<string, unknown>;
declare const typedRegistry: Map<string, Promise<UserEmitter>>;
declare const locals: Record<string, any>;
declare const untyped: any;
declare const fallback: UserEmitter;
`;

const files = { "src/env.d.ts": ENV };

/** A finding whose only suggestion adds `await` (the expected output is given in full). */
function withAwait(messageId: string, line: number, column: number, output: string) {
  return { messageId, line, column, suggestions: [{ messageId: "addAwait", output }] };
}

/** A finding where `await` cannot be offered (non-async function, field initializer, CommonJS top level). */
function noFix(messageId: string, line: number, column: number) {
  return { messageId, line, column, suggestions: [] };
}

const table: CheckTable = {
  valid: [
    // awaited, in every shape
    {
      name: "const emitter = await createUserEmitter(ctx)",
      code: `async function f() {
  const emitter = await createUserEmitter(ctx);
  if (emitter) emitter.notifyAgentStarted("r");
}`,
      files,
    },
    {
      name: 'register("e", await createUserEmitter(ctx))',
      code: `async function f() {
  register("e", await createUserEmitter(ctx));
}`,
      files,
    },
    {
      name: '(await createUserEmitter(ctx)).notifyAgentStarted("r")',
      code: `async function f() {
  (await createUserEmitter(ctx)).notifyAgentStarted("r");
}`,
      files,
    },
    {
      name: "const pending = createUserEmitter(ctx)",
      code: `async function f() {
  const pending = createUserEmitter(ctx);
  const emitter = await pending;
  emitter.notifyAgentStarted("r");
}`,
      files,
    },
    {
      name: "const p = createUserEmitter(ctx)",
      code: `async function f() {
  const p = createUserEmitter(ctx);
  const q = p;
  register("e", await q);
}`,
      files,
    },
    // returned: from an async function, from an unannotated one, from one declared Promise
    {
      name: "return createUserEmitter(ctx)",
      code: `async function make(): Promise<UserEmitter> {
  return createUserEmitter(ctx);
}`,
      files,
    },
    {
      name: "return cond ? createUserEmitter(ctx) : fallback",
      code: `async function make() {
  return cond ? createUserEmitter(ctx) : fallback;
}`,
      files,
    },
    {
      name: "return createUserEmitter(ctx) (2)",
      code: `function make() {
  return createUserEmitter(ctx);
}`,
      files,
    },
    {
      name: "return createUserEmitter(ctx) (3)",
      code: `function make(): Promise<UserEmitter> {
  return createUserEmitter(ctx);
}`,
      files,
    },
    {
      name: "return createUserEmitter(ctx) (4)",
      code: `function make(): PromiseLike<unknown> {
  return createUserEmitter(ctx);
}`,
      files,
    },
    {
      name: "const make = (c: string) => createUserEmitter(c)",
      code: `const make = (c: string) => createUserEmitter(c);`,
      files,
    },
    {
      name: "const make = async (c: string): Promise<unknown> => createUserEmitter(c)",
      code: `const make = async (c: string): Promise<unknown> => createUserEmitter(c);`,
      files,
    },
    // handled with then / catch / finally
    {
      name: 'createUserEmitter(ctx).then((e) => e.notifyAgentStarted("r"))',
      code: `createUserEmitter(ctx).then((e) => e.notifyAgentStarted("r"));`,
      files,
    },
    {
      name: "createUserEmitter(ctx).catch(() => undefined)",
      code: `createUserEmitter(ctx).catch(() => undefined);`,
      files,
    },
    {
      name: "createUserEmitter(ctx).finally(() => undefined).catch(() => undefined)",
      code: `createUserEmitter(ctx).finally(() => undefined).catch(() => undefined);`,
      files,
    },
    {
      name: 'createUserEmitter(ctx).then((e) => e, () => fallback).then((e) => register("e", e))',
      code: `createUserEmitter(ctx).then((e) => e, () => fallback).then((e) => register("e", e));`,
      files,
    },
    {
      name: "const p = createUserEmitter(ctx) (2)",
      code: `async function f() {
  const p = createUserEmitter(ctx);
  p.then((e) => e.notifyAgentStarted("r"), () => undefined);
}`,
      files,
    },
    // Promise combinators
    {
      name: 'const [a, b] = await Promise.all([createUserEmitter(ctx), createUserEmitter("other")])',
      code: `async function f() {
  const [a, b] = await Promise.all([createUserEmitter(ctx), createUserEmitter("other")]);
  a.notifyAgentStarted(b.userId);
}`,
      files,
    },
    {
      name: "await Promise.allSettled([createUserEmitter(ctx)])",
      code: `async function f() {
  await Promise.allSettled([createUserEmitter(ctx)]);
  await Promise.race([createUserEmitter(ctx), createUserEmitter("b")]);
  await Promise.any([createUserEmitter(ctx)]);
}`,
      files,
    },
    {
      name: "const p = Promise.resolve(createUserEmitter(ctx))",
      code: `const p = Promise.resolve(createUserEmitter(ctx));
p.catch(() => undefined);`,
      files,
    },
    {
      name: "const p = new Promise<UserEmitter>((resolve) => resolve(createUserEmitter(ctx)))",
      code: `const p = new Promise<UserEmitter>((resolve) => resolve(createUserEmitter(ctx)));
void p;`,
      files,
    },
    // explicit discard
    {
      name: "void createUserEmitter(ctx)",
      code: `void createUserEmitter(ctx);`,
      files,
    },
    {
      name: "void createUserEmitter(ctx) (2)",
      code: `function f() {
  void createUserEmitter(ctx);
}`,
      files,
    },
    // Promise-typed slots
    {
      name: "track(createUserEmitter(ctx))",
      code: `track(createUserEmitter(ctx));`,
      files,
    },
    {
      name: "trackLike(cond ? createUserEmitter(ctx) : undefined)",
      code: `trackLike(cond ? createUserEmitter(ctx) : undefined);`,
      files,
    },
    {
      name: "adopt(createUserEmitter(ctx))",
      code: `adopt(createUserEmitter(ctx));`,
      files,
    },
    {
      name: 'typedRegistry.set("e", createUserEmitter(ctx))',
      code: `typedRegistry.set("e", createUserEmitter(ctx));`,
      files,
    },
    {
      name: "const p: Promise<UserEmitter> = createUserEmitter(ctx)",
      code: `const p: Promise<UserEmitter> = createUserEmitter(ctx);
void p;`,
      files,
    },
    {
      name: "let p: Promise<UserEmitter> | undefined",
      code: `let p: Promise<UserEmitter> | undefined;
p = createUserEmitter(ctx);`,
      files,
    },
    {
      name: "start() { return [this.ready, this.pending]; }",
      code: `class Session {
  private ready: Promise<UserEmitter> = createUserEmitter(ctx);
  private pending = createUserEmitter(ctx);
  start() { return [this.ready, this.pending]; }
}`,
      files,
    },
    {
      name: "start() { this.emitter = createUserEmitter(ctx); }",
      code: `class Session {
  emitter?: Promise<UserEmitter>;
  start() { this.emitter = createUserEmitter(ctx); }
}`,
      files,
    },
    {
      name: "configureAsync({ emitter: createUserEmitter(ctx) })",
      code: `configureAsync({ emitter: createUserEmitter(ctx) });`,
      files,
    },
    {
      name: "const deps = { emitter: createUserEmitter(ctx) }",
      code: `const deps = { emitter: createUserEmitter(ctx) };
void deps;`,
      files,
    },
    {
      name: 'const all = [createUserEmitter(ctx), createUserEmitter("b")]',
      code: `const all = [createUserEmitter(ctx), createUserEmitter("b")];
void Promise.all(all);`,
      files,
    },
    {
      name: "const cast = createUserEmitter(ctx) as Promise<UserEmitter>",
      code: `const cast = createUserEmitter(ctx) as Promise<UserEmitter>;
void cast;`,
      files,
    },
    {
      name: "const p = createUserEmitter(ctx) (3)",
      code: `const p = createUserEmitter(ctx);
track(p);`,
      files,
    },
    // generic slots whose type flows back to the caller
    {
      name: "const p = identity(createUserEmitter(ctx))",
      code: `async function f() {
  const p = identity(createUserEmitter(ctx));
  (await p).notifyAgentStarted("r");
}`,
      files,
    },
    {
      name: "const boxed = wrap(createUserEmitter(ctx))",
      code: `const boxed = wrap(createUserEmitter(ctx));
void boxed.value;`,
      files,
    },
    {
      name: "await expectValue(createUserEmitter(ctx)).resolves.toBeDefined()",
      code: `async function f() {
  await expectValue(createUserEmitter(ctx)).resolves.toBeDefined();
}`,
      files,
    },
    {
      name: "const merged = Object.assign({}, { emitter: createUserEmitter(ctx) })",
      code: `const merged = Object.assign({}, { emitter: createUserEmitter(ctx) });
void merged;`,
      files,
    },
    {
      name: "const emitters = [ctx].map((c) => createUserEmitter(c))",
      code: `const emitters = [ctx].map((c) => createUserEmitter(c));
void Promise.all(emitters);`,
      files,
    },
    // results that are not factory products: data, arrays, primitives, void, lib types, functions, any
    {
      name: 'loadUser("u1")',
      code: `loadUser("u1");
register("u", loadUser("u2"));
if (!loadUser("u3")) {}`,
      files,
    },
    {
      name: "loadIds()",
      code: `loadIds();
register("ids", loadIds());`,
      files,
    },
    {
      name: "countUsers()",
      code: `countUsers();
register("n", countUsers());`,
      files,
    },
    {
      name: "save()",
      code: `save();
register("s", save());`,
      files,
    },
    {
      name: "loadHandlers()",
      code: `loadHandlers();
register("h", loadHandlers());`,
      files,
    },
    {
      name: "loadCallback()",
      code: `loadCallback();
register("c", loadCallback());`,
      files,
    },
    {
      name: "loadAnything()",
      code: `loadAnything();
register("a", loadAnything());`,
      files,
    },
    // arrays of products and constructors are not factory products (decision, see docs)
    {
      name: "loadEmitters()",
      code: `declare function loadEmitters(): Promise<UserEmitter[]>;
loadEmitters();
register("all", loadEmitters());`,
      files,
    },
    {
      name: "loadEmitterClass()",
      code: `declare function loadEmitterClass(): Promise<typeof EmitterImpl>;
loadEmitterClass();
register("cls", loadEmitterClass());`,
      files,
    },
    {
      name: "a maybe-async result (Promise<T> | T) is already treated as maybe-a-promise",
      code: `declare function maybeAsync(): UserEmitter | Promise<UserEmitter>;
register("m", maybeAsync());`,
      files,
    },
    {
      name: "a thenable that is also a builder is used as the builder on purpose",
      code: `interface Query<T> extends PromiseLike<T> { where(clause: string): Query<T> }
declare function query(): Query<UserEmitter>;
query().where("a = 1");
register("q", query());`,
      files,
    },
    // callbacks whose callers use what they return, or that discard it on purpose
    {
      name: "onEvent(() => void createUserEmitter(ctx))",
      code: `onEvent(() => void createUserEmitter(ctx));`,
      files,
    },
    {
      name: "void later(() => createUserEmitter(ctx))",
      code: `declare function later<T>(make: () => T): T;
void later(() => createUserEmitter(ctx));`,
      files,
    },
    {
      name: "retry(() => createUserEmitter(ctx))",
      code: `declare function retry(make: () => Promise<unknown>): void;
retry(() => createUserEmitter(ctx));`,
      files,
    },
    {
      name: "onReady(() => createUserEmitter(ctx).then(() => undefined))",
      code: `declare function onReady(listener: () => void | Promise<void>): void;
onReady(() => createUserEmitter(ctx).then(() => undefined));`,
      files,
    },
    {
      name: "schedule(() => createUserEmitter(ctx))",
      code: `declare function schedule(task: () => unknown): void;
schedule(() => createUserEmitter(ctx));
schedule(function () { return createUserEmitter(ctx); });`,
      files,
    },
    {
      name: 'onEvent(async () => { (await createUserEmitter(ctx)).notifyAgentStarted("r"); })',
      code: `onEvent(async () => { (await createUserEmitter(ctx)).notifyAgentStarted("r"); });`,
      files,
    },
    {
      name: "untyped callee: no slot type to judge",
      code: `untyped.register(createUserEmitter(ctx));`,
      files,
    },
    // neutral uses
    {
      name: "const p = createUserEmitter(ctx) (4)",
      code: `const p = createUserEmitter(ctx);
const q = createUserEmitter(ctx);
const same = p === q;
void same;`,
      files,
    },
    {
      name: "const p = createUserEmitter(ctx) (5)",
      code: `const p = createUserEmitter(ctx);
if (p instanceof Promise) { void p; }`,
      files,
    },
    {
      name: "yield createUserEmitter(ctx)",
      code: `async function* stream() {
  yield createUserEmitter(ctx);
}`,
      files,
    },
    {
      name: "const p = createUserEmitter(ctx) (6)",
      code: `const p = createUserEmitter(ctx);
export default p;`,
      files,
    },
    {
      name: "export const emitterPromise = createUserEmitter(ctx)",
      code: `export const emitterPromise = createUserEmitter(ctx);`,
      files,
    },
    {
      name: "a promise used where the truthiness test guards its own use (TypeScript's own convention)",
      code: `async function f() {
  const emitter = await findEmitter(ctx);
  if (!emitter) return;
  emitter.notifyAgentStarted("r");
}`,
      files,
    },
    // a call that returns the promise or nothing (a cache lookup, `at`, `find`): testing it asks whether there is one
    {
      name: "const existing = typedRegistry.get(ctx)",
      code: `function connect(): Promise<UserEmitter> {
  const existing = typedRegistry.get(ctx);
  if (existing) return existing;
  const p = createUserEmitter(ctx);
  typedRegistry.set(ctx, p);
  return p;
}`,
      files,
    },
    {
      name: "return typedRegistry.get(ctx) ?? createUserEmitter(ctx)",
      code: `function connect(): Promise<UserEmitter> {
  return typedRegistry.get(ctx) ?? createUserEmitter(ctx);
}`,
      files,
    },
    {
      name: "const p = list.at(0)",
      code: `function first(list: Promise<UserEmitter>[]) {
  const p = list.at(0);
  return p ? p : createUserEmitter(ctx);
}`,
      files,
    },
    {
      name: "return list.at(0) ? 1 : 0",
      code: `function first(list: Promise<UserEmitter>[]) {
  return list.at(0) ? 1 : 0;
}`,
      files,
    },
    {
      name: "let p = typedRegistry.get(key)",
      code: `function pooled(key: string) {
  let p = typedRegistry.get(key);
  if (!p) {
    p = createUserEmitter(key);
    typedRegistry.set(key, p);
  }
  return p;
}`,
      files,
    },
    {
      name: "const p = pendingEmitter()",
      code: `declare function pendingEmitter(): Promise<UserEmitter> | null;
function f() {
  const p = pendingEmitter();
  if (p === null) return undefined;
  return p;
}`,
      files,
    },
    {
      name: "overloads: the synchronous overload returns the emitter itself",
      code: `function open(kind: "sync"): UserEmitter;
function open(kind: "async"): Promise<UserEmitter>;
function open(kind: string): unknown { return kind; }
register("e", open("sync"));`,
      files,
    },
    {
      name: "dynamic import is a module load, not a factory",
      code: `import("./plugin.mjs");
export {};`,
      filename: "src/file.mts",
      files: { ...files, "src/plugin.mts": "export function start(): void {}\n" },
    },
    // async arrow factories, optional calls and top-level await, used correctly
    {
      name: "const makeEmitter = async (c: string) => ({ send(msg: string) { return c + msg; } })",
      code: `const makeEmitter = async (c: string) => ({ send(msg: string) { return c + msg; } });
async function f() {
  register("e", await makeEmitter(ctx));
}`,
      files,
    },
    {
      name: "const e = await factory?.(ctx)",
      code: `declare const factory: ((c: string) => Promise<UserEmitter>) | undefined;
async function f() {
  const e = await factory?.(ctx);
  register("e", e);
}`,
      files,
    },
    {
      name: "const emitter = await createUserEmitter(ctx) (2)",
      code: `const emitter = await createUserEmitter(ctx);
register("e", emitter);
export {};`,
      filename: "src/file.mts",
      files,
    },
    {
      name: "an evolving `let` holds the promise as a promise",
      code: `async function f() {
  let emitter;
  emitter = createUserEmitter(ctx);
  (await emitter).notifyAgentStarted("r");
}`,
      files,
    },
    {
      name: "a local that may hold something else (`cond && make()`): its tests are not tests of the promise alone",
      code: `async function f() {
  const e = cond && createUserEmitter(ctx);
  if (!e) return;
  (await e).notifyAgentStarted("r");
}`,
      files,
    },
    // locals handed on as promises
    {
      name: "const a = createUserEmitter(ctx)",
      code: `async function f() {
  const a = createUserEmitter(ctx);
  const b = createUserEmitter("b");
  const [x, y] = await Promise.all([a, b]);
  x.notifyAgentStarted(y.userId);
}`,
      files,
    },
    {
      name: "const p = createUserEmitter(ctx) (7)",
      code: `async function f() {
  const p = createUserEmitter(ctx);
  return p;
}`,
      files,
    },
    {
      name: "const p = createUserEmitter(ctx) (8)",
      code: `function f() {
  const p = createUserEmitter(ctx);
  return p;
}`,
      files,
    },
    {
      name: "const p = createUserEmitter(ctx) (9)",
      code: `function f() {
  const p = createUserEmitter(ctx);
  return async () => (await p).notifyAgentStarted("r");
}`,
      files,
    },
    {
      name: "async createEmitter(): Promise<UserEmitter> { return new EmitterImpl(); }",
      code: `class Hub {
  async createEmitter(): Promise<UserEmitter> { return new EmitterImpl(); }
  async emitter() {
    return this.createEmitter();
  }
}`,
      files,
    },
    {
      name: "a template literal is not a use as the value (decision: out of scope, see docs)",
      code: `const text = \`\${createUserEmitter(ctx)}\`;
void text;`,
      files,
    },
    {
      name: "test doubles and assertion libraries take `any` on purpose in test files",
      code: `declare function mockReturnValue(value: any): void;
mockReturnValue(createUserEmitter(ctx));
mockReturnValue(createUserEmitter(ctx) as any);`,
      filename: "src/emitter.test.ts",
      files,
    },
    {
      name: "a factory whose result is awaited in a nested async callback",
      code: `function f() {
  [ctx].forEach(async (c) => {
    const e = await createUserEmitter(c);
    e.notifyAgentStarted("r");
  });
}`,
      files,
    },
    {
      name: "branded primitives are no service: nothing with methods is made",
      code: `type Throws<T, E> = (T & { __throws?(e: E): void }) | T;
declare function sendThrowing(): Promise<Throws<void, Error>>;
type Branded = string & { toUpper(): string };
declare function loadKey(): Promise<Branded>;
function f() {
  sendThrowing();
  loadKey();
}`,
      files,
    },
  ],
  invalid: [
    // discarded
    {
      name: "createUserEmitter(ctx)",
      code: `async function start() {
  createUserEmitter(ctx);
}`,
      files,
      errors: [
        withAwait(
          "discarded",
          2,
          3,
          `async function start() {
  await createUserEmitter(ctx);
}`,
        ),
      ],
    },
    {
      name: "createUserEmitter(ctx) (2)",
      code: `function start() {
  createUserEmitter(ctx);
}`,
      files,
      errors: [noFix("discarded", 2, 3)],
    },
    {
      name: "cond && createUserEmitter(ctx)",
      code: `async function start() {
  cond && createUserEmitter(ctx);
}`,
      files,
      errors: [
        withAwait(
          "discarded",
          2,
          11,
          `async function start() {
  cond && await createUserEmitter(ctx);
}`,
        ),
      ],
    },
    {
      name: "cond ? createUserEmitter(ctx) : save()",
      code: `async function start() {
  cond ? createUserEmitter(ctx) : save();
}`,
      files,
      errors: [
        withAwait(
          "discarded",
          2,
          10,
          `async function start() {
  cond ? await createUserEmitter(ctx) : save();
}`,
        ),
      ],
    },
    {
      name: "const n = (createUserEmitter(ctx), 1)",
      code: `async function start() {
  const n = (createUserEmitter(ctx), 1);
  return n;
}`,
      files,
      errors: [
        withAwait(
          "discarded",
          2,
          14,
          `async function start() {
  const n = (await createUserEmitter(ctx), 1);
  return n;
}`,
        ),
      ],
    },
    {
      name: "findEmitter(ctx)",
      code: `async function start() {
  findEmitter(ctx);
}`,
      files,
      errors: [
        withAwait(
          "discarded",
          2,
          3,
          `async function start() {
  await findEmitter(ctx);
}`,
        ),
      ],
    },
    {
      name: "the await of an outer async function does not cover a callback inside it",
      code: `async function outer() {
  [ctx].forEach((c) => {
    createUserEmitter(c);
  });
}`,
      files,
      errors: [noFix("discarded", 3, 5)],
    },
    // top level: an ES module may await there, a CommonJS file may not
    {
      name: "createUserEmitter(ctx) (3)",
      code: `createUserEmitter(ctx);
export {};`,
      filename: "src/file.mts",
      files,
      errors: [
        withAwait(
          "discarded",
          1,
          1,
          `await createUserEmitter(ctx);
export {};`,
        ),
      ],
    },
    {
      name: "createUserEmitter(ctx) (4)",
      code: `createUserEmitter(ctx);
export {};`,
      files,
      errors: [noFix("discarded", 1, 1)],
    },
    {
      name: "optional call on the factory itself",
      code: `declare const factory: ((c: string) => Promise<UserEmitter>) | undefined;
async function start() {
  factory?.(ctx);
}`,
      files,
      errors: [
        withAwait(
          "discarded",
          3,
          3,
          `declare const factory: ((c: string) => Promise<UserEmitter>) | undefined;
async function start() {
  await factory?.(ctx);
}`,
        ),
      ],
    },
    // methods on classes, async arrow factories, inferred async functions, overloads, generics
    {
      name: "this.createEmitter()",
      code: `class Hub {
  async createEmitter(): Promise<UserEmitter> { return new EmitterImpl(); }
  async boot() {
    this.createEmitter();
  }
}`,
      files,
      errors: [
        withAwait(
          "discarded",
          4,
          5,
          `class Hub {
  async createEmitter(): Promise<UserEmitter> { return new EmitterImpl(); }
  async boot() {
    await this.createEmitter();
  }
}`,
        ),
      ],
    },
    {
      name: 'register("e", makeEmitter(ctx))',
      code: `const makeEmitter = async (c: string) => ({ send(msg: string) { return c + msg; } });
register("e", makeEmitter(ctx));`,
      files,
      errors: [noFix("looseSlot", 2, 15)],
    },
    {
      name: "makeEmitter()",
      code: `async function makeEmitter() {
  return { notify: (msg: string) => msg.length };
}
function boot() {
  makeEmitter();
}`,
      files,
      errors: [noFix("discarded", 5, 3)],
    },
    {
      name: 'register("e", open("async"))',
      code: `function open(kind: "sync"): UserEmitter;
function open(kind: "async"): Promise<UserEmitter>;
function open(kind: string): unknown { return kind; }
register("e", open("async"));`,
      files,
      errors: [noFix("looseSlot", 4, 15)],
    },
    {
      name: 'register("e", build(EmitterImpl))',
      code: `declare function build<T>(ctor: new () => T): Promise<T>;
register("e", build(EmitterImpl));`,
      files,
      errors: [noFix("looseSlot", 2, 15)],
    },
    {
      name: 'registerAny("e", make(e))',
      code: `async function make<T extends UserEmitter>(e: T): Promise<T> { return e; }
function boot(e: EmitterImpl) {
  registerAny("e", make(e));
}`,
      files,
      errors: [noFix("looseSlot", 3, 20)],
    },
    {
      name: "loadService()",
      code: `declare function loadService(): Promise<UserRecord & { save(): Promise<void> }>;
loadService();`,
      files,
      errors: [noFix("discarded", 2, 1)],
    },
    {
      name: "lazyEmitter()",
      code: `interface Thenable<T> { then<R>(onFulfilled: (value: T) => R): Thenable<R> }
declare function lazyEmitter(): Thenable<UserEmitter>;
async function f() {
  lazyEmitter();
}`,
      files,
      errors: [
        withAwait(
          "discarded",
          4,
          3,
          `interface Thenable<T> { then<R>(onFulfilled: (value: T) => R): Thenable<R> }
declare function lazyEmitter(): Thenable<UserEmitter>;
async function f() {
  await lazyEmitter();
}`,
        ),
      ],
    },
    // passed into loose slots
    {
      name: 'register("e", createUserEmitter(ctx))',
      code: `async function f() {
  register("e", createUserEmitter(ctx));
}`,
      files,
      errors: [
        withAwait(
          "looseSlot",
          2,
          17,
          `async function f() {
  register("e", await createUserEmitter(ctx));
}`,
        ),
      ],
    },
    {
      name: 'registerAny("e", createUserEmitter(ctx))',
      code: `registerAny("e", createUserEmitter(ctx));`,
      files,
      errors: [noFix("looseSlot", 1, 18)],
    },
    {
      name: "registerObject(createUserEmitter(ctx))",
      code: `registerObject(createUserEmitter(ctx));`,
      files,
      errors: [noFix("looseSlot", 1, 16)],
    },
    {
      name: "registerEmpty(createUserEmitter(ctx))",
      code: `registerEmpty(createUserEmitter(ctx));`,
      files,
      errors: [noFix("looseSlot", 1, 15)],
    },
    {
      name: "registerRecord(createUserEmitter(ctx))",
      code: `declare function registerRecord(service: Record<string, any>): void;
registerRecord(createUserEmitter(ctx));`,
      files,
      errors: [noFix("looseSlot", 2, 16)],
    },
    {
      name: 'registerGeneric("e", createUserEmitter(ctx))',
      code: `registerGeneric("e", createUserEmitter(ctx));`,
      files,
      errors: [noFix("looseSlot", 1, 22)],
    },
    {
      name: "registerObjectLike(createUserEmitter(ctx))",
      code: `registerObjectLike(createUserEmitter(ctx));`,
      files,
      errors: [noFix("looseSlot", 1, 20)],
    },
    {
      name: 'registry.set("e", createUserEmitter(ctx))',
      code: `registry.set("e", createUserEmitter(ctx));`,
      files,
      errors: [noFix("looseSlot", 1, 19)],
    },
    {
      name: 'log("created", createUserEmitter(ctx))',
      code: `log("created", createUserEmitter(ctx));`,
      files,
      errors: [noFix("looseSlot", 1, 16)],
    },
    {
      name: "const text = JSON.stringify(createUserEmitter(ctx))",
      code: `const text = JSON.stringify(createUserEmitter(ctx));
void text;`,
      files,
      errors: [noFix("looseSlot", 1, 29)],
    },
    {
      name: "const h = new Holder(createUserEmitter(ctx))",
      code: `class Holder { constructor(readonly service: unknown) {} }
const h = new Holder(createUserEmitter(ctx));
void h;`,
      files,
      errors: [noFix("looseSlot", 2, 22)],
    },
    {
      name: 'register("e", cond ? createUserEmitter(ctx) : undefined)',
      code: `register("e", cond ? createUserEmitter(ctx) : undefined);`,
      files,
      errors: [noFix("looseSlot", 1, 22)],
    },
    {
      name: 'register("e", (createUserEmitter(ctx)))',
      code: `register("e", (createUserEmitter(ctx)));`,
      files,
      errors: [noFix("looseSlot", 1, 16)],
    },
    {
      name: 'new Container().set("e", createUserEmitter(ctx))',
      code: `class Container { set<T>(key: string, value: T): this { void key; void value; return this; } }
new Container().set("e", createUserEmitter(ctx));`,
      files,
      errors: [noFix("looseSlot", 2, 26)],
    },
    // stored in loose slots
    {
      name: "const emitter: any = createUserEmitter(ctx)",
      code: `async function f() {
  const emitter: any = createUserEmitter(ctx);
  emitter?.notifyAgentStarted("r");
}`,
      files,
      errors: [
        withAwait(
          "looseSlot",
          2,
          24,
          `async function f() {
  const emitter: any = await createUserEmitter(ctx);
  emitter?.notifyAgentStarted("r");
}`,
        ),
      ],
    },
    {
      name: "service = createUserEmitter(ctx)",
      code: `let service: unknown;
service = createUserEmitter(ctx);`,
      files,
      errors: [noFix("looseSlot", 2, 11)],
    },
    {
      name: "locals.emitter = createUserEmitter(ctx)",
      code: `locals.emitter = createUserEmitter(ctx);`,
      files,
      errors: [noFix("looseSlot", 1, 18)],
    },
    {
      name: "private emitter: unknown = createUserEmitter(ctx)",
      code: `class Session {
  private emitter: unknown = createUserEmitter(ctx);
}`,
      files,
      errors: [noFix("looseSlot", 2, 30)],
    },
    {
      name: "this.emitter = createUserEmitter(ctx)",
      code: `class Session {
  private emitter: any;
  async start() {
    this.emitter = createUserEmitter(ctx);
  }
}`,
      files,
      errors: [
        withAwait(
          "looseSlot",
          4,
          20,
          `class Session {
  private emitter: any;
  async start() {
    this.emitter = await createUserEmitter(ctx);
  }
}`,
        ),
      ],
    },
    {
      name: 'configure({ emitter: createUserEmitter(ctx), name: "n" })',
      code: `configure({ emitter: createUserEmitter(ctx), name: "n" });`,
      files,
      errors: [noFix("looseSlot", 1, 22)],
    },
    {
      name: 'registerAny("deps", { emitter: createUserEmitter(ctx) })',
      code: `registerAny("deps", { emitter: createUserEmitter(ctx) });`,
      files,
      errors: [noFix("looseSlot", 1, 32)],
    },
    {
      name: "const list: unknown[] = [createUserEmitter(ctx)]",
      code: `const list: unknown[] = [createUserEmitter(ctx)];
void list;`,
      files,
      errors: [noFix("looseSlot", 1, 26)],
    },
    {
      name: "async function f(emitter: unknown = createUserEmitter(ctx)) {",
      code: `async function f(emitter: unknown = createUserEmitter(ctx)) {
  return emitter;
}`,
      files,
      errors: [noFix("looseSlot", 1, 37)],
    },
    // returned from a non-async function declared with a loose type
    {
      name: "return createUserEmitter(ctx) (5)",
      code: `function make(): any {
  return createUserEmitter(ctx);
}`,
      files,
      errors: [noFix("looseSlot", 2, 10)],
    },
    {
      name: "const make = (): object => createUserEmitter(ctx)",
      code: `const make = (): object => createUserEmitter(ctx);`,
      files,
      errors: [noFix("looseSlot", 1, 28)],
    },
    {
      name: "return createUserEmitter(ctx) (6)",
      code: `class Factory {
  get emitter(): unknown {
    return createUserEmitter(ctx);
  }
}`,
      files,
      errors: [noFix("looseSlot", 3, 12)],
    },
    // casts
    {
      name: '(createUserEmitter(ctx) as any).notifyAgentStarted("r")',
      code: `async function f() {
  (createUserEmitter(ctx) as any).notifyAgentStarted("r");
}`,
      files,
      errors: [
        withAwait(
          "looseSlot",
          2,
          4,
          `async function f() {
  (await createUserEmitter(ctx) as any).notifyAgentStarted("r");
}`,
        ),
      ],
    },
    {
      name: "const e = createUserEmitter(ctx) as unknown as UserEmitter",
      code: `const e = createUserEmitter(ctx) as unknown as UserEmitter;
e.notifyAgentStarted("r");`,
      files,
      errors: [noFix("looseSlot", 1, 11)],
    },
    {
      name: "const e = <any>createUserEmitter(ctx)",
      code: `const e = <any>createUserEmitter(ctx);
void e;`,
      files,
      errors: [noFix("looseSlot", 1, 16)],
    },
    // truthiness, nullish and member probes, directly and through a local
    {
      name: "const emitter = createUserEmitter(ctx)",
      code: `async function f() {
  const emitter = createUserEmitter(ctx);
  if (!emitter) return;
}`,
      files,
      errors: [
        withAwait(
          "truthiness",
          2,
          19,
          `async function f() {
  const emitter = await createUserEmitter(ctx);
  if (!emitter) return;
}`,
        ),
      ],
    },
    {
      name: 'if (!createUserEmitter(ctx)) throw new Error("no emitter")',
      code: `async function f() {
  if (!createUserEmitter(ctx)) throw new Error("no emitter");
}`,
      files,
      errors: [
        withAwait(
          "truthiness",
          2,
          8,
          `async function f() {
  if (!await createUserEmitter(ctx)) throw new Error("no emitter");
}`,
        ),
      ],
    },
    {
      name: "const emitter = createUserEmitter(ctx) || fallback",
      code: `function f() {
  const emitter = createUserEmitter(ctx) || fallback;
  return emitter;
}`,
      files,
      errors: [noFix("truthiness", 2, 19)],
    },
    {
      name: "const emitter = createUserEmitter(ctx) ?? fallback",
      code: `async function f() {
  const emitter = createUserEmitter(ctx) ?? fallback;
  return emitter;
}`,
      files,
      errors: [
        withAwait(
          "nullishProbe",
          2,
          19,
          `async function f() {
  const emitter = await createUserEmitter(ctx) ?? fallback;
  return emitter;
}`,
        ),
      ],
    },
    {
      name: "const emitter = createUserEmitter(ctx) (2)",
      code: `async function f() {
  const emitter = createUserEmitter(ctx);
  if (emitter === undefined) throw new Error("none");
}`,
      files,
      errors: [
        withAwait(
          "nullishProbe",
          2,
          19,
          `async function f() {
  const emitter = await createUserEmitter(ctx);
  if (emitter === undefined) throw new Error("none");
}`,
        ),
      ],
    },
    {
      name: "const emitter = createUserEmitter(ctx) (3)",
      code: `async function f() {
  const emitter = createUserEmitter(ctx);
  if ("notifyAgentStarted" in emitter) return emitter;
  return undefined;
}`,
      files,
      errors: [
        withAwait(
          "memberProbe",
          2,
          19,
          `async function f() {
  const emitter = await createUserEmitter(ctx);
  if ("notifyAgentStarted" in emitter) return emitter;
  return undefined;
}`,
        ),
      ],
    },
    {
      name: "const emitter = createUserEmitter(ctx) (4)",
      code: `async function f() {
  const emitter = createUserEmitter(ctx);
  return emitter instanceof EmitterImpl;
}`,
      files,
      errors: [
        withAwait(
          "memberProbe",
          2,
          19,
          `async function f() {
  const emitter = await createUserEmitter(ctx);
  return emitter instanceof EmitterImpl;
}`,
        ),
      ],
    },
    {
      name: "const emitter = createUserEmitter(ctx) (5)",
      code: `async function f() {
  const emitter = createUserEmitter(ctx);
  while (!emitter) break;
  return cond ? emitter : undefined;
}`,
      files,
      errors: [
        withAwait(
          "truthiness",
          2,
          19,
          `async function f() {
  const emitter = await createUserEmitter(ctx);
  while (!emitter) break;
  return cond ? emitter : undefined;
}`,
        ),
      ],
    },
    {
      name: "const first = createUserEmitter(ctx)",
      code: `function f() {
  const first = createUserEmitter(ctx);
  const alias = first;
  register("e", alias);
}`,
      files,
      errors: [noFix("looseSlot", 2, 17)],
    },
    {
      name: "the local is also used as a promise: adding await would break `.then`, so no fix is offered",
      code: `async function f() {
  const emitter = createUserEmitter(ctx);
  if (!emitter) return;
  emitter.then((e) => e.notifyAgentStarted("r"));
}`,
      files,
      errors: [noFix("truthiness", 2, 19)],
    },
    // a local handed on in an object literal shorthand, a loose return, a loose comparison
    {
      name: "const emitter = createUserEmitter(ctx) (6)",
      code: `async function f() {
  const emitter = createUserEmitter(ctx);
  configure({ emitter, name: "n" });
}`,
      files,
      errors: [
        withAwait(
          "looseSlot",
          2,
          19,
          `async function f() {
  const emitter = await createUserEmitter(ctx);
  configure({ emitter, name: "n" });
}`,
        ),
      ],
    },
    {
      name: "const emitter = createUserEmitter(ctx) (7)",
      code: `function f(): unknown {
  const emitter = createUserEmitter(ctx);
  return emitter;
}`,
      files,
      errors: [noFix("looseSlot", 2, 19)],
    },
    {
      name: "const emitter = createUserEmitter(ctx) (8)",
      code: `async function f() {
  const emitter = createUserEmitter(ctx);
  if (emitter == null) return;
}`,
      files,
      errors: [
        withAwait(
          "nullishProbe",
          2,
          19,
          `async function f() {
  const emitter = await createUserEmitter(ctx);
  if (emitter == null) return;
}`,
        ),
      ],
    },
    {
      name: "const emitter = createUserEmitter(ctx) ?? undefined",
      code: `async function f() {
  const emitter = createUserEmitter(ctx) ?? undefined;
  return emitter;
}`,
      files,
      errors: [
        withAwait(
          "nullishProbe",
          2,
          19,
          `async function f() {
  const emitter = await createUserEmitter(ctx) ?? undefined;
  return emitter;
}`,
        ),
      ],
    },
    // a promise-or-nothing is still misused when the promise itself goes into a loose slot
    {
      name: "const existing = typedRegistry.get(ctx) (2)",
      code: `function f() {
  const existing = typedRegistry.get(ctx);
  if (existing) register("e", existing);
}`,
      files,
      errors: [noFix("looseSlot", 2, 20)],
    },
    {
      name: 'register("e", typedRegistry.get(ctx) ?? createUserEmitter(ctx))',
      code: `register("e", typedRegistry.get(ctx) ?? createUserEmitter(ctx));`,
      files,
      errors: [noFix("looseSlot", 1, 41)],
    },
    {
      name: "the undefined of an optional call says whether there was a factory, not whether it made a promise",
      code: `declare const factory: ((c: string) => Promise<UserEmitter>) | undefined;
async function start() {
  if (!factory?.(ctx)) return;
}`,
      files,
      errors: [
        withAwait(
          "truthiness",
          3,
          8,
          `declare const factory: ((c: string) => Promise<UserEmitter>) | undefined;
async function start() {
  if (!await factory?.(ctx)) return;
}`,
        ),
      ],
    },
    // returned from a callback typed to return void: its caller drops the promise
    {
      name: "onEvent(() => createUserEmitter(ctx))",
      code: `onEvent(() => createUserEmitter(ctx));`,
      files,
      errors: [noFix("voidCallback", 1, 15)],
    },
    {
      name: "[ctx].forEach((c) => createUserEmitter(c))",
      code: `[ctx].forEach((c) => createUserEmitter(c));`,
      files,
      errors: [noFix("voidCallback", 1, 22)],
    },
    {
      name: "const emitter = createUserEmitter(ctx) (9)",
      code: `declare function onClose(listener?: (code: number) => void): void;
onClose(function () {
  const emitter = createUserEmitter(ctx);
  return emitter;
});`,
      files,
      errors: [noFix("voidCallback", 3, 19)],
    },
    {
      name: "a truthiness test through a conditional branch",
      code: `function f() {
  return !(cond ? createUserEmitter(ctx) : undefined);
}`,
      files,
      errors: [noFix("truthiness", 2, 19)],
    },
    {
      name: "Promise<this> from a fluent async API",
      code: `class Connection {
  async open(): Promise<this> { return this; }
  send(message: string) { return message; }
  constructor() {
    this.open();
  }
}`,
      files,
      errors: [noFix("discarded", 5, 5)],
    },
    // test files: only \`any\` arguments are exempt; unknown slots, stores and tests are still reported
    {
      name: 'register("e", createUserEmitter(ctx)) (2)',
      code: `register("e", createUserEmitter(ctx));`,
      filename: "src/emitter.test.ts",
      files,
      errors: [noFix("looseSlot", 1, 15)],
    },
    {
      name: "const e: any = createUserEmitter(ctx)",
      code: `const e: any = createUserEmitter(ctx);
void e;`,
      filename: "src/emitter.spec.ts",
      files,
      errors: [noFix("looseSlot", 1, 16)],
    },
    {
      name: "a statement cast is still a discard",
      code: `function f() {
  createUserEmitter(ctx) as Promise<UserEmitter>;
}`,
      files,
      errors: [noFix("discarded", 2, 3)],
    },
    {
      name: "a Promise subclass is a promise",
      code: `declare class Deferred<T> extends Promise<T> {}
declare function defer(): Deferred<UserEmitter>;
defer();`,
      files,
      errors: [noFix("discarded", 3, 1)],
    },
    {
      name: "a local cast to any on its way into a slot",
      code: `async function f() {
  const emitter = createUserEmitter(ctx);
  registry.set("e", emitter as any);
}`,
      files,
      errors: [
        withAwait(
          "looseSlot",
          2,
          19,
          `async function f() {
  const emitter = await createUserEmitter(ctx);
  registry.set("e", emitter as any);
}`,
        ),
      ],
    },
    // TypeScript itself reports these (TS2801 / TS2339), the rule reports them too
    {
      name: "if (createUserEmitter(ctx)) return 1",
      code: `async function f() {
  if (createUserEmitter(ctx)) return 1;
  return 0;
}`,
      files,
      errors: [
        withAwait(
          "truthiness",
          2,
          7,
          `async function f() {
  if (await createUserEmitter(ctx)) return 1;
  return 0;
}`,
        ),
      ],
      allowTypeErrors: true,
    },
    {
      name: "const emitter = createUserEmitter(ctx) (10)",
      code: `async function f() {
  const emitter = createUserEmitter(ctx);
  emitter?.notifyAgentStarted("r");
}`,
      files,
      errors: [
        withAwait(
          "memberProbe",
          2,
          19,
          `async function f() {
  const emitter = await createUserEmitter(ctx);
  emitter?.notifyAgentStarted("r");
}`,
        ),
      ],
      allowTypeErrors: true,
    },
    {
      name: 'createUserEmitter(ctx)?.notifyAgentStarted("r")',
      code: `async function f() {
  createUserEmitter(ctx)?.notifyAgentStarted("r");
}`,
      files,
      errors: [
        withAwait(
          "memberProbe",
          2,
          3,
          `async function f() {
  (await createUserEmitter(ctx))?.notifyAgentStarted("r");
}`,
        ),
      ],
      allowTypeErrors: true,
    },
    {
      name: "a type with optional methods (a quick-pick item with an optional action) and an intersection of object types are still made",
      code: `interface Conn { onOpen?(): void; send?(data: string): void }
type Tracked = Conn & { readonly id: string };
declare function openConn(): Promise<Conn>;
declare function openTracked(): Promise<Tracked>;
function f() {
  openConn();
  openTracked();
}`,
      files,
      errors: [noFix("discarded", 6, 3), noFix("discarded", 7, 3)],
    },
  ],
};

export default table;

import type { CheckTable, InvalidCase, ValidCase } from "../utils/check-tester.js";

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

function valid(code: string, extra: Partial<ValidCase> = {}): ValidCase {
  return { code, files, ...extra };
}

function invalid(code: string, errors: InvalidCase["errors"], extra: Partial<InvalidCase> = {}): InvalidCase {
  return { code, files, errors, ...extra };
}

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
    valid(`async function f() {\n  const emitter = await createUserEmitter(ctx);\n  if (emitter) emitter.notifyAgentStarted("r");\n}`),
    valid(`async function f() {\n  register("e", await createUserEmitter(ctx));\n}`),
    valid(`async function f() {\n  (await createUserEmitter(ctx)).notifyAgentStarted("r");\n}`),
    valid(`async function f() {\n  const pending = createUserEmitter(ctx);\n  const emitter = await pending;\n  emitter.notifyAgentStarted("r");\n}`),
    valid(`async function f() {\n  const p = createUserEmitter(ctx);\n  const q = p;\n  register("e", await q);\n}`),
    // returned: from an async function, from an unannotated one, from one declared Promise
    valid(`async function make(): Promise<UserEmitter> {\n  return createUserEmitter(ctx);\n}`),
    valid(`async function make() {\n  return cond ? createUserEmitter(ctx) : fallback;\n}`),
    valid(`function make() {\n  return createUserEmitter(ctx);\n}`),
    valid(`function make(): Promise<UserEmitter> {\n  return createUserEmitter(ctx);\n}`),
    valid(`function make(): PromiseLike<unknown> {\n  return createUserEmitter(ctx);\n}`),
    valid(`const make = (c: string) => createUserEmitter(c);`),
    valid(`const make = async (c: string): Promise<unknown> => createUserEmitter(c);`),
    // handled with then / catch / finally
    valid(`createUserEmitter(ctx).then((e) => e.notifyAgentStarted("r"));`),
    valid(`createUserEmitter(ctx).catch(() => undefined);`),
    valid(`createUserEmitter(ctx).finally(() => undefined).catch(() => undefined);`),
    valid(`createUserEmitter(ctx).then((e) => e, () => fallback).then((e) => register("e", e));`),
    valid(`async function f() {\n  const p = createUserEmitter(ctx);\n  p.then((e) => e.notifyAgentStarted("r"), () => undefined);\n}`),
    // Promise combinators
    valid(`async function f() {\n  const [a, b] = await Promise.all([createUserEmitter(ctx), createUserEmitter("other")]);\n  a.notifyAgentStarted(b.userId);\n}`),
    valid(`async function f() {\n  await Promise.allSettled([createUserEmitter(ctx)]);\n  await Promise.race([createUserEmitter(ctx), createUserEmitter("b")]);\n  await Promise.any([createUserEmitter(ctx)]);\n}`),
    valid(`const p = Promise.resolve(createUserEmitter(ctx));\np.catch(() => undefined);`),
    valid(`const p = new Promise<UserEmitter>((resolve) => resolve(createUserEmitter(ctx)));\nvoid p;`),
    // explicit discard
    valid(`void createUserEmitter(ctx);`),
    valid(`function f() {\n  void createUserEmitter(ctx);\n}`),
    // Promise-typed slots
    valid(`track(createUserEmitter(ctx));`),
    valid(`trackLike(cond ? createUserEmitter(ctx) : undefined);`),
    valid(`adopt(createUserEmitter(ctx));`),
    valid(`typedRegistry.set("e", createUserEmitter(ctx));`),
    valid(`const p: Promise<UserEmitter> = createUserEmitter(ctx);\nvoid p;`),
    valid(`let p: Promise<UserEmitter> | undefined;\np = createUserEmitter(ctx);`),
    valid(`class Session {\n  private ready: Promise<UserEmitter> = createUserEmitter(ctx);\n  private pending = createUserEmitter(ctx);\n  start() { return [this.ready, this.pending]; }\n}`),
    valid(`class Session {\n  emitter?: Promise<UserEmitter>;\n  start() { this.emitter = createUserEmitter(ctx); }\n}`),
    valid(`configureAsync({ emitter: createUserEmitter(ctx) });`),
    valid(`const deps = { emitter: createUserEmitter(ctx) };\nvoid deps;`),
    valid(`const all = [createUserEmitter(ctx), createUserEmitter("b")];\nvoid Promise.all(all);`),
    valid(`const cast = createUserEmitter(ctx) as Promise<UserEmitter>;\nvoid cast;`),
    valid(`const p = createUserEmitter(ctx);\ntrack(p);`),
    // generic slots whose type flows back to the caller
    valid(`async function f() {\n  const p = identity(createUserEmitter(ctx));\n  (await p).notifyAgentStarted("r");\n}`),
    valid(`const boxed = wrap(createUserEmitter(ctx));\nvoid boxed.value;`),
    valid(`async function f() {\n  await expectValue(createUserEmitter(ctx)).resolves.toBeDefined();\n}`),
    valid(`const merged = Object.assign({}, { emitter: createUserEmitter(ctx) });\nvoid merged;`),
    valid(`const emitters = [ctx].map((c) => createUserEmitter(c));\nvoid Promise.all(emitters);`),
    // results that are not factory products: data, arrays, primitives, void, lib types, functions, any
    valid(`loadUser("u1");\nregister("u", loadUser("u2"));\nif (!loadUser("u3")) {}`),
    valid(`loadIds();\nregister("ids", loadIds());`),
    valid(`countUsers();\nregister("n", countUsers());`),
    valid(`save();\nregister("s", save());`),
    valid(`loadHandlers();\nregister("h", loadHandlers());`),
    valid(`loadCallback();\nregister("c", loadCallback());`),
    valid(`loadAnything();\nregister("a", loadAnything());`),
    // arrays of products and constructors are not factory products (decision, see docs)
    valid(`declare function loadEmitters(): Promise<UserEmitter[]>;\nloadEmitters();\nregister("all", loadEmitters());`),
    valid(`declare function loadEmitterClass(): Promise<typeof EmitterImpl>;\nloadEmitterClass();\nregister("cls", loadEmitterClass());`),
    // a maybe-async result (Promise<T> | T) is already treated as maybe-a-promise
    valid(`declare function maybeAsync(): UserEmitter | Promise<UserEmitter>;\nregister("m", maybeAsync());`),
    // a thenable that is also a builder is used as the builder on purpose
    valid(`interface Query<T> extends PromiseLike<T> { where(clause: string): Query<T> }\ndeclare function query(): Query<UserEmitter>;\nquery().where("a = 1");\nregister("q", query());`),
    // callbacks whose callers use what they return, or that discard it on purpose
    valid(`onEvent(() => void createUserEmitter(ctx));`),
    valid(`declare function later<T>(make: () => T): T;\nvoid later(() => createUserEmitter(ctx));`),
    valid(`declare function retry(make: () => Promise<unknown>): void;\nretry(() => createUserEmitter(ctx));`),
    valid(`declare function onReady(listener: () => void | Promise<void>): void;\nonReady(() => createUserEmitter(ctx).then(() => undefined));`),
    valid(`declare function schedule(task: () => unknown): void;\nschedule(() => createUserEmitter(ctx));\nschedule(function () { return createUserEmitter(ctx); });`),
    valid(`onEvent(async () => { (await createUserEmitter(ctx)).notifyAgentStarted("r"); });`),
    // untyped callee: no slot type to judge
    valid(`untyped.register(createUserEmitter(ctx));`),
    // neutral uses
    valid(`const p = createUserEmitter(ctx);\nconst q = createUserEmitter(ctx);\nconst same = p === q;\nvoid same;`),
    valid(`const p = createUserEmitter(ctx);\nif (p instanceof Promise) { void p; }`),
    valid(`async function* stream() {\n  yield createUserEmitter(ctx);\n}`),
    valid(`const p = createUserEmitter(ctx);\nexport default p;`),
    valid(`export const emitterPromise = createUserEmitter(ctx);`),
    // a promise used where the truthiness test guards its own use (TypeScript's own convention)
    valid(`async function f() {\n  const emitter = await findEmitter(ctx);\n  if (!emitter) return;\n  emitter.notifyAgentStarted("r");\n}`),
    // a call that returns the promise or nothing (a cache lookup, `at`, `find`): testing it asks whether there is one
    valid(`function connect(): Promise<UserEmitter> {\n  const existing = typedRegistry.get(ctx);\n  if (existing) return existing;\n  const p = createUserEmitter(ctx);\n  typedRegistry.set(ctx, p);\n  return p;\n}`),
    valid(`function connect(): Promise<UserEmitter> {\n  return typedRegistry.get(ctx) ?? createUserEmitter(ctx);\n}`),
    valid(`function first(list: Promise<UserEmitter>[]) {\n  const p = list.at(0);\n  return p ? p : createUserEmitter(ctx);\n}`),
    valid(`function first(list: Promise<UserEmitter>[]) {\n  return list.at(0) ? 1 : 0;\n}`),
    valid(`function pooled(key: string) {\n  let p = typedRegistry.get(key);\n  if (!p) {\n    p = createUserEmitter(key);\n    typedRegistry.set(key, p);\n  }\n  return p;\n}`),
    valid(`declare function pendingEmitter(): Promise<UserEmitter> | null;\nfunction f() {\n  const p = pendingEmitter();\n  if (p === null) return undefined;\n  return p;\n}`),
    // overloads: the synchronous overload returns the emitter itself
    valid(`function open(kind: "sync"): UserEmitter;\nfunction open(kind: "async"): Promise<UserEmitter>;\nfunction open(kind: string): unknown { return kind; }\nregister("e", open("sync"));`),
    // dynamic import is a module load, not a factory
    { code: `import("./plugin.mjs");\nexport {};`, filename: "src/file.mts", files: { ...files, "src/plugin.mts": "export function start(): void {}\n" } },
    // async arrow factories, optional calls and top-level await, used correctly
    valid(`const makeEmitter = async (c: string) => ({ send(msg: string) { return c + msg; } });\nasync function f() {\n  register("e", await makeEmitter(ctx));\n}`),
    valid(`declare const factory: ((c: string) => Promise<UserEmitter>) | undefined;\nasync function f() {\n  const e = await factory?.(ctx);\n  register("e", e);\n}`),
    { code: `const emitter = await createUserEmitter(ctx);\nregister("e", emitter);\nexport {};`, filename: "src/file.mts", files },
    // an evolving `let` holds the promise as a promise
    valid(`async function f() {\n  let emitter;\n  emitter = createUserEmitter(ctx);\n  (await emitter).notifyAgentStarted("r");\n}`),
    // a local that may hold something else (`cond && make()`): its tests are not tests of the promise alone
    valid(`async function f() {\n  const e = cond && createUserEmitter(ctx);\n  if (!e) return;\n  (await e).notifyAgentStarted("r");\n}`),
    // locals handed on as promises
    valid(`async function f() {\n  const a = createUserEmitter(ctx);\n  const b = createUserEmitter("b");\n  const [x, y] = await Promise.all([a, b]);\n  x.notifyAgentStarted(y.userId);\n}`),
    valid(`async function f() {\n  const p = createUserEmitter(ctx);\n  return p;\n}`),
    valid(`function f() {\n  const p = createUserEmitter(ctx);\n  return p;\n}`),
    valid(`function f() {\n  const p = createUserEmitter(ctx);\n  return async () => (await p).notifyAgentStarted("r");\n}`),
    valid(`class Hub {\n  async createEmitter(): Promise<UserEmitter> { return new EmitterImpl(); }\n  async emitter() {\n    return this.createEmitter();\n  }\n}`),
    // a template literal is not a use as the value (decision: out of scope, see docs)
    valid(`const text = \`\${createUserEmitter(ctx)}\`;\nvoid text;`),
    // test doubles and assertion libraries take \`any\` on purpose in test files
    {
      code: `declare function mockReturnValue(value: any): void;\nmockReturnValue(createUserEmitter(ctx));\nmockReturnValue(createUserEmitter(ctx) as any);`,
      filename: "src/emitter.test.ts",
      files,
    },
    // a factory whose result is awaited in a nested async callback
    valid(`function f() {\n  [ctx].forEach(async (c) => {\n    const e = await createUserEmitter(c);\n    e.notifyAgentStarted("r");\n  });\n}`),
    // branded primitives are no service: nothing with methods is made
    valid(`type Throws<T, E> = (T & { __throws?(e: E): void }) | T;\ndeclare function sendThrowing(): Promise<Throws<void, Error>>;\ntype Branded = string & { toUpper(): string };\ndeclare function loadKey(): Promise<Branded>;\nfunction f() {\n  sendThrowing();\n  loadKey();\n}`),
  ],
  invalid: [
    // discarded
    invalid(`async function start() {\n  createUserEmitter(ctx);\n}`, [withAwait("discarded", 2, 3, `async function start() {\n  await createUserEmitter(ctx);\n}`)]),
    invalid(`function start() {\n  createUserEmitter(ctx);\n}`, [noFix("discarded", 2, 3)]),
    invalid(`async function start() {\n  cond && createUserEmitter(ctx);\n}`, [withAwait("discarded", 2, 11, `async function start() {\n  cond && await createUserEmitter(ctx);\n}`)]),
    invalid(`async function start() {\n  cond ? createUserEmitter(ctx) : save();\n}`, [withAwait("discarded", 2, 10, `async function start() {\n  cond ? await createUserEmitter(ctx) : save();\n}`)]),
    invalid(`async function start() {\n  const n = (createUserEmitter(ctx), 1);\n  return n;\n}`, [withAwait("discarded", 2, 14, `async function start() {\n  const n = (await createUserEmitter(ctx), 1);\n  return n;\n}`)]),
    invalid(`async function start() {\n  findEmitter(ctx);\n}`, [withAwait("discarded", 2, 3, `async function start() {\n  await findEmitter(ctx);\n}`)]),
    // the await of an outer async function does not cover a callback inside it
    invalid(`async function outer() {\n  [ctx].forEach((c) => {\n    createUserEmitter(c);\n  });\n}`, [noFix("discarded", 3, 5)]),
    // top level: an ES module may await there, a CommonJS file may not
    {
      code: `createUserEmitter(ctx);\nexport {};`,
      filename: "src/file.mts",
      files,
      errors: [withAwait("discarded", 1, 1, `await createUserEmitter(ctx);\nexport {};`)],
    },
    invalid(`createUserEmitter(ctx);\nexport {};`, [noFix("discarded", 1, 1)]),
    // optional call on the factory itself
    invalid(
      `declare const factory: ((c: string) => Promise<UserEmitter>) | undefined;\nasync function start() {\n  factory?.(ctx);\n}`,
      [withAwait("discarded", 3, 3, `declare const factory: ((c: string) => Promise<UserEmitter>) | undefined;\nasync function start() {\n  await factory?.(ctx);\n}`)],
    ),
    // methods on classes, async arrow factories, inferred async functions, overloads, generics
    invalid(
      `class Hub {\n  async createEmitter(): Promise<UserEmitter> { return new EmitterImpl(); }\n  async boot() {\n    this.createEmitter();\n  }\n}`,
      [withAwait("discarded", 4, 5, `class Hub {\n  async createEmitter(): Promise<UserEmitter> { return new EmitterImpl(); }\n  async boot() {\n    await this.createEmitter();\n  }\n}`)],
    ),
    invalid(`const makeEmitter = async (c: string) => ({ send(msg: string) { return c + msg; } });\nregister("e", makeEmitter(ctx));`, [noFix("looseSlot", 2, 15)]),
    invalid(`async function makeEmitter() {\n  return { notify: (msg: string) => msg.length };\n}\nfunction boot() {\n  makeEmitter();\n}`, [noFix("discarded", 5, 3)]),
    invalid(
      `function open(kind: "sync"): UserEmitter;\nfunction open(kind: "async"): Promise<UserEmitter>;\nfunction open(kind: string): unknown { return kind; }\nregister("e", open("async"));`,
      [noFix("looseSlot", 4, 15)],
    ),
    invalid(`declare function build<T>(ctor: new () => T): Promise<T>;\nregister("e", build(EmitterImpl));`, [noFix("looseSlot", 2, 15)]),
    invalid(`async function make<T extends UserEmitter>(e: T): Promise<T> { return e; }\nfunction boot(e: EmitterImpl) {\n  registerAny("e", make(e));\n}`, [noFix("looseSlot", 3, 20)]),
    invalid(`declare function loadService(): Promise<UserRecord & { save(): Promise<void> }>;\nloadService();`, [noFix("discarded", 2, 1)]),
    invalid(
      `interface Thenable<T> { then<R>(onFulfilled: (value: T) => R): Thenable<R> }\ndeclare function lazyEmitter(): Thenable<UserEmitter>;\nasync function f() {\n  lazyEmitter();\n}`,
      [withAwait("discarded", 4, 3, `interface Thenable<T> { then<R>(onFulfilled: (value: T) => R): Thenable<R> }\ndeclare function lazyEmitter(): Thenable<UserEmitter>;\nasync function f() {\n  await lazyEmitter();\n}`)],
    ),
    // passed into loose slots
    invalid(`async function f() {\n  register("e", createUserEmitter(ctx));\n}`, [withAwait("looseSlot", 2, 17, `async function f() {\n  register("e", await createUserEmitter(ctx));\n}`)]),
    invalid(`registerAny("e", createUserEmitter(ctx));`, [noFix("looseSlot", 1, 18)]),
    invalid(`registerObject(createUserEmitter(ctx));`, [noFix("looseSlot", 1, 16)]),
    invalid(`registerEmpty(createUserEmitter(ctx));`, [noFix("looseSlot", 1, 15)]),
    invalid(`declare function registerRecord(service: Record<string, any>): void;\nregisterRecord(createUserEmitter(ctx));`, [noFix("looseSlot", 2, 16)]),
    invalid(`registerGeneric("e", createUserEmitter(ctx));`, [noFix("looseSlot", 1, 22)]),
    invalid(`registerObjectLike(createUserEmitter(ctx));`, [noFix("looseSlot", 1, 20)]),
    invalid(`registry.set("e", createUserEmitter(ctx));`, [noFix("looseSlot", 1, 19)]),
    invalid(`log("created", createUserEmitter(ctx));`, [noFix("looseSlot", 1, 16)]),
    invalid(`const text = JSON.stringify(createUserEmitter(ctx));\nvoid text;`, [noFix("looseSlot", 1, 29)]),
    invalid(`class Holder { constructor(readonly service: unknown) {} }\nconst h = new Holder(createUserEmitter(ctx));\nvoid h;`, [noFix("looseSlot", 2, 22)]),
    invalid(`register("e", cond ? createUserEmitter(ctx) : undefined);`, [noFix("looseSlot", 1, 22)]),
    invalid(`register("e", (createUserEmitter(ctx)));`, [noFix("looseSlot", 1, 16)]),
    invalid(`class Container { set<T>(key: string, value: T): this { void key; void value; return this; } }\nnew Container().set("e", createUserEmitter(ctx));`, [noFix("looseSlot", 2, 26)]),
    // stored in loose slots
    invalid(`async function f() {\n  const emitter: any = createUserEmitter(ctx);\n  emitter?.notifyAgentStarted("r");\n}`, [withAwait("looseSlot", 2, 24, `async function f() {\n  const emitter: any = await createUserEmitter(ctx);\n  emitter?.notifyAgentStarted("r");\n}`)]),
    invalid(`let service: unknown;\nservice = createUserEmitter(ctx);`, [noFix("looseSlot", 2, 11)]),
    invalid(`locals.emitter = createUserEmitter(ctx);`, [noFix("looseSlot", 1, 18)]),
    invalid(`class Session {\n  private emitter: unknown = createUserEmitter(ctx);\n}`, [noFix("looseSlot", 2, 30)]),
    invalid(
      `class Session {\n  private emitter: any;\n  async start() {\n    this.emitter = createUserEmitter(ctx);\n  }\n}`,
      [withAwait("looseSlot", 4, 20, `class Session {\n  private emitter: any;\n  async start() {\n    this.emitter = await createUserEmitter(ctx);\n  }\n}`)],
    ),
    invalid(`configure({ emitter: createUserEmitter(ctx), name: "n" });`, [noFix("looseSlot", 1, 22)]),
    invalid(`registerAny("deps", { emitter: createUserEmitter(ctx) });`, [noFix("looseSlot", 1, 32)]),
    invalid(`const list: unknown[] = [createUserEmitter(ctx)];\nvoid list;`, [noFix("looseSlot", 1, 26)]),
    invalid(`async function f(emitter: unknown = createUserEmitter(ctx)) {\n  return emitter;\n}`, [noFix("looseSlot", 1, 37)]),
    // returned from a non-async function declared with a loose type
    invalid(`function make(): any {\n  return createUserEmitter(ctx);\n}`, [noFix("looseSlot", 2, 10)]),
    invalid(`const make = (): object => createUserEmitter(ctx);`, [noFix("looseSlot", 1, 28)]),
    invalid(`class Factory {\n  get emitter(): unknown {\n    return createUserEmitter(ctx);\n  }\n}`, [noFix("looseSlot", 3, 12)]),
    // casts
    invalid(`async function f() {\n  (createUserEmitter(ctx) as any).notifyAgentStarted("r");\n}`, [withAwait("looseSlot", 2, 4, `async function f() {\n  (await createUserEmitter(ctx) as any).notifyAgentStarted("r");\n}`)]),
    invalid(`const e = createUserEmitter(ctx) as unknown as UserEmitter;\ne.notifyAgentStarted("r");`, [noFix("looseSlot", 1, 11)]),
    invalid(`const e = <any>createUserEmitter(ctx);\nvoid e;`, [noFix("looseSlot", 1, 16)]),
    // truthiness, nullish and member probes, directly and through a local
    invalid(`async function f() {\n  const emitter = createUserEmitter(ctx);\n  if (!emitter) return;\n}`, [withAwait("truthiness", 2, 19, `async function f() {\n  const emitter = await createUserEmitter(ctx);\n  if (!emitter) return;\n}`)]),
    invalid(`async function f() {\n  if (!createUserEmitter(ctx)) throw new Error("no emitter");\n}`, [withAwait("truthiness", 2, 8, `async function f() {\n  if (!await createUserEmitter(ctx)) throw new Error("no emitter");\n}`)]),
    invalid(`function f() {\n  const emitter = createUserEmitter(ctx) || fallback;\n  return emitter;\n}`, [noFix("truthiness", 2, 19)]),
    invalid(`async function f() {\n  const emitter = createUserEmitter(ctx) ?? fallback;\n  return emitter;\n}`, [withAwait("nullishProbe", 2, 19, `async function f() {\n  const emitter = await createUserEmitter(ctx) ?? fallback;\n  return emitter;\n}`)]),
    invalid(`async function f() {\n  const emitter = createUserEmitter(ctx);\n  if (emitter === undefined) throw new Error("none");\n}`, [withAwait("nullishProbe", 2, 19, `async function f() {\n  const emitter = await createUserEmitter(ctx);\n  if (emitter === undefined) throw new Error("none");\n}`)]),
    invalid(`async function f() {\n  const emitter = createUserEmitter(ctx);\n  if ("notifyAgentStarted" in emitter) return emitter;\n  return undefined;\n}`, [withAwait("memberProbe", 2, 19, `async function f() {\n  const emitter = await createUserEmitter(ctx);\n  if ("notifyAgentStarted" in emitter) return emitter;\n  return undefined;\n}`)]),
    invalid(`async function f() {\n  const emitter = createUserEmitter(ctx);\n  return emitter instanceof EmitterImpl;\n}`, [withAwait("memberProbe", 2, 19, `async function f() {\n  const emitter = await createUserEmitter(ctx);\n  return emitter instanceof EmitterImpl;\n}`)]),
    invalid(`async function f() {\n  const emitter = createUserEmitter(ctx);\n  while (!emitter) break;\n  return cond ? emitter : undefined;\n}`, [withAwait("truthiness", 2, 19, `async function f() {\n  const emitter = await createUserEmitter(ctx);\n  while (!emitter) break;\n  return cond ? emitter : undefined;\n}`)]),
    invalid(`function f() {\n  const first = createUserEmitter(ctx);\n  const alias = first;\n  register("e", alias);\n}`, [noFix("looseSlot", 2, 17)]),
    // the local is also used as a promise: adding await would break `.then`, so no fix is offered
    invalid(`async function f() {\n  const emitter = createUserEmitter(ctx);\n  if (!emitter) return;\n  emitter.then((e) => e.notifyAgentStarted("r"));\n}`, [noFix("truthiness", 2, 19)]),
    // a local handed on in an object literal shorthand, a loose return, a loose comparison
    invalid(`async function f() {\n  const emitter = createUserEmitter(ctx);\n  configure({ emitter, name: "n" });\n}`, [withAwait("looseSlot", 2, 19, `async function f() {\n  const emitter = await createUserEmitter(ctx);\n  configure({ emitter, name: "n" });\n}`)]),
    invalid(`function f(): unknown {\n  const emitter = createUserEmitter(ctx);\n  return emitter;\n}`, [noFix("looseSlot", 2, 19)]),
    invalid(`async function f() {\n  const emitter = createUserEmitter(ctx);\n  if (emitter == null) return;\n}`, [withAwait("nullishProbe", 2, 19, `async function f() {\n  const emitter = await createUserEmitter(ctx);\n  if (emitter == null) return;\n}`)]),
    invalid(`async function f() {\n  const emitter = createUserEmitter(ctx) ?? undefined;\n  return emitter;\n}`, [withAwait("nullishProbe", 2, 19, `async function f() {\n  const emitter = await createUserEmitter(ctx) ?? undefined;\n  return emitter;\n}`)]),
    // a promise-or-nothing is still misused when the promise itself goes into a loose slot
    invalid(`function f() {\n  const existing = typedRegistry.get(ctx);\n  if (existing) register("e", existing);\n}`, [noFix("looseSlot", 2, 20)]),
    invalid(`register("e", typedRegistry.get(ctx) ?? createUserEmitter(ctx));`, [noFix("looseSlot", 1, 41)]),
    // the undefined of an optional call says whether there was a factory, not whether it made a promise
    invalid(
      `declare const factory: ((c: string) => Promise<UserEmitter>) | undefined;\nasync function start() {\n  if (!factory?.(ctx)) return;\n}`,
      [withAwait("truthiness", 3, 8, `declare const factory: ((c: string) => Promise<UserEmitter>) | undefined;\nasync function start() {\n  if (!await factory?.(ctx)) return;\n}`)],
    ),
    // returned from a callback typed to return void: its caller drops the promise
    invalid(`onEvent(() => createUserEmitter(ctx));`, [noFix("voidCallback", 1, 15)]),
    invalid(`[ctx].forEach((c) => createUserEmitter(c));`, [noFix("voidCallback", 1, 22)]),
    invalid(`declare function onClose(listener?: (code: number) => void): void;\nonClose(function () {\n  const emitter = createUserEmitter(ctx);\n  return emitter;\n});`, [noFix("voidCallback", 3, 19)]),
    // a truthiness test through a conditional branch
    invalid(`function f() {\n  return !(cond ? createUserEmitter(ctx) : undefined);\n}`, [noFix("truthiness", 2, 19)]),
    // Promise<this> from a fluent async API
    invalid(`class Connection {\n  async open(): Promise<this> { return this; }\n  send(message: string) { return message; }\n  constructor() {\n    this.open();\n  }\n}`, [noFix("discarded", 5, 5)]),
    // test files: only \`any\` arguments are exempt; unknown slots, stores and tests are still reported
    { code: `register("e", createUserEmitter(ctx));`, filename: "src/emitter.test.ts", files, errors: [noFix("looseSlot", 1, 15)] },
    { code: `const e: any = createUserEmitter(ctx);\nvoid e;`, filename: "src/emitter.spec.ts", files, errors: [noFix("looseSlot", 1, 16)] },
    // a statement cast is still a discard
    invalid(`function f() {\n  createUserEmitter(ctx) as Promise<UserEmitter>;\n}`, [noFix("discarded", 2, 3)]),
    // a Promise subclass is a promise
    invalid(`declare class Deferred<T> extends Promise<T> {}\ndeclare function defer(): Deferred<UserEmitter>;\ndefer();`, [noFix("discarded", 3, 1)]),
    // a local cast to any on its way into a slot
    invalid(`async function f() {\n  const emitter = createUserEmitter(ctx);\n  registry.set("e", emitter as any);\n}`, [withAwait("looseSlot", 2, 19, `async function f() {\n  const emitter = await createUserEmitter(ctx);\n  registry.set("e", emitter as any);\n}`)]),
    // TypeScript itself reports these (TS2801 / TS2339), the rule reports them too
    invalid(`async function f() {\n  if (createUserEmitter(ctx)) return 1;\n  return 0;\n}`, [withAwait("truthiness", 2, 7, `async function f() {\n  if (await createUserEmitter(ctx)) return 1;\n  return 0;\n}`)], { allowTypeErrors: true }),
    invalid(`async function f() {\n  const emitter = createUserEmitter(ctx);\n  emitter?.notifyAgentStarted("r");\n}`, [withAwait("memberProbe", 2, 19, `async function f() {\n  const emitter = await createUserEmitter(ctx);\n  emitter?.notifyAgentStarted("r");\n}`)], { allowTypeErrors: true }),
    invalid(`async function f() {\n  createUserEmitter(ctx)?.notifyAgentStarted("r");\n}`, [withAwait("memberProbe", 2, 3, `async function f() {\n  (await createUserEmitter(ctx))?.notifyAgentStarted("r");\n}`)], { allowTypeErrors: true }),
    // a type with optional methods (a quick-pick item with an optional action) and an intersection of object types are still made
    invalid(`interface Conn { onOpen?(): void; send?(data: string): void }\ntype Tracked = Conn & { readonly id: string };\ndeclare function openConn(): Promise<Conn>;\ndeclare function openTracked(): Promise<Tracked>;\nfunction f() {\n  openConn();\n  openTracked();\n}`, [noFix("discarded", 6, 3), noFix("discarded", 7, 3)]),
  ],
};

export default table;

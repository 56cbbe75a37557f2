import type { CheckTable } from "../utils/check-tester.js";

// Shared event types: line 1 and 2 of every case that starts with `${EVENTS}`.
const MEDIA = `interface MediaElement { src: string }
interface VideoElement extends MediaElement { width: number }
interface AttachOptions { muted: boolean }
`;
const EVENTS = `interface AppEvent { type: string }
interface ClickEvent extends AppEvent { x: number }
`;

const table: CheckTable = {
  valid: [
    // --- parameters: equal, wider, fewer ---
    {
      name: "same parameter type",
      code: `${EVENTS}class Base { handle(e: AppEvent): void {} }
class Child extends Base { override handle(e: AppEvent): void {} }`,
    },
    {
      name: "widening is allowed",
      code: `${EVENTS}class Base { handle(e: ClickEvent): void {} }
class Child extends Base { override handle(e: AppEvent | string): void {} }`,
    },
    {
      name: "fewer parameters is fine",
      code: `${EVENTS}class Base { handle(e: AppEvent, retries: number): void {} }
class Child extends Base { override handle(e: AppEvent): void {} }
class Ignoring extends Base { override handle(): void {} }`,
    },
    {
      name: "an optional override parameter where the parent's is required",
      code: `class Base { open(path: string, mode: string): void {} }
class Child extends Base { override open(path?: string, mode = "r"): void {} }`,
    },
    {
      name: "widening a template literal type to string is allowed",
      code: `class Store { save(key: \`run:\${string}\`): void {} }
class AnyKeyStore extends Store { override save(key: string): void {} }`,
    },
    {
      name: "a template literal over the method's own type parameter is not compared",
      code: `class Store { save(key: string): void {} }
class RunStore extends Store { override save<K extends string>(key: \`run:\${K}\` | K): void {} }`,
    },
    {
      name: "parent parameter of type any accepts nothing narrower to compare",
      code: `${EVENTS}class Base { handle(data: any): void {} }
class Child extends Base { override handle(data: ClickEvent): void {} }`,
    },
    {
      name: "override parameter of type unknown accepts everything",
      code: `${EVENTS}class Base { handle(data: AppEvent): void {} }
class Child extends Base { override handle(data: unknown): void {} }`,
    },
    {
      name: "rest parameter in the override accepts every argument",
      code: `class Base { log(level: string, message: string): void {} }
class Child extends Base { override log(...parts: string[]): void {} }`,
    },
    {
      name: "fixed parameters covering a tuple rest",
      code: `class Base { move(...args: [x: number, y: number]): void {} }
class Child extends Base { override move(x: number, y: number): void {} }`,
    },
    {
      name: "destructured parameter of the same type",
      code: `interface Options { retries: number; verbose?: boolean }
class Base { configure(options: Options): void {} }
class Child extends Base { override configure({ retries }: Options): void {} }`,
    },
    // --- generics ---
    {
      name: "generic parent instantiated with the override's type",
      code: `${EVENTS}class Base<T> { handle(e: T): void {} }
class Child extends Base<ClickEvent> { override handle(e: ClickEvent): void {} }`,
    },
    {
      name: "generic class forwarding its type parameter",
      code: `interface Entity { id: string }
interface Repository<T extends Entity> { save(entity: T): Promise<void>; find(id: string): Promise<T | undefined> }
class MemoryRepository<T extends Entity> implements Repository<T> {
  private readonly items = new Map<string, T>();
  async save(entity: T): Promise<void> { this.items.set(entity.id, entity); }
  async find(id: string): Promise<T | undefined> { return this.items.get(id); }
}`,
    },
    {
      name: "Repository<User> implemented for User",
      code: `interface User { id: string; name: string }
interface Repository<T> { save(entity: T): Promise<void>; remove(id: string): Promise<boolean> }
class UserRepository implements Repository<User> {
  async save(user: User): Promise<void> {}
  async remove(id: string): Promise<boolean> { return id.length > 0; }
}`,
    },
    {
      name: "generic methods with their own type parameters",
      code: `class Base<T> {
  map<U>(f: (item: T) => U): U[] { return []; }
  pick<K extends keyof T>(key: K): void {}
}
class Child<T> extends Base<T> {
  override map<V>(f: (item: T) => V): V[] { return []; }
  override pick<K extends keyof T>(key: K): void {}
}`,
    },
    {
      name: "generic method overriding with a wider constraint",
      code: `${EVENTS}class Base { dispatch<E extends ClickEvent>(e: E): void {} }
class Child extends Base { override dispatch<E extends AppEvent>(e: E): void {} }`,
    },
    {
      name: "polymorphic this parameter",
      code: `interface Comparable { equals(other: this): boolean }
class Point implements Comparable {
  constructor(readonly x: number) {}
  equals(other: this): boolean { return other.x === this.x; }
}
class Point3 extends Point { override equals(other: this): boolean { return other.x === this.x; } }`,
    },
    {
      name: "polymorphic this nested in an implemented interface's parameter",
      code: `interface Tree { adopt(children: Array<this>): void; pair(other: [this, this]): void }
class Folder implements Tree {
  adopt(children: Array<this>): void {}
  pair(other: [this, this]): void {}
}`,
    },
    {
      name: "React-like Component<P> subclass",
      code: `interface Node { tag: string }
class Component<P, S = {}> {
  state!: S;
  constructor(readonly props: P) {}
  setState(partial: Partial<S>): void { this.state = { ...this.state, ...partial }; }
  componentDidMount(): void {}
  render(): Node | null { return null; }
}
interface ButtonProps { label: string; onPress(): void }
class Button extends Component<ButtonProps, { pressed: boolean }> {
  declare props: ButtonProps;
  override componentDidMount(): void { this.setState({ pressed: false }); }
  override render(): Node { return { tag: this.props.label }; }
}`,
    },
    // --- hierarchies ---
    {
      name: "three levels, each override as wide as its parent",
      code: `${EVENTS}class Root { handle(e: ClickEvent): void {} }
class Middle extends Root { override handle(e: AppEvent): void {} }
class Leaf extends Middle { override handle(e: AppEvent | string): void {} }`,
    },
    {
      name: "interfaces extending interfaces with the same or wider parameters",
      code: `${EVENTS}interface Listener { on(e: ClickEvent): void }
interface WideListener extends Listener { on(e: AppEvent): void }
interface Same extends WideListener { on(e: AppEvent): void }`,
    },
    {
      name: "implements a type alias correctly",
      code: `type Sink = { write(chunk: string | Uint8Array): void };
class Buffered implements Sink { write(chunk: string | Uint8Array): void {} }`,
    },
    {
      name: "abstract member implemented as wide",
      code: `${EVENTS}abstract class Handler { abstract handle(e: AppEvent): void }
class Logger extends Handler { handle(e: AppEvent): void {} }`,
    },
    // --- overloads ---
    {
      name: "overload set splitting the parent's union",
      code: `class Base { write(value: string | number): void {} }
class Child extends Base {
  override write(value: string): void;
  override write(value: number): void;
  override write(value: string | number): void {}
}`,
    },
    {
      name: "overloads with a catch-all signature",
      code: `interface Emitter { on(event: string, listener: (...args: unknown[]) => void): void }
class Typed implements Emitter {
  on(event: "open", listener: () => void): void;
  on(event: string, listener: (...args: unknown[]) => void): void;
  on(event: string, listener: (...args: any[]) => void): void {}
}`,
    },
    {
      name: "parent overloads each covered by the override",
      code: `class Base {
  read(): string;
  read(size: number): string;
  read(size?: number): string { return ""; }
}
class Child extends Base { override read(size?: number): string { return String(size); } }`,
    },
    {
      name: "narrow overloads over an implementation that accepts the parent's arguments",
      code: `class Emitter { on(event: string | symbol, listener: (...args: any[]) => void): this { return this; } }
class Typed extends Emitter {
  override on(event: "open", listener: () => void): this;
  override on(event: "message", listener: (text: string) => void): this;
  override on(event: string | symbol, listener: (...args: any[]) => void): this { return super.on(event, listener); }
}`,
    },
    {
      name: "a zero-argument overload beside an overload that widens the parent's parameter",
      code: `${MEDIA}class Track {
  attach(element: VideoElement): MediaElement { return element; }
}
class AnyTrack extends Track {
  override attach(): MediaElement;
  override attach(element: MediaElement): MediaElement;
  override attach(element?: MediaElement): MediaElement { return element ?? { src: "" }; }
}`,
    },
    {
      name: "overloads that only add a call form to the parent's",
      code: `${MEDIA}class Track {
  attach(): MediaElement;
  attach(element: MediaElement): MediaElement;
  attach(element?: MediaElement): MediaElement { return element ?? { src: "" }; }
}
class RemoteTrack extends Track {
  override attach(): MediaElement;
  override attach(element: MediaElement): MediaElement;
  override attach(element: MediaElement, options: AttachOptions): MediaElement;
  override attach(element?: MediaElement, options?: AttachOptions): MediaElement {
    return options?.muted ? { src: "" } : (element ?? { src: "" });
  }
}`,
    },
    {
      name: "interface overloads that take every argument count of the parent's optional parameter",
      code: `${MEDIA}interface Source { read(size?: number): string; attach(element: MediaElement | string): void }
interface Stream extends Source {
  read(): string;
  read(size: number): string;
  attach(): void;
  attach(element: MediaElement): void;
  attach(element: string): void;
}`,
    },
    {
      name: "declaration files are not analyzed",
      filename: "src/types.d.ts",
      code: `declare class Base { handle(e: string | number): void }
declare class Child extends Base { handle(e: string): void }`,
    },
    // --- this parameters ---
    {
      name: "this parameter narrowed to the subclass is the receiver, not an argument",
      code: `${EVENTS}class Base { handle(this: Base, e: AppEvent): void {} }
class Child extends Base { override handle(this: Child, e: AppEvent): void {} }`,
    },
    // --- member kinds ---
    {
      name: "arrow property implementing an interface method as wide",
      code: `${EVENTS}interface Handler { handle(e: ClickEvent): void }
class Impl implements Handler { handle = (e: AppEvent): void => {}; }`,
    },
    {
      name: "covariant data fields are not parameters",
      code: `class Shape { kind: string = "shape"; tags: readonly string[] = []; }
class Circle extends Shape { override kind: "circle" = "circle"; override tags: readonly "round"[] = []; }`,
    },
    {
      name: "static member with the name of a parent instance member",
      code: `${EVENTS}class Base { handle(e: AppEvent): void {} static create(e: AppEvent): Base { return new Base(); } }
class Child extends Base { static handle(e: ClickEvent): void {} static override create(e: ClickEvent): Child { return new Child(); } }`,
    },
    {
      name: "constructors are never compared",
      code: `${EVENTS}class Base { constructor(e: AppEvent) {} }
class Child extends Base { constructor(e: ClickEvent) { super(e); } }`,
    },
    {
      name: "#private members are not inherited",
      code: `${EVENTS}class Base { #handle(e: AppEvent): void {} run(e: ClickEvent): void { this.#handle(e); } }
class Child extends Base { #handle(e: ClickEvent): void {} }`,
    },
    {
      name: "private member of a class without a parent member",
      code: `${EVENTS}class Base { protected handle(e: AppEvent): void {} }
class Child extends Base { private check(e: ClickEvent): void {} protected override handle(e: AppEvent): void { this.check(e as ClickEvent); } }`,
    },
    {
      name: "setter as wide as the parent's",
      code: `class Base { set value(v: string) {} get value(): string { return ""; } }
class Child extends Base { override set value(v: string | number) {} override get value(): string { return ""; } }`,
    },
    {
      name: "setter added over a readonly parent property",
      code: `interface Config { readonly level: string | number }
class Impl implements Config { get level(): string { return ""; } set level(v: string) {} }`,
    },
    {
      name: "declare field narrowing a data property",
      code: `interface BaseProps { id: string }
interface ChildProps extends BaseProps { label: string }
class View { props: BaseProps = { id: "" }; }
class LabelView extends View { declare props: ChildProps; }`,
    },
    {
      name: "interface merged into a class only describes the inherited implementation",
      code: `class Emitter { on(event: string, listener: (...args: unknown[]) => void): this { return this; } }
interface Socket { on(event: "message", listener: (data: string) => void): this }
class Socket extends Emitter {}`,
    },
    {
      name: "merged interface declarations are overloads, not overrides",
      code: `interface Codec { encode(value: string): string }
interface Codec { encode(value: number): string }`,
    },
    {
      name: "mixin whose class widens the parent",
      code: `${EVENTS}class Base { handle(e: ClickEvent): void {} }
type Constructor<T = {}> = new (...args: any[]) => T;
function Logged<TBase extends Constructor<Base>>(Super: TBase) {
  return class extends Super { override handle(e: AppEvent): void {} };
}
class Final extends Logged(Base) { override handle(e: AppEvent): void {} }`,
    },
    {
      name: "object literals typed as an interface are out of scope",
      code: `${EVENTS}interface Handler { handle(e: AppEvent): void }
export const handler: Handler = { handle(e: ClickEvent) {} };`,
    },
    {
      name: "lib parents: Error and Array subclasses that keep the parent's parameters",
      code: `class HttpError extends Error {
  constructor(readonly status: number) { super(String(status)); }
  override toString(): string { return this.message; }
}
class Names extends Array<string> {
  override push(...items: string[]): number { return super.push(...items.map((s) => s.trim())); }
  override includes(name: string, from?: number): boolean { return super.includes(name.trim(), from); }
}`,
    },
    {
      name: "callback parameters: the override accepts more callbacks",
      code: `class Base { subscribe(listener: () => Promise<void>): void {} }
class Child extends Base { override subscribe(listener: () => unknown): void {} }`,
    },
    {
      name: "event handler map implemented with exact parameter types",
      code: `interface Message { text: string }
interface SocketHandlers { onMessage(message: Message): void; onClose(code: number, reason: string): void; onError?(error: Error): void }
class ChatHandlers implements SocketHandlers {
  onMessage(message: Message): void {}
  onClose(code: number): void {}
  onError(error: unknown): void {}
}`,
    },
    {
      name: "unresolvable parent: no finding, no crash",
      code: `class Local extends Missing { handle(e: string): void {} }`,
      allowTypeErrors: true,
    },
    {
      name: "parent typed any: no finding, no crash",
      code: `declare const Anything: any;
export class Local extends Anything { handle(e: string): Promise<void> { throw new Error(e); } }`,
    },
    {
      name: "a class implementing a class, with the same parameters",
      code: `class Point { x = 0; move(dx: number, dy?: number): void {} }
class Pixel implements Point { x = 0; move(dx: number, dy = 0): void {} }`,
    },
    {
      name: "a class without parents",
      code: `class Standalone { handle(e: string): Promise<void> { throw new Error("x"); } }`,
    },
    // --- async overrides ---
    {
      name: "() => void callback property implemented by a function returning a value",
      code: `interface Hooks { onTick: () => void; onStop(): void }
class Ticker implements Hooks { count = 0; onTick = () => ++this.count; onStop(): number { return this.count; } }`,
    },
    {
      name: "parent already returns a Promise",
      code: `class Base { async start(): Promise<void> {} }
class Child extends Base { override async start(): Promise<void> { await super.start(); } }`,
    },
    {
      name: "parent returns void | Promise<void>, any, unknown or PromiseLike",
      code: `class Base {
  a(): void | Promise<void> {}
  b(): any { return 1; }
  c(): unknown { return 1; }
  d(): PromiseLike<void> { return Promise.resolve(); }
}
class Child extends Base {
  override async a(): Promise<void> {}
  override async b(): Promise<number> { return 1; }
  override async c(): Promise<number> { return 1; }
  override async d(): Promise<void> {}
}`,
    },
    {
      name: "synchronous override of an async parent",
      code: `class Base { async stop(): Promise<void> {} }
class Child extends Base { override stop(): Promise<void> { return Promise.resolve(); } }`,
    },
    {
      name: "async generator override is not a Promise",
      code: `class Base { *items(): Iterable<number> { yield 1; } }
class Child extends Base { override async *items(): AsyncGenerator<number> & Iterable<number> { yield 1; } }`,
      allowTypeErrors: true,
    },
    {
      name: "asyncVoidOverrides: false allows fire-and-forget overrides of void members",
      code: `class Base { componentDidMount(): void {} }
class Page extends Base { override async componentDidMount(): Promise<void> {} }`,
      options: { asyncVoidOverrides: false },
    },
    // --- throw-only overrides ---
    {
      name: "parent throws too",
      code: `class Base { save(): void { throw new Error("subclass must implement save"); } }
class Child extends Base { override save(): void { throw new Error("not supported"); } }`,
    },
    {
      name: "parent returns never",
      code: `interface Failer { fail(reason: string): never }
class Strict implements Failer { fail(reason: string): never { throw new Error(reason); } }`,
    },
    {
      name: "override that throws only on some paths",
      code: `class Base { save(item: string): void {} }
class Child extends Base {
  override save(item: string): void {
    if (item.length === 0) throw new Error("empty");
    super.save(item);
  }
}`,
    },
    {
      name: "override that returns before it throws",
      code: `class Base { parse(text: string): number { return Number(text); } }
class Child extends Base {
  override parse(text: string): number {
    for (const c of text) if (c === "x") return 0;
    throw new Error("no x");
  }
}`,
    },
    {
      name: "a test double in a test file throws for the members its test does not need",
      filename: "src/repo.test.ts",
      code: `interface Repo { find(id: string): Promise<string | undefined>; remove(id: string): Promise<void> }
class Store { save(item: string): void { void item; } }
export class InMemoryRepo implements Repo {
  private readonly rows = new Map<string, string>();
  async find(id: string): Promise<string | undefined> { return this.rows.get(id); }
  async remove(): Promise<void> { throw new Error("not needed"); }
}
export class FakeStore extends Store {
  override save(): void { throw new Error("not needed"); }
}`,
    },
    {
      name: "throwOnlyImplementations: false allows throw-only interface implementations",
      code: `interface Store { save(item: string): void }
class ReadOnly implements Store { save(item: string): void { throw new Error("read-only"); } }`,
      options: { throwOnlyImplementations: false },
    },
    {
      name: "a Proxy handler trap that throws refuses the operation, as the ProxyHandler contract allows",
      code: `class ReadOnlyHandler<T extends object> implements ProxyHandler<T> {
  get(target: T, key: string | symbol): unknown { return Reflect.get(target, key); }
  set(): boolean { throw new Error("read-only"); }
  deleteProperty(): never { throw new Error("Unsupported operation"); }
  defineProperty(): never { throw new Error("Unsupported operation"); }
}`,
    },
    {
      name: "an iterator's throw() that rethrows into the iteration",
      code: `class Counter implements Iterator<number> {
  private n = 0;
  next(): IteratorResult<number> { return { value: this.n++, done: false }; }
  throw(error?: unknown): IteratorResult<number> { throw error; }
}`,
    },
    // --- a narrowed parameter whose every use accepts the parent's type ---
    {
      name: "typed overloads over an implementation that passes the narrowed event straight to super",
      code: `class Emitter { on(event: string | symbol, listener: (...args: any[]) => void): this { return this; } }
class Typed extends Emitter {
  override on(event: "open", listener: () => void): this;
  override on(event: string, listener: (...args: any[]) => void): this;
  override on(event: string, listener: (...args: any[]) => void): this { return super.on(event, listener); }
}`,
    },
    {
      name: "a narrowed parameter only compared with literals, switched on, or passed to a wider API",
      code: `declare function log(message?: string | number): void;
interface Query { list(query?: string | number): string[] }
class Settings implements Query {
  list(query?: "ids" | "all"): string[] {
    if (query === "ids") return [];
    switch (query) { case "all": return ["a"]; }
    if (typeof query === "number") return [];
    if (!query) return [];
    log(query);
    return [];
  }
}
class Keys implements Query {
  list(query?: string): string[] { log(query); return query === undefined ? [] : ["all"]; }
}`,
    },
    {
      name: "a parent callback typed Function narrowed to a concrete callback that the body only calls",
      code: `class Scheduler { run(task: Function, delay: number): void {} }
class Immediate extends Scheduler {
  override run(task: () => void, delay: number): void { if (delay === 0) task(); }
}
class AnyArgs { call(fn: (...args: any[]) => any): void {} }
class OneArg extends AnyArgs { override call(fn: (n: number) => void): void { fn(1); } }`,
    },
    // --- async overrides of void hooks that catch everything they await ---
    {
      name: "async override of a void hook whose every await is inside try/catch",
      code: `class Monitor { protected tick = (): void => {}; poll(): void {} }
declare function fetchStats(): Promise<number>;
declare function report(e: unknown): void;
class Sender extends Monitor {
  protected override tick = async () => {
    let stats = 0;
    try { stats = await fetchStats(); } catch { return; }
    void stats;
  };
  override async poll(): Promise<void> {
    try {
      for await (const s of [fetchStats()]) void s;
    } catch (e) { report(e); } finally { void 0; }
  }
}`,
    },
  ],
  invalid: [
    // --- narrower parameters ---
    {
      name: "subclass narrows a parameter",
      code: `${EVENTS}class Base { handle(e: AppEvent): void {} }
class Child extends Base { override handle(e: ClickEvent): void {} }`,
      errors: [
        {
          messageId: "narrowerParameter",
          line: 4,
          column: 37,
          data: {
            child: "Child.handle(e: ClickEvent)",
            parent: "Base.handle(e: AppEvent)",
            holder: "Base",
            param: "e",
            expected: "AppEvent",
          },
        },
      ],
    },
    {
      name: "narrowing string to a template literal type",
      code: `class Store { save(key: string): void {} }
class RunStore extends Store { override save(key: \`run:\${string}\`): void {} }`,
      errors: [{ messageId: "narrowerParameter", line: 2, column: 41, data: { expected: "string" } }],
    },
    {
      name: "narrowing string to an uppercase string mapping",
      code: `class Store { save(key: string): void {} }
class LoudStore extends Store { override save(key: Uppercase<string>): void {} }`,
      errors: [{ messageId: "narrowerParameter", line: 2, column: 42 }],
    },
    {
      name: "generic parent instantiated with a wider type",
      code: `${EVENTS}class Base<T> { handle(e: T): void {} }
class Child extends Base<AppEvent> { override handle(e: ClickEvent): void {} }`,
      errors: [{ messageId: "narrowerParameter", line: 4, column: 47, data: { parent: "Base.handle(e: AppEvent)", holder: "Base<AppEvent>" } }],
    },
    {
      name: "generic interface implemented with a narrower parameter",
      code: `${EVENTS}interface Handler<T> { handle(e: T): void }
class Clicks implements Handler<AppEvent> { handle(e: ClickEvent): void {} }`,
      errors: [{ messageId: "narrowerParameter", line: 4, column: 45 }],
    },
    {
      name: "generic derived class narrowing its own type parameter (tsc rejects it too)",
      allowTypeErrors: true,
      code: `${EVENTS}class Base<T> { handle(e: T): void {} }
class Child<T extends AppEvent> extends Base<T> { override handle(e: ClickEvent): void {} }`,
      errors: [{ messageId: "narrowerParameter", line: 4, column: 60 }],
    },
    {
      name: "generic method parent, concrete narrower override (tsc rejects it too)",
      allowTypeErrors: true,
      code: `${EVENTS}class Base { dispatch<E extends AppEvent>(e: E): void {} }
class Child extends Base { override dispatch(e: ClickEvent): void {} }`,
      errors: [{ messageId: "narrowerParameter", line: 4, column: 37, data: { expected: "AppEvent" } }],
    },
    {
      name: "generic override method with a narrower constraint",
      code: `${EVENTS}class Base { handle(e: AppEvent): void {} }
class Child extends Base { override handle<E extends ClickEvent>(e: E): void {} }`,
      errors: [{ messageId: "narrowerParameter", line: 4, column: 37, data: { expected: "AppEvent" } }],
    },
    {
      name: "three levels: grandparent member, parent does not redeclare it",
      code: `${EVENTS}class Root { handle(e: AppEvent): void {} }
class Middle extends Root {}
class Leaf extends Middle { override handle(e: ClickEvent): void {} }`,
      errors: [{ messageId: "narrowerParameter", line: 5, column: 38, data: { parent: "Root.handle(e: AppEvent)", holder: "Middle" } }],
    },
    {
      name: "three levels: compared with the nearest override",
      code: `${EVENTS}class Root { handle(e: ClickEvent): void {} }
class Middle extends Root { override handle(e: AppEvent): void {} }
class Leaf extends Middle { override handle(e: ClickEvent): void {} }`,
      errors: [{ messageId: "narrowerParameter", line: 5, column: 38, data: { parent: "Middle.handle(e: AppEvent)" } }],
    },
    {
      name: "interface implemented by a class",
      code: `interface Sink { write(chunk: string | Uint8Array): void }
class TextSink implements Sink { write(chunk: string): void {} }`,
      errors: [{ messageId: "narrowerParameter", line: 2, column: 34, data: { expected: "string | Uint8Array<ArrayBufferLike>" } }],
    },
    {
      name: "implements a type alias",
      code: `type Sink = { write(chunk: string | Uint8Array): void };
class TextSink implements Sink { write(chunk: string): void {} }`,
      errors: [{ messageId: "narrowerParameter", line: 2, column: 34, data: { parent: "Sink.write(chunk: string | Uint8Array<ArrayBufferLike>)" } }],
    },
    {
      name: "interface extending an interface narrows a method signature",
      code: `${EVENTS}interface Listener { on(e: AppEvent): void }
interface ClickListener extends Listener { on(e: ClickEvent): void }`,
      errors: [{ messageId: "narrowerParameter", line: 4, column: 44 }],
    },
    {
      name: "optional parameter made required",
      code: `interface Reader { read(size?: number): string }
interface SizedReader extends Reader { read(size: number): string }
class Base { open(path: string, mode?: string): void {} }
class Child extends Base { override open(path: string, mode: string): void {} }`,
      errors: [
        { messageId: "narrowerParameter", line: 2, column: 40, data: { expected: "number | undefined", param: "size" } },
        { messageId: "narrowerParameter", line: 4, column: 37, data: { parent: "Base.open(path: string, mode?: string)", param: "mode" } },
      ],
    },
    {
      name: "rest parameter narrowed",
      code: `class Base { log(...parts: unknown[]): void {} }
class Strings extends Base { override log(...parts: string[]): void {} }
class First extends Base { override log(first: string): void {} }`,
      errors: [
        { messageId: "narrowerParameter", line: 2, column: 39, data: { expected: "unknown", param: "parts" } },
        { messageId: "narrowerParameter", line: 3, column: 37 },
      ],
    },
    {
      name: "fixed parameters of the parent against a narrower rest",
      code: `class Base { log(level: string, message: string): void {} }
class Child extends Base { override log(...parts: Array<"info" | "warn">): void {} }`,
      errors: [{ messageId: "narrowerParameter", line: 2, column: 37, data: { expected: "string" } }],
    },
    {
      name: "parent unknown, override narrower",
      code: `interface Payload { id: string }
class Base { handle(data: unknown): void {} }
class Child extends Base { override handle(data: Payload): void {} }`,
      errors: [{ messageId: "narrowerParameter", line: 3, column: 37, data: { expected: "unknown" } }],
    },
    {
      name: "second parameter narrowed",
      code: `${EVENTS}class Base { route(path: string, e: AppEvent): void {} }
class Child extends Base { override route(path: string, e: ClickEvent): void {} }`,
      errors: [{ messageId: "narrowerParameter", line: 4, column: 37, data: { param: "e" } }],
    },
    {
      name: "an overload narrowing the parent's parameter beside a zero-argument overload",
      code: `${MEDIA}class Track {
  attach(): MediaElement;
  attach(element: MediaElement): MediaElement;
  attach(element?: MediaElement): MediaElement { return element ?? { src: "" }; }
}
class VideoTrack extends Track {
  override attach(): MediaElement;
  override attach(element: VideoElement): MediaElement;
  override attach(element?: VideoElement): MediaElement {
    if (element && element.width > 0) element.src = "";
    return element ?? super.attach();
  }
}`,
      errors: [
        {
          messageId: "narrowerParameter",
          line: 10,
          column: 12,
          data: { child: "VideoTrack.attach(element: VideoElement)", parent: "Track.attach(element: MediaElement)", expected: "MediaElement" },
        },
      ],
    },
    {
      name: "interface overloads: a zero-argument form does not take the parent's argument",
      code: `${MEDIA}interface Track { attach(element: MediaElement): MediaElement }
interface VideoTrack extends Track {
  attach(): MediaElement;
  attach(element: VideoElement): MediaElement;
}`,
      errors: [{ messageId: "narrowerParameter", line: 6, column: 3, data: { expected: "MediaElement" } }],
    },
    {
      name: "a shorter overload does not take the parent's second argument",
      code: `${EVENTS}class Base { send(text: string, e: AppEvent): void {} }
class Child extends Base {
  override send(text: string): void;
  override send(text: string, e: ClickEvent): void;
  override send(text: string, e?: ClickEvent): void { if (e && e.x > text.length) e.type = text; }
}`,
      errors: [{ messageId: "narrowerParameter", line: 5, column: 12, data: { param: "e", expected: "AppEvent" } }],
    },
    {
      name: "overloads that do not cover the parent",
      code: `class Base { write(value: string | number | boolean): void {} }
class Child extends Base {
  override write(value: string): void;
  override write(value: number): void;
  override write(value: string | number): void {}
}`,
      errors: [{ messageId: "narrowerParameter", line: 3, column: 12 }],
    },
    {
      name: "a parent overload not covered by the override (tsc rejects it too)",
      allowTypeErrors: true,
      code: `${EVENTS}class Base {
  send(text: string): void;
  send(text: string, e: AppEvent): void;
  send(text: string, e?: AppEvent): void {}
}
class Child extends Base { override send(text: string, e?: ClickEvent): void {} }`,
      errors: [{ messageId: "narrowerParameter", line: 8, column: 37, data: { parent: "Base.send(text: string, e: AppEvent)", expected: "AppEvent" } }],
    },
    {
      name: "abstract member implemented narrower",
      code: `${EVENTS}abstract class Handler { abstract handle(e: AppEvent): void }
class Clicks extends Handler { handle(e: ClickEvent): void {} }`,
      errors: [{ messageId: "narrowerParameter", line: 4, column: 32 }],
    },
    {
      name: "abstract member narrowing an interface member",
      code: `${EVENTS}interface Handler { handle(e: AppEvent): void }
abstract class ClickHandler implements Handler { abstract handle(e: ClickEvent): void }`,
      errors: [{ messageId: "narrowerParameter", line: 4, column: 59 }],
    },
    {
      name: "this parameters do not shift positions",
      code: `${EVENTS}class Base { handle(this: Base, e: AppEvent): void {} }
class Child extends Base { override handle(this: Child, e: ClickEvent): void {} }`,
      errors: [{ messageId: "narrowerParameter", line: 4, column: 37, data: { param: "e", child: "Child.handle(this: Child, e: ClickEvent)" } }],
    },
    {
      name: "arrow property implementing an interface method",
      code: `${EVENTS}interface Handler { handle(e: AppEvent): void }
class Impl implements Handler { handle = (e: ClickEvent): void => {}; }`,
      errors: [{ messageId: "narrowerParameter", line: 4, column: 33 }],
    },
    {
      name: "method implementing a function-typed property (bivariance hack)",
      code: `${EVENTS}type EventHandler<E> = { bivarianceHack(event: E): void }["bivarianceHack"];
interface ButtonProps { onClick: EventHandler<AppEvent> }
class Button implements ButtonProps { onClick(event: ClickEvent): void {} }`,
      errors: [{ messageId: "narrowerParameter", line: 5, column: 39 }],
    },
    {
      name: "parameter property implementing an interface method",
      code: `${EVENTS}interface Handler { handle(e: AppEvent): void }
class Impl implements Handler { constructor(readonly handle: (e: ClickEvent) => void) {} }`,
      errors: [{ messageId: "narrowerParameter", line: 4, column: 54 }],
    },
    {
      name: "declare field narrowing a parent method",
      code: `${EVENTS}class Base { handle(e: AppEvent): void {} }
class Child extends Base { declare handle: (e: ClickEvent) => void; }`,
      errors: [{ messageId: "narrowerParameter", line: 4, column: 36 }],
    },
    {
      name: "callback parameter: the override requires a callback that takes more events (tsc rejects it too)",
      allowTypeErrors: true,
      code: `${EVENTS}class Base { subscribe(listener: (e: ClickEvent) => void): void {} }
class Child extends Base { override subscribe(listener: (e: AppEvent) => void): void {} }`,
      errors: [{ messageId: "narrowerParameter", line: 4, column: 37, data: { expected: "(e: ClickEvent) => void" } }],
    },
    {
      name: "setter narrowing the parent's setter",
      code: `class Base { get value(): string { return ""; } set value(v: string | number) {} }
class Child extends Base { override get value(): string { return ""; } override set value(v: string) {} }`,
      errors: [{ messageId: "narrowerParameter", line: 2, column: 85, data: { child: "set Child.value(v: string)", expected: "string | number" } }],
    },
    {
      name: "setter narrowing a writable interface property",
      code: `interface Config { level: string | number }
class Impl implements Config { get level(): string { return ""; } set level(v: string) {} }`,
      errors: [{ messageId: "narrowerParameter", line: 2, column: 71, data: { parent: "Config.level: string | number" } }],
    },
    {
      name: "mixin class expression narrowing its constrained base",
      code: `${EVENTS}class Base { handle(e: AppEvent): void {} }
type Constructor<T = {}> = new (...args: any[]) => T;
function Clicky<TBase extends Constructor<Base>>(Super: TBase) {
  return class extends Super { override handle(e: ClickEvent): void {} };
}
class Final extends Clicky(Base) {}
class Leaf extends Clicky(Base) { override handle(e: ClickEvent): void {} }`,
      errors: [
        { messageId: "narrowerParameter", line: 6, column: 41, data: { holder: "Base" } },
        { messageId: "narrowerParameter", line: 9, column: 44, data: { parent: "Base.handle(e: AppEvent)" } },
      ],
    },
    {
      name: "class merged with an interface that extends a parent",
      code: `${EVENTS}interface Handler { handle(e: AppEvent): void }
interface Clicks extends Handler {}
class Clicks { handle(e: ClickEvent): void {} }`,
      errors: [{ messageId: "narrowerParameter", line: 5, column: 16, data: { holder: "Handler" } }],
    },
    {
      name: "class merged with an extra interface still checks its members",
      code: `${EVENTS}class Base { handle(e: AppEvent): void {} }
interface Child { extra(): void }
class Child extends Base { override handle(e: ClickEvent): void {} }`,
      errors: [{ messageId: "narrowerParameter", line: 5, column: 37 }],
    },
    {
      name: "Array subclass narrowing push",
      code: `class Letters extends Array<string> {
  override push(...items: Array<"a" | "b">): number { return super.push(...items); }
}`,
      errors: [{ messageId: "narrowerParameter", line: 2, column: 12, data: { holder: "string[]", expected: "string" } }],
    },
    {
      name: "class expression named by its variable",
      code: `${EVENTS}interface Handler { handle(e: AppEvent): void }
export const Impl = class implements Handler { handle(e: ClickEvent): void {} };`,
      errors: [{ messageId: "narrowerParameter", line: 4, column: 48, data: { child: "Impl.handle(e: ClickEvent)" } }],
    },
    {
      name: "protected member narrowed",
      code: `${EVENTS}abstract class Base { protected abstract onEvent(e: AppEvent): void }
class Child extends Base { protected override onEvent(e: ClickEvent): void {} }`,
      errors: [{ messageId: "narrowerParameter", line: 4, column: 47 }],
    },
    {
      name: "symbol-keyed member narrowed",
      code: `const key = Symbol("key");
class Base { [key](value: string | number): void {} }
class Child extends Base { override [key](value: string): void {} }`,
      errors: [{ messageId: "narrowerParameter", line: 3, column: 37 }],
    },
    {
      name: "extends and implements: one finding per kind",
      code: `${EVENTS}interface Handler { handle(e: AppEvent): void }
class Base implements Handler { handle(e: AppEvent): void {} }
class Child extends Base implements Handler { override handle(e: ClickEvent): void {} }`,
      errors: [{ messageId: "narrowerParameter", line: 5, column: 56, data: { holder: "Base" } }],
    },
    {
      name: "generic parent with a default type argument",
      code: `${EVENTS}class Base<T = AppEvent> { handle(e: T): void {} }
class Child extends Base { override handle(e: ClickEvent): void {} }`,
      errors: [{ messageId: "narrowerParameter", line: 4, column: 37, data: { holder: "Base<AppEvent>" } }],
    },
    {
      name: "optional interface method narrowed",
      code: `interface Hooks { onError?(error: Error | string): void }
class Logger implements Hooks { onError(error: Error): void {} }`,
      errors: [{ messageId: "narrowerParameter", line: 2, column: 33 }],
    },
    {
      name: "implements Partial<Handler>",
      code: `${EVENTS}interface Handler { handle(e: AppEvent): void; close(): void }
class Clicks implements Partial<Handler> { handle(e: ClickEvent): void {} }`,
      errors: [{ messageId: "narrowerParameter", line: 4, column: 44 }],
    },
    {
      name: "implements an intersection type alias",
      code: `${EVENTS}type Handler = { handle(e: AppEvent): void } & { name: string };
class Clicks implements Handler { name = "clicks"; handle(e: ClickEvent): void {} }`,
      errors: [{ messageId: "narrowerParameter", line: 4, column: 52 }],
    },
    {
      name: "interface extending two interfaces",
      code: `${EVENTS}interface A { on(e: AppEvent): void }
interface B { on(e: AppEvent): void }
interface C extends A, B { on(e: ClickEvent): void }`,
      errors: [{ messageId: "narrowerParameter", line: 5, column: 28, data: { holder: "A" } }],
    },
    {
      name: "syntax errors: analyzed as far as recovery allows",
      code: `class Base { handle(e: string | number): void {} }
class Child extends Base { override handle(e: string { }`,
      allowTypeErrors: true,
      errors: [{ messageId: "narrowerParameter", line: 2, column: 37 }],
    },
    // --- async overrides ---
    {
      name: "async override of a synchronous void method",
      code: `class Base { start(): void {} }
class Child extends Base { override async start(): Promise<void> {} }`,
      errors: [
        {
          messageId: "asyncOverride",
          line: 2,
          column: 43,
          data: { child: "Child.start()", parent: "Base.start()", childReturn: "Promise<void>", parentReturn: "void", holder: "Base" },
        },
      ],
    },
    {
      name: "async implementation of a void interface method",
      code: `interface Plugin { init(config: string): void }
class Remote implements Plugin { async init(config: string) { await Promise.resolve(config); } }`,
      errors: [{ messageId: "asyncOverride", line: 2, column: 40 }],
    },
    {
      name: "Promise-returning override without async",
      code: `class Base { flush(): void {} }
class Child extends Base { override flush(): Promise<void> { return Promise.resolve(); } }`,
      errors: [{ messageId: "asyncOverride", line: 2, column: 37 }],
    },
    {
      name: "async arrow property for a () => void callback property",
      code: `interface Hooks { onClose: () => void }
class Session implements Hooks { onClose = async (): Promise<void> => {}; }`,
      errors: [{ messageId: "asyncOverride", line: 2, column: 34 }],
    },
    {
      name: "sub-interface turning a method async",
      code: `interface Job { run(): void }
interface RemoteJob extends Job { run(): Promise<void> }`,
      errors: [{ messageId: "asyncOverride", line: 2, column: 35 }],
    },
    {
      name: "async override in a three-level hierarchy through a generic",
      code: `class Root<T> { process(item: T): void {} }
class Middle extends Root<string> {}
class Leaf extends Middle { override async process(item: string): Promise<void> {} }`,
      errors: [{ messageId: "asyncOverride", line: 3, column: 44 }],
    },
    {
      name: "narrower and async at once",
      code: `${EVENTS}class Base { handle(e: AppEvent): void {} }
class Child extends Base { override async handle(e: ClickEvent): Promise<void> {} }`,
      errors: [
        { messageId: "narrowerParameter", line: 4, column: 43 },
        { messageId: "asyncOverride", line: 4, column: 43 },
      ],
    },
    {
      name: "asyncVoidOverrides: false keeps parameter findings",
      code: `${EVENTS}class Base { handle(e: AppEvent): void {} }
class Child extends Base { override async handle(e: ClickEvent): Promise<void> {} }`,
      options: { asyncVoidOverrides: false },
      errors: [{ messageId: "narrowerParameter", line: 4, column: 43 }],
    },
    {
      name: "thenable returned by a () => void callback property",
      code: `interface Hooks { onTick: () => void }
class Ticker implements Hooks { onTick = () => Promise.resolve(42); }`,
      errors: [{ messageId: "asyncOverride", line: 2, column: 33, data: { childReturn: "Promise<number>", parentReturn: "void" } }],
    },
    {
      name: "custom thenable returned where the parent returns void",
      code: `interface Thenable<T> { then(onFulfilled: (value: T) => void): void }
class Base { load(): void {} }
class Child extends Base { override load(): Thenable<string> { return { then: (f) => f("x") }; } }`,
      errors: [{ messageId: "asyncOverride", line: 3, column: 37, data: { childReturn: "Thenable<string>" } }],
    },
    // --- throw-only overrides ---
    {
      name: "throw-only override of a concrete method",
      code: `class Store {
  protected items: string[] = [];
  save(item: string): void { this.items.push(item); }
}
class ReadOnlyStore extends Store {
  override save(item: string): void { throw new Error("read-only store"); }
}`,
      errors: [
        {
          messageId: "throwOnlyOverride",
          line: 6,
          column: 12,
          data: { child: "ReadOnlyStore.save", parent: "Store.save", holder: "Store", owner: "ReadOnlyStore", member: "save" },
        },
      ],
    },
    {
      name: "throw-only implementation of an interface method",
      code: `interface Store { save(item: string): void; load(): string[] }
class Archive implements Store {
  save(item: string): void { throw new Error("archives are read-only"); }
  load(): string[] { return []; }
}`,
      errors: [{ messageId: "throwOnlyOverride", line: 3, column: 3 }],
    },
    {
      name: "throw-only implementation of an abstract method",
      code: `abstract class Transport { abstract send(text: string): void }
class Closed extends Transport { send(text: string): void { throw new Error("closed"); } }`,
      errors: [{ messageId: "throwOnlyOverride", line: 2, column: 34 }],
    },
    {
      name: "throwOnlyImplementations: false still reports concrete parents",
      code: `class Store { items: string[] = []; save(item: string): void { this.items.push(item); } }
class ReadOnly extends Store { override save(item: string): void { throw new Error("read-only"); } }`,
      options: { throwOnlyImplementations: false },
      errors: [{ messageId: "throwOnlyOverride", line: 2, column: 41, data: { parent: "Store.save" } }],
    },
    {
      name: "throw-only through a never-returning helper",
      code: `function unsupported(what: string): never { throw new Error(what + " is not supported"); }
class Base { close(): void {} }
class Child extends Base { override close(): void { unsupported("close"); } }`,
      errors: [{ messageId: "throwOnlyOverride", line: 3, column: 37 }],
    },
    {
      name: "throw-only after some work, and an async throw-only",
      code: `class Base { count = 1; reset(): void {} stop(): Promise<void> { return Promise.resolve(); } }
class Child extends Base {
  override reset(): void { this.count = 0; throw new Error("cannot reset"); }
  override async stop(): Promise<void> { throw new Error("cannot stop"); }
}`,
      errors: [
        { messageId: "throwOnlyOverride", line: 3, column: 12 },
        { messageId: "throwOnlyOverride", line: 4, column: 18 },
      ],
    },
    {
      name: "throw-only arrow property",
      code: `interface Handler { handle(e: string): void }
class Refuser implements Handler { handle = (e: string): void => { throw new Error(e); }; }`,
      errors: [{ messageId: "throwOnlyOverride", line: 2, column: 36 }],
    },
    {
      name: "throw-only setter and getter",
      code: `interface Config { name: string; readonly size: number }
class Frozen implements Config {
  get name(): string { return "frozen"; }
  set name(value: string) { throw new Error("frozen"); }
  get size(): number { throw new Error("no size"); }
}`,
      errors: [
        { messageId: "throwOnlyOverride", line: 4, column: 7, data: { child: "set Frozen.name" } },
        { messageId: "throwOnlyOverride", line: 5, column: 7, data: { child: "get Frozen.size" } },
      ],
    },
    {
      name: "throw-only Map subclass and class expression",
      code: `export class FrozenMap extends Map<string, number> {
  override set(key: string, value: number): this { throw new Error(\`frozen: \${key}=\${value}\`); }
}
interface Closer { close(): void }
export const NoClose = class implements Closer { close(): void { throw new Error("cannot close"); } };`,
      errors: [
        { messageId: "throwOnlyOverride", line: 2, column: 12 },
        { messageId: "throwOnlyOverride", line: 5, column: 50, data: { child: "NoClose.close" } },
      ],
    },
    {
      name: "in a test file, narrowing and async overrides are still reported",
      filename: "test/support/fake-repo.test.ts",
      code: `interface Repo { remove(id: string): void; find(id: string | number): void }
export class InMemoryRepo implements Repo {
  async remove(id: string): Promise<void> { void id; }
  find(id: string): void { void id; }
}`,
      errors: [
        { messageId: "asyncOverride", line: 3, column: 9 },
        { messageId: "narrowerParameter", line: 4, column: 3 },
      ],
    },
    {
      name: "throw-only override of an Array method",
      code: `class Fixed extends Array<number> {
  override push(...items: number[]): number { throw new Error("fixed size"); }
}`,
      errors: [{ messageId: "throwOnlyOverride", line: 2, column: 12 }],
    },
    {
      name: "a narrowed parameter read as its narrower type, stored, or returned stays reported",
      code: `${EVENTS}class Base { handle(e: AppEvent): unknown { return e; } keep(e: AppEvent): void {} send(e: AppEvent): void {} }
class Child extends Base {
  last?: ClickEvent;
  override handle(e: ClickEvent): unknown { return e.x; }
  override keep(e: ClickEvent): void { this.last = e; }
  override send(e: ClickEvent): void { if (e === undefined) return; record(e); }
}
declare function record(e: ClickEvent): void;`,
      errors: [
        { messageId: "narrowerParameter", line: 6, column: 12 },
        { messageId: "narrowerParameter", line: 7, column: 12 },
        { messageId: "narrowerParameter", line: 8, column: 12 },
      ],
    },
    {
      name: "an async override of a void hook with an await outside try/catch, or a try without catch",
      code: `class Monitor { tick(): void {} poll(): void {} }
declare function fetchStats(): Promise<number>;
class Sender extends Monitor {
  override async tick(): Promise<void> {
    try { await fetchStats(); } catch { return; }
    await fetchStats();
  }
  override async poll(): Promise<void> {
    try { await fetchStats(); } finally { void 0; }
  }
}`,
      errors: [
        { messageId: "asyncOverride", line: 4, column: 18 },
        { messageId: "asyncOverride", line: 8, column: 18 },
      ],
    },
    {
      name: "an optional parameter made required stays reported even when only passed on",
      code: `declare function send(done?: boolean): void;
class Base { run(done?: boolean): void {} }
class Child extends Base { override run(done: boolean): void { send(done); } }`,
      errors: [{ messageId: "narrowerParameter", line: 3, column: 37 }],
    },
  ],
};

export default table;

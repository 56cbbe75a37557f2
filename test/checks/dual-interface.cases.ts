import type { CheckTable } from "../utils/check-tester.js";

// Shared plumbing types: structurally unrelated (neither assignable to the other).
const plumbing = `export interface WebSocketManager {
  sendToUser(userId: string, message: string): void;
}
export interface AgentWebSocketBridge {
  emitAgentEvent(runId: string, event: string, payload: object): Promise<void>;
}
`;
const files = { "src/plumbing.ts": plumbing };
const imports = `import type { AgentWebSocketBridge, WebSocketManager } from "./plumbing.js";\n`;
const migrations = [{ from: "WebSocketManager", to: "AgentWebSocketBridge" }];

// A client with a deprecated accessor, and the test globals of vitest / jest, for back-compat tests.
const deviceClient = `export interface Device { id: string }
export class Client {
  /** @deprecated Use {@link Client.getDevice} instead: it also works with asynchronous storage. */
  device(): Device { return { id: "d" }; }
  getDevice(): Promise<Device> { return Promise.resolve({ id: "d" }); }
}
`;
const testGlobals = `declare global {
  const describe: (name: string, fn: () => void) => void;
  const it: { (name: string, fn: () => void): void; each<T>(rows: readonly T[]): (name: string, fn: (row: T) => void) => void; skip(name: string, fn: () => void): void };
}
export {};
`;
const clientFiles = { "src/client.ts": deviceClient, "src/globals.ts": testGlobals };

const table: CheckTable = {
  valid: [
    {
      name: "same suffix: two managers are not parallel plumbing",
      files,
      code: `${imports}export interface OtherWebSocketManager { close(): void }
export class Registry {
  setManager(manager: WebSocketManager): void {}
  setWebSocketManager(manager: OtherWebSocketManager): void {}
}`,
    },
    {
      name: "related types: the bridge implements the manager interface (a proper adapter)",
      code: `export interface WebSocketManager { sendToUser(userId: string, message: string): void }
export class AgentWebSocketBridge implements WebSocketManager {
  sendToUser(userId: string, message: string): void {}
  emitAgentEvent(runId: string): void {}
}
export class Registry {
  setWebSocketManager(manager: WebSocketManager): void {}
  setWebSocketBridge(bridge: AgentWebSocketBridge): void {}
}`,
    },
    {
      name: "different role stems",
      code: `export interface UserManager { find(id: string): void }
export interface OrderBridge { forward(id: number): void }
export class Hub {
  setUserManager(manager: UserManager): void {}
  setOrderBridge(bridge: OrderBridge): void {}
}`,
    },
    {
      name: "overloads of one name",
      files,
      code: `${imports}export class Registry {
  setTransport(manager: WebSocketManager): void;
  setTransport(bridge: AgentWebSocketBridge): void;
  setTransport(transport: WebSocketManager | AgentWebSocketBridge): void {}
}`,
    },
    {
      name: "the two APIs live in unrelated classes",
      files,
      code: `${imports}export class Legacy {
  setWebSocketManager(manager: WebSocketManager): void {}
}
export class Modern {
  setWebSocketBridge(bridge: AgentWebSocketBridge): void {}
}`,
    },
    {
      name: "get/set accessor pair of one role",
      files,
      code: `${imports}export class Registry {
  private manager?: WebSocketManager;
  getWebSocketManager(): WebSocketManager | undefined { return this.manager; }
  setWebSocketManager(manager: WebSocketManager): void { this.manager = manager; }
  get webSocketManager(): WebSocketManager | undefined { return this.manager; }
  set webSocketManager(value: WebSocketManager | undefined) { this.manager = value; }
}`,
    },
    {
      name: "different verbs are different operations",
      files,
      code: `${imports}export class Registry {
  attachWebSocketManager(manager: WebSocketManager): void {}
  setWebSocketBridge(bridge: AgentWebSocketBridge): void {}
}`,
    },
    {
      name: "complementary suffixes: the emitter and the handler of one event are two directions",
      code: `export interface EventEmitter { emit(name: string): void }
export class Widget {
  eventEmitter?: EventEmitter;
  eventHandler?: (name: string) => void;
}`,
    },
    {
      name: "primitive, any and unknown slots say nothing about plumbing",
      files,
      code: `${imports}export class Settings {
  webSocketClient = "ws://localhost";
  webSocketGateway = 8080;
  setEventManager(manager: any): void {}
  setEventBridge(bridge: AgentWebSocketBridge): void {}
  setFeedClient(client: unknown): void {}
  setFeedProxy(proxy: WebSocketManager): void {}
}`,
    },
    {
      name: "a field and a method are not parallel APIs",
      files,
      code: `${imports}export class Registry {
  webSocketManager?: WebSocketManager;
  setWebSocketBridge(bridge: AgentWebSocketBridge): void {}
}`,
    },
    {
      name: "a pair already together in the base is the base's finding, not the subclass's",
      files: {
        ...files,
        "src/base.ts": `${imports}export class Base {
  setWebSocketManager(manager: WebSocketManager): void {}
  setWebSocketBridge(bridge: AgentWebSocketBridge): void {}
}`,
      },
      code: `import type { WebSocketManager } from "./plumbing.js";
import { Base } from "./base.js";
export class Derived extends Base {
  override setWebSocketManager(manager: WebSocketManager): void {}
}`,
    },
    {
      name: "a documented migration (@deprecated naming the sibling) with no remaining calls",
      files,
      code: `${imports}export class Registry {
  /** @deprecated Use {@link Registry.setWebSocketBridge} instead. */
  setWebSocketManager(manager: WebSocketManager): void {}
  setWebSocketBridge(bridge: AgentWebSocketBridge): void {}
}`,
    },
    {
      name: "@deprecated without a replacement that exists is not this rule's business",
      files,
      code: `${imports}export class Registry {
  /** @deprecated will be removed in 3.0; use the new transport */
  connect(): void {}
  /** @deprecated Use \`openStream\` instead. */
  open(): void {}
  /** @deprecated use the bridge */
  send(): void {}
  bridge = { connected: true };
}
new Registry().connect();
new Registry().open();
new Registry().send();`,
    },
    {
      name: "a shim: the deprecated member forwards to its replacement, nobody else calls it",
      files,
      code: `${imports}export class Registry {
  /** @deprecated use attachBridge */
  attachManager(manager: WebSocketManager): void {
    this.attachBridge(toBridge(manager));
  }
  attachBridge(bridge: AgentWebSocketBridge): void {}
}
export class LoggingRegistry extends Registry {
  override attachManager(manager: WebSocketManager): void {
    super.attachManager(manager);
  }
}
declare function toBridge(manager: WebSocketManager): AgentWebSocketBridge;
new Registry().attachBridge(toBridge({ sendToUser() {} }));`,
    },
    {
      name: "the implementation of a deprecated member (class or object literal) is the legacy path",
      code: `/** @deprecated Use {@link newSend} instead. */
export function oldSend(): void {}
export function newSend(): void {}
export interface Api {
  /** @deprecated Use {@link Api.sendV2} instead. */
  send(): void;
  sendV2(): void;
}
export class Impl implements Api {
  send(): void { oldSend(); }
  sendV2(): void { newSend(); }
}
export class Sub extends Impl {
  override send(): void { [1].forEach(() => oldSend()); }
}
export const lit: Api = {
  send() { oldSend(); },
  sendV2() { newSend(); },
};
export const arrows: Api = { send: () => oldSend(), sendV2: () => newSend() };
export function make(): Api {
  return { send() { oldSend(); }, sendV2: newSend };
}`,
    },
    {
      name: "migration: the declaration itself and the import are not uses",
      settings: { migrations },
      files,
      code: `import type { WebSocketManager as _Unused } from "./plumbing.js";
export class WebSocketManager {
  sendToUser(userId: string, message: string): void {}
}
export const label = "WebSocketManager";`,
    },
    {
      name: "migration of a member: a same-named member of an unrelated class is not a use",
      settings: { migrations: [{ from: "Registry.setWebSocketManager", to: "Registry.setWebSocketBridge" }] },
      code: `export class Registry {
  setWebSocketManager(manager: object): void {}
}
export class Other {
  setWebSocketManager(manager: object): void {}
}
new Other().setWebSocketManager({});`,
    },
    {
      name: "a name without a plumbing suffix has no role, whatever its type is called",
      code: `export interface HttpClient { get(url: string): Promise<string> }
export interface HttpHandler { handle(request: object): Promise<object> }
export class ApiService {
  constructor(private readonly http: HttpClient, private readonly httpHandler: HttpHandler) {}
}`,
    },
    {
      name: "a qualifier in a member name that its type does not carry is a different role",
      code: `export interface UserManager { find(id: string): void }
export interface Bridge { forward(id: number): void }
export class Accounts {
  setUserManager(manager: UserManager): void {}
  setAdminUserBridge(bridge: Bridge): void {}
}`,
    },
    {
      name: "two collaborators the constructor requires are not alternatives a caller picks from",
      code: `export interface WindowService { focus(): void }
export interface SecondaryWindowHandler { activateWidget(id: string): Promise<void> }
export class ApplicationShell {
  constructor(
    protected readonly secondaryWindowHandler: SecondaryWindowHandler,
    protected readonly windowService: WindowService,
  ) {}
}`,
    },
    {
      name: "two fields initialised by injection are collaborators used together",
      code: `export interface AuthService { login(user: string): Promise<void> }
export interface AuthClient { request(path: string): Promise<string> }
declare function inject<T>(token: abstract new (...args: never[]) => T): T;
declare abstract class AuthServiceToken implements AuthService { login(user: string): Promise<void> }
declare abstract class AuthClientToken implements AuthClient { request(path: string): Promise<string> }
export class LoginComponent {
  private authService: AuthService = inject(AuthServiceToken);
  private readonly authClient = inject(AuthClientToken);
}`,
    },
    {
      name: "property injection with a definite-assignment assertion",
      code: `export interface AuthService { login(user: string): Promise<void> }
export interface AuthClient { request(path: string): Promise<string> }
export class LoginController {
  private authService!: AuthService;
  private authClient!: AuthClient;
}`,
    },
    {
      name: "required fields strictPropertyInitialization makes the constructor assign, beside a required parameter property",
      code: `export interface AuthService { login(user: string): Promise<void> }
export interface AuthClient { request(path: string): Promise<string> }
export class LoginController {
  private readonly authClient: AuthClient;
  constructor(private readonly authService: AuthService, client: AuthClient) {
    this.authClient = client;
  }
}`,
    },
    {
      name: "a role stem one member takes from its type name and the other from its own name is a shared word, not a role",
      code: `export interface SubchannelConnector { connect(address: string): Promise<object> }
export interface Channel { close(): void; getTarget(): string }
export class Subchannel {
  private subchannelChannel: Channel | null = null;
  constructor(private readonly connector: SubchannelConnector) {}
}`,
    },
    {
      name: "setters whose shared word comes from a type on one side and a member name on the other",
      code: `export interface RoomManager { join(room: string): Promise<void> }
export interface Transport { send(data: Uint8Array): void }
export class Session {
  setManager(manager: RoomManager): void {}
  setRoomTransport(transport: Transport): void {}
}`,
    },
    {
      name: "a domain noun shared by two member names whose types carry different things",
      code: `export interface EventEmitter<T> { on(event: keyof T, listener: () => void): void }
export interface SessionChannel { put(action: { type: string }): void }
export interface StartSagaOptions {
  sessionEmitter: EventEmitter<{ ready: void }>;
  sessionChannel?: SessionChannel;
}`,
    },
    {
      name: "optional collaborators of one entity, each typed for its own job",
      code: `export interface HttpClient { get(url: string): Promise<string> }
export interface OrderService { place(id: string): Promise<number> }
export interface PaymentGateway { charge(cents: number): Promise<boolean> }
export class Checkout {
  orderClient?: HttpClient;
  orderService?: OrderService;
  orderGateway?: PaymentGateway;
}`,
    },
    {
      name: "an interface-prefixed type naming another role than the sibling's",
      code: `export interface IAuthManager { login(user: string): Promise<void> }
export interface UserBridge { forward(id: number): void }
export class Accounts {
  userManager?: IAuthManager;
  userBridge?: UserBridge;
}`,
    },
    {
      name: "back-compat tests: the test title names the deprecated member",
      files: clientFiles,
      filename: "src/client.test.ts",
      code: `import { Client } from "./client.js";
describe("Client", () => {
  it("device() still returns the stored device", () => {
    new Client().device();
  });
  it.each([1, 2])("\`device\` returns the same id on call %i", () => {
    const device = new Client().device();
    void device;
  });
  it.skip("Client.device() without storage", () => { new Client().device(); });
});
describe("device", () => {
  it("is kept until v3", () => { new Client().device(); });
});`,
    },
    {
      name: "back-compat tests: a title that says the test is about the deprecated or legacy path",
      files: clientFiles,
      filename: "test/push.spec.ts",
      code: `import { Client } from "../src/client.js";
describe("push activation", () => {
  it("keeps the deprecated synchronous accessor working", () => { new Client().device(); });
  it("legacy storage", () => { new Client().device(); });
  it("stays backwards compatible", () => { new Client().device(); });
});`,
    },
    {
      name: "back-compat tests: the test file is named after the deprecated member",
      files: clientFiles,
      filename: "src/__tests__/device.test.ts",
      code: `import { Client } from "../client.js";
describe("reads", () => {
  it("returns an id", () => { new Client().device(); });
});`,
    },
    {
      name: "a deprecated function-valued const forwarding to its replacement, and deprecated consts calling each other",
      code: `export const parseJsonOrValue = (value: unknown): unknown => (typeof value === "string" ? JSON.parse(value) : value);
/** @deprecated use {@link parseJsonOrValue} */
export const safeParseJson = (value: string): unknown => parseJsonOrValue(value);
/** @deprecated use {@link parseJsonOrValue} */
export const parseAll = function (values: string[]): unknown[] { return values.map((v) => safeParseJson(v)); };
export const moved = parseJsonOrValue("1");`,
    },
    {
      name: "a mutable data field named as the replacement is no getter",
      code: `export class Kernel {
  /** @deprecated use the {@link status} field */
  getStatus(): string { return this.status; }
  status = "idle";
}
new Kernel().getStatus();`,
    },
    {
      name: "methods whose only parameters are primitives carry no plumbing type",
      code: `export class Registry {
  setEventManager(name: string): void {}
  setEventBridge(port: number): void {}
}`,
    },
  ],
  invalid: [
    {
      name: "seed: setWebSocketManager and setWebSocketBridge side by side",
      files,
      code: `${imports}export class AgentRegistry {
  setWebSocketManager(manager: WebSocketManager): void {}
  setWebSocketBridge(bridge: AgentWebSocketBridge): void {}
}`,
      errors: [
        {
          messageId: "parallelApi",
          line: 4,
          column: 3,
          data: {
            member: "AgentRegistry.setWebSocketBridge",
            memberType: "AgentWebSocketBridge",
            sibling: "AgentRegistry.setWebSocketManager",
            siblingType: "WebSocketManager",
            role: "WebSocket",
          },
        },
      ],
    },
    {
      name: "one role, several pairs: the public setters are reported, not their private backing fields",
      files,
      code: `${imports}export class AgentRegistry {
  private manager?: WebSocketManager;
  private bridge?: AgentWebSocketBridge;
  setWebSocketManager(manager: WebSocketManager): void { this.manager = manager; }
  setWebSocketBridge(bridge: AgentWebSocketBridge): void { this.bridge = bridge; }
}`,
      errors: [{ messageId: "parallelApi", line: 6, column: 3 }],
    },
    {
      name: "a lone pair of private fields is still reported",
      files,
      code: `${imports}export class AgentRegistry {
  #webSocketManager?: WebSocketManager;
  #webSocketBridge?: AgentWebSocketBridge;
  wired(): boolean { return this.#webSocketManager !== undefined || this.#webSocketBridge !== undefined; }
}`,
      errors: [{ messageId: "parallelApi", line: 4, column: 3, data: { member: "AgentRegistry.#webSocketBridge" } }],
    },
    {
      name: "fields with a qualifier only in the type name",
      files,
      code: `${imports}export class AgentService {
  websocketManager?: WebSocketManager;
  websocketBridge?: AgentWebSocketBridge;
}`,
      errors: [{ messageId: "parallelApi", line: 4, column: 3 }],
    },
    {
      name: "getter pairs",
      files,
      code: `${imports}export abstract class Agent {
  abstract get webSocketManager(): WebSocketManager;
  abstract get webSocketBridge(): AgentWebSocketBridge;
}`,
      errors: [{ messageId: "parallelApi", line: 4, column: 16 }],
    },
    {
      name: "getter methods (no parameter: the result type is compared)",
      code: `export interface EventClient { request(path: string): Promise<string> }
export interface EventGateway { publish(topic: string, body: object): void }
export interface Runtime {
  getEventClient(): Promise<EventClient>;
  getEventGateway(): EventGateway;
}`,
      errors: [{ messageId: "parallelApi", line: 5, column: 3 }],
    },
    {
      name: "factories with primitive parameters: the results are compared",
      files,
      code: `${imports}export interface Connections {
  createWebSocketManager(url: string): WebSocketManager;
  createWebSocketBridge(url: string, runId: string): Promise<AgentWebSocketBridge>;
}`,
      errors: [{ messageId: "parallelApi", line: 4, column: 3, data: { memberType: "AgentWebSocketBridge" } }],
    },
    {
      name: "a qualifier in the member name that mirrors its type name",
      files,
      code: `${imports}export class AgentRegistry {
  setWebSocketManager(manager: WebSocketManager): void {}
  setAgentWebSocketBridge(bridge: AgentWebSocketBridge): void {}
}`,
      errors: [{ messageId: "parallelApi", line: 4, column: 3, data: { role: "WebSocket" } }],
    },
    {
      name: "the role read from the type names (member names carry only the suffix)",
      files,
      code: `${imports}export class AgentRegistry {
  setManager(manager: WebSocketManager): void {}
  setBridge(bridge: AgentWebSocketBridge): void {}
}`,
      errors: [{ messageId: "parallelApi", line: 4, column: 3, data: { role: "WebSocket" } }],
    },
    {
      name: "three-level hierarchy: reported in the class that adds the second API",
      files,
      code: `${imports}export class Root {
  setWebSocketManager(manager: WebSocketManager): void {}
}
export class Middle extends Root {}
export class Leaf extends Middle {
  setWebSocketBridge(bridge: AgentWebSocketBridge): void {}
}`,
      errors: [{ messageId: "parallelApi", line: 7, column: 3, data: { sibling: "Root.setWebSocketManager" } }],
    },
    {
      name: "a class implementing an interface that has one of the two",
      files,
      code: `${imports}export interface RegistryApi {
  readonly name: string;
  setWebSocketManager?(manager: WebSocketManager): void;
}
export class Registry implements RegistryApi {
  readonly name = "registry";
  setWebSocketBridge(bridge: AgentWebSocketBridge): void {}
}`,
      errors: [{ messageId: "parallelApi", line: 8, column: 3 }],
    },
    {
      name: "an interface that merges two parents with one API each: reported at the interface",
      files,
      code: `${imports}export interface LegacyWiring { setWebSocketManager(manager: WebSocketManager): void }
export interface ModernWiring { setWebSocketBridge(bridge: AgentWebSocketBridge): void }
export interface Wiring extends LegacyWiring, ModernWiring {}`,
      errors: [{ messageId: "parallelApi", line: 4, column: 18 }],
    },
    {
      name: "a class implementing two interfaces, one API each",
      files,
      code: `${imports}export interface LegacyWiring { setWebSocketManager(manager: WebSocketManager): void }
export interface ModernWiring { setWebSocketBridge(bridge: AgentWebSocketBridge): void }
export class Registry implements LegacyWiring, ModernWiring {
  setWebSocketManager(manager: WebSocketManager): void {}
  setWebSocketBridge(bridge: AgentWebSocketBridge): void {}
}`,
      errors: [{ messageId: "parallelApi", line: 6, column: 3 }],
    },
    {
      name: "a type parameter is judged by its constraint",
      files,
      code: `${imports}export class Registry<TManager extends WebSocketManager> {
  setWebSocketManager(manager: TManager): void {}
  setWebSocketBridge(bridge: AgentWebSocketBridge): void {}
}`,
      errors: [{ messageId: "parallelApi", line: 4, column: 3 }],
    },
    {
      name: "snake_case names",
      files,
      code: `${imports}export class Agent {
  set_event_manager(manager: WebSocketManager): void {}
  set_event_bridge(bridge: AgentWebSocketBridge): void {}
}`,
      errors: [{ messageId: "parallelApi", line: 4, column: 3 }],
    },
    {
      name: "generic plumbing types",
      code: `export interface Publisher<T> { publish(value: T): void }
export interface Broker<T> { route(topic: string, value: T): Promise<number> }
export class Hub<T> {
  private readonly items: T[] = [];
  setTopicPublisher(publisher: Publisher<T>): void {}
  setTopicBroker(broker: Broker<T>): void {}
}`,
      errors: [{ messageId: "parallelApi", line: 6, column: 3 }],
    },
    {
      name: "mixin: the mixin adds the parallel API",
      files,
      code: `${imports}type Constructor<T = object> = new (...args: any[]) => T;
export class Agent {
  setWebSocketManager(manager: WebSocketManager): void {}
}
export function WithBridge<TBase extends Constructor>(Base: TBase) {
  return class extends Base {
    setWebSocketBridge(bridge: AgentWebSocketBridge): void {}
  };
}
export class BridgedAgent extends WithBridge(Agent) {}`,
      errors: [{ messageId: "parallelApi", line: 11, column: 14 }],
    },
    {
      name: "declaration merging: the interface half and the class half",
      files,
      code: `${imports}export interface Registry {
  setWebSocketManager(manager: WebSocketManager): void;
}
export class Registry {
  setWebSocketBridge(bridge: AgentWebSocketBridge): void {}
}`,
      errors: [{ messageId: "parallelApi", line: 6, column: 3 }],
    },
    {
      name: "constructor parameter properties a caller may leave out",
      files,
      code: `${imports}export class AgentService {
  constructor(
    private readonly webSocketManager?: WebSocketManager,
    private readonly webSocketBridge: AgentWebSocketBridge | undefined = undefined,
  ) {}
}`,
      errors: [{ messageId: "parallelApi", line: 5, column: 22 }],
    },
    {
      name: "an initialised field beside an optional one: the optional one is the alternative some instances lack",
      code: `export interface AuthService { login(user: string): Promise<void> }
export interface AuthClient { request(path: string): Promise<string> }
declare const defaultAuth: AuthService;
export class LoginController {
  private authService: AuthService = defaultAuth;
  authClient?: AuthClient;
}`,
      errors: [{ messageId: "parallelApi", line: 6, column: 3, data: { member: "LoginController.authClient", role: "auth" } }],
    },
    {
      name: "initialised fields that may hold nothing (optional injection)",
      code: `export interface AuthService { login(user: string): Promise<void> }
export interface AuthClient { request(path: string): Promise<string> }
declare function injectOptional<T>(name: string): T | null;
export class LoginController {
  private authService = injectOptional<AuthService>("auth-service");
  private authClient: AuthClient | undefined = undefined;
}`,
      errors: [{ messageId: "parallelApi", line: 6, column: 11 }],
    },
    {
      name: "constructor parameter properties and declare fields",
      files,
      code: `${imports}export class AgentService {
  declare eventBridge: AgentWebSocketBridge;
  constructor(private readonly eventManager: WebSocketManager) {}
}`,
      errors: [{ messageId: "parallelApi", line: 4, column: 32 }],
    },
    {
      name: "both type names carry the role: an interface prefix is not a qualifier",
      files,
      code: `export interface IWebSocketManager { sendToUser(userId: string, message: string): void }
import type { AgentWebSocketBridge } from "./plumbing.js";
export class AgentService {
  websocketManager?: IWebSocketManager;
  websocketBridge?: AgentWebSocketBridge;
}`,
      errors: [{ messageId: "parallelApi", line: 5, column: 3, data: { role: "websocket" } }],
    },
    {
      name: "a role stem from a type name and a member name counts when one side is @deprecated",
      code: `export interface SubchannelConnector { connect(address: string): Promise<object> }
export interface Transport { send(data: Uint8Array): void }
export class Subchannel {
  /** @deprecated connections go through the transport now */
  connector?: SubchannelConnector;
  subchannelTransport?: Transport;
}`,
      errors: [{ messageId: "parallelApi", line: 6, column: 3, data: { member: "Subchannel.subchannelTransport" } }],
    },
    {
      name: "a member whose JSDoc names its sibling as what it replaces",
      code: `export interface SessionManager { open(id: string): Promise<void> }
export interface Channel { put(message: string): void }
export class Client {
  manager?: SessionManager;
  /** Replaces {@link manager} once every session runs over a channel. */
  sessionChannel?: Channel;
}`,
      errors: [{ messageId: "parallelApi", line: 6, column: 3 }],
    },
    {
      name: "a legacy-marked member beside the new one (the marker is not part of the role)",
      files,
      code: `${imports}export interface Bridge { forward(id: number): void }
export class AgentRegistry {
  legacyManager?: WebSocketManager;
  webSocketBridge?: Bridge;
}`,
      errors: [{ messageId: "parallelApi", line: 5, column: 3, data: { sibling: "AgentRegistry.legacyManager" } }],
    },
    {
      name: "deprecated member still called: each remaining call, with progress",
      files,
      code: `${imports}export class Registry {
  /** @deprecated Use \`setWebSocketBridge()\` instead. */
  setWebSocketManager(manager: WebSocketManager): void {}
  setWebSocketBridge(bridge: AgentWebSocketBridge): void {}
}
declare const manager: WebSocketManager;
declare const bridge: AgentWebSocketBridge;
const registry = new Registry();
registry.setWebSocketManager(manager);
registry.setWebSocketBridge(bridge);
new Registry().setWebSocketManager(manager);`,
      errors: [
        {
          messageId: "deprecatedCall",
          line: 10,
          column: 1,
          data: { deprecated: "Registry.setWebSocketManager", replacement: "Registry.setWebSocketBridge", moved: "1", total: "3" },
        },
        { messageId: "deprecatedCall", line: 12, column: 1 },
      ],
    },
    {
      name: "a deprecated call in a member that implements nothing deprecated is still reported",
      code: `/** @deprecated Use {@link newSend} instead. */
export function oldSend(): void {}
export function newSend(): void {}
export interface Api {
  /** @deprecated Use {@link Api.sendV2} instead. */
  send(): void;
  sendV2(): void;
}
export class Impl implements Api {
  send(): void {}
  sendV2(): void { oldSend(); }
}
export const lit: Api = { send() {}, sendV2: () => oldSend() };
export const plain = { send() { oldSend(); } };`,
      errors: [
        { messageId: "deprecatedCall", line: 11, column: 20, data: { deprecated: "oldSend", moved: "0", total: "3" } },
        { messageId: "deprecatedCall", line: 13, column: 52 },
        { messageId: "deprecatedCall", line: 14, column: 33 },
      ],
    },
    {
      name: "in a test file, a test about something else still calls the deprecated member; back-compat tests do not count in the progress",
      files: { ...clientFiles, "src/moved.ts": `import { Client } from "./client.js";\nexport const device = new Client().getDevice();\n` },
      filename: "src/push.test.ts",
      code: `import { Client } from "./client.js";
describe("push activation", () => {
  it("registers with the server", () => {
    const id = new Client().device().id;
    void id;
  });
  it("device() keeps working", () => { new Client().device(); });
});`,
      errors: [{ messageId: "deprecatedCall", line: 4, column: 16, data: { moved: "1", total: "2" } }],
    },
    {
      name: "in a test file, a one-word member name only counts as a title's subject when written as code",
      files: {
        "src/emitter.ts": `export class Emitter {
  /** @deprecated use {@link Emitter.addListener} */
  on(event: string, listener: () => void): void { this.addListener(event, listener); }
  addListener(event: string, listener: () => void): void {}
}`,
        "src/globals.ts": testGlobals,
      },
      filename: "src/connection.test.ts",
      code: `import { Emitter } from "./emitter.js";
describe("connection", () => {
  it("reconnects on close", () => { new Emitter().on("close", () => {}); });
  it("on", () => { new Emitter().on("open", () => {}); });
  it("Emitter#on() keeps working", () => { new Emitter().on("open", () => {}); });
});`,
      errors: [{ messageId: "deprecatedCall", line: 3, column: 37, data: { moved: "0", total: "1" } }],
    },
    {
      name: "a @deprecated text naming several replacements names all of them",
      code: `export class Connection {
  /** @deprecated use {@link Connection.sendText} or {@link Connection.sendBinary} */
  send(data: string | Uint8Array): void {}
  sendText(text: string): void {}
  sendBinary(data: Uint8Array): void {}
  /** @deprecated call \`open()\` and then \`authenticate()\` */
  connect(): void {}
  open(): void {}
  authenticate(): void {}
}
const connection = new Connection();
connection.send("hi");
connection.sendText("hi");
connection.connect();`,
      errors: [
        {
          messageId: "deprecatedCallSeveral",
          line: 12,
          column: 1,
          data: { replacements: "\`Connection.sendText\` or \`Connection.sendBinary\`", advice: "Use one of them instead.", moved: "1", total: "2" },
        },
        {
          messageId: "deprecatedCallSeveral",
          line: 14,
          column: 1,
          data: { replacements: "\`Connection.open\` and \`Connection.authenticate\`", advice: "Use them instead." },
        },
      ],
    },
    {
      name: "a getter as the replacement: its reads are the moved uses",
      code: `export interface KernelInfo { protocol: string }
export interface IKernel {
  readonly info: Promise<KernelInfo>;
  /** @deprecated read {@link IKernel.info} instead */
  fetchInfo(): Promise<KernelInfo>;
}
export class Kernel {
  /** @deprecated use the \`info\` getter, kept up to date after restarts */
  async requestInfo(): Promise<KernelInfo> { return this.info; }
  get info(): Promise<KernelInfo> { return Promise.resolve({ protocol: "5.3" }); }
  async restart(kernel: IKernel): Promise<void> {
    await this.requestInfo();
    await kernel.fetchInfo();
    await this.info;
  }
}`,
      errors: [
        {
          messageId: "deprecatedCallGetter",
          line: 12,
          column: 11,
          data: { deprecated: "Kernel.requestInfo", replacement: "Kernel.info", moved: "1", total: "2" },
        },
        {
          messageId: "deprecatedCallGetter",
          line: 13,
          column: 11,
          data: { deprecated: "IKernel.fetchInfo", replacement: "IKernel.info", moved: "0", total: "1" },
        },
      ],
    },
    {
      name: "a deprecated function-valued const (arrow or function expression) still called",
      files: {
        "src/utils.ts": `export const parseJsonOrValue = (value: unknown): unknown => (typeof value === "string" ? JSON.parse(value) : value);
/** @deprecated use {@link parseJsonOrValue} */
export const safeParseJson = <T>(value: T): T | object => (typeof value === "string" ? (JSON.parse(value) as object) : value);
/** @deprecated Use \`parseJsonOrValue\`. */
export const decode = function (text: string): unknown { return JSON.parse(text); };`,
      },
      code: `import { decode, parseJsonOrValue, safeParseJson } from "./utils.js";
export const a = safeParseJson("{}");
export const b = parseJsonOrValue("{}");
export const c = decode("[]");`,
      errors: [
        { messageId: "deprecatedCall", line: 2, column: 18, data: { deprecated: "safeParseJson", replacement: "parseJsonOrValue", moved: "1", total: "2" } },
        { messageId: "deprecatedCall", line: 4, column: 18, data: { deprecated: "decode" } },
      ],
    },
    {
      name: "deprecated via {@link}; calls in other files and through an override count",
      files: {
        ...files,
        "src/registry.ts": `${imports}export class Registry {
  /** @deprecated See {@link Registry.attachBridge}. */
  attachManager(manager: WebSocketManager): void {}
  attachBridge(bridge: AgentWebSocketBridge): void {}
}
export class AgentRegistry extends Registry {
  override attachManager(manager: WebSocketManager): void {
    super.attachManager(manager);
  }
}`,
        "src/moved.ts": `import type { AgentWebSocketBridge } from "./plumbing.js";
import { AgentRegistry } from "./registry.js";
export function wire(registry: AgentRegistry, bridge: AgentWebSocketBridge): void {
  registry.attachBridge(bridge);
}`,
      },
      code: `import type { WebSocketManager } from "./plumbing.js";
import { AgentRegistry } from "./registry.js";
export function wireLegacy(registry: AgentRegistry, manager: WebSocketManager): void {
  registry.attachManager(manager);
}`,
      errors: [{ messageId: "deprecatedCall", line: 4, column: 3, data: { deprecated: "Registry.attachManager", moved: "1", total: "2" } }],
    },
    {
      name: "deprecated overloads: only the calls that resolve to a deprecated signature count",
      files: {
        "src/streams.ts": `export interface Stream<T> { pipe(): Stream<T> }
export interface Scheduler { now(): number }
export function from<T>(input: T[]): Stream<T>;
/** @deprecated The \`scheduler\` parameter will be removed in v8. Use \`scheduled\`. */
export function from<T>(input: T[], scheduler: Scheduler | undefined): Stream<T>;
export function from<T>(input: T[], scheduler?: Scheduler): Stream<T> {
  return { pipe() { return this; } };
}
export function scheduled<T>(input: T[], scheduler: Scheduler): Stream<T> {
  return from(input);
}`,
      },
      code: `import { from, scheduled, type Scheduler } from "./streams.js";
declare const scheduler: Scheduler;
export const a = from([1, 2]);
export const b = from([1], scheduler);
export const c = scheduled([3], scheduler);
export const d = from(["x"]).pipe();`,
      errors: [{ messageId: "deprecatedCall", line: 4, column: 18, data: { deprecated: "from", replacement: "scheduled", moved: "1", total: "2" } }],
    },
    {
      name: "deprecated code calling deprecated code is the legacy path: only the other callers count",
      files: {
        "src/streams.ts": `export interface Stream<T> { pipe(): Stream<T> }
export interface Scheduler { now(): number }
export function from<T>(input: T[]): Stream<T>;
/** @deprecated Use \`scheduled\`. */
export function from<T>(input: T[], scheduler: Scheduler | undefined): Stream<T>;
export function from<T>(input: T[], scheduler?: Scheduler): Stream<T> {
  return { pipe() { return this; } };
}
export function scheduled<T>(input: T[], scheduler: Scheduler): Stream<T> {
  return from(input);
}
export function of<T>(...values: T[]): Stream<T>;
/** @deprecated Use \`scheduled\`. */
export function of<T>(...values: [...T[], Scheduler]): Stream<T>;
export function of(...values: unknown[]): Stream<unknown> {
  const last = values.at(-1);
  return typeof last === "object" && last !== null && "now" in last ? from(values.slice(0, -1), last as Scheduler) : from(values);
}
/** @deprecated Use \`scheduled\`. */
export function legacyRange(count: number, scheduler: Scheduler): Stream<number> {
  return from(Array.from({ length: count }, (_, i) => i), scheduler);
}`,
      },
      code: `import { from, type Scheduler } from "./streams.js";
export function replay(values: number[], scheduler: Scheduler) {
  return from(values, scheduler);
}`,
      errors: [{ messageId: "deprecatedCall", line: 3, column: 10, data: { deprecated: "from", moved: "0", total: "1" } }],
    },
    {
      name: "deprecated function replaced by another function, called through an import",
      files: {
        "src/emitters.ts": `export interface UserEmitter { notifyAgentStarted(runId: string): void }
/** @deprecated Replaced by createUserEmitter, which reads the user from the context. */
export function makeEmitter(userId: string): UserEmitter {
  return { notifyAgentStarted() {} };
}
export async function createUserEmitter(context: { userId: string }): Promise<UserEmitter> {
  return makeEmitterInternal(context.userId);
}
function makeEmitterInternal(userId: string): UserEmitter {
  return { notifyAgentStarted() {} };
}`,
      },
      code: `import { makeEmitter as legacyEmitter } from "./emitters.js";
export const emitter = legacyEmitter("u1");`,
      errors: [{ messageId: "deprecatedCall", line: 2, column: 24, data: { moved: "0", total: "1", replacement: "createUserEmitter" } }],
    },
    {
      name: "migration from config: type references, new, implements and extends are uses",
      settings: { migrations },
      files: {
        "src/manager.ts": `export class WebSocketManager {
  sendToUser(userId: string, message: string): void {}
}`,
      },
      code: `import { WebSocketManager } from "./manager.js";
export class Registry {
  manager: WebSocketManager = new WebSocketManager();
}
export class LoggingManager extends WebSocketManager {}
export type Wiring = { manager?: WebSocketManager };`,
      errors: [
        { messageId: "migrationUse", line: 3, column: 12, data: { name: "WebSocketManager", to: "AgentWebSocketBridge" } },
        { messageId: "migrationUse", line: 3, column: 35 },
        { messageId: "migrationUse", line: 5, column: 37 },
        { messageId: "migrationUse", line: 6, column: 34 },
      ],
    },
    {
      name: "migration from config: uses through a renamed import",
      settings: { migrations },
      files: { "src/manager.ts": "export class WebSocketManager {}\n" },
      code: `import { WebSocketManager as LegacyManager } from "./manager.js";
export const manager = new LegacyManager();`,
      errors: [{ messageId: "migrationUse", line: 2, column: 28, data: { name: "LegacyManager", from: "WebSocketManager" } }],
    },
    {
      name: "migration of a member (Type.member): calls of it and of its overrides",
      settings: { migrations: [{ from: "Registry.setWebSocketManager", to: "Registry.setWebSocketBridge" }] },
      code: `export class Registry {
  setWebSocketManager(manager: object): void {}
}
export class AgentRegistry extends Registry {
  override setWebSocketManager(manager: object): void {}
}
new Registry().setWebSocketManager({});
new AgentRegistry().setWebSocketManager({});`,
      errors: [
        { messageId: "migrationUse", line: 7, column: 16 },
        { messageId: "migrationUse", line: 8, column: 21 },
      ],
    },
    {
      name: "custom suffix list",
      options: { suffixes: ["Sink", "Source"] },
      code: `export interface EventSink { write(event: string): void }
export interface EventSource { read(): Promise<string> }
export class Pipeline {
  eventSink?: EventSink;
  eventSource?: EventSource;
}`,
      errors: [{ messageId: "parallelApi", line: 5, column: 3 }],
    },
  ],
};

export default table;

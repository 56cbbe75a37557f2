import liskovOverride from "../../analyzer/checks/liskov-override/index.js";
import { runCheckOnCase } from "../utils/check-tester.js";
import { runRuleTable } from "../utils/rule-table.js";
import table from "./liskov-override.cases.js";

runRuleTable(liskovOverride, table);

describe("liskov-override messages", () => {
  it("name the parent type without an article that may be wrong (`A`, `Emitter`, `Opt`)", () => {
    const code = `export class Emitter { emit(event: string | number): void { void event; } }
export class A { send(): void {} close(): void {} }
export class TextEmitter extends Emitter { override emit(event: string): void { void event; } }
export class AsyncA extends A { override async send(): Promise<void> {} override close(): void { throw new Error("no"); } }`;
    const messages = runCheckOnCase(liskovOverride, { code }).map((f) => f.message);
    expect(messages).toEqual([
      "`TextEmitter.emit(event: string)` narrows `Emitter.emit(event: string | number)`: callers holding `Emitter` may pass any `string | number` as `event`, which this override does not accept. Make `event` accept `string | number` and narrow inside the body.",
      "`AsyncA.send()` returns `Promise<void>` but overrides `A.send()`, which returns `void`: callers holding `A` do not await it, so its rejections go unhandled and its work may finish after they go on. Keep the override synchronous (handle the async work and its errors inside), or make the parent return a Promise and await it at its call sites.",
      "`AsyncA.close` only throws, but `A.close` is expected to work: callers holding `A` call it and get an exception. Implement it, or do not inherit it: use composition, or split `A` so that `AsyncA` need not provide `close`.",
    ]);
  });
});

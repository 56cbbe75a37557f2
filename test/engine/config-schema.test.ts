import fs from "node:fs";
import path from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import { createConfigJsonSchema } from "../../analyzer/config/config.schema.js";
import { renderSchemaFile, SCHEMA_ENTRIES } from "../../scripts/generate-schemas.js";

const ROOT = path.resolve(import.meta.dirname, "../..");
const entry = SCHEMA_ENTRIES.find((e) => e.output === "schema/config.schema.json")!;

describe("schema/config.schema.json", () => {
  it("is generated from the zod source and up to date (npm run generate:schemas)", () => {
    expect(entry).toBeDefined();
    expect(fs.readFileSync(path.join(ROOT, entry.output), "utf8")).toBe(renderSchemaFile(entry));
  });

  const validate = new Ajv2020({ strict: false }).compile(createConfigJsonSchema());

  it.each([
    [
      "the documented example",
      {
        $schema: "./node_modules/@covenant-dev/covenant/schema/config.schema.json",
        contracts: ["contracts/*.contract.yaml"],
        generate: { outDir: "src/generated" },
        rules: { "silent-emit-drop": "error", "permissive-mock": "off" },
        tests: ["**/*.test.ts"],
        migrations: [{ from: "WebSocketManager", to: "AgentWebSocketBridge" }],
        bindings: {
          "agent-websocket": {
            transitions: [{ transition: "accept", call: "accept", receiverType: "PendingConnection" }],
            operations: [{ operation: "send", call: "send", requires: "accepted" }],
          },
        },
      },
    ],
    ["an empty config", {}],
  ])("accepts %s", (_name, config) => {
    expect(validate(config), JSON.stringify(validate.errors)).toBe(true);
  });

  it.each([
    ["an unknown key", { rulez: {} }],
    ["an unknown rule", { rules: { "no-such-rule": "error" } }],
    ["a bad severity", { rules: { "liskov-override": "warning" } }],
    ["a migration without `to`", { migrations: [{ from: "A" }] }],
    ["an unknown key in a binding", { bindings: { "agent-websocket": { transitions: [{ transition: "accept", call: "accept", recieverType: "X" }] } } }],
  ])("rejects %s", (_name, config) => {
    expect(validate(config)).toBe(false);
  });
});

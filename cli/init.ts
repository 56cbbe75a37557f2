import fs from "node:fs";
import path from "node:path";
import { CovenantError, type Problem } from "../common/errors.js";
import { PACKAGE } from "../common/package.js";
import { checkWritable, UnsafeFileError, writeFileNoFollow } from "../common/safe-fs.js";
import { CONFIG_FILE, EXAMPLE_CONTRACT_FILE } from "./command-values.js";

/** The starter config: every rule at its default severity, so the file documents what runs. */
export async function createStarterConfig(): Promise<string> {
  // Loaded lazily: the registry pulls in TypeScript, which `covenant --help` does not need.
  const { checks } = await import("../analyzer/checks/index.js");
  const { DEFAULT_TEST_GLOBS } = await import("../analyzer/config/config.schema.js");
  const rules = Object.fromEntries(
    Object.values(checks)
      .map((check) => [check.id, check.meta.defaultSeverity] as const)
      .sort(([a], [b]) => (a < b ? -1 : 1)),
  );
  const config = {
    $schema: `./node_modules/${PACKAGE.name}/schema/config.schema.json`,
    contracts: ["contracts/*.contract.yaml"],
    generate: { outDir: "src/generated" },
    rules,
    tests: DEFAULT_TEST_GLOBS,
    migrations: [],
    bindings: {},
  };
  return `${JSON.stringify(config, null, 2)}\n`;
}

/** A small contract showing every section of the format; `covenant generate` compiles it as is. */
export const EXAMPLE_CONTRACT = `# yaml-language-server: $schema=../node_modules/${PACKAGE.name}/schema/contract.schema.json
# An example protocol contract: edit it, or copy it for each channel your service speaks.
covenant: 1
name: example
version: 0.1.0
description: A client subscribes to a job and receives its progress over a WebSocket.

lifecycle:                      # the connection's state machine
  initial: connecting
  states:
    connecting: { on: { accept: open, reject: closed } }
    open: { on: { subscribe: subscribed, close: closed } }
    subscribed: { on: { close: closed } }
    closed: { final: true }

envelope:
  discriminator: type           # the wire field that carries the event name
  payloadField: data            # the field that carries the payload

events:
  job_started:
    direction: server-to-client
    states: [subscribed]        # the states in which it may be sent
    payload:
      type: object
      required: [job_id, timestamp]
      additionalProperties: false
      properties:
        job_id: { type: string, minLength: 1 }
        timestamp: { type: number, minimum: 0 }
  job_progress:
    direction: server-to-client
    states: [subscribed]
    payload:
      type: object
      required: [job_id, percent]
      additionalProperties: false
      properties:
        job_id: { type: string, minLength: 1 }
        percent: { type: integer, minimum: 0, maximum: 100 }
  job_finished:
    direction: server-to-client
    states: [subscribed]
    payload:
      type: object
      required: [job_id, status]
      additionalProperties: false
      properties:
        job_id: { type: string, minLength: 1 }
        status: { type: string, enum: [succeeded, failed] }

runs:                           # the order of events within one job
  key: job_id
  pattern: "job_started job_progress* job_finished"
`;

/**
 * Writes the starter files into `dir`; refuses to overwrite unless `force`, and never writes through
 * a symbolic link (nor onto a FIFO or device node), even with `force`. Returns the files written.
 */
export async function initProject(dir: string, options: { force?: boolean } = {}): Promise<string[]> {
  const files: [string, string][] = [
    [CONFIG_FILE, await createStarterConfig()],
    [EXAMPLE_CONTRACT_FILE, EXAMPLE_CONTRACT],
  ];
  if (!options.force) {
    const existing = files.map(([name]) => path.join(dir, name)).filter((file) => fs.existsSync(file) || isLink(file));
    if (existing.length) {
      throw new CovenantError(
        existing.map((file) => ({
          code: "init-file-exists",
          file,
          line: 0,
          column: 0,
          message: "Already exists; nothing was written. Pass --force to overwrite it.",
        })),
      );
    }
  }
  const unsafe: Problem[] = [];
  for (const [name] of files) {
    const file = path.join(dir, name);
    try {
      if (checkWritable(file) === "special")
        throw new UnsafeFileError("it is a FIFO or device node, not a regular file", "Remove it, then run `covenant init` again.");
    } catch (error) {
      if (!(error instanceof UnsafeFileError)) throw error;
      unsafe.push({ code: "init-unsafe-file", file, line: 0, column: 0, message: `Cannot write here: ${error.message}; nothing was written. ${error.fix}` });
    }
  }
  if (unsafe.length) throw new CovenantError(unsafe);
  for (const [name, text] of files) {
    const file = path.join(dir, name);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    writeFileNoFollow(file, text);
  }
  return files.map(([name]) => name);
}

function isLink(file: string): boolean {
  try {
    return fs.lstatSync(file).isSymbolicLink();
  } catch {
    return false;
  }
}

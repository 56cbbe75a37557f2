import { readPackageFile } from "../../common/package.js";
import type { Piece } from "./format.js";
import { apiNames, commentText, type ApiNames } from "./names.js";

/**
 * The runtime the generated files carry (the lifecycle guard, the run monitor, the validators'
 * runtime and zod helpers, the role endpoints) is real source in `contracts/runtime/`, type-checked with the project
 * against a stand-in contract (`contracts/runtime/stand-in.ts`, `<Name>` = `Protocol`). The
 * generator inlines regions of those files, read as text from covenant's package (package.json's
 * `files` ships them), with the stand-in's API names renamed to the contract's and the `{{slot}}`s
 * of their comments filled. A region is the lines between `// #region <name>` and
 * `// #endregion <name>`.
 *
 * Where a region differs for a contract with an open event union (docs/contract-format.md#openness)
 * in a few lines only, the lines say so: a line `<indent>// #open-events <text>` becomes
 * `<indent><text>` for such a contract and is dropped otherwise; a line ending in
 * ` // #closed-events` is kept (without the marker) only for a contract without one. The source
 * type-checks as the closed variant; the open one is type-checked where it is generated (the
 * generator tests compile it). A region that differs throughout has a file of its own instead (the
 * open union's `parse-message`).
 *
 * In the same way, for a contract whose envelope carries fields beside the payload
 * (`envelope.fields`): a line `<indent>// #envelope-fields <text>` becomes `<indent><text>` for
 * such a contract and is dropped otherwise; a line ending in ` // #plain-envelope` is kept (without
 * the marker) only for a contract without envelope fields.
 */

/** The runtime files (`contracts/runtime/<file>.ts`) the generator reads. */
export type RuntimeFile =
  "lifecycle" | "endpoints" | "run-monitor" | "validators" | "parse-message-open" | "field-names-own" | "field-names-escaped" | "zod-helpers";

export const RUNTIME_FILES: readonly RuntimeFile[] = [
  "lifecycle",
  "endpoints",
  "run-monitor",
  "validators",
  "parse-message-open",
  "field-names-own",
  "field-names-escaped",
  "zod-helpers",
];

/** The API names the runtime is written with. */
export const STAND_IN_API: ApiNames = apiNames("Protocol");

export function runtimePath(file: RuntimeFile): string {
  return `contracts/runtime/${file}.ts`;
}

const parsed = new Map<RuntimeFile, ReadonlyMap<string, string>>();

/** Every region of a runtime file, by name, as written there (read once). */
export function runtimeRegions(file: RuntimeFile): ReadonlyMap<string, string> {
  let regions = parsed.get(file);
  if (regions === undefined) {
    regions = parseRegions(readPackageFile(runtimePath(file)), runtimePath(file));
    parsed.set(file, regions);
  }
  return regions;
}

const REGION = /^\s*\/\/ #(region|endregion)(?: (\S+))?\s*$/;

/** The regions of a text; throws on a marker without a name, a region left open, nested or closed under another name, or a name used twice. */
export function parseRegions(text: string, where: string): ReadonlyMap<string, string> {
  const regions = new Map<string, string>();
  let open: { name: string; line: number; lines: string[] } | undefined;
  for (const [index, line] of text.split("\n").entries()) {
    const marker = REGION.exec(line);
    if (marker === null) {
      open?.lines.push(line);
      continue;
    }
    const [, kind, name] = marker;
    const at = `${where}:${index + 1}`;
    if (name === undefined) throw new Error(`${at}: a region marker needs a name (\`// #${kind ?? "region"} <name>\`)`);
    if (kind === "region") {
      if (open !== undefined) throw new Error(`${at}: region "${name}" starts inside region "${open.name}" (line ${open.line}); regions do not nest`);
      if (regions.has(name)) throw new Error(`${at}: a second region "${name}"`);
      open = { name, line: index + 1, lines: [] };
    } else {
      if (open?.name !== name) throw new Error(`${at}: "#endregion ${name}" does not close ${open === undefined ? "any region" : `region "${open.name}"`}`);
      regions.set(name, open.lines.join("\n"));
      open = undefined;
    }
  }
  if (open !== undefined) throw new Error(`${where}:${open.line}: region "${open.name}" is never closed`);
  return regions;
}

/** One region of a runtime file as written there; throws when the file has no such region. */
export function runtimeRegion(file: RuntimeFile, region: string): string {
  const text = runtimeRegions(file).get(region);
  if (text === undefined) throw new Error(`${runtimePath(file)} has no region "${region}" (\`// #region ${region}\` … \`// #endregion ${region}\`)`);
  return text;
}

/**
 * A runtime region as the generated file has it: the stand-in's API names (`ProtocolState`,
 * `createProtocolConnection`, ...) renamed to the contract's, and each `{{slot}}` replaced by its
 * value (made safe for the comment it sits in). Throws on a slot without a value.
 */
export function inlineRuntime(
  file: RuntimeFile,
  region: string,
  api: ApiNames,
  slots: Readonly<Record<string, string>> = {},
  variant: { readonly openEvents?: boolean; readonly envelopeFields?: boolean } = {},
): string {
  return inlineText(runtimeRegion(file, region), file, region, api, slots, variant);
}

/**
 * `inlineRuntime`'s text as pieces for `formatTypeScriptPieces` (their texts joined by "\n" are
 * that text): the region cut before each top-level statement that follows a blank line (see
 * `splitStatements`), each part inlined on its own (every change the inlining makes is inside a
 * line), and a part the inlining left as written marked formatted: the runtime source is
 * prettier-formatted with the generated files' options (`.prettierrc`), and a part with no API
 * name, slot or variant line in it is the same text in every generated file.
 */
export function inlineRuntimePieces(
  file: RuntimeFile,
  region: string,
  api: ApiNames,
  slots: Readonly<Record<string, string>> = {},
  variant: { readonly openEvents?: boolean; readonly envelopeFields?: boolean } = {},
): Piece[] {
  return runtimeStatements(file, region).map((raw) => {
    const text = inlineText(raw, file, region, api, slots, variant);
    return { text, formatted: text === raw };
  });
}

function inlineText(
  raw: string,
  file: RuntimeFile,
  region: string,
  api: ApiNames,
  slots: Readonly<Record<string, string>>,
  variant: { readonly openEvents?: boolean; readonly envelopeFields?: boolean },
): string {
  const text = selectVariant(raw, OPEN_LINE, CLOSED_MARK, variant.openEvents === true);
  return renameApi(selectVariant(text, FIELDS_LINE, PLAIN_MARK, variant.envelopeFields === true), api).replace(/\{\{(\w+)\}\}/g, (_, slot: string) => {
    const value = Object.prototype.hasOwnProperty.call(slots, slot) ? slots[slot] : undefined;
    if (value === undefined) throw new Error(`${runtimePath(file)}, region "${region}": no value for {{${slot}}}`);
    return commentText(value);
  });
}

const statements = new Map<string, readonly string[]>();

/** A runtime region split by `splitStatements` (split once). */
export function runtimeStatements(file: RuntimeFile, region: string): readonly string[] {
  const key = `${file}#${region}`;
  let parts = statements.get(key);
  if (parts === undefined) statements.set(key, (parts = splitStatements(runtimeRegion(file, region))));
  return parts;
}

/** A line that starts a top-level declaration or its doc comment, in prettier-formatted source. */
const STATEMENT_START = /^(?:export |function |async function |const |let |type |interface |class |\/\/ |\/\*\*)/;

/**
 * Prettier-formatted source cut before each line that follows a blank line and starts, unindented,
 * a declaration or a comment: the start of a top-level statement (and its comments), since the
 * body of a statement is indented and a template literal's lines are not split so in the runtime
 * (`test/contracts/generate-format.test.ts` checks every cut against TypeScript's parse). The
 * parts joined by "\n" are the text.
 */
export function splitStatements(text: string): string[] {
  const parts: string[] = [];
  let part: string[] = [];
  let blank = false;
  for (const line of text.split("\n")) {
    if (blank && part.length > 0 && STATEMENT_START.test(line)) {
      parts.push(part.join("\n"));
      part = [];
    }
    part.push(line);
    blank = line.trim() === "";
  }
  parts.push(part.join("\n"));
  return parts;
}

const OPEN_LINE = /^(\s*)\/\/ #open-events(?: (.*))?$/;
const CLOSED_MARK = " // #closed-events";

const FIELDS_LINE = /^(\s*)\/\/ #envelope-fields(?: (.*))?$/;
const PLAIN_MARK = " // #plain-envelope";

/**
 * The lines of a region for a contract with (`on`) or without a variant (an open event union,
 * envelope fields): `onLine` marks the lines only the variant has, `offMark` ends those only the
 * others have (see the top of this file).
 */
function selectVariant(text: string, onLine: RegExp, offMark: string, on: boolean): string {
  const out: string[] = [];
  for (const line of text.split("\n")) {
    const variantLine = onLine.exec(line);
    if (variantLine !== null) {
      if (on) out.push(variantLine[1]! + (variantLine[2] ?? ""));
    } else if (line.endsWith(offMark)) {
      if (!on) out.push(line.slice(0, -offMark.length));
    } else out.push(line);
  }
  return out.join("\n");
}

/** Renames every whole identifier that is a stand-in API name to the contract's name for it. */
function renameApi(text: string, api: ApiNames): string {
  const keys = Object.keys(STAND_IN_API) as (keyof ApiNames)[];
  const byName = new Map(keys.map((key) => [STAND_IN_API[key], api[key]]));
  const names = [...byName.keys()].sort((a, b) => b.length - a.length);
  const pattern = new RegExp(`(?<![\\w$])(?:${names.join("|")})(?![\\w$])`, "g");
  return text.replace(pattern, (name) => byName.get(name)!);
}

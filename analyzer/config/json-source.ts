import { createRequire } from "node:module";
import type TS from "typescript";
import { CovenantError, type Problem } from "../../common/errors.js";

/**
 * TypeScript's JSON parser, loaded the first time a text needs the syntax tree (see parseJsonSource):
 * strict JSON never does until an error is to be located, so `covenant generate` and `diff`, which
 * read a config, do not load the 9 MB compiler for it (about half a second of CPU a run).
 */
let loaded: typeof TS | undefined;
function typescript(): typeof TS {
  return (loaded ??= createRequire(import.meta.url)("typescript") as typeof TS);
}

/** A JSON document with the positions of its nodes, so validation errors can point at a key. */
export interface JsonSource {
  file: string;
  value: unknown;
  /** 1-based line/column of the value at `path`, or of its nearest existing ancestor. */
  locate(path: readonly PropertyKey[], at?: "key" | "value"): { line: number; column: number };
}

function position(sourceFile: TS.SourceFile, offset: number): { line: number; column: number } {
  const { line, character } = sourceFile.getLineAndCharacterOfPosition(offset);
  return { line: line + 1, column: character + 1 };
}

function propertyName(property: TS.PropertyAssignment): string | undefined {
  const ts = typescript();
  const name = property.name;
  return ts.isStringLiteral(name) || ts.isIdentifier(name) || ts.isNumericLiteral(name) ? name.text : undefined;
}

function findChild(node: TS.Expression, key: PropertyKey): { property?: TS.PropertyAssignment; value: TS.Expression } | undefined {
  const ts = typescript();
  if (ts.isObjectLiteralExpression(node)) {
    // The last duplicate wins, as in JSON.parse.
    const property = [...node.properties].reverse().find((p): p is TS.PropertyAssignment => ts.isPropertyAssignment(p) && propertyName(p) === String(key));
    return property && { property, value: property.initializer };
  }
  if (ts.isArrayLiteralExpression(node) && typeof key === "number") {
    const element = node.elements[key];
    return element && { value: element };
  }
  return undefined;
}

/**
 * Repeated keys (JSON.parse would silently keep the last), and `__proto__` keys: converting the
 * document to an object would make such a key the object's prototype, and its content would pass
 * unseen by strict validation (`{"__proto__": {"rules": {...}}}` turned rules off), so it is refused,
 * as in contracts.
 */
function findKeyProblems(sourceFile: TS.JsonSourceFile, file: string, codePrefix: string): Problem[] {
  const ts = typescript();
  const problems: Problem[] = [];
  const visit = (node: TS.Node): void => {
    if (ts.isObjectLiteralExpression(node)) {
      const seen = new Set<string>();
      for (const property of node.properties) {
        if (!ts.isPropertyAssignment(property)) continue;
        const name = propertyName(property);
        if (name === undefined) continue;
        if (name === "__proto__") {
          const at = position(sourceFile, property.name.getStart(sourceFile));
          problems.push({ code: `${codePrefix}-reserved-key`, file, ...at, message: reservedKeyMessage });
        }
        if (seen.has(name)) {
          const at = position(sourceFile, property.name.getStart(sourceFile));
          problems.push({ code: "json-duplicate-key", file, ...at, message: `Key "${name}" appears twice in one object. Keep one of them.` });
        }
        seen.add(name);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return problems;
}

/**
 * Parses JSON (comments and trailing commas tolerated, as in tsconfig.json) and keeps the syntax
 * tree for locating keys. A syntax error, a duplicate key or a `__proto__` key throws a located
 * CovenantError.
 *
 * Strict JSON (what covenant writes, and most configs) takes a fast path: JSON.parse, one linear
 * scan of the keys, and TypeScript's syntax tree only when something is to be located. A baseline
 * of a million entries parses in seconds, where the tree alone took minutes and gigabytes.
 */
export function parseJsonSource(file: string, text: string, codePrefix: string): JsonSource {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return parseWithTree(file, text, codePrefix);
  }
  const keyProblems = scanKeys(text, file, codePrefix);
  if (keyProblems.length) throw new CovenantError(keyProblems);
  let tree: JsonSource | undefined;
  return {
    file,
    value,
    locate(path, at) {
      tree ??= parseWithTree(file, text, codePrefix);
      return tree.locate(path, at);
    },
  };
}

const reservedKeyMessage =
  "`__proto__` cannot be a key: JavaScript objects give this key a special meaning, so covenant could not read the object as written. Remove it.";

/** 1-based line and column of `offset` in `text`, given the offsets where lines start. */
function lineColumn(lineStarts: readonly number[], offset: number): { line: number; column: number } {
  let low = 0;
  let high = lineStarts.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (lineStarts[mid]! <= offset) low = mid;
    else high = mid - 1;
  }
  return { line: low + 1, column: offset - lineStarts[low]! + 1 };
}

/**
 * Duplicate and `__proto__` keys of a text JSON.parse accepted (so: no comments, well-formed), in
 * one pass without recursion. The same problems findKeyProblems reports from the tree.
 */
function scanKeys(text: string, file: string, codePrefix: string): Problem[] {
  const found: { offset: number; name: string; duplicate: boolean }[] = [];
  /** One entry per open object (its keys) or array (null). */
  const stack: (Set<string> | null)[] = [];
  let expectKey = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      const start = i;
      let escaped = false;
      for (i++; i < text.length; i++) {
        const d = text.charCodeAt(i);
        if (d === 0x5c /* \ */) {
          escaped = true;
          i++;
        } else if (d === 0x22) break;
      }
      const keys = stack[stack.length - 1];
      if (expectKey && keys) {
        const raw = text.slice(start, i + 1);
        const name = escaped ? (JSON.parse(raw) as string) : raw.slice(1, -1);
        if (name === "__proto__") found.push({ offset: start, name, duplicate: false });
        if (keys.has(name)) found.push({ offset: start, name, duplicate: true });
        keys.add(name);
        expectKey = false;
      }
    } else if (c === 0x7b /* { */) {
      stack.push(new Set());
      expectKey = true;
    } else if (c === 0x5b /* [ */) {
      stack.push(null);
      expectKey = false;
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      stack.pop();
      expectKey = false;
    } else if (c === 0x2c /* , */) {
      expectKey = stack[stack.length - 1] !== null && stack.length > 0;
    }
  }
  if (found.length === 0) return [];
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 0x0a) lineStarts.push(i + 1);
  return found.map(({ offset, name, duplicate }) =>
    duplicate
      ? { code: "json-duplicate-key", file, ...lineColumn(lineStarts, offset), message: `Key "${name}" appears twice in one object. Keep one of them.` }
      : { code: `${codePrefix}-reserved-key`, file, ...lineColumn(lineStarts, offset), message: reservedKeyMessage },
  );
}

/** The general path: TypeScript's JSON parser, for texts JSON.parse refuses and for locating keys. */
function parseWithTree(file: string, text: string, codePrefix: string): JsonSource {
  const ts = typescript();
  const sourceFile = ts.parseJsonText(file, text);
  // parseDiagnostics is not in the public typings but has been on every SourceFile since TS 1.x.
  const syntax = (sourceFile as unknown as { parseDiagnostics?: readonly TS.Diagnostic[] }).parseDiagnostics ?? [];
  const first = syntax[0];
  if (first) {
    const at = position(sourceFile, first.start ?? 0);
    const reason = ts.flattenDiagnosticMessageText(first.messageText, " ");
    throw new CovenantError({ code: `${codePrefix}-syntax`, file, ...at, message: `Invalid JSON: ${reason} Fix the syntax at this position.` });
  }
  const duplicates = findKeyProblems(sourceFile, file, codePrefix);
  if (duplicates.length) throw new CovenantError(duplicates);
  const root = sourceFile.statements[0]?.expression;
  const value: unknown = root ? ts.convertToObject(sourceFile, []) : undefined;
  return {
    file,
    value,
    locate(path, at = "key") {
      if (!root) return { line: 1, column: 1 };
      let node: TS.Node = root;
      let keyNode: TS.Node = root;
      for (const key of path) {
        const child = findChild(node as TS.Expression, key);
        if (!child) break;
        node = child.value;
        keyNode = child.property?.name ?? child.value;
      }
      return position(sourceFile, (at === "key" ? keyNode : node).getStart(sourceFile));
    },
  };
}

import fs from "node:fs";
import path from "node:path";
import type { JsonSchema } from "../model.js";
import { didYouMean, formatList } from "./contract-errors.js";
import { toPascalCase } from "../../common/strings.js";
import { SCHEMA_KEYWORDS } from "./json-schema-keywords.js";
import { checkSchemaTree, isDefinitionName, isPlainObject, type SchemaCheckContext, type SchemaObject } from "./schema-checks.js";
import { SourceDocument, type JsonPath } from "./source-document.js";

/** Where a schema was written: a document and the path inside it. */
export interface SchemaOrigin {
  doc: SourceDocument;
  path: JsonPath;
}

export interface BundledDefinition {
  name: string;
  schema: JsonSchema;
  origin: SchemaOrigin;
  /** The first `$ref` that brought the schema in (absent for the contract's own `$defs`). */
  firstRef?: SchemaOrigin;
}

export interface SchemaBundleContext extends SchemaCheckContext {
  /** Absolute folder no `$ref` may leave. */
  root: string;
  /** Reads an external file (cached per load). */
  readDocument(file: string): SourceDocument | { error: string; reported?: boolean };
  /** Reports the syntax errors of an external document (once). */
  reportSyntaxErrors(doc: SourceDocument): void;
}

interface RefTarget {
  doc: SourceDocument;
  path: (string | number)[];
  value: unknown;
}

const DEFS_KEYS = new Set(["$defs", "definitions"]);
/** Path segments that say nothing about what a schema is (dropped when naming a hoisted schema). */
const STRUCTURAL = new Set(["events", "payload", "properties", "items", "prefixItems", "allOf", "anyOf", "oneOf", "$defs", "definitions", "patternProperties"]);

/**
 * Resolves every `$ref` of the payloads and shared schemas, bundling their targets into one set of
 * named definitions and rewriting each ref to `#/$defs/<Name>`. Targets are checked (keywords,
 * meta-schema) once each, with positions in the file they come from. Nested `$defs`, `$id` and
 * `$schema` are dropped from the output: the definitions they held are hoisted as they are used.
 */
export class SchemaBundler {
  readonly definitions = new Map<string, BundledDefinition>();
  /** Definitions whose schema (or a `$ref` in it) had a problem: nothing is checked against them. */
  readonly broken = new Set<string>();
  private readonly nameByTarget = new Map<string, string>();
  /** Whether each checked schema may be rewritten (false: nested too deeply, reported). */
  private readonly checked = new Map<string, boolean>();
  /**
   * Referenced schemas waiting to be checked and rewritten. A `$ref` only names its target and queues
   * it, so a chain of `$ref`s through many schemas or files costs no stack.
   */
  private readonly pending: { entry: BundledDefinition; doc: SourceDocument; resource: JsonPath; value: unknown }[] = [];

  constructor(private readonly ctx: SchemaBundleContext) {}

  /** Registers the contract's top-level `$defs` and `definitions` (all of them, used or not). */
  addContractDefinitions(): void {
    const doc = this.ctx.contract;
    const raw = doc.value as SchemaObject;
    const entries: { key: string; name: string }[] = [];
    for (const key of ["$defs", "definitions"]) {
      const defs = raw[key];
      if (!isPlainObject(defs)) continue;
      for (const name of Object.keys(defs)) {
        if (!isDefinitionName(name)) continue; // reported by the shape check
        const existing = this.definitions.get(name);
        if (existing) {
          this.ctx.problems.add("name-collision", doc.file, doc.entryPosition([key, name]), {
            kind: "definition",
            name: `${key}.${name}`,
            otherKind: "definition",
            other: `${existing.origin.path[0]!}.${name}`,
            identifier: toPascalCase(name),
          });
          continue;
        }
        const origin = { doc, path: [key, name] };
        this.definitions.set(name, { name, schema: true, origin });
        this.nameByTarget.set(targetKey(doc, [key, name]), name);
        entries.push({ key, name });
      }
    }
    for (const { key, name } of entries) {
      const schema = (raw[key] as SchemaObject)[name];
      const before = this.ctx.problems.size;
      this.definitions.get(name)!.schema = this.checkAndRewrite(doc, [key, name], [key, name], schema);
      if (this.ctx.problems.size > before) this.broken.add(name);
    }
    this.drain();
  }

  /** Checks and rewrites the payload schema at `path` in the contract. */
  preparePayload(path: JsonPath, schema: unknown): JsonSchema {
    const out = this.checkAndRewrite(this.ctx.contract, path, path, schema);
    this.drain();
    return out;
  }

  private checkAndRewrite(doc: SourceDocument, resource: JsonPath, at: JsonPath, schema: unknown): JsonSchema {
    // A schema nested too deeply is reported and kept as written: the load fails anyway.
    return (this.check(doc, at, schema) ? this.rewrite(doc, resource, at, schema) : schema) as JsonSchema;
  }

  private drain(): void {
    for (let next = this.pending.shift(); next; next = this.pending.shift()) {
      const before = this.ctx.problems.size;
      next.entry.schema = this.checkAndRewrite(next.doc, next.resource, next.entry.origin.path, next.value);
      if (this.ctx.problems.size > before) this.broken.add(next.entry.name);
    }
  }

  /**
   * Whether a rewritten schema can be checked against: no definition it reaches (through
   * `#/$defs/<Name>` refs, at any depth) is broken.
   */
  reachesOnlySound(schema: unknown): boolean {
    const seen = new Set<string>();
    const visit = (node: unknown): boolean => {
      if (Array.isArray(node)) return node.every(visit);
      if (!isPlainObject(node)) return true;
      for (const [key, value] of Object.entries(node)) {
        if (key === "$ref" && typeof value === "string") {
          const name = /^#\/\$defs\/(.+)$/.exec(value)?.[1];
          if (name === undefined || seen.has(name)) continue;
          seen.add(name);
          if (this.broken.has(name) || !visit(this.definitions.get(name)?.schema)) return false;
        } else if (!visit(value)) {
          return false;
        }
      }
      return true;
    };
    return visit(schema);
  }

  /** Definitions sorted by name. */
  sortedDefinitions(): Record<string, JsonSchema> {
    const names = [...this.definitions.keys()].sort();
    return Object.fromEntries(names.map((name) => [name, this.definitions.get(name)!.schema]));
  }

  private check(doc: SourceDocument, at: JsonPath, schema: unknown): boolean {
    const key = targetKey(doc, at);
    let ok = this.checked.get(key);
    if (ok === undefined) {
      ok = checkSchemaTree(this.ctx, doc, at, schema);
      this.checked.set(key, ok);
    }
    return ok;
  }

  /** `resource` is the path of the enclosing schema resource (a payload, a definition, a file). */
  private rewrite(doc: SourceDocument, resource: JsonPath, at: JsonPath, node: unknown): unknown {
    if (!isPlainObject(node)) return node;
    const out: [string, unknown][] = [];
    for (const [key, value] of Object.entries(node)) {
      if (DEFS_KEYS.has(key) || key === "$id" || key === "$schema") continue;
      const kind = SCHEMA_KEYWORDS.get(key);
      if (key === "$ref" && typeof value === "string") {
        out.push([key, this.refTo(doc, resource, [...at, "$ref"], value) ?? value]);
      } else if (kind === "schema") {
        out.push([key, this.rewrite(doc, resource, [...at, key], value)]);
      } else if (kind === "schemaArray" && Array.isArray(value)) {
        out.push([key, value.map((item, i) => this.rewrite(doc, resource, [...at, key, i], item))]);
      } else if (kind === "schemaMap" && isPlainObject(value)) {
        out.push([key, Object.fromEntries(Object.entries(value).map(([name, sub]) => [name, this.rewrite(doc, resource, [...at, key, name], sub)]))]);
      } else {
        out.push([key, value]);
      }
    }
    // fromEntries defines own properties, so a key named `__proto__` stays data.
    return Object.fromEntries(out);
  }

  private refTo(doc: SourceDocument, resource: JsonPath, refPath: JsonPath, ref: string): string | undefined {
    const target = this.resolve(doc, resource, refPath, ref);
    if (!target) return undefined;
    const key = targetKey(target.doc, target.path);
    let name = this.nameByTarget.get(key);
    if (name === undefined) {
      name = this.nameFor(target);
      const existing = this.definitions.get(name);
      if (existing) {
        this.ctx.problems.add("definition-name-collision", doc.file, doc.valuePosition(refPath), {
          ref,
          name,
          existing: this.describeOrigin(existing.origin),
        });
        return undefined;
      }
      this.nameByTarget.set(key, name);
      const entry: BundledDefinition = { name, schema: true, origin: { doc: target.doc, path: target.path }, firstRef: { doc, path: refPath } };
      this.definitions.set(name, entry);
      const targetResource = target.doc === doc && isInside(target.path, resource) ? resource : this.resourceOf(target.doc, target.path);
      this.pending.push({ entry, doc: target.doc, resource: targetResource, value: target.value });
    }
    return `#/$defs/${name}`;
  }

  /** The schema resource a path belongs to: a payload or a shared definition of the contract, or a whole external file. */
  private resourceOf(doc: SourceDocument, at: JsonPath): JsonPath {
    if (doc !== this.ctx.contract) return [];
    if (at[0] === "events" && at[2] === "payload") return at.slice(0, 3);
    if (DEFS_KEYS.has(String(at[0]))) return at.slice(0, 2);
    return at;
  }

  private describeOrigin(origin: SchemaOrigin): string {
    const pointer = origin.path.map(String).join("/");
    return origin.doc === this.ctx.contract
      ? `the schema at \`#/${pointer}\` of this contract`
      : `the schema at \`${this.ctx.displayFile(origin.doc.file)}#/${pointer}\``;
  }

  private nameFor(target: RefTarget): string {
    const { path: at, doc } = target;
    const last = at.at(-1);
    if (at.length >= 2 && DEFS_KEYS.has(String(at.at(-2))) && typeof last === "string") {
      return isDefinitionName(last) ? last : toPascalCase(last);
    }
    if (at.length === 0) {
      const base = path.basename(doc.file).replace(/(\.schema)?\.(json|ya?ml)$/i, "");
      return toPascalCase(base);
    }
    const words = at.filter((segment): segment is string => typeof segment === "string" && !STRUCTURAL.has(segment));
    return words.length > 0 ? toPascalCase(words.join("-")) : "Schema";
  }

  private resolve(doc: SourceDocument, resource: JsonPath, refPath: JsonPath, ref: string): RefTarget | undefined {
    const at = doc.valuePosition(refPath);
    const report = (code: "ref-unresolved" | "ref-unsupported" | "ref-remote" | "ref-outside-root", data: Record<string, string>) => {
      this.ctx.problems.add(code, doc.file, at, { ref, ...data });
      return undefined;
    };
    if (/^[A-Za-z][A-Za-z0-9+.-]*:/.test(ref)) return report("ref-remote", {});
    const hash = ref.indexOf("#");
    const filePart = hash < 0 ? ref : ref.slice(0, hash);
    const fragment = hash < 0 ? "" : ref.slice(hash + 1);
    let targetDoc = doc;
    if (filePart !== "") {
      let relative: string;
      try {
        relative = decodeURIComponent(filePart);
      } catch {
        return report("ref-unresolved", {
          reason: "the file part is not a valid URI reference",
          fix: "Percent-encode special characters, or rename the file.",
        });
      }
      const file = path.resolve(path.dirname(doc.file), relative);
      if (!isWithin(this.ctx.root, file)) {
        return report("ref-outside-root", { target: this.ctx.displayFile(file), root: this.describeRoot() });
      }
      const loaded = this.ctx.readDocument(file);
      if (!(loaded instanceof SourceDocument)) {
        if (loaded.reported === true) return undefined;
        return report("ref-unresolved", {
          reason: `cannot read \`${this.ctx.displayFile(file)}\` (${loaded.error})`,
          fix: "Check the file name: a relative `$ref` is resolved from the folder of the file that holds it.",
        });
      }
      if (loaded.syntaxErrors.length > 0 || loaded.value === undefined) {
        this.ctx.reportSyntaxErrors(loaded);
        return undefined;
      }
      targetDoc = loaded;
    }
    if (fragment === "" && filePart === "") {
      return report("ref-unsupported", { reason: "`#` refers to the whole contract, which is not a schema" });
    }
    if (fragment !== "" && !fragment.startsWith("/")) {
      return report("ref-unsupported", { reason: `\`#${fragment}\` is a plain-name fragment (an \`$anchor\`), which covenant does not resolve` });
    }
    let segments: string[];
    try {
      segments =
        fragment === ""
          ? []
          : fragment
              .slice(1)
              .split("/")
              .map((s) => decodeURIComponent(s).replace(/~1/g, "/").replace(/~0/g, "~"));
    } catch {
      return report("ref-unresolved", { reason: "the JSON pointer is not a valid URI fragment", fix: "Percent-encode special characters in the pointer." });
    }
    const found = this.follow(targetDoc, segments);
    // A pointer that fails from the document root may be meant from the enclosing payload (a payload
    // written as a standalone schema with its own `$defs`).
    const fallback = !found.ok && filePart === "" && resource.length > 0 ? this.follow(targetDoc, segments, resource) : undefined;
    const hit = found.ok ? found : fallback?.ok ? fallback : undefined;
    if (!hit && !found.ok) {
      const where = filePart === "" ? "this contract" : `\`${this.ctx.displayFile(targetDoc.file)}\``;
      return report("ref-unresolved", {
        reason: `${where} has no \`${found.missing}\``,
        fix: `${didYouMean(found.lastKey ?? "", found.available)}${found.available.length > 0 ? `Point it at an existing schema; at that level there are: ${formatList(found.available)}.` : "Point it at an existing schema."}`,
      });
    }
    if (!hit) return undefined;
    if (typeof hit.value !== "boolean" && !isPlainObject(hit.value)) {
      return report("ref-unresolved", { reason: "it points to a value that is not a schema", fix: "Point it at a schema (a mapping)." });
    }
    return { doc: targetDoc, path: hit.path, value: hit.value };
  }

  private follow(
    doc: SourceDocument,
    segments: readonly string[],
    base: JsonPath = [],
  ): { ok: true; path: (string | number)[]; value: unknown } | { ok: false; missing: string; lastKey: string | undefined; available: string[] } {
    let value: unknown = doc.value;
    const out: (string | number)[] = [];
    for (const segment of base) {
      value = Array.isArray(value) ? value[Number(segment)] : isPlainObject(value) ? value[String(segment)] : undefined;
      out.push(segment);
    }
    for (let i = 0; i < segments.length; i++) {
      const segment = segments[i]!;
      const missing = () => ({
        ok: false as const,
        missing: `/${segments.slice(0, i + 1).join("/")}`,
        lastKey: segment,
        available: isPlainObject(value) ? Object.keys(value).sort() : [],
      });
      if (Array.isArray(value)) {
        if (!/^(0|[1-9][0-9]*)$/.test(segment) || Number(segment) >= value.length) return missing();
        value = value[Number(segment)];
        out.push(Number(segment));
      } else if (isPlainObject(value) && Object.hasOwn(value, segment)) {
        value = value[segment];
        out.push(segment);
      } else {
        return missing();
      }
    }
    return { ok: true, path: out, value };
  }

  private describeRoot(): string {
    const contractDir = path.dirname(this.ctx.contract.file);
    return this.ctx.root === contractDir ? "the contract's folder" : `the project root \`${this.ctx.root}\``;
  }
}

function targetKey(doc: SourceDocument, at: JsonPath): string {
  return `${doc.file}#${at.map(String).join("/")}`;
}

function isInside(at: JsonPath, resource: JsonPath): boolean {
  return resource.length <= at.length && resource.every((segment, i) => String(segment) === String(at[i]));
}

/** Whether `file` is `root` or below it, also after resolving symbolic links. */
export function isWithin(root: string, file: string): boolean {
  const inside = (base: string, target: string) => {
    const relative = path.relative(base, target);
    return relative === "" || (!relative.startsWith("..") && !path.isAbsolute(relative));
  };
  if (!inside(root, file)) return false;
  try {
    return inside(fs.realpathSync(root), fs.realpathSync(file));
  } catch {
    return true; // the file does not exist: reported as unresolved
  }
}

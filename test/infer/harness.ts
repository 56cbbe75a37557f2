/**
 * The round trip of `covenant infer`, in process: infer a fixture's protocol, write the draft,
 * load it with the contract loader, generate its types (`covenant generate`'s `emitTypes`), and
 * compile one program that assigns each original payload type to the generated one and back.
 */
import fs from "node:fs";
import path from "node:path";
import ts from "typescript";
import { emitTypes } from "../../contracts/generate/types.js";
import { toPascalCase as pascalCase } from "../../common/strings.js";
import { loadContractFromText } from "../../contracts/load/load-contract.js";
import type { Contract } from "../../contracts/model.js";
import { type InferOptions, type InferResult, inferProtocol } from "../../analyzer/infer/infer-protocol.js";
import type { InferredEvent, InferredProtocol } from "../../analyzer/infer/model.js";
import { writeDraft } from "../../analyzer/infer/write-draft.js";

export const FIXTURES = path.resolve(import.meta.dirname, "../../fixtures/infer");

export interface Drafted {
  result: InferResult;
  text: string;
  contract: Contract;
}

export function draftFixture(name: string, options: Partial<InferOptions> = {}, contractName = name): Drafted {
  const dir = path.join(FIXTURES, name);
  const result = inferProtocol({ tsconfig: path.join(dir, "tsconfig.json"), paths: [], cwd: dir, typeNames: [], contractName, ...options });
  const text = writeDraft(result.protocol, { name: contractName, root: result.root, tsconfig: "tsconfig.json" });
  const contract = loadContractFromText(text, path.join(dir, `${contractName}.contract.yaml`));
  return { result, text, contract };
}

/** Every note in an event's payload and in the shared schemas keeps the round trip (`any` → `{}`, `Date` → string). */
export function isLossless(event: InferredEvent, protocol: InferredProtocol): boolean {
  const used = new Set<string>();
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(visit);
    else if (value !== null && typeof value === "object") {
      for (const [key, child] of Object.entries(value)) {
        if (key === "$ref" && typeof child === "string") {
          const name = child.replace("#/$defs/", "");
          if (!used.has(name)) {
            used.add(name);
            visit(protocol.definitions.get(name)?.schema);
          }
        } else visit(child);
      }
    }
  };
  visit(event.payload?.schema);
  const notes = [...(event.payload?.notes ?? []), ...[...used].flatMap((name) => protocol.definitions.get(name)?.notes ?? [])];
  return notes.every((n) => n.lossless);
}

/**
 * The JSON form the comparison is made in: `readonly` dropped (JSON has none), `Date` as the
 * string `JSON.stringify` sends, a string enum member as its string (`Level.High` → `"high"`: a
 * TypeScript enum is nominal, the wire is not). Everything else is compared as declared.
 */
const WIRE = `type Wire<T> = T extends Date ? string : T extends string ? \`\${T}\` : T extends (...args: never[]) => unknown ? T : T extends object ? { -readonly [K in keyof T]: Wire<T[K]> } : T;`;

export interface RoundTripCase {
  /** A label for messages: `<fixture>.<event>`. */
  label: string;
  /** Where the case's original type comes from. */
  draft: Drafted;
  event: InferredEvent;
}

export interface PairResult {
  label: string;
  /** Diagnostics of original → generated, and of generated → original. */
  toGenerated: string[];
  toOriginal: string[];
}

/**
 * One program for all cases: per contract a generated types file, and one checks file that, per
 * case, assigns the original payload type to the generated one and back. A deliberately wrong
 * pair (`control`) must fail, or the harness would prove nothing.
 */
export async function checkRoundTrips(
  cases: readonly RoundTripCase[],
  control: { label: string; original: string; generated: string },
): Promise<{ pairs: PairResult[]; control: PairResult }> {
  // Inside the repository's node_modules, so a package name (`graphql-ws`) resolves from the checks file.
  const cache = path.resolve(import.meta.dirname, "../../node_modules/.cache");
  fs.mkdirSync(cache, { recursive: true });
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(cache, "covenant-infer-roundtrip-")));
  try {
    const lines: string[] = [WIRE];
    const contracts = new Map<Contract, string>();
    const imports = new Map<string, Set<string>>();
    const located: { label: string; line: number; direction: "toGenerated" | "toOriginal" }[] = [];
    for (const c of cases) {
      if (!contracts.has(c.draft.contract)) {
        const stem = `draft${contracts.size}`;
        contracts.set(c.draft.contract, stem);
        fs.writeFileSync(path.join(dir, `${stem}.types.ts`), await emitTypes(c.draft.contract, { source: `${stem}.contract.yaml` }));
        lines.push(`import type { ${pascalCase(c.draft.contract.name)}Payloads as ${stem} } from "./${stem}.types.js";`);
      }
      const origin = c.event.origin!;
      const names = imports.get(origin.file) ?? new Set<string>();
      names.add(origin.union);
      imports.set(origin.file, names);
    }
    let alias = 0;
    const importAliases = new Map<string, string>();
    for (const [file, names] of imports) {
      const specifier = path.isAbsolute(file) ? file.replace(/(\.d)?\.ts$/, ".js") : file;
      const parts = [...names].map((name) => {
        const local = `U${alias++}`;
        importAliases.set(`${file}#${name}`, local);
        return `${name} as ${local}`;
      });
      lines.push(`import type { ${parts.join(", ")} } from ${JSON.stringify(specifier)};`);
    }
    const pair = (label: string, original: string, generated: string, index: number) => {
      lines.push(`declare const o${index}: Wire<${original}>;`);
      located.push({ label, line: lines.length + 1, direction: "toGenerated" });
      lines.push(`export const g${index}: ${generated} = o${index};`);
      lines.push(`declare const h${index}: ${generated};`);
      located.push({ label, line: lines.length + 1, direction: "toOriginal" });
      lines.push(`export const p${index}: Wire<${original}> = h${index};`);
    };
    cases.forEach((c, index) => {
      const origin = c.event.origin!;
      const local = importAliases.get(`${origin.file}#${origin.union}`)!;
      const original = origin.payloadType.replace(new RegExp(`\\b${origin.union}\\b`), local);
      pair(c.label, original, `${contracts.get(c.draft.contract)}[${JSON.stringify(c.event.name)}]`, index);
    });
    pair(control.label, control.original, control.generated, cases.length);
    const checks = path.join(dir, "checks.ts");
    fs.writeFileSync(checks, `${lines.join("\n")}\n`);
    const program = ts.createProgram([checks], {
      strict: true,
      noEmit: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      types: [],
      skipLibCheck: true,
    });
    const diagnostics = [...program.getSyntacticDiagnostics(), ...program.getSemanticDiagnostics()];
    const results = new Map<string, PairResult>();
    for (const { label } of located) results.set(label, { label, toGenerated: [], toOriginal: [] });
    for (const diagnostic of diagnostics) {
      const text = ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n");
      if (diagnostic.file?.fileName !== checks || diagnostic.start === undefined)
        throw new Error(`unexpected diagnostic outside the checks: ${diagnostic.file?.fileName}: ${text}`);
      const line = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start).line + 1;
      const at = located.find((l) => l.line === line);
      if (!at) throw new Error(`unexpected diagnostic at checks.ts:${line}: ${text}\n${lines[line - 1]}`);
      results.get(at.label)![at.direction].push(text);
    }
    const all = [...results.values()];
    return { pairs: all.filter((r) => r.label !== control.label), control: results.get(control.label)! };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

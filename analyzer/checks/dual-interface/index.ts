import { ts } from "../typescript.js";
import { z } from "zod";
import { defineCheck, getProgramCache } from "../define-check.js";
import { buildDeprecationIndex, type DeprecatedApi, type DeprecationIndex, getLiveCalls } from "./deprecation.js";
import { type DualPair, type DualPairOptions, findDualPairs } from "./dual-pairs.js";
import { type ClassOrInterface, createMemberChain, getTypeSymbol } from "../shared/hierarchy.js";
import { findMigrationUses } from "./migration-refs.js";

export const DEFAULT_SUFFIXES = [
  "Manager",
  "Bridge",
  "Adapter",
  "Client",
  "Service",
  "Notifier",
  "Emitter",
  "Handler",
  "Provider",
  "Gateway",
  "Connector",
  "Transport",
  "Channel",
  "Dispatcher",
  "Publisher",
  "Broker",
  "Proxy",
  "Facade",
];

export const DEFAULT_COMPLEMENTARY_SUFFIXES = [["Emitter", "Notifier", "Publisher", "Dispatcher"], ["Handler"]];

const suffixName = z.string().regex(/^[A-Za-z][A-Za-z0-9]*$/, "a suffix is one word, e.g. Manager");

export const dualInterfaceOptions = z.strictObject({
  suffixes: z
    .array(suffixName)
    .default(DEFAULT_SUFFIXES)
    .describe(
      "Plumbing suffixes (one word each, compared case-insensitively): two members with the same verb and role stem but different suffixes from this list are parallel APIs. Replaces the default list.",
    ),
  complementarySuffixes: z
    .array(z.array(suffixName))
    .default(DEFAULT_COMPLEMENTARY_SUFFIXES)
    .describe(
      "Groups of suffixes that name opposite directions of one role (what sends vs what receives): a pair whose suffixes sit in different groups is not reported.",
    ),
});

export type DualInterfaceOptions = z.infer<typeof dualInterfaceOptions>;

const PROGRAM_CACHE_KEY = "dual-interface:deprecations";

function toPairOptions(options: DualInterfaceOptions, compilerOptions: ts.CompilerOptions): DualPairOptions {
  const complementaryGroup = new Map<string, number>();
  options.complementarySuffixes.forEach((group, index) => {
    for (const suffix of group) complementaryGroup.set(suffix.toLowerCase(), index);
  });
  return { suffixes: new Set(options.suffixes.map((s) => s.toLowerCase())), complementaryGroup, compilerOptions };
}

function collectTypeDeclarations(sourceFile: ts.SourceFile): ClassOrInterface[] {
  const found: ClassOrInterface[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isClassLike(node) || ts.isInterfaceDeclaration(node)) found.push(node);
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return found;
}

/** Every dual pair to report in this file: each type symbol once, at its first class/interface declaration. */
function findPairsInFile(checker: ts.TypeChecker, sourceFile: ts.SourceFile, options: DualPairOptions): DualPair[] {
  const seen = new Set<ts.Symbol>();
  const pairs: DualPair[] = [];
  for (const declaration of collectTypeDeclarations(sourceFile)) {
    const symbol = getTypeSymbol(checker, declaration);
    if (!symbol || seen.has(symbol)) continue;
    seen.add(symbol);
    const canonical = symbol.getDeclarations()?.find((d): d is ClassOrInterface => ts.isClassLike(d) || ts.isInterfaceDeclaration(d)) ?? declaration;
    pairs.push(...findDualPairs(checker, canonical, options).filter((p) => p.reportNode.getSourceFile() === sourceFile));
  }
  return pairs;
}

/**
 * A pair whose one side is `@deprecated` naming the other as its replacement is a migration under
 * way: its remaining calls are reported (with progress), not the pair.
 */
function isDeclaredMigration(checker: ts.TypeChecker, pair: DualPair, index: DeprecationIndex): boolean {
  if (index.apis.length === 0) return false;
  const chainOf = createMemberChain(checker);
  const [a, b] = [chainOf(pair.member.symbol), chainOf(pair.sibling.symbol)];
  const replaces = (api: DeprecatedApi, chain: ReadonlySet<ts.Node>) => api.replacements.some((r) => chain.has(r.declaration));
  return index.apis.some((api) => (a.has(api.declaration) && replaces(api, b)) || (b.has(api.declaration) && replaces(api, a)));
}

function describeRole(pair: DualPair): string {
  const { member, sibling } = pair;
  const shorter = member.role.stem.length <= sibling.role.stem.length ? member : sibling;
  return shorter.role.stem.join("");
}

export default defineCheck({
  id: "dual-interface",
  meta: {
    description:
      "Two parallel APIs for one role in one class/interface hierarchy, a deprecated member still called while its replacement exists, or a use of a configured migration's old side.",
    defaultSeverity: "error",
  },
  messages: {
    parallelApi:
      "`{member}` ({memberType}) and `{sibling}` ({siblingType}) are parallel APIs for the {role} role with unrelated types: callers wire one or the other, and code that checks only one drops events. Move every caller to one of them and delete the other, or make one type implement the other.",
    deprecatedCall:
      "`{deprecated}` is deprecated in favour of `{replacement}` but is still called here ({moved} of {total} call sites moved): both paths stay alive. Call `{replacement}` instead.",
    deprecatedCallGetter:
      "`{deprecated}` is deprecated in favour of the `{replacement}` getter but is still called here ({moved} of {total} uses moved): both paths stay alive. Read `{replacement}` instead.",
    deprecatedCallSeveral:
      "`{deprecated}` is deprecated in favour of {replacements} but is still called here ({moved} of {total} uses moved): both paths stay alive. {advice}",
    migrationUse: "`{name}` is the old side of the configured migration `{from}` → `{to}`: every new use keeps the old path alive. Use `{to}` instead.",
  },
  options: dualInterfaceOptions,
  check(context) {
    const { checker, sourceFile, program } = context;
    const index = getProgramCache(program, PROGRAM_CACHE_KEY, () => buildDeprecationIndex(program, checker));
    for (const pair of findPairsInFile(checker, sourceFile, toPairOptions(context.options, program.getCompilerOptions()))) {
      if (isDeclaredMigration(checker, pair, index)) continue;
      context.report({
        node: pair.reportNode,
        messageId: "parallelApi",
        data: {
          member: pair.member.qualifiedName,
          memberType: checker.typeToString(pair.member.plumbingType),
          sibling: pair.sibling.qualifiedName,
          siblingType: checker.typeToString(pair.sibling.plumbingType),
          role: describeRole(pair),
        },
        symbol: pair.symbol,
        related: [
          ...(pair.reportNode === pair.member.nameNode ? [] : [{ node: pair.member.nameNode, message: `parallel API \`${pair.member.qualifiedName}\`` }]),
          { node: pair.sibling.nameNode, message: `sibling API \`${pair.sibling.qualifiedName}\`` },
        ],
      });
    }
    for (const { call, api } of index.oldCallsByFile.get(sourceFile) ?? []) {
      const live = getLiveCalls(api, context.settings.isTestFile);
      // A back-compat test (its title or file names the member) keeps the old call on purpose.
      if (!live.has(call)) continue;
      const [first] = api.replacements;
      const progress = { deprecated: api.qualifiedName, moved: String(api.newCalls), total: String(api.newCalls + live.size) };
      const related = [
        { node: api.declaration.name, message: `deprecated \`${api.qualifiedName}\`` },
        ...api.replacements.map((r) => ({ node: r.declaration.name, message: `replacement \`${r.name}\`` })),
      ];
      if (api.replacements.length > 1) {
        const names = api.replacements.map((r) => `\`${r.name}\``);
        const list = `${names.slice(0, -1).join(", ")} ${api.choice ? "or" : "and"} ${names[names.length - 1] ?? ""}`;
        context.report({
          node: call,
          messageId: "deprecatedCallSeveral",
          data: { ...progress, replacements: list, advice: api.choice ? "Use one of them instead." : "Use them instead." },
          symbol: api.qualifiedName,
          related,
        });
        continue;
      }
      context.report({
        node: call,
        messageId: first!.getter ? "deprecatedCallGetter" : "deprecatedCall",
        data: { ...progress, replacement: first!.name },
        symbol: api.qualifiedName,
        related,
      });
    }
    for (const { node, migration } of findMigrationUses(checker, sourceFile, context.settings.migrations)) {
      context.report({
        node,
        messageId: "migrationUse",
        data: { name: node.text, from: migration.from, to: migration.to },
        symbol: migration.from,
      });
    }
  },
});

import { RegExpParser, visitRegExpAST, type AST } from "@eslint-community/regexpp";
import { createRequire } from "node:module";
import type * as Refa from "refa";
import type * as Scslre from "scslre";
import type { Contract } from "../model.js";
import { isSchemaObject, walkContractSchemas } from "./schema-walk.js";
import type { GenerationWarning } from "./unenforced.js";

/**
 * A polynomial pattern is not reported when the schema caps the string at this many characters:
 * n² steps for n = 1000 is a millisecond; an exponential pattern is reported whatever the cap.
 */
export const POLYNOMIAL_LENGTH_CAP = 1000;

/*
 * The analysis must stay cheap whatever the contract holds (its cost grows steeply with the number
 * of quantifiers), so it is bounded by the pattern's shape, deterministically:
 */
/** Longer patterns are not analysed. */
const MAX_ANALYSED_LENGTH = 500;
/** Reports asked of scslre per pass (it would otherwise list every pair of quantifiers). */
const MAX_REPORTS = 5;
/** The search for a quantifier that repeats itself (the costly pass) runs only with at most this many repeating quantifiers. */
const MAX_QUANTIFIERS_FOR_SELF = 8;
/** Alternatives compared pairwise in one group, at most. */
const MAX_ALTERNATIVES = 16;
/** Bound on the automata built to compare two alternatives. */
const MAX_NFA_NODES = 10_000;
/**
 * Time for all the patterns of one `generate` run (one pattern takes at most about a second within
 * the bounds above; a contract may hold thousands). Past it, the rest are not analysed, and one
 * warning says so.
 */
export const PATTERN_ANALYSIS_BUDGET_MS = 10_000;

// refa (1 MB) and scslre are CommonJS, required on first use rather than imported: an import makes Node
// scan refa for module syntax and named exports (~60 ms of every `generate`), and a contract without
// patterns needs neither.
const requireModule = createRequire(import.meta.url);
let libraries: { refa: typeof Refa; scslre: typeof Scslre } | undefined;
function loadLibraries(): NonNullable<typeof libraries> {
  libraries ??= { refa: requireModule("refa") as typeof Refa, scslre: requireModule("scslre") as typeof Scslre };
  return libraries;
}

/** Why a pattern can backtrack super-linearly, or undefined when it cannot (as far as the analysis sees). */
export interface PatternRisk {
  readonly exponential: boolean;
  /** What makes it slow, e.g. "`a+` is repeated by `(a+)+` and both can match "a"". */
  readonly cause: string;
}

/**
 * How the generated validators' regular expressions (`new RegExp(pattern, "u")`) can backtrack on
 * a string that does not match: scslre finds quantifiers that can trade the same character
 * (`^\s*(.*)\s*$`: polynomial; `^(a+)+$`: exponential), and an unbounded quantifier over
 * alternatives that can match the same text (`^(\w|\d)+$`) is exponential too.
 */
export function patternRisk(pattern: string): PatternRisk | undefined {
  if (pattern.length > MAX_ANALYSED_LENGTH) return undefined;
  let ast: AST.Pattern;
  let flags: AST.Flags;
  try {
    const parser = new RegExpParser({ ecmaVersion: 2025 });
    ast = parser.parsePattern(pattern, 0, pattern.length, { unicode: true });
    flags = parser.parseFlags("u");
  } catch {
    return undefined; // the loader reports invalid patterns
  }
  try {
    const { analyse } = loadLibraries().scslre;
    const literal: AST.RegExpLiteral = { type: "RegExpLiteral", parent: null, start: 0, end: pattern.length + 3, raw: `/${pattern}/u`, pattern: ast, flags };
    const risks: PatternRisk[] = [];
    let repeating = 0;
    visitRegExpAST(ast, {
      onQuantifierEnter(quantifier) {
        if (quantifier.max > 1) repeating += 1;
      },
    });
    const reports = analyse(literal, { reportTypes: { Trade: true, Self: false, Move: false }, maxReports: MAX_REPORTS }).reports;
    if (!reports.some((report) => report.exponential) && repeating <= MAX_QUANTIFIERS_FOR_SELF) {
      reports.push(...analyse(literal, { reportTypes: { Trade: false, Self: true, Move: false }, maxReports: MAX_REPORTS }).reports);
    }
    for (const report of reports) {
      const char = JSON.stringify(report.character.pick);
      const cause =
        report.type === "Self"
          ? `\`${report.quant.raw}\` is repeated by \`${report.parentQuant.raw}\`, so a run of ${char} can be split between its repetitions in many ways`
          : report.type === "Trade"
            ? `\`${report.startQuant.raw}\` and \`${report.endQuant.raw}\` can both match a run of ${char}, so it can be split between them in many ways`
            : `\`${report.quant.raw}\` is tried at every position of a run of ${char}`;
      risks.push({ exponential: report.exponential, cause });
    }
    const overlap = overlappingAlternatives(ast, flags);
    if (overlap !== undefined) risks.push({ exponential: true, cause: overlap });
    // The worst first; among equals, the first found.
    return risks.find((risk) => risk.exponential) ?? risks[0];
  } catch {
    return undefined; // too complex to analyse within the bounds: no claim either way
  }
}

/** An unbounded quantifier over a group whose alternatives can match the same text (`(a|a)*`, `(\w|\d)+`). */
function overlappingAlternatives(ast: AST.Pattern, flags: AST.Flags): string | undefined {
  const { JS, NFA, isDisjointWith } = loadLibraries().refa;
  const parser = JS.Parser.fromAst({ pattern: ast, flags });
  let found: string | undefined;
  visitRegExpAST(ast, {
    onQuantifierEnter(quantifier) {
      if (found !== undefined || quantifier.max !== Infinity) return;
      const group = quantifier.element;
      if ((group.type !== "Group" && group.type !== "CapturingGroup") || group.alternatives.length < 2 || group.alternatives.length > MAX_ALTERNATIVES) return;
      // Nothing after the quantifier that could fail: a greedy loop then matches at the first try.
      if (!canFailAfter(quantifier)) return;
      const automata = group.alternatives.map((alternative) => {
        const { expression } = parser.parseElement(alternative, { backreferences: "disable", assertions: "disable" });
        return NFA.fromRegex(expression, { maxCharacter: parser.maxCharacter }, { assertions: "disable" }, new NFA.LimitedNodeFactory(MAX_NFA_NODES));
      });
      for (let i = 1; i < automata.length && found === undefined; i++) {
        for (let j = 0; j < i && found === undefined; j++) {
          if (!isDisjointWith(automata[j]!, automata[i]!, MAX_NFA_NODES)) {
            found = `in \`${quantifier.raw}\`, the alternatives \`${group.alternatives[j]!.raw}\` and \`${group.alternatives[i]!.raw}\` can match the same text, so each repetition can take either`;
          }
        }
      }
    },
  });
  return found;
}

/** Whether the pattern goes on after this element (something after it, in it or an enclosing group, could reject). */
function canFailAfter(element: AST.Element): boolean {
  let node: AST.Node = element;
  for (let parent: AST.Node = node.parent; parent.type !== "Pattern"; node = parent, parent = parent.parent) {
    if (parent.type !== "Alternative") continue;
    const after = parent.elements.slice(parent.elements.indexOf(node as AST.Element) + 1);
    if (after.some((next) => !(next.type === "Quantifier" && next.min === 0))) return true;
  }
  return false;
}

/**
 * Every `pattern` (and `patternProperties` key) in the contract's schemas that can take super-linear
 * time on a string that does not match, located at the keyword: the generated validators run them
 * on network input, so one such message can stall the process.
 */
export function findSlowPatterns(contract: Contract, deadline: number = Date.now() + PATTERN_ANALYSIS_BUDGET_MS): GenerationWarning[] {
  const found: { path: (string | number)[]; message: string }[] = [];
  const cache = new Map<string, PatternRisk | undefined>();
  const skipped: (string | number)[][] = [];
  const report = (pattern: string, path: (string | number)[], maxLength: unknown, what: string): void => {
    if (!cache.has(pattern)) {
      if (Date.now() > deadline) {
        skipped.push(path);
        return;
      }
      cache.set(pattern, patternRisk(pattern));
    }
    const risk = cache.get(pattern);
    if (risk === undefined) return;
    const capped = typeof maxLength === "number" && maxLength <= POLYNOMIAL_LENGTH_CAP;
    if (!risk.exponential && capped) return;
    const message = risk.exponential
      ? `${what} \`${pattern}\` can take exponential time on a string that does not match (${risk.cause}): one message can stall the validator. Rewrite it so that each character can be matched one way only.`
      : `${what} \`${pattern}\` can take polynomial time in the string's length on a string that does not match (${risk.cause}). Add \`maxLength\` (at most ${POLYNOMIAL_LENGTH_CAP}) ${what === "pattern" ? "to this schema" : "in `propertyNames`"}, or rewrite it so that no two quantifiers can match the same characters.`;
    found.push({ path, message });
  };
  walkContractSchemas(contract, (schema, at) => {
    if (typeof schema.pattern === "string") report(schema.pattern, [...at, "pattern"], schema.maxLength, "pattern");
    if (isSchemaObject(schema.patternProperties)) {
      const names = isSchemaObject(schema.propertyNames) ? schema.propertyNames.maxLength : undefined;
      for (const key of Object.keys(schema.patternProperties)) report(key, [...at, "patternProperties", key], names, "patternProperties key");
    }
  });
  if (skipped.length > 0) {
    found.push({
      path: skipped[0]!,
      message: `${skipped.length} pattern${skipped.length === 1 ? " was" : "s were"} not checked for super-linear backtracking: the analysis stopped after ${PATTERN_ANALYSIS_BUDGET_MS / 1000} s (from this one on). Check them with a ReDoS analyser, or give them \`maxLength\`.`,
    });
  }
  const warnings = found.map(({ path, message }) => ({ file: contract.file, position: contract.locate(path), message }));
  return warnings.sort((a, b) => a.position.line - b.position.line || a.position.column - b.position.column);
}

/** Reporters for diff results: pure functions from results to text. */
import pc from "picocolors";
import type { DiffChange, DiffResult } from "./diff-contracts.js";
import { assessVersion, type FailOn, type VersionVerdict } from "./semver.js";
import type { Witness } from "./witness.js";
import { plural, tableCell } from "../../common/strings.js";

/** One compared contract: where it is, and the result (or a note such as "new contract"). */
export interface DiffReportEntry {
  /** How the user named it (a path relative to the cwd, or `ref:path`). */
  file: string;
  /** The old side's label, e.g. `main:contracts/x.contract.yaml`. */
  base?: string;
  /** The contract's name (what covenant.breaks.json's `contract` matches). */
  name?: string;
  result: DiffResult;
}

/** Long strings inside a witness, shortened for display (the JSON output keeps them whole). */
function shorten(json: string): string {
  return json.replace(/"((?:[^"\\]|\\.){60})(?:[^"\\]|\\.){20,}"/g, (_, head: string) => `"${head}…"`);
}

/** The witness in one line of text. */
export function describeWitness(witness: Witness): string {
  switch (witness.kind) {
    case "message":
      if (witness.ignored)
        return `${shorten(JSON.stringify(witness.message))}: ignored by receivers of the ${witness.acceptedBy} contract (declared open), rejected by those of the ${witness.rejectedBy} (${witness.reason})`;
      return `${shorten(JSON.stringify(witness.message))}: accepted by the ${witness.acceptedBy} contract, rejected by the ${witness.rejectedBy} (${witness.reason})`;
    case "connection": {
      const path = witness.transitions.length ? witness.transitions.join(" -> ") : "(the initial state)";
      if (witness.ids !== undefined) {
        const { field, id, messages, receiver } = witness.ids;
        const sent = messages.map((m) => `the ${m.by} sends "${m.event}"`).join(", then ");
        const answer = (o: typeof witness.old) => (o.outcome === "closed" ? `closes with ${o.code} ${o.name}` : "delivers it");
        return `${path}, then in "${witness.state}" ${sent}, each with ${field} ${JSON.stringify(id)}: to the last, the old ${receiver} ${answer(witness.old)}, the new ${receiver} ${answer(witness.new)}`;
      }
      const what =
        witness.event !== undefined
          ? `the client sends "${witness.event}" in "${witness.state}"`
          : `the connection stays ${String(witness.stayMs)} ms in "${witness.state}"`;
      const outcome = (o: typeof witness.old) =>
        o.outcome === "held" ? "holds it" : o.outcome === "open" ? "keeps it open" : `closes with ${o.code} ${o.name}`;
      return `${path}, then ${what}: the old server ${outcome(witness.old)}, the new server ${outcome(witness.new)}`;
    }
    case "transitions": {
      const path = witness.transitions.length ? witness.transitions.join(" -> ") : "(the initial state)";
      const at = (state: string | null) => (state === null ? "has no such path" : `reaches "${state}"`);
      const event = witness.event ? `, then send "${witness.event}"` : "";
      const verdict = witness.rejectedBy ? `; the ${witness.acceptedBy} contract allows it, the ${witness.rejectedBy} does not` : "";
      return `${path}${event}: old ${at(witness.oldState)}, new ${at(witness.newState)}${verdict}`;
    }
    case "run":
      if (witness.produced) {
        const sent = witness.produced.length ? witness.produced.join(" ") : "nothing";
        return `run ${witness.events.join(" ")}: accepted by the ${witness.acceptedBy} pattern; the new server and old clients send only ${sent}, which the ${witness.rejectedBy} pattern rejects`;
      }
      return `run ${witness.events.length ? witness.events.join(" ") : "(empty)"}: accepted by the ${witness.acceptedBy} pattern, rejected by the ${witness.rejectedBy}`;
  }
}

export interface DiffCounts {
  /** Breaking changes not accepted in covenant.breaks.json. */
  breaking: number;
  warning: number;
  nonBreaking: number;
  /** Breaking changes accepted (until their expiry) in covenant.breaks.json. */
  accepted: number;
}

export function counts(changes: readonly DiffChange[]): DiffCounts {
  const n: DiffCounts = { breaking: 0, warning: 0, nonBreaking: 0, accepted: 0 };
  for (const ch of changes) {
    if (ch.accepted) n.accepted++;
    else if (ch.kind === "breaking") n.breaking++;
    else if (ch.kind === "warning") n.warning++;
    else n.nonBreaking++;
  }
  return n;
}

function addCounts(a: DiffCounts, b: DiffCounts): DiffCounts {
  return { breaking: a.breaking + b.breaking, warning: a.warning + b.warning, nonBreaking: a.nonBreaking + b.nonBreaking, accepted: a.accepted + b.accepted };
}

function describeCounts(n: DiffCounts, strong: (text: string) => string = (t) => t): string {
  const parts = [
    n.breaking ? strong(plural(n.breaking, "breaking change")) : plural(0, "breaking change"),
    plural(n.warning, "warning"),
    plural(n.nonBreaking, "non-breaking change"),
  ];
  if (n.accepted) parts.push(plural(n.accepted, "accepted break"));
  return parts.join(", ");
}

/** The label of a change: its kind, or `accepted` for a breaking change covenant.breaks.json accepts. */
function label(ch: DiffChange): string {
  return ch.accepted ? "accepted" : ch.kind;
}

/** The version verdict of every entry that has one to tell. */
export function versionVerdicts(entries: readonly DiffReportEntry[], failOn: FailOn = "breaking"): { entry: DiffReportEntry; verdict: VersionVerdict }[] {
  return entries.map((entry) => ({ entry, verdict: assessVersion(entry.result, failOn) })).filter((x) => x.verdict.level !== "ok");
}

/**
 * The version verdicts as lines (`✖ error`, `⚠ warning`, `ℹ note`), each naming its contract when
 * there are several: what `covenant diff` writes to stderr, whatever the format.
 */
export function formatVersionVerdicts(entries: readonly DiffReportEntry[], options: { color?: boolean; failOn?: FailOn } = {}): string {
  const c = pc.createColors(options.color ?? false);
  const lines: string[] = [];
  for (const { entry, verdict } of versionVerdicts(entries, options.failOn)) {
    const prefix = entries.length > 1 ? `${entry.file}: ` : "";
    const text = `${prefix}${verdict.message!}`;
    lines.push(verdict.level === "error" ? c.red(`✖ ${text}`) : verdict.level === "warning" ? c.yellow(`⚠ ${text}`) : c.dim(`ℹ ${text}`));
  }
  return lines.length ? `${lines.join("\n")}\n` : "";
}

/** `--format stylish`: one block per contract, like ESLint's stylish (the version verdicts are formatVersionVerdicts'). */
export function formatDiffStylish(entries: readonly DiffReportEntry[], options: { color?: boolean } = {}): string {
  const c = pc.createColors(options.color ?? false);
  const lines: string[] = [];
  let total: DiffCounts = { breaking: 0, warning: 0, nonBreaking: 0, accepted: 0 };
  for (const entry of entries) {
    const { result } = entry;
    const bump = result.versionBump === "none" ? "no version bump" : `${result.versionBump} bump`;
    const versions =
      result.only === "new"
        ? `new contract, version ${result.newVersion}`
        : result.only === "old"
          ? `removed, was version ${result.oldVersion}`
          : `${result.oldVersion} -> ${result.newVersion} (${bump})`;
    lines.push("", `${c.underline(entry.file)}  ${c.dim(`${versions}${entry.base ? `, compared with ${entry.base}` : ""}`)}`);
    if (result.changes.length === 0) lines.push(`  ${c.dim("no changes")}`);
    const positions = result.changes.map((ch) => (ch.line ? String(ch.line) : "-"));
    const width = Math.max(0, ...positions.map((p) => p.length));
    result.changes.forEach((ch, i) => {
      const text = label(ch).padEnd(12);
      const kind = ch.accepted ? c.dim(text) : ch.kind === "breaking" ? c.red(text) : ch.kind === "warning" ? c.yellow(text) : c.green(text);
      lines.push(`  ${c.dim(positions[i]!.padStart(width))}  ${kind}  ${ch.message}  ${c.dim(ch.rule)}`);
      const indent = " ".repeat(width + 18);
      lines.push(`  ${indent}${c.dim(`at ${ch.path}`)}`);
      if (ch.witness) lines.push(`  ${indent}${c.dim(`witness: ${describeWitness(ch.witness)}`)}`);
      if (ch.accepted) lines.push(`  ${indent}${c.dim(`accepted until ${ch.accepted.expires} by ${ch.accepted.owner}: ${ch.accepted.reason}`)}`);
    });
    total = addCounts(total, counts(result.changes));
  }
  lines.push("");
  const summary = describeCounts(total);
  lines.push(total.breaking > 0 ? c.bold(c.red(`✖ ${summary}`)) : total.warning > 0 ? c.yellow(`⚠ ${summary}`) : c.green(`✔ ${summary}`));
  return `${lines.join("\n").replace(/^\n/, "")}\n`;
}

/** The JSON shape of one result (PRODUCT.md): `{ breaking, versionBump, summary, changes }`. */
export function toDiffJson(result: DiffResult): { breaking: boolean; versionBump: DiffResult["versionBump"]; summary: DiffCounts; changes: DiffChange[] } {
  return {
    breaking: result.breaking,
    versionBump: result.versionBump,
    summary: counts(result.changes),
    changes: result.changes.map((ch) => ({
      kind: ch.kind,
      rule: ch.rule,
      path: ch.path,
      message: ch.message,
      ...(ch.line !== undefined ? { line: ch.line } : {}),
      ...(ch.witness ? { witness: ch.witness } : {}),
      ...(ch.accepted ? { accepted: ch.accepted } : {}),
    })),
  };
}

/**
 * `--format json`: for one pair, exactly `{ breaking, versionBump, changes }`; for `--base` over
 * several contracts, `{ breaking, contracts: [{ file, base, oldVersion, newVersion, breaking, versionBump, changes }] }`.
 */
export function formatDiffJson(entries: readonly DiffReportEntry[], options: { multiple?: boolean } = {}): string {
  if (!options.multiple && entries.length === 1) return `${JSON.stringify(toDiffJson(entries[0]!.result), null, 2)}\n`;
  const doc = {
    breaking: entries.some((e) => e.result.breaking),
    contracts: entries.map((e) => ({
      file: e.file,
      ...(e.base ? { base: e.base } : {}),
      // null: the contract does not exist on that side.
      oldVersion: e.result.only === "new" ? null : e.result.oldVersion,
      newVersion: e.result.only === "old" ? null : e.result.newVersion,
      ...toDiffJson(e.result),
    })),
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}

export interface DiffMarkdownOptions {
  /** Heading text; default "Changes since <old version>". */
  title?: string;
  /** Heading level (default 2). */
  level?: number;
  /** Include the version verdict line (default true). */
  verdict?: boolean;
  failOn?: FailOn;
}

/**
 * A markdown section for one result: a heading, a summary line, a table of changes (breaking
 * first) and the witnesses. Used by `covenant diff --format markdown` (a pull-request comment) and
 * for the "Changes since <version>" section of the generated docs.
 */
export function formatDiffMarkdown(result: DiffResult, options: DiffMarkdownOptions = {}): string {
  const level = "#".repeat(options.level ?? 2);
  const lines = [`${level} ${options.title ?? `Changes since ${result.oldVersion}`}`, ""];
  const n = counts(result.changes);
  const bump = result.versionBump === "none" ? "no version bump" : `${result.versionBump} version bump`;
  const versions =
    result.only === "new"
      ? `a new contract, version ${result.newVersion}`
      : result.only === "old"
        ? `removed, was version ${result.oldVersion}`
        : `${result.oldVersion} → ${result.newVersion} (${bump})`;
  lines.push(
    `${n.breaking ? describeCounts(n, (t) => `**${t}**`) : `No breaking change, ${describeCounts(n).replace(/^0 breaking changes, /, "")}`}; ${versions}.`,
    "",
  );
  if (options.verdict !== false) {
    const verdict = assessVersion(result, options.failOn);
    if (verdict.level !== "ok") lines.push(`${verdict.level === "error" ? "❌" : verdict.level === "warning" ? "⚠️" : "ℹ️"} ${verdict.message!}`, "");
  }
  if (result.changes.length === 0) return `${lines.join("\n").trimEnd()}\n`;
  const rank = (ch: DiffChange) => (ch.accepted ? 2 : ch.kind === "breaking" ? 0 : ch.kind === "warning" ? 1 : 3);
  const ordered = [...result.changes].sort((a, b) => rank(a) - rank(b));
  lines.push("| Kind | Rule | Where | Change |", "| --- | --- | --- | --- |");
  for (const ch of ordered) {
    lines.push(
      `| ${!ch.accepted && ch.kind === "breaking" ? "**breaking**" : label(ch)} | \`${ch.rule}\` | \`${tableCell(ch.path)}\`${ch.line ? ` (line ${ch.line})` : ""} | ${tableCell(ch.message)} |`,
    );
  }
  const withWitness = ordered.filter((ch) => ch.witness);
  if (withWitness.length) {
    lines.push("", "<details><summary>Witnesses</summary>", "");
    for (const ch of withWitness) lines.push(`- \`${ch.rule}\` at \`${ch.path}\`: ${tableCell(describeWitness(ch.witness!))}`);
    lines.push("", "</details>");
  }
  return `${lines.join("\n").trimEnd()}\n`;
}

/** `--format markdown` for one or more contracts. */
export function formatDiffMarkdownReport(entries: readonly DiffReportEntry[], failOn: FailOn = "breaking"): string {
  const parts = entries.map((e) =>
    formatDiffMarkdown(e.result, { title: `covenant diff: \`${e.file}\`${e.base ? ` (since \`${e.base}\`)` : ""}`, level: 3, failOn }),
  );
  return parts.join("\n");
}

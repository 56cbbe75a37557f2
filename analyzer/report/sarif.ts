import type { Log, ReportingDescriptor, Result } from "sarif";
import { PACKAGE } from "../../common/package.js";
import type { Finding, Severity } from "../engine/finding.js";
import type { Report, RuleInfo } from "../engine/report.js";

const toLevel = (severity: Severity): "error" | "warning" => (severity === "error" ? "error" : "warning");

/** A relative POSIX path as a URI reference (spaces and the like percent-encoded). */
export const toUri = (file: string): string => encodeURI(file).replace(/[?#]/g, encodeURIComponent);

function toDescriptor(rule: RuleInfo): ReportingDescriptor {
  return {
    id: rule.id,
    shortDescription: { text: rule.description },
    help: { text: `${rule.description} Documentation: ${rule.docsUrl}`, markdown: `${rule.description}\n\n[Documentation](${rule.docsUrl})` },
    helpUri: rule.docsUrl,
    defaultConfiguration: { level: toLevel(rule.defaultSeverity) },
  };
}

function toResult(f: Finding, ruleIndex: Map<string, number>): Result {
  const result: Result = {
    ruleId: f.ruleId,
    level: toLevel(f.severity),
    message: { text: f.message },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: toUri(f.file) },
          region: { startLine: f.line, startColumn: f.column, endLine: f.endLine, endColumn: f.endColumn },
        },
        ...(f.symbol !== undefined ? { logicalLocations: [{ fullyQualifiedName: f.symbol }] } : {}),
      },
    ],
  };
  const index = ruleIndex.get(f.ruleId);
  if (index !== undefined) result.ruleIndex = index;
  if (f.related.length) {
    result.relatedLocations = f.related.map((r, id) => ({
      id,
      message: { text: r.message },
      physicalLocation: { artifactLocation: { uri: toUri(r.file) }, region: { startLine: r.line, startColumn: r.column } },
    }));
  }
  if (f.fingerprint !== undefined) result.partialFingerprints = { "covenant/v1": f.fingerprint };
  if (f.suggestions?.length) {
    result.fixes = f.suggestions.map((s) => ({
      description: { text: s.message },
      artifactChanges: [
        {
          artifactLocation: { uri: toUri(f.file) },
          replacements: s.edits.map((e) => ({ deletedRegion: { charOffset: e.start, charLength: e.end - e.start }, insertedContent: { text: e.text } })),
        },
      ],
    }));
  }
  return result;
}

/** `--format sarif`: SARIF 2.1.0, one run, rules from the checks' meta, relative POSIX URIs. */
export function formatSarif(report: Report): string {
  const ruleIndex = new Map(report.rules.map((r, i) => [r.id, i]));
  const log: Log = {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: { driver: { name: "covenant", version: report.toolVersion, informationUri: PACKAGE.repositoryUrl, rules: report.rules.map(toDescriptor) } },
        columnKind: "utf16CodeUnits",
        results: report.findings.map((f) => toResult(f, ruleIndex)),
        properties: { filesAnalyzed: report.summary.filesAnalyzed, suppressed: report.summary.suppressed, baselined: report.summary.baselined },
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}

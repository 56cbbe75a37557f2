// The key a hand verdict of bench/review-new-corpus.json is filed under: rule, project, file, symbol
// and a short hash of the reported line's text (whitespace-trimmed). No line number, so a verdict
// survives edits elsewhere in the file; two findings of one rule on identical lines of one file with
// one symbol share a key (and are the same case).
import { createHash } from "node:crypto";

export const FIVE_RULES = ["dual-interface", "liskov-override", "unawaited-factory", "silent-emit-drop", "permissive-mock"];

export function lineHash(text) {
  return createHash("sha256").update(text.trim()).digest("hex").slice(0, 10);
}

export function findingKey(project, finding, lineText) {
  return `${finding.ruleId} ${project} ${finding.file} ${finding.symbol ?? "-"} ${lineHash(lineText)}`;
}

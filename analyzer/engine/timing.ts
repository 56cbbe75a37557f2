/**
 * `COVENANT_TIMING=1 covenant check ...`: how long each phase and each check took, printed to stderr
 * after the run (as ESLint's `TIMING=1`). Off by default; stdout and the report never change.
 * A check's time includes the program-wide facts it computes lazily on its first file.
 */

interface Entry {
  ms: number;
  calls: number;
}

const entries = new Map<string, Entry>();

export function isTimingEnabled(): boolean {
  const value = process.env.COVENANT_TIMING;
  return value !== undefined && value !== "" && value !== "0" && value !== "false";
}

export function addTiming(label: string, ms: number): void {
  const entry = entries.get(label);
  if (entry) {
    entry.ms += ms;
    entry.calls += 1;
  } else {
    entries.set(label, { ms, calls: 1 });
  }
}

/** Runs `fn`, adding its duration under `label` when timing is on. */
export function timePhase<T>(label: string, fn: () => T): T {
  if (!isTimingEnabled()) return fn();
  const started = performance.now();
  try {
    return fn();
  } finally {
    addTiming(label, performance.now() - started);
  }
}

/** The table: phases in the order they ran, then checks by time spent, with the process's peak memory. */
export function formatTiming(): string {
  const rows = [...entries].map(([label, e]) => ({ label, ...e }));
  const phases = rows.filter((r) => !r.label.startsWith("check:"));
  const checks = rows.filter((r) => r.label.startsWith("check:")).sort((a, b) => b.ms - a.ms);
  const checkTotal = checks.reduce((n, r) => n + r.ms, 0);
  const lines = ["covenant timing (COVENANT_TIMING=1)", `${"phase / check".padEnd(28)} ${"ms".padStart(9)} ${"%".padStart(6)} ${"calls".padStart(7)}`];
  for (const r of phases) lines.push(`${r.label.padEnd(28)} ${r.ms.toFixed(1).padStart(9)} ${"".padStart(6)} ${String(r.calls).padStart(7)}`);
  for (const r of checks) {
    const share = checkTotal > 0 ? ((100 * r.ms) / checkTotal).toFixed(1) : "0.0";
    lines.push(`${r.label.padEnd(28)} ${r.ms.toFixed(1).padStart(9)} ${share.padStart(6)} ${String(r.calls).padStart(7)}`);
  }
  const maxRssMb = (process.resourceUsage().maxRSS / 1024).toFixed(0);
  lines.push(`peak RSS ${maxRssMb} MB`);
  return `${lines.join("\n")}\n`;
}

export function resetTiming(): void {
  entries.clear();
}

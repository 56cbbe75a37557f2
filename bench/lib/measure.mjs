// Runs a node program as a child and measures it: wall time (around the spawn), CPU time (user +
// system) and peak RSS of the child. With GNU time (/usr/bin/time) when it is installed, else with
// bench/lib/rusage-preload.mjs (the child's own process.resourceUsage() at exit): the bench needs
// nothing installed by hand.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { measureTree } from "./tree-rss.mjs";

const PRELOAD = pathToFileURL(path.join(import.meta.dirname, "rusage-preload.mjs")).href;

function hasGnuTime() {
  if (process.env.BENCH_NO_GNU_TIME) return false;
  try {
    const probe = spawnSync("/usr/bin/time", ["--version"], { encoding: "utf8" });
    return /GNU Time/.test(`${probe.stdout ?? ""}${probe.stderr ?? ""}`);
  } catch {
    return false;
  }
}

export const MEASURED_WITH = hasGnuTime() ? "GNU time (/usr/bin/time -f '%e %U %S %M')" : "process.resourceUsage() of the child (bench/lib/rusage-preload.mjs)";
const useGnuTime = MEASURED_WITH.startsWith("GNU");

/**
 * @param {string[]} nodeArgs arguments after `node`
 * @returns {{ wallMs: number, cpuMs: number, maxRssMb: number, treeRssMb: number, processes: number, treeSamples: number, status: number | null, stdout: string, stderr: string }}
 *   maxRssMb: the largest single process's peak (GNU time); treeRssMb: the sum of the peaks of
 *   every process of the run (bench/lib/tree-rss.mjs), for tools made of several processes.
 */
export function measureNode(nodeArgs, { cwd, env = {} } = {}) {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "covenant-bench-"));
  const usageFile = path.join(tmp, "usage");
  const childEnv = { ...process.env, ...env };
  let command;
  let args;
  if (useGnuTime) {
    command = "/usr/bin/time";
    args = ["-f", "%e %U %S %M", "-o", usageFile, process.execPath, ...nodeArgs];
  } else {
    command = process.execPath;
    args = ["--import", PRELOAD, ...nodeArgs];
    childEnv.BENCH_RUSAGE_FILE = usageFile;
  }
  const started = performance.now();
  const tree = measureTree(() => spawnSync(command, args, { cwd, env: childEnv, encoding: "utf8", maxBuffer: 256 * 1024 * 1024 }));
  const result = tree.value;
  const wallMs = performance.now() - started;
  let cpuMs = Number.NaN;
  let maxRssMb = Number.NaN;
  try {
    const text = fs.readFileSync(usageFile, "utf8").trim();
    if (useGnuTime) {
      // The last line holds the figures ("Command exited with non-zero status N" may come before it).
      const [, user, system, rssKb] = text.split("\n").at(-1).split(" ").map(Number);
      cpuMs = (user + system) * 1000;
      maxRssMb = rssKb / 1024;
    } else {
      const usage = JSON.parse(text);
      cpuMs = usage.userMs + usage.systemMs;
      maxRssMb = usage.maxRssKb / 1024;
    }
  } catch {
    // no usage file: the child could not start; the caller sees the status
  }
  fs.rmSync(tmp, { recursive: true, force: true });
  // The tree's figure can be no lower than its largest process's (a process shorter than the
  // sampler's interval can be missed by the sampler, never by GNU time).
  const treeRssMb = Number.isFinite(tree.treeRssMb) ? Math.max(tree.treeRssMb, Number.isFinite(maxRssMb) ? maxRssMb : 0) : maxRssMb;
  return {
    wallMs,
    cpuMs,
    maxRssMb,
    treeRssMb,
    processes: tree.processes,
    treeSamples: tree.samples,
    status: result.status,
    stdout: result.stdout ?? "",
    stderr: result.stderr ?? "",
  };
}

export function stats(values) {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return { median: Number.NaN, min: Number.NaN, max: Number.NaN, n: 0 };
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return { median, min: sorted[0], max: sorted.at(-1), n: sorted.length };
}

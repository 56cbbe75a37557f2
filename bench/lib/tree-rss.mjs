// Peak memory of a whole process tree, for tools that run as more than one process: TypeScript 7's
// `tsc` (a Node wrapper and the native compiler), oxlint with tsgolint, covenant's ts7 engine (Node
// and the native API server). GNU time's %M is the peak RSS of the largest single process only.
//
// A worker thread of the bench process reads /proc while the main thread is blocked in spawnSync:
// every INTERVAL_MS it finds the bench's descendants (parent chain up to the bench; GNU time itself
// left out) and reads each one's VmHWM (the kernel's own peak RSS of that process; after an exec,
// that of the new program only). The figure is
// the sum of those peaks over every process seen: exact for one process, and for processes that
// live side by side the whole run (a wrapper and its compiler) at most a little above the true
// simultaneous peak. A process that lives less than one interval can be missed. Linux only; where
// /proc cannot be read, `measure()` returns NaN and the caller keeps GNU time's figure.
import fs from "node:fs";
import { Worker, isMainThread, workerData } from "node:worker_threads";

const INTERVAL_MS = 50;
const IDLE = 0;
const MEASURING = 1;
const STOP = 2;
const DONE = 3;

/** `/proc/<pid>/stat` → { ppid, comm, start }; the command may hold spaces and parentheses. */
export function parseStat(text) {
  const close = text.lastIndexOf(")");
  const open = text.indexOf("(");
  if (open < 0 || close < open) return undefined;
  const fields = text.slice(close + 2).split(" ");
  return { comm: text.slice(open + 1, close), ppid: Number(fields[1]), start: fields[19] };
}

/** `/proc/<pid>/status` → VmHWM in kB (NaN when absent: a kernel thread or a zombie). */
export function parseHwmKb(text) {
  const m = /^VmHWM:\s+(\d+)\s+kB$/m.exec(text);
  return m ? Number(m[1]) : Number.NaN;
}

/**
 * The processes of `processes` (pid → { ppid, comm }) that descend from `root`, without `root`
 * and without the processes whose command is in `skip` (their own children still count).
 */
export function descendants(root, processes, skip = new Set()) {
  const inTree = new Map([[root, true]]);
  const isInTree = (pid, depth = 0) => {
    if (inTree.has(pid)) return inTree.get(pid);
    const p = processes.get(pid);
    const result = p !== undefined && depth < 64 && isInTree(p.ppid, depth + 1);
    inTree.set(pid, result);
    return result;
  };
  return [...processes.keys()].filter((pid) => pid !== root && isInTree(pid) && !skip.has(processes.get(pid).comm));
}

function readOr(file) {
  try {
    return fs.readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
}

// ------------------------------------------------------------------ the worker
function sampler({ control, result, root }) {
  const ctl = new Int32Array(control);
  const out = new Float64Array(result);
  const skip = new Set(["time"]);
  for (;;) {
    // Idle until a measure starts; a measure that stopped before this thread saw it (a run shorter
    // than the thread's start) still gets its answer, with no sample.
    let state;
    while ((state = Atomics.load(ctl, 0)) === IDLE || state === DONE) Atomics.wait(ctl, 0, state);
    // The measure this thread serves: a late answer to an earlier one is told apart by it.
    const generation = Atomics.load(ctl, 1);
    const peaks = new Map(); // "pid:start" → { kb: peak of its current program, comm }
    const outside = new Set(); // pids known not to descend from root this measure
    const known = new Map(); // pid → { ppid, comm, start }
    let samples = 0;
    const sample = () => {
      let pids;
      try {
        pids = fs
          .readdirSync("/proc")
          .filter((n) => /^\d+$/.test(n))
          .map(Number);
      } catch {
        return;
      }
      const alive = new Set(pids);
      for (const pid of known.keys()) if (!alive.has(pid)) known.delete(pid);
      for (const pid of outside) if (!alive.has(pid)) outside.delete(pid);
      for (const pid of pids) {
        if (known.has(pid) || outside.has(pid)) continue;
        const stat = readOr(`/proc/${pid}/stat`);
        const parsed = stat && parseStat(stat);
        if (parsed) known.set(pid, parsed);
      }
      // Processes seen but not in the tree are not read again (their pids are older than the run).
      const tree = descendants(root, known);
      const treeSet = new Set(tree);
      for (const pid of known.keys()) if (!treeSet.has(pid) && pid !== root) outside.add(pid);
      for (const pid of tree) {
        // Read again each time: a child is seen between fork and exec with its parent's command
        // and memory, and exec starts a new VmHWM (it never decreases within one program).
        const stat = parseStat(readOr(`/proc/${pid}/stat`) ?? "");
        if (stat) known.set(pid, stat);
        const hwm = parseHwmKb(readOr(`/proc/${pid}/status`) ?? "");
        if (!Number.isFinite(hwm)) continue;
        const key = `${pid}:${known.get(pid).start}`;
        const previous = peaks.get(key);
        const comm = known.get(pid).comm;
        const execed = previous !== undefined && (hwm < previous.kb || comm !== previous.comm);
        peaks.set(key, { kb: previous && !execed ? Math.max(previous.kb, hwm) : hwm, comm });
      }
      samples += 1;
    };
    while (Atomics.load(ctl, 0) === MEASURING && Atomics.load(ctl, 1) === generation) {
      sample();
      Atomics.wait(ctl, 0, MEASURING, INTERVAL_MS);
    }
    let sumKb = 0;
    let counted = 0;
    for (const { kb, comm } of peaks.values()) {
      if (skip.has(comm)) continue;
      sumKb += kb;
      counted += 1;
    }
    out[0] = counted ? sumKb / 1024 : Number.NaN;
    out[1] = counted;
    out[2] = samples;
    out[3] = generation;
    // Only the measure that is waiting for this answer gets it; a newer one is left running.
    if (Atomics.load(ctl, 1) === generation) Atomics.compareExchange(ctl, 0, STOP, DONE);
    Atomics.notify(ctl, 0);
  }
}

if (!isMainThread && workerData?.covenantTreeRss) sampler(workerData);

// ------------------------------------------------------------------ the main thread
let shared;

function start() {
  if (shared !== undefined) return shared;
  shared = null;
  if (process.platform !== "linux" || !fs.existsSync(`/proc/${process.pid}/status`)) return shared;
  const control = new SharedArrayBuffer(8); // [state, generation]
  const result = new SharedArrayBuffer(32); // [peak MB, processes, samples, generation]
  const worker = new Worker(new URL(import.meta.url), { workerData: { covenantTreeRss: true, control, result, root: process.pid } });
  worker.unref();
  shared = { worker, ctl: new Int32Array(control), out: new Float64Array(result) };
  return shared;
}

/**
 * Runs `run` (synchronous: it spawns and waits for the processes to measure) while the sampler
 * watches the bench's descendants. Returns run's value and the tree's peak: `{ value, treeRssMb,
 * processes, samples }` (treeRssMb NaN when /proc is not readable). One measure at a time.
 */
export function measureTree(run) {
  const s = start();
  if (!s) return { value: run(), treeRssMb: Number.NaN, processes: 0, samples: 0 };
  const generation = Atomics.add(s.ctl, 1, 1) + 1;
  Atomics.store(s.ctl, 0, MEASURING);
  Atomics.notify(s.ctl, 0);
  let value;
  try {
    value = run();
  } finally {
    Atomics.store(s.ctl, 0, STOP);
    Atomics.notify(s.ctl, 0);
    // The worker answers within one interval; the cap turns a dead worker into NaN, not a hang.
    const deadline = Date.now() + 30_000;
    while (Atomics.load(s.ctl, 0) !== DONE && Date.now() < deadline) Atomics.wait(s.ctl, 0, STOP, 100);
  }
  const done = Atomics.load(s.ctl, 0) === DONE && s.out[3] === generation;
  const measured = { value, treeRssMb: done ? s.out[0] : Number.NaN, processes: done ? s.out[1] : 0, samples: done ? s.out[2] : 0 };
  Atomics.store(s.ctl, 0, IDLE);
  return measured;
}

/** `/proc/<pid>/stat` → parent pid, command and start time (clock ticks after boot, as text). */
export function parseStat(text: string): { comm: string; ppid: number; start: string } | undefined;
/** `/proc/<pid>/status` → VmHWM (peak RSS) in kB, NaN when absent. */
export function parseHwmKb(text: string): number;
/** The pids of `processes` that descend from `root` (not `root`), leaving out the commands in `skip`. */
export function descendants(root: number, processes: Map<number, { ppid: number; comm: string }>, skip?: Set<string>): number[];
/** Runs `run` (synchronous) while a worker thread sums the peak RSS of every process the bench spawns. */
export function measureTree<T>(run: () => T): { value: T; treeRssMb: number; processes: number; samples: number };

// node --import <this file> ...: writes the process's own resource usage (CPU times, peak RSS) as
// JSON to $BENCH_RUSAGE_FILE when it exits. The fallback measurement of bench/lib/measure.mjs when
// GNU time (/usr/bin/time) is not installed.
import fs from "node:fs";

const file = process.env.BENCH_RUSAGE_FILE;
if (file) {
  process.on("exit", () => {
    const usage = process.resourceUsage();
    fs.writeFileSync(file, JSON.stringify({ userMs: usage.userCPUTime / 1000, systemMs: usage.systemCPUTime / 1000, maxRssKb: usage.maxRSS }));
  });
}

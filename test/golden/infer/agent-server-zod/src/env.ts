/** Settings shared by the two command-line entry points (environment variables, then flags). */
export const DEFAULT_PORT = 8787;
export const DEFAULT_TOKEN = "dev-token";

export function readPort(value: string | undefined, fallback: number = DEFAULT_PORT): number {
  if (value === undefined || value === "") return fallback;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) fail(`PORT must be an integer from 0 to 65535, got ${JSON.stringify(value)}.`);
  return port;
}

/** "200-1500" or "300" (ms) -> [min, max]. */
export function readRange(name: string, value: string | undefined, fallback: readonly [number, number]): readonly [number, number] {
  if (value === undefined || value === "") return fallback;
  const match = /^(\d+)(?:-(\d+))?$/.exec(value.trim());
  const min = Number(match?.[1]);
  const max = Number(match?.[2] ?? match?.[1]);
  if (match === null || max < min) fail(`${name} must be milliseconds like 300 or 200-1500, got ${JSON.stringify(value)}.`);
  return [min, max];
}

export function readCount(name: string, value: string | undefined, fallback: number, min: number, max: number): number {
  if (value === undefined || value === "") return fallback;
  const count = Number(value);
  if (!Number.isInteger(count) || count < min || count > max) fail(`${name} must be an integer from ${min} to ${max}, got ${JSON.stringify(value)}.`);
  return count;
}

export function isLoopback(host: string): boolean {
  return host === "localhost" || host === "::1" || /^127\.\d+\.\d+\.\d+$/.test(host);
}

export function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(2);
}

/** A command resolves to its exit code: 0 ok, 1 findings (or stale, or breaking), 2 usage, config or input error. */
export type ExitCode = 0 | 1 | 2;

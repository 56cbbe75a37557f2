/** Version bumps between two contract versions, and what the bump says about the changes. */

export type VersionBump = "major" | "minor" | "patch" | "none";

interface SemVer {
  major: number;
  minor: number;
  patch: number;
  prerelease: string;
}

function parse(version: string): SemVer | undefined {
  const match = /^v?(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/.exec(version.trim());
  if (!match) return undefined;
  return { major: Number(match[1]), minor: Number(match[2]), patch: Number(match[3]), prerelease: match[4] ?? "" };
}

/** The most significant component that increased from `from` to `to` ("none" when equal or lower). */
export function versionBump(from: string, to: string): VersionBump {
  const a = parse(from);
  const b = parse(to);
  if (!a || !b) return "none";
  if (b.major !== a.major) return b.major > a.major ? "major" : "none";
  if (b.minor !== a.minor) return b.minor > a.minor ? "minor" : "none";
  if (b.patch !== a.patch) return b.patch > a.patch ? "patch" : "none";
  // 1.0.0-rc.1 -> 1.0.0 (or -rc.1 -> -rc.2) is a release of the same version: count it as a patch.
  if (a.prerelease !== b.prerelease && (b.prerelease === "" || (a.prerelease !== "" && b.prerelease > a.prerelease))) return "patch";
  return "none";
}

/** True when `to` is lower than `from`. */
export function isDowngrade(from: string, to: string): boolean {
  const a = parse(from);
  const b = parse(to);
  if (!a || !b) return false;
  const order = b.major - a.major || b.minor - a.minor || b.patch - a.patch;
  return order < 0;
}

export interface VersionVerdict {
  /** error: breaking without a major bump (exit 1); warning: changes without any bump; note: informational. */
  level: "ok" | "error" | "warning" | "note";
  message?: string;
}

/** What fails a diff: breaking changes only (the default), or warnings too (`--fail-on warning`). */
export type FailOn = "breaking" | "warning";

export function assessVersion(
  result: {
    breaking: boolean;
    versionBump: VersionBump;
    changes: readonly { kind: string; accepted?: unknown }[];
    oldVersion: string;
    newVersion: string;
    only?: "old" | "new";
  },
  failOn: FailOn = "breaking",
): VersionVerdict {
  const { breaking, versionBump: bump, oldVersion, newVersion } = result;
  // A new contract has no earlier version to bump from.
  if (result.only === "new") return { level: "ok" };
  // No version can make a removal compatible: it is breaking for every peer that speaks the contract.
  if (result.only === "old")
    return {
      level: "error",
      message: `the contract was removed${oldVersion.startsWith("(") ? "" : ` (its last version was ${oldVersion})`}: that breaks every peer that speaks it, whatever the version; keep it until no peer uses it.`,
    };
  const range = `${oldVersion} -> ${newVersion}`;
  if (breaking && bump !== "major") {
    const what = bump === "none" ? "no version bump" : `only a ${bump} bump`;
    return { level: "error", message: `breaking changes with ${what} (${range}): bump the major version, or make the changes compatible.` };
  }
  if (failOn === "warning" && bump !== "major" && result.changes.some((c) => c.kind === "warning" && !c.accepted)) {
    const what = bump === "none" ? "no version bump" : `only a ${bump} bump`;
    return { level: "error", message: `warnings with ${what} (${range}) and --fail-on warning: bump the major version, or make the changes compatible.` };
  }
  if (isDowngrade(oldVersion, newVersion)) return { level: "warning", message: `the version went down (${range}): versions should only increase.` };
  if (!breaking && result.changes.length > 0 && bump === "none")
    return { level: "warning", message: `non-breaking changes without a version bump (${range}): bump the minor version (or the patch version for a fix).` };
  if (bump === "major" && !breaking && result.changes.length === 0)
    return { level: "note", message: `major version bump without any change to what the contract accepts (${range}): a patch bump would do.` };
  if (bump === "major" && !breaking) return { level: "note", message: `major version bump without a breaking change (${range}): a minor bump would do.` };
  return { level: "ok" };
}

import type { ResolveHook } from "node:module";

/** Module resolution hook (registered by bin/covenant.ts): `typescript` resolves to common/typescript.cjs. */
const shim = new URL("../common/typescript.cjs", import.meta.url).href;

export const resolve: ResolveHook = async (specifier, context, nextResolve) => {
  if (specifier === "typescript") return { url: shim, format: "commonjs", shortCircuit: true };
  return nextResolve(specifier, context);
};

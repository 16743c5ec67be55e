/**
 * Modules the Launcher host loads only once it needs them, by computed specifiers (relative
 * to the checkout) so `deno run` leaves them out of the graph it loads before answering
 * Bootstrap; `bin/build` passes each to `deno compile --include`.
 */
export const LAZY_MODULES = {
  /** Runner processes: the remote plugin, its RPC, permissions and the runner command. */
  runnerFactory: "./src/host/runner_factory.ts",
} as const;

const ROOT = new URL("../../", import.meta.url);

/** Imports one of {@linkcode LAZY_MODULES}. */
export function importLazy<T>(key: keyof typeof LAZY_MODULES): Promise<T> {
  const specifier: string = new URL(LAZY_MODULES[key], ROOT).href;
  return import(specifier);
}

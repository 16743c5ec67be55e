import type { PluginInstance } from "./plugin_instance.ts";

const STREAMING = new Set(["jobOutput", "jobResourceUtil"]);

/**
 * A view of an instance whose calls report when they begin and end (streams end when
 * iteration stops), so the supervisor knows whether the instance is busy.
 */
export function trackCalls(
  instance: PluginInstance,
  hooks: { begin(): void; end(): void },
): PluginInstance {
  return new Proxy(instance, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (typeof value !== "function" || typeof property !== "string") return value;
      if (STREAMING.has(property)) {
        return (...args: unknown[]) => trackStream(value.apply(target, args), hooks);
      }
      if (property === "close") return value.bind(target);
      return (...args: unknown[]) => {
        hooks.begin();
        let result: unknown;
        try {
          result = value.apply(target, args);
        } catch (error) {
          hooks.end();
          throw error;
        }
        return Promise.resolve(result).finally(() => hooks.end());
      };
    },
  });
}

async function* trackStream<T>(
  source: AsyncIterable<T>,
  hooks: { begin(): void; end(): void },
): AsyncIterable<T> {
  hooks.begin();
  try {
    yield* source;
  } finally {
    hooks.end();
  }
}

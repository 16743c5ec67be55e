/** Prototypes: a polluted realm stays the plugin's own. */
import type { Probe } from "./_probe.ts";

export const PROTOTYPE_PROBES: Probe[] = [
  {
    name: "prototype_pollution",
    attempt: async () => {
      Object.assign(Object.prototype, { polluted: "yes", isAdmin: true });
      return JSON.parse('{"__proto__": {"user": "*"}, "constructor": {"prototype": {"x": 1}}}');
    },
    answers: /^\{"__proto__":\{"user":"\*"\},"constructor":\{"prototype":\{"x":1\}\}\}$/,
  },
];

/** Imports outside the grants: local files, remote modules, code from data: and blob: URLs. */
import { dynamic } from "./_helpers.ts";
import type { Probe } from "./_probe.ts";

export const IMPORT_PROBES: Probe[] = [
  {
    name: "import_etc_shadow",
    attempt: () => import("file:///etc/shadow"),
    refused: /read "\/etc\/shadow"/,
  },
  {
    name: "import_computed",
    attempt: () => import(dynamic("file:///etc/shadow")),
    refused: /read "\/etc\/shadow"/,
  },
  {
    name: "import_json_outside",
    attempt: ({ env }) => import(`file://${env.SECRET_JSON}`, { with: { type: "json" } }),
    refused: /read ".*\/secret\.json"/,
  },
  {
    name: "import_remote",
    attempt: () => import(dynamic("https://jsr.io/@std/fmt/1.0.0/colors.ts")),
    refused: /import "(jsr\.io:443|https:\/\/jsr\.io\/[^"]+)"$/,
  },
  {
    name: "import_npm",
    attempt: () => import(dynamic("npm:left-pad@1.3.0")),
    refused: /import npm packages$/,
  },
  {
    name: "import_data_url",
    attempt: () =>
      import("data:text/javascript,export default await Deno.readTextFile('/etc/shadow')"),
    refused: /read "\/etc\/shadow"/,
  },
  {
    name: "import_blob_url",
    attempt: () => {
      const code = "export default await Deno.readTextFile('/etc/shadow')";
      const blob = new Blob([code], { type: "text/javascript" });
      return import(URL.createObjectURL(blob));
    },
    refused: /read "\/etc\/shadow"/,
  },
];

import { hostileSuite } from "./_suite.ts";

await hostileSuite("none");

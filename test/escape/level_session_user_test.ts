import { hostileSuite } from "./_suite.ts";

await hostileSuite("session-user");

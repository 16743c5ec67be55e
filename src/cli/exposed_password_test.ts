import assert from "node:assert/strict";
import { exposedPasswordWarning } from "./exposed_password.ts";

const URL_WITH = "postgres://lb:secret@db/lb";

Deno.test("exposedPasswordWarning warns of a password on the command line, naming the key, never quoting it", () => {
  const warning = exposedPasswordWarning(URL_WITH, "--job-store-url");
  assert.match(
    warning ?? "",
    /^Option --job-store-url holds the job store's password, .* in ps: use PGPASSWORD/,
  );
  assert.doesNotMatch(warning ?? "", /secret/);
  assert.equal(exposedPasswordWarning("postgres://lb@db/lb", "--job-store-url"), undefined);
  assert.equal(exposedPasswordWarning(undefined, "--job-store-url"), undefined);
});

Deno.test("exposedPasswordWarning warns of a password in a config file others may read, not in a 0600 one", async () => {
  const file = await Deno.makeTempFile();
  try {
    const origin = `job-store-url= in ${file}`;
    await Deno.chmod(file, 0o644);
    assert.match(
      exposedPasswordWarning(URL_WITH, origin, file) ?? "",
      /may be read by group or others \(mode 644\): run chmod 600 on it, or use PGPASSWORD or a PGPASSFILE$/,
    );
    await Deno.chmod(file, 0o600);
    assert.equal(exposedPasswordWarning(URL_WITH, origin, file), undefined);
  } finally {
    await Deno.remove(file);
  }
});

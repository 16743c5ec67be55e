/**
 * Makes the job store file and its WAL and shared-memory companions private to this
 * process's user before SQLite opens them: created 0600 when missing (SQLite gives the
 * WAL and SHM files it creates later the database file's mode), narrowed to 0600 when an
 * older version left them wider, refused when another user owns them. They hold every
 * user's job environment, secrets included.
 */
export function makeStorePrivate(path: string): void {
  if (path === ":memory:" || path === "") return;
  createPrivate(path);
  for (const companion of [path, `${path}-wal`, `${path}-shm`, `${path}-journal`]) {
    narrow(path, companion);
  }
}

function createPrivate(path: string): void {
  try {
    Deno.openSync(path, { createNew: true, write: true, mode: 0o600 }).close();
  } catch (error) {
    if (!(error instanceof Deno.errors.AlreadyExists)) {
      throw new Error(`Cannot create job store "${path}": ${(error as Error).message}`, {
        cause: error,
      });
    }
  }
}

function narrow(store: string, file: string): void {
  let info: Deno.FileInfo;
  try {
    info = Deno.lstatSync(file);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return;
    throw error;
  }
  if (!info.isFile) {
    throw new Error(`Cannot open job store "${store}": "${file}" is not a regular file`);
  }
  const uid = ownUid();
  if (uid !== null && info.uid !== uid) {
    throw new Error(
      `Cannot open job store "${store}": "${file}" is owned by uid ${info.uid}, not by this ` +
        `server's uid ${uid}; give it to the server's user (chown) or remove it`,
    );
  }
  if (((info.mode ?? 0) & 0o077) !== 0) Deno.chmodSync(file, 0o600);
}

/** This process's uid, or `null` where it is unknown or not permitted (`--allow-sys=uid`). */
function ownUid(): number | null {
  try {
    return Deno.uid();
  } catch {
    return null;
  }
}

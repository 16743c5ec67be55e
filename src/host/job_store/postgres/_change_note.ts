import type { PayloadSigner } from "./_signer.ts";
import { INLINE_PAYLOAD_BYTES } from "./constants.ts";

// The payloads of the store's NOTIFY channel (see `ChangeFeed`): written by the store's
// statements, read by every node's feed.

/** A status change notification: the job, its change number, and the body when small. */
export interface ChangeNote {
  j: number;
  c: number;
  /** The job as JSON, with `m`, its signature (see {@linkcode PayloadSigner}). */
  b?: string;
  m?: string;
}

/** A removal notification: the job. */
export interface RemovalNote {
  r: number;
}

export type Note = ChangeNote | RemovalNote;

/** The notification payload of a change (see `ChangeFeed`). */
export async function changePayload(
  signer: PayloadSigner,
  jobSeq: number,
  changeSeq: number,
  body: string,
): Promise<string> {
  const bare = JSON.stringify({ j: jobSeq, c: changeSeq });
  // Measured after escaping: a body full of quotes grows in the payload.
  if (body.length + bare.length > INLINE_PAYLOAD_BYTES) return bare;
  const m = await signer.sign(signedText(jobSeq, changeSeq, body));
  const payload = JSON.stringify({ j: jobSeq, c: changeSeq, b: body, m });
  return new TextEncoder().encode(payload).length <= INLINE_PAYLOAD_BYTES ? payload : bare;
}

/** The text a change's signature covers. */
export function signedText(jobSeq: number, changeSeq: number, body: string): string {
  return `${jobSeq}:${changeSeq}:${body}`;
}

/** A notification of this store, or a `TypeError` for a payload some other sender made. */
export function noteOf(payload: string): Note {
  let note: unknown;
  try {
    note = JSON.parse(payload);
  } catch {
    // Reported below like any other payload that is not ours.
  }
  const fields = (note ?? {}) as Record<string, unknown>;
  const ok = (value: unknown) => Number.isSafeInteger(value) && (value as number) > 0;
  if (ok(fields.r)) return { r: fields.r as number };
  if (ok(fields.j) && ok(fields.c)) {
    const carried = typeof fields.b === "string" && typeof fields.m === "string";
    const note: ChangeNote = { j: fields.j as number, c: fields.c as number };
    return carried ? { ...note, b: fields.b as string, m: fields.m as string } : note;
  }
  throw new TypeError(
    `Cannot read job notification: unexpected payload ${JSON.stringify(payload.slice(0, 80))}`,
  );
}

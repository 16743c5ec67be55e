import type { Sql, TransactionSql } from "postgres";

const ALGORITHM = { name: "HMAC", hash: "SHA-256" } as const;

/**
 * Signs and checks notification payloads with the cluster's key (`launchbox_secret`, made
 * at schema creation, readable only by roles granted the table). Any role that can connect
 * may NOTIFY; only one that can read the key can make a payload the feed trusts.
 */
export class PayloadSigner {
  readonly #key: CryptoKey;

  private constructor(key: CryptoKey) {
    this.#key = key;
  }

  /** Reads the cluster's key. */
  static async load(sql: Sql): Promise<PayloadSigner> {
    const [row] = await sql`SELECT encode(key, 'hex') AS hex FROM launchbox_secret`;
    if (!row) throw new Error("Cannot sign job notifications: launchbox_secret holds no key");
    const bytes = Uint8Array.from(row.hex.match(/../g)!, (pair: string) => parseInt(pair, 16));
    const key = await crypto.subtle.importKey("raw", bytes, ALGORITHM, false, ["sign", "verify"]);
    return new PayloadSigner(key);
  }

  /** The signature of `text`, base64. */
  async sign(text: string): Promise<string> {
    const mac = await crypto.subtle.sign("HMAC", this.#key, new TextEncoder().encode(text));
    return btoa(String.fromCharCode(...new Uint8Array(mac)));
  }

  /** Whether `signature` is `text`'s. */
  async verify(text: string, signature: string): Promise<boolean> {
    let mac: Uint8Array<ArrayBuffer>;
    try {
      mac = Uint8Array.from(atob(signature), (char) => char.charCodeAt(0));
    } catch {
      return false;
    }
    return await crypto.subtle.verify("HMAC", this.#key, mac, new TextEncoder().encode(text));
  }
}

/** Stores a new random key; run once, when the schema is created. */
export async function createKey(tx: TransactionSql): Promise<void> {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  const hex = [...bytes].map((byte) => byte.toString(16).padStart(2, "0")).join("");
  await tx`INSERT INTO launchbox_secret (key) VALUES (decode(${hex}, 'hex'))`;
}

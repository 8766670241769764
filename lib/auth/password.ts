import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from "node:crypto";

/**
 * Passwords are hashed with scrypt (memory-hard, in Node's own crypto): `scrypt$N$r$p$salt$hash`, base64url.
 * Unknown emails are checked against a dummy hash so a login costs the same time whether or not the email exists.
 */
const N = 1 << 15;
const R = 8;
const P = 1;
const KEY_LENGTH = 32;
const MAX_MEM = 64 * 1024 * 1024;

function scrypt(password: string, salt: Buffer, keylen: number, options: ScryptOptions): Promise<Buffer> {
  return withHashSlot(
    () =>
      new Promise((resolve, reject) =>
        scryptCb(password.normalize("NFKC"), salt, keylen, options, (err, key) => (err ? reject(err) : resolve(key))),
      ),
  );
}

export const MIN_PASSWORD_LENGTH = 8;

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, KEY_LENGTH, { N, r: R, p: P, maxmem: MAX_MEM });
  return ["scrypt", N, R, P, salt.toString("base64url"), key.toString("base64url")].join("$");
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split("$");
  if (parts.length !== 6 || parts[0] !== "scrypt") return false;
  const [, n, r, p, saltText, keyText] = parts as [string, string, string, string, string, string];
  const expected = Buffer.from(keyText, "base64url");
  const key = await scrypt(password, Buffer.from(saltText, "base64url"), expected.length, {
    N: Number(n),
    r: Number(r),
    p: Number(p),
    maxmem: MAX_MEM,
  });
  return key.length === expected.length && timingSafeEqual(key, expected);
}

let dummyHash: Promise<string> | undefined;
/** Spends the same time as a real check, for emails that have no account (or no password). */
export async function burnPasswordCheck(password: string): Promise<false> {
  dummyHash ??= hashPassword(randomBytes(16).toString("hex"));
  await verifyPassword(password, await dummyHash);
  return false;
}

/**
 * Password hashing is memory- and CPU-hard on purpose, so a flood of sign-ins could starve the server (and the
 * libuv threads other work needs). At most HASH_CONCURRENCY hashes run at once per server, at most HASH_QUEUE wait;
 * past that a sign-in is refused at once with TooManySignIns (the endpoint answers 429).
 */
export const HASH_CONCURRENCY = 2;
export const HASH_QUEUE = 64;
export class TooManySignIns extends Error {
  override name = "TooManySignIns";
}
let running = 0;
const waiting: (() => void)[] = [];

async function withHashSlot<T>(work: () => Promise<T>): Promise<T> {
  if (running < HASH_CONCURRENCY) running++;
  else {
    if (waiting.length >= HASH_QUEUE) throw new TooManySignIns("Too many sign-ins at once: retry in a few seconds.");
    // The slot is handed over by the hash that finishes (running stays as it is).
    await new Promise<void>((resolve) => waiting.push(resolve));
  }
  try {
    return await work();
  } finally {
    const next = waiting.shift();
    if (next) next();
    else running--;
  }
}

/** How many hashes run and wait now (for tests and diagnostics). */
export const hashSlots = () => ({ running, waiting: waiting.length });

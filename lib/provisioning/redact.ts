/**
 * A bounded, secret-free copy of a request body for the provisioning log: passwords, tokens and secrets are
 * replaced, long strings cut, long arrays summarised (a 10,000-member PUT is logged as its first members and a count).
 */
const SECRET_KEY = /pass(word)?|secret|token|credential|authorization/i;
const MAX_STRING = 300;
const MAX_ARRAY = 20;
const MAX_DEPTH = 6;

export function redactBody(value: unknown, depth = 0): unknown {
  if (value === null || typeof value !== "object") {
    return typeof value === "string" && value.length > MAX_STRING ? `${value.slice(0, MAX_STRING)}… (${value.length} characters)` : value;
  }
  if (depth >= MAX_DEPTH) return "[…]";
  if (Array.isArray(value)) {
    const head = value.slice(0, MAX_ARRAY).map((v) => redactBody(v, depth + 1));
    return value.length > MAX_ARRAY ? [...head, `… and ${value.length - MAX_ARRAY} more`] : head;
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = SECRET_KEY.test(k) ? "[redacted]" : redactBody(v, depth + 1);
  return out;
}

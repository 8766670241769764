/** Characters of a client's value an error detail quotes: enough to recognise it, never the whole of a huge one. */
export const QUOTE_LIMIT = 200;

/** `value` as an error detail quotes it: at most QUOTE_LIMIT characters, with "…" when cut. */
export function quote(value: string): string {
  return value.length > QUOTE_LIMIT ? `${value.slice(0, QUOTE_LIMIT)}…` : value;
}

/** A client's value of any type (a number, an object, a huge array) as an error detail quotes it. */
export function quoteJson(value: unknown): string {
  return quote(JSON.stringify(value) ?? String(value));
}

/** Only paths inside this app are allowed as a destination after sign-in. */
export function safeCallback(value: string | string[] | undefined): string {
  const v = Array.isArray(value) ? value[0] : value;
  // "//host" and "/\\host" are other origins to a browser; control characters are never part of a path of ours.
  if (!v || /^\/[\\/]/.test(v) || /[\u0000-\u001f\\]/.test(v)) return "/";
  try {
    const u = new URL(v, "http://x");
    if (!v.startsWith("/")) {
      if (u.protocol !== "http:" && u.protocol !== "https:") return "/";
      // Absolute URL: keep only its path (next-auth hands us absolute URLs of this same app).
      return /^\/[\\/]/.test(u.pathname) ? "/" : u.pathname + u.search;
    }
    return v.startsWith("/") && !v.startsWith("//") ? v : "/";
  } catch {
    return "/";
  }
}

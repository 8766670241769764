/**
 * Where to send someone after sign-in: only ever a path of this app. The value is resolved as a browser would
 * resolve it against APP_URL (backslashes as slashes, tabs and newlines dropped, `//host` as another host); anything
 * that lands on another origin becomes "/", and of what stays only the path, query and fragment are kept — so no
 * spelling of another origin (`/\evil`, `/\t/evil`, `https://x//evil`, `javascript:`) leaves the app.
 */
export function safeCallback(value: string | string[] | undefined, appUrl: string): string {
  const v = Array.isArray(value) ? value[0] : value;
  if (!v) return "/";
  let url: URL;
  try {
    url = new URL(v, appUrl);
  } catch {
    return "/";
  }
  if (url.origin !== new URL(appUrl).origin) return "/";
  // A path that starts with two slashes would be read as a host if it were ever written out on its own.
  const path = url.pathname.replace(/^\/{2,}/, "/");
  return `${path}${url.search}${url.hash}`;
}

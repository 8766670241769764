import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";

/** The parts of a V8 .cpuprofile this summary reads. */
type CpuProfile = {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }[];
  samples: number[];
  timeDeltas: number[];
};

/** Where a function lives: a package under node_modules, Node.js itself, the app, or the engine ("(garbage collector)"). */
function placeOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith("(") ? functionName : "(native)";
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1]!;
  if (url.startsWith("node:")) return "node.js";
  if (url.includes("/.next/")) return "app (.next bundle)";
  return path.basename(url);
}

/**
 * The newest .cpuprofile in `dir` as text: self time by place (package / Node.js / app / GC) and the functions with
 * the most self time — where a request's server time goes.
 */
export function summarizeProfile(dir: string, top = 30): string {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith(".cpuprofile"))
    .map((f) => path.join(dir, f))
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
  if (!files.length) return `No .cpuprofile in ${dir}.`;
  const profile = JSON.parse(readFileSync(files[0]!, "utf8")) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const idle = [...self].filter(([id]) => byId.get(id)?.callFrame.functionName === "(idle)").reduce((a, [, t]) => a + t, 0);
  const busy = total - idle;
  const places = new Map<string, number>();
  const functions = new Map<string, number>();
  for (const [id, t] of self) {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    if (functionName === "(idle)") continue;
    const place = placeOf(url, functionName);
    places.set(place, (places.get(place) ?? 0) + t);
    const key = `${functionName || "(anonymous)"}  ${place}${url ? `:${lineNumber + 1}` : ""}`;
    functions.set(key, (functions.get(key) ?? 0) + t);
  }
  const pct = (t: number) => `${((100 * t) / busy).toFixed(1).padStart(5)} %`;
  const rank = (m: Map<string, number>, n: number) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([k, t]) => `  ${pct(t)}  ${k}`)
      .join("\n");
  return [
    `Server CPU profile (${path.basename(files[0]!)}): ${(busy / 1e6).toFixed(1)} s busy of ${(total / 1e6).toFixed(1)} s; self time of the busy part —`,
    "by place:",
    rank(places, 15),
    "by function:",
    rank(functions, top),
  ].join("\n");
}

import http from "node:http";

/** A small closed-loop HTTP load generator: `connections` keep-alive loops, each sending the next request when the last answered. */
export type Sample = { method: string; path: string; body?: unknown; expect: number };
export type LoadResult = {
  name: string;
  requests: number;
  errors: number;
  seconds: number;
  rps: number;
  p50: number;
  p99: number;
  firstError?: string;
};

export async function runLoad(opts: {
  name: string;
  /** 127.0.0.1 unless told. */
  host?: string;
  port: number;
  token: string;
  connections: number;
  seconds: number;
  maxRequests?: number;
  next: (i: number, worker: number) => Sample;
  /** Each answer as it arrives (status and body), e.g. to keep the ids a seeding POST returns. */
  onResponse?: (sample: Sample, status: number, body: string) => void;
}): Promise<LoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: opts.connections });
  const latencies: number[] = [];
  let errors = 0;
  let firstError: string | undefined;
  let issued = 0;
  const deadline = performance.now() + opts.seconds * 1000;
  const started = performance.now();
  const one = (s: Sample) =>
    new Promise<void>((resolve) => {
      const body = s.body === undefined ? undefined : JSON.stringify(s.body);
      const t0 = performance.now();
      const req = http.request(
        {
          host: opts.host ?? "127.0.0.1",
          port: opts.port,
          method: s.method,
          path: s.path,
          agent,
          headers: {
            authorization: `Bearer ${opts.token}`,
            accept: "application/scim+json",
            ...(body ? { "content-type": "application/scim+json", "content-length": Buffer.byteLength(body) } : {}),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("end", () => {
            latencies.push(performance.now() - t0);
            opts.onResponse?.(s, res.statusCode ?? 0, Buffer.concat(chunks).toString());
            if (res.statusCode !== s.expect) {
              errors++;
              firstError ??= `${s.method} ${s.path} → ${res.statusCode} ${Buffer.concat(chunks).toString().slice(0, 300)}`;
            }
            resolve();
          });
        },
      );
      req.on("error", (e) => {
        errors++;
        firstError ??= e.message;
        resolve();
      });
      if (body) req.write(body);
      req.end();
    });
  await Promise.all(
    Array.from({ length: opts.connections }, async (_, worker) => {
      while (performance.now() < deadline && (opts.maxRequests === undefined || issued < opts.maxRequests)) {
        const i = issued++;
        await one(opts.next(i, worker));
      }
    }),
  );
  agent.destroy();
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? 0;
  return {
    name: opts.name,
    requests: latencies.length,
    errors,
    seconds,
    rps: latencies.length / seconds,
    p50: pct(50),
    p99: pct(99),
    firstError,
  };
}

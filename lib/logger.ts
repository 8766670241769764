import { randomUUID } from "node:crypto";
import pino, { type DestinationStream, type Logger } from "pino";
import { getEnv } from "@/lib/env";

/**
 * JSON lines on stdout. Anything that could carry a secret is redacted by path, whatever the call site logs.
 */
const REDACT = [
  "password",
  "*.password",
  "*.*.password",
  "secret",
  "*.secret",
  "token",
  "*.token",
  "authorization",
  "*.authorization",
  "headers.authorization",
  "headers.cookie",
  "*.headers.authorization",
  "*.headers.cookie",
  "client_secret",
  "*.client_secret",
  "refresh_token",
  "*.refresh_token",
  "access_token",
  "*.access_token",
  "code",
  "*.code",
];

const globalForLog = globalThis as unknown as { __portalLogger?: Logger };

export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: "portal" },
      redact: { paths: REDACT, censor: "[redacted]" },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination,
  );
}

export function logger(): Logger {
  if (!globalForLog.__portalLogger) {
    let level: string = "info";
    try {
      level = getEnv().logLevel;
    } catch {
      /* a broken environment is reported by whoever parses it; keep logging */
    }
    // Buffered, asynchronous writes to stdout: a log line must not cost each request a write syscall.
    const destination = pino.destination({ dest: 1, sync: false, minLength: 4096 });
    process.once("exit", () => {
      try {
        destination.flushSync();
      } catch {
        /* not ready yet: nothing buffered */
      }
    });
    globalForLog.__portalLogger = createLogger(level, destination);
  }
  return globalForLog.__portalLogger;
}

export const REQUEST_ID_HEADER = "x-request-id";

/** The request id the proxy gave this request (or a client's, if it sent a sane one), else a new one. */
export function requestIdOf(headers: Headers): string {
  const given = headers.get(REQUEST_ID_HEADER);
  return given && /^[A-Za-z0-9._:-]{8,128}$/.test(given) ? given : randomUUID();
}

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

const globalForLog = globalThis as unknown as { __portalLogger?: Logger; __accessLogger?: Logger; __logDestination?: DestinationStream };

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

function level(): string {
  try {
    return getEnv().logLevel;
  } catch {
    return "info"; // a broken environment is reported by whoever parses it; keep logging
  }
}

/** Buffered, asynchronous writes to stdout: a log line must not cost each request a write syscall. */
function destination(): DestinationStream {
  if (!globalForLog.__logDestination) {
    const dest = pino.destination({ dest: 1, sync: false, minLength: 4096 });
    process.once("exit", () => {
      try {
        dest.flushSync();
      } catch {
        /* not ready yet: nothing buffered */
      }
    });
    globalForLog.__logDestination = dest;
  }
  return globalForLog.__logDestination;
}

export function logger(): Logger {
  return (globalForLog.__portalLogger ??= createLogger(level(), destination()));
}

/**
 * The per-request access line of the SCIM endpoint (request id, org, method, path, status, duration, credential
 * kind): fields of a fixed shape that never hold a secret, so it skips the redaction walk the general logger does
 * on every call. Same output stream and format.
 */
export function accessLogger(): Logger {
  return (globalForLog.__accessLogger ??= pino(
    { level: level(), base: { service: "portal" }, timestamp: pino.stdTimeFunctions.isoTime },
    destination(),
  ));
}

export const REQUEST_ID_HEADER = "x-request-id";

/** The request id the proxy gave this request (or a client's, if it sent a sane one), else a new one. */
export function requestIdOf(headers: Headers): string {
  const given = headers.get(REQUEST_ID_HEADER);
  return given && /^[A-Za-z0-9._:-]{8,128}$/.test(given) ? given : randomUUID();
}

import { randomBytes } from "node:crypto";

/** Opaque, URL-safe ids for organizations and stacks: `blt` + 16 lowercase hex characters (no `_`, no `-`). */
export function newOpaqueId(): string {
  return "blt" + randomBytes(8).toString("hex");
}

export const OPAQUE_ID_PATTERN = /^[a-z0-9]{8,64}$/;

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export function isUuid(value: string): boolean {
  return UUID_PATTERN.test(value);
}

import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { expect, test, type APIRequestContext } from "@playwright/test";
import { SCIM_JSON, type ScimOrgFixture } from "./scim";

/**
 * The regression corpus: the exact requests Okta and Entra ID send (e2e/fixtures/{okta,entra}/*.json), replayed in
 * order against `next start`, each with the status and key fields it must get back. A change that breaks an IdP
 * fails here with the file and the step's name.
 *
 * A file: { "name", "vars"?: {k: v}, "steps": [{ "name", "method", "path", "body"?, "headers"?,
 *   "expect": { "status", "body"?: partial match, "absent"?: ["key", …] }, "save"?: { "var": "field.path" } }] }
 * `{{run}}` is unique per run; `{{var}}` is a var or a saved value, anywhere in paths, bodies and expectations.
 */
type Step = {
  name: string;
  method: string;
  path: string;
  body?: unknown;
  headers?: Record<string, string>;
  expect: { status: number; body?: unknown; absent?: string[] };
  save?: Record<string, string>;
};
type Sequence = { name: string; vars?: Record<string, string>; steps: Step[] };

const root = path.join(import.meta.dirname, "..", "fixtures");
export const corpusFiles = (idps: string[] = ["okta", "entra"]) =>
  idps.flatMap((idp) =>
    readdirSync(path.join(root, idp))
      .filter((f) => f.endsWith(".json"))
      .map((f) => path.join(idp, f)),
  );

function substitute<T>(value: T, vars: Record<string, string>): T {
  const text = JSON.stringify(value ?? null).replace(/\{\{(\w+)\}\}/g, (_, k: string) => {
    if (!(k in vars)) throw new Error(`unknown variable {{${k}}}`);
    return vars[k]!;
  });
  return JSON.parse(text) as T;
}

/** The value at a dotted path; keys may contain dots themselves (schema URNs like "…:enterprise:2.0:User"). */
function get(obj: unknown, dotted: string): unknown {
  if (dotted === "") return obj;
  if (!obj || typeof obj !== "object") return undefined;
  const keys = Object.keys(obj)
    .filter((k) => dotted === k || dotted.startsWith(`${k}.`))
    .sort((a, b) => b.length - a.length);
  const key = keys[0];
  return key === undefined ? undefined : get((obj as Record<string, unknown>)[key], dotted.slice(key.length + 1));
}

export function loadSequence(file: string): Sequence {
  return JSON.parse(readFileSync(path.join(root, file), "utf8")) as Sequence;
}

/** Replays one corpus file against an org with a token; each step is a Playwright step named after it. */
export async function replay(request: APIRequestContext, org: Pick<ScimOrgFixture, "orgId" | "token">, file: string): Promise<void> {
  const sequence = loadSequence(file);
  const vars: Record<string, string> = { run: `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}` };
  for (const [k, v] of Object.entries(sequence.vars ?? {})) vars[k] = substitute(v, vars);
  for (const raw of sequence.steps) {
    await test.step(raw.name, async () => {
      const step = substitute(raw, vars);
      const res = await request.fetch(`/scim/v2.0/organizations/${org.orgId}${step.path}`, {
        method: step.method,
        headers: {
          authorization: `Bearer ${org.token}`,
          ...(step.body !== undefined ? { "content-type": SCIM_JSON } : {}),
          ...step.headers,
        },
        data: step.body !== undefined ? JSON.stringify(step.body) : undefined,
      });
      const text = await res.text();
      expect(res.status(), `${file} › ${raw.name}: ${text.slice(0, 500)}`).toBe(step.expect.status);
      const body = text ? (JSON.parse(text) as Record<string, unknown>) : undefined;
      if (step.expect.body !== undefined) expect(body, `${file} › ${raw.name}`).toMatchObject(step.expect.body as Record<string, unknown>);
      for (const key of step.expect.absent ?? []) expect(get(body, key), `${file} › ${raw.name}: ${key} must be absent`).toBeUndefined();
      for (const [name, field] of Object.entries(step.save ?? {})) {
        const value = get(body, field);
        expect(value, `${file} › ${raw.name}: nothing at ${field} to save as ${name}`).toBeDefined();
        vars[name] = String(value);
      }
    });
  }
}

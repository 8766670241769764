import { ScimError } from "./errors";
import type { UserResource } from "./normalize";
import { applyUserPatch, parsePatchBody } from "./patch";
import { ENTERPRISE_USER_SCHEMA, PATCH_OP_SCHEMA } from "./schemas";

/** Runs `fn` and returns the ScimError it throws (fails the test when it throws something else, or nothing). */
export function scimError(fn: () => unknown): ScimError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ScimError) return e;
    throw e;
  }
  throw new Error("expected a ScimError");
}

/** A PatchOp request body with these operations. */
export const patchBody = (...Operations: unknown[]) => ({ schemas: [PATCH_OP_SCHEMA], Operations });

/** A user as Okta provisions one, with the enterprise extension. */
export const JANE: UserResource = {
  userName: "jane@acme.com",
  externalId: "00u1",
  name: { givenName: "Jane", familyName: "Doe" },
  displayName: "Jane Doe",
  emails: [{ value: "jane@acme.com", type: "work", primary: true }],
  active: true,
  [ENTERPRISE_USER_SCHEMA]: { department: "Eng", manager: { value: "boss" } },
};

/** `user` after a PATCH with these operations. */
export const patch = (user: UserResource, ...ops: unknown[]) => applyUserPatch(user, parsePatchBody(patchBody(...ops)));

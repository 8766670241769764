import { ScimError } from "./errors";

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

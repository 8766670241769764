// The SCIM User use cases (one folder: statements.ts holds every statement they send).
export type { Ctx } from "./statements";
export { createUser } from "./create";
export { getUser, listUsers } from "./read";
export { deleteUser, patchUser, replaceUser } from "./write";

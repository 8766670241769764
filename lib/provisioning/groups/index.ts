// The SCIM Group use cases (statements.ts holds the statements they send).
export { getGroup, listGroups } from "./read";
export { createGroup, deleteGroup, patchGroup, replaceGroup } from "./write";

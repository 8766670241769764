import type { OrgRole } from "@/db/schema";

/** How each org role is named to people, everywhere (pages, the SSO Test sign-in verdict). */
export const ROLE_LABEL = { owner: "Owner", admin: "Admin", member: "Member" } as const satisfies Record<OrgRole, string>;

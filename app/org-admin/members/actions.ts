"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { getDb } from "@/db/client";
import { webActor } from "@/lib/audit/actor";
import { createInvitation, revokeInvitation } from "@/lib/members/invitations";
import { changeMemberRole, removeMember, transferOwnership, type Acting } from "@/lib/members/manage";
import { adminAction, adminFormAction, field } from "@/lib/org-admin/action";
import type { AdminContext } from "@/lib/org-admin/context";

const PATH = "/org-admin/members";

const acting = async (ctx: AdminContext): Promise<Acting> => ({
  actor: await webActor(ctx.account),
  accountId: ctx.account.id,
  role: ctx.role,
});

const inviteForm = z.object({
  email: field(320),
  role: z.enum(["admin", "member"], { error: "Choose Admin or Member." }),
});

/** Invites someone: the link is answered once, to show with a copy button (there is no outgoing mail). */
export const inviteMemberAction = adminFormAction("member_invited", inviteForm, async ({ email, role }, ctx) => {
  const { invitation, url } = await createInvitation(await getDb(), await webActor(ctx.account), { orgId: ctx.org.id, email, role });
  revalidatePath(PATH);
  return { url, email: invitation.email, role: invitation.role, expiresAt: invitation.expiresAt.toISOString() };
});

export const revokeInvitationAction = adminAction("invitation_revoked", z.uuid(), async (id, ctx) => {
  await revokeInvitation(await getDb(), await webActor(ctx.account), ctx.org.id, id);
  revalidatePath(PATH);
  return null;
});

export const changeRoleAction = adminAction(
  "member_role_changed",
  z.object({ accountId: z.uuid(), role: z.enum(["admin", "member"]) }),
  async ({ accountId, role }, ctx) => {
    await changeMemberRole(await getDb(), ctx.org.id, await acting(ctx), accountId, role);
    revalidatePath(PATH);
    return null;
  },
);

export const removeMemberAction = adminAction("member_removed", z.uuid(), async (accountId, ctx) => {
  await removeMember(await getDb(), ctx.org.id, await acting(ctx), accountId);
  revalidatePath(PATH);
  return null;
});

export const transferOwnershipAction = adminAction("ownership_transferred", z.uuid(), async (accountId, ctx) => {
  await transferOwnership(await getDb(), ctx.org.id, await acting(ctx), accountId);
  revalidatePath(PATH);
  return null;
});

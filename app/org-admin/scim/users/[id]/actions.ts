"use server";

import { and, eq } from "drizzle-orm";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { getDb } from "@/db/client";
import { scimUsers } from "@/db/schema";
import { handToScim } from "@/lib/access/hand-to-scim";
import type { AccessChanges } from "@/lib/access/recompute";
import { webActor } from "@/lib/audit/actor";
import { AppError } from "@/lib/errors";
import { isUuid } from "@/lib/ids";
import { logger } from "@/lib/logger";
import { adminAction } from "@/lib/org-admin/action";

/** Hands the member behind a provisioned user to SCIM (their access follows their groups from now on). */
export const handToScimAction = adminAction(
  "hand_to_scim",
  z.object({ userId: z.string() }),
  async ({ userId }, ctx): Promise<AccessChanges> => {
    const db = await getDb();
    const [user] = isUuid(userId)
      ? await db
          .select({ accountId: scimUsers.accountId })
          .from(scimUsers)
          .where(and(eq(scimUsers.orgId, ctx.org.id), eq(scimUsers.id, userId)))
      : [];
    if (!user) throw new AppError("not_found", "That provisioned user does not exist in this organization any more.");
    const changes = await handToScim(db, await webActor(ctx.account), ctx.org.id, user.accountId);
    logger().info(
      { event: "member_handed_to_scim", orgId: ctx.org.id, by: ctx.account.id, accountId: user.accountId },
      "member handed to SCIM",
    );
    revalidatePath(`/org-admin/scim/users/${userId}`);
    return changes;
  },
);

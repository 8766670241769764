"use client";

import { usePathname } from "next/navigation";
import { useRef } from "react";
import { switchOrganization } from "@/app/org-admin/actions";
import { ROLE_LABEL } from "@/components/ui/page-header";
import type { OrgRole } from "@/db/schema";

type Org = { id: string; name: string; role: OrgRole };

/** Shown when the account belongs to more than one organization. */
export function OrgSwitcher({ orgs, currentId }: { orgs: Org[]; currentId: string }) {
  const formRef = useRef<HTMLFormElement>(null);
  const pathname = usePathname();
  return (
    <form ref={formRef} action={switchOrganization} className="flex items-center gap-2">
      <label htmlFor="org-switcher" className="text-xs font-medium tracking-wide text-slate-500 uppercase">
        Organization
      </label>
      <input type="hidden" name="returnTo" value={pathname} />
      <select
        id="org-switcher"
        name="orgId"
        defaultValue={currentId}
        onChange={() => formRef.current?.requestSubmit()}
        className="max-w-80 rounded-md border border-slate-300 bg-white py-1.5 pr-8 pl-2.5 text-sm font-medium text-slate-800 shadow-sm outline-none focus:border-indigo-500 focus:ring-2 focus:ring-indigo-500/30"
      >
        {orgs.map((o) => (
          <option key={o.id} value={o.id}>
            {o.name} ({ROLE_LABEL[o.role]})
          </option>
        ))}
      </select>
    </form>
  );
}

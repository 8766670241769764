"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";

const TABS = [
  { href: "/org-admin/scim", label: "Setup" },
  { href: "/org-admin/scim/mapping", label: "Group mapping" },
  { href: "/org-admin/scim/users", label: "Users" },
  { href: "/org-admin/scim/groups", label: "Groups" },
  { href: "/org-admin/scim/log", label: "Provisioning log" },
];

export function ScimTabs() {
  const pathname = usePathname();
  return (
    <nav aria-label="SCIM sections" className="-mt-2 mb-6 flex gap-1 overflow-x-auto border-b border-slate-200">
      {TABS.map((t) => {
        const active = pathname === t.href || (t.href !== "/org-admin/scim" && pathname.startsWith(t.href + "/"));
        return (
          <Link
            key={t.href}
            href={t.href}
            aria-current={active ? "page" : undefined}
            className={`-mb-px border-b-2 px-3 py-2 text-sm font-medium whitespace-nowrap ${active ? "border-indigo-600 text-indigo-700" : "border-transparent text-slate-600 hover:border-slate-300 hover:text-slate-900"}`}
          >
            {t.label}
          </Link>
        );
      })}
    </nav>
  );
}

"use client";

import Link, { useLinkStatus } from "next/link";
import { usePathname } from "next/navigation";

const LINKS = [
  { href: "/org-admin/info", label: "Organization Info", icon: "M3 21h18M5 21V7l7-4 7 4v14M9 9h1m4 0h1m-6 4h1m4 0h1m-6 4h1m4 0h1" },
  { href: "/org-admin/scim", label: "SCIM", icon: "M4 7h16M4 12h10M4 17h7m9-3l-3 3-2-2" },
  {
    href: "/org-admin/sso",
    label: "Single sign-on",
    icon: "M15 7a2 2 0 012 2m4 0a6 6 0 01-7.7 5.7L11 17H9v2H7v2H4a1 1 0 01-1-1v-2.6a1 1 0 01.3-.7l6-6A6 6 0 1121 9z",
  },
  {
    href: "/org-admin/members",
    label: "Members",
    icon: "M16 19v-1a4 4 0 00-4-4H7a4 4 0 00-4 4v1m13-12a3 3 0 11-6 0 3 3 0 016 0zm5 12v-1a4 4 0 00-3-3.9M16 3.1a4 4 0 010 7.8",
  },
  { href: "/org-admin/stacks", label: "Stacks", icon: "M12 3l9 5-9 5-9-5 9-5zm-9 9l9 5 9-5M3 16l9 5 9-5" },
  // The shell (and so this list) is shown to Owners and Admins only; the page checks the role itself too.
  {
    href: "/org-admin/audit",
    label: "Audit log",
    icon: "M9 5H7a2 2 0 00-2 2v12a2 2 0 002 2h10a2 2 0 002-2V7a2 2 0 00-2-2h-2M9 5a2 2 0 002 2h2a2 2 0 002-2M9 5a2 2 0 012-2h2a2 2 0 012 2m-6 9l2 2 4-4",
  },
];

export function OrgAdminNav() {
  const pathname = usePathname();
  return (
    <nav aria-label="Org Admin" className="flex gap-1 overflow-x-auto md:flex-col">
      {LINKS.map((link) => {
        const active = pathname === link.href || pathname.startsWith(link.href + "/");
        return (
          <Link
            key={link.href}
            href={link.href}
            aria-current={active ? "page" : undefined}
            className={`flex items-center gap-2.5 rounded-md px-3 py-2 text-sm font-medium whitespace-nowrap transition ${
              active ? "bg-indigo-50 text-indigo-700" : "text-slate-600 hover:bg-slate-100 hover:text-slate-900"
            }`}
          >
            <svg
              viewBox="0 0 24 24"
              fill="none"
              stroke="currentColor"
              strokeWidth="1.7"
              strokeLinecap="round"
              strokeLinejoin="round"
              className="h-4.5 w-4.5 shrink-0"
              aria-hidden
            >
              <path d={link.icon} />
            </svg>
            {link.label}
            <Pending />
          </Link>
        );
      })}
    </nav>
  );
}

/**
 * While a page loads after a click, its link shows a spinner (Org Admin pages render before they answer, so that a
 * missing record gets a real 404: there is no loading.tsx skeleton).
 */
function Pending() {
  const { pending } = useLinkStatus();
  return (
    <span
      aria-hidden
      className={`ml-auto h-3.5 w-3.5 shrink-0 rounded-full border-2 border-indigo-300 border-t-indigo-600 ${pending ? "animate-spin" : "invisible"}`}
    />
  );
}

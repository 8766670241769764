import type { Metadata } from "next";
import Link from "next/link";
import { BrandMark } from "@/components/brand";

export const metadata: Metadata = { title: "Page not found" };

/** 404 for any URL the app does not have (Org Admin's own pages answer theirs inside its shell: org-admin/not-found.tsx). */
export default function NotFound() {
  return (
    <div className="min-h-screen">
      <header className="border-b border-slate-200 bg-white">
        <div className="mx-auto flex h-14 max-w-7xl items-center gap-2.5 px-4 sm:px-6">
          <Link href="/" className="flex items-center gap-2.5">
            <BrandMark className="h-7 w-7" />
            <span className="text-sm font-semibold text-slate-900">Org Admin</span>
          </Link>
        </div>
      </header>
      <main className="px-4 py-16">
        <NotFoundBody home="/" homeLabel="Go to the start page" />
      </main>
    </div>
  );
}

export function NotFoundBody({ home, homeLabel }: { home: string; homeLabel: string }) {
  return (
    <section
      className="mx-auto max-w-md rounded-xl border border-slate-200 bg-white p-8 text-center shadow-sm"
      aria-labelledby="not-found-title"
    >
      <p className="text-sm font-semibold text-indigo-600">404</p>
      <h1 id="not-found-title" className="mt-1 text-xl font-semibold tracking-tight text-slate-900">
        Page not found
      </h1>
      <p className="mt-2 text-sm text-slate-600">
        There is nothing at this address. The link may be mistyped, or what it pointed to was deleted.
      </p>
      <Link
        href={home}
        className="mt-6 inline-block rounded-md bg-indigo-600 px-4 py-2 text-sm font-semibold text-white shadow-sm hover:bg-indigo-500"
      >
        {homeLabel}
      </Link>
    </section>
  );
}

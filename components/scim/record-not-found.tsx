import Link from "next/link";
import { ScimTabs } from "@/components/scim/scim-tabs";
import { PageHeader } from "@/components/ui/page-header";

/** The 404 of a SCIM record's page (a provisioned user, a group) that is not in the organization (any more). */
export function ScimRecordNotFound({ message, back, backLabel }: { message: string; back: string; backLabel: string }) {
  return (
    <>
      <PageHeader title="SCIM" />
      <ScimTabs />
      <div className="rounded-xl border border-dashed border-slate-300 bg-white px-6 py-12 text-center">
        <p className="text-sm font-semibold text-slate-900">Not found</p>
        <p className="mt-1 text-sm text-slate-600">{message}</p>
        <Link href={back} className="mt-3 inline-block text-sm font-medium text-indigo-600 hover:underline">
          {backLabel}
        </Link>
      </div>
    </>
  );
}

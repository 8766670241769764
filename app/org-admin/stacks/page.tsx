import type { Metadata } from "next";
import { Card, PageHeader } from "@/components/ui/page-header";
import { AddRoleForm } from "@/components/org-admin/add-role-form";
import { CreateStackForm } from "@/components/org-admin/create-stack-form";
import { getDb } from "@/db/client";
import { adminPage } from "@/app/org-admin/guard";
import { listStacks } from "@/lib/orgs/queries";

export const metadata: Metadata = { title: "Stacks" };

export default async function StacksPage() {
  const ctx = await adminPage("/org-admin/stacks");
  const stacks = await listStacks(await getDb(), ctx.org.id);
  return (
    <>
      <PageHeader
        title="Stacks"
        description="Each stack has its own roles. SCIM group mappings grant these roles to everyone in a group."
      />
      <div className="space-y-6">
        <Card title="Create a stack">
          <CreateStackForm />
        </Card>
        {stacks.length === 0 ? (
          <div className="rounded-xl border border-dashed border-slate-300 bg-white px-6 py-12 text-center">
            <p className="text-sm font-medium text-slate-900">No stacks yet</p>
            <p className="mt-1 text-sm text-slate-500">Create one above; it starts with the Admin, Developer and Content Manager roles.</p>
          </div>
        ) : (
          <ul className="grid gap-4 md:grid-cols-2" aria-label="Stacks">
            {stacks.map((s) => (
              <li key={s.id} className="rounded-xl border border-slate-200 bg-white p-5 shadow-sm">
                <div className="flex items-start justify-between gap-3">
                  <div className="min-w-0">
                    <h2 className="truncate text-base font-semibold text-slate-900">{s.name}</h2>
                    <p className="mt-0.5 font-mono text-xs text-slate-500">{s.id}</p>
                  </div>
                  <span className="shrink-0 text-xs text-slate-500">
                    {s.people.toLocaleString("en-US")} {s.people === 1 ? "person" : "people"}
                  </span>
                </div>
                <h3 className="mt-4 text-xs font-semibold tracking-wide text-slate-500 uppercase">Roles</h3>
                <ul className="mt-2 flex flex-wrap gap-1.5" aria-label={`Roles of ${s.name}`}>
                  {s.roles.map((r) => (
                    <li key={r.id} className="rounded-md bg-slate-100 px-2 py-1 text-xs font-medium text-slate-700">
                      {r.name}
                      {!r.builtIn && <span className="ml-1 text-slate-400">(custom)</span>}
                    </li>
                  ))}
                </ul>
                <AddRoleForm stackId={s.id} stackName={s.name} />
              </li>
            ))}
          </ul>
        )}
      </div>
    </>
  );
}

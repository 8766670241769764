"use client";

import { useRouter } from "next/navigation";
import { useEffect, useMemo, useRef, useState, useTransition } from "react";
import { previewMappingAction, saveMappingAction, type SavedMapping } from "@/app/org-admin/scim/mapping/actions";
import { describeMembers, inactiveSentence } from "@/lib/access/count-words";
import { useSavedMapping } from "@/components/scim/mapping-workspace";
import { GroupPicker } from "./group-picker";
import type { MemberCounts } from "@/lib/access/group-counts";
import type { MappingInput, MappingPreview } from "@/lib/access/mappings";

export type StackOption = { id: string; name: string; roles: { id: string; name: string; builtIn: boolean }[] };
export type GroupOption = { id: string; displayName: string; members: MemberCounts };
export type InitialMapping = { group: GroupOption; orgRole: "admin" | "member"; stackRoles: Record<string, string | null> } | null;

/** "12 of 14 members change: 3 become Admin; 9 gain Developer on Marketing site. 2 more members are inactive." */
export function describePreview(p: MappingPreview): string {
  if (p.people === 0)
    return p.inactive
      ? `This group has no active members (${p.inactive.toLocaleString("en-US")} inactive): the mapping will apply to people as they join it or are reactivated.`
      : "This group has no active members yet: the mapping will apply to people as they join it.";
  const parts: string[] = [];
  for (const r of p.roleChanges) parts.push(`${r.count} become${r.count === 1 ? "s" : ""} ${r.to === "admin" ? "Admin" : "Member"}`);
  for (const s of p.stackChanges) {
    if (s.gained) parts.push(`${s.gained} gain${s.gained === 1 ? "s" : ""} ${s.role} on ${s.stack}`);
    if (s.lost) parts.push(`${s.lost} lose${s.lost === 1 ? "s" : ""} ${s.role} on ${s.stack}`);
  }
  const who = `${p.affected} of ${p.people} ${p.people === 1 ? "member" : "members"}`;
  return (
    (parts.length
      ? `${who} change: ${parts.join("; ")}.`
      : `No one's access changes (${p.people} ${p.people === 1 ? "member" : "members"}).`) + inactiveSentence(p.inactive)
  );
}

/** "Mapping for Engineering saved: 3 role changes, 3 stack roles granted, 0 removed. It applies to 3 members and 1 inactive." */
export function describeSave(group: string, { changes: c, members }: SavedMapping): string {
  const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
  return `Mapping for ${group} saved: ${plural(c.roleChanges, "role change", "role changes")}, ${plural(c.stackGrants, "stack role", "stack roles")} granted, ${c.stackRevocations} removed. It applies to ${describeMembers(members)}.`;
}

/** The same mapping whatever the order of its stacks or its "No access" entries. */
function sameMapping(a: MappingInput | null, b: MappingInput | null): boolean {
  const key = (m: MappingInput) =>
    JSON.stringify([
      m.groupId,
      m.orgRole,
      Object.entries(m.stackRoles)
        .filter((e) => e[1])
        .sort(([x], [y]) => x.localeCompare(y)),
    ]);
  return !!a && !!b && key(a) === key(b);
}

export function MappingEditor({ stacks, initial }: { stacks: StackOption[]; initial: InitialMapping }) {
  const router = useRouter();
  const { setSavedGroupId } = useSavedMapping();
  const blankRoles = () => Object.fromEntries(stacks.map((s) => [s.id, null])) as Record<string, string | null>;
  const [group, setGroup] = useState<GroupOption | null>(initial?.group ?? null);
  const [orgRole, setOrgRole] = useState<"admin" | "member">(initial?.orgRole ?? "member");
  const [stackRoles, setStackRoles] = useState<Record<string, string | null>>(() => ({
    ...blankRoles(),
    ...Object.fromEntries(stacks.map((s) => [s.id, initial?.stackRoles[s.id] ?? null])),
  }));
  // What is saved for the group the form shows: Update is enabled only when the form differs from it.
  const [saved, setSaved] = useState<MappingInput | null>(() =>
    initial ? { groupId: initial.group.id, orgRole: initial.orgRole, stackRoles: initial.stackRoles } : null,
  );
  // The preview is kept with the input it describes, so a stale one is never shown as current.
  const [preview, setPreview] = useState<{ for: unknown; text: string; error?: boolean } | null>(null);
  const [saveError, setSaveError] = useState<string | null>(null);
  // The last save's outcome, shown in the form (not over the table) until the admin edits again.
  const [notice, setNotice] = useState<string | null>(null);
  const [saving, startSave] = useTransition();
  // Bumped to empty the group picker's own text when the form starts over.
  const [round, setRound] = useState(0);
  const edit =
    <T,>(set: (v: T) => void) =>
    (v: T) => {
      setSaveError(null);
      setNotice(null);
      set(v);
    };
  const input = useMemo(() => (group ? { groupId: group.id, orgRole, stackRoles } : null), [group, orgRole, stackRoles]);
  const unchanged = sameMapping(input, saved);
  const seq = useRef(0);

  useEffect(() => {
    if (!input) return;
    const mine = ++seq.current;
    void previewMappingAction(input).then((r) => {
      if (mine === seq.current)
        setPreview(r.ok ? { for: input, text: describePreview(r.value) } : { for: input, text: r.error, error: true });
    });
  }, [input]);
  const shown = saveError
    ? { text: saveError, error: true }
    : !input
      ? { text: "Choose a SCIM group to see whom the mapping changes.", error: false }
      : preview?.for === input
        ? preview
        : { text: "Calculating who this changes…", error: false };
  /** Back to an empty form for the next group; the saved row stays highlighted in the table. */
  const startOver = () => {
    setGroup(null);
    setOrgRole("member");
    setStackRoles(blankRoles());
    setSaved(null);
    setNotice(null);
    setSaveError(null);
    setRound((n) => n + 1);
    if (initial) router.replace("/org-admin/scim/mapping", { scroll: false });
  };

  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        if (!input || unchanged) return;
        startSave(async () => {
          const r = await saveMappingAction(input);
          if (!r.ok) return setSaveError(r.error);
          setSaveError(null);
          // The form now shows the saved mapping: Update waits for the next change, the preview is recomputed
          // against the saved state, and the table highlights the row.
          setSaved(input);
          setNotice(describeSave(group!.displayName, r.value));
          setGroup((g) => (g ? { ...g, members: r.value.members } : g));
          setSavedGroupId(input.groupId);
        });
      }}
      className="space-y-5"
    >
      <div className="grid gap-4 md:grid-cols-2">
        <GroupPicker key={round} value={group} onChange={edit(setGroup)} />
        <div>
          <label htmlFor="org-role" className="block text-sm font-medium text-slate-700">
            Organization Role
          </label>
          <select
            id="org-role"
            value={orgRole}
            onChange={(e) => edit(setOrgRole)(e.target.value as "admin" | "member")}
            className="mt-1.5 block w-full rounded-md border border-slate-300 bg-white py-2 pr-8 pl-3 text-sm shadow-sm"
          >
            <option value="member">Member</option>
            <option value="admin">Admin</option>
          </select>
        </div>
      </div>
      <fieldset>
        <legend className="text-sm font-medium text-slate-700">Stack Role</legend>
        {stacks.length === 0 ? (
          <p className="mt-1.5 text-sm text-slate-500">This organization has no stacks yet.</p>
        ) : (
          <div className="mt-1.5 grid gap-3 sm:grid-cols-2 lg:grid-cols-3">
            {stacks.map((s) => (
              <div key={s.id}>
                <label htmlFor={`stack-${s.id}`} className="block text-xs font-medium text-slate-500">
                  {s.name}
                </label>
                <select
                  id={`stack-${s.id}`}
                  value={stackRoles[s.id] ?? ""}
                  onChange={(e) => {
                    setSaveError(null);
                    setNotice(null);
                    const roleId = e.target.value || null;
                    setStackRoles((prev) => ({ ...prev, [s.id]: roleId }));
                  }}
                  className="mt-1 block w-full rounded-md border border-slate-300 bg-white py-2 pr-8 pl-3 text-sm shadow-sm"
                >
                  <option value="">No access</option>
                  {s.roles.map((r) => (
                    <option key={r.id} value={r.id}>
                      {r.name}
                      {r.builtIn ? "" : " (custom)"}
                    </option>
                  ))}
                </select>
              </div>
            ))}
          </div>
        )}
      </fieldset>
      <div className="flex flex-wrap items-center justify-between gap-4 rounded-lg bg-slate-50 px-4 py-3">
        <p role="status" data-testid="mapping-preview" className={`text-sm ${shown.error ? "text-red-700" : "text-slate-700"}`}>
          {shown.text}
        </p>
        <div className="flex items-center gap-3">
          {saved && unchanged && !saving && <span className="text-xs text-slate-500">No unsaved changes</span>}
          <button
            type="submit"
            disabled={!input || saving || unchanged}
            className="rounded-md bg-indigo-600 px-5 py-2 text-sm font-semibold text-white shadow-sm hover:bg-indigo-500 disabled:cursor-not-allowed disabled:opacity-50"
          >
            {saving ? "Updating…" : "Update"}
          </button>
        </div>
      </div>
      {notice && (
        <div
          role="status"
          aria-live="polite"
          data-testid="mapping-saved"
          className="flex flex-wrap items-start justify-between gap-3 rounded-lg border border-emerald-200 bg-emerald-50 px-4 py-3 text-sm text-emerald-900"
        >
          <p className="min-w-0 flex-1">{notice}</p>
          <button type="button" onClick={startOver} className="shrink-0 font-medium text-emerald-800 underline hover:text-emerald-700">
            Map another group
          </button>
        </div>
      )}
    </form>
  );
}

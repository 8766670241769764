"use client";

import { INPUT_CLASS } from "@/components/ui/field";
import { useEffect, useId, useMemo, useRef, useState, useTransition } from "react";
import { previewMappingAction, saveMappingAction, searchGroupsAction } from "@/app/org-admin/scim/mapping/actions";
import type { MappingPreview } from "@/lib/access/mappings";

export type StackOption = { id: string; name: string; roles: { id: string; name: string; builtIn: boolean }[] };
export type GroupOption = { id: string; displayName: string; members: number };
export type InitialMapping = { group: GroupOption; orgRole: "admin" | "member"; stackRoles: Record<string, string | null> } | null;

/** "12 users: 3 become Admin; 9 gain Developer on Marketing site; 2 lose Content Manager on Developer stack". */
export function describePreview(p: MappingPreview): string {
  if (p.people === 0) return "This group has no active members yet: the mapping will apply to people as they join it.";
  const parts: string[] = [];
  for (const r of p.roleChanges) parts.push(`${r.count} become${r.count === 1 ? "s" : ""} ${r.to === "admin" ? "Admin" : "Member"}`);
  for (const s of p.stackChanges) {
    if (s.gained) parts.push(`${s.gained} gain${s.gained === 1 ? "s" : ""} ${s.role} on ${s.stack}`);
    if (s.lost) parts.push(`${s.lost} lose${s.lost === 1 ? "s" : ""} ${s.role} on ${s.stack}`);
  }
  const who = `${p.affected} of ${p.people} ${p.people === 1 ? "member" : "members"}`;
  return parts.length
    ? `${who} change: ${parts.join("; ")}.`
    : `No one's access changes (${p.people} ${p.people === 1 ? "member" : "members"}).`;
}

/** The SCIM Group dropdown: a combobox whose options come from a server-side search. */
function GroupPicker({ value, onChange }: { value: GroupOption | null; onChange: (g: GroupOption | null) => void }) {
  const id = useId();
  const [text, setText] = useState(value?.displayName ?? "");
  const [open, setOpen] = useState(false);
  const [options, setOptions] = useState<GroupOption[]>([]);
  const [active, setActive] = useState(0);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string>();
  const seq = useRef(0);
  useEffect(() => {
    if (!open) return;
    const mine = ++seq.current;
    const t = setTimeout(async () => {
      setLoading(true);
      const r = await searchGroupsAction(text === value?.displayName ? "" : text);
      if (mine !== seq.current) return;
      setLoading(false);
      if (r.ok) {
        setOptions(r.value);
        setError(undefined);
        setActive(0);
      } else setError(r.error);
    }, 150);
    return () => clearTimeout(t);
  }, [text, open, value]);
  const choose = (g: GroupOption) => {
    onChange(g);
    setText(g.displayName);
    setOpen(false);
  };
  return (
    <div className="relative">
      <label htmlFor={id} className="block text-sm font-medium text-slate-700">
        SCIM Group
      </label>
      <input
        id={id}
        role="combobox"
        aria-expanded={open}
        aria-controls={`${id}-list`}
        aria-autocomplete="list"
        autoComplete="off"
        placeholder="Search groups pushed by your IdP"
        value={text}
        onFocus={() => setOpen(true)}
        onBlur={() => setTimeout(() => setOpen(false), 150)}
        onChange={(e) => {
          setText(e.target.value);
          setOpen(true);
          if (value) onChange(null);
        }}
        onKeyDown={(e) => {
          if (e.key === "ArrowDown") setActive((a) => Math.min(a + 1, options.length - 1));
          else if (e.key === "ArrowUp") setActive((a) => Math.max(a - 1, 0));
          else if (e.key === "Enter" && open && options[active]) {
            e.preventDefault();
            choose(options[active]);
          } else if (e.key === "Escape") setOpen(false);
        }}
        className={`mt-1.5 ${INPUT_CLASS}`}
      />
      {open && (
        <ul
          id={`${id}-list`}
          role="listbox"
          aria-label="SCIM groups"
          className="absolute z-10 mt-1 max-h-64 w-full overflow-auto rounded-md border border-slate-200 bg-white py-1 text-sm shadow-lg"
        >
          {loading && options.length === 0 && <li className="px-3 py-2 text-slate-500">Searching…</li>}
          {error && <li className="px-3 py-2 text-red-700">{error}</li>}
          {!loading && !error && options.length === 0 && (
            <li className="px-3 py-2 text-slate-500">
              {text ? `No group matches "${text}".` : "No groups yet: push groups from your IdP first."}
            </li>
          )}
          {options.map((g, i) => (
            <li
              key={g.id}
              role="option"
              aria-selected={i === active}
              onMouseDown={(e) => {
                e.preventDefault();
                choose(g);
              }}
              className={`flex cursor-pointer justify-between px-3 py-2 ${i === active ? "bg-indigo-50 text-indigo-900" : "text-slate-800"}`}
            >
              <span>{g.displayName}</span>
              <span className="text-xs text-slate-500">{g.members.toLocaleString("en-US")} members</span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

export function MappingEditor({ stacks, initial }: { stacks: StackOption[]; initial: InitialMapping }) {
  const [group, setGroup] = useState<GroupOption | null>(initial?.group ?? null);
  const [orgRole, setOrgRole] = useState<"admin" | "member">(initial?.orgRole ?? "member");
  const [stackRoles, setStackRoles] = useState<Record<string, string | null>>(() =>
    Object.fromEntries(stacks.map((s) => [s.id, initial?.stackRoles[s.id] ?? null])),
  );
  // The preview is kept with the input it describes, so a stale one is never shown as current.
  const [preview, setPreview] = useState<{ for: unknown; text: string; error?: boolean } | null>(null);
  const [saveError, setSaveError] = useState<string | null>(null);
  const [toast, setToast] = useState<string | null>(null);
  const [saving, startSave] = useTransition();
  const edit =
    <T,>(set: (v: T) => void) =>
    (v: T) => {
      setSaveError(null);
      set(v);
    };
  const input = useMemo(() => (group ? { groupId: group.id, orgRole, stackRoles } : null), [group, orgRole, stackRoles]);
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
  useEffect(() => {
    if (!toast) return;
    const t = setTimeout(() => setToast(null), 5000);
    return () => clearTimeout(t);
  }, [toast]);

  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        if (!input) return;
        startSave(async () => {
          const r = await saveMappingAction(input);
          if (!r.ok) return setSaveError(r.error);
          setSaveError(null);
          const c = r.value;
          setToast(
            `Mapping for ${group!.displayName} saved: ${c.roleChanges} role change${c.roleChanges === 1 ? "" : "s"}, ${c.stackGrants} stack role${c.stackGrants === 1 ? "" : "s"} granted, ${c.stackRevocations} removed.`,
          );
          setStackRoles((prev) => ({ ...prev })); // recompute the preview against the saved state
        });
      }}
      className="space-y-5"
    >
      <div className="grid gap-4 md:grid-cols-2">
        <GroupPicker value={group} onChange={edit(setGroup)} />
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
        <button
          type="submit"
          disabled={!input || saving}
          className="rounded-md bg-indigo-600 px-5 py-2 text-sm font-semibold text-white shadow-sm hover:bg-indigo-500 disabled:cursor-not-allowed disabled:opacity-50"
        >
          {saving ? "Updating…" : "Update"}
        </button>
      </div>
      {toast && (
        <div
          role="status"
          aria-live="polite"
          className="fixed right-6 bottom-6 z-30 max-w-sm rounded-lg bg-slate-900 px-4 py-3 text-sm text-white shadow-lg"
        >
          {toast}
        </div>
      )}
    </form>
  );
}

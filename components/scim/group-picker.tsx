"use client";

import { useEffect, useId, useRef, useState } from "react";
import { searchGroupsAction } from "@/app/org-admin/scim/mapping/actions";
import { INPUT_CLASS } from "@/components/ui/field";
import { describeMembers } from "@/lib/access/count-words";
import type { GroupOption } from "./mapping-editor";

/** The SCIM Group dropdown: a combobox whose options come from a server-side search. */
export function GroupPicker({ value, onChange }: { value: GroupOption | null; onChange: (g: GroupOption | null) => void }) {
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
              <span className="text-xs text-slate-500">{describeMembers(g.members)}</span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

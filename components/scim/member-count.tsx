import type { MemberCounts } from "@/lib/access/group-counts";

/** A table cell's count: the active members, then "and N inactive" in a quieter line when there are any. */
export function MemberCount({ counts }: { counts: MemberCounts }) {
  return (
    <>
      <span className="tabular-nums">{counts.active.toLocaleString("en-US")}</span>
      {counts.inactive > 0 && (
        <span className="block text-xs whitespace-nowrap text-slate-500 tabular-nums">
          and {counts.inactive.toLocaleString("en-US")} inactive
        </span>
      )}
    </>
  );
}

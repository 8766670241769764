import type { ReactNode } from "react";

/**
 * The table every Org Admin list uses: an accessible caption, column headers (a `null` header is an actions column,
 * named for screen readers only), zebra-free rows divided by hairlines. `compact` is for tables inside cards.
 * Rows are the caller's `<tr>`s; the wrapper around the table (border, scrolling) is the caller's too.
 */
export function DataTable({
  caption,
  columns,
  compact = false,
  children,
}: {
  caption: string;
  columns: (string | null)[];
  compact?: boolean;
  children: ReactNode;
}) {
  const cell = compact ? "px-4 py-2.5" : "px-5 py-3";
  return (
    <table className="min-w-full divide-y divide-slate-200 text-sm">
      <caption className="sr-only">{caption}</caption>
      <thead className="bg-slate-50 text-left text-xs font-semibold tracking-wide text-slate-500 uppercase">
        <tr>
          {columns.map((label, i) => (
            <th key={label ?? `actions-${i}`} scope="col" className={cell}>
              {label ?? <span className="sr-only">Actions</span>}
            </th>
          ))}
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-100">{children}</tbody>
    </table>
  );
}

import Link from "next/link";

/** The last page a list page shows (a million pages: past any organization's list, within the database's ranges). */
export const MAX_LIST_PAGE = 1_000_000;

/** Reads `?q=` and `?page=` of a paged list page: a page that is not a number is 1, one past MAX_LIST_PAGE is that. */
export function listParams(sp: Record<string, string | string[] | undefined>): { q: string; page: number } {
  const page = Number.parseInt(typeof sp.page === "string" ? sp.page.slice(0, 20) : "1", 10);
  return {
    q: typeof sp.q === "string" ? sp.q.slice(0, 200) : "",
    page: Number.isFinite(page) ? Math.min(MAX_LIST_PAGE, Math.max(1, page)) : 1,
  };
}

/** A GET search form for a list page (`?q=`), with a labelled field and a Search button. */
export function SearchForm({
  action,
  id,
  label,
  placeholder,
  q,
}: {
  action: string;
  id: string;
  label: string;
  placeholder: string;
  q: string;
}) {
  return (
    <form role="search" action={action} className="mb-4 flex max-w-md gap-2">
      <label htmlFor={id} className="sr-only">
        {label}
      </label>
      <input
        id={id}
        name="q"
        type="search"
        defaultValue={q}
        placeholder={placeholder}
        className="min-w-0 flex-1 rounded-md border border-slate-300 bg-white px-3 py-2 text-sm shadow-sm outline-none focus:border-indigo-500 focus:ring-2 focus:ring-indigo-500/30"
      />
      <button type="submit" className="rounded-md bg-slate-900 px-3.5 py-2 text-sm font-medium text-white hover:bg-slate-700">
        Search
      </button>
    </form>
  );
}

/** "N things · page x of y" with Previous / Next links that keep the search. */
export function Pager({
  path,
  q,
  page,
  total,
  pageSize,
  noun,
}: {
  path: string;
  q: string;
  page: number;
  total: number;
  pageSize: number;
  noun: [string, string];
}) {
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const href = (p: number) => `${path}?${new URLSearchParams({ ...(q ? { q } : {}), page: String(p) })}`;
  const link = "rounded-md border border-slate-300 bg-white px-3 py-1.5 hover:bg-slate-50";
  return (
    <nav aria-label="Pagination" className="mt-4 flex items-center justify-between text-sm text-slate-600">
      <p>
        {total.toLocaleString("en-US")} {total === 1 ? noun[0] : noun[1]}
        {pages > 1 && ` · page ${page} of ${pages}`}
      </p>
      <div className="flex gap-2">
        {page > 1 && (
          <Link href={href(page - 1)} className={link}>
            Previous
          </Link>
        )}
        {page < pages && (
          <Link href={href(page + 1)} className={link}>
            Next
          </Link>
        )}
      </div>
    </nav>
  );
}

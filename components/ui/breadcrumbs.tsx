import Link from "next/link";

export type Crumb = { label: string; href?: string };

/** Where a detail page sits ("Groups › Engineering"): every crumb but the last links back; the last is the page itself. */
export function Breadcrumbs({ items }: { items: Crumb[] }) {
  return (
    <nav aria-label="Breadcrumb" className="mb-4 text-sm">
      <ol className="flex flex-wrap items-center gap-1.5 text-slate-500">
        {items.map((c, i) => (
          <li key={`${i}-${c.label}`} className="flex min-w-0 items-center gap-1.5">
            {i > 0 && (
              <span aria-hidden className="text-slate-300">
                /
              </span>
            )}
            {c.href && i < items.length - 1 ? (
              <Link href={c.href} className="font-medium text-indigo-600 hover:text-indigo-500 hover:underline">
                {i === 0 ? `← ${c.label}` : c.label}
              </Link>
            ) : (
              <span aria-current={i === items.length - 1 ? "page" : undefined} className="truncate text-slate-700">
                {c.label}
              </span>
            )}
          </li>
        ))}
      </ol>
    </nav>
  );
}

/** `path?q=…&page=…` with only the values a list page did not default, so a detail page can link back to the same view. */
export function listHref(path: string, view: { q?: string; page?: number }): string {
  const params = new URLSearchParams({
    ...(view.q ? { q: view.q } : {}),
    ...(view.page && view.page > 1 ? { page: String(view.page) } : {}),
  });
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

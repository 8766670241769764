import { permanentRedirect } from "next/navigation";

/** The page was called Users before it managed members: old links and bookmarks land on Members. */
export default async function UsersPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(await searchParams)) if (typeof v === "string") params.set(k, v);
  const query = params.toString();
  permanentRedirect(`/org-admin/members${query ? `?${query}` : ""}`);
}

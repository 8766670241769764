import { notFound } from "next/navigation";

/** Any Org Admin address that is not a page: 404 inside the shell (the root not-found would drop the navigation). */
export default function MissingOrgAdminPage(): never {
  notFound();
}

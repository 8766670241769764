import { NotFoundBody } from "@/app/not-found";

/** 404 inside the Org Admin shell: an unknown Org Admin address, or a record of the org that does not exist (any more). */
export default function OrgAdminNotFound() {
  return <NotFoundBody home="/org-admin/info" homeLabel="Back to Organization Info" />;
}

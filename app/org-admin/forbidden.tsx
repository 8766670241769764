import { OrgAdminRefusal } from "@/components/org-admin/refusal";

/** A page's own refusal (adminPage), inside the Org Admin shell — e.g. after a client-side navigation. */
export default function OrgAdminForbidden() {
  return <OrgAdminRefusal shell={false} />;
}

import { OrgAdminRefusal } from "@/components/org-admin/refusal";

/**
 * 403 for a refusal raised by a layout: the Org Admin layout refuses anyone who is not an Owner or Admin of the
 * organization, before anything streams (a page's own refusal would come after loading.tsx has sent 200).
 */
export default function Forbidden() {
  return <OrgAdminRefusal shell />;
}

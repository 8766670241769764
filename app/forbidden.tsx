import { OrgAdminRefusal } from "@/components/org-admin/refusal";

/**
 * 403 for a refusal raised by a layout: the Org Admin layout refuses anyone who is not an Owner or Admin of the
 * organization, before anything is sent. (Org Admin has no loading.tsx, so a page's own refusal or 404 keeps its status too.)
 */
export default function Forbidden() {
  return <OrgAdminRefusal shell />;
}

import { redirect } from "next/navigation";

export default function OrgAdminIndex() {
  redirect("/org-admin/info");
}

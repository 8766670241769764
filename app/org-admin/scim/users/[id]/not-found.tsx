import { ScimRecordNotFound } from "@/components/scim/record-not-found";

export default function ScimUserNotFound() {
  return (
    <ScimRecordNotFound
      message="No provisioned user with this id in this organization. The identity provider may have deleted it."
      back="/org-admin/scim/users"
      backLabel="Back to provisioned users"
    />
  );
}

import { ScimRecordNotFound } from "@/components/scim/record-not-found";

export default function ScimGroupNotFound() {
  return (
    <ScimRecordNotFound
      message="No SCIM group with this id in this organization. The identity provider may have deleted it."
      back="/org-admin/scim/groups"
      backLabel="Back to groups"
    />
  );
}

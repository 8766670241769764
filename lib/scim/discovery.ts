import { notFound } from "./errors";
import { MAX_BODY_BYTES } from "./http";
import { MAX_COUNT } from "./query";
import {
  COMMON_ATTRIBUTES,
  ENTERPRISE_USER_SCHEMA,
  ENTERPRISE_USER_SCHEMA_DEF,
  GROUP_SCHEMA,
  GROUP_SCHEMA_DEF,
  LIST_RESPONSE_SCHEMA,
  USER_SCHEMA,
  USER_SCHEMA_DEF,
  type AttributeDef,
  type SchemaDef,
} from "./schemas";
import { quote } from "./quote";

/**
 * Discovery (RFC 7644 §4): what this service provider really supports — PATCH, filter, sort, ETags; no bulk,
 * no password change. Generated from the same definitions the code uses, with no nulls (Entra reads it).
 */
export function serviceProviderConfig(base: string) {
  return {
    schemas: ["urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"],
    patch: { supported: true },
    bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
    filter: { supported: true, maxResults: MAX_COUNT },
    changePassword: { supported: false },
    sort: { supported: true },
    etag: { supported: true },
    authenticationSchemes: [
      {
        type: "oauthbearertoken",
        name: "OAuth Bearer Token",
        description:
          "An access token from this portal's OAuth 2.0 authorization server (Okta's 'Authenticate with …' flow) or a SCIM secret token generated in Org Admin → SCIM, sent as 'Authorization: Bearer <token>' (a bare 'Authorization: <token>' is accepted too).",
        specUri: "https://www.rfc-editor.org/info/rfc6750",
        primary: true,
      },
    ],
    maxRequestBodyBytes: MAX_BODY_BYTES,
    meta: { resourceType: "ServiceProviderConfig", location: `${base}/ServiceProviderConfig` },
  };
}

const RESOURCE_TYPES = [
  {
    id: "User",
    name: "User",
    endpoint: "/Users",
    description: "User Account",
    schema: USER_SCHEMA,
    schemaExtensions: [{ schema: ENTERPRISE_USER_SCHEMA, required: false }],
  },
  {
    id: "Group",
    name: "Group",
    endpoint: "/Groups",
    description: "Group",
    schema: GROUP_SCHEMA,
    schemaExtensions: [] as { schema: string; required: boolean }[],
  },
];

function resourceType(t: (typeof RESOURCE_TYPES)[number], base: string) {
  return {
    schemas: ["urn:ietf:params:scim:schemas:core:2.0:ResourceType"],
    ...t,
    meta: { resourceType: "ResourceType", location: `${base}/ResourceTypes/${t.id}` },
  };
}

function list(resources: unknown[]) {
  return {
    schemas: [LIST_RESPONSE_SCHEMA],
    totalResults: resources.length,
    startIndex: 1,
    itemsPerPage: resources.length,
    Resources: resources,
  };
}

export function resourceTypes(base: string, name?: string) {
  if (name === undefined) return list(RESOURCE_TYPES.map((t) => resourceType(t, base)));
  const t = RESOURCE_TYPES.find((r) => r.id.toLowerCase() === name.toLowerCase());
  if (!t) throw notFound(`No resource type "${quote(name)}": this service provider has User and Group.`);
  return resourceType(t, base);
}

function cleanAttribute(a: AttributeDef): Record<string, unknown> {
  const out: Record<string, unknown> = {
    name: a.name,
    type: a.type,
    multiValued: a.multiValued,
    description: a.description,
    required: a.required,
    caseExact: a.caseExact,
    mutability: a.mutability,
    returned: a.returned,
    uniqueness: a.uniqueness,
  };
  if (a.canonicalValues?.length) out.canonicalValues = a.canonicalValues;
  if (a.referenceTypes?.length) out.referenceTypes = a.referenceTypes;
  if (a.subAttributes?.length) out.subAttributes = a.subAttributes.map(cleanAttribute);
  return out;
}

function schemaResource(s: SchemaDef, base: string) {
  const attributes =
    s.id === ENTERPRISE_USER_SCHEMA
      ? s.attributes
      : [...COMMON_ATTRIBUTES.filter((a) => a.name !== "meta" && a.name !== "id"), ...s.attributes];
  return {
    schemas: ["urn:ietf:params:scim:schemas:core:2.0:Schema"],
    id: s.id,
    name: s.name,
    description: s.description,
    attributes: attributes.map(cleanAttribute),
    meta: { resourceType: "Schema", location: `${base}/Schemas/${s.id}` },
  };
}

const SCHEMAS = [USER_SCHEMA_DEF, ENTERPRISE_USER_SCHEMA_DEF, GROUP_SCHEMA_DEF];

export function schemas(base: string, urn?: string) {
  if (urn === undefined) return list(SCHEMAS.map((s) => schemaResource(s, base)));
  const s = SCHEMAS.find((x) => x.id.toLowerCase() === urn.toLowerCase());
  if (!s) throw notFound(`No schema "${quote(urn)}". This service provider has ${SCHEMAS.map((x) => x.id).join(", ")}.`);
  return schemaResource(s, base);
}

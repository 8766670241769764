/**
 * The resource schemas this service provider implements (RFC 7643 §4, §8.7.1), as data: served by /Schemas and
 * used by the filter compiler, the PATCH engine and the resource normaliser to know each attribute's type,
 * plurality, case sensitivity, mutability and sub-attributes. Attribute names are matched case-insensitively.
 */
export const USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User";
export const ENTERPRISE_USER_SCHEMA = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
export const GROUP_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Group";
export const LIST_RESPONSE_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:ListResponse";
export const PATCH_OP_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
export const SEARCH_REQUEST_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:SearchRequest";

export type AttrType = "string" | "boolean" | "decimal" | "integer" | "dateTime" | "reference" | "complex" | "binary";
export type Mutability = "readOnly" | "readWrite" | "immutable" | "writeOnly";
export type Returned = "always" | "never" | "default" | "request";

export type AttributeDef = {
  name: string;
  type: AttrType;
  multiValued: boolean;
  description: string;
  required: boolean;
  caseExact: boolean;
  mutability: Mutability;
  returned: Returned;
  uniqueness: "none" | "server" | "global";
  canonicalValues?: string[];
  referenceTypes?: string[];
  subAttributes?: AttributeDef[];
};

export type SchemaDef = { id: string; name: string; description: string; attributes: AttributeDef[] };

type Opts = Partial<Omit<AttributeDef, "name" | "type" | "description">>;
const attr = (name: string, type: AttrType, description: string, o: Opts = {}): AttributeDef => ({
  name,
  type,
  multiValued: false,
  description,
  required: false,
  caseExact: false,
  mutability: "readWrite",
  returned: "default",
  uniqueness: "none",
  ...o,
});
const str = (name: string, description: string, o: Opts = {}) => attr(name, "string", description, o);

/** value/display/type/primary, the sub-attributes of most multi-valued attributes. */
const multi = (name: string, description: string, types: string[], extra: AttributeDef[] = []) =>
  attr(name, "complex", description, {
    multiValued: true,
    subAttributes: [
      str("value", `The ${name} value.`),
      str("display", "A human-readable name, primarily used for display purposes."),
      str("type", "A label indicating the attribute's function.", { canonicalValues: types }),
      attr("primary", "boolean", "Indicates the 'primary' or preferred value; at most one is true."),
      ...extra,
    ],
  });

export const USER_SCHEMA_DEF: SchemaDef = {
  id: USER_SCHEMA,
  name: "User",
  description: "User Account",
  attributes: [
    str("userName", "Unique identifier for the User, typically the email address. Unique per organization, case-insensitively.", {
      required: true,
      uniqueness: "server",
    }),
    attr("name", "complex", "The components of the user's name.", {
      subAttributes: [
        str("formatted", "The full name, formatted for display."),
        str("familyName", "The family name."),
        str("givenName", "The given name."),
        str("middleName", "The middle name(s)."),
        str("honorificPrefix", "The honorific prefix(es), e.g. 'Ms.'."),
        str("honorificSuffix", "The honorific suffix(es), e.g. 'III'."),
      ],
    }),
    str("displayName", "The name of the User, suitable for display to end-users."),
    str("nickName", "The casual way to address the user."),
    attr("profileUrl", "reference", "A URL of the user's online profile.", { referenceTypes: ["external"] }),
    str("title", "The user's title, such as 'Vice President'."),
    str("userType", "The relationship between the organization and the user, e.g. 'Employee'."),
    str("preferredLanguage", "The user's preferred written or spoken language (e.g. 'en-US')."),
    str("locale", "The user's default location for localization (e.g. 'en-US')."),
    str("timezone", "The user's time zone in IANA format (e.g. 'America/Los_Angeles')."),
    attr("active", "boolean", "The user's administrative status; false removes them from the organization."),
    attr("password", "string", "Accepted and ignored: this service never stores or returns passwords.", {
      mutability: "writeOnly",
      returned: "never",
    }),
    multi("emails", "Email addresses for the user.", ["work", "home", "other"]),
    multi("phoneNumbers", "Phone numbers for the user.", ["work", "home", "mobile", "fax", "pager", "other"]),
    multi("ims", "Instant messaging addresses for the user.", ["aim", "gtalk", "icq", "xmpp", "msn", "skype", "qq", "yahoo"]),
    multi("photos", "URLs of photos of the user.", ["photo", "thumbnail"]),
    attr("addresses", "complex", "Physical mailing addresses for this user.", {
      multiValued: true,
      subAttributes: [
        str("formatted", "The full mailing address, formatted for display."),
        str("streetAddress", "The full street address component."),
        str("locality", "The city or locality component."),
        str("region", "The state or region component."),
        str("postalCode", "The zip code or postal code component."),
        str("country", "The country name component (ISO 3166-1 alpha-2)."),
        str("type", "A label indicating the attribute's function.", { canonicalValues: ["work", "home", "other"] }),
        attr("primary", "boolean", "Indicates the primary address; at most one is true."),
      ],
    }),
    attr("groups", "complex", "The groups the user belongs to, read-only: membership is changed through the Group resource.", {
      multiValued: true,
      mutability: "readOnly",
      subAttributes: [
        str("value", "The id of the Group.", { mutability: "readOnly" }),
        attr("$ref", "reference", "The URI of the Group.", { mutability: "readOnly", referenceTypes: ["Group"] }),
        str("display", "The displayName of the Group.", { mutability: "readOnly" }),
        str("type", "'direct'.", { mutability: "readOnly", canonicalValues: ["direct", "indirect"] }),
      ],
    }),
    multi("entitlements", "Entitlements for the user.", []),
    multi("roles", "Roles for the user (stored as sent; access comes from group mappings).", []),
    multi("x509Certificates", "X.509 certificates issued to the user.", []),
  ],
};

export const ENTERPRISE_USER_SCHEMA_DEF: SchemaDef = {
  id: ENTERPRISE_USER_SCHEMA,
  name: "EnterpriseUser",
  description: "Enterprise User",
  attributes: [
    str("employeeNumber", "Numeric or alphanumeric identifier assigned to a person by the organization."),
    str("costCenter", "Identifies the name of a cost center."),
    str("organization", "Identifies the name of an organization."),
    str("division", "Identifies the name of a division."),
    str("department", "Identifies the name of a department."),
    attr("manager", "complex", "The user's manager.", {
      subAttributes: [
        str("value", "The id of the SCIM resource representing the user's manager."),
        attr("$ref", "reference", "The URI of the manager.", { referenceTypes: ["User"] }),
        str("displayName", "The displayName of the manager.", { mutability: "readOnly" }),
      ],
    }),
  ],
};

export const GROUP_SCHEMA_DEF: SchemaDef = {
  id: GROUP_SCHEMA,
  name: "Group",
  description: "Group",
  attributes: [
    str("displayName", "A human-readable name for the Group. Unique per organization, case-insensitively.", {
      required: true,
      uniqueness: "server",
    }),
    attr("members", "complex", "The members of the Group (Users of this organization).", {
      multiValued: true,
      subAttributes: [
        str("value", "The id of the member.", { mutability: "immutable" }),
        attr("$ref", "reference", "The URI of the member.", { mutability: "immutable", referenceTypes: ["User"] }),
        str("display", "The displayName of the member.", { mutability: "readOnly" }),
        str("type", "The type of the member: 'User'.", { mutability: "immutable", canonicalValues: ["User"] }),
      ],
    }),
  ],
};

/** id, externalId and meta, common to every resource (RFC 7643 §3.1). */
export const COMMON_ATTRIBUTES: AttributeDef[] = [
  str("id", "The service provider's unique identifier for the resource.", {
    caseExact: true,
    mutability: "readOnly",
    returned: "always",
    uniqueness: "server",
  }),
  str("externalId", "The identifier the provisioning client uses for the resource.", { caseExact: true }),
  attr("meta", "complex", "Resource metadata.", {
    mutability: "readOnly",
    subAttributes: [
      str("resourceType", "The resource type.", { caseExact: true, mutability: "readOnly" }),
      attr("created", "dateTime", "When the resource was added.", { mutability: "readOnly" }),
      attr("lastModified", "dateTime", "When the resource was last changed.", { mutability: "readOnly" }),
      attr("location", "reference", "The URI of the resource.", { mutability: "readOnly" }),
      str("version", "The weak entity tag of the resource.", { caseExact: true, mutability: "readOnly" }),
    ],
  }),
];

export type ResourceKind = "User" | "Group";

/** The schemas of a resource type: its core schema first, then extensions. */
export const RESOURCE_SCHEMAS: Record<ResourceKind, SchemaDef[]> = {
  User: [USER_SCHEMA_DEF, ENTERPRISE_USER_SCHEMA_DEF],
  Group: [GROUP_SCHEMA_DEF],
};

export type ResolvedAttribute = {
  /** The schema URN the attribute belongs to (core or extension). */
  schema: string;
  /** The attribute (canonical name), and the sub-attribute when the path names one. */
  attribute: AttributeDef;
  sub?: AttributeDef;
  /** Canonical path segments: ["name","givenName"]. */
  path: string[];
};

/**
 * Resolves an attribute path as clients write it — `userName`, `name.givenName`, `emails.value`,
 * `urn:ietf:params:scim:schemas:core:2.0:User:userName`,
 * `urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value` — case-insensitively.
 * Returns null for an attribute this resource does not have.
 */
/** Per resource kind: its schemas longest URN first (so a URN prefix finds the most specific schema). */
const SCHEMAS_BY_URN_LENGTH = Object.fromEntries(
  Object.entries(RESOURCE_SCHEMAS).map(([kind, list]) => [
    kind,
    [...list].sort((a, b) => b.id.length - a.id.length).map((s) => ({ schema: s, prefix: s.id.toLowerCase() + ":" })),
  ]),
) as Record<ResourceKind, { schema: SchemaDef; prefix: string }[]>;

/** A schema's attributes by lower-cased name (the first of a name wins, common attributes first when included). */
const attributeIndexes = new Map<SchemaDef, Map<string, AttributeDef>[]>();
function attributesByName(schema: SchemaDef, withCommon: boolean): Map<string, AttributeDef> {
  let both = attributeIndexes.get(schema);
  if (!both) {
    const index = (list: AttributeDef[]) => {
      const m = new Map<string, AttributeDef>();
      for (const a of list) if (!m.has(a.name.toLowerCase())) m.set(a.name.toLowerCase(), a);
      return m;
    };
    attributeIndexes.set(schema, (both = [index(schema.attributes), index([...COMMON_ATTRIBUTES, ...schema.attributes])]));
  }
  return both[withCommon ? 1 : 0]!;
}

export function resolveAttribute(kind: ResourceKind, rawPath: string): ResolvedAttribute | null {
  let path = rawPath.trim();
  let schemas = RESOURCE_SCHEMAS[kind];
  const lower = path.toLowerCase();
  const urn = SCHEMAS_BY_URN_LENGTH[kind].find((s) => lower.startsWith(s.prefix))?.schema;
  if (urn) {
    schemas = [urn];
    path = path.slice(urn.id.length + 1);
  } else if (lower.startsWith("urn:")) {
    return null;
  }
  const [first, second, ...rest] = path.split(".");
  if (!first || rest.length > 0) return null;
  const firstLower = first.toLowerCase();
  for (const schema of schemas) {
    const attribute = attributesByName(schema, schema === schemas[0] && !urn).get(firstLower);
    if (!attribute) continue;
    const owner = COMMON_ATTRIBUTES.includes(attribute) ? RESOURCE_SCHEMAS[kind][0]!.id : schema.id;
    if (second === undefined) return { schema: owner, attribute, path: [attribute.name] };
    const sub = attribute.subAttributes?.find((s) => s.name.toLowerCase() === second.toLowerCase());
    if (!sub) return null;
    return { schema: owner, attribute, sub, path: [attribute.name, sub.name] };
  }
  return null;
}

/**
 * The SCIM filter AST (RFC 7644 §3.4.2.2), shared by the parser (filter.ts), the SQL compiler (filter-sql.ts)
 * and the PATCH engine (patch.ts), which evaluates value filters such as `emails[type eq "work"]` in memory.
 */
export type CompareOp = "eq" | "ne" | "co" | "sw" | "ew" | "gt" | "ge" | "lt" | "le";
export type FilterValue = string | number | boolean | null;

export type Filter =
  /** `attrPath op value`. attrPath as written (may be URN-qualified, may have one `.sub`). */
  | { op: CompareOp; attrPath: string; value: FilterValue }
  /** `attrPath pr` */
  | { op: "pr"; attrPath: string }
  | { op: "and" | "or"; left: Filter; right: Filter }
  | { op: "not"; filter: Filter }
  /**
   * A value path: `emails[type eq "work" and value co "@x"]`. Attribute paths inside `filter` are relative to one
   * element (sub-attribute names). `emails[type eq "work"].value eq "x"` (sent by Entra) is parsed into this same
   * node with `filter` = `type eq "work" and value eq "x"`, so both conditions hold on the same element.
   */
  | { op: "valuePath"; attrPath: string; filter: Filter };

/** A PATCH path (RFC 7644 §3.5.2): `attrPath`, `attrPath[valFilter]` or `attrPath[valFilter].subAttr`. */
export type PatchPath = { attrPath: string; filter?: Filter; subAttr?: string };

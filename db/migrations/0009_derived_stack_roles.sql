-- Stack roles given by SCIM groups are read from the groups' mappings (lib/access/grants.ts), no longer stored:
-- stack_access keeps the roles given in the portal.
DELETE FROM "stack_access" WHERE "source" = 'scim';

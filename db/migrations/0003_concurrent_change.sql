-- Writes that run as one statement, without a transaction around them, check their own assumptions inside it
-- (the row still has the version that was read; the person was not in the organization yet). When one no longer
-- holds because another request changed the data meanwhile, the statement calls this: the whole statement is undone,
-- and the error is PostgreSQL's serialization failure (40001), which the server retries like any other
-- (lib/provisioning/transaction.ts).
CREATE FUNCTION portal_concurrent_change(detail text) RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'concurrent change: %', detail USING ERRCODE = '40001';
END
$$;

-- The JSON documents of an application (answers, both decisions) are a few KiB each, so
-- PostgreSQL TOASTs them, compressing with pglz by default. Profiles of
-- `cargo xtask bench-server` showed pglz_compress as the largest single cost of a submission
-- (about a third of the database's CPU). lz4 compresses several times faster at a similar
-- ratio. It needs a server built with lz4 (Debian, Ubuntu, the official images and the
-- managed services are); without it the columns keep pglz and nothing else changes.
-- Existing values keep their compression until rewritten; new rows use lz4.
DO $$
BEGIN
    ALTER TABLE applications
        ALTER COLUMN answers SET COMPRESSION lz4,
        ALTER COLUMN contact SET COMPRESSION lz4,
        ALTER COLUMN client_decision SET COMPRESSION lz4,
        ALTER COLUMN server_decision SET COMPRESSION lz4;
    ALTER TABLE drafts ALTER COLUMN answers SET COMPRESSION lz4;
EXCEPTION WHEN feature_not_supported OR invalid_parameter_value OR syntax_error THEN
    RAISE NOTICE 'lz4 is not available in this PostgreSQL build; documents stay pglz-compressed';
END
$$;

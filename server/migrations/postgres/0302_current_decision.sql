-- Adopting a new rule pack (PostgreSQL flavour; keep in step with ../sqlite).
-- The decision an application was received with (applications.server_decision,
-- server_pack_id, and the indexed outcome and amount_*) is what the applicant was told and is
-- never rewritten. When the server runs another pack, it decides the same answers at the same
-- date (server_as_of) again and keeps that decision here, beside the received one
-- (server/src/adopt.rs). No row, or another current_pack_id: not decided under the running
-- pack. current_decision holds the whole decision only where it differs from the received one
-- (outcome or a fund's amount); NULL: the received decision stands for it.
--
-- A table of its own, not columns of `applications`: an update would write a new version of
-- each application row; here the applications' rows are not touched at all.
CREATE TABLE application_current (
    application_id          BIGINT      PRIMARY KEY REFERENCES applications (id),
    current_pack_id         TEXT        NOT NULL,
    current_decision        JSONB,
    current_outcome         TEXT        NOT NULL,
    current_amount_national BIGINT CHECK (current_amount_national >= 0),
    current_amount_local    BIGINT CHECK (current_amount_local >= 0),
    current_at              TIMESTAMPTZ NOT NULL
);

-- As for the other documents (0002): lz4 where the server has it.
DO $$
BEGIN
    ALTER TABLE application_current ALTER COLUMN current_decision SET COMPRESSION lz4;
EXCEPTION WHEN feature_not_supported OR invalid_parameter_value OR syntax_error THEN
    RAISE NOTICE 'lz4 is not available in this PostgreSQL build; current_decision stays pglz-compressed';
END
$$;

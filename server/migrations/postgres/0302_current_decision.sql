-- Adopting a new rule pack (PostgreSQL flavour; keep in step with ../sqlite).
-- The decision an application was received with (server_decision, server_pack_id, outcome,
-- amount_*) is what the applicant was told and is never rewritten. When the server runs
-- another pack, it decides the same answers at the same date (server_as_of) again and keeps
-- that decision here, beside the received one (server/src/adopt.rs). current_pack_id NULL:
-- not decided under any pack but the one it was received under. current_decision holds the
-- whole decision only where it differs from the received one (outcome or a fund's amount);
-- NULL with a current_pack_id: the received decision stands for it.
ALTER TABLE applications
    ADD COLUMN current_pack_id TEXT,
    ADD COLUMN current_decision JSONB,
    ADD COLUMN current_outcome TEXT,
    ADD COLUMN current_amount_national BIGINT CHECK (current_amount_national >= 0),
    ADD COLUMN current_amount_local BIGINT CHECK (current_amount_local >= 0),
    ADD COLUMN current_at TIMESTAMPTZ;

-- As for the other documents (0002): lz4 where the server has it.
DO $$
BEGIN
    ALTER TABLE applications ALTER COLUMN current_decision SET COMPRESSION lz4;
EXCEPTION WHEN feature_not_supported OR invalid_parameter_value OR syntax_error THEN
    RAISE NOTICE 'lz4 is not available in this PostgreSQL build; current_decision stays pglz-compressed';
END
$$;

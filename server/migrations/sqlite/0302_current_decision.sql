-- Adopting a new rule pack (SQLite flavour; keep in step with ../postgres).
-- The decision an application was received with (server_decision, server_pack_id, outcome,
-- amount_*) is what the applicant was told and is never rewritten. When the server runs
-- another pack, it decides the same answers at the same date (server_as_of) again and keeps
-- that decision here, beside the received one (server/src/adopt.rs). current_pack_id NULL:
-- not decided under any pack but the one it was received under. current_decision holds the
-- whole decision only where it differs from the received one (outcome or a fund's amount);
-- NULL with a current_pack_id: the received decision stands for it.
ALTER TABLE applications ADD COLUMN current_pack_id TEXT;
ALTER TABLE applications ADD COLUMN current_decision TEXT;
ALTER TABLE applications ADD COLUMN current_outcome TEXT;
ALTER TABLE applications ADD COLUMN current_amount_national INTEGER CHECK (current_amount_national >= 0);
ALTER TABLE applications ADD COLUMN current_amount_local INTEGER CHECK (current_amount_local >= 0);
ALTER TABLE applications ADD COLUMN current_at TEXT;

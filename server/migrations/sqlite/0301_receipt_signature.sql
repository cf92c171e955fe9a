-- Signed receipts (SQLite flavour; keep in step with ../postgres): the receipt's
-- attestation (kc_api::Attestation as JSON: key id, pack id, date, digest, Ed25519
-- signature), stored with the application so a replay returns the identical receipt and a
-- key rotation leaves old receipts as they were signed. NULL on applications stored before.
ALTER TABLE applications ADD COLUMN attestation TEXT;

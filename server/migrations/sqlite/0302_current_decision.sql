-- Adopting a new rule pack (SQLite flavour; keep in step with ../postgres).
-- The decision an application was received with (applications.server_decision,
-- server_pack_id, and the indexed outcome and amount_*) is what the applicant was told and is
-- never rewritten. When the server runs another pack, it decides the same answers at the same
-- date (server_as_of) again and keeps that decision here, beside the received one
-- (server/src/adopt.rs). No row, or another current_pack_id: not decided under the running
-- pack. current_decision holds the whole decision only where it differs from the received one
-- (outcome or a fund's amount); NULL: the received decision stands for it.
--
-- A table of its own, not columns of `applications`: SQLite rewrites a whole row (its ~20 KB
-- of JSON documents included) to change any column of it, so adopting 100,000 applications
-- as columns wrote gigabytes; here it writes a small row each. And the applications' rows
-- are not touched at all.
CREATE TABLE application_current (
    application_id          INTEGER PRIMARY KEY REFERENCES applications (id),
    current_pack_id         TEXT    NOT NULL,
    current_decision        TEXT,
    current_outcome         TEXT    NOT NULL,
    current_amount_national INTEGER CHECK (current_amount_national >= 0),
    current_amount_local    INTEGER CHECK (current_amount_local >= 0),
    current_at              TEXT    NOT NULL
);

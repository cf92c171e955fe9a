-- Staff work (SQLite flavour; keep in step with ../postgres): assignment to an officer,
-- staff corrections of answers as new versions (the applicant's original stays in
-- `applications.answers` / `server_decision`), and yearly plan figures per fund.

ALTER TABLE applications ADD COLUMN assigned_to INTEGER REFERENCES staff_accounts (id);
CREATE INDEX applications_assigned_to ON applications (assigned_to);

-- One row per staff correction. `answers` and `decision` are the whole corrected answers
-- and the engine's decision on them; the newest version is the current one.
CREATE TABLE application_versions (
    id              INTEGER PRIMARY KEY,
    application_id  INTEGER NOT NULL REFERENCES applications (id),
    version         INTEGER NOT NULL,
    at              TEXT    NOT NULL,
    actor           TEXT    NOT NULL,
    field           TEXT    NOT NULL,
    old_value       TEXT    NOT NULL,
    new_value       TEXT    NOT NULL,
    comment         TEXT    NOT NULL,
    answers         TEXT    NOT NULL,
    decision        TEXT    NOT NULL,
    outcome         TEXT    NOT NULL,
    amount_national INTEGER,
    amount_local    INTEGER,
    UNIQUE (application_id, version)
);

-- The year's planned amount per fund, for the overview. `province_code` NULL: the whole
-- country (what an admin sets); otherwise one province's plan.
CREATE TABLE staff_fund_plans (
    id              INTEGER PRIMARY KEY,
    year            INTEGER NOT NULL,
    province_code   INTEGER,
    fund            TEXT    NOT NULL CHECK (fund IN ('national', 'local')),
    amount          INTEGER NOT NULL CHECK (amount >= 0),
    updated_at      TEXT    NOT NULL,
    updated_by      TEXT    NOT NULL
);
CREATE UNIQUE INDEX staff_fund_plans_key ON staff_fund_plans (year, COALESCE(province_code, -1), fund);

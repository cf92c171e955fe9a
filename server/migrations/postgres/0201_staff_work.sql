-- Staff work (PostgreSQL flavour; keep in step with ../sqlite): assignment to an officer,
-- staff corrections of answers as new versions (the applicant's original stays in
-- `applications.answers` / `server_decision`), and yearly plan figures per fund.

ALTER TABLE applications ADD COLUMN assigned_to BIGINT REFERENCES staff_accounts (id);
CREATE INDEX applications_assigned_to ON applications (assigned_to);

-- One row per staff correction. `answers` and `decision` are the whole corrected answers
-- and the engine's decision on them; the newest version is the current one.
CREATE TABLE application_versions (
    id              BIGSERIAL PRIMARY KEY,
    application_id  BIGINT NOT NULL REFERENCES applications (id),
    version         BIGINT NOT NULL,
    at              TIMESTAMPTZ NOT NULL,
    actor           TEXT    NOT NULL,
    field           TEXT    NOT NULL,
    old_value       TEXT    NOT NULL,
    new_value       TEXT    NOT NULL,
    comment         TEXT    NOT NULL,
    answers         JSONB   NOT NULL,
    decision        JSONB   NOT NULL,
    outcome         TEXT    NOT NULL,
    amount_national BIGINT,
    amount_local    BIGINT,
    UNIQUE (application_id, version)
);

-- The year's planned amount per fund, for the overview. `province_code` NULL: the whole
-- country (what an admin sets); otherwise one province's plan.
CREATE TABLE staff_fund_plans (
    id              BIGSERIAL PRIMARY KEY,
    year            BIGINT NOT NULL,
    province_code   BIGINT,
    fund            TEXT    NOT NULL CHECK (fund IN ('national', 'local')),
    amount          BIGINT NOT NULL CHECK (amount >= 0),
    updated_at      TIMESTAMPTZ NOT NULL,
    updated_by      TEXT    NOT NULL
);
CREATE UNIQUE INDEX staff_fund_plans_key ON staff_fund_plans (year, COALESCE(province_code, -1), fund);

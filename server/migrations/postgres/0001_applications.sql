-- Applications, drafts and the changes feed (PostgreSQL flavour; keep in step with ../sqlite).
-- Money is BIGINT đồng; JSON documents are JSONB (read back as text); times are TIMESTAMPTZ.
-- Staff tables (accounts, comments, audit log) come in later migrations.

CREATE TABLE applications (
    id                  BIGSERIAL PRIMARY KEY,
    client_id           UUID        NOT NULL UNIQUE,
    receipt_code        TEXT        NOT NULL UNIQUE,
    content_hash        TEXT        NOT NULL,
    received_at         TIMESTAMPTZ NOT NULL,
    updated_at          TIMESTAMPTZ NOT NULL,
    answers             JSONB       NOT NULL,
    contact             JSONB,
    centre_id           TEXT,
    client_as_of        DATE        NOT NULL,
    client_decision     JSONB       NOT NULL,
    client_pack_id      TEXT        NOT NULL,
    server_as_of        DATE        NOT NULL,
    server_decision     JSONB       NOT NULL,
    server_pack_id      TEXT        NOT NULL,
    drift               BOOLEAN     NOT NULL,
    outcome             TEXT        NOT NULL,
    amount_national     BIGINT CHECK (amount_national >= 0),
    amount_local        BIGINT CHECK (amount_local >= 0),
    province_code       INTEGER,
    commune_code        BIGINT,
    support_line        TEXT,
    support_lines       TEXT        NOT NULL,
    status              TEXT        NOT NULL DEFAULT 'received',
    applicant_comment   TEXT,
    last_change_seq     BIGINT      NOT NULL
);

CREATE INDEX applications_province_status ON applications (province_code, status, received_at);
CREATE INDEX applications_received_at ON applications (received_at);

-- One row per change to an application; `seq` is the feed cursor.
--
-- Why a counter row and not a SEQUENCE: sequence values are handed out at nextval(), not at
-- commit, so transaction A can take 7, B take 8 and commit first; a reader that saw 8 and
-- moved its cursor past 7 would skip A's change for ever. The writing transaction instead
-- increments the single row below; the row lock is held until commit, so the next writer
-- gets its number only after this one has committed (or rolled back, giving the number
-- back). Numbers therefore commit in order, without gaps, across any number of servers.
CREATE TABLE changes (
    seq             BIGINT      PRIMARY KEY,
    application_id  BIGINT      NOT NULL REFERENCES applications (id),
    kind            TEXT        NOT NULL CHECK (kind IN ('created', 'updated')),
    at              TIMESTAMPTZ NOT NULL
);

CREATE TABLE change_counter (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    value   BIGINT  NOT NULL
);
INSERT INTO change_counter (id, value) VALUES (1, 0);

CREATE TABLE drafts (
    resume_code TEXT        PRIMARY KEY,
    client_id   UUID        NOT NULL UNIQUE,
    answers     JSONB       NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL,
    expires_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX drafts_expires_at ON drafts (expires_at);

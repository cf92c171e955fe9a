-- Applications, drafts and the changes feed (SQLite flavour; keep in step with ../postgres).
-- Money is INTEGER đồng; JSON documents are TEXT; times are RFC 3339 TEXT (UTC).
-- Staff tables (accounts, comments, audit log) come in later migrations.

CREATE TABLE applications (
    id                  INTEGER PRIMARY KEY,
    client_id           TEXT    NOT NULL UNIQUE,
    receipt_code        TEXT    NOT NULL UNIQUE,
    content_hash        TEXT    NOT NULL,
    received_at         TEXT    NOT NULL,
    updated_at          TEXT    NOT NULL,
    answers             TEXT    NOT NULL,
    contact             TEXT,
    centre_id           TEXT,
    client_as_of        TEXT    NOT NULL,
    client_decision     TEXT    NOT NULL,
    client_pack_id      TEXT    NOT NULL,
    server_as_of        TEXT    NOT NULL,
    server_decision     TEXT    NOT NULL,
    server_pack_id      TEXT    NOT NULL,
    drift               INTEGER NOT NULL CHECK (drift IN (0, 1)),
    outcome             TEXT    NOT NULL,
    amount_national     INTEGER CHECK (amount_national >= 0),
    amount_local        INTEGER CHECK (amount_local >= 0),
    province_code       INTEGER,
    commune_code        INTEGER,
    support_line        TEXT,
    support_lines       TEXT    NOT NULL,
    status              TEXT    NOT NULL DEFAULT 'received',
    applicant_comment   TEXT,
    last_change_seq     INTEGER NOT NULL
);

CREATE INDEX applications_province_status ON applications (province_code, status, received_at);
CREATE INDEX applications_received_at ON applications (received_at);

-- One row per change to an application; `seq` is the feed cursor.
-- SQLite serialises writers, and the server writes through one connection, so a `seq`
-- taken inside the writing transaction commits in order: a reader never skips one.
CREATE TABLE changes (
    seq             INTEGER PRIMARY KEY,
    application_id  INTEGER NOT NULL REFERENCES applications (id),
    kind            TEXT    NOT NULL CHECK (kind IN ('created', 'updated')),
    at              TEXT    NOT NULL
);

CREATE TABLE change_counter (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    value   INTEGER NOT NULL
);
INSERT INTO change_counter (id, value) VALUES (1, 0);

CREATE TABLE drafts (
    resume_code TEXT    PRIMARY KEY,
    client_id   TEXT    NOT NULL UNIQUE,
    answers     TEXT    NOT NULL,
    created_at  TEXT    NOT NULL,
    expires_at  TEXT    NOT NULL
);
CREATE INDEX drafts_expires_at ON drafts (expires_at);

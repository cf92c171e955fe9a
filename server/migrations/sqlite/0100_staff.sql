-- Staff side (SQLite flavour; keep in step with ../postgres): accounts, sessions, login
-- failures, API tokens, review history and the audit log. Times are RFC 3339 TEXT (UTC).

CREATE TABLE staff_accounts (
    id              INTEGER PRIMARY KEY,
    email           TEXT    NOT NULL UNIQUE,
    password_hash   TEXT    NOT NULL,
    role            TEXT    NOT NULL CHECK (role IN ('admin', 'province_staff', 'viewer')),
    province_code   INTEGER,
    active          INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at      TEXT    NOT NULL,
    CHECK ((role = 'admin') = (province_code IS NULL))
);

-- A session is a random token in an HttpOnly cookie; only its SHA-256 is stored.
CREATE TABLE staff_sessions (
    token_hash  TEXT    PRIMARY KEY,
    account_id  INTEGER NOT NULL REFERENCES staff_accounts (id),
    csrf_token  TEXT    NOT NULL,
    created_at  TEXT    NOT NULL,
    expires_at  TEXT    NOT NULL
);
CREATE INDEX staff_sessions_expires_at ON staff_sessions (expires_at);

CREATE TABLE staff_login_failures (
    id      INTEGER PRIMARY KEY,
    email   TEXT    NOT NULL,
    at      TEXT    NOT NULL
);
CREATE INDEX staff_login_failures_email_at ON staff_login_failures (email, at);

CREATE TABLE staff_api_tokens (
    id          INTEGER PRIMARY KEY,
    account_id  INTEGER NOT NULL REFERENCES staff_accounts (id),
    token_hash  TEXT    NOT NULL UNIQUE,
    label       TEXT    NOT NULL,
    created_at  TEXT    NOT NULL,
    revoked_at  TEXT
);

CREATE TABLE review_events (
    id              INTEGER PRIMARY KEY,
    application_id  INTEGER NOT NULL REFERENCES applications (id),
    at              TEXT    NOT NULL,
    actor           TEXT    NOT NULL,
    from_status     TEXT    NOT NULL,
    to_status       TEXT    NOT NULL,
    comment         TEXT    NOT NULL,
    for_applicant   INTEGER NOT NULL CHECK (for_applicant IN (0, 1))
);
CREATE INDEX review_events_application ON review_events (application_id, id);

CREATE TABLE staff_audit (
    id          INTEGER PRIMARY KEY,
    at          TEXT    NOT NULL,
    actor       TEXT    NOT NULL,
    action      TEXT    NOT NULL,
    target      TEXT    NOT NULL,
    detail      TEXT    NOT NULL
);
CREATE INDEX staff_audit_at ON staff_audit (at);

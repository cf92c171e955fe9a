-- Staff side (PostgreSQL flavour; keep in step with ../sqlite): accounts, sessions, login
-- failures, API tokens, review history and the audit log.

CREATE TABLE staff_accounts (
    id              BIGSERIAL   PRIMARY KEY,
    email           TEXT        NOT NULL UNIQUE,
    password_hash   TEXT        NOT NULL,
    role            TEXT        NOT NULL CHECK (role IN ('admin', 'province_staff', 'viewer')),
    province_code   BIGINT,
    active          BOOLEAN     NOT NULL DEFAULT TRUE,
    created_at      TIMESTAMPTZ NOT NULL,
    CHECK ((role = 'admin') = (province_code IS NULL))
);

-- A session is a random token in an HttpOnly cookie; only its SHA-256 is stored.
CREATE TABLE staff_sessions (
    token_hash  TEXT        PRIMARY KEY,
    account_id  BIGINT      NOT NULL REFERENCES staff_accounts (id),
    csrf_token  TEXT        NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL,
    expires_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX staff_sessions_expires_at ON staff_sessions (expires_at);

CREATE TABLE staff_login_failures (
    id      BIGSERIAL   PRIMARY KEY,
    email   TEXT        NOT NULL,
    at      TIMESTAMPTZ NOT NULL
);
CREATE INDEX staff_login_failures_email_at ON staff_login_failures (email, at);

CREATE TABLE staff_api_tokens (
    id          BIGSERIAL   PRIMARY KEY,
    account_id  BIGINT      NOT NULL REFERENCES staff_accounts (id),
    token_hash  TEXT        NOT NULL UNIQUE,
    label       TEXT        NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL,
    revoked_at  TIMESTAMPTZ
);

CREATE TABLE review_events (
    id              BIGSERIAL   PRIMARY KEY,
    application_id  BIGINT      NOT NULL REFERENCES applications (id),
    at              TIMESTAMPTZ NOT NULL,
    actor           TEXT        NOT NULL,
    from_status     TEXT        NOT NULL,
    to_status       TEXT        NOT NULL,
    comment         TEXT        NOT NULL,
    for_applicant   BOOLEAN     NOT NULL
);
CREATE INDEX review_events_application ON review_events (application_id, id);

CREATE TABLE staff_audit (
    id          BIGSERIAL   PRIMARY KEY,
    at          TIMESTAMPTZ NOT NULL,
    actor       TEXT        NOT NULL,
    action      TEXT        NOT NULL,
    target      TEXT        NOT NULL,
    detail      TEXT        NOT NULL
);
CREATE INDEX staff_audit_at ON staff_audit (at);

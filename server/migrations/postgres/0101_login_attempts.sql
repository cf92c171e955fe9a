-- Login throttle (PostgreSQL flavour; keep in step with ../sqlite): one row per key
-- (`email:…` or `addr:…`) with the start of its window and the attempts in it, taken with one
-- atomic upsert before any password is checked (see server/src/staff/throttle.rs).
-- Replaces staff_login_failures, which was counted before the hash and written after it.

DROP TABLE staff_login_failures;

CREATE TABLE staff_login_attempts (
    key           TEXT        PRIMARY KEY,
    window_start  TIMESTAMPTZ NOT NULL,
    attempts      BIGINT      NOT NULL
);
CREATE INDEX staff_login_attempts_window_start ON staff_login_attempts (window_start);

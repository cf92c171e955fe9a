//! The staff side's handle on the database: the same pools as the application store.
//!
//! Staff queries are written once with `$n` placeholders (SQLite accepts them too) and only
//! bind `i64`, `String`, `bool` and options of them, so the same source runs on both backends.
//! Where the column types differ (times are RFC 3339 TEXT in SQLite and TIMESTAMPTZ in
//! PostgreSQL, JSON is TEXT vs JSONB) the SQL text is adapted by [`Db::time_col`],
//! [`Db::time_param`] and `CAST(… AS TEXT)`, so rows always decode as text.

use sqlx::{PgPool, SqlitePool};

/// The pools staff queries run on.
#[derive(Debug, Clone)]
pub enum Db {
    /// SQLite: writes through the store's one-connection writer pool.
    Sqlite {
        /// One connection; every write.
        writer: SqlitePool,
        /// Reads.
        reader: SqlitePool,
    },
    /// PostgreSQL: one pool.
    Postgres(PgPool),
}

/// Runs `$body` with `$pool` bound to the read pool of either backend.
macro_rules! read {
    ($db:expr, $pool:ident => $body:expr) => {
        match $db {
            $crate::staff::db::Db::Sqlite { reader: $pool, .. } => $body,
            $crate::staff::db::Db::Postgres($pool) => $body,
        }
    };
}

/// Runs `$body` with `$pool` bound to the write pool of either backend.
macro_rules! write {
    ($db:expr, $pool:ident => $body:expr) => {
        match $db {
            $crate::staff::db::Db::Sqlite { writer: $pool, .. } => $body,
            $crate::staff::db::Db::Postgres($pool) => $body,
        }
    };
}

pub(crate) use {read, write};

/// A bound value of a dynamically built query.
#[derive(Debug, Clone)]
pub enum Param {
    /// Integer.
    I64(i64),
    /// Text.
    Text(String),
    /// Boolean.
    Bool(bool),
}

/// Binds `$params` to `$q` (a `sqlx::query` of either backend).
macro_rules! bind_all {
    ($q:expr, $params:expr) => {{
        let mut q = $q;
        for p in $params {
            q = match p {
                $crate::staff::db::Param::I64(v) => q.bind(*v),
                $crate::staff::db::Param::Text(v) => q.bind(v.clone()),
                $crate::staff::db::Param::Bool(v) => q.bind(*v),
            };
        }
        q
    }};
}
pub(crate) use bind_all;

impl Db {
    /// Whether this is PostgreSQL.
    pub fn is_postgres(&self) -> bool {
        matches!(self, Db::Postgres(_))
    }

    /// A time column as RFC 3339 text in the store's SQLite format.
    pub fn time_col(&self, col: &str) -> String {
        if self.is_postgres() {
            format!("to_char({col} AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')")
        } else {
            col.to_owned()
        }
    }

    /// The `$n` placeholder of a time parameter bound as text (see [`ts`]).
    pub fn time_param(&self, n: usize) -> String {
        if self.is_postgres() { format!("${n}::timestamptz") } else { format!("${n}") }
    }
}

/// Times as the SQLite store keeps them (fixed-width UTC text that sorts as it compares);
/// one definition serves the store and the staff queries.
pub(crate) use crate::store::{parse_ts, ts};

impl Db {
    /// The staff handle on the application store's pools.
    pub fn of(store: &crate::store::Store) -> Db {
        match store {
            crate::store::Store::Sqlite(s) => {
                let (writer, reader) = s.pools();
                Db::Sqlite { writer, reader }
            }
            crate::store::Store::Postgres(p) => Db::Postgres(p.pool()),
        }
    }
}

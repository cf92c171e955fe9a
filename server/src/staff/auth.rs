//! Accounts, roles, scope, passwords (argon2id) and random tokens.

use std::fmt;

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use sha2::{Digest, Sha256};

/// What a staff member may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// Every province; manages accounts; reads the audit log.
    Admin,
    /// One province: reads, reviews, exports.
    ProvinceStaff,
    /// One province: reads and exports; never changes anything.
    Viewer,
}

impl Role {
    /// Stable id, as stored and on the command line.
    pub fn id(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::ProvinceStaff => "province_staff",
            Role::Viewer => "viewer",
        }
    }

    /// Parses an id.
    pub fn parse(s: &str) -> Option<Role> {
        match s {
            "admin" => Some(Role::Admin),
            "province_staff" => Some(Role::ProvinceStaff),
            "viewer" => Some(Role::Viewer),
            _ => None,
        }
    }

    /// May change review states and comment.
    pub fn can_review(self) -> bool {
        matches!(self, Role::Admin | Role::ProvinceStaff)
    }
}

/// Which applications a staff member (or an API token) can see. Every staff query takes one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Every province (admins).
    All,
    /// One province, by code.
    Province(i64),
}

impl Scope {
    /// The scope of an account.
    pub fn of(role: Role, province_code: Option<i64>) -> Scope {
        match (role, province_code) {
            (Role::Admin, _) => Scope::All,
            (_, Some(p)) => Scope::Province(p),
            // The schema forbids this; should it happen anyway, see nothing.
            (_, None) => Scope::Province(-1),
        }
    }
}

impl Scope {
    /// Whether an application of this province is visible.
    pub fn allows(self, province_code: Option<i64>) -> bool {
        match self {
            Scope::All => true,
            Scope::Province(p) => province_code == Some(p),
        }
    }
}

/// A signed-in staff member.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    /// Row id.
    pub id: i64,
    /// E-mail, the login name (lower-case).
    pub email: String,
    /// Role.
    pub role: Role,
    /// Province of non-admins.
    pub province_code: Option<i64>,
}

impl Account {
    /// What this account can see.
    pub fn scope(&self) -> Scope {
        Scope::of(self.role, self.province_code)
    }
}

impl fmt::Display for Account {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.email)
    }
}

/// argon2id with the OWASP-recommended minimum (19 MiB, 2 passes, 1 lane).
fn argon2() -> Argon2<'static> {
    let params = Params::new(19 * 1024, 2, 1, None).expect("valid argon2 parameters");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Hashes a password as a PHC string (`$argon2id$v=19$…`).
pub fn hash_password(password: &str) -> anyhow::Result<String> {
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).map_err(|e| anyhow::anyhow!("no randomness: {e}"))?;
    let salt = SaltString::encode_b64(&salt).map_err(|e| anyhow::anyhow!("salt: {e}"))?;
    let hash = argon2().hash_password(password.as_bytes(), &salt).map_err(|e| anyhow::anyhow!("hashing: {e}"))?;
    Ok(hash.to_string())
}

/// Checks a password against a PHC string; a malformed hash never verifies.
pub fn verify_password(password: &str, phc: &str) -> bool {
    match PasswordHash::new(phc) {
        Ok(h) => argon2().verify_password(password.as_bytes(), &h).is_ok(),
        Err(_) => false,
    }
}

/// A hash to verify against when the account does not exist, so both paths cost the same.
pub fn dummy_hash() -> &'static str {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DUMMY.get_or_init(|| hash_password("not a password of anyone").unwrap_or_default())
}

/// 32 random bytes as 64 hex digits: session ids, CSRF tokens, API tokens.
pub fn random_token() -> String {
    let mut b = [0u8; 32];
    getrandom::fill(&mut b).expect("the OS has randomness");
    hex(&b)
}

/// SHA-256 of a token, hex; what the database keeps instead of the token.
pub fn token_hash(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(DIGITS[usize::from(b >> 4)] as char);
        s.push(DIGITS[usize::from(b & 15)] as char);
    }
    s
}

/// Compares two strings in time independent of where they differ.
pub fn constant_time_eq(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn argon2id_hash_verifies_only_the_right_password() {
        let h = hash_password("mật khẩu đúng").unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password("mật khẩu đúng", &h));
        assert!(!verify_password("mật khẩu sai", &h));
        assert!(!verify_password("x", "not a hash"));
    }

    #[test]
    fn tokens_are_random_hex_and_hash_stably() {
        let (a, b) = (random_token(), random_token());
        assert_eq!(a.len(), 64);
        assert_ne!(a, b);
        assert_eq!(token_hash(&a), token_hash(&a));
        assert!(constant_time_eq(&a, &a.clone()));
        assert!(!constant_time_eq(&a, &b));
    }

    #[test]
    fn admins_see_everything_others_one_province() {
        assert_eq!(Scope::of(Role::Admin, None), Scope::All);
        assert_eq!(Scope::of(Role::ProvinceStaff, Some(1)), Scope::Province(1));
        assert_eq!(Scope::of(Role::Viewer, Some(82)), Scope::Province(82));
    }
}

//! Authorisation rules, checked once per operation before anything is read or written, and
//! password hashing (Argon2id, memory-hard; Biryukov, Dinu & Khovratovich 2016,
//! doi:10.1109/EuroSP.2016.31).

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use password_hash::rand_core::OsRng;

use crate::{Actor, MonitorError, Result, Role};

/// Admins only.
pub fn admin(actor: &Actor, what: &str) -> Result<()> {
    if actor.role == Role::Admin {
        Ok(())
    } else {
        Err(MonitorError::Forbidden(format!(
            "only the central agency may {what}"
        )))
    }
}

/// Admins, or a council member of `region`.
pub fn edit_region(actor: &Actor, region: &str, what: &str) -> Result<()> {
    match actor.role {
        Role::Admin => Ok(()),
        Role::Council if actor.region.as_deref() == Some(region) => Ok(()),
        Role::Council => Err(MonitorError::Forbidden(format!(
            "a council member of region {} may not {what} in region {region}",
            actor.region.as_deref().unwrap_or("?")
        ))),
        _ => Err(MonitorError::Forbidden(format!(
            "role {} may not {what}",
            actor.role.id()
        ))),
    }
}

/// Argon2id hash of a password (PHC string with its salt).
pub fn hash_password(password: &str) -> Result<String> {
    if password.chars().count() < 8 {
        return Err(MonitorError::Invalid {
            field: "password",
            message: "at least 8 characters".into(),
        });
    }
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| MonitorError::Storage(e.to_string()))
}

/// An Argon2id hash (default parameters, as [`hash_password`] makes) of a random password,
/// made once: unknown users are checked against it so that they cost as much as known ones.
pub fn dummy_hash() -> &'static str {
    static HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HASH.get_or_init(|| {
        let salt = SaltString::generate(&mut OsRng);
        let mut secret = [0u8; 32];
        password_hash::rand_core::RngCore::fill_bytes(&mut OsRng, &mut secret);
        Argon2::default()
            .hash_password(&secret, &salt)
            .map(|h| h.to_string())
            .unwrap_or_default()
    })
}

/// Fills `buf` from the operating system's random generator; an error when it fails (callers
/// refuse to issue tokens rather than fall back to anything guessable).
pub fn os_random(buf: &mut [u8]) -> Result<()> {
    password_hash::rand_core::RngCore::try_fill_bytes(&mut OsRng, buf)
        .map_err(|e| MonitorError::Storage(format!("the OS random generator failed: {e}")))
}

/// Checks a password against a stored hash.
pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash)
        .map(|h| {
            Argon2::default()
                .verify_password(password.as_bytes(), &h)
                .is_ok()
        })
        .unwrap_or(false)
}

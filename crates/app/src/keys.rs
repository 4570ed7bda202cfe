//! The deployment's secret key and the sub-keys derived from it.
//!
//! One 32-byte master key, stored hex-encoded in `<data>/secret.key` (mode
//! 0600, created on first start) or given in the configuration. It must be
//! the same on every node of a deployment and must be backed up: without it
//! citizen-ID hashes can no longer be matched. Sub-keys are derived with
//! HMAC-SHA-256 under a label, so one purpose's key never serves another.

use hmac::{Hmac, Mac};
use sha2::Sha256;
use std::path::Path;

#[derive(Clone)]
pub struct Keys {
    master: [u8; 32],
}

impl std::fmt::Debug for Keys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Keys([redacted])")
    }
}

impl Keys {
    pub fn from_hex(s: &str) -> Result<Keys, String> {
        let bytes = hex::decode(s.trim()).map_err(|_| "secret key: not hexadecimal".to_string())?;
        if bytes.len() < 32 {
            return Err("secret key: needs at least 32 bytes (64 hex digits)".into());
        }
        let mut master = [0u8; 32];
        // Longer keys are compressed to 32 bytes.
        let mut mac = Hmac::<Sha256>::new_from_slice(&bytes).expect("any length");
        mac.update(b"danchu.master");
        master.copy_from_slice(&mac.finalize().into_bytes());
        Ok(Keys { master })
    }

    /// Reads the key file, creating it with a fresh random key if missing.
    pub fn load_or_create(path: &Path) -> Result<Keys, String> {
        match std::fs::read_to_string(path) {
            Ok(s) => Keys::from_hex(&s).map_err(|e| format!("{}: {e}", path.display())),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let mut buf = [0u8; 32];
                getrandom::getrandom(&mut buf).map_err(|e| format!("random: {e}"))?;
                let text = hex::encode(buf);
                if let Some(dir) = path.parent() {
                    std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
                }
                write_private(path, &text).map_err(|e| format!("{}: {e}", path.display()))?;
                Keys::from_hex(&text)
            }
            Err(e) => Err(format!("{}: {e}", path.display())),
        }
    }

    pub fn derive(&self, label: &str) -> [u8; 32] {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.master).expect("any length");
        mac.update(label.as_bytes());
        let mut out = [0u8; 32];
        out.copy_from_slice(&mac.finalize().into_bytes());
        out
    }

    /// Key of the citizen-ID keyed hash. Never rotate it without re-hashing.
    pub fn cccd(&self) -> [u8; 32] {
        self.derive("danchu.cccd")
    }

    /// A test key (fixed), for tests only.
    pub fn for_tests() -> Keys {
        Keys::from_hex(&"ab".repeat(32)).expect("valid")
    }
}

#[cfg(unix)]
fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut f = std::fs::OpenOptions::new().write(true).create_new(true).mode(0o600).open(path)?;
    f.write_all(text.as_bytes())?;
    f.sync_all()
}

#[cfg(not(unix))]
fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    std::fs::write(path, text)
}

/// Random bytes as lowercase hex (tokens, CSRF values, idempotency keys).
pub fn random_token(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    getrandom::getrandom(&mut buf).expect("the OS random source works");
    hex::encode(buf)
}

/// SHA-256 hex of a token: what the database stores for sessions and resets.
pub fn token_hash(token: &str) -> String {
    use sha2::Digest;
    hex::encode(Sha256::digest(token.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_file_is_created_once_and_reused() {
        let dir = std::env::temp_dir().join(format!("danchu-keys-{}-{}", std::process::id(), random_token(4)));
        let p = dir.join("secret.key");
        let a = Keys::load_or_create(&p).unwrap();
        let b = Keys::load_or_create(&p).unwrap();
        assert_eq!(a.cccd(), b.cccd());
        assert_ne!(a.cccd(), a.derive("other"));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(std::fs::metadata(&p).unwrap().permissions().mode() & 0o777, 0o600);
        }
        assert!(Keys::from_hex("abcd").is_err());
        assert!(Keys::from_hex("zz").is_err());
    }
}

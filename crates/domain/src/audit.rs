//! The audit trail's hash chain (C0.7: an immutable record of who changed
//! what). Each entry's hash covers the previous entry's hash and every field
//! of the entry, so an edited, deleted or reordered entry breaks the chain.

use sha2::{Digest, Sha256};

/// The hash that precedes the first entry.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// The fields of one audit entry that the chain protects.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntryFields<'a> {
    pub seq: i64,
    pub at_ms: i64,
    pub actor_user_id: Option<i64>,
    pub actor_role: Option<&'a str>,
    pub unit_id: Option<i64>,
    /// The unit's path: what the subtree view of the trail filters on.
    pub unit_path: Option<&'a str>,
    pub action: &'a str,
    pub target: &'a str,
    pub summary: &'a str,
}

/// SHA-256 over the previous hash and a length-prefixed encoding of the
/// fields (length prefixes make the encoding unambiguous).
pub fn entry_hash(prev_hash: &str, e: &EntryFields<'_>) -> String {
    let mut h = Sha256::new();
    let mut put = |s: &str| {
        h.update((s.len() as u64).to_be_bytes());
        h.update(s.as_bytes());
    };
    put("danchu.audit.v1");
    put(prev_hash);
    put(&e.seq.to_string());
    put(&e.at_ms.to_string());
    put(&e.actor_user_id.map(|v| v.to_string()).unwrap_or_default());
    put(e.actor_role.unwrap_or(""));
    put(&e.unit_id.map(|v| v.to_string()).unwrap_or_default());
    put(e.unit_path.unwrap_or(""));
    put(e.action);
    put(e.target);
    put(e.summary);
    hex::encode(h.finalize())
}

/// What verification found wrong, at which sequence number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChainBreak {
    /// A sequence number is missing or out of order (deleted or reordered entry).
    Gap { expected: i64, found: i64 },
    /// The stored previous hash does not equal the hash of the entry before.
    PrevMismatch { seq: i64 },
    /// The entry's contents no longer match its hash (edited entry).
    HashMismatch { seq: i64 },
    /// The chain head records more entries or another last hash than found
    /// (entries removed from the end).
    HeadMismatch { head_seq: i64, last_seq: i64 },
}

/// A stored entry as read back for verification.
#[derive(Debug, Clone)]
pub struct StoredEntry {
    pub seq: i64,
    pub at_ms: i64,
    pub actor_user_id: Option<i64>,
    pub actor_role: Option<String>,
    pub unit_id: Option<i64>,
    pub unit_path: Option<String>,
    pub action: String,
    pub target: String,
    pub summary: String,
    pub prev_hash: String,
    pub hash: String,
}

/// Incremental verifier: feed entries in sequence order.
#[derive(Debug)]
pub struct Verifier {
    expected_seq: i64,
    prev_hash: String,
    pub checked: i64,
}

impl Default for Verifier {
    fn default() -> Self {
        Verifier { expected_seq: 1, prev_hash: GENESIS.to_string(), checked: 0 }
    }
}

impl Verifier {
    pub fn feed(&mut self, e: &StoredEntry) -> Result<(), ChainBreak> {
        if e.seq != self.expected_seq {
            return Err(ChainBreak::Gap { expected: self.expected_seq, found: e.seq });
        }
        if e.prev_hash != self.prev_hash {
            return Err(ChainBreak::PrevMismatch { seq: e.seq });
        }
        let fields = EntryFields {
            seq: e.seq,
            at_ms: e.at_ms,
            actor_user_id: e.actor_user_id,
            actor_role: e.actor_role.as_deref(),
            unit_id: e.unit_id,
            unit_path: e.unit_path.as_deref(),
            action: &e.action,
            target: &e.target,
            summary: &e.summary,
        };
        if entry_hash(&e.prev_hash, &fields) != e.hash {
            return Err(ChainBreak::HashMismatch { seq: e.seq });
        }
        self.prev_hash = e.hash.clone();
        self.expected_seq += 1;
        self.checked += 1;
        Ok(())
    }

    /// Checks the chain head (last sequence number and hash) once all entries were fed.
    pub fn finish(&self, head_seq: i64, head_hash: &str) -> Result<(), ChainBreak> {
        let last_seq = self.expected_seq - 1;
        if head_seq != last_seq || head_hash != self.prev_hash {
            return Err(ChainBreak::HeadMismatch { head_seq, last_seq });
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chain(n: i64) -> Vec<StoredEntry> {
        let mut prev = GENESIS.to_string();
        (1..=n)
            .map(|seq| {
                let summary = format!("change {seq}");
                let f = EntryFields {
                    seq,
                    at_ms: 1000 + seq,
                    actor_user_id: Some(7),
                    actor_role: Some("commune_official"),
                    unit_id: Some(3),
                    unit_path: Some("/1/3/"),
                    action: "household.import",
                    target: "village:3",
                    summary: &summary,
                };
                let hash = entry_hash(&prev, &f);
                let e = StoredEntry {
                    seq,
                    at_ms: f.at_ms,
                    actor_user_id: f.actor_user_id,
                    actor_role: Some("commune_official".into()),
                    unit_id: f.unit_id,
                    unit_path: Some("/1/3/".into()),
                    action: f.action.into(),
                    target: f.target.into(),
                    summary: summary.clone(),
                    prev_hash: prev.clone(),
                    hash: hash.clone(),
                };
                prev = hash;
                e
            })
            .collect()
    }

    fn verify(entries: &[StoredEntry], head_seq: i64, head_hash: &str) -> Result<i64, ChainBreak> {
        let mut v = Verifier::default();
        for e in entries {
            v.feed(e)?;
        }
        v.finish(head_seq, head_hash)?;
        Ok(v.checked)
    }

    #[test]
    fn c0_7_intact_chain_verifies() {
        let c = chain(5);
        assert_eq!(verify(&c, 5, &c[4].hash), Ok(5));
        assert_eq!(verify(&[], 0, GENESIS), Ok(0));
    }

    #[test]
    fn c0_7_edited_entry_is_detected() {
        let mut c = chain(5);
        c[2].summary = "something else".into();
        let head = c[4].hash.clone();
        assert_eq!(verify(&c, 5, &head), Err(ChainBreak::HashMismatch { seq: 3 }));
    }

    #[test]
    fn c0_7_deleted_entry_is_detected() {
        let mut c = chain(5);
        c.remove(1);
        let head = c[3].hash.clone();
        assert_eq!(verify(&c, 5, &head), Err(ChainBreak::Gap { expected: 2, found: 3 }));
    }

    #[test]
    fn c0_7_reordered_entries_are_detected_even_with_renumbering() {
        let mut c = chain(5);
        c.swap(1, 2);
        c[1].seq = 2;
        c[2].seq = 3;
        let head = c[4].hash.clone();
        assert!(matches!(verify(&c, 5, &head), Err(ChainBreak::PrevMismatch { seq: 2 })));
    }

    #[test]
    fn c0_7_truncated_tail_is_detected_by_the_head() {
        let c = chain(5);
        let head = c[4].hash.clone();
        assert_eq!(verify(&c[..4], 5, &head), Err(ChainBreak::HeadMismatch { head_seq: 5, last_seq: 4 }));
    }
}

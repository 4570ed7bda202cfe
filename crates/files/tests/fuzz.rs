//! Hostile input: random bytes, truncations and bit flips of every fixture never panic.
//! Deterministic (fixed seeds), no proptest.

mod common;

use std::panic::catch_unwind;

use common::*;
use danchu_files::{check, extract_text, FileKind};

fn fixtures() -> Vec<(&'static str, Vec<u8>)> {
    vec![
        ("chromium-vi.pdf", fixture("chromium-vi.pdf")),
        ("identity-h.pdf", identity_h_pdf()),
        ("winansi.pdf", winansi_pdf()),
        ("vi.docx", vietnamese_docx()),
        ("vi.xlsx", vietnamese_xlsx()),
        ("flag.png", fixture("flag.png")),
        ("flag.jpg", fixture("flag.jpg")),
    ]
}

/// Mutations per fixture; raise with `DANCHU_FUZZ_ROUNDS=5000` for a longer hunt.
fn rounds() -> usize {
    std::env::var("DANCHU_FUZZ_ROUNDS").ok().and_then(|v| v.parse().ok()).unwrap_or(80)
}

/// Runs every entry point on `bytes`; a panic fails the test with the case that caused it.
fn survive(label: &str, bytes: &[u8]) {
    let result = catch_unwind(|| {
        let _ = check(bytes, label, 20 * MB);
        for kind in FileKind::ALL {
            let _ = extract_text(kind, bytes, 10_000);
        }
    });
    if result.is_err() {
        let dump = std::env::temp_dir().join("danchu-files-fuzz-case.bin");
        let _ = std::fs::write(&dump, bytes);
        panic!("panic on {label} ({} bytes), case saved to {}", bytes.len(), dump.display());
    }
}

#[test]
fn truncations_never_panic() {
    let mut rng = Rng(0x00C0_FFEE_D00D_F00D);
    for (name, bytes) in fixtures() {
        let mut cuts: Vec<usize> = (0..bytes.len().min(64)).collect();
        cuts.extend((0..60).map(|_| rng.below(bytes.len())));
        cuts.extend((1..16).map(|i| bytes.len().saturating_sub(i)));
        for cut in cuts {
            survive(&format!("{name}[..{cut}]"), &bytes[..cut]);
        }
    }
}

#[test]
fn bit_flips_and_splices_never_panic() {
    let mut rng = Rng(0x5EED_1234_ABCD_0001);
    for (name, bytes) in fixtures() {
        for round in 0..rounds() {
            let mut m = bytes.clone();
            let flips = 1 + rng.below(8);
            for _ in 0..flips {
                let at = rng.below(m.len());
                match rng.below(4) {
                    0 => m[at] ^= 1 << rng.below(8),
                    1 => m[at] = rng.next() as u8,
                    2 => m[at] = [0, 0xFF, b'(', b'<', b'/', b'0'][rng.below(6)],
                    _ => {
                        // Overwrite a run with random bytes.
                        let len = rng.below(32).min(m.len() - at);
                        let junk = rng.bytes(len);
                        m[at..at + len].copy_from_slice(&junk);
                    }
                }
            }
            survive(&format!("{name} mutation {round}"), &m);
        }
    }
}

#[test]
fn random_bytes_behind_real_magic_never_panic() {
    let mut rng = Rng(0xDEAD_BEEF_0BAD_F00D);
    let magics: [&[u8]; 7] =
        [b"%PDF-1.7\n", b"PK\x03\x04", b"\x89PNG\r\n\x1a\n", b"\xFF\xD8\xFF", b"MZ", b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", b""];
    for round in 0..300 {
        let magic = magics[round % magics.len()];
        let mut bytes = magic.to_vec();
        let len = rng.below(2048);
        bytes.extend(rng.bytes(len));
        if round % 3 == 0 {
            bytes.extend_from_slice(b"\n%%EOF\n");
        }
        survive(&format!("random {round}"), &bytes);
    }
}

//! Groups near-duplicate and similar comments of a consultation, so that an
//! official facing 20,000 comments answers a few hundred groups, once each.
//!
//! How: every comment is folded ([`fold`]) and cut into syllable k-shingles
//! (bigrams by default). Texts with the same folded form are exact duplicates
//! and are grouped first. The remaining distinct texts get a MinHash
//! signature of `bands × rows` values; texts whose signatures agree on a whole
//! band land in the same bucket and become candidate pairs. A candidate pair
//! is joined (union-find) when the **exact** Jaccard similarity of the two
//! shingle sets reaches the threshold ([`group`]; pairs whose signatures
//! agree far less than the threshold are rejected before that exact check),
//! or the signature estimate when only stored signatures are at hand
//! ([`group_signatures`]).
//!
//! The default 42 bands × 3 rows (126 hashes) makes a pair a candidate with
//! probability `1 − (1 − s³)⁴²` for Jaccard `s`, the S-curve:
//!
//! | s      | 0.1  | 0.2  | 0.3  | 0.4  | 0.5   | 0.6   | 0.8   |
//! |--------|------|------|------|------|-------|-------|-------|
//! | P(cand)| 0.04 | 0.29 | 0.68 | 0.94 | 0.996 | >0.999| ≈1    |
//!
//! so a pair at the 0.5 threshold is missed once in 270 (and then usually
//! still joined through a third member), while unrelated comments (s ≤ 0.1)
//! rarely cost a verification. 32 × 4 would catch only 87 % at 0.5.
//!
//! Everything is deterministic: fixed hashes (FNV-1a, splitmix64), a fixed
//! seed, no iteration over randomly ordered maps.

use std::collections::{HashMap, HashSet};
use std::hash::BuildHasherDefault;

use serde::{Deserialize, Serialize};

use crate::text::fold;

/// How comments are compared and bucketed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Params {
    /// Minimum Jaccard similarity of the shingle sets for two texts to join.
    pub threshold: f64,
    /// Syllables per shingle (k). Texts of fewer than `2·k` syllables use
    /// single syllables instead, so "đồng ý" still has something to compare.
    pub shingle: usize,
    /// LSH bands; the signature has `bands × rows` values.
    pub bands: usize,
    /// MinHash values per band.
    pub rows: usize,
    /// Seed of the MinHash functions; signatures made with another seed do
    /// not compare.
    pub seed: u64,
}

impl Default for Params {
    fn default() -> Self {
        Params { threshold: 0.5, shingle: 2, bands: 42, rows: 3, seed: 0x6461_6e63_6875_0001 }
    }
}

impl Params {
    fn shingle(&self) -> usize {
        self.shingle.clamp(1, u8::MAX as usize)
    }
    fn bands(&self) -> usize {
        self.bands.max(1)
    }
    fn rows(&self) -> usize {
        self.rows.max(1)
    }
    fn len(&self) -> usize {
        self.bands() * self.rows()
    }
}

/// The result of [`group`]: every input index in exactly one group.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Grouping {
    /// Largest first; equal sizes by their first member.
    pub groups: Vec<Group>,
}

/// Comments that say the same thing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    /// Indices into the input, ascending.
    pub members: Vec<usize>,
    /// The member closest to the group's consensus: the one whose MinHash
    /// signature agrees most often with the most frequent value at each
    /// position (weighted by repeats), ties to the earliest. A campaign text
    /// copied many times is therefore its group's representative.
    pub representative: usize,
    /// Members whose folded text repeats another member's exactly
    /// (members minus distinct folded texts).
    pub exact_duplicates: usize,
}

/// A comment's MinHash signature, to store when the comment is written and
/// regroup later with [`group_signatures`] without the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signature {
    shingle: u8,
    seed: u64,
    exact: u64,
    shingles: u32,
    mins: Vec<u64>,
}

/// Why stored signatures cannot be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum SignatureError {
    #[error("not a similarity signature")]
    Malformed,
    #[error("signature {index} was made with other parameters")]
    Mismatch { index: usize },
}

const MAGIC: [u8; 3] = *b"DS\x01";
const HEADER: usize = 3 + 1 + 8 + 8 + 4 + 4;

impl Signature {
    /// True for a text without any letter or digit.
    pub fn is_empty(&self) -> bool {
        self.shingles == 0
    }

    /// The MinHash values.
    pub fn mins(&self) -> &[u64] {
        &self.mins
    }

    /// Estimated Jaccard similarity: the share of equal MinHash values
    /// (1 for two empty texts, 0 for signatures that do not compare).
    pub fn estimate(&self, other: &Signature) -> f64 {
        if self.is_empty() || other.is_empty() {
            return if self.is_empty() && other.is_empty() { 1.0 } else { 0.0 };
        }
        if !self.compatible(other) {
            return 0.0;
        }
        let same = self.mins.iter().zip(&other.mins).filter(|(a, b)| a == b).count();
        same as f64 / self.mins.len() as f64
    }

    fn compatible(&self, other: &Signature) -> bool {
        self.shingle == other.shingle && self.seed == other.seed && self.mins.len() == other.mins.len()
    }

    fn fits(&self, params: &Params) -> bool {
        usize::from(self.shingle) == params.shingle() && self.seed == params.seed && self.mins.len() == params.len()
    }

    /// Serialises: magic, k, seed, exact-text hash, shingle count, length,
    /// values (little endian). 1,040 bytes with the default parameters.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(HEADER + 8 * self.mins.len());
        out.extend_from_slice(&MAGIC);
        out.push(self.shingle);
        out.extend_from_slice(&self.seed.to_le_bytes());
        out.extend_from_slice(&self.exact.to_le_bytes());
        out.extend_from_slice(&self.shingles.to_le_bytes());
        out.extend_from_slice(&(self.mins.len() as u32).to_le_bytes());
        for m in &self.mins {
            out.extend_from_slice(&m.to_le_bytes());
        }
        out
    }

    /// Reads what [`Signature::to_bytes`] wrote.
    pub fn from_bytes(bytes: &[u8]) -> Result<Signature, SignatureError> {
        if bytes.len() < HEADER || bytes[..3] != MAGIC {
            return Err(SignatureError::Malformed);
        }
        let u64_at = |i: usize| u64::from_le_bytes(bytes[i..i + 8].try_into().expect("8 bytes"));
        let u32_at = |i: usize| u32::from_le_bytes(bytes[i..i + 4].try_into().expect("4 bytes"));
        let shingle = bytes[3];
        let seed = u64_at(4);
        let exact = u64_at(12);
        let shingles = u32_at(20);
        let len = u32_at(24) as usize;
        if shingle == 0 || len == 0 || bytes.len() != HEADER + 8 * len {
            return Err(SignatureError::Malformed);
        }
        let mins = bytes[HEADER..].chunks_exact(8).map(|c| u64::from_le_bytes(c.try_into().expect("8 bytes"))).collect();
        Ok(Signature { shingle, seed, exact, shingles, mins })
    }
}

/// The signature of one comment under `params`.
pub fn signature(text: &str, params: &Params) -> Signature {
    let folded = fold(text);
    let sh = shingles(&folded, params.shingle());
    Signature {
        shingle: params.shingle() as u8,
        seed: params.seed,
        exact: mix(fnv1a(folded.as_bytes())),
        shingles: sh.len().min(u32::MAX as usize) as u32,
        mins: minhash(&sh, &keys(params)),
    }
}

/// Exact Jaccard similarity of the shingle sets of two texts after folding:
/// 1 when both have no words, 0 when only one has none.
pub fn jaccard(a: &str, b: &str, shingle: usize) -> f64 {
    let k = shingle.max(1);
    jaccard_sets(&shingles(&fold(a), k), &shingles(&fold(b), k))
}

/// Groups `texts`. Texts that fold to nothing (empty, blanks, punctuation
/// only) are exact duplicates of each other and form one group.
pub fn group(texts: &[&str], params: &Params) -> Grouping {
    // Exact duplicates first: one entry per distinct folded text.
    let mut index: HashMap<String, usize> = HashMap::new();
    let mut distinct: Vec<String> = Vec::new();
    let mut of: Vec<usize> = Vec::with_capacity(texts.len());
    for t in texts {
        let f = fold(t);
        let next = distinct.len();
        let u = *index.entry(f).or_insert_with_key(|f| {
            distinct.push(f.clone());
            next
        });
        of.push(u);
    }
    drop(index);
    let k = params.shingle();
    let keys = keys(params);
    let sets: Vec<Vec<u64>> = distinct.iter().map(|f| shingles(f, k)).collect();
    let sigs: Vec<Vec<u64>> = sets.iter().map(|s| minhash(s, &keys)).collect();
    let rows: Vec<&[u64]> = sigs.iter().map(Vec::as_slice).collect();
    let eligible: Vec<bool> = sets.iter().map(|s| !s.is_empty()).collect();
    let threshold = params.threshold;
    let floor = threshold - slack(params.len());
    let mut uf =
        link(&rows, &eligible, params, |a, b| agreement(rows[a], rows[b]) >= floor && jaccard_sets(&sets[a], &sets[b]) >= threshold);
    assemble(&of, &rows, &mut uf)
}

/// Groups stored signatures like [`group`], with two differences: exact
/// duplicates are found by a 64-bit hash of the folded text, and candidate
/// pairs are verified by the signature estimate (± 0.05 near 0.5 with 126
/// values) instead of the exact Jaccard. Fails when a signature was made
/// with other parameters: recompute it from the text.
pub fn group_signatures(signatures: &[Signature], params: &Params) -> Result<Grouping, SignatureError> {
    if let Some(index) = signatures.iter().position(|s| !s.fits(params)) {
        return Err(SignatureError::Mismatch { index });
    }
    let mut index: HashMap<(u64, bool), usize> = HashMap::new();
    let mut distinct: Vec<&Signature> = Vec::new();
    let mut of = Vec::with_capacity(signatures.len());
    for s in signatures {
        let next = distinct.len();
        let u = *index.entry((s.exact, s.is_empty())).or_insert_with(|| {
            distinct.push(s);
            next
        });
        of.push(u);
    }
    let rows: Vec<&[u64]> = distinct.iter().map(|s| s.mins.as_slice()).collect();
    let eligible: Vec<bool> = distinct.iter().map(|s| !s.is_empty()).collect();
    let threshold = params.threshold;
    let mut uf = link(&rows, &eligible, params, |a, b| agreement(rows[a], rows[b]) >= threshold);
    Ok(assemble(&of, &rows, &mut uf))
}

// ---------------------------------------------------------------- hashing

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;

fn fnv1a(bytes: &[u8]) -> u64 {
    fnv1a_from(FNV_OFFSET, bytes)
}

fn fnv1a_from(mut h: u64, bytes: &[u8]) -> u64 {
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(FNV_PRIME);
    }
    h
}

/// The splitmix64 finaliser: a fast bijection with good avalanche.
#[inline]
fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// Sorted, distinct shingle hashes of a folded text.
fn shingles(folded: &str, k: usize) -> Vec<u64> {
    let syllables: Vec<&str> = folded.split(' ').filter(|s| !s.is_empty()).collect();
    let k = if syllables.len() < 2 * k { 1 } else { k };
    let mut out: Vec<u64> = syllables
        .windows(k)
        .map(|w| {
            let mut h = FNV_OFFSET;
            for (i, s) in w.iter().enumerate() {
                if i > 0 {
                    h = fnv1a_from(h, b" ");
                }
                h = fnv1a_from(h, s.as_bytes());
            }
            mix(h)
        })
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

fn jaccard_sets(a: &[u64], b: &[u64]) -> f64 {
    if a.is_empty() || b.is_empty() {
        return if a.is_empty() && b.is_empty() { 1.0 } else { 0.0 };
    }
    let (mut i, mut j, mut common) = (0, 0, 0usize);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                common += 1;
                i += 1;
                j += 1;
            }
        }
    }
    common as f64 / (a.len() + b.len() - common) as f64
}

/// The MinHash functions `h ↦ a·h + b mod 2⁶⁴` (a odd), one (a, b) per
/// signature value, derived from the seed by splitmix64.
fn keys(params: &Params) -> Vec<(u64, u64)> {
    (0..params.len() as u64)
        .map(|i| {
            let k = mix(params.seed ^ mix(i.wrapping_add(0x9e37_79b9_7f4a_7c15)));
            (mix(k) | 1, mix(k ^ 0x5555_5555_5555_5555))
        })
        .collect()
}

/// The minimum of each function over the shingle hashes (already mixed, so
/// the affine map only has to reorder them; measured on the test corpus it
/// estimates Jaccard as well as a full mix per value, at half the cost).
/// All `u64::MAX` for no shingles.
fn minhash(shingles: &[u64], keys: &[(u64, u64)]) -> Vec<u64> {
    let mut mins = vec![u64::MAX; keys.len()];
    for &h in shingles {
        for (m, &(a, b)) in mins.iter_mut().zip(keys) {
            *m = (*m).min(a.wrapping_mul(h).wrapping_add(b));
        }
    }
    mins
}

/// Share of equal values of two signatures of the same length.
fn agreement(a: &[u64], b: &[u64]) -> f64 {
    a.iter().zip(b).filter(|(x, y)| x == y).count() as f64 / a.len().max(1) as f64
}

/// Below `threshold − slack(len)` the signature estimate rejects a pair
/// without computing its exact Jaccard: five standard deviations of the
/// estimate at worst (0.22 for 126 values), so a pair at the threshold is
/// lost this way about once in three million.
fn slack(len: usize) -> f64 {
    5.0 * 0.5 / (len.max(1) as f64).sqrt()
}

/// A hasher for the set of rejected pairs (keys are already distinct u64s).
#[derive(Default)]
struct PairHasher(u64);

impl std::hash::Hasher for PairHasher {
    fn finish(&self) -> u64 {
        mix(self.0)
    }
    fn write(&mut self, bytes: &[u8]) {
        self.0 = fnv1a_from(self.0, bytes);
    }
    fn write_u64(&mut self, n: u64) {
        self.0 ^= n;
    }
}

// ------------------------------------------------------------ clustering

/// Members compared with each other inside one bucket: each with the
/// `WINDOW` before it. Keeps a huge bucket linear; near-duplicates share
/// many bands and chain through union-find, so little is lost.
const WINDOW: usize = 64;

struct UnionFind {
    parent: Vec<u32>,
    size: Vec<u32>,
}

impl UnionFind {
    fn new(n: usize) -> Self {
        UnionFind { parent: (0..n as u32).collect(), size: vec![1; n] }
    }

    fn find(&mut self, mut x: u32) -> u32 {
        while self.parent[x as usize] != x {
            let grand = self.parent[self.parent[x as usize] as usize];
            self.parent[x as usize] = grand;
            x = grand;
        }
        x
    }

    fn union(&mut self, a: u32, b: u32) {
        let (a, b) = (self.find(a), self.find(b));
        if a == b {
            return;
        }
        let (big, small) = if self.size[a as usize] >= self.size[b as usize] { (a, b) } else { (b, a) };
        self.parent[small as usize] = big;
        self.size[big as usize] += self.size[small as usize];
    }
}

/// LSH banding over distinct texts; joins verified candidate pairs.
fn link(sigs: &[&[u64]], eligible: &[bool], params: &Params, mut verify: impl FnMut(usize, usize) -> bool) -> UnionFind {
    let n = sigs.len();
    let mut uf = UnionFind::new(n);
    let rows = params.rows();
    let mut bucket: Vec<(u64, u32)> = Vec::with_capacity(n);
    let mut rejected: HashSet<u64, BuildHasherDefault<PairHasher>> = HashSet::default();
    let mut roots: Vec<u32> = Vec::new();
    for band in 0..params.bands() {
        bucket.clear();
        for (u, sig) in sigs.iter().enumerate() {
            if eligible[u] {
                let h = sig[band * rows..(band + 1) * rows].iter().fold(mix(band as u64 + 1), |h, &v| mix(h ^ v));
                bucket.push((h, u as u32));
            }
        }
        bucket.sort_unstable();
        for run in bucket.chunk_by(|x, y| x.0 == y.0) {
            if run.len() < 2 {
                continue;
            }
            // Roots as of the start of the run: equal ones stay equal.
            roots.clear();
            roots.extend(run.iter().map(|&(_, u)| uf.find(u)));
            for i in 1..run.len() {
                let b = run[i].1;
                let from = i.saturating_sub(WINDOW);
                for (&(_, a), &root_a) in run[from..i].iter().zip(&roots[from..i]) {
                    if root_a == roots[i] || uf.find(a) == uf.find(b) {
                        continue;
                    }
                    let pair = (u64::from(a) << 32) | u64::from(b);
                    if rejected.contains(&pair) {
                        continue;
                    }
                    if verify(a as usize, b as usize) {
                        uf.union(a, b);
                    } else {
                        rejected.insert(pair);
                    }
                }
            }
        }
    }
    uf
}

/// Builds the groups from the input → distinct-text map and the union-find.
fn assemble(of: &[usize], sigs: &[&[u64]], uf: &mut UnionFind) -> Grouping {
    // Group ids in order of first appearance; members come out ascending.
    let mut id_of_root: HashMap<u32, usize> = HashMap::new();
    let mut members: Vec<Vec<usize>> = Vec::new();
    for (i, &u) in of.iter().enumerate() {
        let root = uf.find(u as u32);
        let next = members.len();
        let g = *id_of_root.entry(root).or_insert(next);
        if g == next {
            members.push(Vec::new());
        }
        members[g].push(i);
    }
    let mut groups: Vec<Group> = members
        .into_iter()
        .map(|members| {
            // Distinct texts of the group, each with its first index and count.
            let mut counts: Vec<(usize, usize, usize)> = Vec::new(); // (distinct, first, count)
            let mut seen: HashMap<usize, usize> = HashMap::new();
            for &i in &members {
                let u = of[i];
                match seen.get(&u) {
                    Some(&p) => counts[p].2 += 1,
                    None => {
                        seen.insert(u, counts.len());
                        counts.push((u, i, 1));
                    }
                }
            }
            let representative = representative(&counts, sigs);
            let exact_duplicates = members.len() - counts.len();
            Group { members, representative, exact_duplicates }
        })
        .collect();
    groups.sort_by(|a, b| b.members.len().cmp(&a.members.len()).then(a.members[0].cmp(&b.members[0])));
    Grouping { groups }
}

/// The first index of the distinct text agreeing most with the weighted
/// per-position mode of the group's signatures; ties to the earliest.
fn representative(counts: &[(usize, usize, usize)], sigs: &[&[u64]]) -> usize {
    if counts.len() == 1 {
        return counts[0].1;
    }
    let members: Vec<(&[u64], usize)> = counts.iter().map(|&(u, _, count)| (sigs[u], count)).collect();
    let mut score = vec![0usize; counts.len()];
    let mut column: Vec<(u64, usize, usize)> = Vec::with_capacity(counts.len()); // (value, count, slot)
    for p in 0..members[0].0.len() {
        column.clear();
        column.extend(members.iter().enumerate().map(|(slot, &(sig, count))| (sig[p], count, slot)));
        column.sort_unstable();
        // The heaviest value at this position; ties to the smallest value.
        let mut best = (0usize, 0u64);
        for run in column.chunk_by(|x, y| x.0 == y.0) {
            let weight: usize = run.iter().map(|x| x.1).sum();
            if weight > best.0 {
                best = (weight, run[0].0);
            }
        }
        for &(v, _, slot) in &column {
            if v == best.1 {
                score[slot] += 1;
            }
        }
    }
    let best = (0..counts.len()).max_by(|&a, &b| score[a].cmp(&score[b]).then(counts[b].1.cmp(&counts[a].1))).expect("non-empty group");
    counts[best].1
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p() -> Params {
        Params::default()
    }

    fn same_group(g: &Grouping, a: usize, b: usize) -> bool {
        g.groups.iter().any(|gr| gr.members.contains(&a) && gr.members.contains(&b))
    }

    fn check_partition(g: &Grouping, n: usize) {
        let mut seen = vec![false; n];
        for gr in &g.groups {
            assert!(!gr.members.is_empty());
            assert!(gr.members.windows(2).all(|w| w[0] < w[1]), "members sorted");
            assert!(gr.members.contains(&gr.representative));
            assert!(gr.exact_duplicates < gr.members.len());
            for &m in &gr.members {
                assert!(!seen[m], "index {m} twice");
                seen[m] = true;
            }
        }
        assert!(seen.iter().all(|&s| s), "every index grouped");
        assert!(g
            .groups
            .windows(2)
            .all(|w| (w[0].members.len(), std::cmp::Reverse(w[0].members[0])) >= (w[1].members.len(), std::cmp::Reverse(w[1].members[0]))));
    }

    #[test]
    fn similar_folding_makes_exact_duplicates() {
        let texts = ["Đồng ý với dự thảo!", "dong y voi du thao", "ĐỒNG Ý, với dự thảo.", "Phản đối việc thu phí"];
        let g = group(&texts, &p());
        check_partition(&g, texts.len());
        assert_eq!(g.groups.len(), 2);
        assert_eq!(g.groups[0].members, vec![0, 1, 2]);
        assert_eq!(g.groups[0].exact_duplicates, 2);
        assert_eq!(g.groups[0].representative, 0);
        assert_eq!(g.groups[1].members, vec![3]);
        assert_eq!(jaccard("Đồng ý với dự thảo!", "dong y voi du thao", 2), 1.0);
    }

    #[test]
    fn similar_one_word_changed_in_twenty() {
        let a = "Tôi đề nghị ban soạn thảo bổ sung quy định về việc công khai danh sách hộ nghèo tại nhà văn hóa thôn";
        let b = "Tôi đề nghị ban soạn thảo bổ sung quy định về việc niêm yết danh sách hộ nghèo tại nhà văn hóa thôn";
        assert_eq!(fold(a).split(' ').count(), 23);
        let j = jaccard(a, b, 2);
        assert!(j > 0.75 && j < 1.0, "{j}");
        let c = "Đường liên xã bị xuống cấp nghiêm trọng, mùa mưa xe máy không đi được, đề nghị xã sớm sửa chữa";
        let g = group(&[a, c, b], &p());
        check_partition(&g, 3);
        assert!(same_group(&g, 0, 2));
        assert!(!same_group(&g, 0, 1));
        assert_eq!(g.groups[0].exact_duplicates, 0);
    }

    #[test]
    fn similar_unrelated_comments_stay_apart() {
        let texts = [
            "Đề nghị làm rõ thời hạn nộp hồ sơ xin hỗ trợ",
            "Mức thu phí vệ sinh như dự thảo là quá cao so với thu nhập của người dân",
            "Cần bố trí thêm đèn chiếu sáng ở ngõ 5 vì buổi tối rất tối",
            "Tôi đồng ý",
            "Không đồng ý",
            "Ý kiến khác",
        ];
        let g = group(&texts, &p());
        check_partition(&g, texts.len());
        // "Tôi đồng ý" and "Không đồng ý" share 2 of 4 syllables: Jaccard 0.5.
        assert_eq!(jaccard("Tôi đồng ý", "Không đồng ý", 2), 0.5);
        assert!(same_group(&g, 3, 4));
        assert_eq!(g.groups.len(), 5);
        let strict = Params { threshold: 0.6, ..p() };
        assert_eq!(group(&texts, &strict).groups.len(), 6);
    }

    #[test]
    fn similar_short_texts_use_single_syllables() {
        assert_eq!(jaccard("đồng ý", "Đồng ý.", 2), 1.0);
        assert!((jaccard("đồng ý", "tôi đồng ý", 2) - 2.0 / 3.0).abs() < 1e-12);
        // Four syllables are cut into bigrams.
        assert!((jaccard("a b c d", "a b c e", 2) - 0.5).abs() < 1e-12);
        assert!((jaccard("a b c d", "a b c e", 1) - 0.6).abs() < 1e-12);
    }

    #[test]
    fn similar_empty_and_blank_texts_form_one_group() {
        let texts = ["", "   ", "Góp ý về dự thảo", "!!! ...", "\n\t"];
        let g = group(&texts, &p());
        check_partition(&g, texts.len());
        assert_eq!(g.groups[0].members, vec![0, 1, 3, 4]);
        assert_eq!(g.groups[0].exact_duplicates, 3);
        assert_eq!(g.groups[1].members, vec![2]);
        assert_eq!(jaccard("", " ", 2), 1.0);
        assert_eq!(jaccard("", "có chữ", 2), 0.0);
        assert_eq!(group(&[], &p()), Grouping::default());
        assert_eq!(group(&[""], &p()).groups.len(), 1);
    }

    #[test]
    fn similar_one_text() {
        let g = group(&["Chỉ một ý kiến"], &p());
        assert_eq!(g.groups, vec![Group { members: vec![0], representative: 0, exact_duplicates: 0 }]);
    }

    #[test]
    fn similar_odd_params_do_not_panic() {
        let texts = ["một hai ba bốn năm", "một hai ba bốn sáu", ""];
        for params in [
            Params { shingle: 0, bands: 0, rows: 0, ..p() },
            Params { shingle: 9, bands: 1, rows: 1, threshold: 0.0, seed: 0 },
            Params { threshold: 1.0, ..p() },
        ] {
            check_partition(&group(&texts, &params), texts.len());
        }
    }

    #[test]
    fn similar_signature_round_trip_and_regroup() {
        let texts = [
            "Đồng ý với dự thảo!",
            "Tôi đề nghị ban soạn thảo bổ sung quy định về việc công khai danh sách hộ nghèo tại nhà văn hóa thôn",
            "dong y voi du thao",
            "Tôi đề nghị ban soạn thảo bổ sung quy định về việc niêm yết danh sách hộ nghèo tại nhà văn hóa thôn",
            "",
            "Mức thu phí vệ sinh như dự thảo là quá cao so với thu nhập của người dân",
            " ",
        ];
        let params = p();
        let sigs: Vec<Signature> = texts.iter().map(|t| signature(t, &params)).collect();
        for s in &sigs {
            let bytes = s.to_bytes();
            assert_eq!(bytes.len(), 28 + 8 * 126);
            assert_eq!(&Signature::from_bytes(&bytes).unwrap(), s);
        }
        assert!(sigs[4].is_empty() && !sigs[0].is_empty());
        assert_eq!(sigs[0].estimate(&sigs[2]), 1.0);
        let est = sigs[1].estimate(&sigs[3]);
        assert!((est - jaccard(texts[1], texts[3], 2)).abs() < 0.2, "{est}");
        let stored = group_signatures(&sigs, &params).unwrap();
        check_partition(&stored, texts.len());
        assert_eq!(stored, group(&texts, &params));

        assert_eq!(Signature::from_bytes(b"nonsense"), Err(SignatureError::Malformed));
        let mut bytes = sigs[0].to_bytes();
        bytes.pop();
        assert_eq!(Signature::from_bytes(&bytes), Err(SignatureError::Malformed));
        let other = Params { seed: 7, ..params.clone() };
        let mixed = vec![sigs[0].clone(), signature("x", &other)];
        assert_eq!(group_signatures(&mixed, &params), Err(SignatureError::Mismatch { index: 1 }));
        assert_eq!(signature("Đồng ý", &other).estimate(&sigs[0]), 0.0);
    }

    #[test]
    fn similar_representative_is_the_consensus() {
        let base = "đề nghị giữ nguyên mức hỗ trợ cho hộ cận nghèo như năm trước và công khai danh sách";
        let texts = [
            "Đề nghị giữ nguyên mức hỗ trợ cho hộ cận nghèo như năm trước, và công khai danh sách ạ thưa",
            base,
            "đề nghị giữ nguyên mức hỗ trợ cho hộ nghèo như năm trước và công khai danh sách",
            base,
            "de nghi giu nguyen muc ho tro cho ho can ngheo nhu nam truoc va cong khai danh sach",
        ];
        let g = group(&texts, &p());
        assert_eq!(g.groups.len(), 1);
        assert_eq!(g.groups[0].representative, 1);
        assert_eq!(g.groups[0].exact_duplicates, 2);
    }

    // ----------------------------------------------------- planted corpus

    struct Rng(u64);
    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
            mix(self.0)
        }
        fn below(&mut self, n: usize) -> usize {
            (self.next() % n as u64) as usize
        }
        /// A random item of a `|`-separated list.
        fn pick(&mut self, list: &'static str) -> &'static str {
            let n = list.split('|').count();
            list.split('|').nth(self.below(n)).expect("in range")
        }
    }

    const OPENERS: &str = concat!(
        "Tôi đề nghị|Chúng tôi kiến nghị|Đề nghị ban soạn thảo|Theo tôi thì|Gia đình tôi mong|",
        "Kính gửi ủy ban xã|Tôi không đồng ý vì|Tôi đồng ý nhưng",
    );
    const PHRASES: &str = concat!(
        "dự thảo|người dân|ủy ban nhân dân|hộ nghèo|cận nghèo|mức thu phí|vệ sinh môi trường|đường liên thôn|",
        "nhà văn hóa|công khai minh bạch|danh sách|thời hạn|hồ sơ|hỗ trợ|trường mầm non|trạm y tế|",
        "điện chiếu sáng|nước sạch|thu gom rác|đất nông nghiệp|bồi thường|giải phóng mặt bằng|quy hoạch|",
        "ngân sách xã|đóng góp|tự nguyện|bắt buộc|người cao tuổi|trẻ em|thanh niên|hội phụ nữ|",
        "mặt trận tổ quốc|trưởng thôn|cán bộ xã|lấy ý kiến|họp thôn|biên bản|niêm yết|loa phát thanh|",
        "mạng xã hội|quá cao|hợp lý|chưa rõ ràng|cần bổ sung|cần sửa đổi|nên bỏ|giữ nguyên|tăng thêm|",
        "giảm bớt|mỗi tháng|mỗi năm|từ năm sau|ngay lập tức|theo quy định|của pháp luật|cho bà con|ở khu vực|",
        "gần chợ|ven sông|trên đồi|cầu tạm|mùa mưa|ngập úng|sạt lở|kênh mương|thủy lợi|giống lúa|chăn nuôi|",
        "dịch bệnh|tiêm phòng|bảo hiểm y tế|học phí|sách giáo khoa|xe đưa đón|an ninh trật tự|camera|",
        "trộm cắp|tiếng ồn",
    );
    const SYLLABLES: &str = concat!(
        "và|của|cho|là|có|không|được|những|các|một|rất|cũng|đã|sẽ|vì|nên|thì|mà|với|tại|trong|ngoài|trên|",
        "dưới|sau|trước|khi|nhiều|ít|lớn|nhỏ|mới|cũ|xa|gần|nhanh|chậm|tốt|xấu|đúng|sai|bà|con|ông|anh|chị|em|",
        "cháu|xóm|làng|bản|ấp|phố|chợ|sông|núi|ruộng|vườn|ao|hồ|cầu|cống|đê|kè|lúa|ngô|sắn|chè|cà|phê|tiêu|",
        "điều|mía|lợn|gà|vịt|trâu|bò|cá|tôm",
    );

    fn base_comment(rng: &mut Rng) -> Vec<String> {
        let target = 20 + rng.below(61);
        let mut words: Vec<String> = rng.pick(OPENERS).split(' ').map(str::to_string).collect();
        while words.len() < target {
            if rng.below(2) == 0 {
                words.extend(rng.pick(PHRASES).split(' ').map(str::to_string));
            } else {
                words.push(rng.pick(SYLLABLES).to_string());
            }
        }
        words.truncate(target);
        words
    }

    fn strip_marks(s: &str) -> String {
        use unicode_normalization::char::is_combining_mark;
        use unicode_normalization::UnicodeNormalization;
        s.nfd()
            .filter(|c| !is_combining_mark(*c))
            .map(|c| {
                if c == 'đ' {
                    'd'
                } else if c == 'Đ' {
                    'D'
                } else {
                    c
                }
            })
            .collect()
    }

    fn variant(base: &[String], rng: &mut Rng) -> String {
        let mut w = base.to_vec();
        for _ in 0..rng.below(3) {
            let i = rng.below(w.len());
            match rng.below(3) {
                0 => w.insert(i, rng.pick(SYLLABLES).to_string()),
                1 if w.len() > 2 => {
                    w.remove(i);
                }
                _ => w[i] = rng.pick(SYLLABLES).to_string(),
            }
        }
        let mut s = w.join(" ");
        match rng.below(6) {
            0 => s = s.to_uppercase(),
            1 => s = strip_marks(&s),
            2 => s = format!("{s}."),
            3 => s = s.replacen(' ', ", ", 1),
            _ => {}
        }
        s
    }

    /// (texts, base of each text)
    fn planted(bases: usize, n: usize, seed: u64) -> (Vec<String>, Vec<usize>) {
        let mut rng = Rng(seed);
        let base: Vec<Vec<String>> = (0..bases).map(|_| base_comment(&mut rng)).collect();
        let mut labels: Vec<usize> = (0..n).map(|i| i % bases).collect();
        for i in (1..n).rev() {
            let j = rng.below(i + 1);
            labels.swap(i, j);
        }
        let texts = labels.iter().map(|&b| variant(&base[b], &mut rng)).collect();
        (texts, labels)
    }

    fn purity(g: &Grouping, labels: &[usize]) -> f64 {
        let mut agree = 0;
        for gr in &g.groups {
            let mut count: HashMap<usize, usize> = HashMap::new();
            for &m in &gr.members {
                *count.entry(labels[m]).or_default() += 1;
            }
            agree += count.values().max().copied().unwrap_or(0);
        }
        agree as f64 / labels.len() as f64
    }

    #[test]
    fn similar_planted_corpus_is_recovered() {
        let (texts, labels) = planted(300, 20_000, 42);
        let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
        let g = group(&refs, &p());
        check_partition(&g, refs.len());
        let purity = purity(&g, &labels);
        let singletons = g.groups.iter().filter(|gr| gr.members.len() == 1).count();
        eprintln!("{} groups ({singletons} singletons), purity {purity:.4}", g.groups.len());
        assert!((280..=330).contains(&g.groups.len()), "{} groups", g.groups.len());
        assert!(purity >= 0.95, "purity {purity}");
        // Each representative is a text of its group's majority base.
        for gr in &g.groups {
            let mut count: HashMap<usize, usize> = HashMap::new();
            for &m in &gr.members {
                *count.entry(labels[m]).or_default() += 1;
            }
            assert_eq!(count[&labels[gr.representative]], *count.values().max().unwrap());
        }
    }

    #[test]
    fn similar_is_deterministic() {
        let (texts, _) = planted(40, 1_500, 7);
        let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
        let a = group(&refs, &p());
        let b = group(&refs, &p());
        assert_eq!(a, b);
        assert_eq!(signature(refs[0], &p()), signature(refs[0], &p()));
        // Pinned: a change here changes every stored signature.
        assert_eq!(signature("Đồng ý", &p()).mins()[0], signature("dong y", &p()).mins()[0]);
        assert_eq!(fnv1a(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(signature("dong y", &p()).mins()[0], 0x47b4_2845_b8ba_954a);
    }

    /// `cargo test -p danchu-domain --release similar_performance -- --nocapture`
    #[test]
    fn similar_performance() {
        // Debug builds are ~20× slower: a tenth of the corpus, same bound.
        let n = if cfg!(debug_assertions) { 2_000 } else { 20_000 };
        let (texts, _) = planted(n / 66, n, 3);
        let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
        let start = std::time::Instant::now();
        let g = group(&refs, &p());
        let took = start.elapsed();
        eprintln!("grouped {n} comments into {} groups in {took:?}", g.groups.len());
        assert!(took.as_secs_f64() < 5.0, "{took:?}");
    }
}

//! Opinion groups: what Pol.is does, built in (issue 4, item 4).
//!
//! Participants mark short statements agree (+1), disagree (−1) or pass (0);
//! most see only some statements. From that sparse participant × statement
//! matrix [`compute`] derives:
//!
//! 1. a 2-D **opinion map**: PCA of the vote matrix, missing votes imputed by
//!    the statement's mean (so they sit at 0 after centring), each
//!    participant's coordinates scaled by `sqrt(n_statements / n_voted)` so
//!    sparse voters are not all piled in the middle (both as Pol.is does);
//! 2. **groups**: k-means (k-means++ start, seeded) on the projections of the
//!    participants with at least [`Params::min_votes`] votes, for
//!    k = 2..=[`Params::max_groups`], k chosen by silhouette. Clustering
//!    happens in the same plane that the map draws (by default), so the groups
//!    people see are the groups that were computed. k-means splits any crowd,
//!    so a split is reported only if its silhouette clearly beats the same
//!    split of two crowds without groups ([`Params::null_margin`]): a
//!    Gaussian of the same spread, and the same people with each statement's
//!    votes shuffled among them. Otherwise everyone is one group. Everyone's
//!    votes shape the map, including those too few to be grouped;
//! 3. **representative statements** per group (Pol.is "repness") and
//! 4. **consensus statements** across all groups;
//! 5. [`svg_map`] draws the map as a small, accessible, self-contained SVG.
//!
//! Everything is deterministic: the same votes and [`Params`] give the same
//! [`Analysis`], bit for bit, on the same platform. Memory is five bytes per
//! participant × statement cell plus an `n_statements²` covariance matrix; the
//! cost is dominated by forming that matrix (`n_participants × n_statements² / 2`
//! multiply-adds). 10,000 participants × 500 statements take well under a
//! second in release.

use serde::{Deserialize, Serialize};
use std::fmt::Write as _;

/// Most groups ever reported (the palette and shapes of the map have six).
pub const MAX_GROUPS: usize = 6;
/// Most participant dots drawn by [`svg_map`]; more are sampled.
pub const MAX_MAP_DOTS: usize = 2000;

/// One participant's vote on one statement. Indices are dense (0-based).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Vote {
    pub participant: u32,
    pub statement: u32,
    /// Agree > 0, disagree < 0, pass = 0 (only the sign counts).
    pub value: i8,
}

/// Tuning of [`compute`]. [`Params::default`] is what the app uses.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Params {
    /// Largest number of groups tried (2..=[`MAX_GROUPS`]); default 5 as Pol.is.
    pub max_groups: usize,
    /// Votes (passes included) a participant needs to help form groups;
    /// default 7 as Pol.is, lowered to `n_statements` for short conversations.
    /// Others are still placed on the map but belong to no group.
    pub min_votes: usize,
    /// Smallest group size allowed. A grouping with a smaller group is
    /// rejected: tiny groups say little and their representative statements
    /// would reveal how a few people voted.
    pub min_group_size: usize,
    /// Smallest silhouette (−1..1) for a split into groups to be reported.
    pub min_silhouette: f64,
    /// How much the silhouette must beat that of the same k on a crowd
    /// without groups (see [`KScore::reference`]); k-means "finds" groups in
    /// any crowd (silhouette about 0.3–0.5), so a fixed floor cannot tell.
    pub null_margin: f64,
    /// Principal components used for clustering (2..=[`MAX_GROUPS`] − 1).
    /// 2 keeps the map truthful; 3–4 separates more groups whose patterns
    /// are all equally far apart, at the price of groups overlapping on the map.
    pub dims: usize,
    /// Share (with the +1/+2 prior) every group must reach for consensus.
    pub consensus_threshold: f64,
    /// Votes each group must have cast on a statement for consensus.
    pub consensus_min_seen: u32,
    /// One-sided z a representative statement must exceed (1.645 ≈ 95 %
    /// one-sided, 90 % two-sided).
    pub z_min: f64,
    /// Most representative statements kept per group.
    pub max_representative: usize,
    /// Seed of the deterministic random generator.
    pub seed: u64,
    /// Above this many participants the silhouette is estimated on a fixed
    /// random sample of this size (exact silhouette is quadratic).
    pub sample_for_silhouette: usize,
}

impl Default for Params {
    fn default() -> Self {
        Params {
            max_groups: 5,
            min_votes: 7,
            min_group_size: 5,
            min_silhouette: 0.25,
            null_margin: 0.1,
            dims: 2,
            consensus_threshold: 0.6,
            consensus_min_seen: 5,
            z_min: 1.645,
            max_representative: 5,
            seed: 0x6461_6e63_6875,
            sample_for_silhouette: 2000,
        }
    }
}

/// Votes of one kind counted together.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    pub agree: u32,
    pub disagree: u32,
    pub pass: u32,
}

impl Counts {
    /// Votes cast (passes included).
    pub fn seen(&self) -> u32 {
        self.agree + self.disagree + self.pass
    }

    fn add(&mut self, value: i8) {
        match value {
            1 => self.agree += 1,
            -1 => self.disagree += 1,
            _ => self.pass += 1,
        }
    }

    fn get(&self, direction: Direction) -> u32 {
        match direction {
            Direction::Agree => self.agree,
            Direction::Disagree => self.disagree,
        }
    }
}

/// Which way a group (or everyone) leans on a statement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    Agree,
    Disagree,
}

/// An opinion group. Groups are numbered by size, largest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Group {
    /// 0-based; shown as a letter by [`group_letter`].
    pub id: u8,
    /// Participants, ascending.
    pub members: Vec<u32>,
    /// Mean of the members' map coordinates.
    pub centroid: (f64, f64),
}

/// A statement that sets a group apart from the others.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Repness {
    pub statement: u32,
    pub direction: Direction,
    /// Share of the group voting `direction`, with a +1/+2 prior.
    pub group_share: f64,
    /// The same share among the other groups' members.
    pub rest_share: f64,
    /// `group_share / rest_share`.
    pub ratio: f64,
    /// Two-proportion z of group against rest.
    pub z: f64,
    /// `ratio × group_share`, the ranking key.
    pub score: f64,
    /// The group's own votes on the statement.
    pub votes: Counts,
}

/// A statement every group leans the same way on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Consensus {
    pub statement: u32,
    pub direction: Direction,
    /// Product of the groups' shares (with prior), the ranking key.
    pub score: f64,
    /// The lowest group share.
    pub min_share: f64,
    /// Votes of all grouped participants on the statement.
    pub votes: Counts,
}

/// Vote counts of one statement, overall and per group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StatementStats {
    pub statement: u32,
    /// All participants, grouped or not.
    pub agree: u32,
    pub disagree: u32,
    pub pass: u32,
    /// Indexed by group id.
    pub per_group: Vec<Counts>,
}

/// Silhouette of the best k-means split into `k` groups, and of the same
/// split of crowds without groups.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KScore {
    pub k: u8,
    /// Of the data (on a sample above [`Params::sample_for_silhouette`]).
    pub silhouette: f64,
    /// The higher of two crowds without groups: a Gaussian with the data's
    /// mean and per-axis spread (a mere continuum of opinion), and a sample
    /// of the participants with each statement's votes shuffled among those
    /// who voted on it (the lumps that few statements make in any crowd).
    pub reference: f64,
}

/// Everything [`compute`] finds. All numbers are finite.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Analysis {
    pub n_participants: usize,
    pub n_statements: usize,
    /// Largest first; empty when nobody has enough votes; one group when no
    /// clear split exists.
    pub groups: Vec<Group>,
    /// Group of each participant; `None` for those with too few votes.
    pub assignment: Vec<Option<u8>>,
    /// Map coordinates of each participant ((0, 0) for those with no vote).
    pub projection: Vec<(f64, f64)>,
    /// Votes (passes included) of each participant.
    pub votes_cast: Vec<u32>,
    /// Share of the vote variance shown by the map's two axes.
    pub explained: (f64, f64),
    /// Silhouette of the reported split (0 for a single group).
    pub silhouette: f64,
    /// Every k tried whose groups were all large enough.
    pub k_scores: Vec<KScore>,
    /// Per group, best first; empty with a single group (no "rest").
    pub representative: Vec<Vec<Repness>>,
    /// Best first.
    pub consensus: Vec<Consensus>,
    pub per_statement: Vec<StatementStats>,
    /// Votes naming a participant or statement out of range (dropped).
    pub ignored_votes: usize,
}

/// The letter of a group: 0 → 'A', 1 → 'B', …
pub fn group_letter(id: u8) -> char {
    char::from(b'A' + id.min(25))
}

const MISSING: i8 = i8::MIN;

/// Computes the opinion map, groups, representative and consensus
/// statements. Later duplicate votes replace earlier ones; votes outside
/// `n_participants × n_statements` are dropped and counted.
pub fn compute(n_participants: usize, n_statements: usize, votes: &[Vote], params: &Params) -> Analysis {
    let (p, s) = (n_participants, n_statements);
    let mut matrix = vec![MISSING; p * s];
    let mut ignored_votes = 0;
    for v in votes {
        let (i, j) = (v.participant as usize, v.statement as usize);
        if i < p && j < s {
            matrix[i * s + j] = v.value.signum();
        } else {
            ignored_votes += 1;
        }
    }
    let dims = params.dims.clamp(2, MAX_GROUPS - 1);
    let mut rng = SplitMix64::new(params.seed);
    let Pca { coords, votes_cast, values, trace } = pca(&matrix, p, s, dims, &mut rng);
    let explained = if trace > 0.0 { ((values[0] / trace).clamp(0.0, 1.0), (values[1] / trace).clamp(0.0, 1.0)) } else { (0.0, 0.0) };
    let projection: Vec<(f64, f64)> = coords.chunks_exact(dims).map(|c| (c[0], c[1])).collect();

    // Who forms the groups.
    let min_votes = params.min_votes.min(s).max(1) as u32;
    let eligible: Vec<usize> = (0..p).filter(|&i| votes_cast[i] >= min_votes).collect();
    let points: Vec<f64> = eligible.iter().flat_map(|&i| coords[i * dims..(i + 1) * dims].iter().copied()).collect();
    let shuffled_null = |sample: &[usize], rng: &mut SplitMix64| {
        let rows: Vec<usize> = sample.iter().map(|&k| eligible[k]).collect();
        let shuffled = shuffle_columns(&matrix, s, &rows, rng);
        pca(&shuffled, rows.len(), s, dims, rng).coords
    };
    let (labels, k, silhouette, k_scores) = choose_groups(&points, dims, params, &mut rng, shuffled_null);

    // Relabel: largest group first, ties by centroid then old label.
    let mut order: Vec<(usize, (f64, f64), u8)> = (0..k)
        .map(|g| {
            let members: Vec<usize> = eligible.iter().zip(&labels).filter(|(_, &l)| usize::from(l) == g).map(|(&i, _)| i).collect();
            (members.len(), centroid(&members, &projection), g as u8)
        })
        .collect();
    order.sort_by(|a, b| b.0.cmp(&a.0).then(a.1 .0.total_cmp(&b.1 .0)).then(a.1 .1.total_cmp(&b.1 .1)).then(a.2.cmp(&b.2)));
    let mut new_id = [0u8; MAX_GROUPS];
    for (new, &(_, _, old)) in order.iter().enumerate() {
        new_id[usize::from(old)] = new as u8;
    }
    let mut assignment = vec![None; p];
    for (&i, &l) in eligible.iter().zip(&labels) {
        assignment[i] = Some(new_id[usize::from(l)]);
    }
    let groups: Vec<Group> = order
        .iter()
        .enumerate()
        .map(|(new, &(_, c, _))| Group {
            id: new as u8,
            members: (0..p).filter(|&i| assignment[i] == Some(new as u8)).map(|i| i as u32).collect(),
            centroid: c,
        })
        .collect();

    // Vote counts, overall and per group.
    let g = groups.len();
    let mut per_statement: Vec<StatementStats> = (0..s)
        .map(|j| StatementStats { statement: j as u32, agree: 0, disagree: 0, pass: 0, per_group: vec![Counts::default(); g] })
        .collect();
    for i in 0..p {
        if votes_cast[i] == 0 {
            continue;
        }
        let row = &matrix[i * s..(i + 1) * s];
        for (st, &v) in per_statement.iter_mut().zip(row) {
            if v == MISSING {
                continue;
            }
            match v {
                1 => st.agree += 1,
                -1 => st.disagree += 1,
                _ => st.pass += 1,
            }
            if let Some(a) = assignment[i] {
                st.per_group[usize::from(a)].add(v);
            }
        }
    }

    let representative =
        if g >= 2 { (0..g).map(|gi| representative_for(gi, &per_statement, params)).collect() } else { vec![Vec::new(); g] };
    let consensus = consensus(&per_statement, g, params);

    Analysis {
        n_participants: p,
        n_statements: s,
        groups,
        assignment,
        projection,
        votes_cast,
        explained,
        silhouette,
        k_scores,
        representative,
        consensus,
        per_statement,
        ignored_votes,
    }
}

fn centroid(members: &[usize], projection: &[(f64, f64)]) -> (f64, f64) {
    if members.is_empty() {
        return (0.0, 0.0);
    }
    let n = members.len() as f64;
    let (x, y) = members.iter().fold((0.0, 0.0), |(x, y), &i| (x + projection[i].0, y + projection[i].1));
    (x / n, y / n)
}

// ---------------------------------------------------------------------------
// PCA
// ---------------------------------------------------------------------------

struct Pca {
    /// `dims` coordinates per row, row-major; 0 for rows without votes.
    coords: Vec<f64>,
    votes_cast: Vec<u32>,
    /// Eigenvalues of the components.
    values: Vec<f64>,
    /// Total variance (sum of all eigenvalues).
    trace: f64,
}

/// PCA of a `p × s` vote matrix: missing votes take the statement's mean
/// (0 after centring), coordinates are scaled by `sqrt(s / votes cast)`.
fn pca(matrix: &[i8], p: usize, s: usize, dims: usize, rng: &mut SplitMix64) -> Pca {
    let row = |i: usize| &matrix[i * s..(i + 1) * s];
    let votes_cast: Vec<u32> = (0..p).map(|i| row(i).iter().filter(|&&v| v != MISSING).count() as u32).collect();
    let mut mean = vec![0.0; s];
    let mut seen = vec![0u32; s];
    for i in 0..p {
        for ((m, c), &v) in mean.iter_mut().zip(seen.iter_mut()).zip(row(i)) {
            if v != MISSING {
                *m += f64::from(v);
                *c += 1;
            }
        }
    }
    for (m, &c) in mean.iter_mut().zip(&seen) {
        *m = if c > 0 { *m / f64::from(c) } else { 0.0 };
    }
    // Centred rows of the voters, f32 to halve the memory traffic (the
    // values are -2..2; f32 loses nothing that matters for a map).
    let voters: Vec<usize> = (0..p).filter(|&i| votes_cast[i] > 0).collect();
    let mut x = vec![0.0f32; voters.len() * s];
    for (xr, &i) in x.chunks_exact_mut(s.max(1)).zip(&voters) {
        for ((o, &v), &m) in xr.iter_mut().zip(row(i)).zip(&mean) {
            if v != MISSING {
                *o = (f64::from(v) - m) as f32;
            }
        }
    }
    let cov = covariance(&x, s);
    let trace: f64 = (0..s).map(|j| cov[j * s + j]).sum();
    let (components, values) = top_components(&cov, s, dims, rng);
    let mut coords = vec![0.0; p * dims];
    for (xr, &i) in x.chunks_exact(s.max(1)).zip(&voters) {
        let scale = (s as f64 / f64::from(votes_cast[i])).sqrt();
        for (d, comp) in components.iter().enumerate() {
            coords[i * dims + d] = dot_f32(xr, comp) * scale;
        }
    }
    Pca { coords, votes_cast, values, trace }
}

/// `XᵀX` of the centred rows `x` (`s` per row), `s × s`. Cache-blocked: a
/// chunk of rows stays in L2 while bands of the output, accumulated in f32
/// and flushed into f64 after each chunk, stay in L1; four rows at a time
/// per output pass.
fn covariance(x: &[f32], s: usize) -> Vec<f64> {
    const CHUNK: usize = 256;
    const BAND: usize = 8;
    let mut c = vec![0.0f64; s * s];
    if s == 0 {
        return c;
    }
    let zero = vec![0.0f32; s];
    let mut tile = vec![0.0f32; BAND * s];
    for chunk in x.chunks(CHUNK * s) {
        let rows = chunk.len() / s;
        for jb in (0..s).step_by(BAND) {
            let je = (jb + BAND).min(s);
            tile.fill(0.0);
            for r in (0..rows).step_by(4) {
                let row = |t: usize| if r + t < rows { &chunk[(r + t) * s..(r + t + 1) * s] } else { &zero[..] };
                let (x0, x1, x2, x3) = (row(0), row(1), row(2), row(3));
                for j in jb..je {
                    let (a0, a1, a2, a3) = (x0[j], x1[j], x2[j], x3[j]);
                    if a0 == 0.0 && a1 == 0.0 && a2 == 0.0 && a3 == 0.0 {
                        continue;
                    }
                    let out = &mut tile[(j - jb) * s + j..(j - jb + 1) * s];
                    for ((((o, &y0), &y1), &y2), &y3) in out.iter_mut().zip(&x0[j..]).zip(&x1[j..]).zip(&x2[j..]).zip(&x3[j..]) {
                        *o += a0 * y0 + a1 * y1 + a2 * y2 + a3 * y3;
                    }
                }
            }
            for j in jb..je {
                for (o, &t) in c[j * s + j..(j + 1) * s].iter_mut().zip(&tile[(j - jb) * s + j..(j - jb + 1) * s]) {
                    *o += f64::from(t);
                }
            }
        }
    }
    for j in 0..s {
        for k in 0..j {
            c[j * s + k] = c[k * s + j];
        }
    }
    c
}

/// Dot product in four lanes, so it vectorises without reassociating.
fn dot(a: &[f64], b: &[f64]) -> f64 {
    let mut acc = [0.0; 4];
    let (ca, cb) = (a.chunks_exact(4), b.chunks_exact(4));
    let tail: f64 = ca.remainder().iter().zip(cb.remainder()).map(|(x, y)| x * y).sum();
    for (x, y) in ca.zip(cb) {
        for l in 0..4 {
            acc[l] += x[l] * y[l];
        }
    }
    (acc[0] + acc[1]) + (acc[2] + acc[3]) + tail
}

fn dot_f32(a: &[f32], b: &[f64]) -> f64 {
    let mut acc = [0.0; 4];
    let (ca, cb) = (a.chunks_exact(4), b.chunks_exact(4));
    let tail: f64 = ca.remainder().iter().zip(cb.remainder()).map(|(&x, y)| f64::from(x) * y).sum();
    for (x, y) in ca.zip(cb) {
        for l in 0..4 {
            acc[l] += f64::from(x[l]) * y[l];
        }
    }
    (acc[0] + acc[1]) + (acc[2] + acc[3]) + tail
}

/// The rows `rows` of `matrix`, each statement's votes shuffled among the
/// rows that voted on it: same statements' marginals and same people's
/// participation, but no link between a person's votes. A crowd without
/// opinion groups, for comparison.
fn shuffle_columns(matrix: &[i8], s: usize, rows: &[usize], rng: &mut SplitMix64) -> Vec<i8> {
    let m = rows.len();
    let mut out = Vec::with_capacity(m * s);
    for &i in rows {
        out.extend_from_slice(&matrix[i * s..(i + 1) * s]);
    }
    let (mut at, mut vals) = (Vec::new(), Vec::new());
    for j in 0..s {
        at.clear();
        vals.clear();
        for r in 0..m {
            let v = out[r * s + j];
            if v != MISSING {
                at.push(r);
                vals.push(v);
            }
        }
        for t in (1..vals.len()).rev() {
            vals.swap(t, rng.below(t + 1));
        }
        for (&r, &v) in at.iter().zip(&vals) {
            out[r * s + j] = v;
        }
    }
    out
}

/// The top `d` eigenvectors of the symmetric positive semi-definite `c` by
/// power iteration, each kept orthogonal to the ones before (deflation).
/// A zero vector stands for a component that does not exist. Iterations are
/// capped: when two eigenvalues are too close to separate by then, any
/// direction in their span shows the crowd about equally well.
fn top_components(c: &[f64], s: usize, d: usize, rng: &mut SplitMix64) -> (Vec<Vec<f64>>, Vec<f64>) {
    const MAX_ITER: usize = 150;
    const TOL: f64 = 1e-10;
    let trace: f64 = (0..s).map(|j| c[j * s + j]).sum();
    let mut comps: Vec<Vec<f64>> = Vec::with_capacity(d);
    let mut values = Vec::with_capacity(d);
    for _ in 0..d {
        let mut v: Vec<f64> = (0..s).map(|_| rng.f64() * 2.0 - 1.0).collect();
        orthogonalize(&mut v, &comps);
        let mut lambda = 0.0;
        if trace > 0.0 && normalize(&mut v) > 0.0 {
            let mut w = vec![0.0; s];
            for _ in 0..MAX_ITER {
                for (o, row) in w.iter_mut().zip(c.chunks_exact(s)) {
                    *o = dot(row, &v);
                }
                orthogonalize(&mut w, &comps);
                lambda = normalize(&mut w);
                if lambda <= trace * 1e-12 {
                    lambda = 0.0;
                    v.fill(0.0);
                    break;
                }
                let change: f64 = w.iter().zip(&v).map(|(a, b)| (a - b) * (a - b)).sum();
                std::mem::swap(&mut v, &mut w);
                if change < TOL * TOL {
                    break;
                }
            }
        } else {
            v.fill(0.0);
        }
        // Sign: the largest loading is positive, so the map does not flip
        // between runs on slightly different data.
        let big = v.iter().copied().fold(0.0_f64, |m, x| if x.abs() > m.abs() { x } else { m });
        if big < 0.0 {
            v.iter_mut().for_each(|x| *x = -*x);
        }
        comps.push(v);
        values.push(lambda);
    }
    (comps, values)
}

fn orthogonalize(v: &mut [f64], basis: &[Vec<f64>]) {
    for b in basis {
        let dot: f64 = v.iter().zip(b).map(|(x, y)| x * y).sum();
        v.iter_mut().zip(b).for_each(|(x, y)| *x -= dot * y);
    }
}

/// Scales `v` to unit length; returns the old length (0 leaves `v` alone).
fn normalize(v: &mut [f64]) -> f64 {
    let n = v.iter().map(|x| x * x).sum::<f64>().sqrt();
    if n > 0.0 && n.is_finite() {
        v.iter_mut().for_each(|x| *x /= n);
        n
    } else {
        0.0
    }
}

// ---------------------------------------------------------------------------
// Clustering
// ---------------------------------------------------------------------------

/// Picks the grouping: labels per point, number of groups, its silhouette,
/// and the scores of every k tried. `shuffled_null` gives the coordinates
/// of a shuffled crowd for the given sample of points.
fn choose_groups(
    points: &[f64],
    d: usize,
    params: &Params,
    rng: &mut SplitMix64,
    shuffled_null: impl FnOnce(&[usize], &mut SplitMix64) -> Vec<f64>,
) -> (Vec<u8>, usize, f64, Vec<KScore>) {
    let n = points.len() / d;
    let max_k = params.max_groups.clamp(2, MAX_GROUPS);
    let min_size = params.min_group_size.max(1);
    let single = |n: usize, scores| (vec![0u8; n], usize::from(n > 0), 0.0, scores);
    if n < 2 * min_size || n < 3 {
        return single(n, Vec::new());
    }
    let m = params.sample_for_silhouette.max(3).min(n);
    let sample = sample_indices(n, m, rng);
    let sampled: Vec<f64> = sample.iter().flat_map(|&i| points[i * d..(i + 1) * d].iter().copied()).collect();
    // The reference crowds are blobs whose silhouette varies little: half
    // the sample (at most 1,000) measures them well enough.
    let m_ref = (m / 2).clamp(m.min(200), 1000);

    // Two crowds without groups to compare with: a Gaussian with the same
    // mean and per-axis spread (principal axes are uncorrelated), which
    // catches a mere continuum of opinion; and the same people with each
    // statement's votes shuffled among them, which catches the lumps that
    // few statements make in any crowd.
    let mut mu = vec![0.0; d];
    let mut var = vec![0.0; d];
    for x in points.chunks_exact(d) {
        mu.iter_mut().zip(x).for_each(|(a, b)| *a += b / n as f64);
    }
    for x in points.chunks_exact(d) {
        var.iter_mut().zip(x).zip(&mu).for_each(|((v, a), b)| *v += (a - b) * (a - b) / n as f64);
    }
    let gaussian: Vec<f64> = (0..m_ref * d).map(|t| mu[t % d] + var[t % d].sqrt() * rng.gauss()).collect();
    let shuffled = shuffled_null(&sample_indices(n, m_ref, rng), rng);

    let mut scores = Vec::new();
    let mut best: Option<(f64, Clustering)> = None;
    for k in 2..=max_k {
        if n < k * min_size {
            break;
        }
        let Some(cl) = kmeans(points, &sampled, d, k, rng) else { continue };
        if cl.sizes.iter().any(|&sz| sz < min_size) {
            continue;
        }
        let labels: Vec<u8> = sample.iter().map(|&i| cl.labels[i]).collect();
        let sil = silhouette(&sampled, d, &labels, k);
        let mut reference = 0.0_f64;
        for crowd in [&gaussian, &shuffled] {
            if let Some(r) = kmeans(crowd, crowd, d, k, rng) {
                reference = reference.max(silhouette(crowd, d, &r.labels, k));
            }
        }
        scores.push(KScore { k: k as u8, silhouette: sil, reference });
        let clear = sil >= params.min_silhouette && sil - reference >= params.null_margin;
        if clear && best.as_ref().is_none_or(|(b, _)| sil > *b) {
            best = Some((sil, cl));
        }
    }
    match best {
        Some((sil, cl)) => (cl.labels, cl.sizes.len(), sil, scores),
        None => single(n, scores),
    }
}

struct Clustering {
    labels: Vec<u8>,
    sizes: Vec<usize>,
    centres: Vec<f64>,
    inertia: f64,
}

fn dist2(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| (x - y) * (x - y)).sum()
}

/// k-means on `points`; the best of a few k-means++ starts is picked on
/// `sample` (a subset in the same order, or all points), then refined on
/// all points. `None`
/// when there are fewer than `k` distinct points.
fn kmeans(points: &[f64], sample: &[f64], d: usize, k: usize, rng: &mut SplitMix64) -> Option<Clustering> {
    const RESTARTS: usize = 4;
    let n = sample.len() / d;
    if n < k {
        return None;
    }
    let pt = |i: usize| &sample[i * d..(i + 1) * d];
    let mut best: Option<Clustering> = None;
    for _ in 0..RESTARTS {
        // k-means++ seeding: each next centre drawn with probability
        // proportional to the squared distance to the nearest one so far.
        let mut centres = Vec::with_capacity(k * d);
        centres.extend_from_slice(pt(rng.below(n)));
        let mut near: Vec<f64> = (0..n).map(|i| dist2(pt(i), &centres[..d])).collect();
        for _ in 1..k {
            let total: f64 = near.iter().sum();
            if total <= 0.0 {
                return None;
            }
            let target = rng.f64() * total;
            let mut acc = 0.0;
            let mut pick = n - 1;
            for (i, &w) in near.iter().enumerate() {
                acc += w;
                if acc > target && w > 0.0 {
                    pick = i;
                    break;
                }
            }
            let c = pt(pick).to_vec();
            near.iter_mut().enumerate().for_each(|(i, w)| *w = w.min(dist2(pt(i), &c)));
            centres.extend_from_slice(&c);
        }
        let Some(run) = lloyd(sample, d, centres) else { continue };
        if best.as_ref().is_none_or(|b| run.inertia < b.inertia) {
            best = Some(run);
        }
    }
    let best = best?;
    if points.len() == sample.len() {
        Some(best) // the sample is all points
    } else {
        lloyd(points, d, best.centres)
    }
}

/// Lloyd iterations from `centres` until no point changes group. An empty
/// group takes the point farthest from its centre. `None` if a group stays
/// empty.
fn lloyd(points: &[f64], d: usize, mut centres: Vec<f64>) -> Option<Clustering> {
    const MAX_ITER: usize = 100;
    let n = points.len() / d;
    let k = centres.len() / d;
    let pt = |i: usize| &points[i * d..(i + 1) * d];
    let mut labels = vec![u8::MAX; n];
    let mut sizes = vec![0usize; k];
    for _ in 0..MAX_ITER {
        let mut changed = false;
        for (i, label) in labels.iter_mut().enumerate() {
            let l = nearest(pt(i), &centres, d) as u8;
            if *label != l {
                *label = l;
                changed = true;
            }
        }
        if !changed {
            break;
        }
        sizes.fill(0);
        centres.fill(0.0);
        for (i, &label) in labels.iter().enumerate() {
            let l = usize::from(label);
            sizes[l] += 1;
            centres[l * d..(l + 1) * d].iter_mut().zip(pt(i)).for_each(|(c, x)| *c += x);
        }
        for (c, &size) in centres.chunks_exact_mut(d).zip(&sizes) {
            if size > 0 {
                c.iter_mut().for_each(|x| *x /= size as f64);
            }
        }
        for l in 0..k {
            if sizes[l] == 0 {
                let far = (0..n).filter(|&i| sizes[usize::from(labels[i])] > 1).max_by(|&a, &b| {
                    let da = dist2(pt(a), &centres[usize::from(labels[a]) * d..][..d]);
                    let db = dist2(pt(b), &centres[usize::from(labels[b]) * d..][..d]);
                    da.total_cmp(&db).then(b.cmp(&a))
                })?;
                sizes[usize::from(labels[far])] -= 1;
                labels[far] = l as u8;
                sizes[l] = 1;
                centres[l * d..(l + 1) * d].copy_from_slice(pt(far));
            }
        }
    }
    sizes.fill(0);
    let mut inertia = 0.0;
    for (i, &label) in labels.iter().enumerate() {
        let l = usize::from(label);
        sizes[l] += 1;
        inertia += dist2(pt(i), &centres[l * d..(l + 1) * d]);
    }
    if sizes.contains(&0) {
        return None;
    }
    Some(Clustering { labels, sizes, centres, inertia })
}

fn nearest(x: &[f64], centres: &[f64], d: usize) -> usize {
    let mut best = (0, f64::INFINITY);
    for (l, c) in centres.chunks_exact(d).enumerate() {
        let dd = dist2(x, c);
        if dd < best.1 {
            best = (l, dd);
        }
    }
    best.0
}

/// Mean silhouette of all `points` (`d` coordinates each), exact.
fn silhouette(points: &[f64], d: usize, labels: &[u8], k: usize) -> f64 {
    let n = labels.len();
    if n == 0 {
        return 0.0;
    }
    // Sorted by label and stored per axis, each cluster is one contiguous
    // run and the distance loops vectorise.
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by_key(|&i| labels[i]);
    let axes: Vec<Vec<f64>> = (0..d).map(|a| order.iter().map(|&i| points[i * d + a]).collect()).collect();
    let mut start = vec![0usize; k + 1];
    for &i in &order {
        start[usize::from(labels[i]) + 1] += 1;
    }
    for l in 0..k {
        start[l + 1] += start[l];
    }
    let mut dist = vec![0.0; n];
    let mut total = 0.0;
    for pos in 0..n {
        dist.fill(0.0);
        for axis in &axes {
            let c = axis[pos];
            dist.iter_mut().zip(axis).for_each(|(o, &x)| *o += (x - c) * (x - c));
        }
        dist.iter_mut().for_each(|o| *o = o.sqrt());
        let own = usize::from(labels[order[pos]]);
        let size = |l: usize| start[l + 1] - start[l];
        if size(own) < 2 {
            continue; // s(i) = 0 for a singleton
        }
        let mean_to = |l: usize| sum4(&dist[start[l]..start[l + 1]]) / size(l) as f64;
        let a = sum4(&dist[start[own]..start[own + 1]]) / (size(own) - 1) as f64;
        let b = (0..k).filter(|&l| l != own && size(l) > 0).map(mean_to).fold(f64::INFINITY, f64::min);
        let top = a.max(b);
        if b.is_finite() && top > 0.0 {
            total += (b - a) / top;
        }
    }
    total / n as f64
}

/// Sum in four lanes (vectorises).
fn sum4(v: &[f64]) -> f64 {
    let mut acc = [0.0; 4];
    let c = v.chunks_exact(4);
    let tail: f64 = c.remainder().iter().sum();
    for x in c {
        for l in 0..4 {
            acc[l] += x[l];
        }
    }
    (acc[0] + acc[1]) + (acc[2] + acc[3]) + tail
}

/// `m` distinct indices below `n`, ascending (all of them when `m >= n`).
fn sample_indices(n: usize, m: usize, rng: &mut SplitMix64) -> Vec<usize> {
    let mut all: Vec<usize> = (0..n).collect();
    if m >= n {
        return all;
    }
    for i in 0..m {
        let j = i + rng.below(n - i);
        all.swap(i, j);
    }
    all.truncate(m);
    all.sort_unstable();
    all
}

// ---------------------------------------------------------------------------
// Representative and consensus statements
// ---------------------------------------------------------------------------

/// Share with the +1/+2 prior.
fn share(hits: u32, seen: u32) -> f64 {
    (f64::from(hits) + 1.0) / (f64::from(seen) + 2.0)
}

/// Two-proportion z-test of `s1/n1` against `s2/n2` (pooled).
fn two_prop_z(s1: f64, n1: f64, s2: f64, n2: f64) -> f64 {
    let (p1, p2) = (s1 / n1, s2 / n2);
    let pooled = (s1 + s2) / (n1 + n2);
    let se = (pooled * (1.0 - pooled) * (1.0 / n1 + 1.0 / n2)).sqrt();
    if se > 0.0 && se.is_finite() {
        (p1 - p2) / se
    } else {
        0.0
    }
}

fn representative_for(g: usize, stats: &[StatementStats], params: &Params) -> Vec<Repness> {
    let mut out: Vec<Repness> = Vec::new();
    for st in stats {
        let mine = st.per_group[g];
        let mut rest = Counts::default();
        for (o, c) in st.per_group.iter().enumerate() {
            if o != g {
                rest.agree += c.agree;
                rest.disagree += c.disagree;
                rest.pass += c.pass;
            }
        }
        let mut pick: Option<Repness> = None;
        for direction in [Direction::Agree, Direction::Disagree] {
            let (hits, seen) = (mine.get(direction), mine.seen());
            let (rest_hits, rest_seen) = (rest.get(direction), rest.seen());
            let group_share = share(hits, seen);
            let rest_share = share(rest_hits, rest_seen);
            // The group leans this way (one-proportion test against ½, as
            // Pol.is) and differs from the rest (two-proportion test).
            let lean = 2.0 * (f64::from(seen) + 2.0).sqrt() * (group_share - 0.5);
            let z = two_prop_z(f64::from(hits) + 1.0, f64::from(seen) + 2.0, f64::from(rest_hits) + 1.0, f64::from(rest_seen) + 2.0);
            let significant = lean > params.z_min && z > params.z_min; // false for a NaN z_min
            if !significant {
                continue;
            }
            let ratio = group_share / rest_share;
            let r =
                Repness { statement: st.statement, direction, group_share, rest_share, ratio, z, score: ratio * group_share, votes: mine };
            if pick.as_ref().is_none_or(|p| r.score > p.score) {
                pick = Some(r);
            }
        }
        out.extend(pick);
    }
    out.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.statement.cmp(&b.statement)));
    out.truncate(params.max_representative);
    out
}

fn consensus(stats: &[StatementStats], groups: usize, params: &Params) -> Vec<Consensus> {
    if groups == 0 {
        return Vec::new();
    }
    let mut out = Vec::new();
    for st in stats {
        for direction in [Direction::Agree, Direction::Disagree] {
            let mut score = 1.0;
            let mut min_share = 1.0_f64;
            let mut ok = true;
            for c in &st.per_group {
                let sh = share(c.get(direction), c.seen());
                let holds = c.seen() >= params.consensus_min_seen && sh >= params.consensus_threshold;
                if !holds {
                    ok = false;
                    break;
                }
                score *= sh;
                min_share = min_share.min(sh);
            }
            if ok {
                let mut votes = Counts::default();
                for c in &st.per_group {
                    votes.agree += c.agree;
                    votes.disagree += c.disagree;
                    votes.pass += c.pass;
                }
                out.push(Consensus { statement: st.statement, direction, score, min_share, votes });
            }
        }
    }
    out.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.statement.cmp(&b.statement)));
    out
}

// ---------------------------------------------------------------------------
// Random numbers
// ---------------------------------------------------------------------------

/// SplitMix64 (Steele, Lea, Flood 2014): tiny, seedable, good enough here.
struct SplitMix64(u64);

impl SplitMix64 {
    fn new(seed: u64) -> Self {
        SplitMix64(seed)
    }

    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    fn f64(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// Uniform in 0..n (n > 0).
    fn below(&mut self, n: usize) -> usize {
        ((u128::from(self.next_u64()) * n as u128) >> 64) as usize
    }

    /// Standard normal (Box–Muller).
    fn gauss(&mut self) -> f64 {
        let u1 = 1.0 - self.f64();
        let u2 = self.f64();
        (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
    }
}

// ---------------------------------------------------------------------------
// SVG map
// ---------------------------------------------------------------------------

/// The words of [`svg_map`], in the caller's language. `{letter}`, `{n}`,
/// `{shown}` and `{total}` are replaced.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MapLabels {
    /// Accessible name, e.g. "Bản đồ ý kiến".
    pub title: String,
    /// A group's name: "Nhóm {letter}".
    pub group: String,
    /// "{n} người" (several people).
    pub people: String,
    /// "{n} person" where the language has a singular, else as `people`.
    pub people_one: String,
    /// Participants placed on the map but in no group.
    pub ungrouped: String,
    /// Said when everyone is one group.
    pub no_split: String,
    /// How to read the map.
    pub explain: String,
    /// Said when only a sample is drawn: "{shown}" of "{total}".
    pub sampled: String,
    /// Said when nobody has voted.
    pub no_data: String,
    /// Thousands separator for counts ('.' in Vietnamese, ',' in English).
    pub thousands_sep: char,
    /// Prefix of the element ids, unique per page if several maps are shown.
    pub id_prefix: String,
}

impl MapLabels {
    /// Vietnamese.
    pub fn vi() -> Self {
        MapLabels {
            title: "Bản đồ ý kiến".into(),
            group: "Nhóm {letter}".into(),
            people: "{n} người".into(),
            people_one: "{n} người".into(),
            ungrouped: "Chưa xếp nhóm (quá ít phiếu)".into(),
            no_split: "Chưa thấy các nhóm ý kiến khác biệt rõ rệt.".into(),
            explain:
                "Mỗi chấm là một người tham gia; các chấm gần nhau là những người bỏ phiếu giống nhau. Các trục không mang ý nghĩa cố định."
                    .into(),
            sampled: "Hiển thị {shown} trên {total} người tham gia (mẫu chọn cố định).".into(),
            no_data: "Chưa có phiếu nào.".into(),
            thousands_sep: '.',
            id_prefix: "ban-do-y-kien".into(),
        }
    }

    /// English.
    pub fn en() -> Self {
        MapLabels {
            title: "Opinion map".into(),
            group: "Group {letter}".into(),
            people: "{n} people".into(),
            people_one: "{n} person".into(),
            ungrouped: "Not grouped (too few votes)".into(),
            no_split: "No clearly distinct opinion groups yet.".into(),
            explain: "Each dot is a participant; dots close together voted alike. The axes have no fixed meaning.".into(),
            sampled: "Showing {shown} of {total} participants (a fixed sample).".into(),
            no_data: "No votes yet.".into(),
            thousands_sep: ',',
            id_prefix: "opinion-map".into(),
        }
    }

    fn count(&self, n: usize) -> String {
        let pattern = if n == 1 { &self.people_one } else { &self.people };
        pattern.replace("{n}", &thousands(n, self.thousands_sep))
    }

    fn group_name(&self, id: u8) -> String {
        self.group.replace("{letter}", &group_letter(id).to_string())
    }
}

fn thousands(n: usize, sep: char) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(sep);
        }
        out.push(ch);
    }
    out
}

/// Escapes text for XML content and attribute values.
fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if (c as u32) < 0x20 && c != '\n' && c != '\t' => {}
            c => out.push(c),
        }
    }
    out
}

/// Okabe–Ito colours, readable with common colour-vision deficiencies;
/// each group also has its own shape.
const PALETTE: [&str; MAX_GROUPS] = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9"];
const GREY: &str = "#8C8C8C";

/// Path data of a group's marker centred on (x, y): circle, square,
/// triangle, diamond, inverted triangle, plus.
fn marker(out: &mut String, shape: usize, x: f64, y: f64) {
    let (x, y) = (round1(x), round1(y));
    let _ = match shape {
        0 => write!(out, "M{x} {y}h0"),
        1 => write!(out, "M{} {}h4v4h-4z", round1(x - 2.0), round1(y - 2.0)),
        2 => write!(out, "M{x} {}l2.6 4.5h-5.2z", round1(y - 2.6)),
        3 => write!(out, "M{x} {}l2.8 2.8-2.8 2.8-2.8-2.8z", round1(y - 2.8)),
        4 => write!(out, "M{x} {}l2.6-4.5h-5.2z", round1(y + 2.6)),
        _ => write!(out, "M{} {}h2v2h2v2h-2v2h-2v-2h-2v-2h2z", round1(x - 1.0), round1(y - 3.0)),
    };
}

/// Opens the `<path>` holding every marker of one shape.
fn marker_path_open(out: &mut String, shape: usize, colour: &str) {
    let _ = if shape == 0 {
        // Zero-length segments with round caps are dots (SVG 1.1 §11.4).
        write!(out, r#"<path fill="none" stroke="{colour}" stroke-width="4.6" stroke-linecap="round" d=""#)
    } else {
        write!(out, r#"<path fill="{colour}" d=""#)
    };
}

fn round1(v: f64) -> f64 {
    let r = (v * 10.0).round() / 10.0;
    if r == 0.0 {
        0.0 // no "-0"
    } else {
        r
    }
}

/// Draws the opinion map as a self-contained SVG: no script, no external
/// reference, `role="img"` with a `<title>` and a `<desc>` that says the
/// groups' sizes in words. Each group has its own colour, shape and letter.
/// At most [`MAX_MAP_DOTS`] participants are drawn (a fixed sample, said in
/// the description). Participants without votes are not drawn.
pub fn svg_map(result: &Analysis, labels: &MapLabels) -> String {
    const W: f64 = 480.0;
    const MAP_H: f64 = 360.0;
    const PAD: f64 = 18.0;
    const ROW: f64 = 22.0;

    let id: String = labels.id_prefix.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_').collect();
    let id = if id.is_empty() { "opinion-map".to_string() } else { id };

    let n = result.projection.len().min(result.votes_cast.len()).min(result.assignment.len());
    let voters: Vec<usize> = (0..n).filter(|&i| result.votes_cast[i] > 0).collect();
    let sampled = voters.len() > MAX_MAP_DOTS;
    let drawn: Vec<usize> = if sampled {
        let mut rng = SplitMix64::new(0x006d_6170);
        sample_indices(voters.len(), MAX_MAP_DOTS, &mut rng).into_iter().map(|k| voters[k]).collect()
    } else {
        voters.clone()
    };
    let group_of = |i: usize| result.assignment[i].map(usize::from).filter(|&g| g < result.groups.len().min(MAX_GROUPS));
    let ungrouped = voters.iter().filter(|&&i| group_of(i).is_none()).count();

    // Frame: the middle 98 % of the grouped dots (sparse voters are pushed
    // far out by the scaling and would squash the rest), plus the centroids.
    let framing: Vec<usize> = {
        let grouped: Vec<usize> = drawn.iter().copied().filter(|&i| group_of(i).is_some()).collect();
        if grouped.is_empty() {
            drawn.clone()
        } else {
            grouped
        }
    };
    let range = |axis: fn(&(f64, f64)) -> f64| -> (f64, f64) {
        let mut v: Vec<f64> = framing.iter().map(|&i| axis(&result.projection[i])).filter(|x| x.is_finite()).collect();
        v.extend(result.groups.iter().map(|g| axis(&g.centroid)).filter(|x| x.is_finite()));
        if v.is_empty() {
            return (-1.0, 1.0);
        }
        v.sort_by(f64::total_cmp);
        let cut = if v.len() >= 100 { v.len() / 100 } else { 0 };
        (v[cut], v[v.len() - 1 - cut])
    };
    let (x0, x1) = range(|p| p.0);
    let (y0, y1) = range(|p| p.1);
    let span = ((x1 - x0) / (W - 2.0 * PAD)).max((y1 - y0) / (MAP_H - 2.0 * PAD));
    let scale = if span > 0.0 { 1.0 / span } else { 1.0 };
    let (cx, cy) = ((x0 + x1) / 2.0, (y0 + y1) / 2.0);
    let to_svg = |p: (f64, f64)| -> (f64, f64) {
        let px = if p.0.is_finite() { p.0 } else { cx };
        let py = if p.1.is_finite() { p.1 } else { cy };
        let sx = (W / 2.0 + (px - cx) * scale).clamp(PAD / 2.0, W - PAD / 2.0);
        // SVG y grows downwards.
        let sy = (MAP_H / 2.0 - (py - cy) * scale).clamp(PAD / 2.0, MAP_H - PAD / 2.0);
        (sx, sy)
    };

    // Description in words.
    let mut desc = Vec::new();
    let mut legend: Vec<(Option<usize>, String)> = Vec::new();
    if voters.is_empty() {
        desc.push(labels.no_data.clone());
    } else {
        desc.push(labels.explain.clone());
        let parts: Vec<String> = result
            .groups
            .iter()
            .take(MAX_GROUPS)
            .map(|g| format!("{}: {}", labels.group_name(g.id), labels.count(g.members.len())))
            .collect();
        for (g, text) in parts.iter().enumerate() {
            legend.push((Some(g), text.clone()));
        }
        if !parts.is_empty() {
            desc.push(format!("{}.", parts.join("; ")));
        }
        if ungrouped > 0 {
            let text = format!("{}: {}", labels.ungrouped, labels.count(ungrouped));
            desc.push(format!("{text}."));
            legend.push((None, text));
        }
        if result.groups.len() == 1 {
            desc.push(labels.no_split.clone());
            legend.push((Some(usize::MAX), labels.no_split.clone()));
        }
        if sampled {
            let text = labels
                .sampled
                .replace("{shown}", &thousands(drawn.len(), labels.thousands_sep))
                .replace("{total}", &thousands(voters.len(), labels.thousands_sep));
            desc.push(text.clone());
            legend.push((Some(usize::MAX), text));
        }
    }
    let height = MAP_H + 8.0 + ROW * legend.len() as f64;

    let mut out = String::with_capacity(64 * 1024);
    let _ = write!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {W} {height}" width="{W}" height="{height}" role="img" aria-labelledby="{id}-title {id}-desc" font-family="sans-serif" font-size="13">"#
    );
    let _ = write!(out, r#"<title id="{id}-title">{}</title>"#, esc(&labels.title));
    let _ = write!(out, r#"<desc id="{id}-desc">{}</desc>"#, esc(&desc.join(" ")));
    let _ = write!(out, r##"<rect width="{W}" height="{MAP_H}" fill="#FFFFFF" stroke="#BBBBBB"/>"##);

    // Ungrouped dots underneath, small and grey.
    let loose: Vec<usize> = drawn.iter().copied().filter(|&i| group_of(i).is_none()).collect();
    if !loose.is_empty() {
        let _ = write!(out, r#"<path fill="none" stroke="{GREY}" stroke-width="3" stroke-linecap="round" d=""#);
        for &i in &loose {
            let (x, y) = to_svg(result.projection[i]);
            let _ = write!(out, "M{} {}h0", round1(x), round1(y));
        }
        out.push_str(r#""/>"#);
    }
    for (g, colour) in PALETTE.iter().enumerate().take(result.groups.len()) {
        let members: Vec<usize> = drawn.iter().copied().filter(|&i| group_of(i) == Some(g)).collect();
        if members.is_empty() {
            continue;
        }
        marker_path_open(&mut out, g, colour);
        for &i in &members {
            let (x, y) = to_svg(result.projection[i]);
            marker(&mut out, g, x, y);
        }
        out.push_str(r#""/>"#);
    }
    // Group letters on their centroids.
    for (g, group) in result.groups.iter().enumerate().take(MAX_GROUPS) {
        let (x, y) = to_svg(group.centroid);
        let (x, y) = (round1(x), round1(y));
        let _ = write!(
            out,
            r##"<circle cx="{x}" cy="{y}" r="11" fill="#FFFFFF" stroke="{}" stroke-width="2.5"/><text x="{x}" y="{}" text-anchor="middle" font-size="14" font-weight="bold" fill="#000000">{}</text>"##,
            PALETTE[g],
            round1(y + 5.0),
            group_letter(g as u8)
        );
    }
    // Legend: shape, colour and words, so colour is never the only cue.
    for (row, (g, text)) in legend.iter().enumerate() {
        let y = MAP_H + 8.0 + ROW * row as f64 + ROW / 2.0;
        let mut x_text = 10.0;
        match g {
            Some(g) if *g < MAX_GROUPS => {
                marker_path_open(&mut out, *g, PALETTE[*g]);
                marker(&mut out, *g, 16.0, y);
                out.push_str(r#""/>"#);
                x_text = 28.0;
            }
            None => {
                let _ =
                    write!(out, r#"<path fill="none" stroke="{GREY}" stroke-width="3" stroke-linecap="round" d="M16 {}h0"/>"#, round1(y));
                x_text = 28.0;
            }
            Some(_) => {}
        }
        let _ = write!(out, r##"<text x="{x_text}" y="{}" fill="#222222">{}</text>"##, round1(y + 4.5), esc(text));
    }
    out.push_str("</svg>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Planted groups: `patterns[g][j]` is group g's view of statement j.
    /// Each vote is missing with `p_missing`, else flipped with `p_flip`.
    fn planted(sizes: &[usize], patterns: &[Vec<i8>], p_missing: f64, p_flip: f64, seed: u64) -> (usize, usize, Vec<Vote>, Vec<usize>) {
        let s = patterns[0].len();
        let mut rng = SplitMix64::new(seed);
        let mut votes = Vec::new();
        let mut truth = Vec::new();
        let mut p = 0u32;
        for (g, &size) in sizes.iter().enumerate() {
            for _ in 0..size {
                for (j, &pattern) in patterns[g].iter().enumerate() {
                    if rng.f64() < p_missing {
                        continue;
                    }
                    let mut v = pattern;
                    if rng.f64() < p_flip {
                        v = -v;
                    }
                    votes.push(Vote { participant: p, statement: j as u32, value: v });
                }
                truth.push(g);
                p += 1;
            }
        }
        // Arrival order should not matter: shuffle.
        for i in (1..votes.len()).rev() {
            let j = rng.below(i + 1);
            votes.swap(i, j);
        }
        (p as usize, s, votes, truth)
    }

    fn random_patterns(groups: usize, s: usize, seed: u64) -> Vec<Vec<i8>> {
        let mut rng = SplitMix64::new(seed);
        (0..groups).map(|_| (0..s).map(|_| if rng.f64() < 0.5 { 1 } else { -1 }).collect()).collect()
    }

    /// Adjusted Rand index between two labelings.
    fn ari(a: &[usize], b: &[usize]) -> f64 {
        let ka = a.iter().max().map_or(0, |m| m + 1);
        let kb = b.iter().max().map_or(0, |m| m + 1);
        let mut table = vec![vec![0f64; kb]; ka];
        for (&x, &y) in a.iter().zip(b) {
            table[x][y] += 1.0;
        }
        let c2 = |n: f64| n * (n - 1.0) / 2.0;
        let sum_ij: f64 = table.iter().flatten().map(|&n| c2(n)).sum();
        let sum_a: f64 = table.iter().map(|r| c2(r.iter().sum())).sum();
        let sum_b: f64 = (0..kb).map(|j| c2(table.iter().map(|r| r[j]).sum())).sum();
        let expected = sum_a * sum_b / c2(a.len() as f64);
        let max = (sum_a + sum_b) / 2.0;
        (sum_ij - expected) / (max - expected)
    }

    fn labels_of(a: &Analysis) -> Vec<usize> {
        a.assignment.iter().map(|g| usize::from(g.expect("everyone has enough votes"))).collect()
    }

    fn all_finite(a: &Analysis) -> bool {
        let mut ok = a.silhouette.is_finite() && a.explained.0.is_finite() && a.explained.1.is_finite();
        ok &= a.projection.iter().all(|p| p.0.is_finite() && p.1.is_finite());
        ok &= a.groups.iter().all(|g| g.centroid.0.is_finite() && g.centroid.1.is_finite());
        ok &= a.k_scores.iter().all(|k| k.silhouette.is_finite() && k.reference.is_finite());
        ok &= a.representative.iter().flatten().all(|r| [r.group_share, r.rest_share, r.ratio, r.z, r.score].iter().all(|x| x.is_finite()));
        ok &= a.consensus.iter().all(|c| c.score.is_finite() && c.min_share.is_finite());
        ok
    }

    fn check_recovers(groups: usize, params: &Params, seed: u64) {
        let s = 40;
        let patterns = random_patterns(groups, s, seed);
        let sizes: Vec<usize> = (0..groups).map(|g| 60 + 25 * g).collect();
        let (p, s, votes, truth) = planted(&sizes, &patterns, 0.4, 0.1, seed + 1);
        let a = compute(p, s, &votes, params);
        assert!(all_finite(&a));
        assert_eq!(a.groups.len(), groups, "k_scores {:?}", a.k_scores);
        let found = labels_of(&a);
        let score = ari(&truth, &found);
        assert!(score >= 0.9, "ARI {score}");
        assert!(a.silhouette >= params.min_silhouette);
    }

    #[test]
    fn recovers_two_planted_groups() {
        check_recovers(2, &Params::default(), 11);
    }

    #[test]
    fn recovers_three_planted_groups() {
        check_recovers(3, &Params::default(), 21);
    }

    /// Four groups on two cross-cutting issues: the structure a 2-D map can
    /// show without overlap.
    #[test]
    fn recovers_four_planted_groups_on_two_issues() {
        let s = 40;
        let mut rng = SplitMix64::new(5);
        let issue1: Vec<i8> = (0..s)
            .map(|j| {
                if j < 20 {
                    if rng.f64() < 0.5 {
                        1
                    } else {
                        -1
                    }
                } else {
                    0
                }
            })
            .collect();
        let issue2: Vec<i8> = (0..s)
            .map(|j| {
                if j >= 20 {
                    if rng.f64() < 0.5 {
                        1
                    } else {
                        -1
                    }
                } else {
                    0
                }
            })
            .collect();
        let patterns: Vec<Vec<i8>> =
            [(1, 1), (1, -1), (-1, 1), (-1, -1)].iter().map(|&(a, b)| (0..s).map(|j| issue1[j] * a + issue2[j] * b).collect()).collect();
        let (p, s, votes, truth) = planted(&[70, 90, 110, 130], &patterns, 0.4, 0.1, 6);
        let a = compute(p, s, &votes, &Params::default());
        assert!(all_finite(&a));
        assert_eq!(a.groups.len(), 4, "k_scores {:?}", a.k_scores);
        assert!(ari(&truth, &labels_of(&a)) >= 0.9);
    }

    /// Four groups equally far apart need a third component.
    #[test]
    fn recovers_four_equidistant_groups_with_three_dims() {
        check_recovers(4, &Params { dims: 3, ..Params::default() }, 31);
    }

    #[test]
    fn homogeneous_population_is_one_group() {
        // Everyone votes at random with the same leanings.
        let s = 40;
        let mut rng = SplitMix64::new(77);
        let lean: Vec<f64> = (0..s).map(|_| rng.f64()).collect();
        let mut votes = Vec::new();
        for i in 0..400u32 {
            for (j, &l) in lean.iter().enumerate() {
                if rng.f64() < 0.4 {
                    continue;
                }
                let r = rng.f64();
                let value = if r < l * 0.9 {
                    1
                } else if r < 0.9 {
                    -1
                } else {
                    0
                };
                votes.push(Vote { participant: i, statement: j as u32, value });
            }
        }
        let a = compute(400, s, &votes, &Params::default());
        assert!(all_finite(&a));
        assert_eq!(a.groups.len(), 1, "k_scores {:?}", a.k_scores);
        assert_eq!(a.groups[0].members.len(), 400);
        assert_eq!(a.silhouette, 0.0);
        assert!(a.representative.iter().all(Vec::is_empty));
    }

    #[test]
    fn consensus_and_representative_statements() {
        // Statement 0: everyone agrees. Statement 1: group 0 agrees, group 1
        // disagrees. The rest separate the groups.
        let s = 30;
        let mut patterns = random_patterns(2, s, 41);
        patterns[0][0] = 1;
        patterns[1][0] = 1;
        patterns[0][1] = 1;
        patterns[1][1] = -1;
        let (p, s, votes, truth) = planted(&[80, 120], &patterns, 0.4, 0.1, 42);
        // Half the statements split the groups; list them all.
        let a = compute(p, s, &votes, &Params { max_representative: 30, ..Params::default() });
        assert_eq!(a.groups.len(), 2);
        // Map the planted group 0 to its found id.
        let found = labels_of(&a);
        let g0 = found[truth.iter().position(|&t| t == 0).unwrap()];
        let g1 = 1 - g0;

        let c0 = a.consensus.iter().find(|c| c.statement == 0).expect("statement 0 is consensus");
        assert_eq!(c0.direction, Direction::Agree);
        assert!(c0.min_share >= 0.6);
        assert!(a.representative.iter().flatten().all(|r| r.statement != 0));
        assert!(a.consensus.iter().all(|c| c.statement != 1));

        let r0 = a.representative[g0].iter().find(|r| r.statement == 1).expect("statement 1 represents group 0");
        assert_eq!(r0.direction, Direction::Agree);
        assert!(r0.z > 1.645 && r0.ratio > 1.0);
        let r1 = a.representative[g1].iter().find(|r| r.statement == 1).expect("statement 1 represents group 1");
        assert_eq!(r1.direction, Direction::Disagree);
        let capped = compute(p, s, &votes, &Params::default());
        assert!(capped.representative.iter().all(|r| r.len() == 5));
        assert_eq!(capped.representative[0][..], a.representative[0][..5]);
        for reps in &a.representative {
            assert!(reps.windows(2).all(|w| w[0].score >= w[1].score));
        }
    }

    #[test]
    fn disagreement_consensus() {
        let s = 20;
        let mut patterns = random_patterns(2, s, 51);
        patterns[0][3] = -1;
        patterns[1][3] = -1;
        let (p, s, votes, _) = planted(&[60, 60], &patterns, 0.3, 0.05, 52);
        let a = compute(p, s, &votes, &Params::default());
        assert_eq!(a.groups.len(), 2);
        let c = a.consensus.iter().find(|c| c.statement == 3).expect("statement 3 is consensus");
        assert_eq!(c.direction, Direction::Disagree);
        assert!(a.consensus.windows(2).all(|w| w[0].score >= w[1].score));
    }

    #[test]
    fn deterministic() {
        let patterns = random_patterns(3, 25, 61);
        let (p, s, votes, _) = planted(&[50, 60, 70], &patterns, 0.4, 0.1, 62);
        let a = compute(p, s, &votes, &Params::default());
        let b = compute(p, s, &votes, &Params::default());
        assert_eq!(a, b);
        assert_eq!(svg_map(&a, &MapLabels::vi()), svg_map(&b, &MapLabels::vi()));
    }

    #[test]
    fn statistics_count_votes_and_drop_bad_ones() {
        let votes = [
            Vote { participant: 0, statement: 0, value: 1 },
            Vote { participant: 0, statement: 0, value: -5 }, // replaces the first
            Vote { participant: 1, statement: 0, value: 0 },
            Vote { participant: 1, statement: 1, value: 9 },
            Vote { participant: 2, statement: 0, value: 1 },
            Vote { participant: 7, statement: 0, value: 1 }, // no such participant
            Vote { participant: 0, statement: 4, value: 1 }, // no such statement
        ];
        let a = compute(3, 2, &votes, &Params::default());
        assert_eq!(a.ignored_votes, 2);
        assert_eq!(a.votes_cast, vec![1, 2, 1]);
        let st = &a.per_statement[0];
        assert_eq!((st.agree, st.disagree, st.pass), (1, 1, 1));
        assert_eq!(a.per_statement[1].agree, 1);
        assert!(all_finite(&a));
    }

    #[test]
    fn edge_cases_do_not_panic_or_produce_nan() {
        let d = Params::default();
        let empty = compute(0, 0, &[], &d);
        assert!(empty.groups.is_empty() && empty.projection.is_empty() && all_finite(&empty));
        let no_statements = compute(5, 0, &[], &d);
        assert!(no_statements.groups.is_empty() && all_finite(&no_statements));
        assert_eq!(no_statements.assignment, vec![None; 5]);
        let no_votes = compute(10, 10, &[], &d);
        assert!(no_votes.groups.is_empty() && all_finite(&no_votes));

        let one = compute(1, 3, &[Vote { participant: 0, statement: 1, value: 1 }], &d);
        assert!(all_finite(&one));
        // min_votes is lowered to the 3 statements; one vote is not enough.
        assert_eq!(one.assignment, vec![None]);
        assert!(one.groups.is_empty());
        let one_full: Vec<Vote> = (0..3).map(|j| Vote { participant: 0, statement: j, value: 1 }).collect();
        let one = compute(1, 3, &one_full, &d);
        assert_eq!(one.groups.len(), 1);
        assert!(all_finite(&one));

        // Everyone passes on everything: zero variance.
        let passes: Vec<Vote> = (0..50).flat_map(|i| (0..10).map(move |j| Vote { participant: i, statement: j, value: 0 })).collect();
        let a = compute(50, 10, &passes, &d);
        assert!(all_finite(&a));
        assert_eq!(a.groups.len(), 1);
        assert!(a.projection.iter().all(|&p| p == (0.0, 0.0)));
        assert!(a.representative.iter().all(Vec::is_empty));
        assert!(a.consensus.is_empty());

        // Everyone agrees with everything: one group, all consensus.
        let agree: Vec<Vote> = (0..50).flat_map(|i| (0..10).map(move |j| Vote { participant: i, statement: j, value: 1 })).collect();
        let a = compute(50, 10, &agree, &d);
        assert!(all_finite(&a));
        assert_eq!(a.groups.len(), 1);
        assert_eq!(a.consensus.len(), 10);

        // Participants without votes, and some with too few.
        let patterns = random_patterns(2, 20, 71);
        let (p, s, mut votes, _) = planted(&[40, 40], &patterns, 0.3, 0.1, 72);
        votes.push(Vote { participant: p as u32 + 3, statement: 0, value: 1 });
        let a = compute(p + 10, s, &votes, &d);
        assert!(all_finite(&a));
        assert_eq!(a.groups.len(), 2);
        assert!(a.assignment[p..].iter().all(Option::is_none));
        assert_eq!(a.votes_cast[p + 3], 1);
        assert_eq!(a.projection[p + 5], (0.0, 0.0));
        let svg = svg_map(&a, &MapLabels::en());
        assert!(svg.contains("Not grouped (too few votes): 1 person"), "{svg}");

        // Too few participants to split, however they vote.
        let (p, s, votes, _) = planted(&[4, 4], &patterns, 0.0, 0.0, 73);
        let a = compute(p, s, &votes, &d);
        assert_eq!(a.groups.len(), 1);
        assert!(all_finite(&a));

        // Extreme parameters.
        let odd = Params {
            max_groups: 100,
            min_votes: 0,
            min_group_size: 0,
            dims: 0,
            sample_for_silhouette: 0,
            max_representative: 0,
            ..Params::default()
        };
        let (p, s, votes, _) = planted(&[30, 30], &patterns, 0.3, 0.1, 74);
        let a = compute(p, s, &votes, &odd);
        assert!(all_finite(&a));
        assert!(a.groups.len() <= MAX_GROUPS);
        assert!(a.representative.iter().all(Vec::is_empty));
    }

    #[test]
    fn silhouette_sample_for_large_populations() {
        let patterns = random_patterns(3, 30, 81);
        let (p, s, votes, truth) = planted(&[900, 700, 500], &patterns, 0.4, 0.1, 82);
        let params = Params { sample_for_silhouette: 300, ..Params::default() };
        let a = compute(p, s, &votes, &params);
        assert_eq!(a.groups.len(), 3);
        assert!(ari(&truth, &labels_of(&a)) >= 0.9);
        assert_eq!(a.groups[0].members.len() + a.groups[1].members.len() + a.groups[2].members.len(), 2100);
        assert!(a.groups.windows(2).all(|w| w[0].members.len() >= w[1].members.len()));
    }

    /// A minimal well-formedness check: every tag closes, in order.
    fn balanced(svg: &str) -> bool {
        let mut stack: Vec<&str> = Vec::new();
        let mut rest = svg;
        while let Some(start) = rest.find('<') {
            let Some(end) = rest[start..].find('>') else { return false };
            let tag = &rest[start + 1..start + end];
            rest = &rest[start + end + 1..];
            if let Some(name) = tag.strip_prefix('/') {
                if stack.pop() != Some(name.trim()) {
                    return false;
                }
            } else if !tag.ends_with('/') {
                stack.push(tag.split_whitespace().next().unwrap_or(""));
            }
            if !tag.matches('"').count().is_multiple_of(2) {
                return false;
            }
        }
        stack.is_empty() && !rest.contains('>')
    }

    #[test]
    fn svg_map_is_accessible_and_well_formed() {
        let patterns = random_patterns(3, 30, 91);
        let (p, s, votes, _) = planted(&[120, 100, 80], &patterns, 0.4, 0.1, 92);
        let a = compute(p, s, &votes, &Params::default());
        assert_eq!(a.groups.len(), 3);
        let svg = svg_map(&a, &MapLabels::vi());
        assert!(balanced(&svg), "{svg}");
        assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
        assert!(svg.contains(r#"role="img""#));
        assert!(svg.contains(r#"<title id="ban-do-y-kien-title">Bản đồ ý kiến</title>"#));
        let sizes: Vec<usize> = a.groups.iter().map(|g| g.members.len()).collect();
        assert!(sizes[0].abs_diff(120) <= 3 && sizes[2].abs_diff(80) <= 3, "{sizes:?}");
        let words = format!("Nhóm A: {} người; Nhóm B: {} người; Nhóm C: {} người.", sizes[0], sizes[1], sizes[2]);
        assert!(svg.contains(&words), "{svg}");
        assert!(svg.contains(">A</text>") && svg.contains(">C</text>"));
        assert!(!svg.to_lowercase().contains("<script"));
        assert!(!svg.contains("href") && !svg.contains("url("));
        for colour in &PALETTE[..3] {
            assert!(svg.contains(colour));
        }

        let en = svg_map(&a, &MapLabels::en());
        assert!(en.contains(&format!("Group B: {} people", sizes[1])));

        let mut evil = MapLabels::en();
        evil.title = "<script>alert('x')</script> & \"co\"".into();
        evil.group = "G<{letter}>".into();
        evil.id_prefix = "x\" onload=\"y".into();
        let svg = svg_map(&a, &evil);
        assert!(balanced(&svg), "{svg}");
        assert!(!svg.contains("<script"));
        assert!(svg.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;co&quot;"));
        assert!(svg.contains(&format!("G&lt;A&gt;: {} people", sizes[0])));
        assert!(svg.contains(r#"id="xonloady-title""#));
    }

    #[test]
    fn svg_map_samples_large_populations_and_stays_small() {
        // Built by hand: 10,000 participants in six groups, all shapes drawn.
        let n = 10_000;
        let mut rng = SplitMix64::new(101);
        let assignment: Vec<Option<u8>> = (0..n).map(|i| if i % 50 == 0 { None } else { Some((i % 6) as u8) }).collect();
        let projection: Vec<(f64, f64)> = (0..n)
            .map(|i| {
                let g = (i % 6) as f64;
                (g.cos() * 3.0 + rng.gauss() * 0.4, g.sin() * 3.0 + rng.gauss() * 0.4)
            })
            .collect();
        let groups: Vec<Group> = (0..6u8)
            .map(|g| {
                let members: Vec<u32> = (0..n).filter(|&i| assignment[i] == Some(g)).map(|i| i as u32).collect();
                let c = (f64::from(g).cos() * 3.0, f64::from(g).sin() * 3.0);
                Group { id: g, members, centroid: c }
            })
            .collect();
        let a = Analysis {
            n_participants: n,
            n_statements: 10,
            groups,
            assignment,
            projection,
            votes_cast: vec![10; n],
            explained: (0.3, 0.2),
            silhouette: 0.7,
            k_scores: Vec::new(),
            representative: vec![Vec::new(); 6],
            consensus: Vec::new(),
            per_statement: Vec::new(),
            ignored_votes: 0,
        };
        let svg = svg_map(&a, &MapLabels::vi());
        assert!(svg.len() < 100_000, "{} bytes", svg.len());
        assert!(balanced(&svg));
        assert!(svg.contains("Hiển thị 2.000 trên 10.000 người tham gia"));
        let en = svg_map(&a, &MapLabels::en());
        assert!(en.contains("Showing 2,000 of 10,000 participants"));
        // One move per drawn participant, plus seven legend markers.
        let moves: usize = svg.split(" d=\"").skip(1).map(|d| d.split('"').next().unwrap().matches('M').count()).sum();
        assert_eq!(moves, MAX_MAP_DOTS + 7);
        // Coordinates have one decimal at most.
        let d = svg.split(" d=\"").nth(3).unwrap().split('"').next().unwrap();
        assert!(d.split(|c: char| !(c.is_ascii_digit() || c == '.')).all(|n| n.split('.').nth(1).is_none_or(|f| f.len() == 1)));
    }

    #[test]
    fn svg_map_of_nothing() {
        let a = compute(3, 4, &[], &Params::default());
        let svg = svg_map(&a, &MapLabels::vi());
        assert!(balanced(&svg));
        assert!(svg.contains("Chưa có phiếu nào."));
        let one = compute(1, 1, &[Vote { participant: 0, statement: 0, value: 1 }], &Params::default());
        let svg = svg_map(&one, &MapLabels::en());
        assert!(balanced(&svg));
        assert!(svg.contains("Group A: 1 person"));
        assert!(!svg.contains("NaN") && !svg.contains("inf"));
    }

    #[test]
    fn thousands_separator() {
        assert_eq!(thousands(0, '.'), "0");
        assert_eq!(thousands(999, '.'), "999");
        assert_eq!(thousands(1000, '.'), "1.000");
        assert_eq!(thousands(1234567, ','), "1,234,567");
    }

    /// 10,000 participants × 500 statements, ~60 % voted (3 million votes).
    /// Debug builds run a tenth of it and do not time it.
    #[test]
    fn performance_large_conversation() {
        let (p, s) = if cfg!(debug_assertions) { (1_000, 100) } else { (10_000, 500) };
        let patterns = random_patterns(3, s, 111);
        let sizes = [p / 2, p * 3 / 10, p - p / 2 - p * 3 / 10];
        let (p, s, votes, truth) = planted(&sizes, &patterns, 0.4, 0.15, 112);
        let start = std::time::Instant::now();
        let a = compute(p, s, &votes, &Params::default());
        let took = start.elapsed();
        let svg = svg_map(&a, &MapLabels::vi());
        eprintln!("opinion::compute {p} × {s}, {} votes: {took:?}; svg {} bytes", votes.len(), svg.len());
        assert_eq!(a.groups.len(), 3);
        assert!(ari(&truth, &labels_of(&a)) >= 0.9);
        assert!(all_finite(&a));
        assert!(svg.len() < 100_000);
        if !cfg!(debug_assertions) {
            assert!(took.as_secs_f64() < 2.0, "took {took:?}");
        }
    }
}

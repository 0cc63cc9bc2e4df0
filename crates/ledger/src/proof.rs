//! Inclusion and consistency proofs (RFC 9162 §2.1.3, §2.1.4): generation over any source
//! of perfect-subtree hashes, and verification in the style of transparency-dev/merkle.

use thiserror::Error;

use crate::hash::{Hash, empty_root, node_hash, split_point};

/// Where proofs read hashes from: the hash of the perfect subtree at `level` with `index`,
/// that is the MTH of leaves `[index << level, (index + 1) << level)`. Only subtrees that are
/// complete in the tree being proven are asked for.
pub trait HashSource {
    /// What reading a hash can fail with.
    type Error;
    /// The hash of one perfect subtree.
    fn subtree(&mut self, level: u8, index: u64) -> Result<Hash, Self::Error>;
}

/// Why a proof could not be generated.
#[derive(Debug, Error, PartialEq, Eq)]
pub enum ProveError<E> {
    /// The leaf index is not below the tree size.
    #[error("index {index} is not in a tree of size {size}")]
    IndexOutOfRange {
        /// The leaf index asked for.
        index: u64,
        /// The tree size.
        size: u64,
    },
    /// A consistency proof was asked from a larger tree to a smaller one, or from size 0.
    #[error("no consistency proof from size {from} to size {to}")]
    BadSizes {
        /// The older size.
        from: u64,
        /// The newer size.
        to: u64,
    },
    /// The hash source failed.
    #[error("reading the tree: {0}")]
    Source(E),
}

/// Why a proof did not verify.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum VerifyError {
    /// The leaf index is not below the tree size.
    #[error("index {index} is not in a tree of size {size}")]
    IndexOutOfRange {
        /// The leaf index.
        index: u64,
        /// The tree size.
        size: u64,
    },
    /// The sizes cannot have a consistency proof (older > newer, or older = 0).
    #[error("no consistency proof exists from size {from} to size {to}")]
    BadSizes {
        /// The older size.
        from: u64,
        /// The newer size.
        to: u64,
    },
    /// The proof has the wrong number of hashes for the sizes given.
    #[error("proof has {got} hashes, {want} expected")]
    WrongLength {
        /// Hashes the sizes imply.
        want: usize,
        /// Hashes given.
        got: usize,
    },
    /// The proof leads to a root other than the one expected.
    #[error("proof leads to root {got}, not {want}")]
    RootMismatch {
        /// The expected root.
        want: Hash,
        /// The root the proof leads to.
        got: Hash,
    },
}

/// The MTH of leaves `[lo, hi)`; `lo` is aligned as in RFC 9162's recursion.
pub fn range_root<S: HashSource>(src: &mut S, lo: u64, hi: u64) -> Result<Hash, S::Error> {
    let n = hi - lo;
    if n == 0 {
        return Ok(empty_root());
    }
    if n.is_power_of_two() && lo.is_multiple_of(n) {
        let level = n.trailing_zeros() as u8;
        return src.subtree(level, lo >> level);
    }
    let k = split_point(n);
    let left = range_root(src, lo, lo + k)?;
    let right = range_root(src, lo + k, hi)?;
    Ok(node_hash(&left, &right))
}

/// The root of a tree of `size` leaves.
pub fn tree_root<S: HashSource>(src: &mut S, size: u64) -> Result<Hash, S::Error> {
    range_root(src, 0, size)
}

/// RFC 9162 `PATH(index, D[size])`, from the leaf's sibling up to the root's child.
pub fn inclusion_proof<S: HashSource>(src: &mut S, index: u64, size: u64) -> Result<Vec<Hash>, ProveError<S::Error>> {
    if index >= size {
        return Err(ProveError::IndexOutOfRange { index, size });
    }
    let mut path = Vec::with_capacity(64);
    let (mut lo, mut hi, mut m) = (0u64, size, index);
    // Walk down from the root; siblings are collected top-down and reversed at the end.
    while hi - lo > 1 {
        let k = split_point(hi - lo);
        if m < k {
            path.push(range_root(src, lo + k, hi).map_err(ProveError::Source)?);
            hi = lo + k;
        } else {
            path.push(range_root(src, lo, lo + k).map_err(ProveError::Source)?);
            lo += k;
            m -= k;
        }
    }
    path.reverse();
    Ok(path)
}

/// RFC 9162 `PROOF(from, D[to])`. Empty when the sizes are equal.
pub fn consistency_proof<S: HashSource>(src: &mut S, from: u64, to: u64) -> Result<Vec<Hash>, ProveError<S::Error>> {
    if from == 0 || from > to {
        return Err(ProveError::BadSizes { from, to });
    }
    let mut proof = Vec::with_capacity(64);
    let (mut lo, mut hi, mut m, mut complete) = (0u64, to, from, true);
    loop {
        let n = hi - lo;
        if m == n {
            if !complete {
                proof.push(range_root(src, lo, hi).map_err(ProveError::Source)?);
            }
            break;
        }
        let k = split_point(n);
        if m <= k {
            proof.push(range_root(src, lo + k, hi).map_err(ProveError::Source)?);
            hi = lo + k;
        } else {
            proof.push(range_root(src, lo, lo + k).map_err(ProveError::Source)?);
            lo += k;
            m -= k;
            complete = false;
        }
    }
    proof.reverse();
    Ok(proof)
}

/// Splits an inclusion proof length into the inner part (below the point where the paths to
/// `index` and to `size - 1` meet) and the border part (along the right edge).
fn decompose(index: u64, size: u64) -> (usize, usize) {
    let inner = (64 - (index ^ (size - 1)).leading_zeros()) as usize;
    let border = (index >> inner).count_ones() as usize;
    (inner, border)
}

fn chain_inner(seed: Hash, proof: &[Hash], index: u64) -> Hash {
    proof.iter().enumerate().fold(
        seed,
        |acc, (i, h)| {
            if (index >> i) & 1 == 0 { node_hash(&acc, h) } else { node_hash(h, &acc) }
        },
    )
}

fn chain_inner_right(seed: Hash, proof: &[Hash], index: u64) -> Hash {
    proof.iter().enumerate().fold(seed, |acc, (i, h)| if (index >> i) & 1 == 1 { node_hash(h, &acc) } else { acc })
}

fn chain_border_right(seed: Hash, proof: &[Hash]) -> Hash {
    proof.iter().fold(seed, |acc, h| node_hash(h, &acc))
}

/// The root an inclusion proof leads to.
pub fn root_from_inclusion(index: u64, size: u64, leaf: Hash, proof: &[Hash]) -> Result<Hash, VerifyError> {
    if index >= size {
        return Err(VerifyError::IndexOutOfRange { index, size });
    }
    let (inner, border) = decompose(index, size);
    if proof.len() != inner + border {
        return Err(VerifyError::WrongLength { want: inner + border, got: proof.len() });
    }
    let acc = chain_inner(leaf, &proof[..inner], index);
    Ok(chain_border_right(acc, &proof[inner..]))
}

/// Checks that `leaf` is at `index` in the tree of `size` leaves with head `root`.
pub fn verify_inclusion(index: u64, size: u64, leaf: Hash, proof: &[Hash], root: Hash) -> Result<(), VerifyError> {
    let got = root_from_inclusion(index, size, leaf, proof)?;
    if got != root {
        return Err(VerifyError::RootMismatch { want: root, got });
    }
    Ok(())
}

/// Checks that the tree of `size2` leaves with head `root2` extends the tree of `size1`
/// leaves with head `root1`. A proof from size 0 is meaningless and always fails.
pub fn verify_consistency(size1: u64, size2: u64, root1: Hash, root2: Hash, proof: &[Hash]) -> Result<(), VerifyError> {
    if size2 < size1 || size1 == 0 {
        return Err(VerifyError::BadSizes { from: size1, to: size2 });
    }
    if size1 == size2 {
        if !proof.is_empty() {
            return Err(VerifyError::WrongLength { want: 0, got: proof.len() });
        }
        if root1 != root2 {
            return Err(VerifyError::RootMismatch { want: root2, got: root1 });
        }
        return Ok(());
    }
    if proof.is_empty() {
        return Err(VerifyError::WrongLength { want: 1, got: 0 });
    }
    let (inner, border) = decompose(size1 - 1, size2);
    let shift = size1.trailing_zeros() as usize;
    let inner = inner - shift;
    // When size1 is a perfect subtree its root is the seed; otherwise the proof's first hash.
    let (seed, rest) = if size1 == 1u64 << shift { (root1, proof) } else { (proof[0], &proof[1..]) };
    let start = proof.len() - rest.len();
    if proof.len() != start + inner + border {
        return Err(VerifyError::WrongLength { want: start + inner + border, got: proof.len() });
    }
    let mask = (size1 - 1) >> shift;
    let hash1 = chain_border_right(chain_inner_right(seed, &rest[..inner], mask), &rest[inner..]);
    if hash1 != root1 {
        return Err(VerifyError::RootMismatch { want: root1, got: hash1 });
    }
    let hash2 = chain_border_right(chain_inner(seed, &rest[..inner], mask), &rest[inner..]);
    if hash2 != root2 {
        return Err(VerifyError::RootMismatch { want: root2, got: hash2 });
    }
    Ok(())
}

/// A [`HashSource`] over leaf hashes held in memory (tests, small trees, the auditor).
#[derive(Debug, Clone)]
pub struct MemoryTree {
    levels: Vec<Vec<Hash>>,
}

impl Default for MemoryTree {
    fn default() -> MemoryTree {
        MemoryTree::new(Vec::new())
    }
}

impl MemoryTree {
    /// A tree over these leaf hashes.
    pub fn new(leaves: Vec<Hash>) -> MemoryTree {
        let mut tree = MemoryTree { levels: vec![Vec::new()] };
        for leaf in leaves {
            tree.push(leaf);
        }
        tree
    }

    /// Appends a leaf hash, completing the perfect subtrees it closes.
    pub fn push(&mut self, leaf: Hash) {
        self.levels[0].push(leaf);
        let mut level = 0;
        while self.levels[level].len().is_multiple_of(2) {
            let n = self.levels[level].len();
            let parent = node_hash(&self.levels[level][n - 2], &self.levels[level][n - 1]);
            if self.levels.len() == level + 1 {
                self.levels.push(Vec::new());
            }
            self.levels[level + 1].push(parent);
            level += 1;
        }
    }

    /// Number of leaves.
    pub fn size(&self) -> u64 {
        self.levels[0].len() as u64
    }

    /// The head of the tree of the first `size` leaves.
    pub fn root(&mut self, size: u64) -> Hash {
        match tree_root(self, size) {
            Ok(h) => h,
            Err(never) => match never {},
        }
    }
}

impl HashSource for MemoryTree {
    type Error = std::convert::Infallible;
    fn subtree(&mut self, level: u8, index: u64) -> Result<Hash, Self::Error> {
        Ok(self.levels[level as usize][index as usize])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hash::leaf_hash;
    use proptest::prelude::*;

    fn tree(n: u64) -> MemoryTree {
        MemoryTree::new((0..n).map(|i| leaf_hash(&i.to_le_bytes())).collect())
    }

    fn flip(h: &mut Hash, bit: usize) {
        h.0[bit / 8 % 32] ^= 1 << (bit % 8);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        #[test]
        fn every_inclusion_proof_verifies_and_every_bit_flip_fails(
            size in 1u64..10_000, index_seed: u64, bit in 0usize..256, which: usize,
        ) {
            let mut t = tree(size);
            let index = index_seed % size;
            let root = t.root(size);
            let leaf = leaf_hash(&index.to_le_bytes());
            let proof = inclusion_proof(&mut t, index, size).expect("proof");
            prop_assert!(verify_inclusion(index, size, leaf, &proof, root).is_ok());

            let mut bad_leaf = leaf;
            flip(&mut bad_leaf, bit);
            prop_assert!(verify_inclusion(index, size, bad_leaf, &proof, root).is_err());
            let mut bad_root = root;
            flip(&mut bad_root, bit);
            prop_assert!(verify_inclusion(index, size, leaf, &proof, bad_root).is_err());
            if !proof.is_empty() {
                let mut bad = proof.clone();
                let i = which % bad.len();
                flip(&mut bad[i], bit);
                prop_assert!(verify_inclusion(index, size, leaf, &bad, root).is_err());
            }
        }

        #[test]
        fn every_consistency_proof_verifies_and_every_bit_flip_fails(
            a in 1u64..10_000, b in 1u64..10_000, bit in 0usize..256, which: usize,
        ) {
            let (size1, size2) = if a <= b { (a, b) } else { (b, a) };
            let mut t = tree(size2);
            let root1 = t.root(size1);
            let root2 = t.root(size2);
            let proof = consistency_proof(&mut t, size1, size2).expect("proof");
            prop_assert!(verify_consistency(size1, size2, root1, root2, &proof).is_ok());

            let mut bad_root1 = root1;
            flip(&mut bad_root1, bit);
            prop_assert!(verify_consistency(size1, size2, bad_root1, root2, &proof).is_err());
            let mut bad_root2 = root2;
            flip(&mut bad_root2, bit);
            prop_assert!(verify_consistency(size1, size2, root1, bad_root2, &proof).is_err());
            if !proof.is_empty() {
                let mut bad = proof.clone();
                let i = which % bad.len();
                flip(&mut bad[i], bit);
                prop_assert!(verify_consistency(size1, size2, root1, root2, &bad).is_err());
            }
        }
    }

    #[test]
    fn proofs_of_impossible_pairs_are_refused() {
        let mut t = tree(5);
        assert!(matches!(inclusion_proof(&mut t, 5, 5), Err(ProveError::IndexOutOfRange { .. })));
        assert!(matches!(consistency_proof(&mut t, 0, 5), Err(ProveError::BadSizes { .. })));
        assert!(matches!(consistency_proof(&mut t, 4, 3), Err(ProveError::BadSizes { .. })));
        let r = t.root(5);
        assert!(verify_consistency(0, 0, r, r, &[]).is_err());
    }
}

//! C2SP tlog-tiles: tile paths, which tiles a tree size has, the incremental tile writer
//! a log appends through, and a [`HashSource`] that reads proofs out of tiles.
//!
//! A tile at level `L` holds up to 256 consecutive hashes of tree level `8 L`; a full tile
//! never changes again, a partial one grows until it is full.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt;

use thiserror::Error;

use crate::hash::{Hash, empty_root, node_hash, root_of};
use crate::proof::HashSource;

/// Hashes per full tile.
pub const TILE_WIDTH: u64 = 256;
/// Tree levels per tile level.
pub const TILE_HEIGHT: u8 = 8;

/// What a tile path names: a hash tile at a level, or an entry bundle.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TileKind {
    /// Hashes of tree level `8 * level`.
    Hashes(u8),
    /// Entry bundle (the log entries themselves, length-prefixed).
    Entries,
}

/// One tile, full (`width == 256`) or partial.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TileId {
    /// Hashes at a level, or entries.
    pub kind: TileKind,
    /// Tile index within its level.
    pub index: u64,
    /// Number of hashes or entries, 1..=256.
    pub width: u16,
}

/// Why a tile path was refused.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
#[error("tile path {path:?}: {reason}")]
pub struct TilePathError {
    /// The path given.
    pub path: String,
    /// What is wrong with it.
    pub reason: &'static str,
}

fn index_path(index: u64) -> String {
    let digits = index.to_string();
    let pad = (3 - digits.len() % 3) % 3;
    let padded = format!("{}{digits}", "0".repeat(pad));
    let groups: Vec<&str> = padded.as_bytes().chunks(3).map(|c| std::str::from_utf8(c).unwrap_or("000")).collect();
    let last = groups.len() - 1;
    groups
        .iter()
        .enumerate()
        .map(|(i, g)| if i < last { format!("x{g}") } else { (*g).to_string() })
        .collect::<Vec<_>>()
        .join("/")
}

impl fmt::Display for TileId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.kind {
            TileKind::Hashes(level) => write!(f, "tile/{level}/{}", index_path(self.index))?,
            TileKind::Entries => write!(f, "tile/entries/{}", index_path(self.index))?,
        }
        if u64::from(self.width) < TILE_WIDTH {
            write!(f, ".p/{}", self.width)?;
        }
        Ok(())
    }
}

fn is_canonical_decimal(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) && (s == "0" || !s.starts_with('0'))
}

impl TileId {
    /// Parses a path relative to the log prefix, such as `tile/0/x001/x234/067.p/8`.
    pub fn parse(path: &str) -> Result<TileId, TilePathError> {
        let err = |reason| TilePathError { path: path.to_string(), reason };
        let mut parts: Vec<&str> = path.split('/').collect();
        if parts.len() < 3 || parts[0] != "tile" {
            return Err(err("must be tile/<level>/<index>"));
        }
        let kind = if parts[1] == "entries" {
            TileKind::Entries
        } else {
            if !is_canonical_decimal(parts[1]) {
                return Err(err("level must be a decimal 0..63 with no leading zeros"));
            }
            match parts[1].parse::<u8>() {
                Ok(l) if l < 64 => TileKind::Hashes(l),
                _ => return Err(err("level must be 0..63")),
            }
        };
        let mut width = TILE_WIDTH as u16;
        if parts.len() >= 4 && parts[parts.len() - 2].ends_with(".p") {
            let w = parts.pop().unwrap_or_default();
            if !is_canonical_decimal(w) {
                return Err(err("width must be a decimal 1..255 with no leading zeros"));
            }
            match w.parse::<u16>() {
                Ok(n) if (1..256).contains(&n) => width = n,
                _ => return Err(err("width must be 1..255")),
            }
            let last = parts.len() - 1;
            parts[last] = parts[last].trim_end_matches(".p");
        }
        let groups = &parts[2..];
        let mut index: u64 = 0;
        for (i, group) in groups.iter().enumerate() {
            let last = i == groups.len() - 1;
            let digits = if last {
                if group.starts_with('x') {
                    return Err(err("the last index element must not start with x"));
                }
                *group
            } else {
                group.strip_prefix('x').ok_or_else(|| err("every index element but the last must start with x"))?
            };
            if digits.len() != 3 || !digits.bytes().all(|b| b.is_ascii_digit()) {
                return Err(err("index elements must be exactly 3 digits"));
            }
            if i == 0 && !last && digits == "000" {
                return Err(err("index has a leading all-zero element"));
            }
            let value: u64 = digits.parse().map_err(|_| err("index elements must be exactly 3 digits"))?;
            index = index.checked_mul(1000).and_then(|v| v.checked_add(value)).ok_or_else(|| err("index overflows"))?;
        }
        Ok(TileId { kind, index, width })
    }

    /// The hash tile at `level` holding tree-level-`8 level` hash number `n`, at the width it
    /// has in a tree of `size` leaves.
    pub fn for_hash(level: u8, n: u64, size: u64) -> TileId {
        let count = hashes_at(level, size);
        let index = n / TILE_WIDTH;
        let width = (count - index * TILE_WIDTH).min(TILE_WIDTH) as u16;
        TileId { kind: TileKind::Hashes(level), index, width }
    }
}

/// Number of tree-level-`8 level` hashes in a tree of `size` leaves.
pub fn hashes_at(level: u8, size: u64) -> u64 {
    if u32::from(level) * 8 >= 64 { 0 } else { size >> (u32::from(level) * 8) }
}

/// The tiles a tree of `size` leaves has at each level: `(level, full tiles, partial width)`.
pub fn tile_set(size: u64) -> Vec<(u8, u64, u16)> {
    let mut out = Vec::new();
    let mut level = 0u8;
    loop {
        let count = hashes_at(level, size);
        if count == 0 {
            break;
        }
        out.push((level, count / TILE_WIDTH, (count % TILE_WIDTH) as u16));
        level += 1;
    }
    out
}

/// Encodes entries as a tlog-tiles entry bundle: each one as a big-endian u16 length and
/// its bytes. Entries longer than 65,535 bytes cannot be bundled.
pub fn entry_bundle<'a>(entries: impl IntoIterator<Item = &'a [u8]>) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    for entry in entries {
        let len = u16::try_from(entry.len()).ok()?;
        out.extend_from_slice(&len.to_be_bytes());
        out.extend_from_slice(entry);
    }
    Some(out)
}

/// Splits an entry bundle into its entries; `None` when it is truncated.
pub fn parse_entry_bundle(mut bytes: &[u8]) -> Option<Vec<&[u8]>> {
    let mut out = Vec::new();
    while !bytes.is_empty() {
        if bytes.len() < 2 {
            return None;
        }
        let len = usize::from(u16::from_be_bytes([bytes[0], bytes[1]]));
        let rest = &bytes[2..];
        if rest.len() < len {
            return None;
        }
        out.push(&rest[..len]);
        bytes = &rest[len..];
    }
    Some(out)
}

/// Hashes of a tile's bytes.
pub fn tile_hashes(bytes: &[u8]) -> Option<Vec<Hash>> {
    if !bytes.len().is_multiple_of(Hash::LEN) {
        return None;
    }
    Some(bytes.chunks_exact(Hash::LEN).filter_map(Hash::from_slice).collect())
}

fn tile_bytes(hashes: &[Hash]) -> Vec<u8> {
    hashes.iter().flat_map(|h| h.0).collect()
}

/// The right edge of a tiled log: the partial tile at each level. Appending a leaf touches at
/// most one tile per level; [`TileWriter::take_writes`] hands over the tiles to store.
#[derive(Debug, Clone, Default)]
pub struct TileWriter {
    size: u64,
    partial: Vec<Vec<Hash>>,
    writes: BTreeMap<(u8, u64), Vec<u8>>,
    dirty: BTreeSet<u8>,
}

/// Why a tile writer could not be restored from stored tiles.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
#[error("stored tile {tile} has {got} bytes, {want} expected")]
pub struct RestoreError {
    /// The tile path.
    pub tile: String,
    /// Bytes expected.
    pub want: usize,
    /// Bytes found.
    pub got: usize,
}

impl TileWriter {
    /// The writer of an empty log.
    pub fn new() -> TileWriter {
        TileWriter::default()
    }

    /// Restores the writer of a log of `size` leaves from the stored bytes of its right edge:
    /// the partial tile of each level that has one (each exactly as long as its width).
    pub fn restore(size: u64, mut read: impl FnMut(TileId) -> Option<Vec<u8>>) -> Result<TileWriter, RestoreError> {
        let mut partial = Vec::new();
        for (level, full, width) in tile_set(size) {
            let mut hashes = Vec::new();
            if width > 0 {
                let id = TileId { kind: TileKind::Hashes(level), index: full, width };
                let want = usize::from(width) * Hash::LEN;
                let bytes = read(id).unwrap_or_default();
                // The right edge holds exactly the hashes of this size: more means the log was
                // cut back under its tiles, fewer that tiles are missing.
                if bytes.len() != want {
                    return Err(RestoreError { tile: id.to_string(), want, got: bytes.len() });
                }
                hashes = tile_hashes(&bytes).unwrap_or_default();
            }
            partial.push(hashes);
        }
        Ok(TileWriter { size, partial, writes: BTreeMap::new(), dirty: BTreeSet::new() })
    }

    /// Leaves appended so far.
    pub fn size(&self) -> u64 {
        self.size
    }

    /// Appends one leaf hash.
    pub fn append(&mut self, leaf: Hash) {
        let mut level = 0usize;
        let mut hash = leaf;
        loop {
            if self.partial.len() == level {
                self.partial.push(Vec::new());
            }
            self.partial[level].push(hash);
            self.dirty.insert(level as u8);
            if self.partial[level].len() as u64 == TILE_WIDTH {
                let count = hashes_at(level as u8, self.size + 1);
                let index = count / TILE_WIDTH - 1;
                let full = std::mem::take(&mut self.partial[level]);
                self.writes.insert((level as u8, index), tile_bytes(&full));
                self.dirty.remove(&(level as u8));
                hash = root_of(&full);
                level += 1;
            } else {
                break;
            }
        }
        self.size += 1;
    }

    /// The tiles changed since the last call, as `(tile, bytes)`: full tiles once, and the
    /// current contents of every partial tile that grew.
    pub fn take_writes(&mut self) -> Vec<(TileId, Vec<u8>)> {
        for level in std::mem::take(&mut self.dirty) {
            let hashes = &self.partial[usize::from(level)];
            if !hashes.is_empty() {
                let index = hashes_at(level, self.size) / TILE_WIDTH;
                self.writes.insert((level, index), tile_bytes(hashes));
            }
        }
        std::mem::take(&mut self.writes)
            .into_iter()
            .map(|((level, index), bytes)| {
                let width = (bytes.len() / Hash::LEN) as u16;
                (TileId { kind: TileKind::Hashes(level), index, width }, bytes)
            })
            .collect()
    }

    /// The tree head of the leaves appended so far.
    pub fn root(&self) -> Hash {
        let mut perfect = Vec::new();
        for hashes in self.partial.iter().rev() {
            let mut pos = 0usize;
            for bit in (0..8).rev() {
                let chunk = 1usize << bit;
                if hashes.len() & chunk != 0 {
                    perfect.push(root_of(&hashes[pos..pos + chunk]));
                    pos += chunk;
                }
            }
        }
        let mut iter = perfect.iter().rev();
        match iter.next() {
            None => empty_root(),
            Some(last) => iter.fold(*last, |acc, left| node_hash(left, &acc)),
        }
    }
}

/// Where a [`TileSource`] reads stored hash tiles from. The bytes returned may be longer than
/// asked (a tile that has grown since), never shorter.
pub trait TileStore {
    /// What reading can fail with.
    type Error;
    /// The stored bytes of hash tile `index` at `level`, or `None` if there is none.
    fn read_tile(&mut self, level: u8, index: u64) -> Result<Option<Vec<u8>>, Self::Error>;
}

/// Why a hash could not be read from tiles.
#[derive(Debug, Error)]
pub enum TileReadError<E> {
    /// A tile the tree needs is missing or too short.
    #[error("tile {tile} is missing or short: needed {needed} hashes")]
    Missing {
        /// The tile's path.
        tile: String,
        /// Hashes needed from it.
        needed: usize,
    },
    /// The storage failed.
    #[error(transparent)]
    Store(E),
}

/// A [`HashSource`] over stored tiles, caching the tiles it has read.
#[derive(Debug)]
pub struct TileSource<T> {
    store: T,
    cache: HashMap<(u8, u64), Vec<u8>>,
}

impl<T: TileStore> TileSource<T> {
    /// Reads from `store`.
    pub fn new(store: T) -> TileSource<T> {
        TileSource { store, cache: HashMap::new() }
    }

    /// The underlying store.
    pub fn into_inner(self) -> T {
        self.store
    }
}

impl<T: TileStore> HashSource for TileSource<T> {
    type Error = TileReadError<T::Error>;

    fn subtree(&mut self, level: u8, index: u64) -> Result<Hash, Self::Error> {
        let tile_level = level / TILE_HEIGHT;
        let height = u32::from(level % TILE_HEIGHT);
        let first = index << height;
        let count = 1usize << height;
        let tile_index = first / TILE_WIDTH;
        let offset = (first % TILE_WIDTH) as usize;
        let key = (tile_level, tile_index);
        if !self.cache.contains_key(&key) {
            let bytes = self.store.read_tile(tile_level, tile_index).map_err(TileReadError::Store)?.unwrap_or_default();
            self.cache.insert(key, bytes);
        }
        let bytes = self.cache.get(&key).map(Vec::as_slice).unwrap_or_default();
        let end = (offset + count) * Hash::LEN;
        if bytes.len() < end {
            let id = TileId { kind: TileKind::Hashes(tile_level), index: tile_index, width: (offset + count) as u16 };
            return Err(TileReadError::Missing { tile: id.to_string(), needed: offset + count });
        }
        let hashes = tile_hashes(&bytes[offset * Hash::LEN..end]).unwrap_or_default();
        Ok(root_of(&hashes))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hash::leaf_hash;
    use crate::proof::{MemoryTree, consistency_proof, inclusion_proof, tree_root};

    #[derive(Default)]
    struct Mem(HashMap<(u8, u64), Vec<u8>>);
    impl TileStore for &Mem {
        type Error = std::convert::Infallible;
        fn read_tile(&mut self, level: u8, index: u64) -> Result<Option<Vec<u8>>, Self::Error> {
            Ok(self.0.get(&(level, index)).cloned())
        }
    }

    #[test]
    fn index_paths_group_digits_in_threes() {
        let id = |index, width| TileId { kind: TileKind::Hashes(0), index, width }.to_string();
        assert_eq!(id(1_234_067, 256), "tile/0/x001/x234/067");
        assert_eq!(id(0, 256), "tile/0/000");
        assert_eq!(id(1, 44), "tile/0/001.p/44");
        assert_eq!(TileId::parse("tile/0/x001/x234/067.p/8").map(|t| (t.index, t.width)), Ok((1_234_067, 8)));
    }

    #[test]
    fn writer_tiles_give_the_same_roots_and_proofs_as_the_whole_tree() {
        let mut writer = TileWriter::new();
        let mut mem = Mem::default();
        let mut tree = MemoryTree::default();
        let mut leaves = Vec::new();
        for batch in [1u64, 2, 300, 255, 66_000, 1, 700] {
            for _ in 0..batch {
                let leaf = leaf_hash(&(leaves.len() as u64).to_be_bytes());
                writer.append(leaf);
                tree.push(leaf);
                leaves.push(leaf);
            }
            for (id, bytes) in writer.take_writes() {
                let TileKind::Hashes(level) = id.kind else { unreachable!() };
                mem.0.insert((level, id.index), bytes);
            }
            let size = writer.size();
            assert_eq!(writer.root(), tree.root(size), "root at {size}");
            let mut src = TileSource::new(&mem);
            assert_eq!(tree_root(&mut src, size).ok(), Some(tree.root(size)));
            for index in [0, size / 3, size - 1] {
                assert_eq!(inclusion_proof(&mut src, index, size).ok(), inclusion_proof(&mut tree, index, size).ok());
            }
            if size > 1 {
                assert_eq!(
                    consistency_proof(&mut src, size / 2, size).ok(),
                    consistency_proof(&mut tree, size / 2, size).ok()
                );
            }
            let restored = TileWriter::restore(size, |id| {
                let TileKind::Hashes(level) = id.kind else { return None };
                mem.0.get(&(level, id.index)).cloned()
            })
            .expect("restore");
            assert_eq!(restored.root(), writer.root());
        }
    }
}

//! truce-ledger: the tamper-evident log, as bytes and hashes. RFC 9162 Merkle tree hashing,
//! inclusion and consistency proofs, C2SP signed notes, checkpoints, cosignatures, tiles,
//! tlog-proof and tlog-policy, and the witness's add-checkpoint decision.
//!
//! It knows nothing of claims, SQL or HTTP: a journal entry is a leaf of bytes, storage is a
//! [`tiles::TileStore`], and the network is the caller's business.

pub mod checkpoint;
pub mod hash;
pub mod note;
pub mod policy;
pub mod proof;
pub mod tiles;
pub mod tlog_proof;
pub mod witness;

pub use checkpoint::{Checkpoint, CheckpointError, Cosignature, VerifiedCheckpoint, cosignatures, open_checkpoint};
pub use hash::{Hash, TreeBuilder, empty_root, leaf_hash, node_hash, root_of};
pub use note::{NoteError, OpenedNote, ParsedNote, SigningKeyPair, VerifierKey, open_note, parse_note};
pub use policy::{Policy, PolicyError};
pub use proof::{
    HashSource, MemoryTree, ProveError, VerifyError, consistency_proof, inclusion_proof, tree_root, verify_consistency,
    verify_inclusion,
};
pub use tiles::{TileId, TileKind, TileSource, TileStore, TileWriter};
pub use tlog_proof::{TlogProof, TlogProofError};

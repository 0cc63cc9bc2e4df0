//! C2SP tlog-proof: an entry's index, its inclusion proof and the (cosigned) checkpoint, in
//! one text file that anyone can check offline against a tlog-policy.

use std::fmt;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use thiserror::Error;

use crate::checkpoint::VerifiedCheckpoint;
use crate::hash::Hash;
use crate::policy::{Policy, PolicyError};
use crate::proof::{VerifyError, verify_inclusion};

const HEADER: &str = "c2sp.org/tlog-proof@v1";

/// A parsed tlog-proof.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TlogProof {
    /// Opaque, unauthenticated extra data.
    pub extra: Option<Vec<u8>>,
    /// The entry's index.
    pub index: u64,
    /// The inclusion proof, from the leaf's sibling up.
    pub proof: Vec<Hash>,
    /// The checkpoint note, verbatim.
    pub checkpoint: String,
}

/// Why a tlog-proof was refused.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum TlogProofError {
    /// The file is malformed.
    #[error("malformed tlog-proof: {0}")]
    Malformed(&'static str),
    /// The checkpoint does not satisfy the policy.
    #[error(transparent)]
    Policy(#[from] PolicyError),
    /// The inclusion proof does not bind the leaf to the checkpoint.
    #[error("inclusion proof: {0}")]
    Inclusion(#[from] VerifyError),
}

impl TlogProof {
    /// Parses the text of a proof.
    pub fn parse(text: &str) -> Result<TlogProof, TlogProofError> {
        let bad = TlogProofError::Malformed;
        let (head, checkpoint) = text.split_once("\n\n").ok_or(bad("no blank line before the checkpoint"))?;
        let mut lines = head.split('\n');
        if lines.next() != Some(HEADER) {
            return Err(bad("first line must be c2sp.org/tlog-proof@v1"));
        }
        let mut line = lines.next().ok_or(bad("missing index line"))?;
        let mut extra = None;
        if let Some(b64) = line.strip_prefix("extra ") {
            extra = Some(STANDARD.decode(b64).map_err(|_| bad("extra is not standard base64"))?);
            line = lines.next().ok_or(bad("missing index line"))?;
        }
        let index = line.strip_prefix("index ").ok_or(bad("missing index line"))?;
        if index.is_empty() || !index.bytes().all(|b| b.is_ascii_digit()) || (index.len() > 1 && index.starts_with('0'))
        {
            return Err(bad("index must be a decimal with no leading zero"));
        }
        let index = index.parse().map_err(|_| bad("index out of range"))?;
        let proof = lines
            .map(|l| Hash::from_base64(l).ok_or(bad("proof line is not base64 of 32 bytes")))
            .collect::<Result<Vec<_>, _>>()?;
        if proof.len() > 63 {
            return Err(bad("more than 63 proof hashes"));
        }
        Ok(TlogProof { extra, index, proof, checkpoint: checkpoint.to_string() })
    }

    /// Verifies that the entry whose leaf hash is `leaf` is in the checkpointed tree, and that
    /// the checkpoint satisfies `policy`. Returns the checkpoint.
    pub fn verify(&self, leaf: Hash, policy: &Policy) -> Result<VerifiedCheckpoint, TlogProofError> {
        let verified = policy.verify_checkpoint(self.checkpoint.as_bytes())?;
        let cp = &verified.checkpoint;
        verify_inclusion(self.index, cp.size, leaf, &self.proof, cp.root)?;
        Ok(verified)
    }
}

impl fmt::Display for TlogProof {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{HEADER}")?;
        if let Some(extra) = &self.extra {
            writeln!(f, "extra {}", STANDARD.encode(extra))?;
        }
        writeln!(f, "index {}", self.index)?;
        for h in &self.proof {
            writeln!(f, "{}", h.to_base64())?;
        }
        write!(f, "\n{}", self.checkpoint)
    }
}

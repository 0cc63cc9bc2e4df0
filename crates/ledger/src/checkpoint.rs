//! C2SP tlog-checkpoint: the signed statement of a log's origin, size and root, and the
//! checks that bind a signed note to a log key and to witness cosignatures.

use std::fmt;

use thiserror::Error;

use crate::hash::Hash;
use crate::note::{NoteError, ParsedNote, TYPE_COSIGNATURE, VerifierKey, open_note, parse_note};

/// A checkpoint body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checkpoint {
    /// The log's origin line (its identity).
    pub origin: String,
    /// Tree size.
    pub size: u64,
    /// Tree head.
    pub root: Hash,
    /// Optional extension lines, without newlines.
    pub extensions: Vec<String>,
}

/// Why a checkpoint was refused.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum CheckpointError {
    /// The body is malformed.
    #[error("malformed checkpoint: {0}")]
    Malformed(&'static str),
    /// The note around it is malformed or its log signature does not verify.
    #[error(transparent)]
    Note(#[from] NoteError),
    /// The origin differs from the log key's name.
    #[error("checkpoint origin {got:?} is not the log's origin {want:?}")]
    WrongOrigin {
        /// The log key's name.
        want: String,
        /// The origin line.
        got: String,
    },
}

impl Checkpoint {
    /// Parses a checkpoint body (the note text, ending in a newline).
    pub fn parse(body: &str) -> Result<Checkpoint, CheckpointError> {
        let bad = CheckpointError::Malformed;
        if !body.ends_with('\n') {
            return Err(bad("must end in a newline"));
        }
        if body.contains('\r') {
            return Err(bad("carriage return"));
        }
        let mut lines = body[..body.len() - 1].split('\n');
        let origin = lines.next().filter(|o| !o.is_empty()).ok_or(bad("empty origin"))?;
        let size = lines.next().ok_or(bad("missing size"))?;
        if size.is_empty() || !size.bytes().all(|b| b.is_ascii_digit()) || (size.len() > 1 && size.starts_with('0')) {
            return Err(bad("size must be a decimal with no sign or leading zero"));
        }
        let size = size.parse::<u64>().map_err(|_| bad("size out of range"))?;
        let root = lines.next().and_then(Hash::from_base64).ok_or(bad("root must be base64 of 32 bytes"))?;
        let extensions: Vec<String> = lines.map(str::to_string).collect();
        if extensions.iter().any(String::is_empty) {
            return Err(bad("empty extension line"));
        }
        Ok(Checkpoint { origin: origin.to_string(), size, root, extensions })
    }

    /// The body text.
    pub fn body(&self) -> String {
        self.to_string()
    }
}

impl fmt::Display for Checkpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}\n{}\n{}\n", self.origin, self.size, self.root.to_base64())?;
        for ext in &self.extensions {
            writeln!(f, "{ext}")?;
        }
        Ok(())
    }
}

/// A checkpoint note whose log signature verified.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedCheckpoint {
    /// The body.
    pub checkpoint: Checkpoint,
    /// The whole note as given (log signature and any cosignatures).
    pub note: ParsedNote,
}

/// Opens a signed checkpoint with the log's key: the note must carry a valid signature by
/// that key, the origin must be the key's name, and the body must parse.
pub fn open_checkpoint(note: &[u8], log_key: &VerifierKey) -> Result<VerifiedCheckpoint, CheckpointError> {
    if log_key.sig_type() != crate::note::TYPE_ED25519 {
        return Err(CheckpointError::Malformed(
            "a log key must be an Ed25519 note key (type 0x01), not a cosignature key",
        ));
    }
    let opened = open_note(note, std::slice::from_ref(log_key))?;
    let checkpoint = Checkpoint::parse(&opened.text)?;
    if checkpoint.origin != log_key.name() {
        return Err(CheckpointError::WrongOrigin { want: log_key.name().to_string(), got: checkpoint.origin });
    }
    Ok(VerifiedCheckpoint { checkpoint, note: parse_note(note)? })
}

/// A cosignature that verified.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cosignature {
    /// The witness key.
    pub witness: VerifierKey,
    /// When the witness cosigned, Unix seconds.
    pub timestamp: u64,
}

/// The cosignatures on `note` that verify under `witnesses` (type-0x04 keys); lines from
/// other keys are ignored, as are bad ones.
pub fn cosignatures(note: &ParsedNote, witnesses: &[VerifierKey]) -> Vec<Cosignature> {
    let mut out: Vec<Cosignature> = Vec::new();
    for sig in &note.signatures {
        let Some(key) = witnesses
            .iter()
            .find(|k| k.sig_type() == TYPE_COSIGNATURE && k.name() == sig.name && k.key_id() == sig.key_id)
        else {
            continue;
        };
        if out.iter().any(|c| c.witness == *key) || !key.verify(&note.text, &sig.sig) {
            continue;
        }
        if let Some(timestamp) = sig.cosignature_time() {
            out.push(Cosignature { witness: key.clone(), timestamp });
        }
    }
    out
}

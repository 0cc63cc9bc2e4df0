//! The C2SP tlog-witness `add-checkpoint` decision, without I/O: parse the request, check
//! it against the logs the witness trusts and the last checkpoint it cosigned for the
//! origin, and say what to answer. The caller persists and signs under one lock.

use thiserror::Error;

use crate::checkpoint::{Checkpoint, CheckpointError, open_checkpoint};
use crate::hash::Hash;
use crate::note::{NoteError, VerifierKey, parse_note};
use crate::proof::verify_consistency;

/// A parsed add-checkpoint request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AddCheckpoint {
    /// The size of the previous checkpoint the client believes the witness holds.
    pub old_size: u64,
    /// Consistency proof from `old_size` to the new checkpoint.
    pub proof: Vec<Hash>,
    /// The signed checkpoint note.
    pub note: String,
}

/// The witness's answer when it does not cosign: an HTTP status and a body.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
#[error("{status}: {message}")]
pub struct Refusal {
    /// HTTP status code.
    pub status: u16,
    /// Human-readable reason, or the `text/x.tlog.size` body for 409.
    pub message: String,
    /// For a 409 on the old size: the size the witness holds.
    pub latest_size: Option<u64>,
}

fn refuse(status: u16, message: impl Into<String>) -> Refusal {
    Refusal { status, message: message.into(), latest_size: None }
}

impl AddCheckpoint {
    /// Format of the request body.
    pub fn to_body(&self) -> String {
        let mut out = format!("old {}\n", self.old_size);
        for h in &self.proof {
            out.push_str(&h.to_base64());
            out.push('\n');
        }
        out.push('\n');
        out.push_str(&self.note);
        out
    }

    /// Parses a request body; a malformed one is a 400.
    pub fn parse(body: &[u8]) -> Result<AddCheckpoint, Refusal> {
        let text = std::str::from_utf8(body).map_err(|_| refuse(400, "body is not UTF-8"))?;
        let (head, note) = text.split_once("\n\n").ok_or_else(|| refuse(400, "no blank line before the checkpoint"))?;
        let mut lines = head.split('\n');
        let old = lines
            .next()
            .and_then(|l| l.strip_prefix("old "))
            .ok_or_else(|| refuse(400, "first line must be old <size>"))?;
        if old.is_empty() || !old.bytes().all(|b| b.is_ascii_digit()) || (old.len() > 1 && old.starts_with('0')) {
            return Err(refuse(400, "old size must be a decimal with no leading zero"));
        }
        let old_size = old.parse().map_err(|_| refuse(400, "old size out of range"))?;
        let proof = lines
            .map(|l| Hash::from_base64(l).ok_or_else(|| refuse(400, "proof line is not base64 of 32 bytes")))
            .collect::<Result<Vec<_>, _>>()?;
        if proof.len() > 63 {
            return Err(refuse(400, "more than 63 proof lines"));
        }
        Ok(AddCheckpoint { old_size, proof, note: note.to_string() })
    }
}

/// Decides an add-checkpoint request. `logs` are the log keys the witness trusts;
/// `latest(origin)` gives the size and root of the last checkpoint cosigned for an origin.
/// On success returns the checkpoint to cosign and record.
pub fn decide(
    req: &AddCheckpoint,
    logs: &[VerifierKey],
    latest: impl FnOnce(&str) -> Option<(u64, Hash)>,
) -> Result<Checkpoint, Refusal> {
    let parsed = parse_note(req.note.as_bytes()).map_err(|e| refuse(400, e.to_string()))?;
    let cp = Checkpoint::parse(&parsed.text).map_err(|e| refuse(400, e.to_string()))?;
    let keys: Vec<&VerifierKey> = logs.iter().filter(|k| k.name() == cp.origin).collect();
    if keys.is_empty() {
        return Err(refuse(404, format!("unknown log {:?}", cp.origin)));
    }
    let signed = keys.iter().any(|k| open_checkpoint(req.note.as_bytes(), k).is_ok());
    if !signed {
        let reason = keys
            .iter()
            .find_map(|k| match open_checkpoint(req.note.as_bytes(), k) {
                Err(CheckpointError::Note(NoteError::InvalidSignature { .. })) => Some("invalid signature"),
                _ => None,
            })
            .unwrap_or("no signature from a trusted log key");
        return Err(refuse(403, reason));
    }
    if req.old_size > cp.size {
        return Err(refuse(400, "old size is larger than the checkpoint size"));
    }
    let (held_size, held_root) = latest(&cp.origin).unwrap_or((0, Hash::default()));
    if req.old_size != held_size {
        return Err(Refusal { status: 409, message: format!("{held_size}\n"), latest_size: Some(held_size) });
    }
    if req.old_size == 0 {
        if !req.proof.is_empty() {
            return Err(refuse(422, "consistency proof must be empty from size 0"));
        }
        return Ok(cp);
    }
    if req.old_size == cp.size {
        if !req.proof.is_empty() {
            return Err(refuse(422, "consistency proof must be empty between equal sizes"));
        }
        if cp.root != held_root {
            return Err(refuse(409, "same size, different root: the log has forked"));
        }
        return Ok(cp);
    }
    verify_consistency(req.old_size, cp.size, held_root, cp.root, &req.proof)
        .map_err(|e| refuse(422, format!("consistency proof does not verify: {e}")))?;
    Ok(cp)
}

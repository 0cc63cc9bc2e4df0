//! Claims signed by their submitter. The signature is a detached Ed25519 signature over the
//! claim exactly as submitted: its JSON without the `signature` member, in RFC 8785
//! canonical form. The server verifies it against the claimant's registered keys and keeps
//! signature and signed JSON in the journal entry, so the organisation can later show that
//! the recorded claim is what it signed.

use std::collections::HashMap;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use truce_ledger::VerifierKey;
use utoipa::ToSchema;

use crate::error::FieldErrors;
use crate::ids::PartyId;

/// The `signature` member of a submitted claim.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SignatureInput {
    /// The signing key's name and ID, `name+keyid` (a registered key of the claimant).
    pub key: Option<String>,
    /// The Ed25519 signature, standard base64 (64 bytes).
    pub sig: Option<String>,
}

/// A verified submitter signature, as kept in the journal entry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ClaimSignature {
    /// The key, `name+keyid`.
    pub key: String,
    /// The signature, base64.
    pub sig: String,
    /// The signed bytes: the claim's JSON without `signature`, RFC 8785 canonical, as a
    /// string (exactly what the signature covers).
    pub signed: String,
}

/// The bytes a submitter signs: the claim's JSON without `signature`, RFC 8785 canonical.
pub fn signing_message(mut claim: Value) -> Result<Vec<u8>, serde_json::Error> {
    if let Some(map) = claim.as_object_mut() {
        map.remove("signature");
    }
    crate::journal::canonical_json(&claim)
}

/// Signs a claim's JSON and returns it with its `signature` member set.
pub fn sign_claim(claim: &Value, key: &truce_ledger::SigningKeyPair) -> Result<Value, serde_json::Error> {
    let message = signing_message(claim.clone())?;
    let sig = key.sign_detached(&message);
    let vkey = key.note_verifier();
    let mut out = claim.clone();
    if let Value::Object(map) = &mut out {
        map.insert(
            "signature".into(),
            serde_json::json!({"key": format!("{}+{:08x}", vkey.name(), vkey.key_id()), "sig": STANDARD.encode(sig)}),
        );
    }
    Ok(out)
}

/// A signature parsed and waiting for verification.
#[derive(Debug, Clone)]
pub struct PendingSignature {
    /// Key name.
    pub name: String,
    /// Key ID.
    pub key_id: u32,
    /// Signature bytes.
    pub sig: [u8; 64],
    /// The signed bytes (canonical JSON).
    pub message: String,
}

impl PendingSignature {
    /// Takes the `signature` member out of `claim` (the whole submitted JSON object) and
    /// computes the signed bytes from what remains; `None` when the claim is not signed.
    /// Field names are prefixed with `prefix`.
    pub fn parse(mut claim: Value, prefix: &str) -> Result<Option<PendingSignature>, FieldErrors> {
        let Some(sig) = claim.as_object_mut().and_then(|m| m.remove("signature")) else { return Ok(None) };
        let mut e = FieldErrors::new();
        let input: SignatureInput = match serde_json::from_value(sig) {
            Ok(i) => i,
            Err(err) => {
                e.push(format!("{prefix}signature"), err.to_string());
                return Err(e);
            }
        };
        let key = input.key.as_deref().and_then(|k| {
            let parsed = k.split_once('+').and_then(|(name, id)| {
                (id.len() == 8 && id.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')))
                    .then(|| u32::from_str_radix(id, 16).ok().map(|id| (name.to_string(), id)))
                    .flatten()
            });
            if parsed.is_none() {
                e.push(format!("{prefix}signature.key"), "must be name+keyid (8 lowercase hex digits)");
            }
            parsed
        });
        if input.key.is_none() {
            e.push(format!("{prefix}signature.key"), "is required");
        }
        let sig = match input.sig.as_deref().map(|s| STANDARD.decode(s)) {
            None => {
                e.push(format!("{prefix}signature.sig"), "is required");
                None
            }
            Some(Ok(b)) => match <[u8; 64]>::try_from(b.as_slice()) {
                Ok(s) => Some(s),
                Err(_) => {
                    e.push(format!("{prefix}signature.sig"), "must be 64 bytes");
                    None
                }
            },
            Some(Err(_)) => {
                e.push(format!("{prefix}signature.sig"), "is not standard base64");
                None
            }
        };
        let message = signing_message(claim).map_err(|err| {
            let mut e = FieldErrors::new();
            let field = prefix.trim_end_matches('.');
            e.push(if field.is_empty() { "claim" } else { field }, err.to_string());
            e
        })?;
        // RFC 8785 output is UTF-8 JSON text.
        let message = String::from_utf8(message).unwrap_or_default();
        match (key, sig) {
            (Some((name, key_id)), Some(sig)) if e.is_empty() => {
                Ok(Some(PendingSignature { name, key_id, sig, message }))
            }
            _ => Err(e),
        }
    }

    /// The key's `name+keyid`.
    pub fn key_ref(&self) -> String {
        format!("{}+{:08x}", self.name, self.key_id)
    }
}

/// The y-coordinates (sign bit cleared) of the eight points of small order.
static SMALL_ORDER_Y: std::sync::LazyLock<Vec<[u8; 32]>> = std::sync::LazyLock::new(|| {
    curve25519_dalek::constants::EIGHT_TORSION
        .iter()
        .map(|p| {
            let mut y = p.compress().to_bytes();
            y[31] &= 0x7f;
            y
        })
        .collect()
});

/// Whether the signature's R is a canonical encoding (y below the field prime) of a point not
/// of small order: what `verify_strict` demands and batch verification does not check. Done on
/// the bytes, without decompressing the point.
fn strict_r(sig: &[u8; 64]) -> bool {
    let mut y = [0u8; 32];
    y.copy_from_slice(&sig[..32]);
    y[31] &= 0x7f;
    // y >= p = 2^255 - 19 means y is ff..ff (high byte 7f) with its low byte at least 0xed.
    let non_canonical = y[31] == 0x7f && y[1..31].iter().all(|&b| b == 0xff) && y[0] >= 0xed;
    !non_canonical && !SMALL_ORDER_Y.contains(&y)
}

/// Registered keys by (name, key ID): the party each signs for, and the key.
pub type KeyRing = HashMap<(String, u32), (PartyId, VerifierKey)>;

/// Verifies signatures of claims by `claimant`s; several at once use Ed25519 batch
/// verification (cofactored, as every batch verifier is; R is checked as `verify_strict`
/// would beforehand), and only when the batch fails is each checked alone with
/// `verify_strict` to name the bad ones.
/// Returns, per claim, its kept signature or the field errors.
pub fn verify_all(
    pending: Vec<(PendingSignature, PartyId, String)>,
    keys: &KeyRing,
) -> Vec<Result<ClaimSignature, FieldErrors>> {
    let mut results: Vec<Result<ClaimSignature, FieldErrors>> = Vec::with_capacity(pending.len());
    let mut batch: Vec<(usize, &VerifierKey)> = Vec::new();
    for (i, (p, claimant, prefix)) in pending.iter().enumerate() {
        let mut e = FieldErrors::new();
        match keys.get(&(p.name.clone(), p.key_id)) {
            None => e.push(format!("{prefix}signature.key"), format!("{} is not a registered key", p.key_ref())),
            Some((party, _)) if party != claimant => e.push(
                format!("{prefix}signature.key"),
                format!(
                    "{} is registered for {}, not for the claimant {}",
                    p.key_ref(),
                    party.as_str(),
                    claimant.as_str()
                ),
            ),
            // Batch verification accepts a small-order or non-canonical R that `verify_strict`
            // refuses; such a signature is refused here. (A batch still accepts an R with a
            // small-order component, which only the key's holder can make, and which then fails
            // the holder's own later proof with `truce verify`.)
            Some(_) if !strict_r(&p.sig) => {
                e.push(format!("{prefix}signature.sig"), "is not a canonical Ed25519 signature")
            }
            Some((_, key)) => batch.push((i, key)),
        }
        results.push(if e.is_empty() {
            Ok(ClaimSignature { key: p.key_ref(), sig: STANDARD.encode(p.sig), signed: p.message.clone() })
        } else {
            Err(e)
        });
    }
    let bad = |prefix: &str| {
        let mut e = FieldErrors::new();
        e.push(format!("{prefix}signature.sig"), "does not verify over the claim with this key");
        e
    };
    // One equation for the whole batch, with the terms of each key's signatures coalesced
    // (a batch is usually signed by one organisation's key, which halves the work).
    let batch_ok = batch.len() > 1 && {
        let mut verifier = ed25519_zebra::batch::Verifier::new();
        for (i, key) in &batch {
            let p = &pending[*i].0;
            let vk = ed25519_zebra::VerificationKeyBytes::from(key.public_key().to_bytes());
            verifier.queue((vk, ed25519_dalek::Signature::from_bytes(&p.sig), p.message.as_bytes()));
        }
        verifier.verify(rand_core::OsRng).is_ok()
    };
    if !batch_ok {
        for (i, key) in batch {
            let (p, _, prefix) = &pending[i];
            if !key.verify_detached(p.message.as_bytes(), &p.sig) {
                results[i] = Err(bad(prefix));
            }
        }
    }
    results
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Signed messages by two keys of two parties, and the ring that knows both.
    fn two_signers(n: usize) -> (Vec<(PendingSignature, PartyId, String)>, KeyRing) {
        let keys = [
            (truce_ledger::SigningKeyPair::from_seed("a.example", [1; 32]).expect("key"), "ARM"),
            (truce_ledger::SigningKeyPair::from_seed("b.example", [2; 32]).expect("key"), "AZE"),
        ];
        let mut ring = KeyRing::new();
        for (k, party) in &keys {
            let v = k.note_verifier();
            ring.insert((v.name().to_string(), v.key_id()), (PartyId::parse(party).expect("party"), v));
        }
        let pending = (0..n)
            .map(|i| {
                let (k, party) = &keys[i % 3 / 2];
                let message = format!("{{\"n\":{i}}}");
                let v = k.note_verifier();
                let p = PendingSignature {
                    name: v.name().to_string(),
                    key_id: v.key_id(),
                    sig: k.sign_detached(message.as_bytes()),
                    message,
                };
                (p, PartyId::parse(party).expect("party"), format!("claims[{i}]."))
            })
            .collect();
        (pending, ring)
    }

    #[test]
    fn a_batch_of_good_signatures_by_several_keys_verifies() {
        let (pending, ring) = two_signers(7);
        let results = verify_all(pending, &ring);
        assert_eq!(results.len(), 7);
        assert!(results.iter().all(Result::is_ok), "{results:?}");
    }

    #[test]
    fn each_bad_signature_in_a_batch_is_named_and_only_those() {
        for bad in [0usize, 3, 6] {
            let (mut pending, ring) = two_signers(7);
            pending[bad].0.message.push(' ');
            let results = verify_all(pending, &ring);
            for (i, r) in results.iter().enumerate() {
                match r {
                    Ok(_) => assert_ne!(i, bad, "the changed message was accepted"),
                    Err(e) => {
                        assert_eq!(i, bad, "a good signature was refused: {e:?}");
                        assert_eq!(e.0[0].field, format!("claims[{i}].signature.sig"));
                    }
                }
            }
        }
    }

    #[test]
    fn strict_r_refuses_small_order_and_non_canonical_points_only() {
        let key = truce_ledger::SigningKeyPair::from_seed("k", [3; 32]).expect("key");
        let good = key.sign_detached(b"message");
        assert!(strict_r(&good));
        for p in curve25519_dalek::constants::EIGHT_TORSION {
            let mut sig = good;
            sig[..32].copy_from_slice(&p.compress().to_bytes());
            assert!(!strict_r(&sig), "small-order point accepted");
            sig[31] ^= 0x80;
            assert!(!strict_r(&sig), "small-order point with the other sign accepted");
        }
        let mut sig = good;
        sig[..32].copy_from_slice(&[0xff; 32]);
        sig[31] = 0x7f;
        assert!(!strict_r(&sig), "y above the field prime accepted");
        // Every accepted R of real signatures decompresses to a large-order point.
        for i in 0u8..32 {
            let s = key.sign_detached(&[i]);
            let r = curve25519_dalek::edwards::CompressedEdwardsY(s[..32].try_into().expect("32 bytes"));
            assert_eq!(strict_r(&s), r.decompress().is_some_and(|p| !p.is_small_order() && p.compress() == r));
        }
    }
}

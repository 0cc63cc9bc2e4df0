//! C2SP signed-note: verifier keys (`name+keyid+base64`), signing keys, signature lines and
//! opening a note against a set of known keys, with Go `note.Open`'s duplicate rules.
//! Ed25519 note signatures (type 0x01) and tlog-cosignature/v1 (type 0x04) are supported.

use std::collections::HashSet;
use std::fmt;

use base64::Engine as _;
use base64::alphabet;
use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig, STANDARD};
use ed25519_dalek::{Signature as EdSignature, Signer as _, SigningKey, VerifyingKey};
use sha2::{Digest, Sha256};
use thiserror::Error;

/// Signature type of an Ed25519 note key.
pub const TYPE_ED25519: u8 = 0x01;
/// Signature type of a tlog-cosignature/v1 Ed25519 key.
pub const TYPE_COSIGNATURE: u8 = 0x04;

/// Go's `base64.StdEncoding`, which note signatures are read with, ignores non-zero
/// trailing bits; a stricter decoder would call a bad signature malformed instead of invalid.
const SIG_BASE64: GeneralPurpose =
    GeneralPurpose::new(&alphabet::STANDARD, GeneralPurposeConfig::new().with_decode_allow_trailing_bits(true));

const SIG_PREFIX: &str = "\u{2014} ";
const MAX_SIGNATURES: usize = 100;

/// Why a key or note was refused.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum NoteError {
    /// A verifier key string is malformed.
    #[error("verifier key {key:?}: {reason}")]
    BadVerifierKey {
        /// The key string.
        key: String,
        /// What is wrong.
        reason: &'static str,
    },
    /// A private key string is malformed.
    #[error("private key: {0}")]
    BadPrivateKey(&'static str),
    /// The note is not a well-formed signed note.
    #[error("malformed note: {0}")]
    Malformed(&'static str),
    /// A signature from a known key does not verify.
    #[error("invalid signature from known key {name}+{key_id:08x}")]
    InvalidSignature {
        /// Key name.
        name: String,
        /// Key ID.
        key_id: u32,
    },
    /// None of the signatures is from a known key.
    #[error("no signature from a known key")]
    NoVerifiedSignature,
}

/// A valid key name: non-empty, no whitespace, no `+`.
pub fn is_valid_name(name: &str) -> bool {
    !name.is_empty() && !name.chars().any(char::is_whitespace) && !name.contains('+')
}

/// `SHA-256(name || 0x0A || type || key)[:4]` as a big-endian u32.
pub fn key_id(name: &str, sig_type: u8, key: &[u8]) -> u32 {
    let mut h = Sha256::new();
    h.update(name.as_bytes());
    h.update([b'\n', sig_type]);
    h.update(key);
    let d = h.finalize();
    u32::from_be_bytes([d[0], d[1], d[2], d[3]])
}

/// A verifier key: a name, a key ID and an Ed25519 public key of one signature type.
#[derive(Clone, PartialEq, Eq)]
pub struct VerifierKey {
    name: String,
    key_id: u32,
    sig_type: u8,
    key: VerifyingKey,
}

impl fmt::Debug for VerifierKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "VerifierKey({self})")
    }
}

impl fmt::Display for VerifierKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut raw = vec![self.sig_type];
        raw.extend_from_slice(self.key.as_bytes());
        write!(f, "{}+{:08x}+{}", self.name, self.key_id, STANDARD.encode(raw))
    }
}

impl VerifierKey {
    /// Parses `name+keyid+base64(type || key)` (strict: lowercase 8-digit hex key ID).
    pub fn parse(text: &str) -> Result<VerifierKey, NoteError> {
        let bad = |reason| NoteError::BadVerifierKey { key: text.to_string(), reason };
        let (name, rest) = text.split_once('+').ok_or_else(|| bad("expected name+keyid+key"))?;
        let (id_hex, key_b64) = rest.split_once('+').ok_or_else(|| bad("expected name+keyid+key"))?;
        if !is_valid_name(name) {
            return Err(bad("name is empty or contains whitespace or +"));
        }
        if id_hex.len() != 8 || !id_hex.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')) {
            return Err(bad("key ID must be 8 lowercase hex digits"));
        }
        let claimed = u32::from_str_radix(id_hex, 16).map_err(|_| bad("key ID must be 8 lowercase hex digits"))?;
        let raw = STANDARD.decode(key_b64).map_err(|_| bad("key is not standard base64"))?;
        let (&sig_type, key) = raw.split_first().ok_or_else(|| bad("key is empty"))?;
        if sig_type != TYPE_ED25519 && sig_type != TYPE_COSIGNATURE {
            return Err(bad("unsupported signature type"));
        }
        let key: [u8; 32] = key.try_into().map_err(|_| bad("Ed25519 public key must be 32 bytes"))?;
        let key = VerifyingKey::from_bytes(&key).map_err(|_| bad("not a valid Ed25519 public key"))?;
        let vkey = VerifierKey::new(name, sig_type, key).ok_or_else(|| bad("invalid name"))?;
        if vkey.key_id != claimed {
            return Err(bad("key ID does not match the name and key"));
        }
        Ok(vkey)
    }

    /// The verifier key of `key` under `name` for one signature type.
    pub fn new(name: &str, sig_type: u8, key: VerifyingKey) -> Option<VerifierKey> {
        if !is_valid_name(name) {
            return None;
        }
        let key_id = key_id(name, sig_type, key.as_bytes());
        Some(VerifierKey { name: name.to_string(), key_id, sig_type, key })
    }

    /// The key name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The key ID.
    pub fn key_id(&self) -> u32 {
        self.key_id
    }

    /// The signature type (0x01 note, 0x04 cosignature).
    pub fn sig_type(&self) -> u8 {
        self.sig_type
    }

    /// The Ed25519 public key.
    pub fn public_key(&self) -> &VerifyingKey {
        &self.key
    }

    /// Checks `sig` (the signature bytes after the key ID) over a note's `text`.
    pub fn verify(&self, text: &str, sig: &[u8]) -> bool {
        match self.sig_type {
            TYPE_ED25519 => {
                let Ok(sig) = EdSignature::from_slice(sig) else { return false };
                self.key.verify_strict(text.as_bytes(), &sig).is_ok()
            }
            TYPE_COSIGNATURE => {
                if sig.len() != 72 {
                    return false;
                }
                let mut ts = [0u8; 8];
                ts.copy_from_slice(&sig[..8]);
                let Ok(sig) = EdSignature::from_slice(&sig[8..]) else { return false };
                let msg = cosignature_message(u64::from_be_bytes(ts), text);
                self.key.verify_strict(msg.as_bytes(), &sig).is_ok()
            }
            _ => false,
        }
    }

    /// Checks a detached Ed25519 signature over arbitrary bytes with this key.
    pub fn verify_detached(&self, msg: &[u8], sig: &[u8]) -> bool {
        EdSignature::from_slice(sig).is_ok_and(|sig| self.key.verify_strict(msg, &sig).is_ok())
    }
}

/// The message a tlog-cosignature/v1 signs.
pub fn cosignature_message(timestamp: u64, body: &str) -> String {
    format!("cosignature/v1\ntime {timestamp}\n{body}")
}

/// An Ed25519 signing key with a name. Stored as Go's
/// `PRIVATE+KEY+<name>+<keyid>+base64(0x01 || seed)`.
#[derive(Clone)]
pub struct SigningKeyPair {
    name: String,
    key: SigningKey,
}

impl fmt::Debug for SigningKeyPair {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SigningKeyPair({})", self.note_verifier())
    }
}

impl SigningKeyPair {
    /// A key pair from a 32-byte RFC 8032 seed.
    pub fn from_seed(name: &str, seed: [u8; 32]) -> Result<SigningKeyPair, NoteError> {
        if !is_valid_name(name) {
            return Err(NoteError::BadPrivateKey("name is empty or contains whitespace or +"));
        }
        Ok(SigningKeyPair { name: name.to_string(), key: SigningKey::from_bytes(&seed) })
    }

    /// A fresh key from the operating system's random source.
    pub fn generate(name: &str) -> Result<SigningKeyPair, NoteError> {
        let key = SigningKey::generate(&mut rand_core::OsRng);
        SigningKeyPair::from_seed(name, key.to_bytes())
    }

    /// Parses `PRIVATE+KEY+<name>+<keyid>+base64(0x01 || seed)`.
    pub fn parse(text: &str) -> Result<SigningKeyPair, NoteError> {
        let text = text.trim();
        let rest = text.strip_prefix("PRIVATE+KEY+").ok_or(NoteError::BadPrivateKey("must start with PRIVATE+KEY+"))?;
        let mut parts = rest.splitn(3, '+');
        let (Some(name), Some(id_hex), Some(b64)) = (parts.next(), parts.next(), parts.next()) else {
            return Err(NoteError::BadPrivateKey("expected PRIVATE+KEY+name+keyid+key"));
        };
        let raw = STANDARD.decode(b64).map_err(|_| NoteError::BadPrivateKey("key is not standard base64"))?;
        let (&sig_type, seed) = raw.split_first().ok_or(NoteError::BadPrivateKey("key is empty"))?;
        if sig_type != TYPE_ED25519 {
            return Err(NoteError::BadPrivateKey("unsupported signature type"));
        }
        let seed: [u8; 32] = seed.try_into().map_err(|_| NoteError::BadPrivateKey("seed must be 32 bytes"))?;
        let pair = SigningKeyPair::from_seed(name, seed)?;
        if format!("{:08x}", pair.note_verifier().key_id()) != id_hex {
            return Err(NoteError::BadPrivateKey("key ID does not match the name and key"));
        }
        Ok(pair)
    }

    /// The private key string (keep it secret).
    pub fn to_private_string(&self) -> String {
        let mut raw = vec![TYPE_ED25519];
        raw.extend_from_slice(&self.key.to_bytes());
        format!("PRIVATE+KEY+{}+{:08x}+{}", self.name, self.note_verifier().key_id(), STANDARD.encode(raw))
    }

    /// The key name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The verifier key for notes this key signs (type 0x01).
    pub fn note_verifier(&self) -> VerifierKey {
        let key_id = key_id(&self.name, TYPE_ED25519, self.key.verifying_key().as_bytes());
        VerifierKey { name: self.name.clone(), key_id, sig_type: TYPE_ED25519, key: self.key.verifying_key() }
    }

    /// The verifier key for cosignatures this key makes (type 0x04).
    pub fn cosignature_verifier(&self) -> VerifierKey {
        let key_id = key_id(&self.name, TYPE_COSIGNATURE, self.key.verifying_key().as_bytes());
        VerifierKey { name: self.name.clone(), key_id, sig_type: TYPE_COSIGNATURE, key: self.key.verifying_key() }
    }

    /// A note signature line over `text` (which must end in a newline).
    pub fn sign_note_line(&self, text: &str) -> String {
        let sig = self.key.sign(text.as_bytes());
        let mut raw = self.note_verifier().key_id().to_be_bytes().to_vec();
        raw.extend_from_slice(&sig.to_bytes());
        format!("{SIG_PREFIX}{} {}\n", self.name, STANDARD.encode(raw))
    }

    /// `text`, a blank line and this key's signature line.
    pub fn sign_note(&self, text: &str) -> String {
        format!("{text}\n{}", self.sign_note_line(text))
    }

    /// A tlog-cosignature/v1 line over a checkpoint `body` at `timestamp` (Unix seconds).
    pub fn cosign_line(&self, body: &str, timestamp: u64) -> String {
        let sig = self.key.sign(cosignature_message(timestamp, body).as_bytes());
        let mut raw = self.cosignature_verifier().key_id().to_be_bytes().to_vec();
        raw.extend_from_slice(&timestamp.to_be_bytes());
        raw.extend_from_slice(&sig.to_bytes());
        format!("{SIG_PREFIX}{} {}\n", self.name, STANDARD.encode(raw))
    }

    /// A detached Ed25519 signature over arbitrary bytes.
    pub fn sign_detached(&self, msg: &[u8]) -> [u8; 64] {
        self.key.sign(msg).to_bytes()
    }
}

/// One signature line of a note.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoteSignature {
    /// Key name.
    pub name: String,
    /// Key ID.
    pub key_id: u32,
    /// Signature bytes after the key ID.
    pub sig: Vec<u8>,
    /// The whole line without the prefix and newline (`name base64`).
    pub line: String,
}

impl NoteSignature {
    /// The line as it appears in a note, with prefix and newline.
    pub fn to_line(&self) -> String {
        format!("{SIG_PREFIX}{}\n", self.line)
    }

    /// The cosignature timestamp, for a type-0x04 signature.
    pub fn cosignature_time(&self) -> Option<u64> {
        let ts: [u8; 8] = self.sig.get(..8)?.try_into().ok()?;
        Some(u64::from_be_bytes(ts))
    }
}

/// A note split into its text and signature lines, signatures not yet verified.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedNote {
    /// The text, ending in a newline.
    pub text: String,
    /// Every signature line, in order.
    pub signatures: Vec<NoteSignature>,
}

/// Splits a note without verifying anything; refuses what Go's `note.Open` refuses as malformed.
pub fn parse_note(msg: &[u8]) -> Result<ParsedNote, NoteError> {
    let msg = std::str::from_utf8(msg).map_err(|_| NoteError::Malformed("not valid UTF-8"))?;
    if msg.chars().any(|c| c < '\u{20}' && c != '\n') {
        return Err(NoteError::Malformed("control character"));
    }
    let split = msg.rfind("\n\n").ok_or(NoteError::Malformed("no blank line before the signatures"))?;
    let (text, sigs) = (&msg[..split + 1], &msg[split + 2..]);
    if sigs.is_empty() || !sigs.ends_with('\n') {
        return Err(NoteError::Malformed("signature block must end in a newline"));
    }
    let mut signatures = Vec::new();
    for line in sigs[..sigs.len() - 1].split('\n') {
        let rest = line.strip_prefix(SIG_PREFIX).ok_or(NoteError::Malformed("signature line without the em dash"))?;
        let (name, b64) = rest.split_once(' ').unwrap_or((rest, ""));
        let raw = SIG_BASE64.decode(b64).map_err(|_| NoteError::Malformed("signature is not standard base64"))?;
        if !is_valid_name(name) || b64.is_empty() || raw.len() < 5 {
            return Err(NoteError::Malformed("bad signature line"));
        }
        signatures.push(NoteSignature {
            name: name.to_string(),
            key_id: u32::from_be_bytes([raw[0], raw[1], raw[2], raw[3]]),
            sig: raw[4..].to_vec(),
            line: rest.to_string(),
        });
        if signatures.len() > MAX_SIGNATURES {
            return Err(NoteError::Malformed("too many signatures"));
        }
    }
    Ok(ParsedNote { text: text.to_string(), signatures })
}

/// A note whose signatures were checked against known keys.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenedNote {
    /// The text, ending in a newline.
    pub text: String,
    /// Signatures by known keys that verified (one per key).
    pub verified: Vec<NoteSignature>,
    /// Signatures by unknown keys (identical lines once).
    pub unverified: Vec<NoteSignature>,
}

/// Opens a note: every signature by a known key must verify, and at least one must exist.
pub fn open_note(msg: &[u8], known: &[VerifierKey]) -> Result<OpenedNote, NoteError> {
    let parsed = parse_note(msg)?;
    let mut seen = HashSet::new();
    let mut seen_unknown = HashSet::new();
    let mut verified = Vec::new();
    let mut unverified = Vec::new();
    for sig in parsed.signatures {
        match known.iter().find(|k| k.name == sig.name && k.key_id == sig.key_id) {
            None => {
                if seen_unknown.insert(sig.line.clone()) {
                    unverified.push(sig);
                }
            }
            Some(key) => {
                if !seen.insert((sig.name.clone(), sig.key_id)) {
                    continue;
                }
                if !key.verify(&parsed.text, &sig.sig) {
                    return Err(NoteError::InvalidSignature { name: sig.name, key_id: sig.key_id });
                }
                verified.push(sig);
            }
        }
    }
    if verified.is_empty() {
        return Err(NoteError::NoVerifiedSignature);
    }
    Ok(OpenedNote { text: parsed.text, verified, unverified })
}

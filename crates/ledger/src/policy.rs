//! C2SP tlog-policy: which logs are trusted, which witnesses exist, and the quorum of
//! cosignatures that makes a checkpoint valid.

use std::collections::{HashMap, HashSet};

use thiserror::Error;

use crate::checkpoint::{CheckpointError, VerifiedCheckpoint, cosignatures, open_checkpoint};
use crate::note::{NoteError, TYPE_COSIGNATURE, TYPE_ED25519, VerifierKey, parse_note};

/// A named witness of a policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyWitness {
    /// The policy-local name.
    pub name: String,
    /// Its cosignature key.
    pub key: VerifierKey,
    /// Its submission prefix, if given.
    pub url: Option<String>,
}

/// A group: at least `threshold` of its members must have witnessed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyGroup {
    /// The group's name.
    pub name: String,
    /// How many members must have witnessed.
    pub threshold: usize,
    /// Witness or group names.
    pub members: Vec<String>,
}

/// A parsed policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Policy {
    /// Trusted logs and their optional URLs.
    pub logs: Vec<(VerifierKey, Option<String>)>,
    /// Known witnesses.
    pub witnesses: Vec<PolicyWitness>,
    /// Groups, in definition order.
    pub groups: Vec<PolicyGroup>,
    /// The quorum: a witness or group name, or `none`.
    pub quorum: String,
}

/// Why a policy file or a checkpoint under it was refused.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum PolicyError {
    /// The policy file is invalid.
    #[error("policy line {line}: {reason}")]
    Syntax {
        /// 1-based line number.
        line: usize,
        /// What is wrong.
        reason: String,
    },
    /// No log of the policy has the checkpoint's origin.
    #[error("no log in the policy has origin {0:?}")]
    UnknownLog(String),
    /// The checkpoint's log signature or body is bad.
    #[error(transparent)]
    Checkpoint(#[from] CheckpointError),
    /// Too few witnesses cosigned.
    #[error("quorum {quorum:?} not met: cosigned by {cosigned:?}")]
    QuorumNotMet {
        /// The quorum name.
        quorum: String,
        /// Policy names of the witnesses whose cosignature verified.
        cosigned: Vec<String>,
    },
}

impl Policy {
    /// Parses a policy file.
    pub fn parse(text: &str) -> Result<Policy, PolicyError> {
        let mut policy = Policy { logs: Vec::new(), witnesses: Vec::new(), groups: Vec::new(), quorum: String::new() };
        let mut names: HashSet<String> = HashSet::new();
        let mut quorum = None;
        for (i, raw) in text.split('\n').enumerate() {
            let bad = |reason: &str| PolicyError::Syntax { line: i + 1, reason: reason.to_string() };
            if raw.bytes().any(|b| b < 0x20 && b != b'\t' || b == 0x7f) {
                return Err(bad("control character"));
            }
            let words: Vec<&str> = raw.split([' ', '\t']).filter(|w| !w.is_empty()).collect();
            let Some(&keyword) = words.first() else { continue };
            if keyword.starts_with('#') {
                continue;
            }
            let key_of = |s: &str, want: u8| -> Result<VerifierKey, PolicyError> {
                let key = VerifierKey::parse(s).map_err(|e: NoteError| bad(&e.to_string()))?;
                if key.sig_type() != want {
                    return Err(bad("key has the wrong signature type for its role"));
                }
                Ok(key)
            };
            match keyword {
                "log" => {
                    if !(2..=3).contains(&words.len()) {
                        return Err(bad("expected: log <vkey> [<url>]"));
                    }
                    let key = key_of(words[1], TYPE_ED25519)?;
                    if policy.logs.iter().any(|(k, _)| k.public_key() == key.public_key()) {
                        return Err(bad("duplicate log key"));
                    }
                    policy.logs.push((key, words.get(2).map(|s| s.to_string())));
                }
                "witness" => {
                    if !(3..=4).contains(&words.len()) {
                        return Err(bad("expected: witness <name> <vkey> [<url>]"));
                    }
                    let key = key_of(words[2], TYPE_COSIGNATURE)?;
                    if words[1] == "none" || !names.insert(words[1].to_string()) {
                        return Err(bad("name already defined"));
                    }
                    if policy.witnesses.iter().any(|w| w.key.public_key() == key.public_key()) {
                        return Err(bad("duplicate witness key"));
                    }
                    policy.witnesses.push(PolicyWitness {
                        name: words[1].to_string(),
                        key,
                        url: words.get(3).map(|s| s.to_string()),
                    });
                }
                "group" => {
                    if words.len() < 4 {
                        return Err(bad("expected: group <name> <all|any|k> <name>..."));
                    }
                    let members: Vec<String> = words[3..].iter().map(|s| s.to_string()).collect();
                    let mut unique = HashSet::new();
                    for m in &members {
                        if !names.contains(m) {
                            return Err(bad(&format!("member {m:?} is not defined on an earlier line")));
                        }
                        if !unique.insert(m) {
                            return Err(bad(&format!("member {m:?} listed twice")));
                        }
                    }
                    let threshold = match words[2] {
                        "all" => members.len(),
                        "any" => 1,
                        k => match k.parse::<usize>() {
                            Ok(k) if k >= 1 && k <= members.len() && k.to_string() == words[2] => k,
                            _ => return Err(bad("threshold must be all, any or 1..n")),
                        },
                    };
                    if words[1] == "none" || !names.insert(words[1].to_string()) {
                        return Err(bad("name already defined"));
                    }
                    policy.groups.push(PolicyGroup { name: words[1].to_string(), threshold, members });
                }
                "quorum" => {
                    if words.len() != 2 {
                        return Err(bad("expected: quorum <name>"));
                    }
                    if quorum.is_some() {
                        return Err(bad("more than one quorum line"));
                    }
                    if words[1] != "none" && !names.contains(words[1]) {
                        return Err(bad("quorum names nothing defined on an earlier line"));
                    }
                    quorum = Some(words[1].to_string());
                }
                _ => return Err(bad(&format!("unknown keyword {keyword:?}"))),
            }
        }
        policy.quorum =
            quorum.ok_or(PolicyError::Syntax { line: 0, reason: "the policy has no quorum line".to_string() })?;
        Ok(policy)
    }

    /// The policy names of witnesses whose cosignature on `note` verifies.
    pub fn cosigners(&self, note: &[u8]) -> Vec<String> {
        let Ok(parsed) = parse_note(note) else { return Vec::new() };
        let keys: Vec<VerifierKey> = self.witnesses.iter().map(|w| w.key.clone()).collect();
        let good = cosignatures(&parsed, &keys);
        self.witnesses.iter().filter(|w| good.iter().any(|c| c.witness == w.key)).map(|w| w.name.clone()).collect()
    }

    /// Whether these witnesses (policy names) satisfy the quorum.
    pub fn quorum_met(&self, cosigned: &[String]) -> bool {
        let mut memo: HashMap<&str, bool> = HashMap::new();
        for w in &self.witnesses {
            memo.insert(&w.name, cosigned.contains(&w.name));
        }
        for g in &self.groups {
            let count = g.members.iter().filter(|m| memo.get(m.as_str()).copied().unwrap_or(false)).count();
            memo.insert(&g.name, count >= g.threshold);
        }
        self.quorum == "none" || memo.get(self.quorum.as_str()).copied().unwrap_or(false)
    }

    /// Verifies a checkpoint note: signed by a log of the policy whose name is its origin, and
    /// cosigned by a quorum of witnesses.
    pub fn verify_checkpoint(&self, note: &[u8]) -> Result<VerifiedCheckpoint, PolicyError> {
        let parsed = parse_note(note).map_err(CheckpointError::from)?;
        let origin = parsed.text.split('\n').next().unwrap_or_default().to_string();
        let (log_key, _) = self.logs.iter().find(|(k, _)| k.name() == origin).ok_or(PolicyError::UnknownLog(origin))?;
        let verified = open_checkpoint(note, log_key)?;
        let cosigned = self.cosigners(note);
        if !self.quorum_met(&cosigned) {
            return Err(PolicyError::QuorumNotMet { quorum: self.quorum.clone(), cosigned });
        }
        Ok(verified)
    }
}

//! The journal's vocabulary: commands, the entries they become, and their canonical bytes.
//!
//! Every write is a command. A command is validated here, then appended as one journal
//! entry whose payload is the command's canonical JSON (RFC 8785) and whose SHA-256 is
//! kept beside it. The store appends and projects; this module decides what the bytes are.

use crate::claims::ClaimBody;
use crate::keys::KeyRegistration;
use crate::scenario::Scenario;
use crate::users::{TokenIssued, TokenRevoked, UserAdded, UserDisabled};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use thiserror::Error;

/// Who did something: `system`, `demo`, `anonymous`, or a user's name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Actor(String);

impl Actor {
    /// The system itself (initialisation).
    pub fn system() -> Self {
        Self("system".into())
    }
    /// The demo loader.
    pub fn demo() -> Self {
        Self("demo".into())
    }
    /// An unauthenticated API client.
    pub fn anonymous() -> Self {
        Self("anonymous".into())
    }
    /// A signed-in user.
    pub fn user(name: &crate::ids::UserName) -> Self {
        Self(name.as_str().to_owned())
    }
    /// As text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A request to change state. The only way anything is written.
#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    /// Load the scenario into an empty journal.
    LoadScenario(Box<Scenario>),
    /// Submit a validated claim.
    SubmitClaim(Box<ClaimBody>),
    /// Register an organisation's signing key.
    RegisterKey(Box<KeyRegistration>),
    /// Add a user.
    AddUser(Box<UserAdded>),
    /// Disable a user.
    DisableUser(UserDisabled),
    /// Issue an API token.
    IssueToken(Box<TokenIssued>),
    /// Revoke an API token.
    RevokeToken(TokenRevoked),
    /// Place, attach, detach, merge, split, verify, endorse, dispute or grade.
    Incident(Box<crate::incidents::IncidentChange>),
    /// A reader was shown the personal data of claims.
    PersonalDataRead(PersonalDataRead),
    /// Add a provision record, with a detainee's particulars to keep beside the journal
    /// (salted canonical JSON, whose SHA-256 the record holds; never journaled).
    AddRecord(Box<crate::provisions::Record>, Option<Vec<u8>>),
    /// Erase a detainee record's particulars: an admin act, journaled.
    ErasePersonalData(PersonalDataErased),
    /// Link a record to claims and incidents.
    LinkRecord(crate::provisions::RecordLinks),
    /// An article read by the news intake, with its drafts.
    IngestArticle(Box<crate::intake::ArticleIngested>),
    /// A monitor rejected a draft of the intake.
    RejectDraft(crate::intake::DraftRejected),
}

/// A read of restricted data, journaled as it happens: whose claims' personal data (persons'
/// names, sources' contacts) the entry's actor was shown, and through which request. It
/// names the claims, never the data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonalDataRead {
    /// The claims whose personal data was shown.
    pub claims: Vec<crate::ids::ClaimId>,
    /// The request that showed it, e.g. `GET /api/v1/claims/{id}`.
    pub via: String,
    /// The records (detainees) whose particulars were shown.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub records: Vec<crate::provisions::RecordId>,
}

/// The erasure of personal data kept beside the journal: which record's, and why. The
/// record's entry is untouched (it holds only the data's hash), so every proof stays valid.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PersonalDataErased {
    /// The record whose particulars are erased.
    pub record: crate::provisions::RecordId,
    /// Why (a request by the person, a court order, the retention period).
    pub reason: String,
}

/// Entry kinds as stored.
pub mod kind {
    /// A scenario was loaded.
    pub const SCENARIO_LOADED: &str = "scenario.loaded";
    /// A claim was submitted.
    pub const CLAIM_SUBMITTED: &str = "claim.submitted";
    /// A submitter's signing key was registered.
    pub const KEY_REGISTERED: &str = "key.registered";
    /// A user was added.
    pub const USER_ADDED: &str = "user.added";
    /// A user was disabled.
    pub const USER_DISABLED: &str = "user.disabled";
    /// An API token was issued.
    pub const TOKEN_ISSUED: &str = "token.issued";
    /// An API token was revoked.
    pub const TOKEN_REVOKED: &str = "token.revoked";
    /// A reader was shown claims' personal data.
    pub const PERSONAL_DATA_READ: &str = "personal_data.read";
    /// A provision record was added.
    pub const RECORD_ADDED: &str = "record.added";
    /// A provision record was linked to claims or incidents.
    pub const RECORD_LINKED: &str = "record.linked";
    /// A record's personal data was erased.
    pub const PERSONAL_DATA_ERASED: &str = "personal_data.erased";
    /// The news intake read an article into drafts.
    pub const ARTICLE_INGESTED: &str = "article.ingested";
    /// A monitor rejected a draft.
    pub const DRAFT_REJECTED: &str = "draft.rejected";

    /// Kinds whose payloads concern accounts and are never served.
    pub fn is_account(kind: &str) -> bool {
        matches!(kind, USER_ADDED | USER_DISABLED | TOKEN_ISSUED | TOKEN_REVOKED)
    }
}

/// Why a stored entry could not be read back.
#[derive(Debug, Error)]
pub enum DecodeError {
    /// The kind is not one this version knows.
    #[error("unknown entry kind {0:?}")]
    UnknownKind(String),
    /// The payload does not parse as that kind.
    #[error("entry payload of kind {kind:?} does not parse: {source}")]
    Payload {
        /// The entry kind.
        kind: String,
        /// The parse error.
        source: serde_json::Error,
    },
}

impl Command {
    /// The entry kind this command becomes.
    pub fn kind(&self) -> &'static str {
        match self {
            Command::LoadScenario(_) => kind::SCENARIO_LOADED,
            Command::SubmitClaim(_) => kind::CLAIM_SUBMITTED,
            Command::RegisterKey(_) => kind::KEY_REGISTERED,
            Command::AddUser(_) => kind::USER_ADDED,
            Command::DisableUser(_) => kind::USER_DISABLED,
            Command::IssueToken(_) => kind::TOKEN_ISSUED,
            Command::RevokeToken(_) => kind::TOKEN_REVOKED,
            Command::Incident(c) => c.kind(),
            Command::PersonalDataRead(_) => kind::PERSONAL_DATA_READ,
            Command::AddRecord(..) => kind::RECORD_ADDED,
            Command::ErasePersonalData(_) => kind::PERSONAL_DATA_ERASED,
            Command::LinkRecord(_) => kind::RECORD_LINKED,
            Command::IngestArticle(_) => kind::ARTICLE_INGESTED,
            Command::RejectDraft(_) => kind::DRAFT_REJECTED,
        }
    }

    /// The payload as canonical JSON (RFC 8785).
    pub fn canonical_payload(&self) -> Result<Vec<u8>, serde_json::Error> {
        match self {
            Command::LoadScenario(s) => canonical_json(s.as_ref()),
            Command::SubmitClaim(c) => canonical_json(c.as_ref()),
            Command::RegisterKey(k) => canonical_json(k.as_ref()),
            Command::AddUser(u) => canonical_json(u.as_ref()),
            Command::DisableUser(u) => canonical_json(u),
            Command::IssueToken(t) => canonical_json(t.as_ref()),
            Command::RevokeToken(t) => canonical_json(t),
            Command::Incident(c) => canonical_json(c.as_ref()),
            Command::PersonalDataRead(r) => canonical_json(r),
            Command::AddRecord(r, _) => canonical_json(r.as_ref()),
            Command::ErasePersonalData(e) => canonical_json(e),
            Command::LinkRecord(l) => canonical_json(l),
            Command::IngestArticle(a) => canonical_json(a.as_ref()),
            Command::RejectDraft(r) => canonical_json(r),
        }
    }

    /// Reads a stored entry back into the command it was.
    pub fn decode(kind: &str, payload: &[u8]) -> Result<Command, DecodeError> {
        let err = |source| DecodeError::Payload { kind: kind.to_owned(), source };
        match kind {
            kind::SCENARIO_LOADED => {
                serde_json::from_slice(payload).map(|s| Command::LoadScenario(Box::new(s))).map_err(err)
            }
            kind::CLAIM_SUBMITTED => {
                serde_json::from_slice(payload).map(|c| Command::SubmitClaim(Box::new(c))).map_err(err)
            }
            kind::KEY_REGISTERED => {
                serde_json::from_slice(payload).map(|k| Command::RegisterKey(Box::new(k))).map_err(err)
            }
            kind::USER_ADDED => serde_json::from_slice(payload).map(|u| Command::AddUser(Box::new(u))).map_err(err),
            kind::USER_DISABLED => serde_json::from_slice(payload).map(Command::DisableUser).map_err(err),
            kind::TOKEN_ISSUED => {
                serde_json::from_slice(payload).map(|t| Command::IssueToken(Box::new(t))).map_err(err)
            }
            kind::TOKEN_REVOKED => serde_json::from_slice(payload).map(Command::RevokeToken).map_err(err),
            kind::PERSONAL_DATA_READ => serde_json::from_slice(payload).map(Command::PersonalDataRead).map_err(err),
            kind::RECORD_ADDED => {
                serde_json::from_slice(payload).map(|r| Command::AddRecord(Box::new(r), None)).map_err(err)
            }
            kind::PERSONAL_DATA_ERASED => serde_json::from_slice(payload).map(Command::ErasePersonalData).map_err(err),
            kind::RECORD_LINKED => serde_json::from_slice(payload).map(Command::LinkRecord).map_err(err),
            kind::ARTICLE_INGESTED => {
                serde_json::from_slice(payload).map(|a| Command::IngestArticle(Box::new(a))).map_err(err)
            }
            kind::DRAFT_REJECTED => serde_json::from_slice(payload).map(Command::RejectDraft).map_err(err),
            k if crate::incidents::IncidentChange::KINDS.contains(&k) => {
                let change: crate::incidents::IncidentChange = serde_json::from_slice(payload).map_err(err)?;
                if change.kind() != k {
                    return Err(DecodeError::UnknownKind(format!("{k} holding a {} payload", change.kind())));
                }
                Ok(Command::Incident(Box::new(change)))
            }
            other => Err(DecodeError::UnknownKind(other.to_owned())),
        }
    }
}

/// The header of a journal entry: what its Merkle leaf commits to. The payload enters only
/// through its SHA-256, so a payload restricted or erased later never breaks a proof.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntryHeader<'a> {
    /// Sequence number, the leaf index.
    pub seq: u64,
    /// Entry id (ULID text).
    pub id: &'a str,
    /// Entry kind.
    pub kind: &'a str,
    /// Who appended it.
    pub actor: &'a str,
    /// When it was received, ms since the Unix epoch.
    pub received_at_ms: i64,
    /// SHA-256 of the canonical payload.
    pub payload_sha256: &'a [u8],
}

/// First line of every leaf: the format's name and version.
pub const LEAF_FORMAT: &str = "truce-entry/v1";

impl EntryHeader<'_> {
    /// The leaf's bytes: one `key value` line each, in a fixed order, after the format line.
    /// Ids, kinds and actors never contain a newline.
    pub fn leaf_bytes(&self) -> Vec<u8> {
        use std::fmt::Write as _;
        // Called for every append and every audited entry: one buffer, no per-byte formatting.
        const HEX: &[u8; 16] = b"0123456789abcdef";
        let mut out = String::with_capacity(160 + self.id.len() + self.kind.len() + self.actor.len());
        let _ = write!(
            out,
            "{LEAF_FORMAT}\nseq {}\nid {}\nkind {}\nactor {}\nreceived {}\npayload-sha256 ",
            self.seq, self.id, self.kind, self.actor, self.received_at_ms
        );
        let mut bytes = out.into_bytes();
        for b in self.payload_sha256 {
            bytes.push(HEX[usize::from(b >> 4)]);
            bytes.push(HEX[usize::from(b & 0x0f)]);
        }
        bytes.push(b'\n');
        bytes
    }
}

/// RFC 8785 canonical JSON of `value`, through `json-canon`, whose numbers follow
/// ECMAScript's shortest form (ryu-js) as the RFC requires. A property test checks it
/// against `serde_json_canonicalizer`, which it replaced for speed. (`canon-json`, used for
/// a while, writes some 17-digit doubles differently: 168359314142513.63 for .62.)
pub fn canonical_json<T: Serialize + ?Sized>(value: &T) -> Result<Vec<u8>, serde_json::Error> {
    json_canon::to_vec(value)
}

/// SHA-256 of `bytes`.
pub fn sha256(bytes: &[u8]) -> [u8; 32] {
    Sha256::digest(bytes).into()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::claims::ClaimInput;
    use crate::scenario::tests_support::scenario;

    fn claim() -> ClaimBody {
        let input: ClaimInput = serde_json::from_value(serde_json::json!({
            "claimant": "AAA",
            "source": {"kind": "media", "name": "Paper"},
            "event_type": "shelling",
            "occurred": {"from": "2021-11-16T03:10:00+03:00"},
            "location": {"geometry": {"type": "Point", "coordinates": [46.5, 39.25]}},
            "narrative": {"lang": "ru", "text": "Обстрел позиций"}
        }))
        .expect("shape");
        input.validate(&scenario()).expect("valid")
    }

    #[test]
    fn canonical_payload_is_stable_and_decodes_to_the_same_command() {
        let cmd = Command::SubmitClaim(Box::new(claim()));
        let bytes = cmd.canonical_payload().expect("serialises");
        let again = Command::decode(cmd.kind(), &bytes).expect("decodes");
        assert_eq!(again, cmd);
        assert_eq!(again.canonical_payload().expect("serialises"), bytes);
        // RFC 8785: keys sorted, no whitespace.
        let text = String::from_utf8(bytes).expect("utf-8");
        assert!(text.starts_with("{\"accused\":null,\"attachments\":[],\"casualties\":[]"), "{text}");
    }

    #[test]
    fn scenario_round_trips_through_its_payload() {
        let cmd = Command::LoadScenario(Box::new(scenario()));
        let bytes = cmd.canonical_payload().expect("serialises");
        assert_eq!(Command::decode(kind::SCENARIO_LOADED, &bytes).expect("decodes"), cmd);
    }

    #[test]
    fn leaf_bytes_name_every_header_field_in_order() {
        let digest = [0xabu8; 32];
        let h = EntryHeader {
            seq: 7,
            id: "01JD0000000000000000000000",
            kind: kind::CLAIM_SUBMITTED,
            actor: "demo",
            received_at_ms: 1_605_000_000_000,
            payload_sha256: &digest,
        };
        let text = String::from_utf8(h.leaf_bytes()).expect("utf-8");
        assert_eq!(
            text,
            format!(
                "truce-entry/v1\nseq 7\nid 01JD0000000000000000000000\nkind claim.submitted\nactor demo\nreceived 1605000000000\npayload-sha256 {}\n",
                "ab".repeat(32)
            )
        );
    }

    fn json_value() -> impl proptest::strategy::Strategy<Value = serde_json::Value> {
        use proptest::prelude::*;
        let leaf = prop_oneof![
            Just(serde_json::Value::Null),
            any::<bool>().prop_map(serde_json::Value::Bool),
            // Integers beyond 2^53 - 1 in size: RFC 8785 writes them as the nearest double,
            // json-canon refuses them. No field truce accepts can hold one (counts stop at
            // 10,000,000, times in ms are near 2^40).
            (-((1i64 << 53) - 1)..(1i64 << 53)).prop_map(|n| serde_json::json!(n)),
            any::<f64>().prop_filter("finite", |f| f.is_finite()).prop_map(|f| serde_json::json!(f)),
            "\\PC{0,12}".prop_map(serde_json::Value::String),
        ];
        leaf.prop_recursive(4, 48, 6, |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..6).prop_map(serde_json::Value::Array),
                proptest::collection::btree_map("\\PC{0,8}", inner, 0..6)
                    .prop_map(|m| serde_json::Value::Object(m.into_iter().collect())),
            ]
        })
    }

    proptest::proptest! {
        #[test]
        fn canonical_json_matches_the_reference_canonicaliser(v in json_value()) {
            let ours = canonical_json(&v).expect("serialises");
            let reference = serde_json_canonicalizer::to_vec(&v).expect("serialises");
            proptest::prop_assert_eq!(String::from_utf8_lossy(&ours), String::from_utf8_lossy(&reference));
        }
    }

    #[test]
    fn canonical_payloads_match_the_reference_canonicaliser() {
        let sc = scenario();
        assert_eq!(canonical_json(&sc).expect("ours"), serde_json_canonicalizer::to_vec(&sc).expect("reference"));
        let c = claim();
        assert_eq!(canonical_json(&c).expect("ours"), serde_json_canonicalizer::to_vec(&c).expect("reference"));
    }

    #[test]
    fn unknown_kinds_are_refused() {
        assert!(matches!(Command::decode("x.y", b"{}"), Err(DecodeError::UnknownKind(_))));
    }
}

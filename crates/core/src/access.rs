//! Who may see and do what: the permission matrix, written once as data.
//!
//! A request is decided by three things: who asks (a [`Viewer`]: the anonymous public or a
//! user's [`Role`]), what they do (an [`Action`]), and how the thing they act on relates to
//! them (a [`Relation`]: their own organisation's, another's not yet published, published,
//! or not owned by anyone). [`RULES`] lists, for every action and relation, the viewers
//! allowed; everything not listed is refused. `docs/access.md` is generated from this table
//! ([`render_markdown`]) and a test walks every cell over HTTP.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A user's role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// A monitor of the mission: sees everything, investigates and decides.
    Monitor,
    /// A liaison officer of one party.
    Party,
    /// A mediator: reads what the mission publishes.
    Mediator,
    /// An analyst of the mission: reads all claims, decides nothing.
    Analyst,
    /// Manages accounts and keys; reads no unpublished material.
    Admin,
}

impl Role {
    /// Every role, in the matrix's order.
    pub const ALL: [Role; 5] = [Role::Monitor, Role::Party, Role::Mediator, Role::Analyst, Role::Admin];

    /// The role's name as stored and shown.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Monitor => "monitor",
            Role::Party => "party",
            Role::Mediator => "mediator",
            Role::Analyst => "analyst",
            Role::Admin => "admin",
        }
    }

    /// Parses a role name.
    pub fn parse(s: &str) -> Result<Role, String> {
        Role::ALL.into_iter().find(|r| r.as_str() == s).ok_or_else(|| {
            format!(
                "unknown role {s:?}; one of {}",
                Role::ALL.iter().map(|r| r.as_str()).collect::<Vec<_>>().join(", ")
            )
        })
    }
}

/// Who asks: the anonymous public, or a signed-in user with a role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Viewer {
    /// Anyone, without signing in.
    Public,
    /// A user with this role.
    User(Role),
}

impl Viewer {
    /// Every viewer, in the matrix's column order.
    pub const ALL: [Viewer; 6] = [
        Viewer::Public,
        Viewer::User(Role::Monitor),
        Viewer::User(Role::Party),
        Viewer::User(Role::Mediator),
        Viewer::User(Role::Analyst),
        Viewer::User(Role::Admin),
    ];

    /// The column's name.
    pub fn as_str(self) -> &'static str {
        match self {
            Viewer::Public => "public",
            Viewer::User(r) => r.as_str(),
        }
    }
}

/// How the object of an action relates to the one who asks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Relation {
    /// Submitted by (or belonging to) the asker's own organisation.
    Own,
    /// Another organisation's, not published.
    Other,
    /// Published by the mission.
    Published,
    /// The action concerns nothing owned (the scenario, the log, accounts).
    Any,
}

impl Relation {
    /// As shown in the matrix.
    pub fn as_str(self) -> &'static str {
        match self {
            Relation::Own => "own organisation's",
            Relation::Other => "another organisation's, unpublished",
            Relation::Published => "published",
            Relation::Any => "any",
        }
    }
}

/// What is done. Reading covers single reads, lists, search hits, counts and export rows
/// alike: a list shows only what its reader may read one by one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    /// Read a claim: `GET /api/v1/claims/{id}`, lists, search, exports.
    ClaimRead,
    /// Read the personal data in a claim one may read: the names of the people it names
    /// (detained, killed, wounded, missing, witnesses) and the source's contact details.
    /// Wherever the claim is shown (one, lists, exports, incidents' accounts, its journal
    /// entry) they are withheld from everyone else.
    PersonalDataRead,
    /// Submit a claim; own = the claimant is the submitter's organisation.
    ClaimSubmit,
    /// Read the scenario, the gazetteer and the taxonomy.
    ScenarioRead,
    /// Read checkpoints, tree tiles and proofs: hashes only.
    LogRead,
    /// Read the header and payload of a journal entry; the relation is that of the entry's
    /// object (a claim's is the claim's, account entries are nobody's to read).
    EntryRead,
    /// Read entry bundles (every entry's header: kind, actor, time), for a full audit.
    EntryBundleRead,
    /// Sign a checkpoint now.
    CheckpointSign,
    /// List submitters' signing keys (public keys).
    KeyList,
    /// Register a signing key; own = for the registrant's organisation.
    KeyRegister,
    /// Add and disable users, issue and revoke their tokens, list them.
    UserManage,
    /// Read one's own account and manage one's own tokens.
    AccountSelf,
    /// Read an incident: one, lists, counts, exports.
    IncidentRead,
    /// Attach, detach, merge and split incidents' claims.
    IncidentManage,
    /// Move an incident along its verification path (propose a finding, record access denied…).
    IncidentTransition,
    /// Publish an endorsed finding.
    IncidentPublish,
    /// Endorse or dissent from a proposed finding (members of the endorsing body only).
    IncidentEndorse,
    /// Contest a published finding with a counter-claim; own = the counter-claim is the
    /// organisation's own.
    IncidentDispute,
    /// Grade a claim's source (Admiralty scale).
    SourceGrade,
    /// Read provision records and the compliance view; links to claims and incidents are
    /// shown only to those who may read what they name.
    RecordRead,
    /// Add provision records and link them to claims and incidents.
    RecordWrite,
    /// Erase the personal data kept beside the journal (a detainee's particulars): the
    /// record and every proof stay; the act is journaled.
    PersonalDataErase,
    /// Read news articles into drafts, read the review queue, accept or reject drafts.
    IntakeReview,
}

impl Action {
    /// Every action, in the matrix's row order.
    pub const ALL: [Action; 23] = [
        Action::ClaimRead,
        Action::PersonalDataRead,
        Action::ClaimSubmit,
        Action::ScenarioRead,
        Action::LogRead,
        Action::EntryRead,
        Action::EntryBundleRead,
        Action::CheckpointSign,
        Action::KeyList,
        Action::KeyRegister,
        Action::UserManage,
        Action::AccountSelf,
        Action::IncidentRead,
        Action::IncidentManage,
        Action::IncidentTransition,
        Action::IncidentPublish,
        Action::IncidentEndorse,
        Action::IncidentDispute,
        Action::SourceGrade,
        Action::RecordRead,
        Action::RecordWrite,
        Action::PersonalDataErase,
        Action::IntakeReview,
    ];

    /// A short name.
    pub fn as_str(self) -> &'static str {
        match self {
            Action::ClaimRead => "claim.read",
            Action::PersonalDataRead => "personal_data.read",
            Action::ClaimSubmit => "claim.submit",
            Action::ScenarioRead => "scenario.read",
            Action::LogRead => "log.read",
            Action::EntryRead => "entry.read",
            Action::EntryBundleRead => "entry_bundle.read",
            Action::CheckpointSign => "checkpoint.sign",
            Action::KeyList => "key.list",
            Action::KeyRegister => "key.register",
            Action::UserManage => "user.manage",
            Action::AccountSelf => "account.self",
            Action::IncidentRead => "incident.read",
            Action::IncidentManage => "incident.manage",
            Action::IncidentTransition => "incident.transition",
            Action::IncidentPublish => "incident.publish",
            Action::IncidentEndorse => "incident.endorse",
            Action::IncidentDispute => "incident.dispute",
            Action::SourceGrade => "source.grade",
            Action::RecordRead => "record.read",
            Action::RecordWrite => "record.write",
            Action::PersonalDataErase => "personal_data.erase",
            Action::IntakeReview => "intake.review",
        }
    }

    /// What it covers, for the generated documentation.
    pub fn describe(self) -> &'static str {
        match self {
            Action::ClaimRead => "read a claim (one, lists, search hits, counts, export rows)",
            Action::PersonalDataRead => {
                "see the personal data of a claim or detainee record one reads: names of detainees, casualties, the missing and witnesses, the source's contact, a detainee's particulars (own: the claim's submitter, the detainee's side)"
            }
            Action::ClaimSubmit => "submit a claim (own: the claimant is the submitter's organisation)",
            Action::ScenarioRead => "read the scenario, gazetteer and taxonomy",
            Action::LogRead => "read checkpoints, tree tiles and proofs (hashes only)",
            Action::EntryRead => "read a journal entry's header and payload (as its object)",
            Action::EntryBundleRead => "read entry bundles: every entry's header, for a full audit",
            Action::CheckpointSign => "sign a checkpoint on demand",
            Action::KeyList => "list submitters' public signing keys",
            Action::KeyRegister => "register a signing key (own: for the registrant's organisation)",
            Action::UserManage => "add and disable users, issue and revoke tokens, list users",
            Action::AccountSelf => "read one's own account",
            Action::IncidentRead => {
                "read an incident: the accounts side by side, its finding and history (one, lists, exports)"
            }
            Action::IncidentManage => "attach, detach, merge and split incidents' claims",
            Action::IncidentTransition => "move an incident along its verification path, proposing a finding",
            Action::IncidentPublish => "publish an endorsed finding",
            Action::IncidentEndorse => {
                "endorse or dissent from a proposed finding (members of the endorsing body only)"
            }
            Action::IncidentDispute => {
                "contest a published finding with a counter-claim (own: the organisation's own claim)"
            }
            Action::SourceGrade => "grade a claim's source (Admiralty scale)",
            Action::RecordRead => {
                "read provision records and compliance (links shown only to those who may read what they name)"
            }
            Action::RecordWrite => "add provision records and link them to claims and incidents",
            Action::PersonalDataErase => {
                "erase a detainee record's particulars (kept beside the journal; every proof stays valid)"
            }
            Action::IntakeReview => {
                "read news articles into drafts, read the review queue, accept a draft as a claim or reject it"
            }
        }
    }

    /// The relations this action distinguishes.
    pub fn relations(self) -> &'static [Relation] {
        match self {
            Action::ClaimRead | Action::PersonalDataRead | Action::EntryRead => {
                &[Relation::Own, Relation::Other, Relation::Published]
            }
            Action::ClaimSubmit | Action::KeyRegister | Action::IncidentDispute => &[Relation::Own, Relation::Other],
            Action::IncidentRead => &[Relation::Other, Relation::Published],
            _ => &[Relation::Any],
        }
    }
}

/// One cell group of the matrix: for `action` on an object in `relation`, who is allowed.
#[derive(Debug, Clone, Copy)]
pub struct Rule {
    /// The action.
    pub action: Action,
    /// The object's relation to the asker.
    pub relation: Relation,
    /// Everyone allowed; anyone else is refused.
    pub allowed: &'static [Viewer],
}

const PUBLIC: Viewer = Viewer::Public;
const MONITOR: Viewer = Viewer::User(Role::Monitor);
const PARTY: Viewer = Viewer::User(Role::Party);
const MEDIATOR: Viewer = Viewer::User(Role::Mediator);
const ANALYST: Viewer = Viewer::User(Role::Analyst);
const ADMIN: Viewer = Viewer::User(Role::Admin);
const EVERYONE: &[Viewer] = &[PUBLIC, MONITOR, PARTY, MEDIATOR, ANALYST, ADMIN];
const SIGNED_IN: &[Viewer] = &[MONITOR, PARTY, MEDIATOR, ANALYST, ADMIN];

/// The permission matrix. Every (action, relation) pair of [`Action::relations`] appears
/// exactly once (a test checks it).
pub const RULES: &[Rule] = &[
    // A party reads its own claims; monitors and analysts read all; published claims are public.
    Rule { action: Action::ClaimRead, relation: Relation::Own, allowed: &[MONITOR, PARTY, ANALYST] },
    Rule { action: Action::ClaimRead, relation: Relation::Other, allowed: &[MONITOR, ANALYST] },
    Rule { action: Action::ClaimRead, relation: Relation::Published, allowed: EVERYONE },
    // Personal data is the submitting organisation's and the monitors' alone: analysts,
    // mediators and the public (and so every published incident) see the claim without it.
    Rule { action: Action::PersonalDataRead, relation: Relation::Own, allowed: &[MONITOR, PARTY] },
    Rule { action: Action::PersonalDataRead, relation: Relation::Other, allowed: &[MONITOR] },
    Rule { action: Action::PersonalDataRead, relation: Relation::Published, allowed: &[MONITOR] },
    // A party claims in its own name; monitors also record others' statements (press, calls).
    Rule { action: Action::ClaimSubmit, relation: Relation::Own, allowed: &[MONITOR, PARTY] },
    Rule { action: Action::ClaimSubmit, relation: Relation::Other, allowed: &[MONITOR] },
    Rule { action: Action::ScenarioRead, relation: Relation::Any, allowed: EVERYONE },
    // Hashes reveal nothing but the log's size, which every checkpoint states.
    Rule { action: Action::LogRead, relation: Relation::Any, allowed: EVERYONE },
    Rule { action: Action::EntryRead, relation: Relation::Own, allowed: &[MONITOR, PARTY, ANALYST] },
    Rule { action: Action::EntryRead, relation: Relation::Other, allowed: &[MONITOR, ANALYST] },
    Rule { action: Action::EntryRead, relation: Relation::Published, allowed: EVERYONE },
    // Headers name each entry's kind and actor: counting another party's claims from them
    // would reveal unpublished claims, so only the mission reads them in bulk.
    Rule { action: Action::EntryBundleRead, relation: Relation::Any, allowed: &[MONITOR, ANALYST] },
    Rule { action: Action::CheckpointSign, relation: Relation::Any, allowed: &[MONITOR, ADMIN] },
    Rule { action: Action::KeyList, relation: Relation::Any, allowed: EVERYONE },
    Rule { action: Action::KeyRegister, relation: Relation::Own, allowed: &[PARTY, MONITOR, ADMIN] },
    Rule { action: Action::KeyRegister, relation: Relation::Other, allowed: &[ADMIN] },
    Rule { action: Action::UserManage, relation: Relation::Any, allowed: &[ADMIN] },
    Rule { action: Action::AccountSelf, relation: Relation::Any, allowed: SIGNED_IN },
    // Incidents are the mission's record: unpublished ones are the mission's alone.
    Rule { action: Action::IncidentRead, relation: Relation::Other, allowed: &[MONITOR, ANALYST] },
    Rule { action: Action::IncidentRead, relation: Relation::Published, allowed: EVERYONE },
    // Only monitors change an incident or publish.
    Rule { action: Action::IncidentManage, relation: Relation::Any, allowed: &[MONITOR] },
    Rule { action: Action::IncidentTransition, relation: Relation::Any, allowed: &[MONITOR] },
    Rule { action: Action::IncidentPublish, relation: Relation::Any, allowed: &[MONITOR] },
    Rule { action: Action::IncidentEndorse, relation: Relation::Any, allowed: &[MONITOR] },
    // A party contests a published finding with its own counter-claim; the incident goes
    // back to the monitors.
    Rule { action: Action::IncidentDispute, relation: Relation::Own, allowed: &[PARTY] },
    Rule { action: Action::IncidentDispute, relation: Relation::Other, allowed: &[] },
    Rule { action: Action::SourceGrade, relation: Relation::Any, allowed: &[MONITOR] },
    // Provision records are the mission's public account of the agreement; what they link
    // to stays under its own rows. The mission alone records.
    Rule { action: Action::RecordRead, relation: Relation::Any, allowed: EVERYONE },
    Rule { action: Action::RecordWrite, relation: Relation::Any, allowed: &[MONITOR] },
    // Drafts from the press are the mission's working material until a monitor accepts one.
    Rule { action: Action::IntakeReview, relation: Relation::Any, allowed: &[MONITOR] },
    // Erasure is an administrative act (a person's request, a court order, retention).
    Rule { action: Action::PersonalDataErase, relation: Relation::Any, allowed: &[ADMIN] },
];

/// Whether `viewer` may do `action` on an object in `relation`. Pairs the matrix does not
/// list are refused.
pub fn allowed(viewer: Viewer, action: Action, relation: Relation) -> bool {
    RULES.iter().any(|r| r.action == action && r.relation == relation && r.allowed.contains(&viewer))
}

/// The matrix as Markdown, for `docs/access.md`.
pub fn render_markdown() -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    out.push_str("# Who may see and do what\n\n");
    out.push_str(
        "Generated from `crates/core/src/access.rs` (`truce access-matrix`); do not edit by hand.\n\
         A test checks this file against the code and another walks every cell over HTTP.\n\n\
         Columns are who asks: `public` is anyone without signing in; the others are users' roles.\n\
         *Own* means submitted by (or belonging to) the asker's own organisation; reading covers\n\
         single reads, lists, search hits, counts and export rows alike. Nobody edits or deletes\n\
         a journal entry: a correction is a new entry.\n\n",
    );
    out.push_str("| action | object |");
    for v in Viewer::ALL {
        let _ = write!(out, " {} |", v.as_str());
    }
    out.push_str("\n|---|---|");
    for _ in Viewer::ALL {
        out.push_str(":-:|");
    }
    out.push('\n');
    for action in Action::ALL {
        for &relation in action.relations() {
            let object = match (action, relation) {
                (Action::ClaimSubmit | Action::KeyRegister | Action::IncidentDispute, Relation::Other) => {
                    "another organisation's"
                }
                (Action::IncidentRead, Relation::Other) => "unpublished",
                _ => relation.as_str(),
            };
            let _ = write!(out, "| `{}` | {} |", action.as_str(), object);
            for v in Viewer::ALL {
                out.push_str(if allowed(v, action, relation) { " yes |" } else { " — |" });
            }
            out.push('\n');
        }
    }
    out.push_str("\n## Actions\n\n");
    for action in Action::ALL {
        let _ = writeln!(out, "- `{}`: {}.", action.as_str(), action.describe());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_cell_is_listed_exactly_once() {
        for action in Action::ALL {
            for &relation in action.relations() {
                let n = RULES.iter().filter(|r| r.action == action && r.relation == relation).count();
                assert_eq!(n, 1, "{} / {}", action.as_str(), relation.as_str());
            }
        }
        for r in RULES {
            assert!(r.action.relations().contains(&r.relation), "{} has no {:?} column", r.action.as_str(), r.relation);
        }
    }

    #[test]
    fn the_rules_the_mission_depends_on() {
        // A party never reads another party's unpublished claim, nor the log's headers in bulk.
        assert!(!allowed(PARTY, Action::ClaimRead, Relation::Other));
        assert!(!allowed(PARTY, Action::EntryRead, Relation::Other));
        assert!(!allowed(PARTY, Action::EntryBundleRead, Relation::Any));
        assert!(allowed(PARTY, Action::ClaimRead, Relation::Own));
        // The public reads only what is published, and the hashes.
        for action in Action::ALL {
            for &relation in action.relations() {
                if allowed(PUBLIC, action, relation) {
                    assert!(
                        matches!(relation, Relation::Published | Relation::Any)
                            && !matches!(action, Action::ClaimSubmit | Action::KeyRegister | Action::UserManage),
                        "public may {} ({})",
                        action.as_str(),
                        relation.as_str()
                    );
                }
            }
        }
        // Admins manage accounts but read nothing unpublished.
        assert!(!allowed(ADMIN, Action::ClaimRead, Relation::Other));
        assert!(allowed(ADMIN, Action::UserManage, Relation::Any));
        assert!(!allowed(MONITOR, Action::UserManage, Relation::Any));
        // Only monitors change an incident's state or publish; parties never read an
        // unpublished incident.
        for action in [Action::IncidentManage, Action::IncidentTransition, Action::IncidentPublish] {
            for v in Viewer::ALL {
                assert_eq!(allowed(v, action, Relation::Any), v == MONITOR, "{} {}", v.as_str(), action.as_str());
            }
        }
        assert!(!allowed(PARTY, Action::IncidentRead, Relation::Other));
        // Personal data: monitors, and the submitting party for its own claims; nobody else,
        // published or not.
        for v in Viewer::ALL {
            assert_eq!(allowed(v, Action::PersonalDataRead, Relation::Own), v == MONITOR || v == PARTY);
            assert_eq!(allowed(v, Action::PersonalDataRead, Relation::Other), v == MONITOR);
            assert_eq!(allowed(v, Action::PersonalDataRead, Relation::Published), v == MONITOR);
        }
    }

    #[test]
    fn docs_access_md_is_generated_from_the_matrix() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/access.md");
        let generated = render_markdown();
        if std::env::var_os("TRUCE_UPDATE_DOCS").is_some() {
            std::fs::write(path, &generated).expect("write docs/access.md");
        }
        let on_disk = std::fs::read_to_string(path).unwrap_or_default();
        assert!(
            on_disk == generated,
            "docs/access.md is out of date: run `TRUCE_UPDATE_DOCS=1 cargo test -p truce-core access` or `truce access-matrix > docs/access.md`"
        );
    }

    #[test]
    fn roles_parse_by_name() {
        for r in Role::ALL {
            assert_eq!(Role::parse(r.as_str()), Ok(r));
        }
        assert!(Role::parse("root").is_err_and(|e| e.contains("monitor")));
    }
}

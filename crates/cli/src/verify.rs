//! `truce verify` and `truce proof`: checking a log without trusting its server.
//!
//! A log is read either from a running server (its tlog-tiles endpoints) or from a database
//! file with the server stopped. The checks: the checkpoint's signature; a full audit that
//! recomputes every leaf and tree hash from the entries; consistency with checkpoints saved
//! earlier; inclusion of one entry; and offline tlog-proof files under a tlog-policy.

use std::collections::BTreeMap;
use std::fmt;

use anyhow::{Context, Result};
use sha2::Digest as _;
use truce_ledger::tiles::{TILE_WIDTH, TileId, TileKind, TileStore, TileWriter, hashes_at, parse_entry_bundle};
use truce_ledger::{
    Checkpoint, Hash, Policy, TileSource, TlogProof, VerifierKey, consistency_proof, inclusion_proof, leaf_hash,
    open_checkpoint, verify_consistency, verify_inclusion,
};
use truce_store::LogFile;

use crate::client::Client;

/// One entry as a source gives it.
#[derive(Debug, Clone)]
pub struct SourceEntry {
    /// Its sequence number.
    pub seq: u64,
    /// Its leaf bytes.
    pub leaf: Vec<u8>,
    /// Whether its payload still hashes to the header's SHA-256 (`None`: not checkable here).
    pub payload_matches: Option<bool>,
}

/// Where a log is read from.
pub trait LogSource {
    /// The newest checkpoint note, with any cosignatures.
    fn checkpoint(&mut self) -> Result<Option<String>>;
    /// Entries `[start, start + count)` of the tree of `size` entries, as stored.
    fn entries(&mut self, start: u64, count: u64, size: u64) -> Result<Vec<SourceEntry>>;
    /// Hash tile `index` at `level` as it is in the tree of `size` entries.
    fn tile(&mut self, level: u8, index: u64, size: u64) -> Result<Option<Vec<u8>>>;
    /// The canonical payload of entry `seq`.
    fn payload(&mut self, seq: u64) -> Result<Option<Vec<u8>>>;
}

/// A database file, read directly.
#[derive(Debug)]
pub struct DbSource(pub LogFile);

impl LogSource for DbSource {
    fn checkpoint(&mut self) -> Result<Option<String>> {
        Ok(self.0.checkpoint()?.map(|c| c.cosigned_note()))
    }
    fn entries(&mut self, start: u64, count: u64, _size: u64) -> Result<Vec<SourceEntry>> {
        Ok(self
            .0
            .entries(start, count)?
            .into_iter()
            .map(|e| SourceEntry { seq: e.seq, leaf: e.leaf, payload_matches: Some(e.payload_matches) })
            .collect())
    }
    fn tile(&mut self, level: u8, index: u64, _size: u64) -> Result<Option<Vec<u8>>> {
        Ok(self.0.tile(level, index)?)
    }
    fn payload(&mut self, seq: u64) -> Result<Option<Vec<u8>>> {
        Ok(self.0.payload(seq)?)
    }
}

/// A running server, read through its tlog-tiles endpoints.
#[derive(Debug)]
pub struct HttpSource(pub Client);

fn width(count: u64, index: u64) -> u16 {
    count.saturating_sub(index * TILE_WIDTH).min(TILE_WIDTH) as u16
}

impl LogSource for HttpSource {
    fn checkpoint(&mut self) -> Result<Option<String>> {
        match self.0.get_bytes("/log/checkpoint")? {
            Some(b) => Ok(Some(String::from_utf8(b).context("the checkpoint is not UTF-8")?)),
            None => Ok(None),
        }
    }
    fn entries(&mut self, start: u64, count: u64, size: u64) -> Result<Vec<SourceEntry>> {
        let index = start / TILE_WIDTH;
        let id = TileId { kind: TileKind::Entries, index, width: width(size, index) };
        let bundle = self.0.get_bytes(&format!("/log/{id}"));
        // A party may not read the bundles (they hold everyone's headers) but may read its own
        // entries one by one: an inclusion check falls back to that. The proof checks the leaf.
        if count == 1 && bundle.is_err() {
            let answer = self.0.get(&format!("/api/v1/log/entries/{start}"), &[])?;
            if answer.status == 404 {
                return Ok(Vec::new());
            }
            let body = crate::client::expect(answer, 200)?;
            let leaf = body["leaf"].as_str().context("the entry has no leaf")?;
            return Ok(vec![SourceEntry { seq: start, leaf: leaf.as_bytes().to_vec(), payload_matches: None }]);
        }
        let Some(bytes) = bundle? else { return Ok(Vec::new()) };
        let leaves = parse_entry_bundle(&bytes).with_context(|| format!("{id} is not a valid entry bundle"))?;
        Ok(leaves
            .into_iter()
            .enumerate()
            .map(|(i, leaf)| SourceEntry {
                seq: index * TILE_WIDTH + i as u64,
                leaf: leaf.to_vec(),
                payload_matches: None,
            })
            .filter(|e| e.seq >= start && e.seq < start + count)
            .collect())
    }
    fn tile(&mut self, level: u8, index: u64, size: u64) -> Result<Option<Vec<u8>>> {
        let id = TileId { kind: TileKind::Hashes(level), index, width: width(hashes_at(level, size), index) };
        if id.width == 0 {
            return Ok(None);
        }
        self.0.get_bytes(&format!("/log/{id}"))
    }
    fn payload(&mut self, seq: u64) -> Result<Option<Vec<u8>>> {
        /// The payload exactly as served: the stored bytes, unparsed.
        #[derive(serde::Deserialize)]
        struct Served<'a> {
            #[serde(borrow)]
            payload: Option<&'a serde_json::value::RawValue>,
        }
        let (status, body) = self.0.get_raw(&format!("/api/v1/log/entries/{seq}"), &[])?;
        match status {
            404 => return Ok(None),
            200 => {}
            s => anyhow::bail!("GET /api/v1/log/entries/{seq}: status {s}: {}", String::from_utf8_lossy(&body)),
        }
        let served: Served<'_> = serde_json::from_slice(&body).context("the entry is not JSON")?;
        // Withheld (personal data the caller may not read): not available to check.
        Ok(served.payload.map(|p| p.get().as_bytes().to_vec()))
    }
}

/// A verification failure, naming the first bad sequence number when there is one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// The first bad sequence number found.
    pub seq: Option<u64>,
    /// What is wrong.
    pub reason: String,
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.seq {
            Some(seq) => write!(f, "verification failed at seq {seq}: {}", self.reason),
            None => write!(f, "verification failed: {}", self.reason),
        }
    }
}

impl std::error::Error for Failure {}

fn fail(seq: Option<u64>, reason: impl Into<String>) -> anyhow::Error {
    Failure { seq, reason: reason.into() }.into()
}

struct Tiles<'a> {
    src: &'a mut dyn LogSource,
    size: u64,
}

impl TileStore for Tiles<'_> {
    type Error = anyhow::Error;
    fn read_tile(&mut self, level: u8, index: u64) -> Result<Option<Vec<u8>>> {
        self.src.tile(level, index, self.size)
    }
}

/// What to check.
#[derive(Debug, Clone, Default)]
pub struct Checks {
    /// Recompute every leaf and tree hash from the entries.
    pub audit: bool,
    /// Checkpoint notes saved earlier, to prove the log still extends them.
    pub saved: Vec<(String, String)>,
    /// An entry whose inclusion to prove.
    pub seq: Option<u64>,
    /// A submitter's key: the entry (`seq`) must be a claim signed with it, exactly as recorded.
    pub signed_by: Option<VerifierKey>,
}

/// What a successful verification found.
#[derive(Debug, Clone)]
pub struct Verified {
    /// The lines of the report.
    pub lines: Vec<String>,
    /// The checkpoint note that was verified (to save for the next run's `--checkpoint`).
    pub note: String,
}

/// Runs the checks. A failure is a [`Failure`].
pub fn verify(src: &mut dyn LogSource, key: &VerifierKey, checks: &Checks) -> Result<Verified> {
    let mut out = Vec::new();
    let note = src.checkpoint()?.ok_or_else(|| fail(None, "the log has no checkpoint"))?;
    let cp = open_checkpoint(note.as_bytes(), key)
        .map_err(|e| fail(None, format!("the log's checkpoint does not verify with {key}: {e}")))?
        .checkpoint;
    out.push(format!("checkpoint: signature OK ({}, size {}, root {})", cp.origin, cp.size, cp.root));

    let mut saved = Vec::new();
    for (name, text) in &checks.saved {
        let s = open_checkpoint(text.as_bytes(), key)
            .map_err(|e| fail(None, format!("saved checkpoint {name} does not verify with {key}: {e}")))?
            .checkpoint;
        saved.push((name.clone(), s));
    }

    let mut roots = BTreeMap::new();
    if checks.audit {
        let wanted: Vec<u64> = saved.iter().map(|(_, s)| s.size).filter(|&s| s <= cp.size).collect();
        let root = audit(src, &cp, &wanted, &mut roots)?;
        if root != cp.root {
            return Err(fail(
                None,
                format!(
                    "the entries produce root {root}, not the checkpoint's {}: the stored tree and entries were both rewritten",
                    cp.root
                ),
            ));
        }
        out.push(format!("audit: {} entries recomputed; every leaf, tree hash and the root match", cp.size));
        let mut matched: Vec<u64> = Vec::new();
        let mut differs: Vec<&Checkpoint> = Vec::new();
        for (_, s) in &saved {
            match roots.get(&s.size) {
                Some(r) if *r == s.root => matched.push(s.size),
                Some(_) => differs.push(s),
                None => {}
            }
        }
        if let Some(bad) = differs.iter().min_by_key(|s| s.size) {
            let lo = matched.iter().copied().filter(|&m| m < bad.size).max().unwrap_or(0);
            let span = if bad.size == lo + 1 {
                format!("entry {lo} was rewritten")
            } else {
                format!("an entry in {lo}..{} was rewritten", bad.size - 1)
            };
            return Err(fail(
                Some(lo),
                format!(
                    "fork: the log no longer matches the checkpoint of size {} you hold (root {}); {}{span}",
                    bad.size,
                    bad.root,
                    if lo > 0 { format!("it still matches the one of size {lo}; ") } else { String::new() }
                ),
            ));
        }
    }

    for (name, s) in &saved {
        if s.size == 0 {
            return Err(fail(None, format!("saved checkpoint {name} is of the empty log: there is nothing to prove")));
        }
        if s.size > cp.size {
            return Err(fail(
                Some(cp.size),
                format!(
                    "the log's checkpoint (size {}) is older than the one you hold in {name} (size {}): the log was rolled back",
                    cp.size, s.size
                ),
            ));
        }
        let mut tiles = TileSource::new(Tiles { src: &mut *src, size: cp.size });
        let proof =
            consistency_proof(&mut tiles, s.size, cp.size).map_err(|e| fail(None, format!("reading the tree: {e}")))?;
        verify_consistency(s.size, cp.size, s.root, cp.root, &proof).map_err(|e| {
            fail(
                Some(s.size.saturating_sub(1)),
                format!(
                    "fork: no consistency from the checkpoint you hold (size {}) to the log's (size {}): {e}",
                    s.size, cp.size
                ),
            )
        })?;
        out.push(format!("consistency: the log extends the checkpoint in {name} (size {} -> {})", s.size, cp.size));
    }

    if let Some(seq) = checks.seq {
        if seq >= cp.size {
            return Err(fail(Some(seq), format!("entry {seq} is not covered by the checkpoint (size {})", cp.size)));
        }
        let entry = src
            .entries(seq, 1, cp.size)?
            .into_iter()
            .find(|e| e.seq == seq)
            .ok_or_else(|| fail(Some(seq), "the log does not have this entry"))?;
        let hashes = prove_inclusion(src, &cp, seq, &entry.leaf)?;
        if entry.payload_matches == Some(false) {
            return Err(fail(Some(seq), "the entry's payload no longer matches its SHA-256"));
        }
        out.push(format!("inclusion: entry {seq} is in the checkpointed tree ({hashes} proof hashes)"));
        if let Some(signer) = &checks.signed_by {
            out.push(check_signature(src, &cp, seq, &entry.leaf, signer)?);
        }
        out.push(String::from_utf8_lossy(&entry.leaf).trim_end().to_string());
    }
    Ok(Verified { lines: out, note })
}

/// Streams every entry of the checkpointed tree, recomputing leaves and tiles and comparing
/// them with what is stored. Records the roots at `wanted` sizes. Returns the root.
fn audit(src: &mut dyn LogSource, cp: &Checkpoint, wanted: &[u64], roots: &mut BTreeMap<u64, Hash>) -> Result<Hash> {
    let mut writer = TileWriter::new();
    let mut start = 0u64;
    while start < cp.size {
        let count = (cp.size - start).min(TILE_WIDTH);
        let mut expected = start;
        for e in src.entries(start, count, cp.size)? {
            if e.seq != expected {
                return Err(fail(Some(expected), "the entry is missing (deleted)"));
            }
            if e.payload_matches == Some(false) {
                return Err(fail(Some(e.seq), "the stored payload no longer matches its SHA-256 (altered)"));
            }
            writer.append(leaf_hash(&e.leaf));
            expected += 1;
            if wanted.contains(&expected) {
                roots.insert(expected, writer.root());
            }
        }
        if expected < start + count {
            return Err(fail(Some(expected), "the entry is missing (deleted)"));
        }
        // The lowest level that disagrees locates the damage best: a changed leaf also
        // changes every tree hash above it.
        let mut first_bad: Option<((u8, u64), String)> = None;
        for (id, bytes) in writer.take_writes() {
            let TileKind::Hashes(level) = id.kind else { continue };
            let stored = src.tile(level, id.index, cp.size)?.unwrap_or_default();
            let pos = bytes
                .chunks(Hash::LEN)
                .zip(stored.chunks(Hash::LEN).map(Some).chain(std::iter::repeat(None)))
                .position(|(want, got)| got != Some(want));
            if let Some(p) = pos {
                let seq = (id.index * TILE_WIDTH + p as u64) << (8 * u32::from(level));
                if first_bad.as_ref().is_none_or(|(at, _)| (level, seq) < *at) {
                    first_bad = Some((
                        (level, seq),
                        format!(
                            "the stored tree hash {p} of {id} differs from the one recomputed from the entries (the entry or the tree was altered)"
                        ),
                    ));
                }
            }
        }
        if let Some(((_, seq), reason)) = first_bad {
            return Err(fail(Some(seq), reason));
        }
        start += count;
    }
    Ok(writer.root())
}

/// Builds a tlog-proof for entry `seq` from a server: the newest checkpoint covering it,
/// with its cosignatures; the entry's leaf goes in the extra data.
pub fn make_proof(client: &Client, seq: u64) -> Result<TlogProof> {
    let answer = client.get("/api/v1/log/proof/inclusion", &[("seq", seq.to_string())])?;
    let body = crate::client::expect(answer, 200).with_context(|| format!("asking for the proof of entry {seq}"))?;
    let s = |k: &str| body[k].as_str().map(str::to_string).with_context(|| format!("the answer has no {k}"));
    let proof = body["proof"]
        .as_array()
        .context("the answer has no proof")?
        .iter()
        .map(|h| h.as_str().and_then(Hash::from_base64).context("a proof hash is not base64 of 32 bytes"))
        .collect::<Result<Vec<_>>>()?;
    let checkpoint = s("checkpoint").context("the server has no checkpoint of that size yet")?;
    let leaf = s("leaf").with_context(|| {
        format!("the server gave no header for entry {seq}: the token's user may not read that entry (--token)")
    })?;
    Ok(TlogProof { extra: Some(leaf.into_bytes()), index: seq, proof, checkpoint })
}

/// Checks a tlog-proof offline under a policy; returns the lines of a report.
pub fn verify_proof(proof_text: &str, policy: &Policy) -> Result<Vec<String>> {
    let proof = TlogProof::parse(proof_text).map_err(|e| fail(None, e.to_string()))?;
    let leaf = proof.extra.clone().ok_or_else(|| fail(Some(proof.index), "the proof carries no entry (extra line)"))?;
    let verified = proof.verify(leaf_hash(&leaf), policy).map_err(|e| fail(Some(proof.index), e.to_string()))?;
    let header = String::from_utf8_lossy(&leaf).into_owned();
    let mut lines = header.lines();
    if lines.next() != Some(truce_core::journal::LEAF_FORMAT) {
        return Err(fail(Some(proof.index), "the proof's entry is not a truce journal entry"));
    }
    if lines.next() != Some(format!("seq {}", proof.index).as_str()) {
        return Err(fail(Some(proof.index), "the entry in the proof names another sequence number than its index"));
    }
    let cp = &verified.checkpoint;
    let cosigners = policy.cosigners(proof.checkpoint.as_bytes());
    Ok(vec![
        format!("proof OK: entry {} is in {} at size {} (root {})", proof.index, cp.origin, cp.size, cp.root),
        format!(
            "log signature OK; cosigned by {} (quorum {} met)",
            if cosigners.is_empty() { "nobody".into() } else { cosigners.join(", ") },
            policy.quorum
        ),
        header.trim_end().to_string(),
    ])
}

/// A header line's value (`key value`) in leaf bytes.
fn leaf_field(leaf: &[u8], key: &str) -> Option<String> {
    String::from_utf8_lossy(leaf).lines().find_map(|l| l.strip_prefix(&format!("{key} ")).map(str::to_string))
}

/// Proves that `leaf` is entry `seq` of the tree of `cp`; returns the proof's length.
fn prove_inclusion(src: &mut dyn LogSource, cp: &Checkpoint, seq: u64, leaf: &[u8]) -> Result<usize> {
    let mut tiles = TileSource::new(Tiles { src: &mut *src, size: cp.size });
    let proof = inclusion_proof(&mut tiles, seq, cp.size).map_err(|e| fail(None, format!("reading the tree: {e}")))?;
    verify_inclusion(seq, cp.size, leaf_hash(leaf), &proof, cp.root)
        .map_err(|e| fail(Some(seq), format!("inclusion proof fails: {e}")))?;
    Ok(proof.len())
}

/// Entry `seq`'s payload, parsed and as its bytes, checked against the hash its `leaf`
/// names. The bytes are hashed as stored (and served): canonicalising them again could
/// write a number differently from the canonicaliser that wrote them.
fn leaf_payload(src: &mut dyn LogSource, seq: u64, leaf: &[u8]) -> Result<(serde_json::Value, Vec<u8>)> {
    let bytes = src.payload(seq)?.ok_or_else(|| fail(Some(seq), "the log does not serve this entry's payload"))?;
    let digest: String = sha2::Sha256::digest(&bytes).iter().map(|b| format!("{b:02x}")).collect();
    if leaf_field(leaf, "payload-sha256").as_deref() != Some(digest.as_str()) {
        return Err(fail(Some(seq), "the payload served is not the one the leaf commits to"));
    }
    let payload: serde_json::Value =
        serde_json::from_slice(&bytes).map_err(|e| fail(Some(seq), format!("the payload is not JSON: {e}")))?;
    Ok((payload, bytes))
}

/// Checks that entry `seq` (proven in the tree of `cp`) is a claim signed by `signer` whose
/// signed JSON, validated under the log's own scenario (entry 0), gives the recorded claim.
fn check_signature(
    src: &mut dyn LogSource,
    cp: &Checkpoint,
    seq: u64,
    leaf: &[u8],
    signer: &VerifierKey,
) -> Result<String> {
    let (payload, canonical) = leaf_payload(src, seq, leaf)?;
    let sig = &payload["signature"];
    let key = sig["key"].as_str().ok_or_else(|| fail(Some(seq), "the entry is not a signed claim"))?;
    if key != format!("{}+{:08x}", signer.name(), signer.key_id()) {
        return Err(fail(Some(seq), format!("the claim was signed with {key}, not with {}", signer)));
    }
    let bytes = sig["sig"]
        .as_str()
        .and_then(|s| base64::Engine::decode(&base64::engine::general_purpose::STANDARD, s).ok())
        .ok_or_else(|| fail(Some(seq), "the signature is not base64"))?;
    let signed = sig["signed"].as_str().ok_or_else(|| fail(Some(seq), "the entry keeps no signed JSON"))?;
    if !signer.verify_detached(signed.as_bytes(), &bytes) {
        return Err(fail(Some(seq), "the claim's signature does not verify with this key"));
    }
    // The recorded claim must be what validating the signed JSON under the log's scenario
    // (entry 0) gives: nothing was added, dropped or changed on the way in.
    let first = src
        .entries(0, 1, cp.size)?
        .into_iter()
        .find(|e| e.seq == 0)
        .ok_or_else(|| fail(Some(0), "the log does not serve its first entry"))?;
    if leaf_field(&first.leaf, "kind").as_deref() != Some(truce_core::journal::kind::SCENARIO_LOADED) {
        return Err(fail(Some(0), "entry 0 is not the scenario"));
    }
    prove_inclusion(src, cp, 0, &first.leaf)?;
    let (_, scenario) = leaf_payload(src, 0, &first.leaf)?;
    let scenario = match truce_core::journal::Command::decode(truce_core::journal::kind::SCENARIO_LOADED, &scenario) {
        Ok(truce_core::journal::Command::LoadScenario(s)) => s,
        _ => return Err(fail(Some(0), "entry 0 is not the scenario")),
    };
    let input: truce_core::claims::ClaimInput =
        serde_json::from_str(signed).map_err(|e| fail(Some(seq), format!("the signed JSON is not a claim: {e}")))?;
    let mut body =
        input.validate(&scenario).map_err(|e| fail(Some(seq), format!("the signed claim does not validate: {e}")))?;
    body.signature = serde_json::from_value(sig.clone()).ok();
    // The salt of a claim with personal data is the server's, not the signer's.
    body.personal_salt = payload["personal_salt"].as_str().map(str::to_owned);
    let rebuilt = truce_core::journal::canonical_json(&body).map_err(|e| fail(Some(seq), e.to_string()))?;
    if rebuilt != canonical {
        return Err(fail(Some(seq), "the recorded claim differs from the one validated from the signed JSON"));
    }
    Ok(format!("signature: entry {seq} is a claim signed by {signer}; the signed JSON is in the entry"))
}

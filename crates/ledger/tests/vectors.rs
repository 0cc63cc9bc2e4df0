//! Runs every transparency-log test vector in `../shared/testvectors/tlog/`, dispatching on
//! `vector_type`, so new files of a known type are picked up without code changes.

use std::collections::HashMap;
use std::path::PathBuf;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use serde_json::Value;
use truce_ledger::checkpoint::{Checkpoint, cosignatures};
use truce_ledger::hash::{Hash, empty_root, leaf_hash, node_hash_bytes};
use truce_ledger::note::{NoteError, SigningKeyPair, VerifierKey, open_note, parse_note};
use truce_ledger::policy::Policy;
use truce_ledger::proof::{MemoryTree, consistency_proof, inclusion_proof, verify_consistency, verify_inclusion};
use truce_ledger::tiles::{TileId, TileKind, TileSource, TileStore, TileWriter, entry_bundle, tile_set};
use truce_ledger::tlog_proof::TlogProof;
use truce_ledger::witness::{AddCheckpoint, decide};

fn vector_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/testvectors/tlog")
}

fn hex(s: &str) -> Vec<u8> {
    hex::decode(s).expect("hex")
}

fn h_hex(s: &str) -> Hash {
    Hash::from_slice(&hex(s)).expect("32-byte hash")
}

fn b64(s: &str) -> Vec<u8> {
    STANDARD.decode(s).expect("base64")
}

fn str_of<'a>(v: &'a Value, k: &str) -> &'a str {
    v[k].as_str().unwrap_or_else(|| panic!("field {k} missing in {v}"))
}

/// A JSON array of base64 hashes.
fn b64_hashes(v: &Value) -> Vec<Hash> {
    v.as_array()
        .expect("array of hashes")
        .iter()
        .map(|h| Hash::from_base64(h.as_str().expect("s")).expect("hash"))
        .collect()
}

fn seed(v: &Value, k: &str) -> [u8; 32] {
    hex(str_of(v, k)).try_into().expect("32-byte seed")
}

#[test]
fn every_vector_file_passes() {
    let mut files: Vec<PathBuf> = std::fs::read_dir(vector_dir())
        .expect("../shared/testvectors/tlog is beside the checkout")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    assert!(files.len() >= 10, "expected the tlog vector files, found {files:?}");
    let mut counts: HashMap<String, usize> = HashMap::new();
    for path in files {
        let doc: Value = serde_json::from_slice(&std::fs::read(&path).expect("read")).expect("json");
        let kind = str_of(&doc, "vector_type").to_string();
        let n = match kind.as_str() {
            "rfc6962-hash" => hash_kat(&doc),
            "rfc6962-reference-tree" => reference_tree(&doc),
            "inclusion-probes" => inclusion_probes(&doc),
            "consistency-probes" => consistency_probes(&doc),
            "signed-note" => signed_notes(&doc),
            "tlog-cosignature-ed25519" => cosignature_cases(&doc),
            "tlog-checkpoint-body" => checkpoint_bodies(&doc),
            "tlog-tiles" => tiles(&doc),
            "tlog-witness-add-checkpoint" => witness_session(&doc),
            "tlog-proof-e2e" => tlog_proofs(&doc),
            other => panic!("{}: unknown vector_type {other}", path.display()),
        };
        assert!(n > 0, "{}: no case ran", path.display());
        *counts.entry(kind).or_default() += n;
    }
    eprintln!("vector cases run: {counts:?}");
}

fn hash_kat(doc: &Value) -> usize {
    let cases = doc["cases"].as_array().expect("cases");
    for c in cases {
        let got = match str_of(c, "op") {
            "empty_root" => empty_root().0,
            "leaf" => leaf_hash(&hex(str_of(c, "input_hex"))).0,
            "node" => node_hash_bytes(&hex(str_of(c, "left_hex")), &hex(str_of(c, "right_hex"))),
            op => panic!("unknown op {op}"),
        };
        assert_eq!(got.to_vec(), hex(str_of(c, "want_hex")), "{}", str_of(c, "desc"));
    }
    cases.len()
}

fn flip_each_bit_fails(proof: &[Hash], check: impl Fn(&[Hash]) -> bool) {
    for i in 0..proof.len() {
        for bit in 0..256 {
            let mut bad = proof.to_vec();
            bad[i].0[bit / 8] ^= 1 << (bit % 8);
            assert!(!check(&bad), "flipping bit {bit} of proof hash {i} still verifies");
        }
    }
}

fn reference_tree(doc: &Value) -> usize {
    let leaves: Vec<Hash> = doc["leaves_hex"]
        .as_array()
        .expect("leaves")
        .iter()
        .map(|l| leaf_hash(&hex(l.as_str().expect("hex"))))
        .collect();
    let roots: Vec<Hash> =
        doc["roots_hex"].as_array().expect("roots").iter().map(|r| h_hex(r.as_str().expect("hex"))).collect();
    let mut tree = MemoryTree::new(leaves.clone());
    for (n, root) in roots.iter().enumerate() {
        assert_eq!(tree.root(n as u64), *root, "root of size {n}");
    }
    for (level, hashes) in doc["node_hashes_hex"].as_array().expect("nodes").iter().enumerate() {
        for (i, h) in hashes.as_array().expect("level").iter().enumerate() {
            let got = truce_ledger::proof::range_root(&mut tree, (i << level) as u64, ((i + 1) << level) as u64).ok();
            assert_eq!(got, Some(h_hex(h.as_str().expect("hex"))), "node {level}/{i}");
        }
    }
    let mut n = 0;
    for c in doc["inclusion"].as_array().expect("inclusion") {
        let (index, size) = (c["index"].as_u64().expect("index"), c["size"].as_u64().expect("size"));
        let want: Vec<Hash> =
            c["proof_hex"].as_array().expect("proof").iter().map(|h| h_hex(h.as_str().expect("hex"))).collect();
        assert_eq!(inclusion_proof(&mut tree, index, size).ok(), Some(want.clone()), "PATH({index}, {size})");
        let leaf = leaves[index as usize];
        let root = roots[size as usize];
        assert!(verify_inclusion(index, size, leaf, &want, root).is_ok());
        flip_each_bit_fails(&want, |p| verify_inclusion(index, size, leaf, p, root).is_ok());
        for bit in 0..256 {
            let (mut bl, mut br) = (leaf, root);
            bl.0[bit / 8] ^= 1 << (bit % 8);
            br.0[bit / 8] ^= 1 << (bit % 8);
            assert!(verify_inclusion(index, size, bl, &want, root).is_err());
            assert!(verify_inclusion(index, size, leaf, &want, br).is_err());
        }
        n += 1;
    }
    for c in doc["consistency"].as_array().expect("consistency") {
        let (s1, s2) = (c["size1"].as_u64().expect("size1"), c["size2"].as_u64().expect("size2"));
        let want: Vec<Hash> =
            c["proof_hex"].as_array().expect("proof").iter().map(|h| h_hex(h.as_str().expect("hex"))).collect();
        assert_eq!(consistency_proof(&mut tree, s1, s2).ok(), Some(want.clone()), "PROOF({s1}, {s2})");
        let (r1, r2) = (roots[s1 as usize], roots[s2 as usize]);
        assert!(verify_consistency(s1, s2, r1, r2, &want).is_ok());
        flip_each_bit_fails(&want, |p| verify_consistency(s1, s2, r1, r2, p).is_ok());
        for bit in 0..256 {
            let (mut b1, mut b2) = (r1, r2);
            b1.0[bit / 8] ^= 1 << (bit % 8);
            b2.0[bit / 8] ^= 1 << (bit % 8);
            assert!(verify_consistency(s1, s2, b1, r2, &want).is_err());
            assert!(verify_consistency(s1, s2, r1, b2, &want).is_err());
        }
        n += 1;
    }
    n
}

/// Decodes a probe's base64 hash; `None` when it is not 32 bytes (refused at parse time).
fn probe_hash(v: &Value) -> Option<Hash> {
    Hash::from_slice(&b64(v.as_str()?))
}

fn probe_proof(v: &Value) -> Option<Vec<Hash>> {
    match v {
        Value::Null => Some(Vec::new()),
        Value::Array(a) => a.iter().map(probe_hash).collect(),
        _ => None,
    }
}

fn inclusion_probes(doc: &Value) -> usize {
    let cases = doc["cases"].as_array().expect("cases");
    for c in cases {
        let want_err = c["wantErr"].as_bool().expect("wantErr");
        let parsed = (probe_hash(&c["root"]), probe_hash(&c["leafHash"]), probe_proof(&c["proof"]));
        let ok = match parsed {
            (Some(root), Some(leaf), Some(proof)) => verify_inclusion(
                c["leafIdx"].as_u64().expect("idx"),
                c["treeSize"].as_u64().expect("size"),
                leaf,
                &proof,
                root,
            )
            .is_ok(),
            _ => false,
        };
        assert_eq!(ok, !want_err, "{}", str_of(c, "file"));
    }
    cases.len()
}

fn consistency_probes(doc: &Value) -> usize {
    let mut n = 0;
    for c in doc["cases"].as_array().expect("cases") {
        let want_err = c["wantErr"].as_bool().expect("wantErr");
        let parsed = (probe_hash(&c["root1"]), probe_hash(&c["root2"]), probe_proof(&c["proof"]));
        let ok = match parsed {
            (Some(r1), Some(r2), Some(proof)) => verify_consistency(
                c["size1"].as_u64().expect("size1"),
                c["size2"].as_u64().expect("size2"),
                r1,
                r2,
                &proof,
            )
            .is_ok(),
            _ => {
                // Strict 32-byte typing: the one success probe with 12-byte "roots" is skipped.
                if !want_err && str_of(c, "file").ends_with("sizes-are-equal-one-and-proof-is-empty.json") {
                    continue;
                }
                false
            }
        };
        assert_eq!(ok, !want_err, "{}", str_of(c, "file"));
        n += 1;
    }
    n
}

fn signed_notes(doc: &Value) -> usize {
    let mut n = 0;
    for k in doc["keys"].as_array().expect("keys") {
        let vkey = VerifierKey::parse(str_of(k, "vkey")).expect("key parses");
        assert_eq!(format!("{:08x}", vkey.key_id()), str_of(k, "key_id_hex"));
        assert_eq!(vkey.to_string(), str_of(k, "vkey"));
        if let Some(go) = k["go_private_key"].as_str() {
            let pair = SigningKeyPair::parse(go).expect("private key parses");
            assert_eq!(pair.to_private_string(), go);
            assert_eq!(pair.note_verifier(), vkey);
        }
        n += 1;
    }
    for c in doc["open_cases"].as_array().expect("open_cases") {
        let keys: Vec<VerifierKey> = c["verifier_vkeys"]
            .as_array()
            .expect("keys")
            .iter()
            .map(|k| VerifierKey::parse(k.as_str().expect("str")).expect("vkey"))
            .collect();
        let got = open_note(&b64(str_of(c, "note_b64")), &keys);
        let desc = str_of(c, "desc");
        if c["want_ok"].as_bool().expect("want_ok") {
            let opened = got.unwrap_or_else(|e| panic!("{desc}: {e}"));
            let pairs = |v: &Value| -> Vec<(String, String)> {
                v.as_array()
                    .expect("pairs")
                    .iter()
                    .map(|p| (p[0].as_str().expect("n").to_string(), p[1].as_str().expect("id").to_string()))
                    .collect()
            };
            let have = |sigs: &[truce_ledger::note::NoteSignature]| -> Vec<(String, String)> {
                sigs.iter().map(|s| (s.name.clone(), format!("{:08x}", s.key_id))).collect()
            };
            assert_eq!(have(&opened.verified), pairs(&c["want_verified"]), "{desc}");
            assert_eq!(have(&opened.unverified), pairs(&c["want_unverified"]), "{desc}");
        } else {
            let err = got.expect_err(desc);
            let category = match err {
                NoteError::Malformed(_) => "malformed",
                NoteError::NoVerifiedSignature => "no verifiable signatures",
                NoteError::InvalidSignature { .. } => "invalid signature for known key",
                _ => "other",
            };
            assert_eq!(Some(category), c["want_error"].as_str(), "{desc}");
        }
        n += 1;
    }
    for c in doc["sign_cases"].as_array().expect("sign_cases") {
        let pair = SigningKeyPair::from_seed(str_of(c, "key_name"), seed(c, "ed25519_seed_hex")).expect("key");
        assert_eq!(pair.sign_note(str_of(c, "text")), str_of(c, "want_note"), "{}", str_of(c, "desc"));
        n += 1;
    }
    for c in doc["vkey_cases"].as_array().expect("vkey_cases") {
        let ok = VerifierKey::parse(str_of(c, "vkey")).is_ok();
        assert_eq!(ok, c["want_ok"].as_bool().expect("want_ok"), "{}", str_of(c, "vkey"));
        n += 1;
    }
    n
}

fn cosignature_cases(doc: &Value) -> usize {
    let cases = doc["cases"].as_array().expect("cases");
    for c in cases {
        let desc = str_of(c, "desc");
        let vkey = VerifierKey::parse(str_of(c, "cosigner_vkey")).expect("vkey");
        let note = parse_note(str_of(c, "note").as_bytes()).expect("note parses");
        let valid = !cosignatures(&note, std::slice::from_ref(&vkey)).is_empty();
        if c["want_ignored"].as_bool() == Some(true) {
            assert!(!valid, "{desc}: a type-0x01 key must not count as a cosigner");
            continue;
        }
        assert_eq!(valid, c["want_valid"].as_bool().expect("want_valid"), "{desc}");
        if let Some(body) = c["checkpoint_body"].as_str() {
            let pair = SigningKeyPair::from_seed(str_of(c, "cosigner_name"), seed(c, "ed25519_seed_hex")).expect("key");
            assert_eq!(pair.cosignature_verifier(), vkey);
            let ts = c["timestamp"].as_u64().expect("timestamp");
            assert_eq!(truce_ledger::note::cosignature_message(ts, body), str_of(c, "want_signed_message"));
            assert_eq!(
                pair.cosign_line(body, ts),
                format!("{}\n", str_of(c, "want_signature_line").trim_end_matches('\n')),
                "{desc}"
            );
        }
    }
    cases.len()
}

fn checkpoint_bodies(doc: &Value) -> usize {
    let cases = doc["cases"].as_array().expect("cases");
    for c in cases {
        let desc = str_of(c, "desc");
        let got = Checkpoint::parse(str_of(c, "body"));
        if c["want_ok"].as_bool().expect("want_ok") {
            let cp = got.unwrap_or_else(|e| panic!("{desc}: {e}"));
            assert_eq!(cp.origin, str_of(c, "want_origin"), "{desc}");
            assert_eq!(cp.size, c["want_size"].as_u64().expect("size"), "{desc}");
            assert_eq!(cp.root.to_base64(), str_of(c, "want_root_b64"), "{desc}");
            let ext: Vec<String> = c["want_extension_lines"]
                .as_array()
                .expect("ext")
                .iter()
                .map(|e| e.as_str().expect("str").to_string())
                .collect();
            assert_eq!(cp.extensions, ext, "{desc}");
            assert_eq!(cp.body(), str_of(c, "body"), "{desc}: round trip");
        } else {
            assert!(got.is_err(), "{desc}: accepted");
        }
    }
    cases.len()
}

struct MapTiles<'a>(&'a HashMap<String, Vec<u8>>);
impl TileStore for MapTiles<'_> {
    type Error = std::convert::Infallible;
    fn read_tile(&mut self, level: u8, index: u64) -> Result<Option<Vec<u8>>, Self::Error> {
        // The vectors hold each tile at the width it has in the 300-entry tree.
        Ok(self.0.iter().find_map(|(path, bytes)| {
            let id = TileId::parse(path).ok()?;
            (id.kind == TileKind::Hashes(level) && id.index == index).then(|| bytes.clone())
        }))
    }
}

fn tiles(doc: &Value) -> usize {
    let mut n = 0;
    for c in doc["path_cases"].as_array().expect("path_cases") {
        let kind = match &c["level"] {
            Value::String(s) if s == "entries" => TileKind::Entries,
            v => TileKind::Hashes(v.as_u64().expect("level") as u8),
        };
        let width = c["width"].as_u64().expect("width") as u16;
        let id = TileId { kind, index: c["index"].as_u64().expect("index"), width };
        assert_eq!(id.to_string(), str_of(c, "want_path"));
        assert_eq!(TileId::parse(str_of(c, "want_path")), Ok(id));
        n += 1;
    }
    for c in doc["invalid_paths"].as_array().expect("invalid_paths") {
        assert!(TileId::parse(str_of(c, "path")).is_err(), "{} accepted: {}", str_of(c, "path"), str_of(c, "why"));
        n += 1;
    }
    for c in doc["tile_sets"].as_array().expect("tile_sets") {
        let size = c["tree_size"].as_u64().expect("size");
        let want: Vec<(u8, u64, u16)> = c["levels"]
            .as_array()
            .expect("levels")
            .iter()
            .map(|l| {
                (
                    l["level"].as_u64().expect("l") as u8,
                    l["full_tiles"].as_u64().expect("f"),
                    l["partial_width"].as_u64().expect("w") as u16,
                )
            })
            .collect();
        assert_eq!(tile_set(size), want, "tile set of {size}");
        n += 1;
    }
    let t = &doc["tree_300"];
    let size = t["size"].as_u64().expect("size");
    let entries: Vec<Vec<u8>> = (0..size).map(|i| format!("record {i}").into_bytes()).collect();
    let mut writer = TileWriter::new();
    for e in &entries {
        writer.append(leaf_hash(e));
    }
    assert_eq!(writer.root().to_base64(), str_of(t, "root_b64"));
    let written: HashMap<String, Vec<u8>> =
        writer.take_writes().into_iter().map(|(id, b)| (id.to_string(), b)).collect();
    let tiles: HashMap<String, Vec<u8>> = t["tiles"]
        .as_object()
        .expect("tiles")
        .iter()
        .map(|(k, v)| (k.clone(), b64(v.as_str().expect("b64"))))
        .collect();
    assert_eq!(written, tiles, "tile writer output");
    for (path, want) in t["entry_bundles"].as_object().expect("bundles") {
        let id = TileId::parse(path).expect("path");
        let start = (id.index * 256) as usize;
        let bundle =
            entry_bundle(entries[start..start + usize::from(id.width)].iter().map(Vec::as_slice)).expect("bundle");
        assert_eq!(bundle, b64(want.as_str().expect("b64")), "{path}");
        n += 1;
    }
    let mut src = TileSource::new(MapTiles(&tiles));
    for p in t["inclusion_proofs"].as_array().expect("inclusion") {
        let (index, size) = (p["index"].as_u64().expect("i"), p["size"].as_u64().expect("s"));
        let want = b64_hashes(&p["proof_b64"]);
        assert_eq!(inclusion_proof(&mut src, index, size).ok(), Some(want), "inclusion {index} in {size}");
        n += 1;
    }
    for p in t["consistency_proofs"].as_array().expect("consistency") {
        let (s1, s2) = (p["size1"].as_u64().expect("s1"), p["size2"].as_u64().expect("s2"));
        let want = b64_hashes(&p["proof_b64"]);
        assert_eq!(consistency_proof(&mut src, s1, s2).ok(), Some(want.clone()), "consistency {s1} to {s2}");
        let root1 = Hash::from_base64(str_of(p, "root1_b64")).expect("root1");
        assert!(verify_consistency(s1, s2, root1, writer.root(), &want).is_ok());
        n += 1;
    }
    let cp = Checkpoint::parse(str_of(t, "checkpoint_body")).expect("checkpoint");
    assert_eq!((cp.origin.as_str(), cp.size, cp.root), (str_of(t, "origin_line"), size, writer.root()));
    n + 1
}

fn witness_session(doc: &Value) -> usize {
    let log = VerifierKey::parse(str_of(doc, "log_vkey")).expect("log vkey");
    assert_eq!(hex::encode(log.public_key().as_bytes()), str_of(doc, "log_public_key_hex"));
    let witness = SigningKeyPair::from_seed(str_of(doc, "witness_name"), [7u8; 32]).expect("witness key");
    let mut state: HashMap<String, (u64, Hash)> = HashMap::new();
    let steps = doc["steps"].as_array().expect("steps");
    for (i, step) in steps.iter().enumerate() {
        let want = step["want_status"].as_u64().expect("status") as u16;
        let outcome = AddCheckpoint::parse(str_of(step, "request_body").as_bytes()).and_then(|req| {
            decide(&req, std::slice::from_ref(&log), |origin| state.get(origin).copied()).map(|cp| (req, cp))
        });
        match outcome {
            Ok((req, cp)) => {
                assert_eq!(want, 200, "step {i}");
                let line = witness.cosign_line(&cp.body(), 1_767_139_200);
                let signed = format!("{}{}", req.note, line);
                let note = parse_note(signed.as_bytes()).expect("note");
                assert_eq!(cosignatures(&note, &[witness.cosignature_verifier()]).len(), 1, "step {i}");
                assert!(line.starts_with(&format!("\u{2014} {} ", str_of(doc, "witness_name"))));
                state.insert(cp.origin.clone(), (cp.size, cp.root));
            }
            Err(refusal) => {
                assert_eq!(refusal.status, want, "step {i}: {}", refusal.message);
                if let Some(body) = step["want_body"].as_str() {
                    assert_eq!(refusal.message, body, "step {i}");
                }
            }
        }
    }
    steps.len()
}

fn tlog_proofs(doc: &Value) -> usize {
    let policy = Policy::parse(str_of(doc, "policy")).expect("policy");
    // The log and witness keys named by seed reproduce the policy's keys.
    let log = SigningKeyPair::from_seed(str_of(doc, "log_origin"), seed(doc, "log_ed25519_seed_hex")).expect("log key");
    assert_eq!(log.note_verifier().to_string(), str_of(doc, "log_vkey"));
    for w in doc["witnesses"].as_array().expect("witnesses") {
        let pair = SigningKeyPair::from_seed(str_of(w, "name"), seed(w, "ed25519_seed_hex")).expect("witness");
        assert_eq!(pair.cosignature_verifier().to_string(), str_of(w, "vkey"));
    }
    let cps: HashMap<String, Checkpoint> = doc["checkpoints"]
        .as_object()
        .expect("checkpoints")
        .iter()
        .map(|(k, v)| {
            (
                k.clone(),
                policy.verify_checkpoint(v.as_str().expect("note").as_bytes()).expect("checkpoint verifies").checkpoint,
            )
        })
        .collect();
    let proof: Vec<Hash> = doc["consistency_6_to_8_b64"]
        .as_array()
        .expect("proof")
        .iter()
        .map(|h| Hash::from_base64(h.as_str().expect("s")).expect("hash"))
        .collect();
    assert!(verify_consistency(6, 8, cps["6"].root, cps["8"].root, &proof).is_ok());
    let cases = doc["proof_cases"].as_array().expect("cases");
    for c in cases {
        let desc = str_of(c, "desc");
        let leaf = leaf_hash(&hex(str_of(c, "leaf_hex")));
        let result = TlogProof::parse(str_of(c, "proof")).and_then(|p| {
            assert_eq!(p.to_string(), str_of(c, "proof"), "{desc}: round trip");
            p.verify(leaf, &policy)
        });
        assert_eq!(result.is_ok(), c["want_ok"].as_bool().expect("want_ok"), "{desc}: {result:?}");
    }
    cases.len() + 1
}

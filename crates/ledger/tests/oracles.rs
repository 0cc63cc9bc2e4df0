//! Cross-checks truce-ledger against independent implementations, in both directions:
//! ct-merkle (RFC 6962 trees and proofs), tlog_tiles (a port of Go's sumdb/tlog: tree hashes,
//! record and tree proofs, tiles, checkpoint bodies) and signed_note (a port of Go's
//! sumdb/note). Neither oracle implements tlog-cosignature (type 0x04); those tests drive
//! signed_note's note machinery and signer with the cosignature message as the C2SP spec
//! words it.

use std::collections::HashMap;
use std::convert::Infallible;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use ct_merkle::mem_backed_tree::MemoryBackedTree;
use ct_merkle::{ConsistencyProof, InclusionProof, RootHash, digest};
use signed_note::{
    Note, Signer as NoteSigner, StandardSigner, StandardVerifier, Verifier as NoteVerifier, VerifierList,
};
use tlog_tiles::{HashReader, Tile, TileHashReader, TileReader};
use truce_ledger::checkpoint::{Checkpoint, cosignatures, open_checkpoint};
use truce_ledger::hash::{Hash, empty_root, leaf_hash, root_of};
use truce_ledger::note::{NoteError, SigningKeyPair, VerifierKey, key_id, open_note, parse_note};
use truce_ledger::proof::{
    MemoryTree, consistency_proof, inclusion_proof, tree_root, verify_consistency, verify_inclusion,
};
use truce_ledger::tiles::{TileId, TileKind, TileSource, TileStore, TileWriter};

use tlog_tiles::Hash as GoHash;

// ---------------------------------------------------------------------------------------------
// Shared helpers

/// SplitMix64: deterministic "random" sizes, indices and keys.
struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    fn seed(&mut self) -> [u8; 32] {
        let mut out = [0u8; 32];
        self.fill(&mut out);
        out
    }

    fn fill(&mut self, dest: &mut [u8]) {
        for chunk in dest.chunks_mut(8) {
            let word = self.next().to_le_bytes();
            chunk.copy_from_slice(&word[..chunk.len()]);
        }
    }
}

// signed_note::generate_key takes a rand_core 0.6 RNG; a seeded one keeps the tests reproducible.
impl rand_core::RngCore for SplitMix {
    fn next_u32(&mut self) -> u32 {
        self.next() as u32
    }
    fn next_u64(&mut self) -> u64 {
        self.next()
    }
    fn fill_bytes(&mut self, dest: &mut [u8]) {
        self.fill(dest);
    }
    fn try_fill_bytes(&mut self, dest: &mut [u8]) -> Result<(), rand_core::Error> {
        self.fill(dest);
        Ok(())
    }
}

impl rand_core::CryptoRng for SplitMix {}

fn leaf_data(i: u64) -> Vec<u8> {
    format!("leaf {i}").into_bytes()
}

fn concat(proof: &[Hash]) -> Vec<u8> {
    proof.iter().flat_map(|h| h.0).collect()
}

fn split(bytes: &[u8]) -> Vec<Hash> {
    assert_eq!(bytes.len() % Hash::LEN, 0, "proof bytes are whole hashes");
    bytes.chunks_exact(Hash::LEN).map(|c| Hash::from_slice(c).expect("32-byte chunk")).collect()
}

fn to_go(proof: &[Hash]) -> Vec<GoHash> {
    proof.iter().map(|h| GoHash(h.0)).collect()
}

fn from_go(proof: &[GoHash]) -> Vec<Hash> {
    proof.iter().map(|h| Hash(h.0)).collect()
}

fn flip_first_byte(proof: &[Hash]) -> Vec<Hash> {
    let mut bad = proof.to_vec();
    if let Some(h) = bad.first_mut() {
        h.0[0] ^= 1;
    }
    bad
}

// ---------------------------------------------------------------------------------------------
// Oracle trees

/// SHA-256 behind ct-merkle's `digest` 0.11 traits. The workspace only has sha2 0.10, so this
/// adapter forwards to it; the tree and proof logic under comparison is all ct-merkle's.
#[derive(Clone, Default)]
struct CtSha256(sha2::Sha256);

impl digest::HashMarker for CtSha256 {}

impl digest::OutputSizeUser for CtSha256 {
    type OutputSize = digest::consts::U32;
}

impl digest::Update for CtSha256 {
    fn update(&mut self, data: &[u8]) {
        sha2::Digest::update(&mut self.0, data);
    }
}

impl digest::FixedOutput for CtSha256 {
    fn finalize_into(self, out: &mut digest::Output<Self>) {
        out.copy_from_slice(&sha2::Digest::finalize(self.0));
    }
}

// ct-merkle hashes a leaf as SHA-256(0x00 || leaf.as_ref()), so its leaves are the raw entry
// bytes, exactly what truce's `leaf_hash` takes.
type CtTree = MemoryBackedTree<CtSha256, Vec<u8>>;

fn ct_root(root: Hash, size: u64) -> RootHash<CtSha256> {
    RootHash::new(digest::array::Array(root.0), size)
}

/// tlog_tiles' hash storage: every stored hash in `stored_hash_index` order.
#[derive(Default)]
struct GoHashes {
    hashes: Vec<GoHash>,
    records: u64,
}

impl GoHashes {
    fn push(&mut self, data: &[u8]) {
        let stored = tlog_tiles::stored_hashes(self.records, data, self).expect("tlog_tiles stored_hashes");
        self.hashes.extend(stored);
        self.records += 1;
        assert_eq!(self.hashes.len() as u64, tlog_tiles::stored_hash_count(self.records));
    }
}

impl HashReader for GoHashes {
    fn read_hashes(&self, indexes: &[u64]) -> Result<Vec<GoHash>, tlog_tiles::Error> {
        indexes
            .iter()
            .map(|&i| {
                usize::try_from(i)
                    .ok()
                    .and_then(|i| self.hashes.get(i))
                    .copied()
                    .ok_or(tlog_tiles::Error::IndexesNotInTree)
            })
            .collect()
    }
}

/// The same leaves in truce, ct-merkle and tlog_tiles.
struct Trees {
    leaves: Vec<Vec<u8>>,
    truce: MemoryTree,
    ct: CtTree,
    go: GoHashes,
}

impl Trees {
    fn new() -> Trees {
        Trees { leaves: Vec::new(), truce: MemoryTree::default(), ct: CtTree::new(), go: GoHashes::default() }
    }

    fn size(&self) -> u64 {
        self.leaves.len() as u64
    }

    fn push(&mut self, data: Vec<u8>) {
        self.go.push(&data);
        self.truce.push(leaf_hash(&data));
        self.ct.push(data.clone());
        self.leaves.push(data);
    }
}

/// 1..=70 exhaustively, edges around powers of two, and a few seeded sizes up to ~4000.
fn tested_sizes() -> Vec<u64> {
    let mut rng = SplitMix(0x7472_7563_6531);
    let mut sizes: Vec<u64> = (1..=70).collect();
    sizes.extend([127, 128, 129, 255, 256, 257, 511, 1000, 1023, 1024, 1025, 2047, 2048, 2049]);
    sizes.extend((0..6).map(|_| 71 + rng.below(4000)));
    sizes.sort_unstable();
    sizes.dedup();
    sizes
}

/// Grows one set of trees through every tested size and runs `check` at each.
fn for_each_tested_size(mut check: impl FnMut(&mut Trees, u64)) {
    let mut trees = Trees::new();
    for n in tested_sizes() {
        while trees.size() < n {
            trees.push(leaf_data(trees.size()));
        }
        check(&mut trees, n);
    }
}

/// Leaf indices to prove in a tree of `n`: all of them for small trees, else edges and samples.
fn indices(n: u64, rng: &mut SplitMix) -> Vec<u64> {
    if n <= 70 {
        return (0..n).collect();
    }
    let mut out = vec![0, 1, n / 2, n - 2, n - 1];
    out.extend((0..63).map(|b| 1u64 << b).filter(|&p| p < n));
    out.extend((0..16).map(|_| rng.below(n)));
    out.sort_unstable();
    out.dedup();
    out
}

/// Older sizes `1..=n` to prove consistency from.
fn old_sizes(n: u64, rng: &mut SplitMix) -> Vec<u64> {
    indices(n, rng).into_iter().map(|i| i + 1).collect()
}

// ---------------------------------------------------------------------------------------------
// Merkle trees: roots

#[test]
fn merkle_roots_agree_with_ct_merkle_and_tlog_tiles() {
    assert_eq!(CtTree::new().root().as_bytes().as_slice(), empty_root().as_bytes(), "empty tree, ct-merkle");
    assert_eq!(tlog_tiles::EMPTY_HASH.0, empty_root().0, "empty tree, tlog_tiles");
    let mut sizes_checked = 0;
    for_each_tested_size(|t, n| {
        let root = t.truce.root(n);
        let ct = t.ct.root();
        assert_eq!(ct.num_leaves(), n);
        assert_eq!(ct.as_bytes().as_slice(), root.as_bytes(), "ct-merkle root at size {n}");
        let go = tlog_tiles::tree_hash(n, &t.go).expect("tlog_tiles tree_hash");
        assert_eq!(go.0, root.0, "tlog_tiles root at size {n}");
        let last = &t.leaves[(n - 1) as usize];
        assert_eq!(tlog_tiles::record_hash(last).0, leaf_hash(last).0, "leaf hash of leaf {}", n - 1);
        let leaves: Vec<Hash> = t.leaves.iter().map(|d| leaf_hash(d)).collect();
        assert_eq!(root_of(&leaves), root, "streaming root at size {n}");
        sizes_checked += 1;
    });
    assert_eq!(sizes_checked, tested_sizes().len());
}

// ---------------------------------------------------------------------------------------------
// Merkle trees: ct-merkle

#[test]
fn truce_inclusion_proofs_verify_with_ct_merkle_and_are_byte_equal() {
    let mut rng = SplitMix(11);
    for_each_tested_size(|t, n| {
        let root = t.ct.root();
        for i in indices(n, &mut rng) {
            let proof = inclusion_proof(&mut t.truce, i, n).expect("truce inclusion proof");
            let bytes = concat(&proof);
            assert_eq!(bytes, t.ct.prove_inclusion(i as usize).as_bytes(), "proof bytes for leaf {i} of {n}");
            let leaf = &t.leaves[i as usize];
            let ct_proof = InclusionProof::<CtSha256>::try_from_bytes(bytes).expect("whole hashes");
            assert!(root.verify_inclusion(leaf, i, &ct_proof).is_ok(), "ct-merkle rejects truce's proof of {i} in {n}");
            if !proof.is_empty() {
                let bad = InclusionProof::<CtSha256>::try_from_bytes(concat(&flip_first_byte(&proof))).expect("hashes");
                assert!(root.verify_inclusion(leaf, i, &bad).is_err(), "ct-merkle accepts a damaged proof");
            }
        }
    });
}

#[test]
fn ct_merkle_inclusion_proofs_verify_with_truce() {
    let mut rng = SplitMix(12);
    for_each_tested_size(|t, n| {
        let root = Hash::from_slice(t.ct.root().as_bytes().as_slice()).expect("32-byte root");
        for i in indices(n, &mut rng) {
            let proof = split(t.ct.prove_inclusion(i as usize).as_bytes());
            let leaf = leaf_hash(&t.leaves[i as usize]);
            verify_inclusion(i, n, leaf, &proof, root)
                .unwrap_or_else(|e| panic!("truce rejects ct-merkle's proof of {i} in {n}: {e}"));
            let other = leaf_hash(b"not a leaf");
            assert!(verify_inclusion(i, n, other, &proof, root).is_err(), "truce accepts the wrong leaf");
        }
    });
}

#[test]
fn truce_consistency_proofs_verify_with_ct_merkle_and_are_byte_equal() {
    let mut rng = SplitMix(13);
    for_each_tested_size(|t, n| {
        let new_root = t.ct.root();
        for m in old_sizes(n, &mut rng) {
            let proof = consistency_proof(&mut t.truce, m, n).expect("truce consistency proof");
            let bytes = concat(&proof);
            let additions = usize::try_from(n - m).expect("small");
            assert_eq!(bytes, t.ct.prove_consistency(additions).as_bytes(), "proof bytes from {m} to {n}");
            let old_root = ct_root(t.truce.root(m), m);
            let ct_proof = ConsistencyProof::<CtSha256>::try_from_bytes(bytes).expect("whole hashes");
            assert!(
                new_root.verify_consistency(&old_root, &ct_proof).is_ok(),
                "ct-merkle rejects truce's proof from {m} to {n}"
            );
            let wrong_old = ct_root(leaf_hash(b"not a root"), m);
            assert!(new_root.verify_consistency(&wrong_old, &ct_proof).is_err(), "ct-merkle accepts a wrong root");
        }
    });
}

#[test]
fn ct_merkle_consistency_proofs_verify_with_truce() {
    let mut rng = SplitMix(14);
    for_each_tested_size(|t, n| {
        let new_root = Hash::from_slice(t.ct.root().as_bytes().as_slice()).expect("32-byte root");
        for m in old_sizes(n, &mut rng) {
            let additions = usize::try_from(n - m).expect("small");
            let proof = split(t.ct.prove_consistency(additions).as_bytes());
            let old_root = t.truce.root(m);
            verify_consistency(m, n, old_root, new_root, &proof)
                .unwrap_or_else(|e| panic!("truce rejects ct-merkle's proof from {m} to {n}: {e}"));
            if !proof.is_empty() {
                let bad = flip_first_byte(&proof);
                assert!(verify_consistency(m, n, old_root, new_root, &bad).is_err(), "truce accepts a damaged proof");
            }
        }
    });
}

// ---------------------------------------------------------------------------------------------
// Merkle trees: tlog_tiles (Go sumdb/tlog port)

#[test]
fn truce_inclusion_proofs_verify_with_tlog_tiles_check_record_and_equal_prove_record() {
    let mut rng = SplitMix(21);
    for_each_tested_size(|t, n| {
        let root = GoHash(t.truce.root(n).0);
        for i in indices(n, &mut rng) {
            let proof = to_go(&inclusion_proof(&mut t.truce, i, n).expect("truce inclusion proof"));
            let record = tlog_tiles::record_hash(&t.leaves[i as usize]);
            tlog_tiles::check_record(&proof, n, root, i, record)
                .unwrap_or_else(|e| panic!("tlog_tiles rejects truce's proof of {i} in {n}: {e}"));
            assert_eq!(proof, tlog_tiles::prove_record(n, i, &t.go).expect("prove_record"), "leaf {i} of {n}");
            let bad = to_go(&flip_first_byte(&from_go(&proof)));
            if !proof.is_empty() {
                assert!(tlog_tiles::check_record(&bad, n, root, i, record).is_err(), "tlog_tiles accepts damage");
            }
        }
    });
}

#[test]
fn tlog_tiles_record_proofs_verify_with_truce() {
    let mut rng = SplitMix(22);
    for_each_tested_size(|t, n| {
        let root = Hash(tlog_tiles::tree_hash(n, &t.go).expect("tree_hash").0);
        for i in indices(n, &mut rng) {
            let proof = from_go(&tlog_tiles::prove_record(n, i, &t.go).expect("prove_record"));
            verify_inclusion(i, n, leaf_hash(&t.leaves[i as usize]), &proof, root)
                .unwrap_or_else(|e| panic!("truce rejects tlog_tiles' proof of {i} in {n}: {e}"));
            if n > 1 {
                let j = (i + 1) % n;
                assert!(verify_inclusion(j, n, leaf_hash(&t.leaves[i as usize]), &proof, root).is_err());
            }
        }
    });
}

#[test]
fn truce_consistency_proofs_verify_with_tlog_tiles_check_tree_and_equal_prove_tree() {
    let mut rng = SplitMix(23);
    for_each_tested_size(|t, n| {
        let new_root = GoHash(t.truce.root(n).0);
        for m in old_sizes(n, &mut rng) {
            let proof = to_go(&consistency_proof(&mut t.truce, m, n).expect("truce consistency proof"));
            let old_root = GoHash(t.truce.root(m).0);
            tlog_tiles::check_tree(&proof, n, new_root, m, old_root)
                .unwrap_or_else(|e| panic!("tlog_tiles rejects truce's proof from {m} to {n}: {e}"));
            assert_eq!(proof, tlog_tiles::prove_tree(n, m, &t.go).expect("prove_tree"), "from {m} to {n}");
            let wrong_old = GoHash(leaf_hash(b"not a root").0);
            assert!(tlog_tiles::check_tree(&proof, n, new_root, m, wrong_old).is_err(), "tlog_tiles accepts it");
        }
    });
}

#[test]
fn tlog_tiles_tree_proofs_verify_with_truce() {
    let mut rng = SplitMix(24);
    for_each_tested_size(|t, n| {
        let new_root = Hash(tlog_tiles::tree_hash(n, &t.go).expect("tree_hash").0);
        for m in old_sizes(n, &mut rng) {
            let proof = from_go(&tlog_tiles::prove_tree(n, m, &t.go).expect("prove_tree"));
            let old_root = Hash(tlog_tiles::tree_hash(m, &t.go).expect("tree_hash").0);
            verify_consistency(m, n, old_root, new_root, &proof)
                .unwrap_or_else(|e| panic!("truce rejects tlog_tiles' proof from {m} to {n}: {e}"));
            if !proof.is_empty() {
                let bad = flip_first_byte(&proof);
                assert!(verify_consistency(m, n, old_root, new_root, &bad).is_err(), "truce accepts damage");
            }
        }
    });
}

// ---------------------------------------------------------------------------------------------
// Signed notes (signed_note)

const NAMES: [&str; 4] = ["example.com/log", "truce.test/witness-1", "PeterNeumann", "ünï.example/cödé"];

const TEXTS: [&str; 5] = [
    "hello\n",
    "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n",
    "ünïcode — text\nline two\n",
    "paragraph one\n\nparagraph two after a blank line\n",
    "example.com/log\n42\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\nextension line\n",
];

fn truce_keys() -> Vec<SigningKeyPair> {
    let mut rng = SplitMix(31);
    NAMES.iter().map(|name| SigningKeyPair::from_seed(name, rng.seed()).expect("valid name")).collect()
}

/// `(skey, vkey)` strings generated by signed_note.
fn oracle_keys() -> Vec<(String, String)> {
    let mut rng = SplitMix(32);
    NAMES.iter().map(|name| signed_note::generate_key(&mut rng, name)).collect()
}

fn oracle_verifiers(vkeys: &[String]) -> VerifierList {
    VerifierList::new(
        vkeys
            .iter()
            .map(|k| Box::new(StandardVerifier::new(k).expect("signed_note parses the vkey")) as Box<dyn NoteVerifier>)
            .collect(),
    )
}

fn oracle_sign(text: &str, skeys: &[&str]) -> Vec<u8> {
    let signers: Vec<StandardSigner> =
        skeys.iter().map(|k| StandardSigner::new(k).expect("signed_note parses the skey")).collect();
    let refs: Vec<&dyn NoteSigner> = signers.iter().map(|s| s as &dyn NoteSigner).collect();
    let mut note = Note::new(text.as_bytes(), &[]).expect("signed_note accepts the text");
    note.add_sigs(&refs).expect("signed_note signs");
    note.to_bytes()
}

/// The raw `type || key` bytes of a vkey string.
fn vkey_raw(vkey: &str) -> Vec<u8> {
    let b64 = vkey.splitn(3, '+').nth(2).expect("vkey has a key part");
    STANDARD.decode(b64).expect("base64 key")
}

#[test]
fn truce_verifier_keys_and_key_ids_agree_with_signed_note() {
    for pair in truce_keys() {
        let name = pair.name();
        let vkey = pair.note_verifier();
        let pk = vkey.public_key();
        assert_eq!(vkey.to_string(), signed_note::new_ed25519_verifier_key(name, pk), "vkey string of {name}");
        let oracle = StandardVerifier::new(&vkey.to_string()).expect("signed_note parses truce's vkey");
        assert_eq!((oracle.name(), oracle.key_id()), (name, vkey.key_id()));
        let raw1 = [&[0x01u8][..], &pk.as_bytes()[..]].concat();
        assert_eq!(signed_note::key_id(name, &raw1), key_id(name, 0x01, pk.as_bytes()));
        let raw4 = [&[0x04u8][..], &pk.as_bytes()[..]].concat();
        assert_eq!(signed_note::key_id(name, &raw4), pair.cosignature_verifier().key_id(), "cosignature key ID");
        let signer = StandardSigner::new(&pair.to_private_string()).expect("signed_note parses truce's skey");
        assert_eq!((signer.name(), signer.key_id()), (name, vkey.key_id()));
    }
}

#[test]
fn signed_note_keys_parse_with_truce_to_the_same_key_ids() {
    for (skey, vkey) in oracle_keys() {
        let pair = SigningKeyPair::parse(&skey).expect("truce parses signed_note's skey");
        assert_eq!(pair.note_verifier().to_string(), vkey, "vkey derived by truce from the oracle's skey");
        let parsed = VerifierKey::parse(&vkey).expect("truce parses signed_note's vkey");
        assert_eq!(parsed, pair.note_verifier());
        let oracle = StandardVerifier::new(&vkey).expect("oracle vkey");
        assert_eq!((parsed.name(), parsed.key_id()), (oracle.name(), oracle.key_id()));
        assert_eq!(pair.to_private_string(), skey, "private key string round trip");
    }
}

#[test]
fn verifier_key_parsers_agree_on_malformed_keys() {
    let good = truce_keys()[0].note_verifier().to_string();
    let (name, rest) = good.split_once('+').expect("name+");
    let (id, key) = rest.split_once('+').expect("id+key");
    let raw = STANDARD.decode(key).expect("base64");
    let with_type = |t: u8| {
        let mut r = raw.clone();
        r[0] = t;
        let kid = signed_note::key_id(name, &r);
        format!("{name}+{kid:08x}+{}", STANDARD.encode(&r))
    };
    let short = {
        let r = &raw[..32];
        format!("{name}+{:08x}+{}", signed_note::key_id(name, r), STANDARD.encode(r))
    };
    let wrong_id = format!("{name}+{:08x}+{key}", u32::from_str_radix(id, 16).expect("hex") ^ 1);
    let cases = [
        (good.clone(), true),
        (wrong_id, false),
        (format!("{name}+{}+{key}", &id[1..]), false),
        (format!("+{id}+{key}"), false),
        (format!("{name}+{id}+{}", &key[..key.len() - 1]), false),
        (format!("{name}+{id}+{key}="), false),
        (format!("{name}+{id}"), false),
        (format!("{name}+{id}+"), false),
        (with_type(0x02), false),
        (short, false),
    ];
    for (vkey, valid) in cases {
        assert_eq!(StandardVerifier::new(&vkey).is_ok(), valid, "signed_note on {vkey:?}");
        assert_eq!(VerifierKey::parse(&vkey).is_ok(), valid, "truce on {vkey:?}");
    }
}

#[test]
fn truce_signed_notes_open_with_signed_note() {
    let keys = truce_keys();
    let vkeys: Vec<String> = keys.iter().map(|k| k.note_verifier().to_string()).collect();
    for text in TEXTS {
        for key in &keys {
            let note = key.sign_note(text);
            let parsed = Note::from_bytes(note.as_bytes()).expect("signed_note parses truce's note");
            assert_eq!(parsed.text(), text.as_bytes());
            let (verified, unverified) = parsed.verify(&oracle_verifiers(&vkeys)).expect("signed_note verifies");
            assert_eq!(verified.len(), 1);
            assert!(unverified.is_empty());
            assert_eq!((verified[0].name(), verified[0].id()), (key.name(), key.note_verifier().key_id()));
            assert_eq!(Note::from_bytes(note.as_bytes()).map(|n| n.to_bytes()).ok(), Some(note.clone().into_bytes()));
            let tampered = note.replacen(text, &text.replacen('e', "E", 1), 1);
            let tampered = Note::from_bytes(tampered.as_bytes()).expect("still well formed");
            assert!(tampered.verify(&oracle_verifiers(&vkeys)).is_err(), "signed_note accepts a changed text");
        }
        // Two signatures, one key known to the oracle: one verified, one unverified.
        let note = format!("{}{}", keys[0].sign_note(text), keys[1].sign_note_line(text));
        let parsed = Note::from_bytes(note.as_bytes()).expect("two signatures");
        let (verified, unverified) = parsed.verify(&oracle_verifiers(&vkeys[..1])).expect("one known key");
        assert_eq!((verified.len(), unverified.len()), (1, 1));
        assert_eq!(unverified[0].id(), keys[1].note_verifier().key_id());
        let (verified, _) = parsed.verify(&oracle_verifiers(&vkeys)).expect("both known");
        assert_eq!(verified.len(), 2);
    }
}

#[test]
fn signed_note_notes_open_with_truce_and_equal_truce_signatures() {
    let keys = oracle_keys();
    let known: Vec<VerifierKey> = keys.iter().map(|(_, v)| VerifierKey::parse(v).expect("vkey")).collect();
    for text in TEXTS {
        for ((skey, _), vkey) in keys.iter().zip(&known) {
            let note = oracle_sign(text, &[skey]);
            let opened = open_note(&note, &known).expect("truce opens signed_note's note");
            assert_eq!(opened.text, text);
            assert_eq!(opened.verified.len(), 1);
            assert_eq!((opened.verified[0].name.as_str(), opened.verified[0].key_id), (vkey.name(), vkey.key_id()));
            // Ed25519 is deterministic: truce signing with the same key writes the same bytes.
            let truce = SigningKeyPair::parse(skey).expect("skey").sign_note(text);
            assert_eq!(truce.as_bytes(), note.as_slice(), "same key, same text, same note");
            let tampered =
                String::from_utf8(note.clone()).expect("utf-8").replacen(text, &text.replacen('e', "E", 1), 1);
            assert!(
                matches!(open_note(tampered.as_bytes(), &known), Err(NoteError::InvalidSignature { .. })),
                "truce accepts a changed text"
            );
        }
        let note = oracle_sign(text, &[&keys[0].0, &keys[1].0]);
        let opened = open_note(&note, &known[..1]).expect("one known key");
        assert_eq!((opened.verified.len(), opened.unverified.len()), (1, 1));
        assert_eq!(opened.unverified[0].key_id, known[1].key_id());
        assert_eq!(open_note(&note, &known).expect("both known").verified.len(), 2);
    }
}

#[test]
fn note_parsers_agree_on_well_formedness() {
    let key = &truce_keys()[0];
    let good = key.sign_note("text\n");
    let sig_line = key.sign_note_line("text\n");
    let cases = [
        (good.clone(), true),
        (format!("text\n{sig_line}"), false),
        (good.trim_end_matches('\n').to_string(), false),
        (good.replace("text", "te\u{7}xt"), false),
        (good.replace('\u{2014}', "-"), false),
        (format!("text\n\n\u{2014} {} !!!!\n", key.name()), false),
        (format!("text\n\n\u{2014} {} AAAA\n", key.name()), false),
        (format!("text\n\n\u{2014} {}\n", key.name()), false),
        (format!("text\n\n{sig_line}\n"), false),
        (format!("{good}{sig_line}"), true),
    ];
    for (note, ok) in cases {
        assert_eq!(Note::from_bytes(note.as_bytes()).is_ok(), ok, "signed_note on {note:?}");
        assert_eq!(parse_note(note.as_bytes()).is_ok(), ok, "truce on {note:?}");
    }
}

// ---------------------------------------------------------------------------------------------
// Checkpoints (tlog_tiles::Checkpoint for bodies, signed_note for signatures)

const ORIGIN: &str = "example.com/log";

fn sample_checkpoints() -> Vec<Checkpoint> {
    let mut trees = Trees::new();
    let mut out = Vec::new();
    for (size, extensions) in [(0u64, vec![]), (1, vec![]), (7, vec!["ext one"]), (300, vec!["a", "ünï — b"])] {
        while trees.size() < size {
            trees.push(leaf_data(trees.size()));
        }
        let root = trees.truce.root(size);
        let extensions = extensions.into_iter().map(str::to_string).collect();
        out.push(Checkpoint { origin: ORIGIN.to_string(), size, root, extensions });
    }
    out
}

fn go_extension(cp: &Checkpoint) -> String {
    cp.extensions.iter().map(|e| format!("{e}\n")).collect()
}

#[test]
fn truce_checkpoint_bodies_parse_with_tlog_tiles_and_back() {
    for cp in sample_checkpoints() {
        let body = cp.body();
        let go = tlog_tiles::Checkpoint::from_bytes(body.as_bytes()).expect("tlog_tiles parses truce's body");
        assert_eq!((go.origin(), go.size(), go.hash().0), (cp.origin.as_str(), cp.size, cp.root.0));
        assert_eq!(go.extension(), go_extension(&cp));
        assert_eq!(go.to_bytes(), body.as_bytes());

        let made = tlog_tiles::Checkpoint::new(&cp.origin, cp.size, GoHash(cp.root.0), &go_extension(&cp))
            .expect("tlog_tiles builds the checkpoint");
        let text = String::from_utf8(made.to_bytes()).expect("utf-8");
        assert_eq!(Checkpoint::parse(&text).expect("truce parses tlog_tiles' body"), cp);
        assert_eq!(text, body);
    }
}

#[test]
fn checkpoint_body_parsers_agree_on_malformed_bodies() {
    let h = leaf_hash(b"x").to_base64();
    let cases = [
        (format!("o\n12\n{h}\n"), true),
        (format!("o\n0\n{h}\n"), true),
        (format!("o\n18446744073709551615\n{h}\next\n"), true),
        (format!("o\n12\n{h}\na\nb\n"), true),
        (String::new(), false),
        ("o\n".to_string(), false),
        ("o\n12\n".to_string(), false),
        (format!("\n12\n{h}\n"), false),
        (format!("o\n012\n{h}\n"), false),
        (format!("o\n+12\n{h}\n"), false),
        (format!("o\n-1\n{h}\n"), false),
        (format!("o\n0x0c\n{h}\n"), false),
        (format!("o\n18446744073709551616\n{h}\n"), false),
        (format!("o\n12\n{h}"), false),
        (format!("o\n12\n{h}\next"), false),
        (format!("o\n12\n{h}\next\n\n"), false),
        (format!("o\n12\n{h}\n\n"), false),
        (format!("o\n12\n{}\n", h.trim_end_matches('=')), false),
        (format!("o\n12\n{}\n", STANDARD.encode([0u8; 31])), false),
        (format!("o\n12\n{}\n", STANDARD.encode([0u8; 33])), false),
    ];
    for (body, ok) in cases {
        assert_eq!(tlog_tiles::Checkpoint::from_bytes(body.as_bytes()).is_ok(), ok, "tlog_tiles on {body:?}");
        assert_eq!(Checkpoint::parse(&body).is_ok(), ok, "truce on {body:?}");
    }
}

#[test]
fn truce_signed_checkpoints_verify_with_signed_note_and_parse_with_tlog_tiles() {
    let log = SigningKeyPair::from_seed(ORIGIN, SplitMix(41).seed()).expect("key");
    let vkey = log.note_verifier().to_string();
    for cp in sample_checkpoints() {
        let note = log.sign_note(&cp.body());
        let parsed = Note::from_bytes(note.as_bytes()).expect("signed_note parses the checkpoint note");
        let (verified, _) = parsed.verify(&oracle_verifiers(std::slice::from_ref(&vkey))).expect("verifies");
        assert_eq!(verified[0].name(), ORIGIN);
        let go = tlog_tiles::Checkpoint::from_bytes(parsed.text()).expect("tlog_tiles parses the verified text");
        assert_eq!((go.origin(), go.size(), go.hash().0), (ORIGIN, cp.size, cp.root.0));
    }
}

#[test]
fn signed_note_signed_checkpoints_open_with_truce() {
    let (skey, vkey) = signed_note::generate_key(&mut SplitMix(42), ORIGIN);
    let log_key = VerifierKey::parse(&vkey).expect("vkey");
    for cp in sample_checkpoints() {
        let go = tlog_tiles::Checkpoint::new(ORIGIN, cp.size, GoHash(cp.root.0), &go_extension(&cp)).expect("new");
        let text = String::from_utf8(go.to_bytes()).expect("utf-8");
        let note = oracle_sign(&text, &[&skey]);
        let opened = open_checkpoint(&note, &log_key).expect("truce opens the oracle's checkpoint");
        assert_eq!(opened.checkpoint, cp);
        let other = VerifierKey::parse(&signed_note::generate_key(&mut SplitMix(43), ORIGIN).1).expect("vkey");
        assert!(open_checkpoint(&note, &other).is_err(), "truce accepts a checkpoint without its log's signature");
    }
}

// ---------------------------------------------------------------------------------------------
// Cosignatures (type 0x04). No oracle implements them; the message below is the one C2SP
// tlog-cosignature specifies, and signing, verifying, key IDs and note assembly are signed_note's.

fn spec_cosignature_message(timestamp: u64, body: &[u8]) -> Vec<u8> {
    [format!("cosignature/v1\ntime {timestamp}\n").as_bytes(), body].concat()
}

/// A cosignature verifier on signed_note's `Verifier` trait.
struct OracleCosignatureVerifier {
    ed25519: StandardVerifier,
    id: u32,
}

impl NoteVerifier for OracleCosignatureVerifier {
    fn name(&self) -> &str {
        self.ed25519.name()
    }
    fn key_id(&self) -> u32 {
        self.id
    }
    fn verify(&self, msg: &[u8], sig: &[u8]) -> bool {
        if sig.len() != 72 {
            return false;
        }
        let (ts, sig) = sig.split_at(8);
        let Ok(ts) = <[u8; 8]>::try_from(ts) else { return false };
        self.ed25519.verify(&spec_cosignature_message(u64::from_be_bytes(ts), msg), sig)
    }
}

/// A cosigner on signed_note's `Signer` trait.
struct OracleCosigner {
    ed25519: StandardSigner,
    id: u32,
    timestamp: u64,
}

impl NoteSigner for OracleCosigner {
    fn name(&self) -> &str {
        self.ed25519.name()
    }
    fn key_id(&self) -> u32 {
        self.id
    }
    fn sign(&self, msg: &[u8]) -> Result<Vec<u8>, ed25519_dalek::SignatureError> {
        let sig = self.ed25519.sign(&spec_cosignature_message(self.timestamp, msg))?;
        Ok([&self.timestamp.to_be_bytes()[..], &sig[..]].concat())
    }
}

#[test]
fn truce_cosignatures_verify_with_signed_note() {
    let log = SigningKeyPair::from_seed(ORIGIN, SplitMix(51).seed()).expect("key");
    let witnesses = truce_keys();
    for (k, cp) in sample_checkpoints().into_iter().enumerate() {
        let body = cp.body();
        let timestamp = 1_700_000_000 + k as u64;
        let mut note = log.sign_note(&body);
        for w in &witnesses {
            note.push_str(&w.cosign_line(&body, timestamp));
        }
        let mut verifiers: Vec<Box<dyn NoteVerifier>> =
            vec![Box::new(StandardVerifier::new(&log.note_verifier().to_string()).expect("log vkey"))];
        for w in &witnesses {
            let pk = w.note_verifier().public_key().to_bytes();
            let ed25519 =
                StandardVerifier::new(&signed_note::new_ed25519_verifier_key(w.name(), w.note_verifier().public_key()))
                    .expect("vkey");
            let id = signed_note::key_id(w.name(), &[&[0x04u8][..], &pk[..]].concat());
            verifiers.push(Box::new(OracleCosignatureVerifier { ed25519, id }));
        }
        let parsed = Note::from_bytes(note.as_bytes()).expect("signed_note parses the cosigned note");
        let (verified, unverified) = parsed.verify(&VerifierList::new(verifiers)).expect("every signature verifies");
        assert_eq!((verified.len(), unverified.len()), (1 + witnesses.len(), 0));
        for (sig, w) in verified[1..].iter().zip(&witnesses) {
            assert_eq!((sig.name(), sig.id()), (w.name(), w.cosignature_verifier().key_id()));
            assert_eq!(sig.signature()[..8], timestamp.to_be_bytes());
        }
        // A cosignature whose timestamp was changed after signing must fail in the oracle.
        let line = witnesses[0].cosign_line(&body, timestamp);
        let sig = signed_note::Signature::from_bytes(line.trim_end_matches('\n').as_bytes()).expect("line parses");
        let mut raw = sig.signature().to_vec();
        raw[7] ^= 1;
        let forged = signed_note::Signature::new(sig.name().to_string(), sig.id(), raw).expect("signature");
        let text = log.sign_note(&body);
        let forged_note = format!("{text}{}", String::from_utf8(forged.to_bytes()).expect("utf-8"));
        let ed25519 = StandardVerifier::new(&signed_note::new_ed25519_verifier_key(
            witnesses[0].name(),
            witnesses[0].note_verifier().public_key(),
        ))
        .expect("vkey");
        let only = VerifierList::new(vec![Box::new(OracleCosignatureVerifier { ed25519, id: sig.id() })]);
        let parsed = Note::from_bytes(forged_note.as_bytes()).expect("parses");
        assert!(parsed.verify(&only).is_err(), "signed_note accepts a cosignature with a changed timestamp");
    }
}

#[test]
fn signed_note_cosignatures_verify_with_truce() {
    let (log_skey, log_vkey) = signed_note::generate_key(&mut SplitMix(61), ORIGIN);
    let log_key = VerifierKey::parse(&log_vkey).expect("log vkey");
    let witness_keys = oracle_keys();
    for (k, cp) in sample_checkpoints().into_iter().enumerate() {
        let timestamp = 1_800_000_000 + k as u64;
        let go = tlog_tiles::Checkpoint::new(ORIGIN, cp.size, GoHash(cp.root.0), &go_extension(&cp)).expect("new");
        let mut note = Note::new(&go.to_bytes(), &[]).expect("text");
        let log_signer = StandardSigner::new(&log_skey).expect("skey");
        let mut cosigners = Vec::new();
        let mut truce_witnesses = Vec::new();
        for (skey, vkey) in &witness_keys {
            let ed25519 = StandardSigner::new(skey).expect("skey");
            let mut raw = vkey_raw(vkey);
            raw[0] = 0x04;
            let id = signed_note::key_id(ed25519.name(), &raw);
            let cosig_vkey = format!("{}+{id:08x}+{}", ed25519.name(), STANDARD.encode(&raw));
            truce_witnesses.push(VerifierKey::parse(&cosig_vkey).expect("truce parses the 0x04 vkey"));
            cosigners.push(OracleCosigner { ed25519, id, timestamp });
        }
        let mut signers: Vec<&dyn NoteSigner> = vec![&log_signer];
        signers.extend(cosigners.iter().map(|c| c as &dyn NoteSigner));
        note.add_sigs(&signers).expect("signed_note signs");
        let bytes = note.to_bytes();

        let opened = open_checkpoint(&bytes, &log_key).expect("truce opens the cosigned checkpoint");
        assert_eq!(opened.checkpoint, cp);
        let got = cosignatures(&opened.note, &truce_witnesses);
        assert_eq!(got.len(), truce_witnesses.len(), "truce verifies every oracle-made cosignature");
        for (c, w) in got.iter().zip(&truce_witnesses) {
            assert_eq!((&c.witness, c.timestamp), (w, timestamp));
        }
        // Same key, body and time: truce's cosignature line is the oracle's byte for byte.
        let truce_line = SigningKeyPair::parse(&witness_keys[0].0).expect("skey").cosign_line(&go_text(&go), timestamp);
        let oracle_line = opened.note.signatures[1].to_line();
        assert_eq!(truce_line, oracle_line);
        // A cosignature over another timestamp than the one it carries is not counted.
        let wrong = OracleCosigner {
            ed25519: StandardSigner::new(&witness_keys[0].0).expect("skey"),
            id: truce_witnesses[0].key_id(),
            timestamp: timestamp + 1,
        };
        let mut sig = wrong.sign(&go.to_bytes()).expect("sign");
        sig[..8].copy_from_slice(&timestamp.to_be_bytes());
        let relabeled = signed_note::Signature::new(wrong.name().to_string(), wrong.id, sig).expect("signature");
        let mut forged = Note::new(&go.to_bytes(), &[relabeled]).expect("text");
        forged.add_sigs(&[&log_signer]).expect("sign");
        let opened = open_checkpoint(&forged.to_bytes(), &log_key).expect("the log signature still verifies");
        assert!(cosignatures(&opened.note, &truce_witnesses).is_empty(), "truce counts a relabeled cosignature");
    }
}

fn go_text(cp: &tlog_tiles::Checkpoint) -> String {
    String::from_utf8(cp.to_bytes()).expect("utf-8")
}

// ---------------------------------------------------------------------------------------------
// Tiles (tlog_tiles). Go writes `tile/H/L/N`, C2SP `tile/L/N`; with H = 8 the tiles are the same.

const TILE_HEIGHT: u8 = 8;

/// A C2SP tile path as Go's: insert the height; `entries` is Go's `data`.
fn go_path(id: &TileId) -> String {
    let path = id.to_string();
    let rest = path.strip_prefix("tile/").expect("tile/ prefix");
    match rest.strip_prefix("entries/") {
        Some(index) => format!("tile/{TILE_HEIGHT}/data/{index}"),
        None => format!("tile/{TILE_HEIGHT}/{rest}"),
    }
}

/// A Go tile path as C2SP's.
fn c2sp_path(go: &str) -> String {
    let rest = go.strip_prefix(&format!("tile/{TILE_HEIGHT}/")).expect("height 8");
    match rest.strip_prefix("data/") {
        Some(index) => format!("tile/entries/{index}"),
        None => format!("tile/{rest}"),
    }
}

/// Hash tiles by `(level, index)`, readable by both libraries.
#[derive(Default)]
struct Tiles(HashMap<(u8, u64), Vec<u8>>);

impl TileStore for &Tiles {
    type Error = Infallible;
    fn read_tile(&mut self, level: u8, index: u64) -> Result<Option<Vec<u8>>, Infallible> {
        Ok(self.0.get(&(level, index)).cloned())
    }
}

impl TileReader for Tiles {
    fn height(&self) -> u8 {
        TILE_HEIGHT
    }
    fn read_tiles(&self, tiles: &[Tile]) -> Result<Vec<Vec<u8>>, tlog_tiles::Error> {
        tiles
            .iter()
            .map(|t| {
                let want = t.width() as usize * Hash::LEN;
                match self.0.get(&(t.level(), t.level_index())) {
                    Some(bytes) if !t.is_data() && bytes.len() >= want => Ok(bytes[..want].to_vec()),
                    _ => Err(tlog_tiles::Error::InvalidTile),
                }
            })
            .collect()
    }
    fn save_tiles(&self, _tiles: &[Tile], _data: &[Vec<u8>]) {}
}

/// Batches crossing tile boundaries at levels 0, 1 and 2 (level 2 starts at 65,536 leaves).
const BATCHES: [u64; 10] = [1, 1, 254, 1, 255, 256, 3, 700, 65_000, 300];

/// The tiles tlog_tiles says to publish going from `old` to `new`, with their contents.
fn oracle_tiles(go: &GoHashes, old: u64, new: u64) -> Vec<(String, Vec<u8>)> {
    let mut out: Vec<(String, Vec<u8>)> = Tile::new_tiles(TILE_HEIGHT, old, new)
        .into_iter()
        .map(|t| (t.path(), t.read_data(go).expect("tlog_tiles read_data")))
        .collect();
    out.sort();
    out
}

fn assert_same_tiles(truce: &[(String, Vec<u8>)], oracle: &[(String, Vec<u8>)], what: &str) {
    let paths = |v: &[(String, Vec<u8>)]| v.iter().map(|(p, _)| p.clone()).collect::<Vec<_>>();
    assert_eq!(paths(truce), paths(oracle), "tile paths {what}");
    for ((path, a), (_, b)) in truce.iter().zip(oracle) {
        assert!(a == b, "contents of {path} differ {what}");
    }
}

#[test]
fn tile_paths_match_go_sumdb_paths_with_the_height_inserted() {
    let indexes = [0u64, 1, 7, 999, 1000, 1001, 123_456, 1_234_067, 999_999_999, 1_000_000_000, u64::MAX];
    for index in indexes {
        for width in [1u16, 17, 255, 256] {
            for level in [0u8, 1, 2, 5, 63] {
                let id = TileId { kind: TileKind::Hashes(level), index, width };
                let go = Tile::new(TILE_HEIGHT, level, index, u32::from(width), false);
                assert_eq!(go_path(&id), go.path());
                let back = Tile::from_path(&go_path(&id)).expect("tlog_tiles parses the converted path");
                assert_eq!((back.level(), back.level_index(), back.width()), (level, index, u32::from(width)));
                assert_eq!(TileId::parse(&c2sp_path(&go.path())).expect("truce parses"), id);
            }
            let id = TileId { kind: TileKind::Entries, index, width };
            let go = Tile::new(TILE_HEIGHT, 0, index, u32::from(width), true);
            assert_eq!(go_path(&id), go.path());
            assert_eq!(TileId::parse(&c2sp_path(&go.path())).expect("truce parses"), id);
        }
    }
}

#[test]
fn tile_path_parsers_agree_on_malformed_paths() {
    // tlog_tiles panics (rather than erring) on `.p/0` and on levels >= 64, so those are left out.
    let cases = [
        ("tile/8/0/x001/234", true),
        ("tile/8/0/001.p/255", true),
        ("tile/8/3/x999/x999/999", true),
        ("tile/8/data/x001/234.p/1", true),
        ("tile/8/0/000.p/256", false),
        ("tile/8/0/001.p/01", false),
        ("tile/8/0/x000/001", false),
        ("tile/8/00/001", false),
        ("tile/8/0/1", false),
        ("tile/8/0/x001", false),
        ("tile/8/0/x1000/000", false),
        ("tile/8/0/001.p", false),
    ];
    for (path, ok) in cases {
        assert_eq!(Tile::from_path(path).is_ok(), ok, "tlog_tiles on {path}");
        assert_eq!(TileId::parse(&c2sp_path(path)).is_ok(), ok, "truce on {path}");
    }
}

#[test]
fn tile_for_hash_matches_tlog_tiles_tile_of_the_tree() {
    let mut rng = SplitMix(71);
    let sizes = [1u64, 255, 256, 257, 65_535, 65_536, 65_537, 16_777_216 + 5, 1 << 40, rng.below(1 << 50)];
    for size in sizes {
        for level in 0u8..6 {
            let count = size >> (8 * u32::from(level));
            if count == 0 {
                continue;
            }
            for n in [0, count / 2, count - 1, rng.below(count)] {
                let ours = TileId::for_hash(level, n, size);
                let index = tlog_tiles::stored_hash_index(TILE_HEIGHT * level, n);
                let theirs = Tile::from_index(TILE_HEIGHT, index).parent(0, size).expect("tile in the tree");
                assert_eq!(go_path(&ours), theirs.path(), "hash {n} at level {level} in a tree of {size}");
            }
        }
    }
}

#[test]
fn truce_tile_writes_equal_tlog_tiles_new_tiles_and_serve_its_tile_hash_reader() {
    let mut rng = SplitMix(81);
    let mut writer = TileWriter::new();
    let mut go = GoHashes::default();
    let mut stored = Tiles::default();
    for batch in BATCHES {
        let old = writer.size();
        for _ in 0..batch {
            let data = leaf_data(writer.size());
            writer.append(leaf_hash(&data));
            go.push(&data);
        }
        let new = writer.size();
        let mut writes: Vec<(String, Vec<u8>)> = Vec::new();
        for (id, bytes) in writer.take_writes() {
            let TileKind::Hashes(level) = id.kind else { panic!("the writer wrote an entry bundle: {id}") };
            writes.push((go_path(&id), bytes.clone()));
            stored.0.insert((level, id.index), bytes);
        }
        writes.sort();
        assert_same_tiles(&writes, &oracle_tiles(&go, old, new), &format!("from {old} to {new}"));

        // tlog_tiles authenticates truce's tiles against the root and reads proofs out of them.
        let root = writer.root();
        assert_eq!(tlog_tiles::tree_hash(new, &go).expect("tree_hash").0, root.0, "root at {new}");
        let reader = TileHashReader::new(new, GoHash(root.0), &stored);
        assert_eq!(tlog_tiles::tree_hash(new, &reader).expect("truce tiles authenticate").0, root.0);
        let mut source = TileSource::new(&stored);
        for i in indices(new, &mut rng) {
            let theirs = tlog_tiles::prove_record(new, i, &reader).expect("proof from truce's tiles");
            let ours = inclusion_proof(&mut source, i, new).expect("truce proof from tiles");
            assert_eq!(to_go(&ours), theirs, "inclusion of {i} in {new}");
        }
        for m in old_sizes(new, &mut rng) {
            let theirs = tlog_tiles::prove_tree(new, m, &reader).expect("tree proof from truce's tiles");
            let ours = consistency_proof(&mut source, m, new).expect("truce proof from tiles");
            assert_eq!(to_go(&ours), theirs, "consistency from {m} to {new}");
        }
    }
}

#[test]
fn tlog_tiles_tiles_serve_truce_tile_source_and_restore_truce_tile_writer() {
    let mut rng = SplitMix(91);
    let mut go = GoHashes::default();
    let mut tiles = Tiles::default();
    let mut leaves = Vec::new();
    for batch in BATCHES {
        let old = leaves.len() as u64;
        // A writer restored from the oracle's tiles appends the batch and must write what the oracle does.
        let mut writer = TileWriter::restore(old, |id| match id.kind {
            TileKind::Hashes(level) => tiles.0.get(&(level, id.index)).cloned(),
            TileKind::Entries => None,
        })
        .expect("truce restores from tlog_tiles' tiles");
        let old_root = tlog_tiles::tree_hash(old, &go).expect("tree_hash");
        assert_eq!(writer.root().0, old_root.0, "restored root at {old}");
        for _ in 0..batch {
            let data = leaf_data(leaves.len() as u64);
            writer.append(leaf_hash(&data));
            go.push(&data);
            leaves.push(data);
        }
        let new = leaves.len() as u64;
        let oracle = oracle_tiles(&go, old, new);
        for (path, bytes) in &oracle {
            let id = TileId::parse(&c2sp_path(path)).expect("truce parses the converted path");
            let TileKind::Hashes(level) = id.kind else { panic!("tlog_tiles published a data tile: {path}") };
            tiles.0.insert((level, id.index), bytes.clone());
        }
        let mut writes: Vec<(String, Vec<u8>)> =
            writer.take_writes().into_iter().map(|(id, bytes)| (go_path(&id), bytes)).collect();
        writes.sort();
        assert_same_tiles(&writes, &oracle, &format!("after restoring at {old} and growing to {new}"));

        // truce reads roots and proofs out of the oracle's tiles.
        let root = Hash(tlog_tiles::tree_hash(new, &go).expect("tree_hash").0);
        let mut source = TileSource::new(&tiles);
        assert_eq!(tree_root(&mut source, new).expect("root from tlog_tiles' tiles"), root);
        for i in indices(new, &mut rng) {
            let proof = inclusion_proof(&mut source, i, new).expect("truce proof from oracle tiles");
            verify_inclusion(i, new, leaf_hash(&leaves[i as usize]), &proof, root)
                .unwrap_or_else(|e| panic!("inclusion of {i} in {new}: {e}"));
            assert_eq!(to_go(&proof), tlog_tiles::prove_record(new, i, &go).expect("prove_record"));
        }
        for m in old_sizes(new, &mut rng) {
            let proof = consistency_proof(&mut source, m, new).expect("truce proof from oracle tiles");
            let old_root = Hash(tlog_tiles::tree_hash(m, &go).expect("tree_hash").0);
            verify_consistency(m, new, old_root, root, &proof)
                .unwrap_or_else(|e| panic!("consistency from {m} to {new}: {e}"));
            assert_eq!(to_go(&proof), tlog_tiles::prove_tree(new, m, &go).expect("prove_tree"));
        }
    }
}

//! Embeds the bundled demo scenario's claim fixtures, so `truce demo` works from any
//! directory.

use std::fmt::Write as _;
use std::path::PathBuf;

fn main() {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let dir = manifest.join("../../scenarios/nagorno-karabakh-2020/demo/claims");
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut files: Vec<PathBuf> =
        std::fs::read_dir(&dir).map(|rd| rd.filter_map(|e| e.ok().map(|e| e.path())).collect()).unwrap_or_default();
    files.retain(|p| p.extension().is_some_and(|e| e == "json"));
    files.sort();
    let mut out =
        String::from("/// The demo claims: (file name, JSON text).\npub const DEMO_CLAIMS: &[(&str, &str)] = &[\n");
    for f in &files {
        let name = f.file_name().and_then(|n| n.to_str()).unwrap_or_default();
        let path = f.canonicalize().unwrap_or_else(|_| f.clone());
        writeln!(out, "    ({name:?}, include_str!({:?})),", path.display().to_string()).expect("write to string");
    }
    out.push_str("];\n");
    // The verification script and the counter-claims its disputes submit.
    let demo = manifest.join("../../scenarios/nagorno-karabakh-2020/demo");
    let script = demo.join("verification.toml");
    println!("cargo:rerun-if-changed={}", script.display());
    let script = script.canonicalize().unwrap_or(script);
    writeln!(
        out,
        "/// The demo's verification script.\npub const DEMO_SCRIPT: &str = include_str!({:?});",
        script.display().to_string()
    )
    .expect("write to string");
    let disputes = demo.join("disputes");
    println!("cargo:rerun-if-changed={}", disputes.display());
    let mut files: Vec<PathBuf> = std::fs::read_dir(&disputes)
        .map(|rd| rd.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    files.retain(|p| p.extension().is_some_and(|e| e == "json"));
    files.sort();
    out.push_str("/// Counter-claims the script's disputes submit: (file name, JSON text).\npub const DEMO_DISPUTES: &[(&str, &str)] = &[\n");
    for f in &files {
        let name = f.file_name().and_then(|n| n.to_str()).unwrap_or_default();
        let path = f.canonicalize().unwrap_or_else(|_| f.clone());
        writeln!(out, "    ({name:?}, include_str!({:?})),", path.display().to_string()).expect("write to string");
    }
    out.push_str("];\n");
    let dest = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("demo_claims.rs");
    std::fs::write(dest, out).expect("write demo_claims.rs");
}

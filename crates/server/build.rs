//! Builds the web UI (`web/`, TypeScript and Vite) into `$OUT_DIR/web`, which the server
//! embeds. Cargo reruns this when the UI's sources change; it needs the machine's npm.

use std::path::{Path, PathBuf};
use std::process::Command;

fn main() {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let web = manifest.join("../../web").canonicalize().expect("the web/ directory beside crates/");
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("web");
    for input in ["src", "index.html", "package.json", "package-lock.json", "vite.config.ts", "tsconfig.json"] {
        println!("cargo:rerun-if-changed={}", web.join(input).display());
    }
    if std::env::var_os("TRUCE_WEB_PREBUILT").is_some() {
        // A directory already holding the built UI (e.g. built on another machine).
        let from = PathBuf::from(std::env::var("TRUCE_WEB_PREBUILT").unwrap_or_default());
        copy_dir(&from, &out);
        return;
    }
    let npm = if cfg!(windows) { "npm.cmd" } else { "npm" };
    if Command::new(npm).arg("--version").output().is_err() {
        panic!(
            "\n\nThe web UI (web/) must be built, and npm was not found.\n\
             Install Node.js 20.19 or later with npm, then build again; or build the UI elsewhere\n\
             (cd web && npm ci && npm run build) and point TRUCE_WEB_PREBUILT at its dist/.\n\n"
        );
    }
    let installed = web.join("node_modules/.package-lock.json");
    if modified(&installed) < modified(&web.join("package-lock.json")) {
        run(Command::new(npm).args(["ci", "--no-audit", "--no-fund"]).current_dir(&web), "npm ci");
    }
    run(
        Command::new(npm).args(["run", "build", "--", "--outDir"]).arg(&out).arg("--emptyOutDir").current_dir(&web),
        "npm run build",
    );
}

fn modified(p: &Path) -> std::time::SystemTime {
    std::fs::metadata(p).and_then(|m| m.modified()).unwrap_or(std::time::UNIX_EPOCH)
}

fn run(cmd: &mut Command, what: &str) {
    let status = cmd.status().unwrap_or_else(|e| panic!("{what} in web/ could not start: {e}"));
    if !status.success() {
        panic!("{what} in web/ failed ({status}); run it there to see why");
    }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap_or_else(|e| panic!("creating {}: {e}", to.display()));
    let entries = std::fs::read_dir(from).unwrap_or_else(|e| panic!("TRUCE_WEB_PREBUILT {}: {e}", from.display()));
    for entry in entries.flatten() {
        let path = entry.path();
        let target = to.join(entry.file_name());
        if path.is_dir() {
            copy_dir(&path, &target);
        } else {
            std::fs::copy(&path, &target).unwrap_or_else(|e| panic!("copying {}: {e}", path.display()));
        }
    }
}

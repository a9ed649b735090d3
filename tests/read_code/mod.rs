//! `gatefleet read-code`: one line per image, path, tab, code or `-`; an image that cannot be
//! decoded gets `-`, a message naming it, and exit code 2.

use std::process::Command;

use crate::support::{scratch, write};

fn photo(name: &str) -> String {
    format!(
        "{}/../shared/data/perception/containers/{name}",
        env!("CARGO_MANIFEST_DIR")
    )
}

#[test]
fn read_code_prints_a_line_per_image_and_refuses_a_broken_one() {
    let dir = scratch("read-code");
    let broken = write(&dir, "broken.jpg", "not a jpeg");
    let good = photo("container_01.jpg");
    let output = Command::new(env!("CARGO_BIN_EXE_gatefleet"))
        .arg("read-code")
        .arg(&good)
        .arg(&broken)
        .env("RUST_LOG", "off")
        .output()
        .expect("gatefleet runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(
        lines,
        vec![
            format!("{good}\tAPZU3452195").as_str(),
            format!("{}\t-", broken.display()).as_str()
        ],
        "stderr: {stderr}"
    );
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr.contains("broken.jpg"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

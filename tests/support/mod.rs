//! Running `gatefleet` in a scratch folder of its own, with logging off.

use std::ops::Deref;
use std::path::{Path, PathBuf};
use std::process::Command;

/// What a run of the binary left behind.
#[derive(Debug)]
pub struct Run {
    /// The exit code; `None` when a signal ended it.
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// The stderr of a refused input: exit code 2, exactly one line, no panic.
    pub fn refusal(&self) -> &str {
        assert_eq!(self.code, Some(2), "{self:#?}");
        assert!(!self.stderr.contains("panicked"), "{self:#?}");
        let lines: Vec<&str> = self.stderr.lines().collect();
        assert_eq!(lines.len(), 1, "{self:#?}");
        lines[0]
    }
}

/// An empty folder for one test under the system's temp dir, removed when dropped.
pub struct Scratch(PathBuf);

impl Deref for Scratch {
    type Target = Path;

    fn deref(&self) -> &Path {
        &self.0
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A scratch folder named for the test and this process, so parallel runs do not collide.
pub fn scratch(test: &str) -> Scratch {
    let dir = std::env::temp_dir().join(format!("gatefleet-cli-{}-{test}", std::process::id()));
    if dir.exists() {
        std::fs::remove_dir_all(&dir).expect("an old scratch folder can be removed");
    }
    std::fs::create_dir_all(&dir).expect("the temp dir is writable");
    Scratch(dir)
}

/// Writes `text` to `name` in `dir` and returns the path.
pub fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).expect("the scratch folder is writable");
    path
}

/// Runs `gatefleet` with `args` in `dir`, logging off so that stderr holds only errors.
pub fn gatefleet(dir: &Path, args: &[&str]) -> Run {
    let output = Command::new(env!("CARGO_BIN_EXE_gatefleet"))
        .args(args)
        .current_dir(dir)
        .env("RUST_LOG", "off")
        .output()
        .expect("the gatefleet binary runs");
    Run {
        code: output.status.code(),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// Where the MovingAI benchmark `random-32-32-20` is kept.
pub fn random_32_32_20() -> PathBuf {
    let shared = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/data/mapf/movingai/");
    Path::new(shared).join("random-32-32-20")
}

//! Finding and loading ONNX Runtime and the two PP-OCR models.
//!
//! Nothing is linked at build time: the runtime is a shared library that
//! `scripts/setup-perception` installs into a *perception folder* next to the models:
//!
//! ```text
//! <dir>/lib/libonnxruntime.so.1.31.1
//! <dir>/models/det.onnx
//! <dir>/models/rec.onnx
//! ```
//!
//! [`PerceptionFiles::locate`] looks for that folder in a fixed order (see there) and fails
//! with an error naming every path it tried, never with a panic. The library is loaded once
//! per process: ONNX Runtime allows one environment, so a later load that names another
//! library keeps the first one and says so in a debug event.

use std::env;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock, PoisonError};

use ort::environment::Environment;
use ort::session::Session;
use ort::session::builder::GraphOptimizationLevel;

use crate::PerceptionError;

/// The library's file name, as the set-up script installs it.
pub const LIBRARY_FILE: &str = "libonnxruntime.so.1.31.1";

/// Environment variable naming the perception folder at run time (and, read by
/// `option_env!`, at build time).
pub const DIR_VARIABLE: &str = "GATEFLEET_PERCEPTION_DIR";

/// Environment variable naming the runtime library itself; when set it wins over every folder.
pub const LIBRARY_VARIABLE: &str = "ORT_DYLIB_PATH";

/// The files the OCR needs at run time.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PerceptionFiles {
    /// The ONNX Runtime shared library.
    pub library: PathBuf,
    /// The text detection model (DB).
    pub det_model: PathBuf,
    /// The text recognition model (CTC), its dictionary in the metadata.
    pub rec_model: PathBuf,
}

impl PerceptionFiles {
    /// Finds the files, from `dir` alone when given, else from the usual folders.
    ///
    /// The library is `$ORT_DYLIB_PATH` when that is set and not empty; otherwise it, like the
    /// models, is taken from the first folder that has it among [`search_dirs`] (or `dir`).
    ///
    /// # Errors
    ///
    /// [`PerceptionError::RuntimeNotFound`] or [`PerceptionError::ModelNotFound`], naming every
    /// path tried.
    pub fn locate(dir: Option<&Path>) -> Result<Self, PerceptionError> {
        let library = env::var_os(LIBRARY_VARIABLE)
            .filter(|value| !value.is_empty())
            .map(PathBuf::from);
        let dirs = match dir {
            Some(dir) => vec![dir.to_path_buf()],
            None => search_dirs(),
        };
        Self::in_dirs(library.as_deref(), &dirs)
    }

    /// Finds the files in `dirs`, in order, the library at `library` if that is given.
    ///
    /// # Errors
    ///
    /// As [`PerceptionFiles::locate`]; reads no environment variable.
    pub fn in_dirs(library: Option<&Path>, dirs: &[PathBuf]) -> Result<Self, PerceptionError> {
        let library = match library {
            Some(path) => first_existing(vec![path.to_path_buf()]),
            None => first_existing(
                dirs.iter()
                    .map(|d| d.join("lib").join(LIBRARY_FILE))
                    .collect(),
            ),
        }
        .map_err(|tried| PerceptionError::RuntimeNotFound { tried })?;
        let model = |name: &'static str, file: &str| {
            first_existing(dirs.iter().map(|d| d.join("models").join(file)).collect())
                .map_err(|tried| PerceptionError::ModelNotFound { model: name, tried })
        };
        Ok(Self {
            library,
            det_model: model("detection", "det.onnx")?,
            rec_model: model("recognition", "rec.onnx")?,
        })
    }
}

/// The folders searched for the perception files, in order, when none is given.
///
/// 1. `$GATEFLEET_PERCEPTION_DIR` at run time;
/// 2. the folder `GATEFLEET_PERCEPTION_DIR` named when this crate was compiled (the build
///    script sets it to `<target>/perception`);
/// 3. `perception` beside the running executable, then one and two folders up from it (test
///    binaries live in `target/<profile>/deps`, binaries in `target/<profile>`).
pub fn search_dirs() -> Vec<PathBuf> {
    let mut dirs = Vec::new();
    if let Some(dir) = env::var_os(DIR_VARIABLE).filter(|value| !value.is_empty()) {
        dirs.push(PathBuf::from(dir));
    }
    if let Some(dir) = option_env!("GATEFLEET_PERCEPTION_DIR").filter(|value| !value.is_empty()) {
        dirs.push(PathBuf::from(dir));
    }
    if let Some(exe_dir) = env::current_exe()
        .ok()
        .and_then(|exe| exe.parent().map(Path::to_path_buf))
    {
        dirs.push(exe_dir.join("perception"));
        dirs.push(exe_dir.join("..").join("perception"));
        dirs.push(exe_dir.join("..").join("..").join("perception"));
    }
    dirs.dedup();
    dirs
}

/// The first of `candidates` that is a file, or all of them when none is.
fn first_existing(candidates: Vec<PathBuf>) -> Result<PathBuf, Vec<PathBuf>> {
    match candidates.iter().position(|path| path.is_file()) {
        Some(found) => Ok(candidates[found].clone()),
        None => Err(candidates),
    }
}

/// How many threads each model session may use.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SessionThreads {
    /// Threads inside one operator (ONNX Runtime's intra-op pool); 1 runs on the caller's thread.
    pub intra_op: usize,
    /// Threads across independent operators (inter-op pool).
    pub inter_op: usize,
}

impl Default for SessionThreads {
    /// One thread each: the gate serves several lanes, so photos are read in parallel instead,
    /// and ONNX Runtime's spinning worker threads cost CPU without a matching gain.
    fn default() -> Self {
        Self {
            intra_op: 1,
            inter_op: 1,
        }
    }
}

/// The process's ONNX Runtime: the library it came from and the one environment.
struct Runtime {
    library: PathBuf,
    environment: Environment,
}

static RUNTIME: OnceLock<Runtime> = OnceLock::new();

/// Serialises the first load, which can fail and so cannot run inside `OnceLock::get_or_init`.
static LOADING: Mutex<()> = Mutex::new(());

/// The process's runtime, loading `library` if no runtime is loaded yet.
fn runtime(library: &Path) -> Result<&'static Runtime, PerceptionError> {
    let _loading = LOADING.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some(loaded) = RUNTIME.get() {
        if loaded.library != library {
            tracing::debug!(
                loaded = %loaded.library.display(),
                requested = %library.display(),
                "onnx runtime already loaded; keeping it"
            );
        }
        return Ok(loaded);
    }

    // ort panics on a missing library only through its implicit loader, which is never reached
    // because init_from runs first; a failed init_from leaves nothing marked as loaded
    let environment = ort::init_from(library)
        .map_err(|source| PerceptionError::RuntimeLoad {
            path: library.to_path_buf(),
            source,
        })?
        .with_name("gatefleet-perception")
        .with_telemetry(false)
        .build()
        .map_err(|source| PerceptionError::Environment { source })?;
    tracing::debug!(library = %library.display(), "onnx runtime loaded");
    Ok(RUNTIME.get_or_init(|| Runtime {
        library: library.to_path_buf(),
        environment,
    }))
}

/// Loads the model at `model` into a session on the runtime at `library`.
///
/// # Errors
///
/// [`PerceptionError::RuntimeLoad`], [`PerceptionError::Environment`] or
/// [`PerceptionError::ModelLoad`].
pub(crate) fn load_session(
    library: &Path,
    model: &Path,
    threads: SessionThreads,
) -> Result<Session, PerceptionError> {
    let runtime = runtime(library)?;
    let fail = |source: ort::Error| PerceptionError::ModelLoad {
        path: model.to_path_buf(),
        source,
    };
    Session::builder(&runtime.environment)
        .map_err(fail)?
        .with_optimization_level(GraphOptimizationLevel::All)
        .map_err(|e| fail(e.into()))?
        .with_intra_threads(threads.intra_op)
        .map_err(|e| fail(e.into()))?
        .with_inter_threads(threads.inter_op)
        .map_err(|e| fail(e.into()))?
        .commit_from_file(model)
        .map_err(fail)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_library_names_every_folder_tried() {
        let dirs = [
            PathBuf::from("/nonexistent/a"),
            PathBuf::from("/nonexistent/b"),
        ];
        let error = PerceptionFiles::in_dirs(None, &dirs).expect_err("nothing is there");
        let text = error.to_string();
        assert!(
            text.contains("/nonexistent/a/lib/libonnxruntime.so.1.31.1"),
            "{text}"
        );
        assert!(
            text.contains("/nonexistent/b/lib/libonnxruntime.so.1.31.1"),
            "{text}"
        );
        assert!(text.contains("scripts/setup-perception"), "{text}");
    }

    #[test]
    fn library_override_is_the_only_library_tried() {
        let dirs = [PathBuf::from("/nonexistent/a")];
        let error = PerceptionFiles::in_dirs(Some(Path::new("/nonexistent/lib.so")), &dirs)
            .expect_err("nothing is there");
        match error {
            PerceptionError::RuntimeNotFound { tried } => {
                assert_eq!(tried, [PathBuf::from("/nonexistent/lib.so")]);
            }
            other => panic!("unexpected error {other}"),
        }
    }
}

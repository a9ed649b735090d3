//! Finding the runtime and the models, and failing well when they are not there.

use std::path::PathBuf;

use perception::{Ocr, OcrConfig, PerceptionError, PerceptionFiles};

/// A folder under the system's temporary folder, empty, unique to this test process.
fn scratch_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("perception-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temporary folder writable");
    dir
}

#[test]
fn missing_runtime_is_an_error_naming_each_path_tried() {
    let dirs = [scratch_dir("missing-a"), scratch_dir("missing-b")];
    let error = PerceptionFiles::in_dirs(None, &dirs).expect_err("the folders are empty");
    assert!(
        matches!(error, PerceptionError::RuntimeNotFound { .. }),
        "{error:?}"
    );
    let message = error.to_string();
    for dir in &dirs {
        let library = dir.join("lib/libonnxruntime.so.1.31.1");
        assert!(
            message.contains(&library.display().to_string()),
            "{message}"
        );
    }
    assert!(message.contains("scripts/setup-perception"), "{message}");
}

#[test]
fn loading_from_an_empty_folder_fails_without_panicking() {
    let dir = scratch_dir("empty");
    let config = OcrConfig {
        perception_dir: Some(dir.clone()),
        ..OcrConfig::default()
    };
    let Err(error) = Ocr::load(&config) else {
        panic!("nothing to load in {dir:?}");
    };
    // with $ORT_DYLIB_PATH set the library is found and the models are missing instead
    let message = error.to_string();
    assert!(message.contains(&dir.display().to_string()), "{message}");
    assert!(message.contains("scripts/setup-perception"), "{message}");
}

#[test]
fn loading_from_a_second_folder_keeps_the_first_runtime() {
    let installed = PerceptionFiles::locate(None).expect("run scripts/setup-perception first");
    Ocr::load(&OcrConfig::default()).expect("the installed files load");

    // a second perception folder whose files are links to the installed ones: its library
    // path differs, and ONNX Runtime cannot be loaded twice
    let copy = scratch_dir("second");
    std::fs::create_dir_all(copy.join("lib")).expect("writable");
    std::fs::create_dir_all(copy.join("models")).expect("writable");
    let link = |from: &PathBuf, to: &str| {
        std::os::unix::fs::symlink(from, copy.join(to)).expect("symlink");
    };
    link(&installed.library, "lib/libonnxruntime.so.1.31.1");
    link(&installed.det_model, "models/det.onnx");
    link(&installed.rec_model, "models/rec.onnx");
    let config = OcrConfig {
        perception_dir: Some(copy),
        ..OcrConfig::default()
    };
    Ocr::load(&config).expect("a second load reuses the loaded runtime");
}

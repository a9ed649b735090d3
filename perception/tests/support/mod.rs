//! The container photos and their labels.

use std::path::PathBuf;

/// The folder of container photos with `labels.csv`.
pub fn photos() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/data/perception/containers")
}

/// One labelled photo.
pub struct Labelled {
    /// File name inside [`photos`].
    pub file: String,
    /// The code painted on the container, 11 characters, e.g. `APZU3452195`.
    pub code: String,
}

/// The labelled photos, in the order of `labels.csv`.
pub fn labels() -> Vec<Labelled> {
    let text = std::fs::read_to_string(photos().join("labels.csv")).expect("labels.csv readable");
    text.lines()
        .skip(1)
        .map(|line| {
            // the first three columns are never quoted: filename, code as printed, code
            let fields: Vec<&str> = line.splitn(4, ',').collect();
            Labelled {
                file: fields[0].to_owned(),
                code: fields[2].to_owned(),
            }
        })
        .collect()
}

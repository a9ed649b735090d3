//! What can go wrong when the OCR is set up or run: files that are not installed, a runtime or
//! model that does not load, a photo that does not decode, a model that answers in an
//! unexpected shape.

use std::path::PathBuf;

/// The OCR could not be set up, or could not read an image.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PerceptionError {
    /// The ONNX Runtime library is in none of the places searched.
    #[error(
        "onnx runtime library not found (tried {}); run scripts/setup-perception to install it",
        list(tried)
    )]
    RuntimeNotFound {
        /// Every path tried, in the order tried.
        tried: Vec<PathBuf>,
    },
    /// A model file is in none of the places searched.
    #[error(
        "{model} model not found (tried {}); run scripts/setup-perception to install it",
        list(tried)
    )]
    ModelNotFound {
        /// Which model: `detection` or `recognition`.
        model: &'static str,
        /// Every path tried, in the order tried.
        tried: Vec<PathBuf>,
    },
    /// The library exists but could not be loaded as ONNX Runtime.
    #[error("cannot load onnx runtime from {path:?}")]
    RuntimeLoad {
        /// The library file.
        path: PathBuf,
        /// Why the dynamic loader or the version check refused it.
        #[source]
        source: ort::LoadDynamicError,
    },
    /// ONNX Runtime loaded but its environment could not be created.
    #[error("cannot create the onnx runtime environment")]
    Environment {
        /// The runtime's own error.
        #[source]
        source: ort::Error,
    },
    /// A model file exists but ONNX Runtime could not build a session from it.
    #[error("cannot load model {path:?}")]
    ModelLoad {
        /// The model file.
        path: PathBuf,
        /// The runtime's own error.
        #[source]
        source: ort::Error,
    },
    /// The recognition model does not carry a character list that fits its output.
    #[error("recognition model {path:?} has no usable dictionary: {reason}")]
    Dictionary {
        /// The model file.
        path: PathBuf,
        /// What is wrong with the `character` metadata.
        reason: String,
    },
    /// A model failed while running.
    #[error("{model} model failed to run")]
    Inference {
        /// Which model: `detection` or `recognition`.
        model: &'static str,
        /// The runtime's own error.
        #[source]
        source: ort::Error,
    },
    /// A model answered with a tensor of a shape the pipeline does not expect.
    #[error("{model} model answered with shape {shape:?}, expected {expected}")]
    OutputShape {
        /// Which model: `detection` or `recognition`.
        model: &'static str,
        /// The shape received.
        shape: Vec<i64>,
        /// The shape expected, in words.
        expected: &'static str,
    },
    /// An image file could not be read or decoded.
    #[error("cannot read image {path:?}")]
    Image {
        /// The image file.
        path: PathBuf,
        /// What the decoder said.
        #[source]
        source: image::ImageError,
    },
}

fn list(paths: &[PathBuf]) -> String {
    let quoted: Vec<String> = paths.iter().map(|path| format!("{path:?}")).collect();
    quoted.join(", ")
}

//! The gate's cameras: what they see, turned into facts the fleet core can act on.
//!
//! - [`iso6346`]: container codes and their check digit, and reading a code out of the text
//!   boxes an OCR found in a photo, by geometry (codes come on one, two or three lines).
//! - [`Ocr`]: finds the lines of text in a photo ([`TextBox`]es), with the PP-OCR detection
//!   and recognition models of the `rapidocr` package run through ONNX Runtime (`ort`), all
//!   three installed by `scripts/setup-perception` (see [`runtime`] for where they are looked
//!   for); [`image_io::load`] reads a photo the right way up.

mod crop;
mod detect;
mod error;
pub mod image_io;
pub mod iso6346;
mod ocr;
mod recognize;
pub mod runtime;
mod tensor;
pub mod text;

pub use detect::DetectParams;
pub use error::PerceptionError;
pub use iso6346::{CodeError, ContainerCode};
pub use ocr::{Ocr, OcrConfig};
pub use recognize::RecognizeParams;
pub use runtime::{PerceptionFiles, SessionThreads};
pub use text::TextBox;

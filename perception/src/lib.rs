//! The gate's cameras: what they see, turned into facts the fleet core can act on.
//!
//! - [`iso6346`]: container codes and their check digit, and reading a code out of the text
//!   boxes an OCR found in a photo, by geometry (codes come on one, two or three lines).
//!
//! The OCR itself runs the PP-OCR detection and recognition models of the `rapidocr`
//! package through ONNX Runtime (`ort`), both installed by `scripts/setup-perception`.

pub mod iso6346;
pub mod text;

pub use iso6346::{CodeError, CodeReading, ContainerCode, read_code};
pub use text::TextBox;

//! The gate's cameras: what they see, turned into facts the fleet core can act on.
//!
//! - [`Ocr`]: finds the lines of text in a photo ([`TextBox`]es), with the PP-OCR detection
//!   and recognition models of the `rapidocr` package run through ONNX Runtime (`ort`), all
//!   three installed by `scripts/setup-perception` (see [`runtime`] for where they are looked
//!   for); [`image_io::load`] reads a photo the right way up.
//! - [`iso6346`]: container codes and their check digit, and reading a code out of the text
//!   boxes an OCR found in a photo, by geometry (codes come on one, two or three lines).
//! - [`CodeReader`]: the two together, photo in, code (or nothing) out, with a second look
//!   at the photo turned a quarter turn when nothing was read upright.
//! - [`LaneWatch`]: a fixed camera over a lane; a background model of the lane's region and
//!   hysteresis raise [`LaneWatchEvent::Blocked`] when a foreign object stands in it and
//!   [`LaneWatchEvent::Cleared`] once it is gone.

mod crop;
mod detect;
mod error;
pub mod image_io;
pub mod iso6346;
pub mod lane_watch;
mod ocr;
pub mod reader;
mod recognize;
pub mod runtime;
mod tensor;
pub mod text;

pub use detect::DetectParams;
pub use error::PerceptionError;
pub use iso6346::{CodeError, CodeReading, ContainerCode, read_code};
pub use lane_watch::{LaneWatch, LaneWatchConfig, LaneWatchError, LaneWatchEvent, PixelBox};
pub use ocr::{Ocr, OcrConfig};
pub use reader::{CodeReader, ReaderConfig};
pub use recognize::RecognizeParams;
pub use runtime::{PerceptionFiles, SessionThreads};
pub use text::TextBox;

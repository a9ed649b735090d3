//! The OCR: text detection, cutting out each box, and recognition, tied together.
//!
//! [`Ocr::read_text`] returns every line it could read in a photo with its box; turning
//! those into a container code is [`crate::iso6346`]'s business. Both models run on the
//! calling thread by default (see [`SessionThreads`]); an `Ocr` reads one photo at a time, so
//! a gate with several lanes keeps one `Ocr` per worker thread.

use std::path::PathBuf;
use std::time::Instant;

use image::RgbImage;

use crate::crop::crop;
use crate::detect::{DetectParams, Detector};
use crate::recognize::{Alphabet, RecognizeParams, Recognizer};
use crate::runtime::{PerceptionFiles, SessionThreads, load_session};
use crate::{PerceptionError, TextBox};

/// How the OCR is set up.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct OcrConfig {
    /// The perception folder (`lib/`, `models/`); `None` searches the usual places (see
    /// [`crate::runtime::search_dirs`]). `$ORT_DYLIB_PATH`, when set, still names the library.
    pub perception_dir: Option<PathBuf>,
    /// Threads per model session.
    pub threads: SessionThreads,
    /// Photo sizing and box extraction for the detector.
    pub detect: DetectParams,
    /// Strip sizing and line filtering for the recogniser.
    pub recognize: RecognizeParams,
}

/// A loaded OCR: the detection and recognition sessions.
///
/// # Examples
///
/// ```
/// use perception::{Ocr, OcrConfig, image_io};
///
/// # fn main() -> Result<(), perception::PerceptionError> {
/// # let photos = concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/data/perception/containers");
/// let mut ocr = Ocr::load(&OcrConfig::default())?;
/// let photo = image_io::load(format!("{photos}/container_01.jpg"))?;
/// let lines = ocr.read_text(&photo)?;
/// assert!(lines.iter().any(|line| line.text == "APZU"));
/// # Ok(())
/// # }
/// ```
pub struct Ocr {
    detector: Detector,
    recognizer: Recognizer,
}

impl Ocr {
    /// Finds the runtime and the models, loads the runtime if this process has not yet, and
    /// builds both sessions (about a second).
    ///
    /// # Errors
    ///
    /// [`PerceptionError::RuntimeNotFound`] or [`PerceptionError::ModelNotFound`] (naming
    /// every path tried) when `scripts/setup-perception` has not installed them;
    /// [`PerceptionError::RuntimeLoad`], [`PerceptionError::Environment`],
    /// [`PerceptionError::ModelLoad`] or [`PerceptionError::Dictionary`] when a file is there
    /// but unusable.
    pub fn load(config: &OcrConfig) -> Result<Self, PerceptionError> {
        let files = PerceptionFiles::locate(config.perception_dir.as_deref())?;
        let det = load_session(&files.library, &files.det_model, config.threads)?;
        let rec = load_session(&files.library, &files.rec_model, config.threads)?;
        let alphabet = read_alphabet(&rec, &files.rec_model)?;
        tracing::debug!(
            library = %files.library.display(),
            det = %files.det_model.display(),
            rec = %files.rec_model.display(),
            "ocr loaded"
        );
        Ok(Self {
            detector: Detector::new(det, config.detect),
            recognizer: Recognizer::new(rec, alphabet, config.recognize),
        })
    }

    /// Reads every line of text in `image`: detection, then recognition of each box, in the
    /// detector's order (top to bottom, left to right within a line). Lines the recogniser is
    /// not sure of are left out.
    ///
    /// # Errors
    ///
    /// [`PerceptionError::Inference`] or [`PerceptionError::OutputShape`] when a model fails.
    pub fn read_text(&mut self, image: &RgbImage) -> Result<Vec<TextBox>, PerceptionError> {
        let boxes = self.detect(image)?;
        self.recognize(image, &boxes)
    }

    /// The text boxes in `image`, without reading them: corners top left, top right, bottom
    /// right, bottom left as each box lies in the image.
    ///
    /// # Errors
    ///
    /// As [`Ocr::read_text`].
    pub fn detect(&mut self, image: &RgbImage) -> Result<Vec<[[f32; 2]; 4]>, PerceptionError> {
        let _span = tracing::debug_span!("detect", width = image.width(), height = image.height())
            .entered();
        let started = Instant::now();
        let boxes = self.detector.detect(image)?;
        tracing::debug!(boxes = boxes.len(), elapsed = ?started.elapsed(), "text detected");
        Ok(boxes)
    }

    /// Reads the text in each of `boxes` (as [`Ocr::detect`] returns them) in `image`; a box
    /// whose text is not legible enough is left out.
    ///
    /// # Errors
    ///
    /// As [`Ocr::read_text`].
    pub fn recognize(
        &mut self,
        image: &RgbImage,
        boxes: &[[[f32; 2]; 4]],
    ) -> Result<Vec<TextBox>, PerceptionError> {
        let _span = tracing::debug_span!("recognize", boxes = boxes.len()).entered();
        let started = Instant::now();
        let mut lines = Vec::new();
        for quad in boxes {
            let cropping = Instant::now();
            let Some(strip) = crop(image, quad) else {
                continue;
            };
            let cropped = cropping.elapsed();
            let read = self.recognizer.recognize(&strip.image)?;
            tracing::trace!(
                width = strip.image.width(),
                height = strip.image.height(),
                crop = ?cropped,
                total = ?cropping.elapsed(),
                "strip read"
            );
            if let Some((text, confidence, char_confidences)) = read {
                lines.push(TextBox {
                    text,
                    confidence,
                    char_confidences,
                    quad: strip.quad,
                });
            }
        }
        tracing::debug!(lines = lines.len(), elapsed = ?started.elapsed(), "text recognised");
        Ok(lines)
    }
}

/// The recogniser's alphabet, from the model's `character` metadata.
///
/// # Errors
///
/// [`PerceptionError::Dictionary`] when the key is missing or lacks a letter or digit.
fn read_alphabet(
    session: &ort::session::Session,
    path: &std::path::Path,
) -> Result<Alphabet, PerceptionError> {
    let fail = |reason: String| PerceptionError::Dictionary {
        path: path.to_path_buf(),
        reason,
    };
    let metadata = session.metadata().map_err(|e| fail(e.to_string()))?;
    let dictionary = metadata
        .custom("character")
        .ok_or_else(|| fail("no `character` metadata".to_owned()))?;
    Alphabet::from_dictionary(&dictionary).map_err(fail)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ocr_can_move_to_a_worker_thread() {
        fn is_send<T: Send>() {}
        is_send::<Ocr>();
    }
}

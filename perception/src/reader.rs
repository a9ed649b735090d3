//! Container codes read from photos: the OCR, the ISO 6346 assembler, and a second look at
//! a photo turned a quarter turn when the first finds no code.
//!
//! Codes are painted turned on corner posts, and phones store some photos sideways without
//! an EXIF tag to say so; the detector finds such text but the recogniser reads lines, not
//! columns. Turning the photo costs a detection and recognition pass each way, so it is
//! only done for photos where no owner code at all was read upright.

use std::path::Path;

use image::RgbImage;
use image::imageops;

use crate::iso6346::{CodeReading, has_owner_code, read_code};
use crate::ocr::{Ocr, OcrConfig};
use crate::{PerceptionError, image_io};

/// How photos are read.
#[derive(Clone, Debug, PartialEq)]
pub struct ReaderConfig {
    /// The OCR's set-up.
    pub ocr: OcrConfig,
    /// Look again at a photo turned a quarter turn each way when nothing was read upright.
    pub try_turned: bool,
}

impl Default for ReaderConfig {
    fn default() -> Self {
        Self {
            ocr: OcrConfig::default(),
            try_turned: true,
        }
    }
}

/// Reads container codes from photos, one at a time.
pub struct CodeReader {
    ocr: Ocr,
    try_turned: bool,
}

impl CodeReader {
    /// Loads the OCR (about a second).
    ///
    /// # Errors
    /// As [`Ocr::load`]: the runtime or a model missing or unusable.
    pub fn load(config: &ReaderConfig) -> Result<Self, PerceptionError> {
        Ok(Self {
            ocr: Ocr::load(&config.ocr)?,
            try_turned: config.try_turned,
        })
    }

    /// The code in `image`, if one is read with a valid check digit.
    ///
    /// # Errors
    /// A model that fails to run.
    pub fn read(&mut self, image: &RgbImage) -> Result<Option<CodeReading>, PerceptionError> {
        let upright = self.ocr.read_text(image)?;
        if let Some(reading) = read_code(&upright) {
            return Ok(Some(reading));
        }
        // an owner code read upright means the photo is upright and the rest of the code
        // is missing or unreadable: turning it would only cost two more passes
        if !self.try_turned || has_owner_code(&upright) {
            return Ok(None);
        }
        for turned in [imageops::rotate90(image), imageops::rotate270(image)] {
            if let Some(reading) = read_code(&self.ocr.read_text(&turned)?) {
                tracing::debug!(code = %reading.code, "read on the turned photo");
                return Ok(Some(reading));
            }
        }
        Ok(None)
    }

    /// The code in the photo at `path` (JPEG or PNG, EXIF orientation applied).
    ///
    /// # Errors
    /// A file that cannot be read or decoded (naming it), or a model that fails to run.
    pub fn read_file(&mut self, path: &Path) -> Result<Option<CodeReading>, PerceptionError> {
        let image = image_io::load(path)?;
        self.read(&image)
    }
}

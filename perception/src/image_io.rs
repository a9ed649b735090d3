//! Reading photos as the camera meant them to be seen: decoded to RGB with the EXIF
//! orientation applied (phones store portrait shots as landscape pixels plus a tag saying
//! "rotate 90°"; the text detector only finds upright or sideways text it is shown).
//!
//! JPEG and PNG are supported.

use std::io::{BufRead, Cursor, Seek};
use std::path::{Path, PathBuf};

use image::{DynamicImage, ImageDecoder, ImageError, ImageReader, RgbImage};

use crate::PerceptionError;

/// Reads the image file at `path`, EXIF orientation applied.
///
/// # Errors
///
/// [`PerceptionError::Image`] naming the file, when it cannot be opened or decoded.
pub fn load(path: impl AsRef<Path>) -> Result<RgbImage, PerceptionError> {
    let path = path.as_ref();
    let fail = |source| PerceptionError::Image {
        path: path.to_path_buf(),
        source,
    };
    let reader = ImageReader::open(path).map_err(|e| fail(ImageError::IoError(e)))?;
    decode_reader(reader).map_err(fail)
}

/// Decodes an encoded image held in memory (a camera frame), EXIF orientation applied.
///
/// # Errors
///
/// [`PerceptionError::Image`] with the path `<memory>` when the bytes do not decode.
pub fn decode(bytes: &[u8]) -> Result<RgbImage, PerceptionError> {
    decode_reader(ImageReader::new(Cursor::new(bytes))).map_err(|source| PerceptionError::Image {
        path: PathBuf::from("<memory>"),
        source,
    })
}

fn decode_reader<R: BufRead + Seek>(reader: ImageReader<R>) -> Result<RgbImage, ImageError> {
    let mut decoder = reader.with_guessed_format()?.into_decoder()?;
    let orientation = decoder.orientation()?;
    let mut image = DynamicImage::from_decoder(decoder)?;
    image.apply_orientation(orientation);
    Ok(image.into_rgb8())
}

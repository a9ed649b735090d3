//! Integration tests of the perception crate, built as one binary.
//!
//! The OCR tests need what `scripts/setup-perception` installs (found as the library finds it:
//! `$GATEFLEET_PERCEPTION_DIR`, the folder baked in at build time, or `<target>/perception`)
//! and the photos in `shared/data/perception/containers` beside the repository.
//!
//! Each module lives in its own folder (`<module>/mod.rs`) so that cargo does not also build
//! it as a test binary of its own.

// shared helpers: the photo folder and its labels
mod support;

// finding the runtime and the models; what happens when they are missing
mod runtime;

// decoding photos, EXIF orientation
mod image_io;

// the OCR on the container photos
mod ocr;

// container codes read from the photos: how many right, none wrong
mod codes;

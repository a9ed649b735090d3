//! Decoding photos the right way up.

use perception::image_io;

use crate::support::photos;

#[test]
fn exif_orientation_is_applied() {
    // stored as 800 x 450 landscape pixels with EXIF orientation 6 (rotate 90° clockwise)
    let image = image_io::load(photos().join("container_21.jpg")).expect("decodes");
    assert_eq!(image.dimensions(), (450, 800));
}

#[test]
fn photo_without_orientation_keeps_its_size() {
    let image = image_io::load(photos().join("container_01.jpg")).expect("decodes");
    assert_eq!(image.dimensions(), (600, 800));
}

#[test]
fn unreadable_file_is_an_error_naming_it() {
    let path = photos().join("no_such_photo.jpg");
    let error = image_io::load(&path).expect_err("no such file");
    assert!(error.to_string().contains("no_such_photo.jpg"), "{error}");
}

#[test]
fn bytes_that_are_no_image_are_an_error() {
    assert!(image_io::decode(b"not an image").is_err());
}

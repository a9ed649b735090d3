//! The 30 labelled container photos read end to end (decode with EXIF, detection,
//! recognition, ISO 6346 assembly, a turned second look): at least 25 right and never a
//! wrong one.

use perception::{CodeReader, ReaderConfig};

use crate::support::{labels, photos};

#[test]
fn at_least_25_of_the_30_photos_are_read_right_and_none_wrong() {
    let mut reader =
        CodeReader::load(&ReaderConfig::default()).expect("run scripts/setup-perception");
    let labels = labels();
    assert_eq!(labels.len(), 30);
    let (mut right, mut wrong) = (Vec::new(), Vec::new());
    for photo in &labels {
        let reading = reader
            .read_file(&photos().join(&photo.file))
            .expect(&photo.file);
        match reading {
            Some(r) if r.code.as_str() == photo.code => right.push(photo.file.clone()),
            Some(r) => wrong.push(format!(
                "{}: read {} for {}",
                photo.file, r.code, photo.code
            )),
            None => eprintln!("{}: no code ({})", photo.file, photo.code),
        }
    }
    eprintln!("{} of 30 read right", right.len());
    assert!(wrong.is_empty(), "wrong codes: {wrong:?}");
    assert!(
        right.len() >= 25,
        "only {} read right: {right:?}",
        right.len()
    );
}

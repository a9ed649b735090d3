//! Turning RGB pixels into the models' input: resized, in BGR order, scaled to -1..1, planar
//! (NCHW). Both PP-OCR models were trained on OpenCV's BGR images normalised as
//! `px / 127.5 - 1`, so that is what they are fed.
//!
//! The resize is bilinear with OpenCV's pixel-centre convention (`cv2.resize`,
//! `INTER_LINEAR`), rounded back to whole pixel values as OpenCV's 8-bit resize does, so the
//! models see what they see in RapidOCR.

use image::RgbImage;

/// `level / 127.5 - 1` for every 8-bit level.
static NORMALISED: [f32; 256] = {
    let mut table = [0.0; 256];
    let mut level = 0;
    while level < 256 {
        table[level] = level as f32 / 127.5 - 1.0;
        level += 1;
    }
    table
};

/// One output coordinate's two source coordinates and the weight of the second.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Tap {
    low: usize,
    high: usize,
    weight: f32,
}

/// The bilinear taps for resizing `source` samples to `target` samples.
fn taps(source: usize, target: usize) -> Vec<Tap> {
    let scale = source as f32 / target as f32;
    let last = source - 1;
    (0..target)
        .map(|i| {
            let at = ((i as f32 + 0.5) * scale - 0.5).max(0.0);
            let low = (at.floor() as usize).min(last);
            let weight = if low == last { 0.0 } else { at - low as f32 };
            Tap {
                low,
                high: (low + 1).min(last),
                weight,
            }
        })
        .collect()
}

/// Writes `image` resized to `width` x `height` into `planes`: three planes (B, G, R) of
/// `height` rows of `stride` values each, filling the first `width` values of every row and
/// leaving the rest as they are (the caller's padding).
///
/// Nothing is written when the image or the target is empty.
pub(crate) fn write_bgr_planes(
    image: &RgbImage,
    width: usize,
    height: usize,
    stride: usize,
    planes: &mut [f32],
) {
    let (source_width, source_height) = (image.width() as usize, image.height() as usize);
    if source_width == 0 || source_height == 0 || width == 0 || height == 0 {
        return;
    }
    debug_assert!(width <= stride && planes.len() >= 3 * height * stride);
    let columns = taps(source_width, width);
    let rows = taps(source_height, height);
    let plane_len = height * stride;

    // each output row blends two source rows resized horizontally; output rows run down the
    // image, so the two most recent resized rows are all that is ever needed again
    let mut upper = ResizedRow::new(width);
    let mut lower = ResizedRow::new(width);
    for (y, row_tap) in rows.iter().enumerate() {
        if upper.source != Some(row_tap.low) {
            if lower.source == Some(row_tap.low) {
                std::mem::swap(&mut upper, &mut lower);
            } else {
                upper.fill(image, row_tap.low, &columns);
            }
        }
        if lower.source != Some(row_tap.high) {
            lower.fill(image, row_tap.high, &columns);
        }

        // values stay within 0..=255, so adding a half and truncating rounds them (cheaper than
        // `round`, a library call without SSE4.1) and indexes the normalised values
        let offset = y * stride;
        let (blue, rest) = planes[offset..].split_at_mut(plane_len);
        let (green, red) = rest.split_at_mut(plane_len);
        let pixels = upper
            .values
            .chunks_exact(3)
            .zip(lower.values.chunks_exact(3));
        for (x, (top, bottom)) in pixels.enumerate() {
            let value = |c: usize| {
                let level = (top[c] + (bottom[c] - top[c]) * row_tap.weight + 0.5) as u8;
                NORMALISED[usize::from(level)]
            };
            red[x] = value(0);
            green[x] = value(1);
            blue[x] = value(2);
        }
    }
}

/// One source row resized horizontally, RGB interleaved.
struct ResizedRow {
    source: Option<usize>,
    values: Vec<f32>,
}

impl ResizedRow {
    fn new(width: usize) -> Self {
        Self {
            source: None,
            values: vec![0.0; width * 3],
        }
    }

    fn fill(&mut self, image: &RgbImage, source_row: usize, columns: &[Tap]) {
        let row_len = image.width() as usize * 3;
        let line = &image.as_raw()[source_row * row_len..][..row_len];
        for (out, tap) in self.values.chunks_exact_mut(3).zip(columns) {
            let left = &line[tap.low * 3..][..3];
            let right = &line[tap.high * 3..][..3];
            for c in 0..3 {
                let a = f32::from(left[c]);
                out[c] = a + (f32::from(right[c]) - a) * tap.weight;
            }
        }
        self.source = Some(source_row);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn taps_follow_opencv_pixel_centres() {
        // upscaling 2 -> 4: centres at -0.25 (clamped), 0.25, 0.75, 1.25 (last pixel)
        let got = taps(2, 4);
        let weights: Vec<f32> = got.iter().map(|t| t.weight).collect();
        assert_eq!(weights, [0.0, 0.25, 0.75, 0.0]);
        assert_eq!(got[3].low, 1);
        assert_eq!(got[3].high, 1);
    }

    #[test]
    fn same_size_copies_pixels_in_bgr_order() {
        let image = RgbImage::from_raw(1, 1, vec![255, 0, 51]).expect("one pixel");
        let mut planes = vec![9.0; 3 * 2];
        write_bgr_planes(&image, 1, 1, 2, &mut planes);
        let expected_blue = 51.0 / 127.5 - 1.0;
        assert_eq!(planes, [expected_blue, 9.0, -1.0, 9.0, 1.0, 9.0]);
    }
}

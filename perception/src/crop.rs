//! Cutting a detected box out of the photo as an upright strip of text for the recogniser.
//!
//! The box is warped flat (a perspective warp, so tilted boxes come out straight) with
//! OpenCV's bicubic kernel and replicated borders, as RapidOCR does. A strip at least 1.5
//! times taller than wide is taken for text running down the image and turned 90°
//! counter-clockwise, also as RapidOCR does; its corners are reordered so that they still name
//! the text's own top left, top right, bottom right and bottom left.

use image::{Rgb, RgbImage, imageops};
use imageproc::geometric_transformations::Projection;

use crate::detect::Quad;

/// A strip of text cut out of a photo, and where it came from.
pub(crate) struct Crop {
    /// The text, upright, reading left to right.
    pub(crate) image: RgbImage,
    /// The strip's corners in the photo, in the reading order of its text.
    pub(crate) quad: Quad,
}

/// Cuts `quad` (top left, top right, bottom right, bottom left as it lies in the image) out of
/// `image`, or `None` when it is less than a pixel wide or high.
pub(crate) fn crop(image: &RgbImage, quad: &Quad) -> Option<Crop> {
    let [p0, p1, p2, p3] = *quad;
    let width = distance(p0, p1).max(distance(p2, p3)).trunc();
    let height = distance(p0, p3).max(distance(p1, p2)).trunc();
    if width < 1.0 || height < 1.0 {
        return None;
    }
    // the projection from strip to photo pixels: each strip pixel samples where it came from
    let corners = [(0.0, 0.0), (width, 0.0), (width, height), (0.0, height)];
    let photo_from_strip = Projection::from_control_points(corners, quad.map(|p| (p[0], p[1])))?;
    let strip = RgbImage::from_fn(width as u32, height as u32, |x, y| {
        let (source_x, source_y) = photo_from_strip * (x as f32, y as f32);
        sample_bicubic(image, source_x, source_y)
    });

    if height / width >= 1.5 {
        // text running down: the strip's right edge is the top of the text
        Some(Crop {
            image: imageops::rotate270(&strip),
            quad: [p1, p2, p3, p0],
        })
    } else {
        Some(Crop {
            image: strip,
            quad: *quad,
        })
    }
}

/// The colour at (`x`, `y`) interpolated over the 4 x 4 nearest pixels with OpenCV's cubic
/// kernel (`a = -0.75`), edge pixels repeated outside the image, rounded once at the end.
///
/// imageproc's bicubic warp uses the Catmull-Rom kernel (`a = -0.5`) and truncates to whole
/// levels twice, which darkens and softens strips a little against what the recogniser was
/// tuned on.
fn sample_bicubic(image: &RgbImage, x: f32, y: f32) -> Rgb<u8> {
    let (width, height) = (image.width() as i64, image.height() as i64);
    if !x.is_finite() || !y.is_finite() {
        return Rgb([0, 0, 0]);
    }
    let (left, top) = (x.floor(), y.floor());
    let (x_weights, y_weights) = (cubic_weights(x - left), cubic_weights(y - top));
    let (left, top) = (left as i64 - 1, top as i64 - 1);

    let mut sum = [0.0f32; 3];
    for (row, y_weight) in y_weights.iter().enumerate() {
        let source_y = (top + row as i64).clamp(0, height - 1) as u32;
        for (column, x_weight) in x_weights.iter().enumerate() {
            let source_x = (left + column as i64).clamp(0, width - 1) as u32;
            let pixel = image.get_pixel(source_x, source_y);
            for (total, level) in sum.iter_mut().zip(pixel.0) {
                *total += f32::from(level) * x_weight * y_weight;
            }
        }
    }
    Rgb(sum.map(|level| level.round().clamp(0.0, 255.0) as u8))
}

/// OpenCV's cubic convolution weights for the four taps around a point `t` (0..1) past the
/// second tap.
fn cubic_weights(t: f32) -> [f32; 4] {
    const A: f32 = -0.75;
    let near = |d: f32| ((A + 2.0) * d - (A + 3.0)) * d * d + 1.0;
    let far = |d: f32| ((A * d - 5.0 * A) * d + 8.0 * A) * d - 4.0 * A;
    let weights = [far(t + 1.0), near(t), near(1.0 - t), far(2.0 - t)];
    let sum: f32 = weights.iter().sum();
    weights.map(|w| w / sum)
}

fn distance(a: [f32; 2], b: [f32; 2]) -> f32 {
    (a[0] - b[0]).hypot(a[1] - b[1])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tall_strip_turns_counter_clockwise() {
        // a 10 x 30 box whose top row is red, read sideways: after a quarter turn
        // counter-clockwise the red row is the left column
        let mut image = RgbImage::new(40, 40);
        for x in 5..15 {
            image.put_pixel(x, 5, Rgb([255, 0, 0]));
        }
        let quad = [[5.0, 5.0], [15.0, 5.0], [15.0, 35.0], [5.0, 35.0]];
        let crop = crop(&image, &quad).expect("a 10 x 30 box");
        assert_eq!(crop.image.dimensions(), (30, 10));
        assert_eq!(crop.image.get_pixel(0, 5), &Rgb([255, 0, 0]));
        assert_eq!(
            crop.quad,
            [[15.0, 5.0], [15.0, 35.0], [5.0, 35.0], [5.0, 5.0]]
        );
    }

    #[test]
    fn cubic_weights_sum_to_one_and_hit_pixels_exactly() {
        assert_eq!(cubic_weights(0.0), [0.0, 1.0, 0.0, 0.0]);
        let halfway = cubic_weights(0.5);
        assert!((halfway.iter().sum::<f32>() - 1.0).abs() < 1e-6);
        assert!((halfway[0] - halfway[3]).abs() < 1e-6 && halfway[0] < 0.0);
    }

    #[test]
    fn wide_strip_keeps_its_corners() {
        let image = RgbImage::new(40, 40);
        let quad = [[5.0, 5.0], [35.0, 5.0], [35.0, 15.0], [5.0, 15.0]];
        let crop = crop(&image, &quad).expect("a 30 x 10 box");
        assert_eq!(crop.image.dimensions(), (30, 10));
        assert_eq!(crop.quad, quad);
    }
}

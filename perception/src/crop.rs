//! Cutting a detected box out of the photo as an upright strip of text for the recogniser.
//!
//! The box is warped flat (a perspective warp, so tilted boxes come out straight). A strip at
//! least 1.5 times taller than wide is taken for text running down the image and turned 90°
//! counter-clockwise, as RapidOCR does; its corners are reordered so that they still name the
//! text's own top left, top right, bottom right and bottom left.

use image::{Rgb, RgbImage, imageops};
use imageproc::geometric_transformations::{Border, Interpolation, Projection, warp_into};

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
    let from = quad.map(|p| (p[0], p[1]));
    let to = [(0.0, 0.0), (width, 0.0), (width, height), (0.0, height)];
    let projection = Projection::from_control_points(from, to)?;
    let mut strip = RgbImage::new(width as u32, height as u32);
    warp_into(
        image,
        projection,
        Interpolation::Bicubic,
        Border::<Rgb<u8>>::Replicate,
        &mut strip,
    );

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
    fn wide_strip_keeps_its_corners() {
        let image = RgbImage::new(40, 40);
        let quad = [[5.0, 5.0], [35.0, 5.0], [35.0, 15.0], [5.0, 15.0]];
        let crop = crop(&image, &quad).expect("a 30 x 10 box");
        assert_eq!(crop.image.dimensions(), (30, 10));
        assert_eq!(crop.quad, quad);
    }
}

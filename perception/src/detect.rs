//! Text detection with PP-OCR's DB (differentiable binarisation) model, post-processed as
//! RapidOCR 3.10.0 does.
//!
//! The model turns the photo into a map of "this pixel is text" probabilities at the input's
//! resolution. Text boxes are read off that map: pixels above [`DetectParams::threshold`]
//! are grown by one pixel (2x2 dilation), each connected region's border becomes a contour,
//! the contour's minimum-area rectangle a candidate. A candidate is kept when the mean
//! probability inside it reaches [`DetectParams::box_threshold`]; the model marks only the
//! core of each word, so a kept rectangle is grown on every side by
//! `area * unclip_ratio / perimeter` before it is scaled back to the photo.

use std::time::Instant;

use image::{GrayImage, Luma, RgbImage};
use imageproc::contours::{BorderType, find_contours};
use imageproc::point::Point;
use ndarray::ArrayView4;
use ort::session::Session;
use ort::value::TensorRef;

use crate::PerceptionError;
use crate::tensor::write_bgr_planes;

/// Four corners in image pixels, `[x, y]` each.
pub(crate) type Quad = [[f32; 2]; 4];

/// How photos are sized for the detector and how its map is read.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct DetectParams {
    /// The shorter side of the detector's input, in pixels (RapidOCR: 736).
    pub min_side: u32,
    /// Whether photos whose shorter side exceeds `min_side` are scaled down to it. RapidOCR
    /// never downscales; doing so makes large photos cost what small ones do.
    pub downscale: bool,
    /// Upper bound on the longer side of the input, in pixels (RapidOCR: 2000).
    pub max_side: u32,
    /// Probability above which a map pixel counts as text (0.3).
    pub threshold: f32,
    /// Mean probability a box must reach to be kept (0.5).
    pub box_threshold: f32,
    /// How far a box is grown: `area * unclip_ratio / perimeter` on each side (1.6).
    pub unclip_ratio: f32,
    /// Most contours looked at per photo (1000).
    pub max_candidates: usize,
}

impl Default for DetectParams {
    fn default() -> Self {
        Self {
            min_side: 736,
            downscale: true,
            max_side: 2000,
            threshold: 0.3,
            box_threshold: 0.5,
            unclip_ratio: 1.6,
            max_candidates: 1000,
        }
    }
}

/// The DB text detector: a model session and how to use it.
pub(crate) struct Detector {
    session: Session,
    params: DetectParams,
    /// The input tensor's values, kept between photos.
    input: Vec<f32>,
}

impl Detector {
    pub(crate) fn new(session: Session, params: DetectParams) -> Self {
        Self {
            session,
            params,
            input: Vec::new(),
        }
    }

    /// The text boxes in `image`, corners in image pixels ordered top left, top right, bottom
    /// right, bottom left (as the box lies in the image, not as its text reads), sorted
    /// top to bottom and left to right within a line.
    pub(crate) fn detect(&mut self, image: &RgbImage) -> Result<Vec<Quad>, PerceptionError> {
        let (width, height) = (image.width() as usize, image.height() as usize);
        if width == 0 || height == 0 {
            return Ok(Vec::new());
        }
        let started = Instant::now();
        let (input_width, input_height) = input_size(width, height, &self.params);
        // every value is written, so the buffer of the previous photo is reused as it is
        // (a fresh 9 MB allocation costs milliseconds of page faults)
        self.input.resize(3 * input_height * input_width, 0.0);
        write_bgr_planes(
            image,
            input_width,
            input_height,
            input_width,
            &mut self.input,
        );
        let input = ArrayView4::from_shape((1, 3, input_height, input_width), &self.input)
            .expect("the buffer was sized for this shape");

        let fail = |source| PerceptionError::Inference {
            model: "detection",
            source,
        };
        let tensor = TensorRef::from_array_view(input).map_err(fail)?;
        let prepared = Instant::now();
        let outputs = self.session.run(ort::inputs![tensor]).map_err(fail)?;
        let ran = Instant::now();
        let (shape, map) = outputs[0].try_extract_tensor::<f32>().map_err(fail)?;
        let expected = [1, 1, input_height as i64, input_width as i64];
        if **shape != expected {
            return Err(PerceptionError::OutputShape {
                model: "detection",
                shape: shape.to_vec(),
                expected: "[1, 1, input height, input width]",
            });
        }
        let map = ProbabilityMap {
            values: map,
            width: input_width,
            height: input_height,
        };
        let mut quads = boxes_from_map(&map, &self.params, [width as f32, height as f32]);
        sort_reading_order(&mut quads);
        tracing::trace!(
            input_width,
            input_height,
            prepare = ?(prepared - started),
            run = ?(ran - prepared),
            boxes = ?ran.elapsed(),
            "detection steps"
        );
        Ok(quads)
    }
}

/// The detector's input size for a `width` x `height` photo: scaled so the shorter side is
/// `min_side`, the longer at most `max_side`, each side then rounded to a multiple of 32.
pub(crate) fn input_size(width: usize, height: usize, params: &DetectParams) -> (usize, usize) {
    let shorter = width.min(height) as f32;
    let min_side = params.min_side as f32;
    let mut ratio = if shorter < min_side || params.downscale {
        min_side / shorter
    } else {
        1.0
    };
    let longer = width.max(height) as f32 * ratio;
    if longer > params.max_side as f32 {
        ratio *= params.max_side as f32 / longer;
    }
    // as RapidOCR: truncate, then round half to even to a multiple of 32
    let side = |length: usize| {
        let scaled = (length as f32 * ratio).trunc();
        ((scaled / 32.0).round_ties_even() as usize * 32).max(32)
    };
    (side(width), side(height))
}

/// The detector's output: one probability per input pixel, row by row.
struct ProbabilityMap<'a> {
    values: &'a [f32],
    width: usize,
    height: usize,
}

/// The boxes on `map`, scaled to an image of `image_size` (width, height).
fn boxes_from_map(map: &ProbabilityMap, params: &DetectParams, image_size: [f32; 2]) -> Vec<Quad> {
    let bitmap = dilated_bitmap(map, params.threshold);
    let contours = find_contours::<i32>(&bitmap);
    let scale = [
        image_size[0] / map.width as f32,
        image_size[1] / map.height as f32,
    ];
    contours
        .iter()
        .filter(|contour| contour.border_type == BorderType::Outer)
        .take(params.max_candidates)
        .filter_map(|contour| {
            let rect = min_area_rect(&contour.points)?;
            if rect.short_side() < 3.0 || box_score(map, &rect.corners) < params.box_threshold {
                return None;
            }
            let grown = rect.grown(rect.area() * params.unclip_ratio / rect.perimeter());
            if grown.short_side() < 5.0 {
                return None;
            }
            to_image(&grown.corners, scale, image_size)
        })
        .collect()
}

/// The thresholded map, each text pixel also marking its right, lower and lower-right
/// neighbours (OpenCV's `dilate` with a 2x2 kernel anchored at its centre).
fn dilated_bitmap(map: &ProbabilityMap, threshold: f32) -> GrayImage {
    let (width, height) = (map.width, map.height);
    let mut bitmap = GrayImage::new(width as u32, height as u32);
    for y in 0..height {
        for x in 0..width {
            let above = |dx: usize, dy: usize| map.values[(y - dy) * width + x - dx] > threshold;
            let set = above(0, 0)
                || (x > 0 && above(1, 0))
                || (y > 0 && above(0, 1))
                || (x > 0 && y > 0 && above(1, 1));
            if set {
                bitmap.put_pixel(x as u32, y as u32, Luma([255]));
            }
        }
    }
    bitmap
}

/// A rectangle at any angle: corners top left, top right, bottom right, bottom left as
/// OpenCV-based code orders them (the two leftmost corners are the left side).
#[derive(Clone, Copy, Debug, PartialEq)]
struct Rect {
    corners: Quad,
}

impl Rect {
    fn width(&self) -> f32 {
        distance(self.corners[0], self.corners[1])
    }

    fn height(&self) -> f32 {
        distance(self.corners[0], self.corners[3])
    }

    fn short_side(&self) -> f32 {
        self.width().min(self.height())
    }

    fn area(&self) -> f32 {
        self.width() * self.height()
    }

    fn perimeter(&self) -> f32 {
        2.0 * (self.width() + self.height())
    }

    /// The rectangle moved out by `by` on every side: the minimum-area rectangle around a
    /// round-joined offset of it, which is what RapidOCR computes with pyclipper.
    fn grown(&self, by: f32) -> Rect {
        let [top_left, top_right, _, bottom_left] = self.corners;
        let along = unit(sub(top_right, top_left));
        let across = unit(sub(bottom_left, top_left));
        let step = |sign_along: f32, sign_across: f32| {
            [
                by * (sign_along * along[0] + sign_across * across[0]),
                by * (sign_along * along[1] + sign_across * across[1]),
            ]
        };
        let c = self.corners;
        Rect {
            corners: order_corners([
                add(c[0], step(-1.0, -1.0)),
                add(c[1], step(1.0, -1.0)),
                add(c[2], step(1.0, 1.0)),
                add(c[3], step(-1.0, 1.0)),
            ]),
        }
    }
}

/// The minimum-area rectangle around `points` (rotating calipers over the convex hull), or
/// `None` when the points span no area.
///
/// imageproc's `min_area_rect` rounds the corners outwards to whole pixels and leaves out the
/// hull's closing edge; the boxes here are grown and rescaled afterwards, so the exact
/// rectangle is kept.
fn min_area_rect(points: &[Point<i32>]) -> Option<Rect> {
    let hull = convex_hull(points);
    if hull.len() < 3 {
        return None;
    }
    let mut best: Option<(f32, Quad)> = None;
    for (i, &start) in hull.iter().enumerate() {
        let end = hull[(i + 1) % hull.len()];
        let along = unit(sub(end, start));
        let across = [-along[1], along[0]];
        let project = |p: [f32; 2], axis: [f32; 2]| p[0] * axis[0] + p[1] * axis[1];
        let (mut low_a, mut high_a) = (f32::MAX, f32::MIN);
        let (mut low_c, mut high_c) = (f32::MAX, f32::MIN);
        for &p in &hull {
            let (a, c) = (project(p, along), project(p, across));
            (low_a, high_a) = (low_a.min(a), high_a.max(a));
            (low_c, high_c) = (low_c.min(c), high_c.max(c));
        }
        let area = (high_a - low_a) * (high_c - low_c);
        if best.is_none_or(|(smallest, _)| area < smallest) {
            let corner =
                |a: f32, c: f32| [a * along[0] + c * across[0], a * along[1] + c * across[1]];
            let corners = [
                corner(low_a, low_c),
                corner(high_a, low_c),
                corner(high_a, high_c),
                corner(low_a, high_c),
            ];
            best = Some((area, corners));
        }
    }
    let (area, corners) = best?;
    (area > 0.0).then(|| Rect {
        corners: order_corners(corners),
    })
}

/// The convex hull of `points`, its corners in order around it, none repeated and no three
/// collinear (Andrew's monotone chain).
///
/// A contour walks back over one-pixel-wide parts, so its points repeat; a hull built by
/// sorting on angle alone (as imageproc's is) orders such ties inconsistently.
fn convex_hull(points: &[Point<i32>]) -> Vec<[f32; 2]> {
    let mut sorted: Vec<(i32, i32)> = points.iter().map(|p| (p.x, p.y)).collect();
    sorted.sort_unstable();
    sorted.dedup();
    if sorted.len() < 3 {
        return sorted.iter().map(|&(x, y)| [x as f32, y as f32]).collect();
    }
    // lower chain left to right, upper chain right to left; each ends where the other starts
    let mut hull = half_hull(sorted.iter());
    let mut upper = half_hull(sorted.iter().rev());
    hull.pop();
    upper.pop();
    hull.append(&mut upper);
    hull.iter().map(|&(x, y)| [x as f32, y as f32]).collect()
}

/// One chain of the monotone-chain hull: the points kept while only left turns are made.
fn half_hull<'a>(points: impl Iterator<Item = &'a (i32, i32)>) -> Vec<(i32, i32)> {
    let turn = |o: (i32, i32), a: (i32, i32), b: (i32, i32)| {
        i64::from(a.0 - o.0) * i64::from(b.1 - o.1) - i64::from(a.1 - o.1) * i64::from(b.0 - o.0)
    };
    let mut chain: Vec<(i32, i32)> = Vec::new();
    for &p in points {
        while chain.len() >= 2 && turn(chain[chain.len() - 2], chain[chain.len() - 1], p) <= 0 {
            chain.pop();
        }
        chain.push(p);
    }
    chain
}

/// Orders four corners as RapidOCR's `get_mini_boxes` does: the two with the smallest x are
/// the left side, the upper of them top left; the upper of the other two is top right (on a
/// tie in y, the later in x order is the upper).
fn order_corners(mut corners: Quad) -> Quad {
    corners.sort_by(|a, b| a[0].total_cmp(&b[0]));
    let [a, b, c, d] = corners;
    let (top_left, bottom_left) = if b[1] > a[1] { (a, b) } else { (b, a) };
    let (top_right, bottom_right) = if d[1] > c[1] { (c, d) } else { (d, c) };
    [top_left, top_right, bottom_right, bottom_left]
}

/// The mean probability inside `corners` on the map (RapidOCR's "fast" box score), looked at
/// on whole pixels of the box's bounding rectangle.
fn box_score(map: &ProbabilityMap, corners: &Quad) -> f32 {
    let clamp = |v: f32, len: usize| (v.max(0.0) as usize).min(len - 1);
    let xs = corners.map(|c| c[0]);
    let ys = corners.map(|c| c[1]);
    let x_min = clamp(
        xs.iter().copied().fold(f32::MAX, f32::min).floor(),
        map.width,
    );
    let x_max = clamp(
        xs.iter().copied().fold(f32::MIN, f32::max).ceil(),
        map.width,
    );
    let y_min = clamp(
        ys.iter().copied().fold(f32::MAX, f32::min).floor(),
        map.height,
    );
    let y_max = clamp(
        ys.iter().copied().fold(f32::MIN, f32::max).ceil(),
        map.height,
    );
    // OpenCV fills the polygon from corners truncated to whole pixels, edges included
    let polygon = corners.map(|c| [c[0].trunc(), c[1].trunc()]);

    let (mut sum, mut count) = (0.0f64, 0usize);
    for y in y_min..=y_max {
        for x in x_min..=x_max {
            if contains(&polygon, [x as f32, y as f32]) {
                sum += f64::from(map.values[y * map.width + x]);
                count += 1;
            }
        }
    }
    if count == 0 {
        0.0
    } else {
        (sum / count as f64) as f32
    }
}

/// Whether `point` lies inside the convex `polygon` or on its edges, whichever way it winds.
fn contains(polygon: &Quad, point: [f32; 2]) -> bool {
    let mut sign = 0.0f32;
    for i in 0..4 {
        let (a, b) = (polygon[i], polygon[(i + 1) % 4]);
        let cross = (b[0] - a[0]) * (point[1] - a[1]) - (b[1] - a[1]) * (point[0] - a[0]);
        if cross.abs() <= 1e-3 {
            continue;
        }
        if sign == 0.0 {
            sign = cross.signum();
        } else if cross.signum() != sign {
            return false;
        }
    }
    true
}

/// Scales a box from map to image pixels (rounded, clipped to the image), orders its corners
/// and drops it when a side is 3 pixels or less.
fn to_image(corners: &Quad, scale: [f32; 2], image_size: [f32; 2]) -> Option<Quad> {
    let scaled = corners.map(|c| {
        [
            (c[0] * scale[0])
                .round_ties_even()
                .clamp(0.0, image_size[0] - 1.0),
            (c[1] * scale[1])
                .round_ties_even()
                .clamp(0.0, image_size[1] - 1.0),
        ]
    });
    let quad = order_corners(scaled);
    let too_small =
        distance(quad[0], quad[1]).trunc() <= 3.0 || distance(quad[0], quad[3]).trunc() <= 3.0;
    (!too_small).then_some(quad)
}

/// Sorts boxes as RapidOCR does: by the top-left corner's y, a new line starting wherever
/// that y grows by 10 pixels or more from the previous box's, then left to right within a line.
fn sort_reading_order(quads: &mut [Quad]) {
    quads.sort_by(|a, b| a[0][1].total_cmp(&b[0][1]));
    let mut line = 0;
    let mut keyed: Vec<(usize, Quad)> = Vec::with_capacity(quads.len());
    for (i, quad) in quads.iter().enumerate() {
        if i > 0 && quad[0][1] - quads[i - 1][0][1] >= 10.0 {
            line += 1;
        }
        keyed.push((line, *quad));
    }
    keyed.sort_by(|(line_a, a), (line_b, b)| line_a.cmp(line_b).then(a[0][0].total_cmp(&b[0][0])));
    for (slot, (_, quad)) in quads.iter_mut().zip(keyed) {
        *slot = quad;
    }
}

fn distance(a: [f32; 2], b: [f32; 2]) -> f32 {
    (a[0] - b[0]).hypot(a[1] - b[1])
}

fn sub(a: [f32; 2], b: [f32; 2]) -> [f32; 2] {
    [a[0] - b[0], a[1] - b[1]]
}

fn add(a: [f32; 2], b: [f32; 2]) -> [f32; 2] {
    [a[0] + b[0], a[1] + b[1]]
}

fn unit(v: [f32; 2]) -> [f32; 2] {
    let length = v[0].hypot(v[1]);
    [v[0] / length, v[1] / length]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn photo_sizes_match_rapidocr() {
        let stock = DetectParams {
            downscale: false,
            ..DetectParams::default()
        };
        assert_eq!(input_size(600, 800, &stock), (736, 992));
        assert_eq!(input_size(1080, 1440, &stock), (1088, 1440));
        // 1424 / 32 = 44.5 rounds to even: 1408
        assert_eq!(input_size(1424, 1920, &stock), (1408, 1920));
        assert_eq!(input_size(1080, 1440, &DetectParams::default()), (736, 992));
    }

    #[test]
    fn min_area_rect_of_a_tilted_square_is_the_square() {
        let square = [[5, 0], [10, 5], [5, 10], [0, 5], [5, 5], [5, 0]];
        let points: Vec<Point<i32>> = square.iter().map(|p| Point::new(p[0], p[1])).collect();
        let rect = min_area_rect(&points).expect("a square has an area");
        assert!((rect.area() - 50.0).abs() < 1e-3, "{rect:?}");
    }

    #[test]
    fn hull_of_a_retraced_outline_keeps_only_corners() {
        // a contour that walks out along a line and back, plus an inner point
        let outline = [
            [0, 0],
            [4, 0],
            [8, 0],
            [4, 0],
            [0, 0],
            [0, 4],
            [8, 4],
            [3, 2],
        ];
        let points: Vec<Point<i32>> = outline.iter().map(|p| Point::new(p[0], p[1])).collect();
        let mut hull = convex_hull(&points);
        hull.sort_by(|a, b| a[0].total_cmp(&b[0]).then(a[1].total_cmp(&b[1])));
        assert_eq!(hull, [[0.0, 0.0], [0.0, 4.0], [8.0, 0.0], [8.0, 4.0]]);
    }

    #[test]
    fn points_on_a_line_have_no_rectangle() {
        let line: Vec<Point<i32>> = (0..5).map(|x| Point::new(x, 3)).collect();
        assert_eq!(min_area_rect(&line), None);
    }

    #[test]
    fn growing_a_rectangle_moves_every_side_out() {
        let rect = Rect {
            corners: [[10.0, 10.0], [30.0, 10.0], [30.0, 20.0], [10.0, 20.0]],
        };
        let grown = rect.grown(2.0);
        assert_eq!(
            grown.corners,
            [[8.0, 8.0], [32.0, 8.0], [32.0, 22.0], [8.0, 22.0]]
        );
    }

    #[test]
    fn a_solid_block_on_the_map_becomes_one_grown_box() {
        let (width, height) = (64, 32);
        let mut values = vec![0.0; width * height];
        for y in 10..20 {
            for x in 10..50 {
                values[y * width + x] = 0.9;
            }
        }
        let map = ProbabilityMap {
            values: &values,
            width,
            height,
        };
        let boxes = boxes_from_map(&map, &DetectParams::default(), [64.0, 32.0]);
        assert_eq!(boxes.len(), 1, "{boxes:?}");
        let [top_left, _, bottom_right, _] = boxes[0];
        assert!(top_left[0] < 10.0 && top_left[1] < 10.0, "{boxes:?}");
        assert!(
            bottom_right[0] > 50.0 && bottom_right[1] > 20.0,
            "{boxes:?}"
        );
    }

    #[test]
    fn boxes_on_one_line_sort_left_to_right() {
        let at = |x: f32, y: f32| [[x, y], [x + 5.0, y], [x + 5.0, y + 5.0], [x, y + 5.0]];
        let mut quads = vec![
            at(50.0, 100.0),
            at(10.0, 105.0),
            at(0.0, 0.0),
            at(5.0, 120.0),
        ];
        sort_reading_order(&mut quads);
        assert_eq!(
            quads,
            [
                at(0.0, 0.0),
                at(10.0, 105.0),
                at(50.0, 100.0),
                at(5.0, 120.0)
            ]
        );
    }
}

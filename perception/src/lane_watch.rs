//! Lane watch: a fixed camera over a lane tells when something foreign stands in it.
//!
//! A [`LaneWatch`] keeps a background model of the lane's region of interest (a polygon in
//! image pixels) and compares every frame with it. The frame is reduced to square cells of
//! grey level (mean of the cell's pixels), each cell divided by the median cell of the region
//! so that a change of exposure or daylight, which scales every pixel alike, cancels out.
//! Cells that differ from the background by more than a relative threshold are foreground;
//! a morphological opening drops isolated cells (sensor noise, a leaf), and the largest
//! connected blob left is measured against the region's area. Hysteresis turns the per-frame
//! answer into [`LaneWatchEvent`]s: [`Blocked`](LaneWatchEvent::Blocked) after a run of
//! frames with a large enough blob, [`Cleared`](LaneWatchEvent::Cleared) after a run without.
//!
//! The background is learnt over the first frames (the region must be clear then) and then
//! follows slow drift, but only while the lane is clear and the frame has no blob: an object
//! parked in the lane is never absorbed into the background.
//!
//! # Limitations
//! - An object that covers half the region or more moves the median, so its contrast is
//!   partly normalised away; cameras should frame a lane section much larger than a vehicle.
//! - A shadow that darkens only part of the region is a change like any other and may raise
//!   [`LaneWatchEvent::Blocked`] if it is large and dark enough; telling shadows apart (by
//!   chroma or texture) is not done.

use image::{GrayImage, Luma, RgbImage};
use imageproc::distance_transform::Norm;
use imageproc::region_labelling::{Connectivity, connected_components};
use serde::{Deserialize, Serialize};

/// Settings of one lane watch; serialisable so a camera node can be configured from a file
/// or over the network.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LaneWatchConfig {
    /// The region of interest: a simple polygon in image pixels (x right, y down), at least
    /// three corners, in either winding.
    pub region: Vec<[f64; 2]>,
    /// Side of the square cell, in pixels, averaged into one background sample; larger cells
    /// cost less and smooth sensor noise, smaller ones see smaller objects.
    pub cell_px: u32,
    /// Frames used to learn the background before anything is reported.
    pub warmup_frames: u32,
    /// Weight of a new clear frame in the background's running average, in (0, 1].
    pub learning_rate: f32,
    /// Relative difference (of the median-normalised grey level) above which a cell is
    /// foreground, e.g. 0.25 for a quarter of the region's typical brightness.
    pub threshold: f32,
    /// Radius in cells of the opening (square structuring element); 0 turns it off.
    pub opening_radius: u8,
    /// Smallest blob, as a fraction of the region's area, that counts as an object.
    pub min_area: f64,
    /// Consecutive frames with an object before [`LaneWatchEvent::Blocked`] is raised.
    pub frames_to_raise: u32,
    /// Consecutive frames without one before [`LaneWatchEvent::Cleared`] is raised.
    pub frames_to_clear: u32,
}

impl LaneWatchConfig {
    /// Settings for a region with defaults suited to a 320x240 to 1280x720 view of a lane:
    /// 4 px cells, 8 warm-up frames, threshold 0.25, opening radius 1, objects from 1% of the
    /// region, raised after 3 frames and cleared after 5.
    pub fn new(region: Vec<[f64; 2]>) -> Self {
        Self {
            region,
            cell_px: 4,
            warmup_frames: 8,
            learning_rate: 0.05,
            threshold: 0.25,
            opening_radius: 1,
            min_area: 0.01,
            frames_to_raise: 3,
            frames_to_clear: 5,
        }
    }
}

/// An axis-aligned box in image pixels.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PixelBox {
    /// Left column.
    pub x: u32,
    /// Top row.
    pub y: u32,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
}

/// A change of the lane's state, as seen by one camera.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum LaneWatchEvent {
    /// Something stands in the region.
    Blocked {
        /// The largest blob's area over the region's area, in (0, 1].
        area_fraction: f64,
        /// The largest blob's bounding box, to the cell grid.
        bbox: PixelBox,
    },
    /// The region is clear again.
    Cleared,
}

/// A lane watch that cannot be set up, or a frame it cannot compare.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum LaneWatchError {
    /// The region of interest does not enclose an area.
    #[error("degenerate lane watch region: {reason}")]
    DegenerateRegion {
        /// What is wrong with it.
        reason: &'static str,
    },
    /// The region lies outside the frames (no cell centre falls inside it).
    #[error("lane watch region covers no cell of a {width}x{height} frame")]
    RegionOutsideFrame {
        /// Frame width in pixels.
        width: u32,
        /// Frame height in pixels.
        height: u32,
    },
    /// A setting is out of its range.
    #[error("lane watch setting {field} {reason}")]
    InvalidConfig {
        /// The field of [`LaneWatchConfig`].
        field: &'static str,
        /// What its range is.
        reason: &'static str,
    },
    /// A frame differs in size from the first one.
    #[error(
        "frame is {width}x{height}, the lane watch was set up on {expected_width}x{expected_height}"
    )]
    FrameSize {
        /// Width of the first frame.
        expected_width: u32,
        /// Height of the first frame.
        expected_height: u32,
        /// Width of this frame.
        width: u32,
        /// Height of this frame.
        height: u32,
    },
}

/// The cell grid and region mask, fixed by the first frame.
#[derive(Debug)]
struct Grid {
    width: u32,
    height: u32,
    cols: u32,
    rows: u32,
    /// Whether each cell (row-major) has its centre inside the region.
    inside: Vec<bool>,
    inside_count: usize,
}

/// Watches one region of a fixed camera's frames for foreign objects.
///
/// Feed it every frame in order with [`observe`](Self::observe); it answers with a
/// [`LaneWatchEvent`] only when the state changes.
#[derive(Debug)]
pub struct LaneWatch {
    config: LaneWatchConfig,
    grid: Option<Grid>,
    /// Median-normalised grey level per cell; meaningful inside the region only.
    background: Vec<f32>,
    learnt_frames: u32,
    blocked: bool,
    hit_streak: u32,
    clear_streak: u32,
}

impl LaneWatch {
    /// A lane watch with these settings; the frame size is taken from the first frame.
    ///
    /// # Errors
    /// [`LaneWatchError::DegenerateRegion`] for fewer than three corners, a corner that is
    /// not finite or a region without area; [`LaneWatchError::InvalidConfig`] for a setting
    /// out of range.
    pub fn new(config: LaneWatchConfig) -> Result<Self, LaneWatchError> {
        validate(&config)?;
        Ok(Self {
            config,
            grid: None,
            background: Vec::new(),
            learnt_frames: 0,
            blocked: false,
            hit_streak: 0,
            clear_streak: 0,
        })
    }

    /// The settings.
    pub fn config(&self) -> &LaneWatchConfig {
        &self.config
    }

    /// Whether the lane is reported blocked now.
    pub fn is_blocked(&self) -> bool {
        self.blocked
    }

    /// Whether the background is learnt and frames are being compared with it.
    pub fn is_ready(&self) -> bool {
        self.learnt_frames >= self.config.warmup_frames
    }

    /// Compares a frame with the background; returns an event when the lane's state changes.
    ///
    /// The first [`warmup_frames`](LaneWatchConfig::warmup_frames) frames only teach the
    /// background and return `Ok(None)`.
    ///
    /// # Errors
    /// [`LaneWatchError::FrameSize`] for a frame of another size than the first;
    /// [`LaneWatchError::RegionOutsideFrame`] when, on the first frame, the region holds no
    /// cell.
    pub fn observe(&mut self, frame: &RgbImage) -> Result<Option<LaneWatchEvent>, LaneWatchError> {
        if self.grid.is_none() {
            self.grid = Some(Grid::new(&self.config, frame.width(), frame.height())?);
        }
        let grid = self.grid.as_ref().expect("set just above");
        grid.check_size(frame)?;
        let sample = grid.normalised_cells(frame, self.config.cell_px);

        // warm-up: the plain mean of the first frames
        if !self.is_ready() {
            self.learnt_frames += 1;
            let weight = 1.0 / self.learnt_frames as f32;
            if self.background.is_empty() {
                self.background = sample;
            } else {
                blend(&mut self.background, &sample, weight);
            }
            return Ok(None);
        }

        let blob = grid.largest_blob(&self.background, &sample, &self.config);
        let hit = blob.is_some_and(|(area, _)| area >= self.config.min_area);
        tracing::trace!(hit, area = blob.map(|(area, _)| area), "lane watch frame");
        let event = self.step(hit, blob);

        // learn only on frames that show a clear lane, so a parked object stays foreground
        if !self.blocked && !hit {
            blend(&mut self.background, &sample, self.config.learning_rate);
        }
        Ok(event)
    }

    /// Hysteresis: counts runs of frames with and without an object.
    fn step(&mut self, hit: bool, blob: Option<(f64, PixelBox)>) -> Option<LaneWatchEvent> {
        if hit {
            self.hit_streak += 1;
            self.clear_streak = 0;
        } else {
            self.clear_streak += 1;
            self.hit_streak = 0;
        }
        match blob {
            Some((area_fraction, bbox))
                if hit && !self.blocked && self.hit_streak >= self.config.frames_to_raise =>
            {
                self.blocked = true;
                tracing::debug!(area_fraction, ?bbox, "lane blocked");
                Some(LaneWatchEvent::Blocked {
                    area_fraction,
                    bbox,
                })
            }
            _ if !hit && self.blocked && self.clear_streak >= self.config.frames_to_clear => {
                self.blocked = false;
                tracing::debug!("lane cleared");
                Some(LaneWatchEvent::Cleared)
            }
            _ => None,
        }
    }
}

impl Grid {
    fn new(config: &LaneWatchConfig, width: u32, height: u32) -> Result<Self, LaneWatchError> {
        let cell = config.cell_px;
        let (cols, rows) = (width.div_ceil(cell), height.div_ceil(cell));
        let inside: Vec<bool> = (0..rows)
            .flat_map(|row| (0..cols).map(move |col| (col, row)))
            .map(|(col, row)| {
                let centre = [
                    (f64::from(col) + 0.5) * f64::from(cell),
                    (f64::from(row) + 0.5) * f64::from(cell),
                ];
                contains(&config.region, centre)
            })
            .collect();
        let inside_count = inside.iter().filter(|&&is_in| is_in).count();
        if inside_count == 0 {
            return Err(LaneWatchError::RegionOutsideFrame { width, height });
        }
        Ok(Self {
            width,
            height,
            cols,
            rows,
            inside,
            inside_count,
        })
    }

    fn check_size(&self, frame: &RgbImage) -> Result<(), LaneWatchError> {
        if frame.dimensions() == (self.width, self.height) {
            return Ok(());
        }
        Err(LaneWatchError::FrameSize {
            expected_width: self.width,
            expected_height: self.height,
            width: frame.width(),
            height: frame.height(),
        })
    }

    /// Mean grey level of every cell, divided by the median of the cells inside the region.
    fn normalised_cells(&self, frame: &RgbImage, cell: u32) -> Vec<f32> {
        let mut sums = vec![0.0f32; (self.cols * self.rows) as usize];
        let mut counts = vec![0u32; sums.len()];
        for (x, y, pixel) in frame.enumerate_pixels() {
            let [r, g, b] = pixel.0;
            let grey = 0.299 * f32::from(r) + 0.587 * f32::from(g) + 0.114 * f32::from(b);
            let index = ((y / cell) * self.cols + x / cell) as usize;
            sums[index] += grey;
            counts[index] += 1;
        }
        let means: Vec<f32> = sums
            .iter()
            .zip(&counts)
            .map(|(sum, &count)| sum / count.max(1) as f32)
            .collect();

        // the median, unlike the mean, hardly moves when an object darkens part of the region
        let mut inside: Vec<f32> = self.cells_inside(&means).collect();
        inside.sort_by(f32::total_cmp);
        let median = inside[inside.len() / 2].max(1.0);
        means.into_iter().map(|mean| mean / median).collect()
    }

    fn cells_inside<'a>(&'a self, values: &'a [f32]) -> impl Iterator<Item = f32> + 'a {
        values
            .iter()
            .zip(&self.inside)
            .filter(|(_, is_in)| **is_in)
            .map(|(value, _)| *value)
    }

    /// The largest blob of foreground cells after the opening: its area as a fraction of the
    /// region and its bounding box in pixels. `None` when no cell is foreground.
    fn largest_blob(
        &self,
        background: &[f32],
        sample: &[f32],
        config: &LaneWatchConfig,
    ) -> Option<(f64, PixelBox)> {
        let mut mask = GrayImage::new(self.cols, self.rows);
        for (index, is_in) in self.inside.iter().enumerate() {
            let changed = (sample[index] - background[index]).abs() > config.threshold;
            if *is_in && changed {
                let index = index as u32;
                mask.put_pixel(index % self.cols, index / self.cols, Luma([255]));
            }
        }
        if config.opening_radius > 0 {
            imageproc::morphology::open_mut(&mut mask, Norm::LInf, config.opening_radius);
        }

        let labels = connected_components(&mask, Connectivity::Eight, Luma([0]));
        let mut blobs: Vec<CellBox> = Vec::new();
        for (col, row, label) in labels.enumerate_pixels() {
            let Some(index) = (label.0[0] as usize).checked_sub(1) else {
                continue;
            };
            if blobs.len() <= index {
                blobs.resize(index + 1, CellBox::EMPTY);
            }
            blobs[index].add(col, row);
        }
        let largest = blobs.iter().max_by_key(|blob| blob.cells)?;
        let area = largest.cells as f64 / self.inside_count as f64;
        Some((
            area,
            largest.to_pixels(config.cell_px, self.width, self.height),
        ))
    }
}

/// Cells of one blob and their bounds, in cell units.
#[derive(Clone, Copy, Debug)]
struct CellBox {
    cells: usize,
    min: (u32, u32),
    max: (u32, u32),
}

impl CellBox {
    const EMPTY: Self = Self {
        cells: 0,
        min: (u32::MAX, u32::MAX),
        max: (0, 0),
    };

    fn add(&mut self, col: u32, row: u32) {
        self.cells += 1;
        self.min = (self.min.0.min(col), self.min.1.min(row));
        self.max = (self.max.0.max(col), self.max.1.max(row));
    }

    fn to_pixels(self, cell: u32, width: u32, height: u32) -> PixelBox {
        let (x, y) = (self.min.0 * cell, self.min.1 * cell);
        let right = ((self.max.0 + 1) * cell).min(width);
        let bottom = ((self.max.1 + 1) * cell).min(height);
        PixelBox {
            x,
            y,
            width: right - x,
            height: bottom - y,
        }
    }
}

/// `background = (1 - weight) * background + weight * sample`, cell by cell.
fn blend(background: &mut [f32], sample: &[f32], weight: f32) {
    for (kept, new) in background.iter_mut().zip(sample) {
        *kept += weight * (new - *kept);
    }
}

fn validate(config: &LaneWatchConfig) -> Result<(), LaneWatchError> {
    let region = &config.region;
    let degenerate = |reason| Err(LaneWatchError::DegenerateRegion { reason });
    if region.len() < 3 {
        return degenerate("fewer than three corners");
    }
    if region.iter().flatten().any(|v| !v.is_finite()) {
        return degenerate("a corner is not finite");
    }
    if shoelace_area(region) < 1.0 {
        return degenerate("it encloses less than one square pixel");
    }

    let invalid = |field, reason| Err(LaneWatchError::InvalidConfig { field, reason });
    if config.cell_px == 0 {
        return invalid("cell_px", "must be at least 1");
    }
    if !(config.learning_rate > 0.0 && config.learning_rate <= 1.0) {
        return invalid("learning_rate", "must be in (0, 1]");
    }
    if !(config.threshold.is_finite() && config.threshold > 0.0) {
        return invalid("threshold", "must be positive");
    }
    if !(config.min_area > 0.0 && config.min_area <= 1.0) {
        return invalid("min_area", "must be in (0, 1]");
    }
    if config.warmup_frames == 0 || config.frames_to_raise == 0 || config.frames_to_clear == 0 {
        return invalid(
            "warmup_frames, frames_to_raise, frames_to_clear",
            "must be at least 1",
        );
    }
    Ok(())
}

fn shoelace_area(polygon: &[[f64; 2]]) -> f64 {
    let next = polygon.iter().cycle().skip(1);
    let twice: f64 = polygon
        .iter()
        .zip(next)
        .map(|(a, b)| a[0] * b[1] - b[0] * a[1])
        .sum();
    twice.abs() / 2.0
}

/// Even-odd point in polygon.
fn contains(polygon: &[[f64; 2]], point: [f64; 2]) -> bool {
    let [x, y] = point;
    let next = polygon.iter().cycle().skip(1);
    polygon
        .iter()
        .zip(next)
        .filter(|(a, b)| (a[1] > y) != (b[1] > y))
        .filter(|(a, b)| x < a[0] + (y - a[1]) * (b[0] - a[0]) / (b[1] - a[1]))
        .count()
        % 2
        == 1
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::Rgb;
    use rand::{Rng, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    const W: u32 = 320;
    const H: u32 = 240;

    /// A lane seen in perspective: a trapezoid, narrower far away (top).
    fn region() -> Vec<[f64; 2]> {
        vec![[110.0, 30.0], [210.0, 30.0], [300.0, 230.0], [20.0, 230.0]]
    }

    /// What is in the scene besides the road.
    #[derive(Clone, Copy)]
    struct Scene {
        /// Multiplies every pixel (exposure, daylight).
        gain: f32,
        /// A dark object: left, top, width, height.
        object: Option<(u32, u32, u32, u32)>,
    }

    const EMPTY: Scene = Scene {
        gain: 1.0,
        object: None,
    };

    /// A grey road with a white dashed centre line, seeded uniform sensor noise of +-12.
    fn frame(scene: Scene, rng: &mut ChaCha8Rng) -> RgbImage {
        RgbImage::from_fn(W, H, |x, y| {
            let marking = (155..165).contains(&x) && (y / 20) % 2 == 0;
            let in_object = scene.object.is_some_and(|(ox, oy, ow, oh)| {
                (ox..ox + ow).contains(&x) && (oy..oy + oh).contains(&y)
            });
            let base = match (in_object, marking) {
                (true, _) => 35.0,
                (false, true) => 210.0,
                (false, false) => 110.0,
            };
            let noisy = base * scene.gain + rng.random_range(-12.0..=12.0);
            let grey = noisy.clamp(0.0, 255.0) as u8;
            Rgb([grey, grey, grey])
        })
    }

    /// Runs the warm-up on empty frames.
    fn warmed_up(rng: &mut ChaCha8Rng) -> LaneWatch {
        let mut watch = LaneWatch::new(LaneWatchConfig::new(region())).expect("valid settings");
        for _ in 0..watch.config().warmup_frames {
            assert_eq!(watch.observe(&frame(EMPTY, rng)).expect("same size"), None);
        }
        assert!(watch.is_ready());
        watch
    }

    /// Feeds `count` frames of a scene; returns the events raised, with the frame index.
    fn feed(
        watch: &mut LaneWatch,
        scene: Scene,
        count: usize,
        rng: &mut ChaCha8Rng,
    ) -> Vec<(usize, LaneWatchEvent)> {
        (0..count)
            .filter_map(|i| {
                let event = watch.observe(&frame(scene, rng)).expect("same size");
                event.map(|event| (i, event))
            })
            .collect()
    }

    #[test]
    fn noise_only_frames_never_raise() {
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        let mut watch = warmed_up(&mut rng);
        assert!(feed(&mut watch, EMPTY, 200, &mut rng).is_empty());
        assert!(!watch.is_blocked());
    }

    #[test]
    fn box_raises_after_frames_to_raise_then_clears_after_removal() {
        let mut rng = ChaCha8Rng::seed_from_u64(2);
        let mut watch = warmed_up(&mut rng);
        let object = Scene {
            object: Some((130, 120, 60, 40)),
            ..EMPTY
        };

        let raised = feed(&mut watch, object, 20, &mut rng);
        assert_eq!(raised.len(), 1, "{raised:?}");
        let (index, event) = raised[0];
        assert_eq!(index + 1, watch.config().frames_to_raise as usize);
        let LaneWatchEvent::Blocked {
            area_fraction,
            bbox,
        } = event
        else {
            panic!("expected blocked, got {event:?}");
        };
        // 2400 px of a region of about 36 000 px
        assert!((0.03..0.12).contains(&area_fraction), "{area_fraction}");
        assert!(
            bbox.x.abs_diff(130) <= 4 && bbox.y.abs_diff(120) <= 4,
            "{bbox:?}"
        );
        assert!(
            bbox.width.abs_diff(60) <= 8 && bbox.height.abs_diff(40) <= 8,
            "{bbox:?}"
        );

        // a long stay does not teach the background the object
        assert!(feed(&mut watch, object, 200, &mut rng).is_empty());
        assert!(watch.is_blocked());

        let cleared = feed(&mut watch, EMPTY, 20, &mut rng);
        let expected = watch.config().frames_to_clear as usize - 1;
        assert_eq!(cleared, vec![(expected, LaneWatchEvent::Cleared)]);
    }

    #[test]
    fn brighter_daylight_is_not_an_object() {
        let mut rng = ChaCha8Rng::seed_from_u64(3);
        let mut watch = warmed_up(&mut rng);
        for gain in [1.1, 0.9, 1.15, 1.2, 0.6] {
            let lit = Scene { gain, ..EMPTY };
            assert!(
                feed(&mut watch, lit, 30, &mut rng).is_empty(),
                "gain {gain}"
            );
        }

        // and an object is still seen under the new light
        let object = Scene {
            gain: 1.15,
            object: Some((130, 120, 60, 40)),
        };
        assert_eq!(feed(&mut watch, object, 5, &mut rng).len(), 1);
    }

    #[test]
    fn small_speck_is_dropped() {
        let mut rng = ChaCha8Rng::seed_from_u64(4);
        let mut watch = warmed_up(&mut rng);
        let speck = Scene {
            object: Some((150, 150, 5, 5)),
            ..EMPTY
        };
        assert!(feed(&mut watch, speck, 20, &mut rng).is_empty());
    }

    #[test]
    fn object_outside_the_region_is_ignored() {
        let mut rng = ChaCha8Rng::seed_from_u64(5);
        let mut watch = warmed_up(&mut rng);
        let aside = Scene {
            object: Some((0, 0, 60, 60)),
            ..EMPTY
        };
        assert!(feed(&mut watch, aside, 20, &mut rng).is_empty());
    }

    #[test]
    fn frame_of_another_size_is_refused() {
        let mut rng = ChaCha8Rng::seed_from_u64(6);
        let mut watch = warmed_up(&mut rng);
        let error = watch.observe(&RgbImage::new(W / 2, H / 2)).unwrap_err();
        assert!(
            matches!(error, LaneWatchError::FrameSize { width: 160, .. }),
            "{error}"
        );
    }

    #[test]
    fn degenerate_regions_are_refused() {
        let line = vec![[0.0, 0.0], [10.0, 10.0], [20.0, 20.0]];
        let two = vec![[0.0, 0.0], [10.0, 10.0]];
        let nan = vec![[0.0, 0.0], [f64::NAN, 10.0], [20.0, 0.0]];
        for region in [line, two, nan] {
            let error = LaneWatch::new(LaneWatchConfig::new(region)).unwrap_err();
            assert!(
                matches!(error, LaneWatchError::DegenerateRegion { .. }),
                "{error}"
            );
        }

        let outside = vec![[1000.0, 1000.0], [1100.0, 1000.0], [1100.0, 1100.0]];
        let mut watch = LaneWatch::new(LaneWatchConfig::new(outside)).expect("valid settings");
        let error = watch.observe(&RgbImage::new(W, H)).unwrap_err();
        assert!(
            matches!(error, LaneWatchError::RegionOutsideFrame { .. }),
            "{error}"
        );
    }

    #[test]
    fn config_and_events_round_trip_through_json() {
        let config = LaneWatchConfig::new(region());
        let json = serde_json::to_string(&config).expect("serialises");
        assert_eq!(
            serde_json::from_str::<LaneWatchConfig>(&json).expect("parses"),
            config
        );

        let event = LaneWatchEvent::Blocked {
            area_fraction: 0.5,
            bbox: PixelBox {
                x: 1,
                y: 2,
                width: 3,
                height: 4,
            },
        };
        let json = serde_json::to_string(&event).expect("serialises");
        assert!(json.contains("\"event\":\"blocked\""), "{json}");
        assert_eq!(
            serde_json::from_str::<LaneWatchEvent>(&json).expect("parses"),
            event
        );
    }
}

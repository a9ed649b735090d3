//! A lane camera end to end, without the network: synthetic frames of a lane go through a
//! `perception::LaneWatch`, its events travel as JSON (the shape they will have on Zenoh) into
//! `LaneSignal`s, and `LaneCameras` closes and re-opens the covered lanes of a real
//! `FleetCore` on the huu-nghi yard.

use std::sync::Arc;

use fleet::{FleetConfig, FleetCore};
use image::{Rgb, RgbImage};
use manager::{LaneCamera, LaneCameras, LaneSignal};
use maps::{LaneId, Yard};
use nalgebra::{Point2, Vector2};
use perception::{LaneWatch, LaneWatchConfig, LaneWatchEvent};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

const CAMERA: &str = "vn-lane-cam-1";

/// Where the lane is in the camera's image: a trapezoid, the far end (top) narrower.
const REGION_PX: [[f64; 2]; 4] = [[110.0, 20.0], [210.0, 20.0], [280.0, 235.0], [40.0, 235.0]];

/// A dark load on the lane: left, top, width, height in pixels.
const OBJECT_PX: (u32, u32, u32, u32) = (135, 130, 50, 36);

fn yard() -> Arc<Yard> {
    Arc::new(maps::yard_file::load_builtin("huu-nghi").expect("the built-in yard loads"))
}

/// The watched lane section and the camera's footprint on the ground: a 1 m by 4 m rectangle
/// across the middle of the first lane at least 4 m long.
fn watched_lane(yard: &Yard) -> (LaneId, LaneCamera) {
    let (lane, ends) = yard
        .lanes()
        .find(|(_, lane)| lane.length_m >= 4.0)
        .expect("a lane at least 4 m long");
    let from = yard.waypoint(ends.from).position;
    let to = yard.waypoint(ends.to).position;
    let middle = nalgebra::center(&from, &to);
    let along = (to - from).normalize() * 0.5;
    let across = Vector2::new(-along.y, along.x) * 4.0;
    let corner = |a: f64, b: f64| -> [f64; 2] {
        let p: Point2<f64> = middle + along * a + across * b;
        [p.x, p.y]
    };
    let camera = LaneCamera {
        id: CAMERA.into(),
        region_site: vec![
            corner(-1.0, -1.0),
            corner(1.0, -1.0),
            corner(1.0, 1.0),
            corner(-1.0, 1.0),
        ],
    };
    (lane, camera)
}

/// A 320x240 view of an asphalt lane: solid edge lines, a dashed centre line, seeded sensor
/// noise of +-10 per channel, and the object when there is one.
fn frame(with_object: bool, rng: &mut ChaCha8Rng) -> RgbImage {
    let (ox, oy, ow, oh) = OBJECT_PX;
    RgbImage::from_fn(320, 240, |x, y| {
        let edge = (40..46).contains(&x) || (274..280).contains(&x);
        let centre = (157..163).contains(&x) && (y / 24) % 2 == 0;
        let object = with_object && (ox..ox + ow).contains(&x) && (oy..oy + oh).contains(&y);
        let base: [f32; 3] = if object {
            [30.0, 32.0, 45.0]
        } else if edge || centre {
            [220.0, 220.0, 210.0]
        } else {
            [95.0, 97.0, 100.0]
        };
        Rgb(base.map(|channel| {
            let noisy = channel + rng.random_range(-10.0f32..=10.0);
            noisy.clamp(0.0, 255.0) as u8
        }))
    })
}

/// Feeds frames to the watch and its events to the cameras; returns the events.
fn run(
    frames: usize,
    with_object: bool,
    rng: &mut ChaCha8Rng,
    watch: &mut LaneWatch,
    cameras: &mut LaneCameras,
    core: &mut FleetCore,
) -> anyhow::Result<Vec<LaneWatchEvent>> {
    let mut events = Vec::new();
    for _ in 0..frames {
        let Some(event) = watch.observe(&frame(with_object, rng))? else {
            continue;
        };
        // through JSON, as the camera node will publish it
        let signal: LaneSignal = serde_json::from_value(serde_json::to_value(event)?)?;
        cameras.on_lane_event(core, CAMERA, signal)?;
        events.push(event);
    }
    Ok(events)
}

#[test]
fn object_in_the_lane_closes_it_and_removal_reopens_it() -> anyhow::Result<()> {
    let yard = yard();
    let mut core = FleetCore::new(Arc::clone(&yard), FleetConfig::default())?;
    let (lane, camera) = watched_lane(&yard);
    let mut cameras = LaneCameras::new();
    let covered = cameras.add(&yard, camera)?.to_vec();
    assert!(covered.contains(&lane), "{lane} not in {covered:?}");

    let mut watch = LaneWatch::new(LaneWatchConfig::new(REGION_PX.to_vec()))?;
    let mut rng = ChaCha8Rng::seed_from_u64(7);
    let closed = |core: &FleetCore| core.rules().closed_lanes().collect::<Vec<_>>();

    // an empty lane: the background is learnt, nothing happens
    let events = run(30, false, &mut rng, &mut watch, &mut cameras, &mut core)?;
    assert!(events.is_empty(), "{events:?}");
    assert!(closed(&core).is_empty());

    // an object stands in the lane: the covered lanes close, and only those
    let events = run(10, true, &mut rng, &mut watch, &mut cameras, &mut core)?;
    assert!(
        matches!(events.as_slice(), [LaneWatchEvent::Blocked { .. }]),
        "{events:?}"
    );
    assert_eq!(closed(&core), covered);
    assert!(core.rules().is_closed(lane));
    assert_eq!(cameras.held_by(CAMERA).collect::<Vec<_>>(), covered);

    // it stays closed while the object stays
    assert!(run(50, true, &mut rng, &mut watch, &mut cameras, &mut core)?.is_empty());
    assert!(core.rules().is_closed(lane));

    // the object is gone: the lanes open again
    let events = run(10, false, &mut rng, &mut watch, &mut cameras, &mut core)?;
    assert_eq!(events, vec![LaneWatchEvent::Cleared]);
    assert!(closed(&core).is_empty());
    assert_eq!(cameras.held_by(CAMERA).count(), 0);
    Ok(())
}

#[test]
fn camera_does_not_reopen_a_lane_an_operator_closed() -> anyhow::Result<()> {
    let yard = yard();
    let mut core = FleetCore::new(Arc::clone(&yard), FleetConfig::default())?;
    let (lane, camera) = watched_lane(&yard);
    let mut cameras = LaneCameras::new();
    let covered = cameras.add(&yard, camera)?.to_vec();
    let ends = yard.lane(lane);
    core.close_lane(ends.from, ends.to)?;

    let changed = cameras.on_lane_event(&mut core, CAMERA, LaneSignal::Blocked)?;
    assert!(!changed.contains(&lane));
    assert_eq!(closed_count(&core), covered.len());

    let reopened = cameras.on_lane_event(&mut core, CAMERA, LaneSignal::Cleared)?;
    assert_eq!(reopened, changed);
    assert!(
        core.rules().is_closed(lane),
        "the operator's closure was lifted"
    );
    assert_eq!(closed_count(&core), 1);
    Ok(())
}

#[test]
fn overlapping_cameras_reopen_when_both_are_clear() -> anyhow::Result<()> {
    let yard = yard();
    let mut core = FleetCore::new(Arc::clone(&yard), FleetConfig::default())?;
    let (lane, first) = watched_lane(&yard);
    let second = LaneCamera {
        id: "vn-lane-cam-2".into(),
        ..first.clone()
    };
    let mut cameras = LaneCameras::new();
    cameras.add(&yard, first)?;
    cameras.add(&yard, second)?;

    cameras.on_lane_event(&mut core, CAMERA, LaneSignal::Blocked)?;
    cameras.on_lane_event(&mut core, "vn-lane-cam-2", LaneSignal::Blocked)?;
    cameras.on_lane_event(&mut core, CAMERA, LaneSignal::Cleared)?;
    assert!(
        core.rules().is_closed(lane),
        "the second camera still sees an object"
    );
    cameras.on_lane_event(&mut core, "vn-lane-cam-2", LaneSignal::Cleared)?;
    assert!(!core.rules().is_closed(lane));
    Ok(())
}

#[test]
fn unknown_and_blind_cameras_are_refused() {
    let yard = yard();
    let mut core = FleetCore::new(Arc::clone(&yard), FleetConfig::default()).expect("core");
    let mut cameras = LaneCameras::new();
    let blind = LaneCamera {
        id: "sky".into(),
        region_site: vec![[1e6, 1e6], [1e6 + 1.0, 1e6], [1e6, 1e6 + 1.0]],
    };
    assert!(matches!(
        cameras.add(&yard, blind),
        Err(manager::CameraError::CoversNoLane { .. })
    ));
    assert!(matches!(
        cameras.on_lane_event(&mut core, "sky", LaneSignal::Blocked),
        Err(manager::CameraError::UnknownCamera { .. })
    ));
}

fn closed_count(core: &FleetCore) -> usize {
    core.rules().closed_lanes().count()
}

//! Lane cameras: fixed cameras over lanes whose obstacle reports close the lanes their view
//! covers, and re-open them once clear.
//!
//! A [`LaneCamera`] is registered with the part of the site its lane watch looks at, as a
//! polygon in site metres; [`LaneCameras::add`] finds once which lanes that polygon covers
//! ([`maps::Yard::lanes_crossing`], both directions of a section). On
//! [`LaneSignal::Blocked`] the registry closes them in the core, on [`LaneSignal::Cleared`] it
//! opens them again.
//!
//! Closures are owned: a lane that was closed when a camera raised `Blocked`, and that no
//! camera holds, was closed by an operator and is left alone, so a camera never re-opens it.
//! When the views of two cameras overlap, a shared lane stays closed until both are clear.
//!
//! [`LaneSignal`] has the wire shape of `perception::LaneWatchEvent` (`{"event":"blocked",
//! ...}`), of which it keeps only the state: the manager needs no more, and so does not depend
//! on the perception crate and its ONNX Runtime.
//!
//! # Limitations
//! The core does not record who closed a lane. An operator who closes a lane that a camera
//! holds closed already will see it re-opened when the camera clears; fixing that needs an
//! owner per closure in `fleet::TrafficRules`.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use fleet::{FleetCore, FleetError};
use maps::{LaneId, Yard};
use nalgebra::Point2;
use serde::{Deserialize, Serialize};

/// A fixed camera watching lanes.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LaneCamera {
    /// Unique name, e.g. `vn-gate-cam-2`.
    pub id: String,
    /// What its lane watch region covers on the ground: a convex or simple polygon in the site
    /// frame, metres.
    pub region_site: Vec<[f64; 2]>,
}

/// What a lane camera reports: the state changes of its lane watch.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum LaneSignal {
    /// Something stands in the camera's view of the lanes.
    Blocked,
    /// The view is clear again.
    Cleared,
}

/// A camera that cannot be registered, or a report that cannot be applied.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CameraError {
    /// No camera of this id is registered.
    #[error("lane camera {camera} is not registered")]
    UnknownCamera {
        /// The camera.
        camera: String,
    },
    /// A camera of this id is registered already.
    #[error("lane camera {camera} is registered already")]
    DuplicateCamera {
        /// The camera.
        camera: String,
    },
    /// The camera's region covers no lane of the yard (or has fewer than three corners).
    #[error("lane camera {camera} covers no lane of the yard")]
    CoversNoLane {
        /// The camera.
        camera: String,
    },
    /// The core refused to close or open a lane.
    #[error("lane camera {camera} could not change {lane}")]
    Core {
        /// The camera.
        camera: String,
        /// The lane.
        lane: LaneId,
        /// Why the core refused.
        #[source]
        source: FleetError,
    },
}

/// A registered camera: the lanes it covers and those it holds closed now.
#[derive(Debug)]
struct Watched {
    covers: Vec<LaneId>,
    holds: BTreeSet<LaneId>,
}

/// The lane cameras of a site and the closures they hold.
#[derive(Debug, Default)]
pub struct LaneCameras {
    cameras: BTreeMap<String, Watched>,
}

impl LaneCameras {
    /// No cameras.
    pub fn new() -> Self {
        Self::default()
    }

    /// Registers a camera; returns the lanes its region covers, in id order.
    ///
    /// # Errors
    /// [`CameraError::DuplicateCamera`] for an id in use, [`CameraError::CoversNoLane`] for
    /// a region that covers no lane.
    pub fn add(&mut self, yard: &Yard, camera: LaneCamera) -> Result<&[LaneId], CameraError> {
        if self.cameras.contains_key(&camera.id) {
            return Err(CameraError::DuplicateCamera { camera: camera.id });
        }
        let polygon: Vec<Point2<f64>> = camera
            .region_site
            .iter()
            .map(|&[x, y]| Point2::new(x, y))
            .collect();
        let covers = yard.lanes_crossing(&polygon);
        if covers.is_empty() {
            return Err(CameraError::CoversNoLane { camera: camera.id });
        }
        tracing::debug!(camera = %camera.id, lanes = covers.len(), "lane camera registered");
        let watched = Watched {
            covers,
            holds: BTreeSet::new(),
        };
        Ok(&self.cameras.entry(camera.id).or_insert(watched).covers)
    }

    /// The lanes a camera covers, in id order.
    pub fn covered(&self, camera: &str) -> Option<&[LaneId]> {
        self.cameras.get(camera).map(|w| w.covers.as_slice())
    }

    /// The lanes a camera holds closed now, in id order.
    pub fn held_by(&self, camera: &str) -> impl Iterator<Item = LaneId> + '_ {
        self.cameras
            .get(camera)
            .into_iter()
            .flat_map(|w| w.holds.iter().copied())
    }

    /// Applies a camera's report to the core: closes the lanes it covers on
    /// [`LaneSignal::Blocked`], re-opens those it closed on [`LaneSignal::Cleared`]. Returns
    /// the lanes whose state changed in the core, in id order.
    ///
    /// # Errors
    /// [`CameraError::UnknownCamera`], or [`CameraError::Core`] when the core refuses a lane
    /// (it cannot, for lanes of its own yard; the lanes changed before stay changed).
    pub fn on_lane_event(
        &mut self,
        core: &mut FleetCore,
        camera: &str,
        signal: LaneSignal,
    ) -> Result<Vec<LaneId>, CameraError> {
        let held_elsewhere: BTreeSet<LaneId> = self
            .cameras
            .iter()
            .filter(|(id, _)| id.as_str() != camera)
            .flat_map(|(_, w)| w.holds.iter().copied())
            .collect();
        let watched = self
            .cameras
            .get_mut(camera)
            .ok_or_else(|| CameraError::UnknownCamera {
                camera: camera.to_owned(),
            })?;
        match signal {
            LaneSignal::Blocked => close_covered(core, camera, watched, &held_elsewhere),
            LaneSignal::Cleared => open_held(core, camera, watched, &held_elsewhere),
        }
    }
}

/// Closes every covered lane that is open, and takes a share of those another camera holds.
fn close_covered(
    core: &mut FleetCore,
    camera: &str,
    watched: &mut Watched,
    held_elsewhere: &BTreeSet<LaneId>,
) -> Result<Vec<LaneId>, CameraError> {
    let yard = Arc::clone(core.yard());
    let mut closed = Vec::new();
    for &lane in &watched.covers {
        if watched.holds.contains(&lane) {
            continue;
        }
        if core.rules().is_closed(lane) && !held_elsewhere.contains(&lane) {
            tracing::debug!(camera, %lane, "lane closed by an operator, not taken over");
            continue;
        }
        if !core.rules().is_closed(lane) {
            change(core, &yard, camera, lane, FleetCore::close_lane)?;
            closed.push(lane);
        }
        watched.holds.insert(lane);
    }
    if !closed.is_empty() {
        tracing::info!(camera, lanes = ?closed, "lanes closed by a lane camera");
    }
    Ok(closed)
}

/// Opens the lanes this camera holds that no other camera holds too.
fn open_held(
    core: &mut FleetCore,
    camera: &str,
    watched: &mut Watched,
    held_elsewhere: &BTreeSet<LaneId>,
) -> Result<Vec<LaneId>, CameraError> {
    let yard = Arc::clone(core.yard());
    let mut opened = Vec::new();
    for lane in std::mem::take(&mut watched.holds) {
        if held_elsewhere.contains(&lane) {
            tracing::debug!(camera, %lane, "lane still held closed by another camera");
            continue;
        }
        change(core, &yard, camera, lane, FleetCore::open_lane)?;
        opened.push(lane);
    }
    if !opened.is_empty() {
        tracing::info!(camera, lanes = ?opened, "lanes re-opened by a lane camera");
    }
    Ok(opened)
}

type LaneChange =
    fn(&mut FleetCore, maps::WaypointId, maps::WaypointId) -> Result<LaneId, FleetError>;

fn change(
    core: &mut FleetCore,
    yard: &Yard,
    camera: &str,
    lane: LaneId,
    apply: LaneChange,
) -> Result<(), CameraError> {
    let ends = yard.lane(lane);
    apply(core, ends.from, ends.to)
        .map(|_| ())
        .map_err(|source| CameraError::Core {
            camera: camera.to_owned(),
            lane,
            source,
        })
}

//! AGV bodies: where each vehicle is, how it moves along a lane, and its battery.
//!
//! A body drives one lane at a time at the lesser of its own top speed (loaded or empty) and
//! the lane's limit. While it drives it holds both ends of the lane; it reports like a VDA
//! 5050 vehicle: last node reached, node it drives to, battery, load, action state.
//! Acceleration is not modelled: a body runs each lane at constant speed. A halted body (paused
//! by the core's emergency stop, stalled or broken down) stands where it is, even mid-lane.
//!
//! # Units and frames
//! Poses are `nalgebra::Isometry2` in the site frame, heading along the direction of travel.

use fleet::{ActionState, ActionStatus, AgvId, ContainerId, VehicleReport};
use maps::{WaypointId, Yard};
use nalgebra::{Isometry2, Vector2};

use crate::config::AgvTraits;

/// A lane being driven.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Drive {
    /// Where the lane ends.
    pub to: WaypointId,
    /// Lane length, metres.
    pub length_m: f64,
    /// Metres driven so far.
    pub done_m: f64,
    /// Speed on this lane, m/s.
    pub speed_mps: f64,
}

/// Why a drive command was not carried out.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DriveRefused {
    /// The vehicle is already driving.
    #[error("already driving")]
    Busy,
    /// The vehicle is running an action.
    #[error("running an action")]
    InAction,
    /// There is no lane from here to there.
    #[error("no lane from {from} to {to}")]
    NoLane {
        /// Where the vehicle stands.
        from: WaypointId,
        /// Where it was sent.
        to: WaypointId,
    },
}

/// One simulated AGV.
#[derive(Clone, Debug)]
pub struct AgvBody {
    /// Its fleet id.
    pub id: AgvId,
    /// The last waypoint reached.
    pub at: WaypointId,
    /// The lane being driven, if any.
    pub drive: Option<Drive>,
    /// The waypoint to drive on to from the end of the current lane, without stopping.
    pub queued: Option<WaypointId>,
    /// The speed limit the core gave with the queued waypoint, m/s.
    pub queued_max_speed_mps: f64,
    /// Standing still wherever it is, even mid-lane: paused, stalled or broken down.
    pub halted: bool,
    /// Heading, radians: along the last lane driven.
    pub heading: f64,
    /// State of charge, 0 to 1.
    pub battery: f64,
    /// The container on board.
    pub load: Option<ContainerId>,
    /// The last action started at `at`, and its state.
    pub action: Option<ActionState>,
    /// Metres driven with a container.
    pub loaded_m: f64,
    /// Metres driven empty.
    pub empty_m: f64,
}

impl AgvBody {
    /// A body standing at a waypoint, facing along its first outgoing lane.
    pub fn new(id: AgvId, at: WaypointId, battery: f64, yard: &Yard) -> Self {
        let heading = yard
            .lanes_from(at)
            .next()
            .map_or(0.0, |(_, lane)| lane_heading(yard, lane.from, lane.to));
        Self {
            id,
            at,
            drive: None,
            queued: None,
            queued_max_speed_mps: f64::INFINITY,
            halted: false,
            heading,
            battery,
            load: None,
            action: None,
            loaded_m: 0.0,
            empty_m: 0.0,
        }
    }

    /// What the vehicle tells the core.
    pub fn report(&self) -> VehicleReport {
        VehicleReport {
            agv: self.id,
            at: self.at,
            driving_to: self.drive.map(|d| d.to),
            then_to: self.queued,
            distance_since_last_node_m: self.drive.map_or(0.0, |d| d.done_m),
            battery: self.battery,
            load: self.load,
            action: self.action,
        }
    }

    /// Whether an action is waiting or running.
    pub fn is_in_action(&self) -> bool {
        self.action
            .is_some_and(|a| matches!(a.status, ActionStatus::Waiting | ActionStatus::Running))
    }

    /// Starts driving to an adjacent waypoint or, while driving, queues the waypoint after the
    /// end of the current lane. The caller checks that `to` is free.
    ///
    /// # Errors
    /// [`DriveRefused`] when a next waypoint is already queued, when in action, or when no
    /// lane leads there.
    pub fn start_drive(
        &mut self,
        to: WaypointId,
        max_speed_mps: f64,
        yard: &Yard,
        traits: &AgvTraits,
    ) -> Result<(), DriveRefused> {
        if let Some(drive) = self.drive {
            if self.queued.is_some() {
                return Err(DriveRefused::Busy);
            }
            yard.lane_between(drive.to, to)
                .ok_or(DriveRefused::NoLane { from: drive.to, to })?;
            self.queued = Some(to);
            self.queued_max_speed_mps = max_speed_mps;
            return Ok(());
        }
        if self.is_in_action() {
            return Err(DriveRefused::InAction);
        }
        self.begin(to, max_speed_mps, yard, traits)
    }

    fn begin(
        &mut self,
        to: WaypointId,
        max_speed_mps: f64,
        yard: &Yard,
        traits: &AgvTraits,
    ) -> Result<(), DriveRefused> {
        let lane = yard
            .lane_between(self.at, to)
            .map(|id| yard.lane(id))
            .ok_or(DriveRefused::NoLane { from: self.at, to })?;
        let top = if self.load.is_some() {
            traits.loaded_speed_mps
        } else {
            traits.empty_speed_mps
        };
        self.drive = Some(Drive {
            to,
            length_m: lane.length_m,
            done_m: 0.0,
            speed_mps: top.min(lane.speed_limit_mps).min(max_speed_mps),
        });
        self.heading = lane_heading(yard, self.at, to);
        self.action = None;
        Ok(())
    }

    /// Advances the body by `dt_s`; returns the waypoints reached, in order (more than one
    /// when it drove on to a queued waypoint and reached that too).
    pub fn advance(&mut self, dt_s: f64, yard: &Yard, traits: &AgvTraits) -> Vec<WaypointId> {
        let drain_per_s = 1.0 / (traits.battery_hours * 3600.0);
        let mut reached = Vec::new();
        let mut left_s = dt_s;
        let halted = self.halted;
        while left_s > 1e-9 {
            let Some(drive) = self.drive.as_mut().filter(|_| !halted) else {
                let standing = drain_per_s * traits.standing_drain_share * left_s;
                self.battery = (self.battery - standing).max(0.0);
                break;
            };
            let step_m = (drive.speed_mps * left_s).min(drive.length_m - drive.done_m);
            let used_s = step_m / drive.speed_mps;
            drive.done_m += step_m;
            left_s -= used_s;
            if self.load.is_some() {
                self.loaded_m += step_m;
            } else {
                self.empty_m += step_m;
            }
            self.battery = (self.battery - drain_per_s * used_s).max(0.0);
            if drive.done_m + 1e-9 < drive.length_m {
                break;
            }
            self.at = drive.to;
            self.drive = None;
            reached.push(self.at);
            if let Some(next) = self.queued.take() {
                // the lane was checked when the waypoint was queued
                let max_speed_mps = self.queued_max_speed_mps;
                if self.begin(next, max_speed_mps, yard, traits).is_err() {
                    break;
                }
            }
        }
        reached
    }

    /// Where the body is: on its lane in proportion to the distance driven, or at `at`.
    pub fn pose(&self, yard: &Yard) -> Isometry2<f64> {
        let from = yard.waypoint(self.at).position;
        let position = match self.drive {
            Some(drive) => {
                let to = yard.waypoint(drive.to).position;
                from + (to - from) * (drive.done_m / drive.length_m)
            }
            None => from,
        };
        Isometry2::new(Vector2::new(position.x, position.y), self.heading)
    }
}

fn lane_heading(yard: &Yard, from: WaypointId, to: WaypointId) -> f64 {
    let d = yard.waypoint(to).position - yard.waypoint(from).position;
    d.y.atan2(d.x)
}

//! Components of an AGV entity: who it is, what it last reported, what it is doing for us.

use std::collections::VecDeque;

use bevy_ecs::prelude::Component;
use maps::WaypointId;

use crate::ids::{ActionId, AgvId, MissionId};
use crate::link::{Action, VehicleReport};

/// Identity of an AGV entity.
#[derive(Component, Clone, Copy, Debug)]
pub struct Agv {
    /// Its fleet id.
    pub id: AgvId,
    /// Its row in the planner's agent order; stable for the life of the core.
    pub(crate) rank: usize,
}

/// What the vehicle last reported.
#[derive(Component, Clone, Copy, Debug)]
pub struct Reported(pub VehicleReport);

impl Reported {
    /// The last waypoint released to the vehicle: where it goes after its current lane, else
    /// where it drives to, else where it is.
    pub fn position(&self) -> WaypointId {
        self.0.then_to.or(self.0.driving_to).unwrap_or(self.0.at)
    }

    /// Whether the vehicle stands still at a waypoint.
    pub fn is_standing(&self) -> bool {
        self.0.driving_to.is_none()
    }
}

/// Whether the vehicle is held where it is: paused by the core for an emergency stop
/// (VDA 5050 `startPause`), or out of reach because its connection broke.
#[derive(Component, Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Halt {
    /// Paused now: it gets no move and no action until resumed.
    pub paused: bool,
    /// Its connection broke (VDA 5050 `CONNECTIONBROKEN`): where it is and what it was
    /// released stay reserved, it gets no move, action or mission until it is back.
    pub lost: bool,
}

impl Halt {
    /// Whether the vehicle must be left where it is: paused or lost.
    pub fn holds_still(&self) -> bool {
        self.paused || self.lost
    }
}

/// Why an AGV is doing what it does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Purpose {
    /// Nothing to do and nowhere to go.
    Idle,
    /// Carrying out a mission.
    Mission(MissionId),
    /// Going to, or at, a battery swap.
    Swap,
    /// Going to, or standing in, this parking slot.
    Park(WaypointId),
}

/// One leg of work: reach a waypoint, then run an action there if one is given.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Step {
    /// Where to go.
    pub goal: WaypointId,
    /// What to do on arrival.
    pub action: Option<Action>,
}

/// Since when an AGV has stood at the same waypoint without running an action.
#[derive(Component, Clone, Copy, Debug, PartialEq)]
pub struct Standstill {
    /// The waypoint.
    pub at: WaypointId,
    /// Core time it began, seconds.
    pub since_s: f64,
}

impl Standstill {
    /// Moves the record on: a new waypoint, a move or an action restarts it.
    pub fn update(&mut self, reported: &Reported, in_action: bool, now_s: f64) {
        if !reported.is_standing() || in_action || reported.0.at != self.at {
            *self = Self {
                at: reported.0.at,
                since_s: now_s,
            };
        }
    }

    /// Seconds stood still.
    pub fn seconds(&self, now_s: f64) -> f64 {
        now_s - self.since_s
    }
}

/// The work the core gave an AGV.
#[derive(Component, Clone, Debug)]
pub struct Work {
    /// Why.
    pub purpose: Purpose,
    /// Legs still to do, the current one first.
    pub steps: VecDeque<Step>,
    /// The id of the current leg's action, once it was sent to the vehicle.
    pub action_sent: Option<ActionId>,
    /// A mission chained after this work: it starts as soon as the last leg is done.
    pub next: Option<(MissionId, Vec<Step>)>,
}

impl Work {
    /// No work.
    pub fn idle() -> Self {
        Self {
            purpose: Purpose::Idle,
            steps: VecDeque::new(),
            action_sent: None,
            next: None,
        }
    }

    /// New work of a purpose.
    pub fn new(purpose: Purpose, steps: impl IntoIterator<Item = Step>) -> Self {
        Self {
            purpose,
            steps: steps.into_iter().collect(),
            action_sent: None,
            next: None,
        }
    }

    /// Where the planner should take the AGV now.
    pub fn goal(&self) -> Option<WaypointId> {
        match (self.steps.front(), self.purpose) {
            (Some(step), _) => Some(step.goal),
            (None, Purpose::Park(slot)) => Some(slot),
            (None, _) => None,
        }
    }

    /// Whether the AGV may take a new mission.
    pub fn is_available(&self) -> bool {
        matches!(self.purpose, Purpose::Idle | Purpose::Park(_))
    }
}

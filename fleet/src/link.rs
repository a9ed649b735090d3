//! What passes between the core and its vehicles, and what the core tells the world.
//!
//! The messages follow VDA 5050 in spirit: the core sends a vehicle the next node to drive to
//! (an order extended one node at a time, so that what is released is exactly what is
//! reserved) and the actions to run at a node; the vehicle reports where it is, where it is
//! driving, its battery, its load and the state of its current action. The JSON wire format
//! and the Zenoh transport come later; the in-process simulator uses these types directly.

use maps::WaypointId;
use serde::{Deserialize, Serialize};

use crate::ids::{ActionId, AgvId, ContainerId, MissionId};

/// An action an AGV runs at a waypoint.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Action {
    /// Be loaded with a container by the crane of this crane slot.
    Pick {
        /// The container.
        container: ContainerId,
    },
    /// Have the carried container lifted off by the crane of this crane slot.
    Drop {
        /// The container.
        container: ContainerId,
    },
    /// Stop at a gate booth for the customs check of the carried container.
    GateCheck,
    /// Stop at the km 0 line for the border check.
    BorderCheck,
    /// Exchange the battery pack at a swap station.
    BatterySwap,
}

/// How far an action has got, as the vehicle reports it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ActionStatus {
    /// Accepted, waiting for a resource (the crane is busy).
    Waiting,
    /// Under way.
    Running,
    /// Done.
    Finished,
    /// Could not be done; the core must decide what next.
    Failed,
}

/// The state of one action, as the vehicle reports it (VDA 5050 `actionState`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActionState {
    /// The id the core gave the action.
    pub id: ActionId,
    /// The action.
    pub action: Action,
    /// How far it has got.
    pub status: ActionStatus,
}

/// A vehicle's state, as it reports it.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct VehicleReport {
    /// Who reports.
    pub agv: AgvId,
    /// The last waypoint reached (VDA 5050 `lastNodeId`).
    pub at: WaypointId,
    /// The waypoint it is driving to, if it is driving.
    pub driving_to: Option<WaypointId>,
    /// The waypoint it will drive to next without stopping, if one was released to it.
    pub then_to: Option<WaypointId>,
    /// Metres driven since `at` (VDA 5050 `distanceSinceLastNode`).
    pub distance_since_last_node_m: f64,
    /// State of charge, 0 to 1.
    pub battery: f64,
    /// The container on board.
    pub load: Option<ContainerId>,
    /// The last action started at `at`, if any, and how far it has got.
    pub action: Option<ActionState>,
}

impl VehicleReport {
    /// The report of an empty vehicle standing at a waypoint with nothing under way.
    pub fn standing(agv: AgvId, at: WaypointId, battery: f64) -> Self {
        Self {
            agv,
            at,
            driving_to: None,
            then_to: None,
            distance_since_last_node_m: 0.0,
            battery,
            load: None,
            action: None,
        }
    }
}

/// A command from the core to one vehicle.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub enum VehicleCommand {
    /// Drive along the lane from where the vehicle stands to `to`, or, when it is about to
    /// reach the end of its lane, from there on to `to` without stopping. The core sends it
    /// only when `to` is free and reserved for this vehicle.
    Drive {
        /// The vehicle.
        agv: AgvId,
        /// The next waypoint, adjacent to where the vehicle stands.
        to: WaypointId,
        /// The highest speed allowed on the lane now, m/s (VDA 5050 `maxSpeed` of the
        /// edge): the yard's limit capped by the operator's speed rules.
        max_speed_mps: f64,
    },
    /// Stop where you are, even mid-lane, and hold still until resumed (VDA 5050 instant
    /// action `startPause`).
    Pause {
        /// The vehicle.
        agv: AgvId,
    },
    /// Carry on after a pause (VDA 5050 instant action `stopPause`).
    Resume {
        /// The vehicle.
        agv: AgvId,
    },
    /// Run an action where the vehicle stands.
    StartAction {
        /// The vehicle.
        agv: AgvId,
        /// The id the vehicle reports the action's state under.
        id: ActionId,
        /// The action.
        action: Action,
    },
}

/// A fact the core reports to the world (operators, the simulator's books).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub enum FleetEvent {
    /// A mission got an AGV.
    MissionAssigned {
        /// The mission.
        mission: MissionId,
        /// The AGV.
        agv: AgvId,
    },
    /// A container is on its AGV.
    ContainerLoaded {
        /// The mission.
        mission: MissionId,
    },
    /// A container reached the other side and is off its AGV.
    MissionCompleted {
        /// The mission.
        mission: MissionId,
        /// The container.
        container: ContainerId,
    },
    /// An action failed and the AGV's work was dropped.
    ActionFailed {
        /// The AGV.
        agv: AgvId,
        /// The action.
        action: Action,
    },
}

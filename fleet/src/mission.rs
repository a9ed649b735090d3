//! Missions: container moves across the border, and the book that keeps them.

use std::collections::{BTreeMap, VecDeque};

use bevy_ecs::prelude::Resource;
use maps::Side;
use serde::{Deserialize, Serialize};

use crate::ids::{AgvId, ContainerId, MissionId};

/// Which way a container crosses.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    /// Vietnam to China.
    Export,
    /// China to Vietnam.
    Import,
}

impl Direction {
    /// The side a container of this direction starts on.
    pub fn origin(self) -> Side {
        match self {
            Direction::Export => Side::Vn,
            Direction::Import => Side::Cn,
        }
    }

    /// The side it ends on.
    pub fn destination(self) -> Side {
        self.origin().other()
    }
}

/// What an operator or the yard system asks: move this container across.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct MoveRequest {
    /// The container, ready in the stack of its origin side.
    pub container: ContainerId,
    /// Which way it crosses.
    pub direction: Direction,
    /// Refrigerated: goes first.
    pub reefer: bool,
    /// What customs said so far; the container crosses only once it is
    /// [`Clearance::Released`].
    pub customs: Clearance,
}

/// Where a container stands with customs. Only a released container is given to an AGV.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Clearance {
    /// Declared; customs has not decided yet.
    Awaiting,
    /// Diverted to an inspection bay (scanner, opening, quarantine sampling).
    Inspection,
    /// Held, e.g. for a laboratory re-test; usually a day or more.
    Held,
    /// Free to cross.
    Released,
}

impl Clearance {
    /// How operators read it.
    pub fn as_str(self) -> &'static str {
        match self {
            Clearance::Awaiting => "awaiting customs",
            Clearance::Inspection => "at inspection",
            Clearance::Held => "held by customs",
            Clearance::Released => "released",
        }
    }
}

/// Where a mission stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum MissionState {
    /// Waiting for an AGV.
    Queued,
    /// An AGV is on its way to the crane.
    Assigned,
    /// The container is on the AGV, crossing.
    Underway,
    /// The container is off the AGV at the destination crane.
    Done,
}

/// A container move and its progress.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Mission {
    /// Its id.
    pub id: MissionId,
    /// What was asked.
    pub request: MoveRequest,
    /// Where it stands.
    pub state: MissionState,
    /// The AGV doing it.
    pub agv: Option<AgvId>,
    /// Core time when accepted, seconds.
    pub accepted_s: f64,
    /// Where it stands with customs.
    pub clearance: Clearance,
}

impl Mission {
    /// What an operator sees: the customs state while the container may not cross, then
    /// the progress of the move.
    pub fn stage(&self) -> &'static str {
        match (self.state, self.clearance) {
            (MissionState::Queued, clearance) if clearance != Clearance::Released => {
                clearance.as_str()
            }
            (MissionState::Queued, _) => "queued",
            (MissionState::Assigned, _) => "assigned",
            (MissionState::Underway, _) => "underway",
            (MissionState::Done, _) => "done",
        }
    }

    /// Whether it waits for an AGV and may be given one.
    pub fn is_dispatchable(&self) -> bool {
        self.state == MissionState::Queued && self.clearance == Clearance::Released
    }
}

/// The index of a reefer's destination side in the per-side counts.
fn side_index(direction: Direction) -> usize {
    crate::plugs::index(direction.destination())
}

/// All missions, and the queue of those waiting for an AGV.
#[derive(Resource, Debug, Default)]
pub struct MissionBook {
    missions: BTreeMap<MissionId, Mission>,
    queue: VecDeque<MissionId>,
    /// The open mission of each container not yet delivered.
    open: BTreeMap<ContainerId, MissionId>,
    /// Reefers assigned or underway, by destination side (Vietnam, China).
    reefers_bound: [usize; 2],
    next_id: u64,
}

impl MissionBook {
    /// Accepts a request; the mission joins the queue (reefers ahead of dry boxes).
    pub fn accept(&mut self, request: MoveRequest, now_s: f64) -> MissionId {
        let id = MissionId(self.next_id);
        self.next_id += 1;
        let mission = Mission {
            id,
            request,
            state: MissionState::Queued,
            agv: None,
            accepted_s: now_s,
            clearance: request.customs,
        };
        self.missions.insert(id, mission);
        self.open.insert(request.container, id);
        // reefers overtake dry containers but not each other
        let position = if request.reefer {
            self.queue
                .iter()
                .position(|m| !self.missions[m].request.reefer)
                .unwrap_or(self.queue.len())
        } else {
            self.queue.len()
        };
        self.queue.insert(position, id);
        id
    }

    /// A mission by id.
    pub fn get(&self, id: MissionId) -> Option<&Mission> {
        self.missions.get(&id)
    }

    /// All missions in id order.
    pub fn iter(&self) -> impl Iterator<Item = &Mission> + '_ {
        self.missions.values()
    }

    /// Missions not yet given to an AGV, in dispatch order, whatever customs said.
    pub fn queued(&self) -> impl Iterator<Item = &Mission> + '_ {
        self.queue.iter().map(|id| &self.missions[id])
    }

    /// Missions released by customs and waiting for an AGV, in dispatch order.
    pub fn dispatchable(&self) -> impl Iterator<Item = &Mission> + '_ {
        self.queued().filter(|m| m.is_dispatchable())
    }

    /// The open (not done) mission of a container.
    pub fn open_mission_of(&self, container: ContainerId) -> Option<&Mission> {
        self.open.get(&container).map(|id| &self.missions[id])
    }

    /// Records a customs decision on a mission.
    pub(crate) fn set_clearance(&mut self, id: MissionId, clearance: Clearance) {
        if let Some(mission) = self.missions.get_mut(&id) {
            mission.clearance = clearance;
        }
    }

    /// Gives a queued mission to an AGV.
    pub(crate) fn assign(&mut self, id: MissionId, agv: AgvId) {
        self.queue.retain(|m| *m != id);
        if let Some(mission) = self.missions.get_mut(&id) {
            mission.state = MissionState::Assigned;
            mission.agv = Some(agv);
            if mission.request.reefer {
                self.reefers_bound[side_index(mission.request.direction)] += 1;
            }
        }
    }

    /// Reefers assigned or underway to a side.
    pub fn reefers_bound_for(&self, side: maps::Side) -> usize {
        self.reefers_bound[crate::plugs::index(side)]
    }

    /// Moves a mission on.
    pub(crate) fn set_state(&mut self, id: MissionId, state: MissionState) {
        if let Some(mission) = self.missions.get_mut(&id) {
            let was_bound = matches!(
                mission.state,
                MissionState::Assigned | MissionState::Underway
            );
            mission.state = state;
            if state == MissionState::Done {
                self.open.remove(&mission.request.container);
                if was_bound && mission.request.reefer {
                    self.reefers_bound[side_index(mission.request.direction)] -= 1;
                }
            }
        }
    }

    /// Puts an assigned mission back at the head of the queue (its AGV dropped it).
    pub(crate) fn requeue(&mut self, id: MissionId) {
        if let Some(mission) = self.missions.get_mut(&id) {
            let bound = matches!(
                mission.state,
                MissionState::Assigned | MissionState::Underway
            );
            if mission.request.reefer && bound {
                self.reefers_bound[side_index(mission.request.direction)] -= 1;
            }
            mission.state = MissionState::Queued;
            mission.agv = None;
            self.queue.push_front(id);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(container: u64, reefer: bool) -> MoveRequest {
        MoveRequest {
            container: ContainerId(container),
            direction: Direction::Export,
            reefer,
            customs: Clearance::Released,
        }
    }

    #[test]
    fn reefers_overtake_dry_containers_in_order() {
        let mut book = MissionBook::default();
        book.accept(request(1, false), 0.0);
        book.accept(request(2, true), 1.0);
        book.accept(request(3, false), 2.0);
        book.accept(request(4, true), 3.0);
        let order: Vec<u64> = book.queued().map(|m| m.request.container.0).collect();
        assert_eq!(order, vec![2, 4, 1, 3]);
    }
}

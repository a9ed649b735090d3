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
}

/// All missions, and the queue of those waiting for an AGV.
#[derive(Resource, Debug, Default)]
pub struct MissionBook {
    missions: BTreeMap<MissionId, Mission>,
    queue: VecDeque<MissionId>,
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
        };
        self.missions.insert(id, mission);
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

    /// Missions waiting for an AGV, in dispatch order.
    pub fn queued(&self) -> impl Iterator<Item = &Mission> + '_ {
        self.queue.iter().map(|id| &self.missions[id])
    }

    /// Gives a queued mission to an AGV.
    pub(crate) fn assign(&mut self, id: MissionId, agv: AgvId) {
        self.queue.retain(|m| *m != id);
        if let Some(mission) = self.missions.get_mut(&id) {
            mission.state = MissionState::Assigned;
            mission.agv = Some(agv);
        }
    }

    /// Moves a mission on.
    pub(crate) fn set_state(&mut self, id: MissionId, state: MissionState) {
        if let Some(mission) = self.missions.get_mut(&id) {
            mission.state = state;
        }
    }

    /// Puts an assigned mission back at the head of the queue (its AGV dropped it).
    pub(crate) fn requeue(&mut self, id: MissionId) {
        if let Some(mission) = self.missions.get_mut(&id) {
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

//! Reefer plugs: a refrigerated container must stay powered, so it is delivered to a side only
//! when that side's yard has a plug free for it.
//!
//! A plug of a side is taken by every reefer delivered there until its truck collects it
//! ([`crate::FleetCore::collected`]), and booked by every reefer on its way there (its mission
//! assigned or underway). Dispatch gives a reefer mission an AGV only while its destination
//! has a plug neither taken nor booked, so no reefer ever waits unpowered at a crane. The
//! plugs of the origin yard, where reefers wait for release and an AGV, are the yard system's
//! (the simulator models the Vietnamese export yard's).

use std::collections::BTreeSet;

use bevy_ecs::prelude::Resource;
use maps::Side;

use crate::ids::ContainerId;
use crate::mission::MissionBook;

/// Plug capacity per side and the reefers that hold a plug now.
#[derive(Resource, Clone, Debug, Default)]
pub struct ReeferPlugs {
    capacity: [Option<usize>; 2],
    delivered: [BTreeSet<ContainerId>; 2],
}

pub(crate) fn index(side: Side) -> usize {
    match side {
        Side::Vn => 0,
        Side::Cn => 1,
    }
}

impl ReeferPlugs {
    /// Plugs of the Vietnamese and Chinese yards; `None` is without limit.
    pub fn new(capacity: [Option<usize>; 2]) -> Self {
        Self {
            capacity,
            delivered: Default::default(),
        }
    }

    /// Reefers delivered to a side and not collected yet.
    pub fn delivered(&self, side: Side) -> usize {
        self.delivered[index(side)].len()
    }

    /// A reefer was put down at a side's crane: it takes a plug.
    pub(crate) fn plug_in(&mut self, side: Side, container: ContainerId) {
        self.delivered[index(side)].insert(container);
    }

    /// A delivered reefer left the yard on its truck; returns whether it held a plug.
    pub(crate) fn unplug(&mut self, container: ContainerId) -> bool {
        self.delivered
            .iter_mut()
            .any(|delivered| delivered.remove(&container))
    }

    /// Plugs of a side neither taken nor booked by a reefer on its way; `usize::MAX` without
    /// a limit.
    pub fn free(&self, side: Side, book: &MissionBook) -> usize {
        let Some(capacity) = self.capacity[index(side)] else {
            return usize::MAX;
        };
        capacity.saturating_sub(self.delivered(side) + book.reefers_bound_for(side))
    }
}

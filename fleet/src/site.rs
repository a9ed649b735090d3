//! The named places of a border-lane yard that missions are built from.
//!
//! A yard file for gatefleet follows a naming convention for the places the core routes
//! through: gate booths `{side}-gate-{exp|imp}-{a|b|c...}` (`exp` is the Vietnam -> China
//! direction; booth `a` is required, the others are taken while the letters run on), km 0 checkpoints `km0-export` and `km0-import`; cranes, parking and swap
//! stations are found by kind and side. [`SiteLayout::from_yard`] checks that all are there.

use maps::{Side, WaypointId, WaypointKind, Yard};

use crate::mission::Direction;

/// Why a yard cannot be run as a border lane.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SiteError {
    /// A waypoint the convention requires is missing.
    #[error("yard `{yard}` has no waypoint `{name}`")]
    Missing {
        /// The yard.
        yard: String,
        /// The waypoint name.
        name: String,
    },
    /// A place the core routes through that AGVs cannot reach from the rest, or leave.
    #[error("yard `{yard}`: `{name}` cannot be reached from `{from}` and back")]
    Unreachable {
        /// The yard.
        yard: String,
        /// The place.
        name: String,
        /// The place it was checked against.
        from: String,
    },
    /// A side has none of a kind of place.
    #[error("yard `{yard}` has no {what} on the {side} side")]
    NoneOnSide {
        /// The yard.
        yard: String,
        /// What is missing.
        what: &'static str,
        /// The side.
        side: Side,
    },
}

/// Places per side and direction.
#[derive(bevy_ecs::prelude::Resource, Clone, Debug)]
pub struct SiteLayout {
    booths: [[Vec<WaypointId>; 2]; 2],
    checkpoints: [WaypointId; 2],
    crane_slots: [Vec<WaypointId>; 2],
    parking: [Vec<WaypointId>; 2],
    swap_stations: Vec<WaypointId>,
}

fn side_index(side: Side) -> usize {
    match side {
        Side::Vn => 0,
        Side::Cn => 1,
    }
}

fn direction_index(direction: Direction) -> usize {
    match direction {
        Direction::Export => 0,
        Direction::Import => 1,
    }
}

impl SiteLayout {
    /// Finds the places of a yard.
    ///
    /// # Errors
    /// [`SiteError`] naming the first missing place.
    pub fn from_yard(yard: &Yard) -> Result<Self, SiteError> {
        let find = |name: String| {
            yard.find(&name).ok_or(SiteError::Missing {
                yard: yard.name().to_owned(),
                name,
            })
        };
        let booths_of = |side: Side, direction: Direction| -> Result<Vec<WaypointId>, SiteError> {
            let dir = match direction {
                Direction::Export => "exp",
                Direction::Import => "imp",
            };
            // booth `a` must exist; `b`, `c`, ... are taken while they exist
            let first = find(format!("{side}-gate-{dir}-a"))?;
            let more = ('b'..='z').map_while(|l| yard.find(&format!("{side}-gate-{dir}-{l}")));
            Ok(std::iter::once(first).chain(more).collect())
        };
        let mut booths: [[Vec<WaypointId>; 2]; 2] = Default::default();
        for side in [Side::Vn, Side::Cn] {
            for direction in [Direction::Export, Direction::Import] {
                booths[side_index(side)][direction_index(direction)] = booths_of(side, direction)?;
            }
        }
        let checkpoints = [find("km0-export".into())?, find("km0-import".into())?];

        let of_kind = |kind: WaypointKind, side: Side, what: &'static str| {
            let found: Vec<WaypointId> = yard
                .waypoints_of(kind)
                .filter(|w| yard.waypoint(*w).side == side)
                .collect();
            if found.is_empty() {
                let yard = yard.name().to_owned();
                return Err(SiteError::NoneOnSide { yard, what, side });
            }
            Ok(found)
        };
        let crane_slots = [
            of_kind(WaypointKind::CraneSlot, Side::Vn, "crane slot")?,
            of_kind(WaypointKind::CraneSlot, Side::Cn, "crane slot")?,
        ];
        let parking = [
            of_kind(WaypointKind::Parking, Side::Vn, "parking")?,
            of_kind(WaypointKind::Parking, Side::Cn, "parking")?,
        ];
        let swap_stations: Vec<WaypointId> = yard.waypoints_of(WaypointKind::SwapStation).collect();
        if swap_stations.is_empty() {
            let yard = yard.name().to_owned();
            return Err(SiteError::NoneOnSide {
                yard,
                what: "swap station",
                side: Side::Vn,
            });
        }
        let site = Self {
            booths,
            checkpoints,
            crane_slots,
            parking,
            swap_stations,
        };
        site.check_connected(yard)?;
        Ok(site)
    }

    /// Every place must be reachable from every other: from the first booth and back to it.
    fn check_connected(&self, yard: &Yard) -> Result<(), SiteError> {
        let places: Vec<WaypointId> = self
            .booths
            .iter()
            .flatten()
            .flatten()
            .copied()
            .chain(self.checkpoints)
            .chain(self.crane_slots.iter().flatten().copied())
            .chain(self.parking.iter().flatten().copied())
            .chain(self.swap_stations.iter().copied())
            .collect();
        let origin = places[0];
        let onward = reachable_from(yard, origin);
        let graph = planner::Graph::from_yard(yard);
        let back = planner::DistanceTable::build(&graph, planner::VertexId(origin.0));
        for place in places {
            let index = place.0 as usize;
            if !onward[index] || !back.is_reachable_from(planner::VertexId(place.0)) {
                return Err(SiteError::Unreachable {
                    yard: yard.name().to_owned(),
                    name: yard.waypoint(place).name.clone(),
                    from: yard.waypoint(origin).name.clone(),
                });
            }
        }
        Ok(())
    }

    /// The gate booths a container passes when leaving or entering `side` in `direction`.
    pub fn booths(&self, side: Side, direction: Direction) -> &[WaypointId] {
        &self.booths[side_index(side)][direction_index(direction)]
    }

    /// The booths of the group `booth` belongs to (same side and direction), if it is one.
    pub fn booth_pair(&self, booth: WaypointId) -> Option<&[WaypointId]> {
        self.booths
            .iter()
            .flatten()
            .find(|pair| pair.contains(&booth))
            .map(Vec::as_slice)
    }

    /// The km 0 checkpoint of a direction.
    pub fn checkpoint(&self, direction: Direction) -> WaypointId {
        self.checkpoints[direction_index(direction)]
    }

    /// Crane slots of a side.
    pub fn crane_slots(&self, side: Side) -> &[WaypointId] {
        &self.crane_slots[side_index(side)]
    }

    /// Parking slots of a side.
    pub fn parking(&self, side: Side) -> &[WaypointId] {
        &self.parking[side_index(side)]
    }

    /// All battery swap stations.
    pub fn swap_stations(&self) -> &[WaypointId] {
        &self.swap_stations
    }
}

/// Waypoints that can be reached from `start` along lanes, by waypoint index.
fn reachable_from(yard: &Yard, start: WaypointId) -> Vec<bool> {
    let mut seen = vec![false; yard.waypoint_count()];
    let mut stack = vec![start];
    seen[start.0 as usize] = true;
    while let Some(at) = stack.pop() {
        for (_, lane) in yard.lanes_from(at) {
            if !std::mem::replace(&mut seen[lane.to.0 as usize], true) {
                stack.push(lane.to);
            }
        }
    }
    seen
}

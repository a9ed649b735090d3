//! Building a [`Yard`] piece by piece, with the checks that keep it safe to plan on.

use std::collections::HashMap;

use nalgebra::Point2;
use petgraph::graph::{DiGraph, NodeIndex};

use super::{
    AgvFootprint, Crane, CraneId, Lane, LaneId, ServiceTimes, Side, Waypoint, WaypointId,
    WaypointKind, Yard, Zone,
};

/// Why a yard is not acceptable.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum YardError {
    /// Two waypoints share a name.
    #[error("waypoint `{name}` is defined twice")]
    DuplicateWaypoint {
        /// The name.
        name: String,
    },
    /// A name refers to no waypoint.
    #[error("unknown waypoint `{name}`")]
    UnknownWaypoint {
        /// The name.
        name: String,
    },
    /// A lane starts and ends at the same waypoint.
    #[error("lane from `{name}` to itself")]
    SelfLoop {
        /// The waypoint.
        name: String,
    },
    /// Two lanes join the same waypoints in the same direction.
    #[error("lane `{from}` -> `{to}` is defined twice")]
    DuplicateLane {
        /// Start.
        from: String,
        /// End.
        to: String,
    },
    /// A lane is shorter than an AGV plus its safety gap, so two AGVs on its ends could touch.
    #[error(
        "lane `{from}` -> `{to}` is {length_m:.1} m, shorter than one AGV plus gap ({min_m:.1} m)"
    )]
    ShortLane {
        /// Start.
        from: String,
        /// End.
        to: String,
        /// Its length.
        length_m: f64,
        /// The shortest allowed.
        min_m: f64,
    },
    /// A speed limit that is not a positive number up to [`MAX_SPEED_MPS`].
    #[error("speed limit {speed_mps} m/s of `{what}` is not in (0, {MAX_SPEED_MPS}] m/s")]
    BadSpeed {
        /// The lane or zone.
        what: String,
        /// The value given.
        speed_mps: f64,
    },
    /// A crane names a waypoint that is not a crane slot, or one another crane already serves.
    #[error("crane `{crane}` cannot serve `{slot}`: {reason}")]
    BadCraneSlot {
        /// The crane.
        crane: String,
        /// The waypoint.
        slot: String,
        /// What is wrong.
        reason: &'static str,
    },
    /// A zone polygon is not a convex polygon with at least three corners.
    #[error("zone `{name}` is not a convex polygon of three or more corners")]
    BadZone {
        /// The zone.
        name: String,
    },
    /// A footprint size or service time that is not positive, or absurdly large.
    #[error("{what} must be more than 0 and at most {max}, found {value}")]
    OutOfRange {
        /// What the number is.
        what: &'static str,
        /// The value given.
        value: f64,
        /// The largest value accepted.
        max: f64,
    },
}

/// The highest speed limit accepted, m/s (180 km/h: far above any AGV).
pub const MAX_SPEED_MPS: f64 = 50.0;
/// The largest AGV dimension or safety gap accepted, metres.
pub const MAX_BODY_M: f64 = 100.0;
/// The longest service time accepted, seconds (a day).
pub const MAX_SERVICE_S: f64 = 86_400.0;

/// Assembles a [`Yard`], checking each piece as it is added.
#[derive(Debug)]
pub struct YardBuilder {
    yard: Yard,
}

impl YardBuilder {
    /// Starts an empty yard.
    ///
    /// # Errors
    /// [`YardError::OutOfRange`] for a footprint or service time out of range.
    pub fn new(
        name: impl Into<String>,
        footprint: AgvFootprint,
        times: ServiceTimes,
    ) -> Result<Self, YardError> {
        let numbers = [
            ("agv length_m", footprint.length_m, MAX_BODY_M),
            ("agv width_m", footprint.width_m, MAX_BODY_M),
            ("crane_lift_s", times.crane_lift_s, MAX_SERVICE_S),
            ("booth_check_s", times.booth_check_s, MAX_SERVICE_S),
            ("border_check_s", times.border_check_s, MAX_SERVICE_S),
            ("battery_swap_s", times.battery_swap_s, MAX_SERVICE_S),
        ];
        for (what, value, max) in numbers {
            if !(value > 0.0 && value <= max) {
                return Err(YardError::OutOfRange { what, value, max });
            }
        }
        let gap = footprint.safety_gap_m;
        if !(0.0..=MAX_BODY_M).contains(&gap) {
            let what = "agv safety_gap_m";
            return Err(YardError::OutOfRange {
                what,
                value: gap,
                max: MAX_BODY_M,
            });
        }
        Ok(Self {
            yard: Yard {
                name: name.into(),
                graph: DiGraph::default(),
                by_name: HashMap::new(),
                zones: Vec::new(),
                cranes: Vec::new(),
                crane_of_slot: HashMap::new(),
                footprint,
                times,
            },
        })
    }

    /// Adds a waypoint; its side follows from the sign of x.
    ///
    /// # Errors
    /// [`YardError::DuplicateWaypoint`] when the name is taken.
    pub fn add_waypoint(
        &mut self,
        name: &str,
        kind: WaypointKind,
        position: Point2<f64>,
    ) -> Result<WaypointId, YardError> {
        if self.yard.by_name.contains_key(name) {
            return Err(YardError::DuplicateWaypoint {
                name: name.to_owned(),
            });
        }
        let side = if position.x < 0.0 { Side::Vn } else { Side::Cn };
        let waypoint = Waypoint {
            name: name.to_owned(),
            position,
            kind,
            side,
        };
        let id = WaypointId(self.yard.graph.add_node(waypoint).index() as u32);
        self.yard.by_name.insert(name.to_owned(), id);
        Ok(id)
    }

    /// The id of a waypoint already added.
    ///
    /// # Errors
    /// [`YardError::UnknownWaypoint`].
    pub fn find(&self, name: &str) -> Result<WaypointId, YardError> {
        self.yard
            .find(name)
            .ok_or_else(|| YardError::UnknownWaypoint {
                name: name.to_owned(),
            })
    }

    /// A waypoint already added.
    ///
    /// # Panics
    /// When `id` was not returned by this builder.
    pub fn waypoint(&self, id: WaypointId) -> &Waypoint {
        self.yard.waypoint(id)
    }

    /// The yard's AGV body.
    pub fn footprint(&self) -> AgvFootprint {
        self.yard.footprint
    }

    /// Adds a lane from one waypoint to another; its length is the straight distance.
    ///
    /// # Errors
    /// [`YardError::SelfLoop`], [`YardError::DuplicateLane`], [`YardError::BadSpeed`], or
    /// [`YardError::ShortLane`] when the waypoints are closer than one AGV plus its gap.
    pub fn add_lane(
        &mut self,
        from: WaypointId,
        to: WaypointId,
        speed_limit_mps: f64,
    ) -> Result<LaneId, YardError> {
        let name = |id: WaypointId| self.yard.waypoint(id).name.clone();
        if from == to {
            return Err(YardError::SelfLoop { name: name(from) });
        }
        if self.yard.lane_between(from, to).is_some() {
            return Err(YardError::DuplicateLane {
                from: name(from),
                to: name(to),
            });
        }
        if !(speed_limit_mps > 0.0 && speed_limit_mps <= MAX_SPEED_MPS) {
            let what = format!("{} -> {}", name(from), name(to));
            return Err(YardError::BadSpeed {
                what,
                speed_mps: speed_limit_mps,
            });
        }
        let length_m = nalgebra::distance(
            &self.yard.waypoint(from).position,
            &self.yard.waypoint(to).position,
        );
        let min_m = self.yard.footprint.min_slot_m();
        // a hair of tolerance for slots cut from a polyline at exactly the minimum pitch
        if length_m + 1e-6 < min_m {
            return Err(YardError::ShortLane {
                from: name(from),
                to: name(to),
                length_m,
                min_m,
            });
        }
        let lane = Lane {
            from,
            to,
            length_m,
            speed_limit_mps,
        };
        let edge = self.yard.graph.add_edge(node(from), node(to), lane);
        Ok(LaneId(edge.index() as u32))
    }

    /// Adds a zone.
    ///
    /// # Errors
    /// [`YardError::BadSpeed`] for a speed limit that is not positive.
    pub fn add_zone(&mut self, zone: Zone) -> Result<(), YardError> {
        if let Some(speed) = zone.speed_limit_mps
            && !(speed > 0.0 && speed <= MAX_SPEED_MPS)
        {
            return Err(YardError::BadSpeed {
                what: zone.name,
                speed_mps: speed,
            });
        }
        self.yard.zones.push(zone);
        Ok(())
    }

    /// Adds a crane serving the given crane slots.
    ///
    /// # Errors
    /// [`YardError::BadCraneSlot`] when a slot is not a crane slot or another crane serves it.
    pub fn add_crane(
        &mut self,
        name: &str,
        side: Side,
        slots: Vec<WaypointId>,
    ) -> Result<CraneId, YardError> {
        let id = CraneId(self.yard.cranes.len() as u32);
        for &slot in &slots {
            let waypoint = self.yard.waypoint(slot);
            let (kind, slot_name) = (waypoint.kind, waypoint.name.clone());
            let refuse = |reason| YardError::BadCraneSlot {
                crane: name.to_owned(),
                slot: slot_name.clone(),
                reason,
            };
            if kind != WaypointKind::CraneSlot {
                return Err(refuse("it is not a crane slot"));
            }
            if self.yard.crane_of_slot.insert(slot, id).is_some() {
                return Err(refuse("another crane already serves it"));
            }
        }
        self.yard.cranes.push(Crane {
            name: name.to_owned(),
            side,
            slots,
        });
        Ok(id)
    }

    /// Finishes the yard: zone speed limits are applied to every lane whose ends or middle
    /// lie inside the zone.
    pub fn build(mut self) -> Yard {
        let yard = &mut self.yard;
        let limits: Vec<(usize, f64)> = yard
            .graph
            .edge_indices()
            .filter_map(|e| {
                let lane = &yard.graph[e];
                let a = yard.graph[node(lane.from)].position;
                let b = yard.graph[node(lane.to)].position;
                let mid = nalgebra::center(&a, &b);
                yard.zones
                    .iter()
                    .filter_map(|z| {
                        z.speed_limit_mps
                            .filter(|_| [a, b, mid].iter().any(|p| z.contains(p)))
                    })
                    .reduce(f64::min)
                    .map(|limit| (e.index(), limit))
            })
            .collect();
        for (edge, limit) in limits {
            let lane = &mut yard.graph[petgraph::graph::EdgeIndex::new(edge)];
            lane.speed_limit_mps = lane.speed_limit_mps.min(limit);
        }
        self.yard
    }
}

fn node(id: WaypointId) -> NodeIndex<u32> {
    NodeIndex::new(id.0 as usize)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ZoneKind;
    use parry2d_f64::shape::ConvexPolygon;

    fn builder() -> YardBuilder {
        YardBuilder::new("t", AgvFootprint::default(), ServiceTimes::default()).unwrap()
    }

    #[test]
    fn lane_shorter_than_an_agv_plus_gap_is_refused() {
        let mut b = builder();
        let a = b
            .add_waypoint("a", WaypointKind::LaneSlot, Point2::new(0.0, 0.0))
            .unwrap();
        let c = b
            .add_waypoint("c", WaypointKind::LaneSlot, Point2::new(12.0, 0.0))
            .unwrap();
        let err = b.add_lane(a, c, 5.0).unwrap_err();
        assert!(matches!(err, YardError::ShortLane { .. }), "{err}");
    }

    #[test]
    fn zone_speed_limit_caps_lanes_inside() {
        let mut b = builder();
        let a = b
            .add_waypoint("a", WaypointKind::LaneSlot, Point2::new(0.0, 0.0))
            .unwrap();
        let c = b
            .add_waypoint("c", WaypointKind::GateBooth, Point2::new(30.0, 0.0))
            .unwrap();
        let d = b
            .add_waypoint("d", WaypointKind::LaneSlot, Point2::new(200.0, 0.0))
            .unwrap();
        b.add_lane(a, c, 6.0).unwrap();
        b.add_lane(c, d, 6.0).unwrap();
        let square = [[20.0, -10.0], [40.0, -10.0], [40.0, 10.0], [20.0, 10.0]]
            .map(|[x, y]| Point2::new(x, y));
        let polygon = ConvexPolygon::from_convex_polyline(square.to_vec()).unwrap();
        let zone = Zone {
            name: "gate".into(),
            kind: ZoneKind::Gate,
            speed_limit_mps: Some(3.0),
            polygon,
        };
        b.add_zone(zone).unwrap();
        let yard = b.build();
        let speeds: Vec<f64> = yard.lanes().map(|(_, l)| l.speed_limit_mps).collect();
        assert_eq!(speeds, vec![3.0, 3.0]);
    }
}

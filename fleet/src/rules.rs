//! Traffic rules an operator sets at run time: closed lanes, speed limits, exclusive zones
//! and scoped emergency stops.
//!
//! The rules are a resource of the core ([`TrafficRules`]) that the systems read every tick:
//! - a **closed lane** leaves the planner's graph: nobody is routed over it, AGVs whose route
//!   used it are re-planned from where they stand, and an AGV already driving it finishes
//!   the lane (a vehicle cannot turn mid-lane). Missions whose places became unreachable
//!   wait until the lane opens again;
//! - a **speed limit** caps the lanes of a scope; it goes out with every drive command
//!   (VDA 5050 `maxSpeed` of an edge) and the core's own timing uses it;
//! - an **exclusive zone** admits one AGV at a time (under a crane, in an inspection bay):
//!   an AGV is sent into it only when no other AGV stands in it, drives into it or has been
//!   released a waypoint in it. Zones of kind `inspection` of the yard are exclusive from
//!   the start;
//! - an **emergency stop** of a scope (the whole site, one side of the border, or one zone)
//!   pauses every AGV in it at once (VDA 5050 `startPause`), including one driving into it,
//!   and keeps the others out of it; the rest of the site keeps working. Resuming a scope
//!   resumes the AGVs that no other active stop still covers.
//!
//! One-way lanes need no rule: every lane of a yard is directed and the planner never
//! drives one backwards.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use bevy_ecs::prelude::Resource;
use maps::{LaneId, Side, WaypointId, Yard};
use serde::{Deserialize, Serialize};

/// Where a rule applies.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    /// The whole site.
    Site,
    /// One side of the border.
    Side(Side),
    /// A named zone of the yard: the waypoints inside its polygon.
    Zone(String),
}

impl fmt::Display for Scope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Scope::Site => f.write_str("the whole site"),
            Scope::Side(side) => write!(f, "the {side} side"),
            Scope::Zone(name) => write!(f, "zone `{name}`"),
        }
    }
}

/// Why a rule was refused.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum RuleError {
    /// The yard has no zone of this name.
    #[error("yard `{yard}` has no zone `{zone}`")]
    UnknownZone {
        /// The yard.
        yard: String,
        /// The zone asked for.
        zone: String,
    },
    /// The zone holds no waypoint, so the rule would do nothing.
    #[error("zone `{zone}` of yard `{yard}` holds no waypoint")]
    EmptyZone {
        /// The yard.
        yard: String,
        /// The zone.
        zone: String,
    },
    /// No lane joins the two waypoints.
    #[error("yard `{yard}` has no lane from `{from}` to `{to}`")]
    UnknownLane {
        /// The yard.
        yard: String,
        /// Where the lane would start.
        from: String,
        /// Where it would end.
        to: String,
    },
    /// A speed limit that is not a positive number.
    #[error("speed limit {mps} m/s for {scope}: must be a positive number")]
    BadSpeed {
        /// The scope.
        scope: Scope,
        /// The limit asked for.
        mps: f64,
    },
}

/// A set of waypoints where at most one AGV may be at a time.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExclusiveZone {
    /// Its name, for logs and operators.
    pub name: String,
    /// The waypoints it covers.
    pub waypoints: Vec<WaypointId>,
}

/// The rules in force.
#[derive(Resource, Clone, Debug, Default)]
pub struct TrafficRules {
    closed: BTreeSet<LaneId>,
    speed_caps: BTreeMap<Scope, (f64, Vec<LaneId>)>,
    exclusive: Vec<ExclusiveZone>,
    stops: BTreeMap<Scope, Vec<WaypointId>>,
    /// By waypoint index: whether an active stop covers it.
    stopped: Vec<bool>,
    /// Set when lanes closed or opened since the planner's graph was built.
    pub(crate) graph_changed: bool,
}

impl TrafficRules {
    /// The rules a yard starts with: its inspection zones exclusive, nothing else.
    pub fn for_yard(yard: &Yard) -> Self {
        let mut rules = Self {
            stopped: vec![false; yard.waypoint_count()],
            ..Self::default()
        };
        for zone in yard.zones() {
            if zone.kind == maps::ZoneKind::Inspection {
                let waypoints = waypoints_in_zone(yard, &zone.name);
                if !waypoints.is_empty() {
                    rules.exclusive.push(ExclusiveZone {
                        name: zone.name.clone(),
                        waypoints,
                    });
                }
            }
        }
        rules
    }

    /// The lanes closed now.
    pub fn closed_lanes(&self) -> impl Iterator<Item = LaneId> + '_ {
        self.closed.iter().copied()
    }

    /// Whether a lane is closed.
    pub fn is_closed(&self, lane: LaneId) -> bool {
        self.closed.contains(&lane)
    }

    /// The exclusive zones.
    pub fn exclusive_zones(&self) -> &[ExclusiveZone] {
        &self.exclusive
    }

    /// The scopes under an emergency stop.
    pub fn stopped_scopes(&self) -> impl Iterator<Item = &Scope> + '_ {
        self.stops.keys()
    }

    /// Whether an active emergency stop covers a waypoint.
    pub fn is_stopped(&self, waypoint: WaypointId) -> bool {
        self.stopped
            .get(waypoint.0 as usize)
            .copied()
            .unwrap_or(false)
    }

    /// The speed limit of a lane: the yard's, capped by every speed rule that covers it.
    pub fn speed_limit(&self, yard: &Yard, lane: LaneId) -> f64 {
        let base = yard.lane(lane).speed_limit_mps;
        self.speed_caps
            .values()
            .filter(|(_, lanes)| lanes.contains(&lane))
            .fold(base, |limit, (cap, _)| limit.min(*cap))
    }

    /// Closes the lane from `from` to `to`; closing a closed lane does nothing.
    ///
    /// # Errors
    /// [`RuleError::UnknownLane`] when no lane joins them.
    pub fn close_lane(
        &mut self,
        yard: &Yard,
        from: WaypointId,
        to: WaypointId,
    ) -> Result<LaneId, RuleError> {
        let lane = lane_of(yard, from, to)?;
        self.graph_changed |= self.closed.insert(lane);
        Ok(lane)
    }

    /// Opens a closed lane again; opening an open lane does nothing.
    ///
    /// # Errors
    /// [`RuleError::UnknownLane`] when no lane joins them.
    pub fn open_lane(
        &mut self,
        yard: &Yard,
        from: WaypointId,
        to: WaypointId,
    ) -> Result<LaneId, RuleError> {
        let lane = lane_of(yard, from, to)?;
        self.graph_changed |= self.closed.remove(&lane);
        Ok(lane)
    }

    /// Caps the speed on every lane with an end in the scope, replacing an earlier cap of the
    /// same scope. Returns the number of lanes capped.
    ///
    /// # Errors
    /// [`RuleError::BadSpeed`] or an unknown or empty zone.
    pub fn limit_speed(&mut self, yard: &Yard, scope: Scope, mps: f64) -> Result<usize, RuleError> {
        if !(mps.is_finite() && mps > 0.0) {
            return Err(RuleError::BadSpeed { scope, mps });
        }
        let inside = scope_waypoints(yard, &scope)?;
        let mut covered = vec![false; yard.waypoint_count()];
        for w in &inside {
            covered[w.0 as usize] = true;
        }
        let lanes: Vec<LaneId> = yard
            .lanes()
            .filter(|(_, lane)| covered[lane.from.0 as usize] || covered[lane.to.0 as usize])
            .map(|(id, _)| id)
            .collect();
        let count = lanes.len();
        self.speed_caps.insert(scope, (mps, lanes));
        Ok(count)
    }

    /// Lifts the speed cap of a scope; returns whether there was one.
    pub fn clear_speed_limit(&mut self, scope: &Scope) -> bool {
        self.speed_caps.remove(scope).is_some()
    }

    /// Makes a zone of the yard exclusive: one AGV in it at a time.
    ///
    /// # Errors
    /// An unknown or empty zone.
    pub fn make_exclusive(&mut self, yard: &Yard, zone: &str) -> Result<(), RuleError> {
        let waypoints = scope_waypoints(yard, &Scope::Zone(zone.to_owned()))?;
        self.exclusive.retain(|z| z.name != zone);
        self.exclusive.push(ExclusiveZone {
            name: zone.to_owned(),
            waypoints,
        });
        Ok(())
    }

    /// Makes a named set of waypoints exclusive, e.g. the slots under one crane.
    pub fn add_exclusive(&mut self, zone: ExclusiveZone) {
        self.exclusive.retain(|z| z.name != zone.name);
        self.exclusive.push(zone);
    }

    /// Stops a scope; stopping a stopped scope does nothing. Returns the waypoints covered.
    ///
    /// # Errors
    /// An unknown or empty zone.
    pub fn stop(&mut self, yard: &Yard, scope: Scope) -> Result<usize, RuleError> {
        let waypoints = scope_waypoints(yard, &scope)?;
        let count = waypoints.len();
        self.stops.insert(scope, waypoints);
        self.refresh_stopped(yard);
        Ok(count)
    }

    /// Lifts the stop of a scope; returns whether it was stopped.
    pub fn resume(&mut self, yard: &Yard, scope: &Scope) -> bool {
        let was = self.stops.remove(scope).is_some();
        self.refresh_stopped(yard);
        was
    }

    fn refresh_stopped(&mut self, yard: &Yard) {
        self.stopped.clear();
        self.stopped.resize(yard.waypoint_count(), false);
        for w in self.stops.values().flatten() {
            self.stopped[w.0 as usize] = true;
        }
    }

    /// The exclusive zone a waypoint belongs to, by index into [`Self::exclusive_zones`].
    pub(crate) fn exclusive_zone_of(&self, waypoint: WaypointId) -> Option<usize> {
        self.exclusive
            .iter()
            .position(|z| z.waypoints.contains(&waypoint))
    }
}

/// The lane from one waypoint to another.
fn lane_of(yard: &Yard, from: WaypointId, to: WaypointId) -> Result<LaneId, RuleError> {
    let in_yard = |w: WaypointId| (w.0 as usize) < yard.waypoint_count();
    let lane = (in_yard(from) && in_yard(to))
        .then(|| yard.lane_between(from, to))
        .flatten();
    lane.ok_or_else(|| {
        let name = |w: WaypointId| {
            if in_yard(w) {
                yard.waypoint(w).name.clone()
            } else {
                w.to_string()
            }
        };
        RuleError::UnknownLane {
            yard: yard.name().to_owned(),
            from: name(from),
            to: name(to),
        }
    })
}

/// The waypoints a scope covers.
fn scope_waypoints(yard: &Yard, scope: &Scope) -> Result<Vec<WaypointId>, RuleError> {
    match scope {
        Scope::Site => Ok(yard.waypoints().map(|(id, _)| id).collect()),
        Scope::Side(side) => Ok(yard
            .waypoints()
            .filter(|(_, w)| w.side == *side)
            .map(|(id, _)| id)
            .collect()),
        Scope::Zone(name) => {
            if !yard.zones().iter().any(|z| z.name == *name) {
                return Err(RuleError::UnknownZone {
                    yard: yard.name().to_owned(),
                    zone: name.clone(),
                });
            }
            let inside = waypoints_in_zone(yard, name);
            if inside.is_empty() {
                return Err(RuleError::EmptyZone {
                    yard: yard.name().to_owned(),
                    zone: name.clone(),
                });
            }
            Ok(inside)
        }
    }
}

/// The waypoints inside the polygon of the zone named `name` (none for an unknown zone).
fn waypoints_in_zone(yard: &Yard, name: &str) -> Vec<WaypointId> {
    let Some(zone) = yard.zones().iter().find(|z| z.name == name) else {
        return Vec::new();
    };
    yard.waypoints()
        .filter(|(_, w)| zone.contains(&w.position))
        .map(|(id, _)| id)
        .collect()
}

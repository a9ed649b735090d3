//! Zones: named polygons of the site with a kind and an optional speed limit.

use nalgebra::Point2;
use parry2d_f64::math::Isometry;
use parry2d_f64::query::PointQuery;
use parry2d_f64::shape::ConvexPolygon;
use serde::{Deserialize, Serialize};

/// What a zone is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ZoneKind {
    /// The Vietnamese container yard.
    VnYard,
    /// An inspection area (scanner, physical inspection, quarantine sampling).
    Inspection,
    /// Around a gate: AGVs slow down here.
    Gate,
    /// The km 0 border line.
    KmZero,
    /// The Chinese container yard.
    CnYard,
    /// A battery swap station.
    SwapStation,
    /// AGV parking.
    Parking,
}

/// A named convex area of the site.
#[derive(Clone, Debug)]
pub struct Zone {
    /// Unique name within the yard.
    pub name: String,
    /// What the zone is for.
    pub kind: ZoneKind,
    /// Speed limit inside the zone, m/s, if any.
    pub speed_limit_mps: Option<f64>,
    /// The area, in the site frame.
    pub polygon: ConvexPolygon,
}

impl Zone {
    /// Whether a point lies inside the zone or on its border.
    pub fn contains(&self, point: &Point2<f64>) -> bool {
        self.polygon.contains_point(&Isometry::identity(), point)
    }
}

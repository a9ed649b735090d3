//! The yard file as written: serde mirrors of its TOML tables, keeping byte spans so that
//! errors found after parsing can still name a line.

use serde::Deserialize;
use toml::Spanned;

use crate::yard::{AgvFootprint, ServiceTimes, Side, WaypointKind, ZoneKind};

/// A point as written, `[x, y]` in metres.
pub(super) type Xy = [f64; 2];

/// The whole file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawYard {
    pub name: String,
    #[serde(default)]
    pub description: String,
    pub agv: Option<Spanned<RawAgv>>,
    pub times: Option<Spanned<RawTimes>>,
    #[serde(default)]
    pub waypoints: Vec<Spanned<RawWaypoint>>,
    #[serde(default)]
    pub lanes: Vec<Spanned<RawLane>>,
    #[serde(default)]
    pub roads: Vec<Spanned<RawRoad>>,
    #[serde(default)]
    pub cranes: Vec<Spanned<RawCrane>>,
    #[serde(default)]
    pub zones: Vec<Spanned<RawZone>>,
}

/// `[agv]`: the vehicle body; missing keys take [`AgvFootprint::default`].
#[derive(Clone, Copy, Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub(super) struct RawAgv {
    pub length_m: f64,
    pub width_m: f64,
    pub safety_gap_m: f64,
}

impl Default for RawAgv {
    fn default() -> Self {
        let AgvFootprint {
            length_m,
            width_m,
            safety_gap_m,
        } = AgvFootprint::default();
        Self {
            length_m,
            width_m,
            safety_gap_m,
        }
    }
}

impl From<RawAgv> for AgvFootprint {
    fn from(raw: RawAgv) -> Self {
        Self {
            length_m: raw.length_m,
            width_m: raw.width_m,
            safety_gap_m: raw.safety_gap_m,
        }
    }
}

/// `[times]`: service durations; missing keys take [`ServiceTimes::default`].
#[derive(Clone, Copy, Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub(super) struct RawTimes {
    pub crane_lift_s: f64,
    pub booth_check_s: f64,
    pub border_check_s: f64,
    pub battery_swap_s: f64,
}

impl Default for RawTimes {
    fn default() -> Self {
        let t = ServiceTimes::default();
        Self {
            crane_lift_s: t.crane_lift_s,
            booth_check_s: t.booth_check_s,
            border_check_s: t.border_check_s,
            battery_swap_s: t.battery_swap_s,
        }
    }
}

impl From<RawTimes> for ServiceTimes {
    fn from(raw: RawTimes) -> Self {
        Self {
            crane_lift_s: raw.crane_lift_s,
            booth_check_s: raw.booth_check_s,
            border_check_s: raw.border_check_s,
            battery_swap_s: raw.battery_swap_s,
        }
    }
}

/// One entry of `waypoints`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawWaypoint {
    pub name: String,
    pub kind: WaypointKind,
    pub at: Xy,
}

/// One entry of `lanes`: consecutive lanes along `path`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawLane {
    pub path: Vec<Spanned<String>>,
    pub speed_mps: f64,
}

/// One entry of `roads`: a one-way polyline cut into lane slots.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawRoad {
    pub name: String,
    pub from: Spanned<String>,
    pub to: Spanned<String>,
    #[serde(default)]
    pub via: Vec<Xy>,
    pub speed_mps: f64,
}

/// One entry of `cranes`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawCrane {
    pub name: String,
    pub side: Side,
    pub slots: Vec<Spanned<String>>,
}

/// One entry of `zones`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawZone {
    pub name: String,
    pub kind: ZoneKind,
    pub polygon: Vec<Xy>,
    pub speed_mps: Option<f64>,
}

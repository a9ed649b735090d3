//! What a virtual AGV can do: speeds, acceleration, battery life and its body.
//!
//! The figures are those the simulator uses for the lane's container AGVs (`sim`'s
//! `AgvTraits`: 18 km/h loaded, 22 km/h empty, 10 h of driving per battery pack, standing
//! drain 10 % of the driving drain), copied here so that this crate does not depend on the
//! simulator. Acceleration and braking at 0.5 m/s² are assumed.

use maps::AgvFootprint;

/// The limits and consumption of one virtual AGV.
///
/// # Units and frames
/// Speeds in m/s, accelerations in m/s², battery life in hours of driving, distances in
/// metres.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct AgvTraits {
    /// Top speed with a container on board.
    pub loaded_speed_mps: f64,
    /// Top speed empty.
    pub empty_speed_mps: f64,
    /// Acceleration when speeding up.
    pub acceleration_mps2: f64,
    /// Deceleration when braking (service braking, used for every planned stop).
    pub deceleration_mps2: f64,
    /// Hours of driving one full battery lasts.
    pub battery_hours: f64,
    /// Drain standing still, as a share of the driving drain.
    pub standing_drain_share: f64,
    /// Radius within which the vehicle counts itself on a node whose `allowedDeviationXY` is
    /// absent or 0.
    pub node_tolerance_m: f64,
    /// The vehicle's body.
    pub footprint: AgvFootprint,
}

impl Default for AgvTraits {
    /// The lane's container AGV: 5.0 m/s loaded, 6.1 m/s empty, 0.5 m/s² both ways, 10 h per
    /// pack, standing drain 10 %, 0.5 m node tolerance, 15 m x 3 m.
    fn default() -> Self {
        Self {
            loaded_speed_mps: 5.0,
            empty_speed_mps: 6.1,
            acceleration_mps2: 0.5,
            deceleration_mps2: 0.5,
            battery_hours: 10.0,
            standing_drain_share: 0.1,
            node_tolerance_m: 0.5,
            footprint: AgvFootprint::default(),
        }
    }
}

impl AgvTraits {
    /// Battery drain while driving, percent per simulated second.
    pub fn driving_drain_pct_per_s(&self) -> f64 {
        100.0 / (self.battery_hours * 3600.0)
    }

    /// Distance needed to stop from `speed_mps` at the service deceleration, metres.
    pub fn stopping_distance_m(&self, speed_mps: f64) -> f64 {
        speed_mps * speed_mps / (2.0 * self.deceleration_mps2)
    }
}

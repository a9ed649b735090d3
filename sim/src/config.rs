//! Settings of a simulated run, with the figures of the border-gate brief as defaults.
//!
//! A [`crate::scenario::Scenario`] changes a config into a multi-day situation (its length,
//! the exports of each day and the limits on what may enter the lane).

use std::path::Path;
use std::sync::Arc;

use maps::Yard;

use crate::demand::DemandProfile;
use crate::intake::{IntakeCap, YardBuffer};
use crate::scenario::ScenarioKind;

/// Why a run cannot start.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SimError {
    /// The yard could not be loaded.
    #[error(transparent)]
    Yard(#[from] maps::yard_file::YardFileError),
    /// The core refused the yard or a vehicle.
    #[error(transparent)]
    Fleet(#[from] fleet::FleetError),
    /// A setting is out of range.
    #[error("{what}: {problem}")]
    BadSetting {
        /// The setting.
        what: &'static str,
        /// What is wrong.
        problem: String,
    },
}

/// AGV performance figures.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct AgvTraits {
    /// Top speed with a container, m/s.
    pub loaded_speed_mps: f64,
    /// Top speed empty, m/s.
    pub empty_speed_mps: f64,
    /// Hours of driving one battery pack lasts.
    pub battery_hours: f64,
    /// Battery drain standing still, as a share of the driving drain.
    pub standing_drain_share: f64,
}

impl Default for AgvTraits {
    /// 18 km/h loaded, 22 km/h empty \[S\]; 10 h per pack (8-12 h \[S\]); standing drain 10 % \[A\].
    fn default() -> Self {
        Self {
            loaded_speed_mps: 5.0,
            empty_speed_mps: 6.1,
            battery_hours: 10.0,
            standing_drain_share: 0.1,
        }
    }
}

/// Reality drifting from the plan: AGVs late on a lane, and breakdowns. Draws come from a
/// random stream of their own, so the demand of a seed stays the same with or without them.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Disturbances {
    /// Chance that an AGV stalls on a lane it drives (a slow start, a sensor hiccup, a
    /// pedestrian alarm), 0 to 1, drawn once per lane.
    pub stall_chance_per_lane: f64,
    /// Stall length, uniform between the two, seconds.
    pub stall_s: (f64, f64),
    /// Breakdowns per AGV-hour, anywhere, loaded or not.
    pub breakdowns_per_agv_hour: f64,
    /// Breakdown length until the vehicle drives again, uniform, seconds.
    pub breakdown_s: (f64, f64),
}

impl Disturbances {
    /// Vehicles that do exactly what they are told.
    pub const NONE: Self = Self {
        stall_chance_per_lane: 0.0,
        stall_s: (0.0, 0.0),
        breakdowns_per_agv_hour: 0.0,
        breakdown_s: (0.0, 0.0),
    };

    /// Delays on, at rates meant to be harsh rather than typical \[A\]: one lane in ten
    /// stalls 2-30 s, and an AGV breaks down every 10 hours of service for 2-8 minutes.
    pub const DELAYS: Self = Self {
        stall_chance_per_lane: 0.10,
        stall_s: (2.0, 30.0),
        breakdowns_per_agv_hour: 0.10,
        breakdown_s: (120.0, 480.0),
    };

    /// Whether anything is ever disturbed.
    pub fn any(&self) -> bool {
        self.stall_chance_per_lane > 0.0 || self.breakdowns_per_agv_hour > 0.0
    }
}

/// Everything a run depends on. Equal configs give equal reports.
#[derive(Clone, Debug)]
pub struct SimConfig {
    /// The site.
    pub yard: Arc<Yard>,
    /// Containers per day through the lane, both directions (1x = 1,200).
    pub containers_per_day: f64,
    /// Simulated hours from midnight.
    pub hours: f64,
    /// Fleet size.
    pub agvs: usize,
    /// Seed of every random draw of the run (demand, holds, planner tie-breaks).
    pub seed: u64,
    /// Simulated seconds per tick: the core runs once per tick, so a vehicle that stops
    /// mid-tick waits for the rest of it. 0.5 s by default; at 1 s a 2x day clears the same
    /// share and dwell P95 grows by about 6 minutes, in three quarters of the run time.
    pub tick_s: f64,
    /// AGV performance.
    pub agv: AgvTraits,
    /// Demand shape, shares and customs holds.
    pub demand: DemandProfile,
    /// Traffic weights of the fleet planner's guide paths ([`fleet::FleetConfig::guidance`]);
    /// `None` plans by shortest distance alone.
    pub guidance: Option<planner::lifelong::TrafficWeights>,
    /// Stalls and breakdowns of the AGVs ([`Disturbances::NONE`] by default).
    pub disturbances: Disturbances,
    /// How the core gives missions to AGVs ([`fleet::FleetConfig::dispatch`]).
    pub dispatch: fleet::DispatchPolicy,
    /// Plugs for delivered reefers waiting for their trucks, Vietnamese and Chinese yard
    /// ([`fleet::FleetConfig::reefer_plugs`]): 60 each \[A: the brief's 60 plugs of the
    /// Vietnamese yard, taken as the same again for each side's arrivals; the export yard's
    /// own plugs for reefers waiting to leave are in [`crate::intake::YardBuffer`]\].
    pub reefer_plugs: [Option<usize>; 2],
    /// The scenario the run plays, for the report (set by
    /// [`crate::scenario::Scenario::apply`]).
    pub scenario: ScenarioKind,
    /// The Vietnamese export yard's buffer, with overflow to staging yards; `None` for an
    /// unbounded yard.
    pub export_yard: Option<YardBuffer>,
    /// A cap on the exports the Chinese side accepts; `None` when it takes all.
    pub intake_cap: Option<IntakeCap>,
}

impl SimConfig {
    /// Containers per day at 1x demand.
    pub const BASE_CONTAINERS_PER_DAY: f64 = 1200.0;
    /// The highest demand level accepted, in multiples of 1x: far beyond any lane, and low
    /// enough that drawing the demand stays cheap.
    pub const MAX_DEMAND_LEVEL: f64 = 20.0;

    /// A default day (24 h, 1x, 40 AGVs, seed 1) on a yard.
    pub fn new(yard: Arc<Yard>) -> Self {
        Self {
            yard,
            containers_per_day: Self::BASE_CONTAINERS_PER_DAY,
            hours: 24.0,
            agvs: 40,
            seed: 1,
            tick_s: 0.5,
            agv: AgvTraits::default(),
            demand: DemandProfile::default(),
            guidance: fleet::FleetConfig::default().guidance,
            disturbances: Disturbances::NONE,
            dispatch: fleet::DispatchPolicy::default(),
            reefer_plugs: [Some(60), Some(60)],
            scenario: ScenarioKind::Day,
            export_yard: None,
            intake_cap: None,
        }
    }

    /// A default day on a built-in yard (`huu-nghi`, `tan-thanh`) or a yard file path.
    ///
    /// # Errors
    /// [`SimError::Yard`] when the name is unknown or the file is bad.
    pub fn builtin(name_or_path: &str) -> Result<Self, SimError> {
        let yard = if name_or_path.ends_with(".toml") || Path::new(name_or_path).exists() {
            maps::yard_file::load(name_or_path)?
        } else {
            maps::yard_file::load_builtin(name_or_path)?
        };
        Ok(Self::new(Arc::new(yard)))
    }

    /// The same with another length of run.
    pub fn with_hours(mut self, hours: f64) -> Self {
        self.hours = hours;
        self
    }

    /// Checks the numbers.
    ///
    /// # Errors
    /// [`SimError::BadSetting`] naming the setting.
    pub fn validate(&self) -> Result<(), SimError> {
        let bad = |what, problem: &str| {
            Err(SimError::BadSetting {
                what,
                problem: problem.into(),
            })
        };
        if !(self.hours.is_finite() && self.hours > 0.0 && self.hours <= 24.0 * 14.0) {
            return bad("hours", "must be more than 0 and at most 336");
        }
        let most = Self::MAX_DEMAND_LEVEL * Self::BASE_CONTAINERS_PER_DAY;
        if !(self.containers_per_day.is_finite() && (0.0..=most).contains(&self.containers_per_day))
        {
            return bad(
                "demand",
                "must be a level from 0x to 20x (0 to 24,000 containers a day)",
            );
        }
        if self.agvs == 0 {
            return bad("agvs", "the fleet needs at least one AGV");
        }
        if !(self.tick_s > 0.0 && self.tick_s <= 5.0) {
            return bad("tick", "must be in (0, 5] seconds");
        }
        let d = &self.disturbances;
        let range_ok =
            |(lo, hi): (f64, f64)| lo.is_finite() && hi.is_finite() && 0.0 <= lo && lo <= hi;
        if !((0.0..=1.0).contains(&d.stall_chance_per_lane) && range_ok(d.stall_s)) {
            return bad(
                "stalls",
                "chance must be 0 to 1 and lengths 0 <= min <= max",
            );
        }
        if !(d.breakdowns_per_agv_hour.is_finite()
            && (0.0..=60.0).contains(&d.breakdowns_per_agv_hour)
            && range_ok(d.breakdown_s))
        {
            return bad(
                "breakdowns",
                "rate must be 0 to 60 an hour and lengths 0 <= min <= max",
            );
        }
        if let Some(buffer) = &self.export_yard {
            let transfer = buffer.staging_transfer_s;
            if buffer.places == 0 || !(transfer.is_finite() && transfer >= 0.0) {
                return bad(
                    "export yard",
                    "needs a place for at least one export and a transfer time of 0 s or more",
                );
            }
        }
        if let Some(cap) = &self.intake_cap
            && !(cap.share > 0.0 && cap.share <= 1.0 && cap.from_s < cap.until_s)
        {
            return bad(
                "intake cap",
                "the share must be in (0, 1] and the cap must start before it ends",
            );
        }
        Ok(())
    }
}

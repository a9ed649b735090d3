//! Stand-in vehicles that obey the core's commands one tick at a time.
//!
//! A Drive is reported as driving for one tick and arrived the tick after; an action is
//! reported `Running` for one tick and `Finished` the tick after. Every command is checked
//! against the reports the core decided on: a Drive must start from a standing vehicle,
//! follow a lane and enter a waypoint that no other vehicle holds.

use std::collections::BTreeMap;
use std::sync::Arc;

use fleet::{
    Action, ActionState, ActionStatus, AgvId, FleetConfig, FleetCore, FleetEvent, VehicleCommand,
    VehicleReport,
};
use maps::{WaypointId, Yard};

/// Seconds of core time per tick, as the simulator runs it.
pub const TICK_S: f64 = 0.5;

/// The shipped Hữu Nghị yard.
pub fn huu_nghi() -> Arc<Yard> {
    Arc::new(maps::yard_file::load_builtin("huu-nghi").expect("the shipped yard loads"))
}

/// A waypoint of the yard by name.
pub fn waypoint(yard: &Yard, name: &str) -> WaypointId {
    yard.find(name)
        .unwrap_or_else(|| panic!("yard has no waypoint {name}"))
}

/// An action a vehicle started, and where.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Started {
    pub agv: AgvId,
    pub at: WaypointId,
    pub action: Action,
}

/// A core and the vehicles it commands.
pub struct Fleet {
    pub yard: Arc<Yard>,
    pub core: FleetCore,
    pub reports: BTreeMap<AgvId, VehicleReport>,
    pub now_s: f64,
    /// Every action started, in order.
    pub started: Vec<Started>,
    /// Every event the core reported, in order.
    pub events: Vec<FleetEvent>,
    /// Vehicles paused by the core: they stand where they are, even mid-lane.
    pub paused: std::collections::BTreeSet<AgvId>,
}

impl Fleet {
    /// A core on `yard` with default settings and no AGVs.
    pub fn new(yard: Arc<Yard>) -> Self {
        Self::with_config(yard, FleetConfig::default())
    }

    /// A core on `yard` with these settings and no AGVs.
    pub fn with_config(yard: Arc<Yard>, config: FleetConfig) -> Self {
        let core = FleetCore::new(yard.clone(), config).expect("a border yard");
        let (reports, started, events) = (BTreeMap::new(), Vec::new(), Vec::new());
        Self {
            yard,
            core,
            reports,
            now_s: 0.0,
            started,
            events,
            paused: Default::default(),
        }
    }

    /// Adds an idle AGV standing at the named waypoint.
    pub fn add(&mut self, id: u32, at: &str, battery: f64) -> AgvId {
        let (id, at) = (AgvId(id), waypoint(&self.yard, at));
        self.core
            .add_agv(id, at, battery)
            .expect("a new AGV at a known waypoint");
        let report = VehicleReport::standing(id, at, battery);
        self.reports.insert(id, report);
        id
    }

    /// One tick: the core reads the reports, its commands are checked, the vehicles finish
    /// what they started last tick and start what they were told. Returns the commands.
    pub fn tick(&mut self) -> Vec<VehicleCommand> {
        let commands = self.core.tick(self.now_s, self.reports.values().copied());
        self.events.extend(self.core.take_events());
        self.check(&commands);
        for report in self.reports.values_mut() {
            if !self.paused.contains(&report.agv) {
                finish(report);
            }
        }
        for command in &commands {
            self.obey(*command);
        }
        self.now_s += TICK_S;
        commands
    }

    /// Ticks until `done` holds, at most `limit` times; returns the ticks taken.
    pub fn tick_until(&mut self, limit: usize, mut done: impl FnMut(&Self) -> bool) -> usize {
        for ticks in 0..limit {
            if done(self) {
                return ticks;
            }
            self.tick();
        }
        panic!("not done after {limit} ticks");
    }

    /// The waypoints each vehicle holds: where it is, drives to and will drive to next.
    pub fn held(&self) -> impl Iterator<Item = (AgvId, WaypointId)> + '_ {
        self.reports.values().flat_map(|r| {
            [Some(r.at), r.driving_to, r.then_to]
                .into_iter()
                .flatten()
                .map(|w| (r.agv, w))
        })
    }

    /// Panics unless every Drive starts from a standing vehicle along a lane into a waypoint
    /// that no other vehicle holds and no other Drive of the tick targets.
    fn check(&self, commands: &[VehicleCommand]) {
        let mut targeted: Vec<(AgvId, WaypointId)> = self.held().collect();
        for command in commands {
            let VehicleCommand::Drive { agv, to, .. } = *command else {
                continue;
            };
            let report = self.reports[&agv];
            assert_eq!(report.driving_to, None, "{agv} told to drive while driving");
            let running = report
                .action
                .is_some_and(|a| a.status == ActionStatus::Running);
            assert!(!running, "{agv} told to drive while running an action");
            assert!(
                self.yard.lane_between(report.at, to).is_some(),
                "{agv} told to drive from {} to {to} without a lane",
                report.at
            );
            let holder = targeted.iter().find(|(other, w)| *w == to && *other != agv);
            assert!(
                holder.is_none(),
                "{agv} told to drive to {to}, held by {holder:?}"
            );
            targeted.push((agv, to));
        }
    }

    /// Applies one command the way a vehicle would.
    fn obey(&mut self, command: VehicleCommand) {
        match command {
            VehicleCommand::Pause { agv } => {
                self.paused.insert(agv);
            }
            VehicleCommand::Resume { agv } => {
                self.paused.remove(&agv);
            }
            VehicleCommand::Drive { agv, to, .. } => {
                let report = self
                    .reports
                    .get_mut(&agv)
                    .expect("commands go to known AGVs");
                report.driving_to = Some(to);
            }
            VehicleCommand::StartAction { agv, id, action } => {
                let report = self
                    .reports
                    .get_mut(&agv)
                    .expect("commands go to known AGVs");
                assert_eq!(report.driving_to, None, "{agv} told to act while driving");
                let status = ActionStatus::Running;
                report.action = Some(ActionState { id, action, status });
                self.started.push(Started {
                    agv,
                    at: report.at,
                    action,
                });
            }
        }
    }
}

/// Completes what a vehicle started on the previous tick: arrives, or finishes its action.
fn finish(report: &mut VehicleReport) {
    if let Some(to) = report.driving_to.take() {
        report.at = to;
        report.action = None;
    }
    let Some(state) = report.action.filter(|a| a.status == ActionStatus::Running) else {
        return;
    };
    match state.action {
        Action::Pick { container } => {
            assert_eq!(
                report.load, None,
                "{} picks {container} while loaded",
                report.agv
            );
            report.load = Some(container);
        }
        Action::Drop { container } => {
            assert_eq!(
                report.load,
                Some(container),
                "{} drops what it lacks",
                report.agv
            );
            report.load = None;
        }
        Action::BatterySwap => report.battery = 1.0,
        Action::GateCheck | Action::BorderCheck => {}
    }
    report.action = Some(ActionState {
        status: ActionStatus::Finished,
        ..state
    });
}

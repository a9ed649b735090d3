//! [`Simulation`]: the lane, its trucks, cranes and AGVs, driving the core tick by tick.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::time::Instant;

use fleet::{
    Action, ActionId, ActionState, ActionStatus, AgvId, Clearance, ContainerId, Direction,
    FleetConfig, FleetCore, MoveRequest, Purpose, VehicleCommand,
};
use maps::{Side, WaypointId, WaypointKind};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use tracing::{info, warn};

use crate::config::{SimConfig, SimError};
use crate::deadlock::{DeadlockDetector, Stall};
use crate::intake::Intake;
use crate::report::{SimReport, TimeSplit, quantile};
use crate::safety::SafetyMonitor;
use crate::services::Server;
use crate::timeline::{self, HourSampler, Timeline};
use crate::vehicle::AgvBody;

mod intake;

/// Bays per direction on the Vietnamese side [A: 8 export drop, 8 import pick-up].
const BAYS_PER_DIRECTION: usize = 8;
/// Stall length the deadlock detector flags, seconds.
const DEADLOCK_LIMIT_S: f64 = 600.0;
/// Random streams of a run's seed: the demand, the fleet's starting state, everything else.
const DEMAND_STREAM: u64 = 0;
const FLEET_STREAM: u64 = 1;
const RUN_STREAM: u64 = 2;
const DISTURBANCE_STREAM: u64 = 3;
const PICKUP_STREAM: u64 = 4;
/// A hold at least this long is a customs hold (a lab re-test); shorter ones are inspections.
const LONG_HOLD_S: f64 = 12.0 * 3600.0;
/// Hour of the province's daily backlog figure.
const BACKLOG_HOUR: f64 = 20.0;

/// Something due at a time.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Event {
    /// An export truck reaches the Vietnamese yard.
    ExportTruckArrives(ContainerId),
    /// An import container is released in the Chinese yard.
    ImportReleased(ContainerId),
    /// Customs lets a held or inspected container go: it may cross.
    ContainerReady(ContainerId),
    /// A truck comes to the Vietnamese yard to collect a delivered import.
    ImportTruckArrives(ContainerId),
    /// A truck leaves the Chinese yard with a delivered export.
    ExportCollected(ContainerId),
}

/// A container's life in the run.
#[derive(Clone, Copy, Debug)]
struct ContainerLog {
    direction: Direction,
    reefer: bool,
    arrived_s: f64,
    hold_s: f64,
    cleared_s: Option<f64>,
    truck_arrived_s: Option<f64>,
}

/// Running totals for the report.
#[derive(Debug, Default)]
struct Tally {
    split_ticks: [u64; 6],
    crossings_per_hour: Vec<u64>,
    cleared_per_hour: Vec<u64>,
    turnarounds_s: Vec<f64>,
    refused: u64,
    swaps: u64,
    min_battery: f64,
    waiting_ticks: Vec<u64>,
    crane_busy_ticks: [u64; 2],
    stalls: u64,
    breakdowns: u64,
}

/// Per AGV: why it stands still against the core's will.
#[derive(Clone, Copy, Debug, Default)]
struct Upset {
    /// Paused by the core (emergency stop).
    paused: bool,
    /// Stalled or broken down until this time, seconds.
    until_s: f64,
    /// The lane it was driving at the last tick, to see a new lane begin.
    lane: Option<WaypointId>,
}

/// A simulated run of the lane around a [`FleetCore`].
pub struct Simulation {
    config: SimConfig,
    core: FleetCore,
    bodies: Vec<AgvBody>,
    holder: Vec<Option<usize>>,
    cranes: Vec<Server<usize>>,
    export_bays: Server<ContainerId>,
    import_bays: Server<ContainerId>,
    timed: Vec<Option<f64>>,
    events: BinaryHeap<Reverse<(u64, u64, Event)>>,
    next_event: u64,
    containers: Vec<ContainerLog>,
    rng: ChaCha8Rng,
    disturbance_rng: ChaCha8Rng,
    pickup_rng: ChaCha8Rng,
    upsets: Vec<Upset>,
    /// The core's battery reserve, and which AGVs are below it now (logged once a dip).
    reserve: f64,
    below_reserve: Vec<bool>,
    safety: SafetyMonitor,
    deadlock: DeadlockDetector,
    tally: Tally,
    checkpoints: Vec<bool>,
    purposes: Vec<Purpose>,
    now_s: f64,
    backlog_at_20h: Option<u64>,
    intake: Intake,
    timelines: Vec<Timeline>,
    sampler: HourSampler,
}

impl Simulation {
    /// Sets up a run: draws the demand, places the AGVs in the parking slots of both sides
    /// (then on free lane slots), and starts the core.
    ///
    /// # Errors
    /// [`SimError::BadSetting`] for settings out of range, [`SimError::Fleet`] when the yard
    /// lacks what the core needs or the fleet does not fit in the yard.
    pub fn new(config: SimConfig) -> Result<Self, SimError> {
        config.validate()?;
        let yard = config.yard.clone();
        // one random stream per purpose, so that changing the fleet does not change the demand
        let seed = config.seed;
        let stream = move |n| {
            let mut rng = ChaCha8Rng::seed_from_u64(seed);
            rng.set_stream(n);
            rng
        };
        let (mut demand_rng, mut fleet_rng) = (stream(DEMAND_STREAM), stream(FLEET_STREAM));
        let fleet_config = FleetConfig {
            seed: config.seed,
            guidance: config.guidance,
            dispatch: config.dispatch,
            reefer_plugs: config.reefer_plugs,
            ..FleetConfig::default()
        };
        let mut core = FleetCore::new(yard.clone(), fleet_config)?;

        let spots = start_spots(&yard);
        if spots.len() < config.agvs {
            return Err(SimError::BadSetting {
                what: "agvs",
                problem: format!(
                    "a fleet of {} AGVs does not fit in yard `{}` ({} start places); choose fewer",
                    config.agvs,
                    yard.name(),
                    spots.len()
                ),
            });
        }
        let mut holder = vec![None; yard.waypoint_count()];
        let mut bodies = Vec::with_capacity(config.agvs);
        for (index, &spot) in spots.iter().take(config.agvs).enumerate() {
            let id = AgvId(index as u32);
            let battery = fleet_rng.random_range(0.6..=1.0);
            core.add_agv(id, spot, battery)?;
            bodies.push(AgvBody::new(id, spot, battery, &yard));
            holder[spot.0 as usize] = Some(index);
        }

        let lift_s = yard.times().crane_lift_s;
        let handling_s = config.demand.truck_handling_s;
        let checkpoints = (0..yard.waypoint_count())
            .map(|w| yard.waypoint(WaypointId(w as u32)).kind == WaypointKind::BorderCheckpoint)
            .collect();
        let mut sim = Self {
            cranes: yard
                .cranes()
                .iter()
                .map(|_| Server::new(1, lift_s))
                .collect(),
            export_bays: Server::new(BAYS_PER_DIRECTION, handling_s),
            import_bays: Server::new(BAYS_PER_DIRECTION, handling_s),
            timed: vec![None; bodies.len()],
            upsets: vec![Upset::default(); bodies.len()],
            below_reserve: vec![false; bodies.len()],
            reserve: fleet_config.reserve,
            safety: SafetyMonitor::new(yard.footprint()),
            deadlock: DeadlockDetector::new(bodies.len(), DEADLOCK_LIMIT_S),
            tally: Tally {
                min_battery: 1.0,
                waiting_ticks: vec![0; yard.waypoint_count()],
                ..Tally::default()
            },
            events: BinaryHeap::new(),
            next_event: 0,
            containers: Vec::new(),
            purposes: Vec::new(),
            now_s: 0.0,
            backlog_at_20h: None,
            intake: Intake::new(
                config.export_yard,
                config.intake_cap,
                config.containers_per_day * config.demand.export_share,
            ),
            timelines: Vec::new(),
            sampler: HourSampler::default(),
            checkpoints,
            config,
            core,
            bodies,
            holder,
            rng: stream(RUN_STREAM),
            disturbance_rng: stream(DISTURBANCE_STREAM),
            pickup_rng: stream(PICKUP_STREAM),
        };
        sim.draw_demand(&mut demand_rng);
        sim.start_timelines();
        Ok(sim)
    }

    fn draw_demand(&mut self, rng: &mut ChaCha8Rng) {
        let arrivals =
            self.config
                .demand
                .draw(self.config.containers_per_day, self.config.hours, rng);
        for arrival in arrivals {
            let id = ContainerId(self.containers.len() as u64);
            self.containers.push(ContainerLog {
                direction: arrival.direction,
                reefer: arrival.reefer,
                arrived_s: arrival.at_s,
                hold_s: arrival.hold_s,
                cleared_s: None,
                truck_arrived_s: None,
            });
            let event = match arrival.direction {
                Direction::Export => Event::ExportTruckArrives(id),
                Direction::Import => Event::ImportReleased(id),
            };
            self.schedule(arrival.at_s, event);
        }
    }

    fn schedule(&mut self, at_s: f64, event: Event) {
        let key = (at_s * 1000.0).round().max(0.0) as u64;
        self.events.push(Reverse((key, self.next_event, event)));
        self.next_event += 1;
    }

    /// Runs to the end; `progress` is called now and then with the share done (0 to 1).
    pub fn run(mut self, mut progress: impl FnMut(f64)) -> SimReport {
        let started = Instant::now();
        let ticks = (self.config.hours * 3600.0 / self.config.tick_s).round() as u64;
        let report_every = (ticks / 200).max(1);
        info!(
            yard = self.config.yard.name(),
            agvs = self.bodies.len(),
            ticks,
            "run starts"
        );
        for tick in 1..=ticks {
            self.now_s = tick as f64 * self.config.tick_s;
            self.step();
            if tick % report_every == 0 {
                progress(tick as f64 / ticks as f64);
            }
        }
        progress(1.0);
        self.close_last_hour();
        self.report(started.elapsed().as_secs_f64())
    }

    /// One tick: world events, the core, the commands, motion, services, the monitors.
    fn step(&mut self) {
        let now = self.now_s;
        self.tick_intake();
        self.release_due_events();
        self.serve_bays();

        let reports: Vec<_> = self.bodies.iter().map(AgvBody::report).collect();
        let commands = self.core.tick(now, reports);
        for command in commands {
            self.apply(command);
        }

        let mut progressed = vec![false; self.bodies.len()];
        self.move_bodies(&mut progressed);
        self.serve_actions();
        self.watch(&progressed);

        if self.backlog_at_20h.is_none() && now >= BACKLOG_HOUR * 3600.0 {
            let waiting = self
                .containers
                .iter()
                .filter(|c| c.arrived_s <= now && c.cleared_s.is_none())
                .count();
            self.backlog_at_20h = Some(waiting as u64);
        }
        self.sample_hour();
    }

    fn release_due_events(&mut self) {
        let now_key = (self.now_s * 1000.0).round() as u64;
        while let Some(Reverse((key, _, event))) = self.events.peek().copied() {
            if key > now_key {
                break;
            }
            self.events.pop();
            match event {
                Event::ExportTruckArrives(c) => self.admit_export(c),
                Event::ImportReleased(c) => self.declare(c),
                Event::ContainerReady(c) => {
                    if self.hold_for_far_side(c) {
                        continue;
                    }
                    if let Err(refused) = self.core.set_clearance(c, Clearance::Released) {
                        warn!(container = %c, %refused, "release refused");
                    }
                }
                Event::ImportTruckArrives(c) => {
                    self.containers[c.0 as usize].truck_arrived_s = Some(self.now_s);
                    self.import_bays.join(c);
                }
                Event::ExportCollected(c) => {
                    self.core.collected(c);
                }
            }
        }
    }

    /// Trucks at the Vietnamese bays: exports are lifted off, then wait for customs; import
    /// trucks are loaded and leave.
    fn serve_bays(&mut self) {
        let now = self.now_s;
        for c in self.export_bays.finish(now) {
            let log = self.containers[c.0 as usize];
            self.tally.turnarounds_s.push(now - log.arrived_s);
            self.declare(c);
        }
        self.export_bays.start(now);
        for c in self.import_bays.finish(now) {
            if let Some(arrived) = self.containers[c.0 as usize].truck_arrived_s {
                self.tally.turnarounds_s.push(now - arrived);
            }
            self.core.collected(c);
        }
        self.import_bays.start(now);
    }

    /// A container is in its origin yard, ready to cross: it is declared to the core, and
    /// customs decides at once. Most are released; a share goes to inspection, a few are held
    /// for a day or more, and those are released when their time is up.
    fn declare(&mut self, c: ContainerId) {
        let log = self.containers[c.0 as usize];
        let request = MoveRequest {
            container: c,
            direction: log.direction,
            reefer: log.reefer,
            customs: Clearance::Awaiting,
        };
        if let Err(refused) = self.core.submit(request) {
            warn!(container = %c, %refused, "declaration refused");
            return;
        }
        let decision = match log.hold_s {
            h if h <= 0.0 => Clearance::Released,
            h if h < LONG_HOLD_S => Clearance::Inspection,
            _ => Clearance::Held,
        };
        let decision = self.far_side_decision(c, decision);
        if decision != Clearance::Released {
            self.schedule(self.now_s + log.hold_s, Event::ContainerReady(c));
        }
        if let Err(refused) = self.core.set_clearance(c, decision) {
            warn!(container = %c, %refused, "customs decision refused");
        }
    }

    fn apply(&mut self, command: VehicleCommand) {
        let yard = self.config.yard.clone();
        match command {
            VehicleCommand::Pause { agv } => self.upsets[agv.0 as usize].paused = true,
            VehicleCommand::Resume { agv } => self.upsets[agv.0 as usize].paused = false,
            VehicleCommand::Drive {
                agv,
                to,
                max_speed_mps,
            } => {
                let index = agv.0 as usize;
                let taken = self.holder[to.0 as usize].is_some_and(|h| h != index);
                let body = &mut self.bodies[index];
                if taken {
                    warn!(agv = %agv, to = %to, "drive refused: waypoint held by another AGV");
                    self.tally.refused += 1;
                    return;
                }
                match body.start_drive(to, max_speed_mps, &yard, &self.config.agv) {
                    Ok(()) => self.holder[to.0 as usize] = Some(index),
                    Err(refused) => {
                        warn!(agv = %agv, to = %to, %refused, "drive refused");
                        self.tally.refused += 1;
                    }
                }
            }
            VehicleCommand::StartAction { agv, id, action } => {
                self.start_action(agv.0 as usize, id, action)
            }
        }
    }

    fn start_action(&mut self, index: usize, id: ActionId, action: Action) {
        let yard = &self.config.yard;
        let times = yard.times();
        let body = &mut self.bodies[index];
        let state = |status| Some(ActionState { id, action, status });
        let timed_s = match action {
            Action::Pick { .. } | Action::Drop { .. } => {
                let Some(crane) = yard.crane_of_slot(body.at) else {
                    warn!(agv = %body.id, at = %body.at, ?action, "no crane here");
                    body.action = state(ActionStatus::Failed);
                    return;
                };
                self.cranes[crane.0 as usize].join(index);
                body.action = state(ActionStatus::Waiting);
                return;
            }
            Action::GateCheck => times.booth_check_s,
            Action::BorderCheck => times.border_check_s,
            Action::BatterySwap => times.battery_swap_s,
        };
        body.action = state(ActionStatus::Running);
        self.timed[index] = Some(self.now_s + timed_s);
    }

    /// Draws this tick's stalls and breakdowns, and halts the bodies that are paused,
    /// stalled or broken down.
    fn disturb(&mut self) {
        let now = self.now_s;
        let d = self.config.disturbances;
        let breakdown_chance = d.breakdowns_per_agv_hour * self.config.tick_s / 3600.0;
        let rng = &mut self.disturbance_rng;
        for (body, upset) in self.bodies.iter_mut().zip(&mut self.upsets) {
            let lane = body.drive.map(|drive| drive.to);
            let new_lane = lane.is_some() && lane != upset.lane;
            upset.lane = lane;
            if d.any() && upset.until_s <= now {
                if new_lane && rng.random_bool(d.stall_chance_per_lane) {
                    upset.until_s = now + rng.random_range(d.stall_s.0..=d.stall_s.1);
                    self.tally.stalls += 1;
                } else if rng.random_bool(breakdown_chance) {
                    upset.until_s = now + rng.random_range(d.breakdown_s.0..=d.breakdown_s.1);
                    self.tally.breakdowns += 1;
                    info!(agv = %body.id, until_s = upset.until_s, "breakdown");
                }
            }
            body.halted = upset.paused || upset.until_s > now;
        }
    }

    fn move_bodies(&mut self, progressed: &mut [bool]) {
        self.disturb();
        let dt = self.config.tick_s;
        let yard = &self.config.yard;
        for (index, body) in self.bodies.iter_mut().enumerate() {
            let driving = body.drive.is_some() && !body.halted;
            let mut from = body.at;
            for reached in body.advance(dt, yard, &self.config.agv) {
                self.holder[from.0 as usize] = None;
                from = reached;
                if self.checkpoints[reached.0 as usize] {
                    bump(&mut self.tally.crossings_per_hour, self.now_s);
                }
            }
            progressed[index] = driving;
            self.tally.min_battery = self.tally.min_battery.min(body.battery);
        }
    }

    /// Cranes and timed checks: finish what is due, start what can start.
    fn serve_actions(&mut self) {
        let now = self.now_s;
        for crane in 0..self.cranes.len() {
            for index in self.cranes[crane].finish(now) {
                self.finish_action(index);
            }
            for index in self.cranes[crane].start(now) {
                if let Some(state) = self.bodies[index].action.as_mut() {
                    state.status = ActionStatus::Running;
                }
            }
        }
        for index in 0..self.bodies.len() {
            if self.timed[index].is_some_and(|due| due <= now + 1e-9) {
                self.timed[index] = None;
                self.finish_action(index);
            }
        }
    }

    fn finish_action(&mut self, index: usize) {
        let now = self.now_s;
        let body = &mut self.bodies[index];
        let Some(state) = body.action else {
            return;
        };
        match state.action {
            Action::Pick { container } => body.load = Some(container),
            Action::Drop { container } => {
                body.load = None;
                let log = &mut self.containers[container.0 as usize];
                log.cleared_s = Some(now);
                bump(&mut self.tally.cleared_per_hour, now);
                let (lo, hi) = self.config.demand.import_pickup_delay;
                if log.direction == Direction::Import {
                    let delay = self.rng.random_range(lo..=hi.max(lo));
                    self.schedule(now + delay, Event::ImportTruckArrives(container));
                } else if log.reefer {
                    // the Chinese side's trucks take as long as the Vietnamese ones [A]; a
                    // stream of its own keeps the other draws of the run as they were
                    let delay = self.pickup_rng.random_range(lo..=hi.max(lo));
                    self.schedule(now + delay, Event::ExportCollected(container));
                }
            }
            Action::BatterySwap => {
                body.battery = 1.0;
                self.tally.swaps += 1;
            }
            Action::GateCheck | Action::BorderCheck => {}
        }
        self.bodies[index].action = Some(ActionState {
            status: ActionStatus::Finished,
            ..state
        });
    }

    /// The safety monitor, the deadlock detector and the time split.
    fn watch(&mut self, progressed: &[bool]) {
        let yard = &self.config.yard;
        let poses: Vec<_> = self.bodies.iter().map(|b| (b.id, b.pose(yard))).collect();
        for collision in self.safety.check(&poses) {
            warn!(a = %collision.a, b = %collision.b, t = self.now_s, "collision");
        }

        self.core.purposes_into(&mut self.purposes);
        for (index, body) in self.bodies.iter().enumerate() {
            let purpose = self.purposes.get(index).copied().unwrap_or(Purpose::Idle);
            let has_work = matches!(purpose, Purpose::Mission(_) | Purpose::Swap);
            // a stalled, broken-down or paused AGV waits for something that ends by itself
            let active = progressed[index] || body.is_in_action() || body.halted;
            self.deadlock.observe(index, self.now_s, active, has_work);
            let split = split_of(body, has_work, progressed[index]);
            self.tally.split_ticks[split] += 1;
            if split == WAITING {
                self.tally.waiting_ticks[body.at.0 as usize] += 1;
            }
            if body.battery < self.reserve && !self.below_reserve[index] {
                let at = &yard.waypoint(body.at).name;
                warn!(agv = %body.id, battery = body.battery, ?purpose, at, t = self.now_s, "battery below the core's reserve");
            }
            self.below_reserve[index] = body.battery < self.reserve;
        }
        for (crane, server) in yard.cranes().iter().zip(&self.cranes) {
            let side = usize::from(crane.side == Side::Cn);
            self.tally.crane_busy_ticks[side] += server.in_service() as u64;
        }
        for index in self.deadlock.new_stalls(self.now_s) {
            self.judge_stall(index);
        }
    }

    fn report(&self, wall_s: f64) -> SimReport {
        let end = self.config.hours * 3600.0;
        let count = |f: &dyn Fn(&ContainerLog) -> bool| {
            self.containers.iter().filter(|c| f(c)).count() as u64
        };
        let is_export = |c: &ContainerLog| c.direction == Direction::Export;
        let before_20 = |c: &ContainerLog| c.arrived_s < BACKLOG_HOUR * 3600.0;
        let arrived_before_20h = count(&before_20);
        let cleared_of_arrived_before_20h = count(&|c| before_20(c) && c.cleared_s.is_some());
        let mut dwell: Vec<f64> = self
            .containers
            .iter()
            .filter_map(|c| c.cleared_s.map(|t| t - c.arrived_s))
            .collect();
        let mut turnaround = self.tally.turnarounds_s.clone();
        let hours = self.config.hours.ceil() as usize;
        let mut crossings = self.tally.crossings_per_hour.clone();
        crossings.resize(hours, 0);
        let mut cleared_per_hour = self.tally.cleared_per_hour.clone();
        cleared_per_hour.resize(hours, 0);
        let mut timelines = self.timelines.clone();
        for (timeline, log) in timelines.iter_mut().zip(&self.containers) {
            timeline.cleared_s = log.cleared_s;
        }
        let exports_per_day = self.config.containers_per_day * self.config.demand.export_share;
        SimReport {
            yard: self.config.yard.name().to_owned(),
            scenario: self.config.scenario.name().to_owned(),
            seed: self.config.seed,
            hours: self.config.hours,
            agvs: self.bodies.len(),
            containers_per_day: self.config.containers_per_day,
            demand_containers: self.containers.len() as u64,
            demand_export: count(&is_export),
            demand_import: count(&|c| !is_export(c)),
            cleared_containers: count(&|c| c.cleared_s.is_some()),
            cleared_export: count(&|c| is_export(c) && c.cleared_s.is_some()),
            cleared_import: count(&|c| !is_export(c) && c.cleared_s.is_some()),
            arrived_before_20h,
            cleared_of_arrived_before_20h,
            cleared_share_before_20h: if arrived_before_20h == 0 {
                1.0
            } else {
                cleared_of_arrived_before_20h as f64 / arrived_before_20h as f64
            },
            backlog_at_20h: self.backlog_at_20h,
            peak_cleared_per_hour: cleared_per_hour.iter().copied().max().unwrap_or(0),
            cleared_per_hour,
            truck_turnaround_p50_s: quantile(&mut turnaround, 0.5),
            truck_turnaround_p95_s: quantile(&mut turnaround, 0.95),
            dwell_p50_s: quantile(&mut dwell, 0.5),
            dwell_p95_s: quantile(&mut dwell, 0.95),
            time_split: TimeSplit::from_ticks(&self.tally.split_ticks),
            lane_vehicles_per_hour_mean: crossings.iter().sum::<u64>() as f64 / (end / 3600.0),
            lane_vehicles_per_hour_peak: crossings.iter().copied().max().unwrap_or(0),
            agv_km_loaded: self.bodies.iter().map(|b| b.loaded_m).sum::<f64>() / 1000.0,
            agv_km_empty: self.bodies.iter().map(|b| b.empty_m).sum::<f64>() / 1000.0,
            battery_swaps: self.tally.swaps,
            min_battery: self.tally.min_battery,
            crane_use_vn: self.crane_use(Side::Vn),
            crane_use_cn: self.crane_use(Side::Cn),
            waiting_hotspots: self.hotspots(),
            collisions: self.safety.collisions,
            min_centre_distance_m: self.safety.min_centre_distance_m,
            deadlocks: self.deadlock.deadlocks,
            long_waits: self.deadlock.long_waits,
            refused_commands: self.tally.refused,
            stalls: self.tally.stalls,
            breakdowns: self.tally.breakdowns,
            export_yard_capacity: self.config.export_yard.map(|buffer| buffer.places),
            export_yard_reefer_plugs: self.config.export_yard.map(|buffer| buffer.reefer_plugs),
            staged_trucks: self.intake.staged,
            staging_peak: self.intake.staging_peak,
            staging_delay_p95_s: timeline::staging_delay_p95_s(&timelines),
            intake_cap_per_hour: self.config.intake_cap.map(|c| c.per_hour(exports_per_day)),
            wall_s,
            days: timeline::day_summaries(&timelines, self.config.hours),
            hourly: timeline::hourly_series(&timelines, &self.sampler, self.config.hours),
        }
    }
}

impl Simulation {
    /// Finds who stands in the way of a stalled AGV, transitively, and lets the detector
    /// judge the stall; a deadlock is logged with the chain of blockers.
    fn judge_stall(&mut self, index: usize) {
        let yard = self.config.yard.clone();
        let mut chain: Vec<(usize, usize, WaypointId)> = Vec::new();
        let mut seen = vec![index];
        let mut frontier = vec![index];
        // an AGV of the queue with nobody in its way: the queue is not closed, its head may
        // just have been freed (an AGV ahead that broke down drove off this very tick)
        let mut free_head = false;
        while let Some(i) = frontier.pop() {
            let mut blocked = false;
            for (_, lane) in yard.lanes_from(self.bodies[i].at) {
                let Some(ahead) = self.holder[lane.to.0 as usize].filter(|h| *h != i) else {
                    continue;
                };
                blocked = true;
                chain.push((i, ahead, lane.to));
                if !seen.contains(&ahead) {
                    seen.push(ahead);
                    frontier.push(ahead);
                }
            }
            free_head |= !blocked;
        }
        let body = &self.bodies[index];
        let blockers = &seen[1..];
        let verdict = self
            .deadlock
            .judge(index, body.id, blockers, free_head, self.now_s);
        if verdict == Stall::Deadlock {
            let at = &yard.waypoint(body.at).name;
            warn!(agv = %body.id, at, t = self.now_s, "deadlock: no progress for 10 min");
            let id = body.id;
            tracing::debug!(agv = %id, work = ?self.core.work().get(&id), "deadlocked work");
            for (i, ahead, to) in chain {
                let (a, b) = (self.bodies[i].id, self.bodies[ahead].id);
                let to = &yard.waypoint(to).name;
                warn!(agv = %a, to, ahead = %b, why = ?self.purposes.get(ahead), "blocked by");
                let (body, upset) = (&self.bodies[ahead], &self.upsets[ahead]);
                tracing::debug!(agv = %b, work = ?self.core.work().get(&b), drive = ?body.drive, action = ?body.action, ?upset, "blocker");
            }
        }
    }

    /// Share of crane time spent lifting on one side.
    fn crane_use(&self, side: Side) -> f64 {
        let yard = &self.config.yard;
        let cranes = yard.cranes().iter().filter(|c| c.side == side).count() as f64;
        let ticks = self.config.hours * 3600.0 / self.config.tick_s;
        let index = usize::from(side == Side::Cn);
        self.tally.crane_busy_ticks[index] as f64 / (cranes * ticks).max(1.0)
    }

    /// The five waypoints where AGVs with work stood waiting longest, with AGV-hours.
    fn hotspots(&self) -> Vec<(String, f64)> {
        let mut spots: Vec<(usize, u64)> = self
            .tally
            .waiting_ticks
            .iter()
            .copied()
            .enumerate()
            .filter(|s| s.1 > 0)
            .collect();
        spots.sort_by_key(|&(w, ticks)| (std::cmp::Reverse(ticks), w));
        let hours = |ticks: u64| ticks as f64 * self.config.tick_s / 3600.0;
        let name = |w: usize| self.config.yard.waypoint(WaypointId(w as u32)).name.clone();
        spots
            .iter()
            .take(5)
            .map(|&(w, ticks)| (name(w), hours(ticks)))
            .collect()
    }
}

/// The index of `waiting` in the time split.
const WAITING: usize = 3;

/// Which share of the time split a tick of this AGV goes to (the order of [`TimeSplit`]).
fn split_of(body: &AgvBody, has_work: bool, driving: bool) -> usize {
    if let Some(state) = body.action {
        match (state.action, state.status) {
            (Action::BatterySwap, ActionStatus::Waiting | ActionStatus::Running) => return 4,
            (_, ActionStatus::Running) => return 2,
            _ => {}
        }
    }
    match (driving, body.load.is_some(), has_work) {
        (true, true, _) => 0,
        (true, false, _) => 1,
        (false, _, true) | (false, true, false) => WAITING,
        (false, false, false) => 5,
    }
}

fn bump(per_hour: &mut Vec<u64>, now_s: f64) {
    let hour = (now_s / 3600.0) as usize;
    if per_hour.len() <= hour {
        per_hour.resize(hour + 1, 0);
    }
    per_hour[hour] += 1;
}

/// Where AGVs start: parking slots of both sides alternately, then the yard's lane slots.
fn start_spots(yard: &maps::Yard) -> Vec<WaypointId> {
    let parking = |side: Side| -> Vec<WaypointId> {
        yard.waypoints_of(WaypointKind::Parking)
            .filter(|w| yard.waypoint(*w).side == side)
            .collect()
    };
    let (vn, cn) = (parking(Side::Vn), parking(Side::Cn));
    let mut spots = Vec::new();
    for i in 0..vn.len().max(cn.len()) {
        spots.extend(vn.get(i));
        spots.extend(cn.get(i));
    }
    spots.extend(yard.waypoints_of(WaypointKind::LaneSlot));
    spots
}

//! The manager's loop: the fleet core run in real time, its vehicles reached over Zenoh.
//!
//! One thread does everything, in this order, every [`ServeConfig::tick`] of wall time:
//! connection changes from liveliness ([`transport::Presence`]), vehicle states into their
//! [`OrderDesk`]s, container moves submitted on `{site}/fleet/moves`, one core tick with what
//! the desks report, the core's commands into orders, resends, and the core's events out on
//! `{site}/fleet/events`. States are taken as they arrive, between ticks.
//!
//! A vehicle joins the fleet with its first state naming a waypoint of the yard. Its
//! [`AgvId`] is given by arrival order and kept for the run, so that a vehicle that
//! reconnects with the same serial is the same AGV. A vehicle whose liveliness token
//! vanishes is lost to the core ([`FleetCore::set_connected`]): its released base stays
//! reserved until it is back.
//!
//! Core time is wall time since start times [`ServeConfig::time_scale`], so that a whole
//! shift can be played against virtual vehicles running at the same scale.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use fleet::{
    AgvId, Clearance, ContainerId, Direction, FleetConfig, FleetCore, FleetEvent, MissionState,
    MoveRequest, VehicleCommand,
};
use maps::Yard;
use serde::{Deserialize, Serialize};
use tracing::{debug, error, info, warn};
use transport::{Inbox, LinkConfig, LinkError, Presence, PresenceEvent, VehicleName};
use vda5050::{Factsheet, State, Timestamp};
use zenoh::Wait;
use zenoh::handlers::FifoChannelHandler;
use zenoh::key_expr::KeyExpr;
use zenoh::query::Query;

use crate::desk::{DeskConfig, DeskEvent, OrderDesk, Outgoing, parse_container};

/// Settings of `gatefleet serve`.
#[derive(Clone, Debug)]
pub struct ServeConfig {
    /// Site prefix of every key, e.g. `huu-nghi`.
    pub site: String,
    /// The yard.
    pub yard: Arc<Yard>,
    /// Where the manager listens and whom it connects to.
    pub link: LinkConfig,
    /// Core seconds per wall second.
    pub time_scale: f64,
    /// Wall time between two core ticks.
    pub tick: Duration,
    /// The core's settings.
    pub fleet: FleetConfig,
    /// The order desks' settings.
    pub desk: DeskConfig,
}

impl ServeConfig {
    /// Defaults for a yard: site named after it, listening on `tcp/127.0.0.1:7447`, real
    /// time, 10 ticks a second, the next waypoint released 15 s ahead (a vehicle brakes
    /// for about 12 s from full speed and must not need to).
    pub fn new(yard: Arc<Yard>) -> Self {
        Self {
            site: yard.name().to_owned(),
            yard,
            link: LinkConfig::listening("tcp/127.0.0.1:7447"),
            time_scale: 1.0,
            tick: Duration::from_millis(100),
            fleet: FleetConfig {
                release_ahead_s: 15.0,
                ..FleetConfig::default()
            },
            desk: DeskConfig::default(),
        }
    }
}

/// Why the manager could not start.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ServeError {
    /// The Zenoh link failed.
    #[error(transparent)]
    Link(#[from] LinkError),
    /// The core refused the yard.
    #[error(transparent)]
    Fleet(#[from] fleet::FleetError),
    /// A setting is out of range.
    #[error("bad setting {what}: {problem}")]
    BadSetting {
        /// Which setting.
        what: &'static str,
        /// What is wrong.
        problem: String,
    },
}

/// A container move as submitted on `{site}/fleet/moves` (JSON).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MoveSubmission {
    /// The container, written `c{n}`.
    pub container: String,
    /// `export` (Vietnam to China) or `import`.
    pub direction: Direction,
    /// Refrigerated.
    #[serde(default)]
    pub reefer: bool,
    /// Customs so far; released unless said.
    #[serde(default = "released")]
    pub customs: Clearance,
}

fn released() -> Clearance {
    Clearance::Released
}

/// The answer to a submission.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SubmitReply {
    /// The mission, when accepted.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub mission: Option<u64>,
    /// Why not, when refused.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub error: Option<String>,
}

/// One vehicle in the manager's status.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct VehicleStatus {
    /// Serial number.
    pub serial: String,
    /// Fleet id.
    pub agv: u32,
    /// Whether its connection is up.
    pub connected: bool,
    /// Whether the manager gave it up (it refuses or ignores orders).
    pub given_up: bool,
    /// Last node reported.
    pub at: String,
    /// Series name from the vehicle's factsheet, once it answered.
    #[serde(default)]
    pub series: Option<String>,
    /// State of charge, percent.
    pub battery: f64,
}

/// What `{site}/fleet/status` answers.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FleetStatus {
    /// Core time, seconds.
    pub now_s: f64,
    /// The vehicles, by serial.
    pub vehicles: Vec<VehicleStatus>,
    /// Missions queued (waiting for customs or an AGV).
    pub queued: usize,
    /// Missions with an AGV.
    pub underway: usize,
    /// Missions done.
    pub done: usize,
}

struct Vehicle {
    name: VehicleName,
    desk: OrderDesk,
    factsheet: Option<Factsheet>,
    joined: bool,
    connected: bool,
    /// The vehicle's `state` key, declared to Zenoh for as long as the vehicle is known
    /// (see [`Manager::declare_state_key`]).
    _state_key: Option<KeyExpr<'static>>,
}

/// Statistics of state handling, for the benchmark.
///
/// Receipt is when the state comes out of the subscriber's channel, parsed ([`Inbox::next`]
/// dequeues and parses in one call, so parsing is not in these figures).
/// The lists hold one entry per state taken, in the order taken: `to_desk_us[i]` and
/// `sent_at[i]` are of the same state, and so are `to_core_us[i]` and `core_at[i]` for every
/// `i` below their length (a state taken after the last tick has no entry there).
#[derive(Clone, Debug, Default)]
pub struct IngestStats {
    /// States taken.
    pub states: u64,
    /// Broken state messages.
    pub broken: u64,
    /// Microseconds from receipt to the desk's updated view, per state.
    pub to_desk_us: Vec<u32>,
    /// Microseconds from receipt to the core tick that took the state in, per state.
    pub to_core_us: Vec<u32>,
    /// The header timestamp of each state, as the vehicle wrote it: with the vehicle's clock
    /// on this machine, the time it was published.
    pub sent_at: Vec<Timestamp>,
    /// Wall-clock time when the core tick that took each state in was done.
    pub core_at: Vec<SystemTime>,
    /// Microseconds each core tick took, from gathering the desks' reports to the core's
    /// answer (what a state waits for the next tick is the rest of `to_core_us`).
    pub tick_us: Vec<u32>,
}

/// The fleet manager on the network.
pub struct Manager {
    config: ServeConfig,
    session: zenoh::Session,
    presence: Presence,
    states: Inbox<State>,
    factsheets: Inbox<Factsheet>,
    moves: zenoh::query::Queryable<FifoChannelHandler<Query>>,
    status: zenoh::query::Queryable<FifoChannelHandler<Query>>,
    events_key: String,
    core: FleetCore,
    vehicles: BTreeMap<String, Vehicle>,
    by_agv: HashMap<AgvId, String>,
    run: String,
    started: Instant,
    stats: Option<IngestStats>,
    /// Receipt times of the states taken since the last tick.
    received: Vec<Instant>,
}

fn unix_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as u64)
}

impl Manager {
    /// Opens the link and builds the core.
    ///
    /// # Errors
    /// [`ServeError`] for a bad setting, a link that does not open or a yard the core
    /// refuses.
    pub fn start(config: ServeConfig) -> Result<Self, ServeError> {
        if !(config.time_scale.is_finite() && config.time_scale > 0.0) {
            return Err(ServeError::BadSetting {
                what: "time scale",
                problem: format!("{} is not a positive number", config.time_scale),
            });
        }
        if config.tick.is_zero() {
            return Err(ServeError::BadSetting {
                what: "tick",
                problem: "must be longer than zero".into(),
            });
        }
        let core = FleetCore::new(config.yard.clone(), config.fleet)?;
        let session = config.link.open()?;
        let presence = Presence::follow(&session, &config.site)?;
        let states = Inbox::<State>::from_all(&session, &config.site)?;
        let factsheets = Inbox::<Factsheet>::from_all(&session, &config.site)?;
        let declare = |what: &str| {
            session
                .declare_queryable(format!("{}/fleet/{what}", config.site))
                .wait()
                .map_err(|e| LinkError::Zenoh(e.to_string()))
        };
        let moves = declare("moves")?;
        let status = declare("status")?;
        let events_key = format!("{}/fleet/events", config.site);
        // order ids of this run: the start time in base 36 is short and never repeats
        let run = radix36(unix_ms());
        info!(site = %config.site, run = %run, listen = ?config.link.listen,
            connect = ?config.link.connect, "manager up");
        Ok(Self {
            config,
            session,
            presence,
            states,
            factsheets,
            moves,
            status,
            events_key,
            core,
            vehicles: BTreeMap::new(),
            by_agv: HashMap::new(),
            run,
            started: Instant::now(),
            stats: None,
            received: Vec::new(),
        })
    }

    /// Records how long each state takes to reach the desks and the core, from now on.
    pub fn measure_ingest(&mut self) {
        self.stats = Some(IngestStats::default());
        self.received.clear();
    }

    /// Takes the ingest statistics gathered so far and goes on measuring afresh; states
    /// taken since the last tick are left out of both.
    pub fn take_stats(&mut self) -> Option<IngestStats> {
        self.received.clear();
        self.stats.replace(IngestStats::default())
    }

    /// The core, e.g. to submit moves or set traffic rules in-process.
    pub fn core(&mut self) -> &mut FleetCore {
        &mut self.core
    }

    /// Core time now, seconds.
    pub fn now_s(&self) -> f64 {
        self.started.elapsed().as_secs_f64() * self.config.time_scale
    }

    /// Runs until `stop` is set.
    pub fn run(&mut self, stop: &AtomicBool) {
        let mut next_tick = Instant::now();
        while !stop.load(Ordering::Relaxed) {
            self.take_presence();
            self.take_states_until(next_tick);
            self.take_factsheets();
            self.take_queries();
            if Instant::now() >= next_tick {
                self.tick();
                next_tick += self.config.tick;
                if next_tick < Instant::now() {
                    // a slow tick: skip the missed ones rather than run a burst
                    next_tick = Instant::now() + self.config.tick;
                }
            }
        }
        info!("manager stopping");
    }

    fn take_presence(&mut self) {
        while let Some(event) = self.presence.next(Duration::ZERO) {
            match event {
                PresenceEvent::Connected(name) => {
                    info!(serial = %name.serial, "vehicle connected");
                    if let Some(vehicle) = self.vehicles.get_mut(&name.serial) {
                        vehicle.connected = true;
                        vehicle.desk.take_back();
                        vehicle.desk.request_state(unix_ms());
                    }
                }
                PresenceEvent::Lost(name) => {
                    warn!(serial = %name.serial, "vehicle connection broken");
                    if let Some(vehicle) = self.vehicles.get_mut(&name.serial) {
                        vehicle.connected = false;
                        if vehicle.joined
                            && let Err(e) = self.core.set_connected(vehicle.desk.agv(), false)
                        {
                            error!(%e, "lost vehicle not in the core");
                        }
                    }
                }
            }
        }
    }

    fn take_states_until(&mut self, deadline: Instant) {
        loop {
            let wait = deadline.saturating_duration_since(Instant::now());
            let Some((name, message)) = self.states.next(wait.min(Duration::from_millis(20)))
            else {
                // nothing for a while: look at queries and presence too
                return;
            };
            let received = Instant::now();
            match message {
                Ok(state) => self.take_state(name, state, received),
                Err(e) => {
                    warn!(serial = %name.serial, %e, "broken state dropped");
                    if let Some(stats) = &mut self.stats {
                        stats.broken += 1;
                    }
                }
            }
            if Instant::now() >= deadline {
                return;
            }
        }
    }

    fn take_state(&mut self, name: VehicleName, state: State, received: Instant) {
        let yard = self.config.yard.clone();
        if !self.vehicles.contains_key(&name.serial) {
            let agv = AgvId(self.vehicles.len() as u32);
            info!(serial = %name.serial, %agv, "new vehicle");
            let mut desk = OrderDesk::new(
                agv,
                name.manufacturer.clone(),
                name.serial.clone(),
                self.run.clone(),
                self.config.desk,
            );
            // what the vehicle is, for the operator and the footprint check below
            desk.request_factsheet(unix_ms());
            self.by_agv.insert(agv, name.serial.clone());
            let state_key = self.declare_state_key(&name);
            self.vehicles.insert(
                name.serial.clone(),
                Vehicle {
                    name: name.clone(),
                    desk,
                    factsheet: None,
                    joined: false,
                    connected: true,
                    _state_key: state_key,
                },
            );
        }
        let Some(vehicle) = self.vehicles.get_mut(&name.serial) else {
            return;
        };
        if state.header.manufacturer != name.manufacturer
            || state.header.serial_number != name.serial
        {
            warn!(key = %name.serial, header = %state.header.serial_number,
                "state whose header names another vehicle than its key; dropped");
            return;
        }
        let Some(at) = yard.find(&state.last_node_id) else {
            warn!(serial = %name.serial, node = %state.last_node_id,
                "state names no waypoint of the yard; vehicle left out until it does");
            return;
        };
        let battery = state.battery_state.battery_charge / 100.0;
        let sent_at = self.stats.is_some().then(|| state.header.timestamp.clone());
        let events = vehicle.desk.on_state(&yard, state, unix_ms());
        if !vehicle.joined {
            match self.core.add_agv(vehicle.desk.agv(), at, battery) {
                Ok(()) => vehicle.joined = true,
                Err(e) => warn!(serial = %name.serial, %e, "vehicle not added"),
            }
        } else if vehicle.connected && !vehicle.desk.is_given_up() {
            let _ = self.core.set_connected(vehicle.desk.agv(), true);
        }
        for event in events {
            if let DeskEvent::GaveUp { .. } = event {
                let _ = self.core.set_connected(vehicle.desk.agv(), false);
            }
        }
        Self::flush(&self.session, &self.config.site, vehicle);
        if let Some(stats) = &mut self.stats {
            stats.states += 1;
            stats.to_desk_us.push(received.elapsed().as_micros() as u32);
            stats.sent_at.extend(sent_at);
            self.received.push(received);
        }
    }

    /// Keeps each vehicle's factsheet; warns of a vehicle larger than the yard's footprint,
    /// whose slots and gaps are sized for that footprint only.
    fn take_factsheets(&mut self) {
        while let Some((name, message)) = self.factsheets.next(Duration::ZERO) {
            let sheet = match message {
                Ok(sheet) => sheet,
                Err(e) => {
                    warn!(serial = %name.serial, %e, "broken factsheet dropped");
                    continue;
                }
            };
            let Some(vehicle) = self.vehicles.get_mut(&name.serial) else {
                continue;
            };
            let footprint = self.config.yard.footprint();
            let body = &sheet.physical_parameters;
            if body.length > footprint.length_m || body.width > footprint.width_m {
                warn!(serial = %name.serial, length_m = body.length, width_m = body.width,
                    yard_length_m = footprint.length_m, yard_width_m = footprint.width_m,
                    "vehicle larger than the yard's footprint: its slots may not keep it clear");
            }
            info!(serial = %name.serial, series = %sheet.type_specification.series_name,
                speed_max = body.speed_max, "factsheet received");
            vehicle.factsheet = Some(sheet);
        }
    }

    /// Declares a vehicle's `state` key to Zenoh, so that its states are routed along a
    /// cached route. A message on a key Zenoh holds no resource for is matched against the
    /// resource tree every time, and each vehicle's liveliness token is a resource under the
    /// same prefix: with 1,000 vehicles at 10 Hz that matching alone saturated Zenoh's receive
    /// thread, 35 % of states were dropped and the rest queued for about a second. If the
    /// declaration fails (logged), the vehicle is still heard, at that cost.
    fn declare_state_key(&self, name: &VehicleName) -> Option<KeyExpr<'static>> {
        let key = vda5050::key_expr(
            &self.config.site,
            &name.manufacturer,
            &name.serial,
            vda5050::Topic::State,
        )
        .ok()?;
        match self.session.declare_keyexpr(key).wait() {
            Ok(key) => Some(key),
            Err(e) => {
                warn!(serial = %name.serial, %e, "state key not declared");
                None
            }
        }
    }

    fn take_queries(&mut self) {
        while let Ok(Some(query)) = self.moves.try_recv() {
            let reply = self.submit(&query);
            let body = serde_json::to_vec(&reply).unwrap_or_default();
            if let Err(e) = query.reply(query.key_expr().clone(), body).wait() {
                warn!(%e, "submission answer not sent");
            }
        }
        while let Ok(Some(query)) = self.status.try_recv() {
            let body = serde_json::to_vec(&self.status()).unwrap_or_default();
            if let Err(e) = query.reply(query.key_expr().clone(), body).wait() {
                warn!(%e, "status answer not sent");
            }
        }
    }

    fn submit(&mut self, query: &Query) -> SubmitReply {
        let refuse = |error: String| SubmitReply {
            mission: None,
            error: Some(error),
        };
        let Some(payload) = query.payload() else {
            return refuse("a move needs a JSON body".into());
        };
        let move_: MoveSubmission = match serde_json::from_slice(&payload.to_bytes()) {
            Ok(m) => m,
            Err(e) => return refuse(format!("bad move: {e}")),
        };
        let Some(container) = parse_container(&move_.container) else {
            return refuse(format!(
                "bad container `{}`: expected c<number>",
                move_.container
            ));
        };
        let request = MoveRequest {
            container,
            direction: move_.direction,
            reefer: move_.reefer,
            customs: move_.customs,
        };
        match self.core.submit(request) {
            Ok(mission) => {
                info!(%container, %mission, "move accepted");
                SubmitReply {
                    mission: Some(mission.0),
                    error: None,
                }
            }
            Err(e) => refuse(e.to_string()),
        }
    }

    /// The manager's status: vehicles and mission counts.
    pub fn status(&self) -> FleetStatus {
        let vehicles = self
            .vehicles
            .values()
            .map(|v| {
                let state = v.desk.state();
                VehicleStatus {
                    serial: v.name.serial.clone(),
                    agv: v.desk.agv().0,
                    connected: v.connected,
                    given_up: v.desk.is_given_up(),
                    at: state.map(|s| s.last_node_id.clone()).unwrap_or_default(),
                    series: v
                        .factsheet
                        .as_ref()
                        .map(|f| f.type_specification.series_name.clone()),
                    battery: state.map_or(0.0, |s| s.battery_state.battery_charge),
                }
            })
            .collect();
        let missions = self.core.missions();
        let count = |wanted: &[MissionState]| {
            missions
                .iter()
                .filter(|m| wanted.contains(&m.state))
                .count()
        };
        FleetStatus {
            now_s: self.now_s(),
            vehicles,
            queued: count(&[MissionState::Queued]),
            underway: count(&[MissionState::Assigned, MissionState::Underway]),
            done: count(&[MissionState::Done]),
        }
    }

    fn tick(&mut self) {
        let yard = self.config.yard.clone();
        let now = Instant::now();
        let now_ms = unix_ms();
        let reports: Vec<_> = self
            .vehicles
            .values()
            .filter(|v| v.joined)
            .filter_map(|v| v.desk.report(&yard))
            .collect();
        let commands = self.core.tick(self.now_s(), reports);
        if let Some(stats) = &mut self.stats {
            let (done, wall) = (Instant::now(), SystemTime::now());
            stats
                .tick_us
                .push(done.duration_since(now).as_micros() as u32);
            let taken = self.received.len();
            stats.to_core_us.extend(
                self.received
                    .drain(..)
                    .map(|r| done.duration_since(r).as_micros() as u32),
            );
            stats.core_at.extend(std::iter::repeat_n(wall, taken));
        }
        for command in commands {
            self.command(&yard, command, now, now_ms);
        }
        for event in self.core.take_events() {
            self.publish_event(&event);
        }
        let mut gave_up = Vec::new();
        for vehicle in self.vehicles.values_mut() {
            for event in vehicle.desk.poll(now) {
                if let DeskEvent::GaveUp { .. } = event {
                    gave_up.push(vehicle.desk.agv());
                }
            }
            Self::flush(&self.session, &self.config.site, vehicle);
        }
        for agv in gave_up {
            let _ = self.core.set_connected(agv, false);
        }
    }

    fn command(&mut self, yard: &Yard, command: VehicleCommand, now: Instant, now_ms: u64) {
        let agv = match command {
            VehicleCommand::Drive { agv, .. }
            | VehicleCommand::Pause { agv }
            | VehicleCommand::Resume { agv }
            | VehicleCommand::StartAction { agv, .. } => agv,
        };
        let Some(serial) = self.by_agv.get(&agv) else {
            return;
        };
        let horizon = match command {
            VehicleCommand::Drive { to, .. } => {
                self.core
                    .route_ahead(agv, to, self.config.desk.horizon_nodes)
            }
            _ => Vec::new(),
        };
        let Some(vehicle) = self.vehicles.get_mut(serial) else {
            return;
        };
        let desk = &mut vehicle.desk;
        match command {
            VehicleCommand::Drive {
                to, max_speed_mps, ..
            } => {
                if !desk.release(yard, to, max_speed_mps, &horizon, now, now_ms) {
                    debug!(%agv, to = %yard.waypoint(to).name, "release held back");
                }
            }
            VehicleCommand::StartAction { id, action, .. } => {
                let at = desk.report(yard).map(|r| r.at);
                if let Some(at) = at
                    && !desk.start_action(yard, id, action, at, now, now_ms)
                {
                    debug!(%agv, ?action, "action held back");
                }
            }
            VehicleCommand::Pause { .. } => desk.pause(true, now_ms),
            VehicleCommand::Resume { .. } => desk.pause(false, now_ms),
        }
        Self::flush(&self.session, &self.config.site, vehicle);
    }

    fn flush(session: &zenoh::Session, site: &str, vehicle: &mut Vehicle) {
        for message in vehicle.desk.drain_outgoing() {
            let sent = match &message {
                Outgoing::Order(order) => transport::send(session, site, &vehicle.name, order),
                Outgoing::Instant(actions) => {
                    transport::send(session, site, &vehicle.name, actions)
                }
            };
            if let Err(e) = sent {
                warn!(serial = %vehicle.name.serial, %e, "message not sent");
            }
        }
    }

    fn publish_event(&self, event: &FleetEvent) {
        debug!(?event, "fleet event");
        let body = serde_json::to_vec(event).unwrap_or_default();
        if let Err(e) = self.session.put(&self.events_key, body).wait() {
            warn!(%e, "event not published");
        }
    }

    /// The vehicles known, by serial, with their fleet ids.
    pub fn vehicles(&self) -> Vec<(String, AgvId)> {
        self.vehicles
            .values()
            .map(|v| (v.name.serial.clone(), v.desk.agv()))
            .collect()
    }
}

fn radix36(mut n: u64) -> String {
    const DIGITS: &[u8] = b"0123456789abcdefghijklmnopqrstuvwxyz";
    let mut out = Vec::new();
    loop {
        out.push(DIGITS[(n % 36) as usize]);
        n /= 36;
        if n == 0 {
            break;
        }
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

/// A container id as the manager writes it on the wire.
pub fn container_name(container: ContainerId) -> String {
    container.to_string()
}

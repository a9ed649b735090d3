//! The vehicle process: a [`VirtualAgv`] on a Zenoh session, in wall-clock time.
//!
//! [`run`] opens the session, declares the vehicle's liveliness token and factsheet
//! queryable, says `connection ONLINE`, then loops every 10 ms or so: it takes orders and
//! instant actions, advances the vehicle by the wall time elapsed times `time_scale`,
//! publishes `state` on every event and at least every second, `visualization` every
//! 100 ms, and writes the pose file every second and on every node reached. When `stop` is
//! set it says `connection OFFLINE` and returns.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use nalgebra::{Isometry2, Vector2};
use thiserror::Error;
use tracing::{debug, info, warn};
use transport::{FactsheetServer, Inbox, LinkConfig, LinkError, VehicleName, VehicleToken};
use vda5050::{Connection, ConnectionState, Header, InstantActions, Order, Timestamp};
use zenoh::Wait;

use crate::agv::{PoseRecord, VirtualAgv};
use crate::factsheet::factsheet;
use crate::traits::AgvTraits;

/// Longest wall time between two states.
const STATE_INTERVAL: Duration = Duration::from_secs(1);
/// Wall time between two pose file writes (also written on every node reached).
const POSE_INTERVAL: Duration = Duration::from_secs(1);
/// Longest wait for an order in one turn of the loop.
const POLL: Duration = Duration::from_millis(10);

/// Why the vehicle could not start or had to stop.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum HilError {
    /// The start node is not a waypoint of the yard.
    #[error("node {node:?} is not a waypoint of yard {yard}")]
    UnknownNode {
        /// The node asked for.
        node: String,
        /// The yard's name.
        yard: String,
    },
    /// Neither a pose file to resume from nor a start node.
    #[error("no start: give a start node (--at) or an existing pose file")]
    NoStart,
    /// A setting out of range.
    #[error("{setting} = {value}: {expected}")]
    BadSetting {
        /// Which setting.
        setting: &'static str,
        /// Its value.
        value: f64,
        /// What it must be.
        expected: &'static str,
    },
    /// The pose file could not be read or written.
    #[error("pose file {path:?}")]
    PoseFile {
        /// The file.
        path: PathBuf,
        /// What failed.
        #[source]
        source: std::io::Error,
    },
    /// The pose file is not a pose record.
    #[error("pose file {path:?} is not a pose record")]
    PoseFormat {
        /// The file.
        path: PathBuf,
        /// What failed.
        #[source]
        source: serde_json::Error,
    },
    /// The Zenoh session or a declaration failed.
    #[error(transparent)]
    Link(#[from] LinkError),
}

/// Everything a vehicle process needs.
#[derive(Clone, Debug)]
pub struct AgvOptions {
    /// VDA 5050 serial number.
    pub serial: String,
    /// VDA 5050 manufacturer.
    pub manufacturer: String,
    /// Site prefix of the key expressions.
    pub site: String,
    /// The yard: start node positions, and `mapId` (its name).
    pub yard: maps::Yard,
    /// Waypoint to start at when there is no pose file to resume from.
    pub at: Option<String>,
    /// Battery at start, percent (when not resumed).
    pub battery_pct: f64,
    /// Endpoints.
    pub link: LinkConfig,
    /// Simulated seconds per wall second.
    pub time_scale: f64,
    /// Where to keep the pose across restarts.
    pub pose_file: Option<PathBuf>,
    /// `visualization` messages per wall second: 10 by default (VDA 5050's usual rate);
    /// more when the vehicle runs faster than real time and its poses are checked.
    pub visualization_hz: f64,
    /// Speeds, battery, body.
    pub traits: AgvTraits,
}

impl AgvOptions {
    /// Options for vehicle `serial` on `yard` with the defaults: manufacturer `gatefleet`,
    /// site `huu-nghi`, battery 90 %, connecting to `tcp/127.0.0.1:7447`, time scale 1, no
    /// start node, no pose file.
    pub fn new(serial: impl Into<String>, yard: maps::Yard) -> Self {
        Self {
            serial: serial.into(),
            manufacturer: "gatefleet".to_owned(),
            site: "huu-nghi".to_owned(),
            yard,
            at: None,
            battery_pct: 90.0,
            link: LinkConfig::connecting("tcp/127.0.0.1:7447"),
            time_scale: 1.0,
            visualization_hz: 10.0,
            pose_file: None,
            traits: AgvTraits::default(),
        }
    }

    /// The vehicle these options start: resumed from the pose file if it exists, else at the
    /// start node, heading +x.
    ///
    /// # Errors
    /// [`HilError::PoseFile`] / [`HilError::PoseFormat`] for an unreadable pose file,
    /// [`HilError::UnknownNode`] or [`HilError::NoStart`] for a missing start,
    /// [`HilError::BadSetting`] for a battery outside [0, 100] or a time scale that is not
    /// positive.
    pub fn vehicle(&self) -> Result<VirtualAgv, HilError> {
        if !(self.visualization_hz > 0.0 && self.visualization_hz <= 1000.0) {
            return Err(HilError::BadSetting {
                setting: "visualization rate",
                value: self.visualization_hz,
                expected: "between 0 and 1000 per second",
            });
        }
        if !(self.time_scale > 0.0 && self.time_scale.is_finite()) {
            return Err(HilError::BadSetting {
                setting: "time scale",
                value: self.time_scale,
                expected: "a positive number",
            });
        }
        if !(0.0..=100.0).contains(&self.battery_pct) {
            return Err(HilError::BadSetting {
                setting: "battery",
                value: self.battery_pct,
                expected: "a percentage in [0, 100]",
            });
        }
        let map_id = self.yard.name();
        if let Some(path) = self.pose_file.as_deref().filter(|p| p.exists()) {
            let record = read_pose(path)?;
            info!(path = %path.display(), node = %record.last_node_id, "resuming from pose file");
            return Ok(VirtualAgv::resume(self.traits, map_id, &record));
        }
        let node = self.at.as_deref().ok_or(HilError::NoStart)?;
        let id = self.yard.find(node).ok_or_else(|| HilError::UnknownNode {
            node: node.to_owned(),
            yard: map_id.to_owned(),
        })?;
        let at = self.yard.waypoint(id).position;
        let pose = Isometry2::new(Vector2::new(at.x, at.y), 0.0);
        Ok(VirtualAgv::new(
            self.traits,
            map_id,
            node,
            pose,
            self.battery_pct,
        ))
    }
}

/// Reads a pose file.
///
/// # Errors
/// [`HilError::PoseFile`] or [`HilError::PoseFormat`].
pub fn read_pose(path: &Path) -> Result<PoseRecord, HilError> {
    let text = std::fs::read(path).map_err(|source| HilError::PoseFile {
        path: path.to_owned(),
        source,
    })?;
    serde_json::from_slice(&text).map_err(|source| HilError::PoseFormat {
        path: path.to_owned(),
        source,
    })
}

/// Writes a pose file atomically: a temporary file beside it, then a rename.
///
/// # Errors
/// [`HilError::PoseFile`].
pub fn write_pose(path: &Path, record: &PoseRecord) -> Result<(), HilError> {
    let io = |source| HilError::PoseFile {
        path: path.to_owned(),
        source,
    };
    let mut temp = path.as_os_str().to_owned();
    temp.push(".tmp");
    let temp = PathBuf::from(temp);
    let json = serde_json::to_vec_pretty(record).expect("a pose record is plain data");
    std::fs::write(&temp, json).map_err(io)?;
    std::fs::rename(&temp, path).map_err(io)
}

/// Counts `headerId`s per topic.
#[derive(Default)]
struct Headers {
    state: u32,
    visualization: u32,
    connection: u32,
    factsheet: u32,
}

/// The vehicle's link: session, names and counters.
struct Link<'a> {
    options: &'a AgvOptions,
    session: zenoh::Session,
    vehicle: VehicleName,
    headers: Headers,
}

impl Link<'_> {
    fn header(&self, header_id: u32) -> Header {
        Header::new(
            header_id,
            now(),
            &self.options.manufacturer,
            &self.options.serial,
        )
    }

    fn send<M: vda5050::Message>(&self, message: &M) {
        if let Err(error) =
            transport::send(&self.session, &self.options.site, &self.vehicle, message)
        {
            warn!(%error, topic = %M::TOPIC, "not sent");
        }
    }

    fn send_state(&mut self, agv: &VirtualAgv) {
        let header = self.header(self.headers.state);
        self.headers.state = self.headers.state.wrapping_add(1);
        self.send(&agv.state(header));
    }

    fn send_visualization(&mut self, agv: &VirtualAgv) {
        let header = self.header(self.headers.visualization);
        self.headers.visualization = self.headers.visualization.wrapping_add(1);
        self.send(&agv.visualization(header));
    }

    fn send_connection(&mut self, connection_state: ConnectionState) {
        let header = self.header(self.headers.connection);
        self.headers.connection = self.headers.connection.wrapping_add(1);
        self.send(&Connection {
            header,
            connection_state,
        });
    }

    fn send_factsheet(&mut self, agv: &VirtualAgv) {
        let id = self.headers.factsheet;
        self.headers.factsheet = self.headers.factsheet.wrapping_add(1);
        let o = self.options;
        self.send(&factsheet(
            agv.traits(),
            &o.manufacturer,
            &o.serial,
            Some((id, now())),
        ));
    }
}

/// Runs a vehicle until `stop` is set, then says `OFFLINE` and closes the session.
///
/// # Errors
/// A bad start ([`AgvOptions::vehicle`]), a session that cannot open or a bad key part
/// ([`HilError::Link`]). A pose file that cannot be written is logged, not fatal.
pub fn run(options: &AgvOptions, stop: &AtomicBool) -> Result<(), HilError> {
    let mut agv = options.vehicle()?;
    let session = options.link.open()?;
    let site = options.site.as_str();
    let vehicle = VehicleName {
        manufacturer: options.manufacturer.clone(),
        serial: options.serial.clone(),
    };
    let _token = VehicleToken::declare(&session, site, &vehicle.manufacturer, &vehicle.serial)?;
    let sheet = factsheet(agv.traits(), &vehicle.manufacturer, &vehicle.serial, None);
    let _factsheet = FactsheetServer::declare(&session, site, &sheet)?;
    let orders = Inbox::<Order>::of(&session, site, &vehicle)?;
    let instant = Inbox::<InstantActions>::of(&session, site, &vehicle)?;
    let mut link = Link {
        options,
        session,
        vehicle,
        headers: Headers::default(),
    };
    info!(serial = %options.serial, node = %agv.last_node().0, "virtual AGV online");
    link.send_connection(ConnectionState::Online);
    link.send_state(&agv);

    let mut clock = Instant::now();
    let (mut last_state, mut last_pose) = (clock, clock);
    let visualization_interval = Duration::from_secs_f64(1.0 / options.visualization_hz);
    let mut next_visualization = clock;
    while !stop.load(Ordering::Relaxed) {
        // messages first: an order waits at most one poll
        receive(&orders, &instant, &mut agv, &mut link);

        let now = Instant::now();
        let progress = agv.advance((now - clock).as_secs_f64() * options.time_scale);
        clock = now;
        if agv.take_event() || now - last_state >= STATE_INTERVAL {
            link.send_state(&agv);
            last_state = now;
        }
        if now >= next_visualization {
            link.send_visualization(&agv);
            next_visualization += visualization_interval;
            if next_visualization < now {
                next_visualization = now + visualization_interval;
            }
        }
        if let Some(path) = &options.pose_file
            && (progress.nodes_reached > 0 || now - last_pose >= POSE_INTERVAL)
        {
            if let Err(error) = write_pose(path, &agv.pose_record()) {
                warn!(error = %error, "pose file not written");
            }
            last_pose = now;
        }
    }

    link.send_connection(ConnectionState::Offline);
    info!(serial = %options.serial, "virtual AGV offline");
    if let Err(error) = link.session.close().wait() {
        debug!(%error, "session close");
    }
    Ok(())
}

/// Takes the orders and instant actions waiting, and sends a state after each.
fn receive(
    orders: &Inbox<Order>,
    instant: &Inbox<InstantActions>,
    agv: &mut VirtualAgv,
    link: &mut Link<'_>,
) {
    let mut any = false;
    let mut wait = POLL;
    while let Some((_, order)) = orders.next(wait) {
        wait = Duration::ZERO;
        any = true;
        match order {
            Ok(order) => match agv.handle_order(&order) {
                Ok(accepted) => {
                    debug!(order = %order.order_id, update = order.order_update_id, ?accepted, "order taken")
                }
                Err(rejection) => info!(%rejection, "order refused"),
            },
            Err(error) => agv.report_unreadable(error.to_string()),
        }
        // every order is an event: its state goes out before the next is read
        link.send_state(agv);
    }
    while let Some((_, actions)) = instant.next(Duration::ZERO) {
        any = true;
        match actions {
            Ok(actions) => {
                if agv.handle_instant_actions(&actions).factsheet_requested {
                    link.send_factsheet(agv);
                }
            }
            Err(error) => agv.report_unreadable(error.to_string()),
        }
        link.send_state(agv);
    }
    if any {
        agv.take_event();
    }
}

/// Wall-clock time as a VDA 5050 timestamp.
fn now() -> Timestamp {
    let millis = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX));
    Timestamp::from_unix_millis(millis)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pose_file_is_replaced_whole_and_reads_back() {
        let path = std::env::temp_dir().join(format!("hil-pose-unit-{}.json", std::process::id()));
        let record = PoseRecord {
            last_node_id: "vn-park-01".into(),
            x: -1115.0,
            y: -12.5,
            theta: 0.5,
            battery: 77.0,
            load: Some("MSKU1234565".into()),
        };
        write_pose(&path, &record).unwrap();
        write_pose(&path, &record).unwrap();
        assert_eq!(read_pose(&path).unwrap(), record);
        let mut temp = path.as_os_str().to_owned();
        temp.push(".tmp");
        assert!(
            !PathBuf::from(temp).exists(),
            "the temporary file is renamed away"
        );
        std::fs::remove_file(&path).unwrap();
    }
}

//! Zenoh sessions for gatefleet: how the fleet manager, the vehicles, the cameras and the
//! simulator find each other, and how the manager knows which vehicles are there.
//!
//! - [`LinkConfig`] opens a session in peer mode with explicit endpoints and multicast
//!   scouting off, so that a fleet runs on a machine without a network and no traffic
//!   leaves it unless endpoints say so; a router or other endpoints come from the config.
//! - [`Presence`] follows the vehicles that are connected, from Zenoh liveliness tokens: a
//!   vehicle declares a [`VehicleToken`] under its VDA 5050 prefix, and the manager sees it
//!   arrive, and vanish when the vehicle's process dies or its link breaks (VDA 5050's
//!   `CONNECTIONBROKEN`), without waiting for a last-will message.
//!
//! Key expressions follow the VDA 5050 topic levels under a site prefix:
//! `{site}/uagv/v2/{manufacturer}/{serialNumber}/{topic}` ([`vda5050::key_expr`]); messages
//! travel as their VDA 5050 JSON ([`send`], [`Inbox`]).
//!
//! - A vehicle answers requests for its factsheet ([`FactsheetServer`]); the manager asks
//!   with [`fetch_factsheet`] (VDA 5050's `factsheetRequest` instant action, as a query).
//!
//! The calls block (`zenoh::Wait`): the manager's and the vehicles' loops are synchronous.

use std::time::Duration;

use thiserror::Error;
use tracing::debug;
use vda5050::{
    Factsheet, INTERFACE_LEVELS, Message, ParseError, Topic, TopicError, vehicle_prefix,
};
use zenoh::Wait;
use zenoh::handlers::FifoChannelHandler;
use zenoh::liveliness::LivelinessToken;
use zenoh::sample::{Sample, SampleKind};

/// Milliseconds after which a silent link is taken as broken (Zenoh's default is 10 s; a
/// vehicle must be seen gone within 3 s).
pub const LEASE_MS: u64 = 2_000;

/// Why a session or a declaration failed.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum LinkError {
    /// A part of a key expression is empty or holds a character Zenoh reserves.
    #[error(transparent)]
    Key(#[from] TopicError),

    /// An endpoint is not a locator Zenoh accepts, e.g. `tcp/127.0.0.1:7447`.
    #[error("endpoint `{endpoint}`: {reason}")]
    BadEndpoint {
        /// The endpoint given.
        endpoint: String,
        /// What Zenoh said.
        reason: String,
    },
    /// Nobody answered a query in time, e.g. for the factsheet of a vehicle that is not
    /// connected.
    #[error("no answer on `{key}` within {waited_ms} ms")]
    NoAnswer {
        /// The key asked.
        key: String,
        /// How long it waited.
        waited_ms: u128,
    },
    /// An answer was not a valid message.
    #[error(transparent)]
    Parse(#[from] ParseError),
    /// Zenoh refused to open the session or a declaration.
    #[error("zenoh: {0}")]
    Zenoh(String),
}

impl LinkError {
    fn zenoh(error: impl std::fmt::Display) -> Self {
        Self::Zenoh(error.to_string())
    }
}

/// Where a session listens and what it connects to.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LinkConfig {
    /// Endpoints to listen on, e.g. `tcp/127.0.0.1:7447`.
    pub listen: Vec<String>,
    /// Endpoints to connect to: other peers or a router.
    pub connect: Vec<String>,
}

impl LinkConfig {
    /// Listens on one endpoint and connects to none.
    pub fn listening(endpoint: impl Into<String>) -> Self {
        Self {
            listen: vec![endpoint.into()],
            connect: Vec::new(),
        }
    }

    /// Connects to one endpoint and listens on none.
    pub fn connecting(endpoint: impl Into<String>) -> Self {
        Self {
            listen: Vec::new(),
            connect: vec![endpoint.into()],
        }
    }

    /// Opens a peer session: these endpoints, multicast scouting off.
    ///
    /// # Errors
    /// [`LinkError::BadEndpoint`] for an endpoint that is not a locator, or
    /// [`LinkError::Zenoh`] when the session cannot open (a port already taken).
    pub fn open(&self) -> Result<zenoh::Session, LinkError> {
        let mut config = zenoh::Config::default();
        let set = |config: &mut zenoh::Config, key: &str, value: &str| {
            config.insert_json5(key, value).map_err(LinkError::zenoh)
        };
        set(&mut config, "mode", "\"peer\"")?;
        // multicast scouting leaves the loopback interface: peers are named explicitly
        set(&mut config, "scouting/multicast/enabled", "false")?;
        // a link silent for this long is broken: a vehicle that lost power or network is
        // seen gone within it (a killed process closes its sockets and is seen at once)
        set(
            &mut config,
            "transport/link/tx/lease",
            &LEASE_MS.to_string(),
        )?;
        for (key, endpoints) in [
            ("listen/endpoints", &self.listen),
            ("connect/endpoints", &self.connect),
        ] {
            for endpoint in endpoints {
                if endpoint.parse::<zenoh::config::EndPoint>().is_err() {
                    return Err(LinkError::BadEndpoint {
                        endpoint: endpoint.clone(),
                        reason: "not a locator such as tcp/127.0.0.1:7447".into(),
                    });
                }
            }
            let list: Vec<String> = endpoints.iter().map(|e| format!("{e:?}")).collect();
            set(&mut config, key, &format!("[{}]", list.join(",")))?;
        }
        let session = zenoh::open(config).wait().map_err(LinkError::zenoh)?;
        debug!(listen = ?self.listen, connect = ?self.connect, "zenoh session open");
        Ok(session)
    }
}

/// A vehicle as the manager knows it: manufacturer and serial number.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct VehicleName {
    /// VDA 5050 `manufacturer`.
    pub manufacturer: String,
    /// VDA 5050 `serialNumber`.
    pub serial: String,
}

impl VehicleName {
    /// Reads the vehicle out of a key `{site}/uagv/v2/{manufacturer}/{serial}[/...]`.
    pub fn from_key(site: &str, key: &str) -> Option<Self> {
        let rest = key.strip_prefix(site)?.strip_prefix('/')?;
        let rest = rest.strip_prefix(INTERFACE_LEVELS)?.strip_prefix('/')?;
        let mut parts = rest.split('/');
        let manufacturer = parts.next().filter(|p| !p.is_empty())?;
        let serial = parts.next().filter(|p| !p.is_empty())?;
        Some(Self {
            manufacturer: manufacturer.to_owned(),
            serial: serial.to_owned(),
        })
    }
}

/// A vehicle's liveliness token: while it lives, the vehicle is connected.
pub struct VehicleToken {
    _token: LivelinessToken,
}

impl VehicleToken {
    /// Declares the token of a vehicle under its prefix.
    ///
    /// # Errors
    /// A bad key part, or Zenoh refusing the declaration.
    pub fn declare(
        session: &zenoh::Session,
        site: &str,
        manufacturer: &str,
        serial: &str,
    ) -> Result<Self, LinkError> {
        let key = vehicle_prefix(site, manufacturer, serial)?;
        let token = session
            .liveliness()
            .declare_token(key)
            .wait()
            .map_err(LinkError::zenoh)?;
        Ok(Self { _token: token })
    }
}

/// A change in the set of connected vehicles.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PresenceEvent {
    /// The vehicle's token appeared: it is connected.
    Connected(VehicleName),
    /// The vehicle's token vanished: its process ended or its link broke.
    Lost(VehicleName),
}

/// The manager's view of which vehicles of a site are connected, from their liveliness
/// tokens; tokens declared before the manager started are reported too.
pub struct Presence {
    site: String,
    subscriber: zenoh::pubsub::Subscriber<FifoChannelHandler<Sample>>,
}

impl Presence {
    /// Follows the tokens of every vehicle of a site.
    ///
    /// # Errors
    /// A bad site name, or Zenoh refusing the subscription.
    pub fn follow(session: &zenoh::Session, site: &str) -> Result<Self, LinkError> {
        // the site is checked as in a vehicle's prefix; the wildcards are ours
        vehicle_prefix(site, "any", "any")?;
        let key = format!("{site}/{INTERFACE_LEVELS}/*/*");
        let subscriber = session
            .liveliness()
            .declare_subscriber(key)
            .history(true)
            .wait()
            .map_err(LinkError::zenoh)?;
        Ok(Self {
            site: site.to_owned(),
            subscriber,
        })
    }

    /// The next change, waiting at most `timeout`; `None` when nothing changed.
    pub fn next(&self, timeout: Duration) -> Option<PresenceEvent> {
        let sample = self.subscriber.recv_timeout(timeout).ok().flatten()?;
        let name = VehicleName::from_key(&self.site, sample.key_expr().as_str())?;
        Some(match sample.kind() {
            SampleKind::Put => PresenceEvent::Connected(name),
            SampleKind::Delete => PresenceEvent::Lost(name),
        })
    }
}

/// Publishes a message on its topic of one vehicle: `{site}/uagv/v2/{manufacturer}/{serial}/
/// {topic}`, as VDA 5050 JSON. A vehicle sends its state this way, the manager its orders.
///
/// # Errors
/// A bad key part, or Zenoh refusing the put.
pub fn send<M: Message>(
    session: &zenoh::Session,
    site: &str,
    vehicle: &VehicleName,
    message: &M,
) -> Result<(), LinkError> {
    let key = vda5050::key_expr(site, &vehicle.manufacturer, &vehicle.serial, M::TOPIC)?;
    session
        .put(key, vda5050::to_json(message))
        .wait()
        .map_err(LinkError::zenoh)
}

/// The messages of one topic from every vehicle of a site (the manager's view of `state`),
/// or from one vehicle (a vehicle's view of its `order`).
pub struct Inbox<M> {
    site: String,
    subscriber: zenoh::pubsub::Subscriber<FifoChannelHandler<Sample>>,
    _message: std::marker::PhantomData<fn() -> M>,
}

impl<M: Message> Inbox<M> {
    /// Messages of `M`'s topic from every vehicle of the site.
    ///
    /// # Errors
    /// A bad site name, or Zenoh refusing the subscription.
    pub fn from_all(session: &zenoh::Session, site: &str) -> Result<Self, LinkError> {
        vehicle_prefix(site, "any", "any")?;
        Self::subscribe(
            session,
            site,
            format!("{site}/{INTERFACE_LEVELS}/*/*/{}", M::TOPIC),
        )
    }

    /// Messages of `M`'s topic for or from one vehicle.
    ///
    /// # Errors
    /// A bad key part, or Zenoh refusing the subscription.
    pub fn of(
        session: &zenoh::Session,
        site: &str,
        vehicle: &VehicleName,
    ) -> Result<Self, LinkError> {
        let key = vda5050::key_expr(site, &vehicle.manufacturer, &vehicle.serial, M::TOPIC)?;
        Self::subscribe(session, site, key)
    }

    fn subscribe(session: &zenoh::Session, site: &str, key: String) -> Result<Self, LinkError> {
        let subscriber = session
            .declare_subscriber(key)
            .wait()
            .map_err(LinkError::zenoh)?;
        Ok(Self {
            site: site.to_owned(),
            subscriber,
            _message: std::marker::PhantomData,
        })
    }

    /// The next message, waiting at most `timeout`, with the vehicle its key names; a
    /// message that is not valid VDA 5050 comes back as its [`ParseError`], so that the
    /// caller can report it and carry on. `None` when nothing came.
    pub fn next(&self, timeout: Duration) -> Option<(VehicleName, Result<M, ParseError>)> {
        loop {
            let sample = self.subscriber.recv_timeout(timeout).ok().flatten()?;
            let Some(vehicle) = VehicleName::from_key(&self.site, sample.key_expr().as_str())
            else {
                continue;
            };
            let body = sample.payload().to_bytes();
            return Some((vehicle, vda5050::from_json::<M>(&body)));
        }
    }
}

/// A vehicle's factsheet, answered to every query on its factsheet key for as long as this
/// lives.
pub struct FactsheetServer {
    _queryable: zenoh::query::Queryable<()>,
}

impl FactsheetServer {
    /// Answers queries for `factsheet`, under the key of the vehicle it names.
    ///
    /// # Errors
    /// A bad key part in the factsheet's names, or Zenoh refusing the declaration.
    pub fn declare(
        session: &zenoh::Session,
        site: &str,
        factsheet: &Factsheet,
    ) -> Result<Self, LinkError> {
        let key = vda5050::key_expr(
            site,
            &factsheet.manufacturer,
            &factsheet.serial_number,
            Topic::Factsheet,
        )?;
        let body = vda5050::to_json(factsheet);
        let reply_key = key.clone();
        let queryable = session
            .declare_queryable(key)
            .callback(move |query| {
                if let Err(error) = query.reply(&reply_key, body.clone()).wait() {
                    tracing::warn!(key = %reply_key, %error, "factsheet answer not sent");
                }
            })
            .wait()
            .map_err(LinkError::zenoh)?;
        Ok(Self {
            _queryable: queryable,
        })
    }
}

/// Asks a vehicle for its factsheet, for at most `timeout`. A vehicle that has just connected
/// may not be reachable by query yet, so the question is asked again until the time is up.
///
/// # Errors
/// [`LinkError::NoAnswer`] when no vehicle answered, [`LinkError::Parse`] for an answer that
/// is not a factsheet, or a bad key part.
pub fn fetch_factsheet(
    session: &zenoh::Session,
    site: &str,
    vehicle: &VehicleName,
    timeout: Duration,
) -> Result<Factsheet, LinkError> {
    let key = vda5050::key_expr(
        site,
        &vehicle.manufacturer,
        &vehicle.serial,
        Topic::Factsheet,
    )?;
    let start = std::time::Instant::now();
    let round = Duration::from_millis(200).min(timeout);
    while start.elapsed() < timeout {
        let replies = session
            .get(&key)
            .timeout(round)
            .wait()
            .map_err(LinkError::zenoh)?;
        while let Ok(reply) = replies.recv() {
            if let Ok(sample) = reply.result() {
                let body = sample.payload().to_bytes();
                return Ok(vda5050::from_json::<Factsheet>(&body)?);
            }
        }
    }
    Err(LinkError::NoAnswer {
        key,
        waited_ms: start.elapsed().as_millis(),
    })
}

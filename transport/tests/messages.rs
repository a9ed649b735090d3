//! VDA 5050 messages over Zenoh on loopback: typed both ways under their topic keys, and a
//! broken payload reported with the topic rather than dropped or panicking.

use std::time::{Duration, Instant};

use transport::{Inbox, LinkConfig, VehicleName};
use vda5050::{Connection, ConnectionState, Header, InstantActions, Message, State, Timestamp};
use zenoh::Wait;

const SITE: &str = "tan-thanh";

fn agv() -> VehicleName {
    VehicleName {
        manufacturer: "gatefleet".into(),
        serial: "agv-021".into(),
    }
}

fn header(id: u32) -> Header {
    Header::new(
        id,
        Timestamp::from_unix_millis(1_780_000_000_000),
        "gatefleet",
        "agv-021",
    )
}

/// Sends until the inbox has a message (the peers exchange declarations first), at most 3 s.
fn deliver<M: Message + std::fmt::Debug>(
    send: impl Fn() -> Result<(), transport::LinkError>,
    inbox: &Inbox<M>,
) -> (VehicleName, Result<M, vda5050::ParseError>) {
    let start = Instant::now();
    loop {
        send().expect("sent");
        if let Some(received) = inbox.next(Duration::from_millis(100)) {
            return received;
        }
        assert!(start.elapsed() < Duration::from_secs(3), "nothing arrived");
    }
}

#[test]
fn messages_travel_typed_both_ways_under_their_topic_keys() {
    let manager = LinkConfig::listening("tcp/127.0.0.1:17461")
        .open()
        .expect("manager");
    let vehicle = LinkConfig::connecting("tcp/127.0.0.1:17461")
        .open()
        .expect("vehicle");

    let connections = Inbox::<Connection>::from_all(&manager, SITE).expect("inbox");
    let online = Connection {
        header: header(1),
        connection_state: ConnectionState::Online,
    };
    let (from, received) = deliver(
        || transport::send(&vehicle, SITE, &agv(), &online),
        &connections,
    );
    assert_eq!(from, agv());
    assert_eq!(received.expect("a valid message"), online);

    let instant = Inbox::<InstantActions>::of(&vehicle, SITE, &agv()).expect("inbox");
    let actions = InstantActions {
        header: header(7),
        actions: Vec::new(),
    };
    let (_, received) = deliver(
        || transport::send(&manager, SITE, &agv(), &actions),
        &instant,
    );
    assert_eq!(received.expect("a valid message"), actions);
}

#[test]
fn a_broken_state_is_reported_with_its_topic() {
    let manager = LinkConfig::listening("tcp/127.0.0.1:17462")
        .open()
        .expect("manager");
    let vehicle = LinkConfig::connecting("tcp/127.0.0.1:17462")
        .open()
        .expect("vehicle");
    let states = Inbox::<State>::from_all(&manager, SITE).expect("inbox");
    let key = vda5050::key_expr(SITE, "gatefleet", "agv-021", vda5050::Topic::State).expect("key");
    let (from, received) = deliver(
        || {
            vehicle
                .put(&key, r#"{"headerId": "seven"}"#)
                .wait()
                .map_err(|e| transport::LinkError::Zenoh(e.to_string()))
        },
        &states,
    );
    assert_eq!(from, agv());
    let err = received.expect_err("not a state");
    assert!(
        err.to_string().starts_with("invalid state message"),
        "{err}"
    );
}

// the vda5050 crate's example messages, shared rather than written again
#[allow(dead_code, reason = "only the factsheet examples are used here")]
#[path = "../../vda5050/tests/fixtures.rs"]
mod fixtures;

#[test]
fn the_manager_fetches_a_vehicles_factsheet_by_query() {
    let vehicle = LinkConfig::listening("tcp/127.0.0.1:17463")
        .open()
        .expect("vehicle");
    let factsheet = fixtures::factsheet_minimal();
    let _server = transport::FactsheetServer::declare(&vehicle, SITE, &factsheet).expect("served");
    let manager = LinkConfig::connecting("tcp/127.0.0.1:17463")
        .open()
        .expect("manager");
    let name = VehicleName {
        manufacturer: factsheet.manufacturer.clone(),
        serial: factsheet.serial_number.clone(),
    };
    let fetched = transport::fetch_factsheet(&manager, SITE, &name, Duration::from_secs(3));
    assert_eq!(fetched.expect("answered"), factsheet);

    let nobody = VehicleName {
        manufacturer: "gatefleet".into(),
        serial: "agv-404".into(),
    };
    let err = transport::fetch_factsheet(&manager, SITE, &nobody, Duration::from_millis(300))
        .expect_err("no such vehicle");
    assert!(
        err.to_string()
            .starts_with("no answer on `tan-thanh/uagv/v2/gatefleet/agv-404/factsheet`"),
        "{err}"
    );
}

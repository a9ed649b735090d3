//! Sessions on loopback: a vehicle's token is seen arriving and leaving, messages reach the
//! manager under the VDA 5050 keys, and bad names are refused. Each test uses its own ports.

use std::time::{Duration, Instant};

use transport::{LinkConfig, LinkError, Presence, PresenceEvent, VehicleName, VehicleToken};
use zenoh::Wait;

const SITE: &str = "huu-nghi";

fn vehicle(serial: &str) -> VehicleName {
    VehicleName {
        manufacturer: "gatefleet".into(),
        serial: serial.into(),
    }
}

/// Waits for the next presence event, at most `limit`.
fn next_event(presence: &Presence, limit: Duration) -> Option<(PresenceEvent, Duration)> {
    let start = Instant::now();
    while start.elapsed() < limit {
        if let Some(event) = presence.next(Duration::from_millis(50)) {
            return Some((event, start.elapsed()));
        }
    }
    None
}

#[test]
fn a_vehicle_is_seen_connecting_and_leaving_within_three_seconds() {
    let manager = LinkConfig::listening("tcp/127.0.0.1:17451")
        .open()
        .expect("manager session");
    let presence = Presence::follow(&manager, SITE).expect("presence");

    let agv = LinkConfig::connecting("tcp/127.0.0.1:17451")
        .open()
        .expect("vehicle session");
    let token = VehicleToken::declare(&agv, SITE, "gatefleet", "agv-007").expect("token");
    let (event, _) = next_event(&presence, Duration::from_secs(3)).expect("seen connecting");
    assert_eq!(event, PresenceEvent::Connected(vehicle("agv-007")));

    drop(token);
    agv.close().wait().expect("vehicle closes");
    let (event, after) = next_event(&presence, Duration::from_secs(3)).expect("seen leaving");
    assert_eq!(event, PresenceEvent::Lost(vehicle("agv-007")));
    assert!(after < Duration::from_secs(3), "{after:?}");
}

#[test]
fn a_vehicle_connected_before_the_manager_is_reported() {
    let agv = LinkConfig::listening("tcp/127.0.0.1:17452")
        .open()
        .expect("vehicle session");
    let _token = VehicleToken::declare(&agv, SITE, "gatefleet", "agv-001").expect("token");
    let manager = LinkConfig::connecting("tcp/127.0.0.1:17452")
        .open()
        .expect("manager session");
    let presence = Presence::follow(&manager, SITE).expect("presence");
    let (event, _) = next_event(&presence, Duration::from_secs(3)).expect("seen");
    assert_eq!(event, PresenceEvent::Connected(vehicle("agv-001")));
}

#[test]
fn a_state_message_reaches_the_manager_under_its_vda_key() {
    let manager = LinkConfig::listening("tcp/127.0.0.1:17453")
        .open()
        .expect("manager session");
    let states = manager
        .declare_subscriber(format!("{SITE}/uagv/v2/*/*/state"))
        .wait()
        .expect("subscriber");
    let agv = LinkConfig::connecting("tcp/127.0.0.1:17453")
        .open()
        .expect("vehicle session");
    let prefix = vda5050::vehicle_prefix(SITE, "gatefleet", "agv-003").expect("good names");
    let publisher = agv
        .declare_publisher(format!("{prefix}/state"))
        .wait()
        .expect("publisher");
    let body = br#"{"headerId":1,"serialNumber":"agv-003"}"#;

    // the peers take a moment to exchange declarations: publish until one arrives
    let start = Instant::now();
    let sample = loop {
        publisher.put(body.as_slice()).wait().expect("put");
        if let Ok(Some(sample)) = states.recv_timeout(Duration::from_millis(100)) {
            break sample;
        }
        assert!(start.elapsed() < Duration::from_secs(3), "no state arrived");
    };
    let key = sample.key_expr().as_str();
    assert_eq!(key, "huu-nghi/uagv/v2/gatefleet/agv-003/state");
    assert_eq!(VehicleName::from_key(SITE, key), Some(vehicle("agv-003")));
    assert_eq!(sample.payload().to_bytes().as_ref(), body.as_slice());
}

#[test]
fn bad_names_and_endpoints_are_refused_with_what_is_wrong() {
    let agv = LinkConfig::listening("tcp/127.0.0.1:17455")
        .open()
        .expect("session");
    let err = VehicleToken::declare(&agv, SITE, "gate/fleet", "agv-1")
        .err()
        .expect("a slash");
    assert!(matches!(err, LinkError::Key(_)), "{err}");
    assert!(err.to_string().contains("manufacturer"), "{err}");
    let err = Presence::follow(&agv, "").err().expect("no site");
    assert_eq!(err.to_string(), "site is empty");
    let err = LinkConfig::listening("127.0.0.1:7447")
        .open()
        .expect_err("no protocol");
    assert!(
        err.to_string().contains("endpoint `127.0.0.1:7447`"),
        "{err}"
    );
    assert_eq!(
        VehicleName::from_key(SITE, "tan-thanh/uagv/v2/m/s/state"),
        None
    );
}

/// The vehicle of [`a_killed_vehicle_process_is_seen_gone_within_three_seconds`], run in a
/// process of its own: this test binary started again on this one test.
#[test]
#[ignore = "not a test: the vehicle process that the kill test starts and kills"]
fn vehicle_process_for_the_kill_test() {
    let endpoint = std::env::var("GATEFLEET_TEST_CONNECT").expect("started by the kill test");
    let agv = LinkConfig::connecting(endpoint)
        .open()
        .expect("vehicle session");
    let _token = VehicleToken::declare(&agv, SITE, "gatefleet", "agv-009").expect("token");
    std::thread::sleep(Duration::from_secs(30));
}

#[test]
fn a_killed_vehicle_process_is_seen_gone_within_three_seconds() {
    let manager = LinkConfig::listening("tcp/127.0.0.1:17454")
        .open()
        .expect("manager session");
    let presence = Presence::follow(&manager, SITE).expect("presence");
    let exe = std::env::current_exe().expect("the test binary");
    let mut child = std::process::Command::new(exe)
        .args(["--exact", "vehicle_process_for_the_kill_test", "--ignored"])
        .env("GATEFLEET_TEST_CONNECT", "tcp/127.0.0.1:17454")
        .stdout(std::process::Stdio::null())
        .spawn()
        .expect("the vehicle process starts");
    let seen = next_event(&presence, Duration::from_secs(10));
    assert_eq!(
        seen.map(|s| s.0),
        Some(PresenceEvent::Connected(vehicle("agv-009")))
    );

    child.kill().expect("SIGKILL");
    let (event, after) = next_event(&presence, Duration::from_secs(3)).expect("seen gone");
    let _ = child.wait();
    println!("killed vehicle seen gone after {after:?}");
    assert_eq!(event, PresenceEvent::Lost(vehicle("agv-009")));
    assert!(after < Duration::from_secs(3), "{after:?}");
}

//! The vehicle process on loopback Zenoh: it takes an order sent by `transport::send`,
//! drives it, reports state at 1 Hz or more and visualization at about 10 Hz, answers a
//! factsheet request, says OFFLINE when stopped, and resumes from its pose file.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use hil::{AgvOptions, read_pose};
use transport::{Inbox, LinkConfig, VehicleName};
use vda5050::{
    Connection, ConnectionState, Factsheet, InstantActions, Message, Node, NodePosition, Order,
    State, Visualization,
};

use crate::support::{action, header};

const SITE: &str = "huu-nghi";
const SERIAL: &str = "agv-loop-1";

fn vehicle() -> VehicleName {
    VehicleName {
        manufacturer: "gatefleet".into(),
        serial: SERIAL.into(),
    }
}

/// Waits for the first message of the inbox that satisfies `wanted`, at most `limit`.
fn wait_for<M: Message>(inbox: &Inbox<M>, limit: Duration, wanted: impl Fn(&M) -> bool) -> M {
    let start = Instant::now();
    while start.elapsed() < limit {
        if let Some((_, Ok(message))) = inbox.next(Duration::from_millis(50))
            && wanted(&message)
        {
            return message;
        }
    }
    panic!("no wanted {} message within {limit:?}", M::TOPIC);
}

/// A two-node order over yard waypoints `from` -> `to`.
fn order(yard: &maps::Yard, from: &str, to: &str) -> Order {
    let node = |name: &str, sequence_id| {
        let at = yard.waypoint(yard.find(name).expect("waypoint")).position;
        Node {
            node_id: name.into(),
            sequence_id,
            node_description: None,
            released: true,
            node_position: Some(NodePosition {
                x: at.x,
                y: at.y,
                theta: None,
                allowed_deviation_xy: Some(0.5),
                allowed_deviation_theta: None,
                map_id: yard.name().into(),
                map_description: None,
            }),
            actions: Vec::new(),
        }
    };
    let mut order = crate::support::order("hil-1", 0, 0, 1, 2);
    order.header.serial_number = SERIAL.into();
    order.nodes = vec![node(from, 0), node(to, 2)];
    order.edges[0].edge_id = format!("{from}->{to}");
    order.edges[0].start_node_id = from.into();
    order.edges[0].end_node_id = to.into();
    order
}

/// Runs the vehicle in a thread until the returned flag is set.
fn spawn(
    options: AgvOptions,
) -> (
    Arc<AtomicBool>,
    thread::JoinHandle<Result<(), hil::HilError>>,
) {
    let stop = Arc::new(AtomicBool::new(false));
    let flag = Arc::clone(&stop);
    let handle = thread::spawn(move || hil::run(&options, &flag));
    (stop, handle)
}

#[test]
fn vehicle_drives_an_order_received_over_zenoh_and_reports_at_its_rates() {
    let manager = LinkConfig::listening("tcp/127.0.0.1:17470")
        .open()
        .expect("manager session");
    let states = Inbox::<State>::from_all(&manager, SITE).expect("states");
    let visualizations = Inbox::<Visualization>::from_all(&manager, SITE).expect("vis");
    let connections = Inbox::<Connection>::from_all(&manager, SITE).expect("connections");
    let factsheets = Inbox::<Factsheet>::from_all(&manager, SITE).expect("factsheets");

    let yard = maps::yard_file::load_builtin("huu-nghi").expect("yard");
    let pose_file = std::env::temp_dir().join(format!("hil-loopback-{}.json", std::process::id()));
    let _ = std::fs::remove_file(&pose_file);
    let mut options = AgvOptions::new(SERIAL, yard.clone());
    options.at = Some("vn-park-01".into());
    options.link = LinkConfig::connecting("tcp/127.0.0.1:17470");
    options.time_scale = 10.0;
    options.pose_file = Some(pose_file.clone());
    let (stop, handle) = spawn(options.clone());

    // step: the vehicle is heard, then takes the order (resent until taken: duplicates are
    // ignored)
    let first = wait_for(&states, Duration::from_secs(5), |_| true);
    eprintln!("[loopback] first state from {}", first.last_node_id);
    assert_eq!(first.last_node_id, "vn-park-01");
    let order = order(&yard, "vn-park-01", "vn-park-03");
    let start = Instant::now();
    loop {
        transport::send(&manager, SITE, &vehicle(), &order).expect("sent");
        if let Some((_, Ok(state))) = states.next(Duration::from_millis(200))
            && state.order_id == "hil-1"
        {
            break;
        }
        assert!(start.elapsed() < Duration::from_secs(5), "order not taken");
    }
    eprintln!("[loopback] order taken");

    // step: it reaches the last node (25 m, ~14 s simulated, ~1.4 s wall)
    let arrived = wait_for(&states, Duration::from_secs(10), |s| {
        s.last_node_id == "vn-park-03" && !s.driving
    });
    assert!(arrived.node_states.is_empty() && arrived.errors.is_empty());
    let position = arrived.agv_position.expect("position");
    assert!((position.x + 1140.0).abs() < 1e-6 && (position.y + 12.5).abs() < 1e-6);
    eprintln!("[loopback] arrived");

    // step: rates over 1.5 s of standing
    while states.next(Duration::ZERO).is_some() {}
    while visualizations.next(Duration::ZERO).is_some() {}
    let window = Instant::now();
    let (mut state_count, mut vis_count) = (0, 0);
    while window.elapsed() < Duration::from_millis(1500) {
        if states.next(Duration::from_millis(5)).is_some() {
            state_count += 1;
        }
        while visualizations.next(Duration::ZERO).is_some() {
            vis_count += 1;
        }
    }
    eprintln!("[loopback] in 1.5 s: {state_count} states, {vis_count} visualizations");
    assert!((1..=4).contains(&state_count), "{state_count} states");
    assert!((8..=25).contains(&vis_count), "{vis_count} visualizations");

    // step: a factsheet request is answered on the factsheet topic
    let request = InstantActions {
        header: header(0),
        actions: vec![action("factsheetRequest", "f1", &[])],
    };
    transport::send(&manager, SITE, &vehicle(), &request).expect("sent");
    let sheet = wait_for(&factsheets, Duration::from_secs(3), |_| true);
    assert_eq!(sheet.serial_number, SERIAL);

    // step: stopped, it says OFFLINE and leaves its pose behind
    stop.store(true, Ordering::Relaxed);
    handle.join().expect("no panic").expect("clean run");
    wait_for(&connections, Duration::from_secs(3), |c| {
        c.connection_state == ConnectionState::Offline
    });
    let record = read_pose(&pose_file).expect("pose file");
    assert_eq!(record.last_node_id, "vn-park-03");
    assert!((record.x + 1140.0).abs() < 1e-6);

    // step: started again with the pose file, it resumes there with no order
    options.at = Some("vn-park-01".into());
    let (stop, handle) = spawn(options);
    let resumed = wait_for(&states, Duration::from_secs(5), |s| s.header.header_id == 0);
    assert_eq!(resumed.last_node_id, "vn-park-03");
    assert_eq!(resumed.order_id, "");
    stop.store(true, Ordering::Relaxed);
    handle.join().expect("no panic").expect("clean run");
    let _ = std::fs::remove_file(&pose_file);
}

#[test]
fn unknown_start_node_is_refused_before_connecting() {
    let yard = maps::yard_file::load_builtin("huu-nghi").expect("yard");
    let mut options = AgvOptions::new("agv-x", yard);
    options.at = Some("nowhere".into());
    let err = hil::run(&options, &AtomicBool::new(true)).expect_err("refused");
    assert!(matches!(err, hil::HilError::UnknownNode { .. }), "{err}");
}

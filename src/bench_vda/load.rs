//! The load process of `gatefleet bench vda-states`: many virtual vehicles on one Zenoh
//! session, each publishing its full `state` at a fixed rate.
//!
//! Each vehicle is a [`hil::VirtualAgv`] standing idle on a parking slot of its own in the
//! bench yard, with its liveliness token and a publisher on its `state` key. Sends are spread
//! evenly over each period (vehicle `i` of `n` at `i / n` of it), so that the manager sees a
//! steady stream rather than one burst per period. Every state gets the vehicle's next
//! `headerId` and a timestamp of its send time to the microsecond ([`super::stamp`]).
//!
//! The process talks to the bench on stdout, one line of `key=value` words at each stage:
//! `ready start_us=.. window_start_us=.. window_end_us=..` once it is connected and about to
//! send, and `sent=.. sent_in_window=.. max_late_ms=.. state_bytes=..` when done. The
//! measured window is the part of the run after the warm-up; sending goes on for a short tail
//! after it, so that the manager is under the same load until the window's last state is in.

use std::io::Write;
use std::process::ExitCode;
use std::time::{Duration, Instant, SystemTime};

use anyhow::{Context, bail};
use transport::{LinkConfig, VehicleToken};
use vda5050::{Header, Topic};
use zenoh::Wait;

use super::stamp;

/// VDA 5050 `manufacturer` of the load vehicles.
pub const MANUFACTURER: &str = "bench";
/// Seconds of sending after the window, so that the load stays up until the window's last
/// state is in.
const TAIL_S: f64 = 0.5;
/// Longest wait for the manager's subscription to reach this session.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(20);

/// Flags of the hidden `gatefleet bench vda-load`, given by `bench vda-states`.
#[derive(clap::Args, Debug)]
pub struct LoadArgs {
    /// Vehicles, named `load-0000`, `load-0001`, ...
    #[arg(long)]
    vehicles: usize,
    /// States per second of each vehicle.
    #[arg(long)]
    hz: f64,
    /// Seconds of the measured window.
    #[arg(long)]
    seconds: f64,
    /// Seconds of sending before the window.
    #[arg(long)]
    warmup_s: f64,
    /// The manager's endpoint.
    #[arg(long)]
    connect: String,
}

/// One virtual vehicle of the load.
struct Vehicle {
    agv: hil::VirtualAgv,
    serial: String,
    header_id: u32,
    publisher: zenoh::pubsub::Publisher<'static>,
    _token: VehicleToken,
}

/// Runs the load until the window and its tail are over, then prints what was sent.
pub fn run(args: LoadArgs) -> anyhow::Result<ExitCode> {
    let bench = super::yard::bench_yard(args.vehicles)?;
    let site = bench.yard.name().to_owned();
    let session = LinkConfig::connecting(args.connect.clone()).open()?;
    let mut options = hil::AgvOptions::new(String::new(), bench.yard);
    let mut vehicles = Vec::with_capacity(args.vehicles);
    for (i, slot) in bench.parking.iter().take(args.vehicles).enumerate() {
        options.serial = format!("load-{i:04}");
        options.at = Some(slot.clone());
        let agv = options.vehicle()?;
        let key = vda5050::key_expr(&site, MANUFACTURER, &options.serial, Topic::State)?;
        let publisher = session
            .declare_publisher(key)
            .wait()
            .map_err(|e| anyhow::anyhow!("publisher of {}: {e}", options.serial))?;
        let token = VehicleToken::declare(&session, &site, MANUFACTURER, &options.serial)?;
        vehicles.push(Vehicle {
            agv,
            serial: options.serial.clone(),
            header_id: 0,
            publisher,
            _token: token,
        });
    }
    wait_for_manager(&vehicles, &args.connect)?;

    // the window, in wall-clock microseconds, as both processes read header timestamps
    let start_us = stamp::unix_us(SystemTime::now());
    let window_start_us = start_us + (args.warmup_s * 1e6) as u64;
    let window_end_us = window_start_us + (args.seconds * 1e6) as u64;
    println!(
        "ready start_us={start_us} window_start_us={window_start_us} window_end_us={window_end_us}"
    );
    std::io::stdout().flush().context("stdout")?;

    let run_for = Duration::from_secs_f64(args.warmup_s + args.seconds + TAIL_S);
    let sent = send_states(
        &mut vehicles,
        args.hz,
        run_for,
        window_start_us..window_end_us,
    )?;
    // give the last batches time to leave before the session closes
    std::thread::sleep(Duration::from_millis(200));
    println!(
        "sent={} sent_in_window={} max_late_ms={:.1} state_bytes={}",
        sent.total,
        sent.in_window,
        sent.max_late.as_secs_f64() * 1e3,
        sent.bytes / sent.total.max(1)
    );
    drop(vehicles);
    if let Err(e) = session.close().wait() {
        tracing::debug!(%e, "session close");
    }
    Ok(ExitCode::SUCCESS)
}

/// Waits until the manager's `state` subscription is known to this session.
fn wait_for_manager(vehicles: &[Vehicle], connect: &str) -> anyhow::Result<()> {
    let Some(first) = vehicles.first() else {
        bail!("--vehicles 0: nothing to send");
    };
    let waiting = Instant::now();
    while waiting.elapsed() < CONNECT_TIMEOUT {
        let matching = first
            .publisher
            .matching_status()
            .wait()
            .map_err(|e| anyhow::anyhow!("matching status: {e}"))?;
        if matching.matching() {
            return Ok(());
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    bail!(
        "no manager subscribed to states via {connect} within {} s",
        CONNECT_TIMEOUT.as_secs()
    )
}

/// States sent, in all and with a send time in the window; how far behind its slot in the
/// schedule the latest one went out (the load process's own limit); bytes sent in all.
struct Sent {
    total: u64,
    in_window: u64,
    max_late: Duration,
    bytes: u64,
}

/// Sends every vehicle's state `hz` times a second for `run_for`, evenly spread.
fn send_states(
    vehicles: &mut [Vehicle],
    hz: f64,
    run_for: Duration,
    window_us: std::ops::Range<u64>,
) -> anyhow::Result<Sent> {
    let interval = Duration::from_secs_f64(1.0 / hz / vehicles.len() as f64);
    let started = Instant::now();
    let mut sent = Sent {
        total: 0,
        in_window: 0,
        max_late: Duration::ZERO,
        bytes: 0,
    };
    let mut due = started;
    let mut next = 0usize;
    while due - started < run_for {
        let now = Instant::now();
        if due > now {
            std::thread::sleep(due - now);
        }
        // everything due by now goes out: after a late wake-up, a few at once
        while due <= Instant::now() && due - started < run_for {
            let vehicle = &mut vehicles[next];
            sent.max_late = sent.max_late.max(due.elapsed());
            let sent_us = stamp::unix_us(SystemTime::now());
            sent.bytes += publish(vehicle, sent_us)? as u64;
            sent.total += 1;
            sent.in_window += u64::from(window_us.contains(&sent_us));
            next = (next + 1) % vehicles.len();
            due += interval;
        }
    }
    Ok(sent)
}

/// Publishes one state of a vehicle, stamped `sent_us`; returns its size in bytes.
fn publish(vehicle: &mut Vehicle, sent_us: u64) -> anyhow::Result<usize> {
    let header = Header::new(
        vehicle.header_id,
        stamp::timestamp(sent_us),
        MANUFACTURER,
        vehicle.serial.clone(),
    );
    vehicle.header_id = vehicle.header_id.wrapping_add(1);
    let body = vda5050::to_json(&vehicle.agv.state(header));
    let bytes = body.len();
    vehicle
        .publisher
        .put(body)
        .wait()
        .map_err(|e| anyhow::anyhow!("state of {} not sent: {e}", vehicle.serial))?;
    Ok(bytes)
}

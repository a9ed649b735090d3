//! `gatefleet agv`: one virtual AGV on Zenoh, speaking VDA 5050 2.1 ([`hil`]).
//!
//! The process runs until it is killed: no signal handler is installed, so ctrl-c or
//! SIGTERM ends it without a `connection OFFLINE`; the manager sees its liveliness token go
//! and reads that as a broken connection. With `--pose-file`, a restart resumes where the
//! vehicle stood.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::AtomicBool;

use anyhow::Context;

/// Default endpoint when neither `--listen` nor `--connect` is given.
const DEFAULT_CONNECT: &str = "tcp/127.0.0.1:7447";

#[derive(clap::Args, Debug)]
pub struct AgvArgs {
    /// VDA 5050 serial number of the vehicle.
    #[arg(long)]
    serial: String,
    /// VDA 5050 manufacturer.
    #[arg(long, default_value = "gatefleet")]
    manufacturer: String,
    /// Site prefix of the Zenoh keys.
    #[arg(long, default_value = "huu-nghi")]
    site: String,
    /// Built-in yard (huu-nghi, tan-thanh) or a yard TOML file: start node and mapId.
    #[arg(long, default_value = "huu-nghi")]
    yard: String,
    /// Waypoint of the yard to start at (needed unless the pose file exists).
    #[arg(long)]
    at: Option<String>,
    /// Battery at start, percent.
    #[arg(long, default_value_t = 90.0)]
    battery: f64,
    /// Endpoint to listen on, e.g. tcp/127.0.0.1:7448 (repeatable).
    #[arg(long)]
    listen: Vec<String>,
    /// Endpoint to connect to (repeatable; default tcp/127.0.0.1:7447 when no --listen or
    /// --connect is given).
    #[arg(long)]
    connect: Vec<String>,
    /// Simulated seconds per wall second (speeds, durations, battery); message rates stay
    /// in wall time.
    #[arg(long, default_value_t = 1.0)]
    time_scale: f64,
    /// File keeping the pose, battery and load across restarts; resumed from if it exists.
    #[arg(long)]
    pose_file: Option<PathBuf>,
    /// `visualization` messages per wall second.
    #[arg(long, default_value_t = 10.0)]
    visualization_hz: f64,
}

/// Runs the vehicle until the process is killed.
pub fn run(args: AgvArgs) -> anyhow::Result<ExitCode> {
    let yard = if args.yard.ends_with(".toml") || Path::new(&args.yard).exists() {
        maps::yard_file::load(&args.yard)?
    } else {
        maps::yard_file::load_builtin(&args.yard)?
    };
    let mut options = hil::AgvOptions::new(args.serial, yard);
    options.manufacturer = args.manufacturer;
    options.site = args.site;
    options.at = args.at;
    options.battery_pct = args.battery;
    options.time_scale = args.time_scale;
    options.pose_file = args.pose_file;
    options.visualization_hz = args.visualization_hz;
    options.link = hil::LinkConfig {
        listen: args.listen,
        connect: args.connect,
    };
    if options.link.listen.is_empty() && options.link.connect.is_empty() {
        options.link.connect.push(DEFAULT_CONNECT.to_owned());
    }
    // refuse a bad start before opening the session
    options.vehicle().context("cannot start the vehicle")?;
    let stop = AtomicBool::new(false);
    hil::run(&options, &stop).with_context(|| format!("vehicle {}", options.serial))?;
    Ok(ExitCode::SUCCESS)
}

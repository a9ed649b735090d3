//! `gatefleet serve`, `gatefleet submit` and `gatefleet status`: the fleet manager on the
//! network, and two small clients of it.

use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::time::Duration;

use anyhow::{Context, bail};
use manager::{FleetStatus, Manager, MoveSubmission, ServeConfig, SubmitReply};
use transport::LinkConfig;
use zenoh::Wait;

/// Flags of `gatefleet serve`.
#[derive(clap::Args, Debug)]
pub struct ServeArgs {
    /// Built-in yard (`huu-nghi`, `tan-thanh`) or a yard TOML file.
    #[arg(long, default_value = "huu-nghi")]
    yard: String,
    /// Site prefix of every Zenoh key (default: the yard's name).
    #[arg(long)]
    site: Option<String>,
    /// Endpoint to listen on (repeatable).
    #[arg(long, default_values_t = vec!["tcp/127.0.0.1:7447".to_string()])]
    listen: Vec<String>,
    /// Endpoint of a peer or router to connect to (repeatable).
    #[arg(long)]
    connect: Vec<String>,
    /// Core seconds per wall second; run the vehicles at the same scale.
    #[arg(long, default_value_t = 1.0)]
    time_scale: f64,
    /// Wall milliseconds between core ticks.
    #[arg(long, default_value_t = 100)]
    tick_ms: u64,
    /// Core seconds before the end of its lane at which a vehicle is released its next
    /// waypoint.
    #[arg(long, default_value_t = 15.0)]
    release_ahead_s: f64,
    /// Stop after this many wall seconds (default: run until killed).
    #[arg(long)]
    for_s: Option<f64>,
}

/// Runs the manager.
pub fn run_serve(args: ServeArgs) -> anyhow::Result<ExitCode> {
    let yard = sim::SimConfig::builtin(&args.yard)?.yard;
    let mut config = ServeConfig::new(yard);
    if let Some(site) = args.site {
        config.site = site;
    }
    config.link = LinkConfig {
        listen: args.listen,
        connect: args.connect,
    };
    config.time_scale = args.time_scale;
    config.tick = Duration::from_millis(args.tick_ms);
    if !(args.release_ahead_s.is_finite() && args.release_ahead_s >= 0.0) {
        bail!(
            "--release-ahead-s must be a number of seconds, not {}",
            args.release_ahead_s
        );
    }
    config.fleet.release_ahead_s = args.release_ahead_s;
    let mut manager = Manager::start(config).context("manager not started")?;
    let stop = Arc::new(AtomicBool::new(false));
    if let Some(seconds) = args.for_s {
        if !(seconds.is_finite() && seconds > 0.0) {
            bail!("--for-s must be a positive number of seconds");
        }
        let stop = stop.clone();
        std::thread::spawn(move || {
            std::thread::sleep(Duration::from_secs_f64(seconds));
            stop.store(true, std::sync::atomic::Ordering::Relaxed);
        });
    }
    manager.run(&stop);
    let status = manager.status();
    println!("{}", serde_json::to_string_pretty(&status)?);
    Ok(ExitCode::SUCCESS)
}

/// Flags of the clients.
#[derive(clap::Args, Debug)]
pub struct ClientArgs {
    /// The manager's endpoint.
    #[arg(long, default_value = "tcp/127.0.0.1:7447")]
    connect: String,
    /// Site prefix.
    #[arg(long, default_value = "huu-nghi")]
    site: String,
}

/// Flags of `gatefleet submit`.
#[derive(clap::Args, Debug)]
pub struct SubmitArgs {
    #[command(flatten)]
    client: ClientArgs,
    /// Containers to move, `c<number>` (repeatable).
    #[arg(long = "container", required = true)]
    containers: Vec<String>,
    /// `export` (Vietnam to China) or `import`.
    #[arg(long, default_value = "import")]
    direction: String,
    /// Refrigerated containers.
    #[arg(long)]
    reefer: bool,
}

fn ask(client: &ClientArgs, what: &str, body: Option<Vec<u8>>) -> anyhow::Result<Vec<u8>> {
    let session = LinkConfig::connecting(client.connect.clone()).open()?;
    let key = format!("{}/fleet/{what}", client.site);
    let start = std::time::Instant::now();
    // a just-opened session may not reach the manager at once: ask again for a while
    while start.elapsed() < Duration::from_secs(5) {
        let mut get = session.get(&key).timeout(Duration::from_millis(500));
        if let Some(body) = &body {
            get = get.payload(body.clone());
        }
        let replies = get.wait().map_err(|e| anyhow::anyhow!("{e}"))?;
        if let Ok(reply) = replies.recv()
            && let Ok(sample) = reply.result()
        {
            return Ok(sample.payload().to_bytes().to_vec());
        }
    }
    bail!("no manager answered on {key} via {}", client.connect)
}

/// Submits moves to a running manager.
pub fn run_submit(args: SubmitArgs) -> anyhow::Result<ExitCode> {
    let direction = match args.direction.as_str() {
        "export" => fleet::Direction::Export,
        "import" => fleet::Direction::Import,
        other => bail!("--direction must be export or import, not `{other}`"),
    };
    let mut refused = 0;
    for container in args.containers {
        let submission = MoveSubmission {
            container: container.clone(),
            direction,
            reefer: args.reefer,
            customs: fleet::Clearance::Released,
        };
        let answer = ask(
            &args.client,
            "moves",
            Some(serde_json::to_vec(&submission)?),
        )?;
        let reply: SubmitReply = serde_json::from_slice(&answer)?;
        match (reply.mission, reply.error) {
            (Some(mission), _) => println!("{container}: mission m{mission}"),
            (None, error) => {
                refused += 1;
                println!("{container}: refused: {}", error.unwrap_or_default());
            }
        }
    }
    Ok(if refused == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// Prints a running manager's status as JSON.
pub fn run_status(args: ClientArgs) -> anyhow::Result<ExitCode> {
    let answer = ask(&args, "status", None)?;
    let status: FleetStatus = serde_json::from_slice(&answer)?;
    println!("{}", serde_json::to_string_pretty(&status)?);
    Ok(ExitCode::SUCCESS)
}

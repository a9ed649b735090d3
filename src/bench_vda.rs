//! `gatefleet bench vda-states`: one manager taking `state` from many virtual vehicles at a
//! fixed rate on this machine, and what that costs (issue 6).
//!
//! The bench runs the manager ([`manager::Manager`]) in-process on a thread, on a generated
//! yard with a parking slot per vehicle ([`yard`]), listening on loopback. It then starts
//! itself again as the hidden `gatefleet bench vda-load` ([`load`]): one process, one Zenoh
//! session, every vehicle publishing a full VDA 5050 2.1 state at the rate asked, spread
//! evenly over each period. After the warm-up the manager measures ingest
//! ([`manager::Manager::measure_ingest`]) over a window of wall-clock time; a state belongs
//! to the window when its header timestamp (its send time) does, which both processes read
//! alike, so states sent and received in the window are counted exactly.
//!
//! Printed, one `key=value` group per line: vehicles that joined the core (and a state's size);
//! states sent and received in the window, broken ones and the rate achieved; p50 / p99 / max from
//! receipt (out of the subscriber's channel, parsed) to the desk's updated view and to the core
//! tick that took the state in, and from publication (the header timestamp) to that tick, which
//! adds the time spent in Zenoh, queued in the channel and parsing; how long the core's ticks took
//! (a state waits for the next tick, every [`manager::ServeConfig::tick`], so receipt to core is
//! mostly that wait); and the CPU used by the manager's and the load's processes over the window,
//! in percent of one core.
//!
//! # Limitations
//! - CPU time is read from `/proc/<pid>/stat` in clock ticks, taken to be 100 a second
//!   (Linux's `USER_HZ` on the machines we run), so this bench runs on Linux only. The
//!   manager's process also holds this bench's own thread, which sleeps.
//! - The vehicles stand idle: states carry no order, and the core releases nothing, so the
//!   figures are those of ingest alone, not of order traffic back to the vehicles.

mod load;
mod stamp;
mod yard;

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, ExitCode, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::thread::JoinHandle;
use std::time::{Duration, SystemTime};

use anyhow::{Context, bail};
use manager::{IngestStats, Manager, ServeConfig};
use transport::LinkConfig;

pub use load::{LoadArgs, run as run_load};

/// Flags of `gatefleet bench vda-states`.
#[derive(clap::Args, Debug)]
pub struct StatesArgs {
    /// Virtual vehicles, each on a parking slot of its own.
    #[arg(long, default_value_t = 1000, value_parser = clap::value_parser!(u16).range(1..=9999))]
    vehicles: u16,
    /// States per second of each vehicle.
    #[arg(long, default_value_t = 10.0)]
    hz: f64,
    /// Seconds of the measured window.
    #[arg(long, default_value_t = 20.0)]
    seconds: f64,
    /// Seconds of load before the window, not measured (vehicles join, the core's tables
    /// warm up).
    #[arg(long, default_value_t = 2.0)]
    warmup_s: f64,
    /// Port on 127.0.0.1 the manager listens on.
    #[arg(long, default_value_t = 17600)]
    port: u16,
}

/// Longest wait for the load process to be connected and ready to send.
const READY_TIMEOUT: Duration = Duration::from_secs(60);
/// The manager starts measuring this long before the window, so that it misses no state
/// sent in the window; what it takes in before is left out by its timestamp.
const MEASURE_LEAD: Duration = Duration::from_millis(200);
/// Wait after the load process ended before the manager stops measuring, for the states of
/// the window still on their way.
const DRAIN: Duration = Duration::from_millis(500);
/// Clock ticks per second of `/proc/<pid>/stat` (`USER_HZ`).
const TICKS_PER_S: f64 = 100.0;

/// Runs the bench and prints its figures; exits 1 when states of the window were lost, some
/// were broken or not every vehicle joined.
pub fn run_states(args: StatesArgs) -> anyhow::Result<ExitCode> {
    check_args(&args)?;
    let endpoint = format!("tcp/127.0.0.1:{}", args.port);
    // Zenoh's own refusal of a taken port is vague; ask the OS first
    std::net::TcpListener::bind(("127.0.0.1", args.port))
        .with_context(|| format!("--port {}: cannot listen on 127.0.0.1 (taken?)", args.port))?;
    let bench = yard::bench_yard(usize::from(args.vehicles))?;
    let mut config = ServeConfig::new(Arc::new(bench.yard));
    config.link = LinkConfig::listening(endpoint.clone());
    let manager = Manager::start(config).context("manager not started")?;
    let control = Arc::new(Control::default());
    let thread = spawn_manager(manager, control.clone())?;

    let measured = measure(&args, &endpoint, &control);
    // whatever happened, the manager thread ends
    control.measuring.store(true, Ordering::Relaxed);
    control.stop.store(true, Ordering::Relaxed);
    let (stats, joined) = thread
        .join()
        .map_err(|_| anyhow::anyhow!("the manager thread panicked"))?;
    let measured = measured?;
    let report = Report::new(&args, &stats, joined, &measured)?;
    report.print(&args);
    Ok(if report.is_complete(&args) {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn check_args(args: &StatesArgs) -> anyhow::Result<()> {
    if !(args.hz.is_finite() && args.hz > 0.0 && args.hz <= 1000.0) {
        bail!("--hz {}: expected a rate in (0, 1000] per second", args.hz);
    }
    if !(args.seconds.is_finite() && args.seconds > 0.0 && args.seconds <= 3600.0) {
        bail!("--seconds {}: expected (0, 3600]", args.seconds);
    }
    if !(args.warmup_s.is_finite() && args.warmup_s >= 0.0 && args.warmup_s <= 600.0) {
        bail!("--warmup-s {}: expected [0, 600]", args.warmup_s);
    }
    Ok(())
}

/// Tells the manager thread when to start measuring and when to stop.
#[derive(Default)]
struct Control {
    measuring: AtomicBool,
    stop: AtomicBool,
}

/// What the manager thread hands back: its ingest statistics, and how many vehicles joined
/// the core.
type ManagerOutcome = (IngestStats, usize);

/// Runs the manager on a thread: warm-up until `measuring`, then measured until `stop`.
///
/// [`Manager::run`] returns when its flag is set, so the thread leaves it between the two
/// phases to switch measuring on; states wait in the subscriber's channel meanwhile.
fn spawn_manager(
    mut manager: Manager,
    control: Arc<Control>,
) -> anyhow::Result<JoinHandle<ManagerOutcome>> {
    let body = move || {
        manager.run(&control.measuring);
        manager.measure_ingest();
        manager.run(&control.stop);
        let stats = manager.take_stats().unwrap_or_default();
        let joined = manager
            .vehicles()
            .into_iter()
            .filter(|(_, agv)| manager.core().is_lost(*agv).is_some())
            .count();
        (stats, joined)
    };
    std::thread::Builder::new()
        .name("manager".into())
        .spawn(body)
        .context("cannot start the manager thread")
}

/// What the bench measured besides the manager's statistics.
struct Measured {
    window_us: std::ops::Range<u64>,
    sent: u64,
    sent_in_window: u64,
    load_late_max_ms: f64,
    state_bytes: u64,
    cpu_manager_pct: f64,
    cpu_load_pct: f64,
}

/// Starts the load process, switches measuring on before the window, samples CPU time at
/// both ends of it and waits for the load to end and the manager to drain.
fn measure(args: &StatesArgs, endpoint: &str, control: &Control) -> anyhow::Result<Measured> {
    let mut load = LoadProcess::spawn(args, endpoint)?;
    let ready = load.line(READY_TIMEOUT, "ready")?;
    let window_start: u64 = field(&ready, "window_start_us")?;
    let window_end: u64 = field(&ready, "window_end_us")?;

    sleep_until_us(window_start.saturating_sub(MEASURE_LEAD.as_micros() as u64));
    control.measuring.store(true, Ordering::Relaxed);
    sleep_until_us(window_start);
    let (manager_start, load_start) = (cpu_ticks("self")?, load.cpu_ticks()?);
    sleep_until_us(window_end);
    let (manager_end, load_end) = (cpu_ticks("self")?, load.cpu_ticks()?);

    let summary = load.line(Duration::from_secs(30), "sent")?;
    load.wait()?;
    std::thread::sleep(DRAIN);
    control.stop.store(true, Ordering::Relaxed);

    let window_s = (window_end - window_start) as f64 / 1e6;
    let pct = |ticks: u64| ticks as f64 / TICKS_PER_S / window_s * 100.0;
    Ok(Measured {
        window_us: window_start..window_end,
        sent: field(&summary, "sent")?,
        sent_in_window: field(&summary, "sent_in_window")?,
        load_late_max_ms: field(&summary, "max_late_ms")?,
        state_bytes: field(&summary, "state_bytes")?,
        cpu_manager_pct: pct(manager_end.saturating_sub(manager_start)),
        cpu_load_pct: pct(load_end.saturating_sub(load_start)),
    })
}

/// The hidden `gatefleet bench vda-load` child and its stdout lines; killed if dropped while
/// it runs.
struct LoadProcess {
    child: Child,
    lines: Receiver<String>,
}

impl LoadProcess {
    fn spawn(args: &StatesArgs, endpoint: &str) -> anyhow::Result<Self> {
        let exe = std::env::current_exe().context("cannot find the gatefleet executable")?;
        let mut child = Command::new(exe)
            .args(["bench", "vda-load", "--connect", endpoint])
            .args(["--vehicles", &args.vehicles.to_string()])
            .args(["--hz", &args.hz.to_string()])
            .args(["--seconds", &args.seconds.to_string()])
            .args(["--warmup-s", &args.warmup_s.to_string()])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .spawn()
            .context("cannot start the load process")?;
        let stdout = child.stdout.take().context("the load's stdout is piped")?;
        let (sender, lines) = std::sync::mpsc::channel::<String>();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if sender.send(line).is_err() {
                    break;
                }
            }
        });
        Ok(Self { child, lines })
    }

    /// The next line of the load's stdout, which must start with `word`.
    fn line(&mut self, timeout: Duration, word: &str) -> anyhow::Result<String> {
        match self.lines.recv_timeout(timeout) {
            Ok(line) if line.starts_with(word) => Ok(line),
            Ok(line) => bail!("the load process said `{line}`, expected `{word} ...`"),
            Err(RecvTimeoutError::Timeout) => {
                bail!(
                    "the load process said nothing within {} s",
                    timeout.as_secs()
                )
            }
            Err(RecvTimeoutError::Disconnected) => {
                let status = self.child.wait().context("waiting for the load process")?;
                bail!("the load process ended ({status}) before its `{word}` line")
            }
        }
    }

    fn cpu_ticks(&self) -> anyhow::Result<u64> {
        cpu_ticks(&self.child.id().to_string())
    }

    fn wait(&mut self) -> anyhow::Result<()> {
        let status = self.child.wait().context("waiting for the load process")?;
        if !status.success() {
            bail!("the load process failed ({status})");
        }
        Ok(())
    }
}

impl Drop for LoadProcess {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// User and system CPU time of a process so far, in clock ticks; `pid` may be `self`.
fn cpu_ticks(pid: &str) -> anyhow::Result<u64> {
    let path = format!("/proc/{pid}/stat");
    let text = std::fs::read_to_string(&path).with_context(|| format!("cannot read {path}"))?;
    // fields after the command name, which is in parentheses and may hold spaces: state is
    // the first, utime and stime the 12th and 13th
    let after_name = text.rsplit_once(')').map_or("", |(_, rest)| rest);
    let fields: Vec<&str> = after_name.split_whitespace().collect();
    let ticks = |i: usize| fields.get(i).and_then(|f| f.parse::<u64>().ok());
    match (ticks(11), ticks(12)) {
        (Some(user), Some(system)) => Ok(user + system),
        _ => bail!("{path}: no utime and stime in `{}`", text.trim()),
    }
}

/// The value of `key=value` in a line of `key=value` words.
fn field<T: std::str::FromStr>(line: &str, key: &str) -> anyhow::Result<T> {
    line.split_whitespace()
        .find_map(|word| word.strip_prefix(key)?.strip_prefix('='))
        .and_then(|value| value.parse().ok())
        .with_context(|| format!("no {key}=<number> in `{line}`"))
}

fn sleep_until_us(target_us: u64) {
    let now = stamp::unix_us(SystemTime::now());
    if target_us > now {
        std::thread::sleep(Duration::from_micros(target_us - now));
    }
}

/// The figures of one run.
struct Report {
    joined: usize,
    sent_all: u64,
    sent: u64,
    received: u64,
    broken: u64,
    window_s: f64,
    load_late_max_ms: f64,
    state_bytes: u64,
    to_desk: Quantiles,
    to_core: Quantiles,
    publish_to_core: Quantiles,
    tick: Quantiles,
    cpu_manager_pct: f64,
    cpu_load_pct: f64,
}

impl Report {
    /// Keeps the states sent in the window, by their header timestamp.
    fn new(
        args: &StatesArgs,
        stats: &IngestStats,
        joined: usize,
        measured: &Measured,
    ) -> anyhow::Result<Self> {
        if stats.states == 0 {
            bail!(
                "the manager received no state from the {} vehicles on port {}",
                args.vehicles,
                args.port
            );
        }
        let (mut to_desk, mut to_core, mut publish_to_core) = (Vec::new(), Vec::new(), Vec::new());
        for (i, sent_at) in stats.sent_at.iter().enumerate() {
            let Some(sent_us) = stamp::parse(sent_at.as_str()) else {
                continue;
            };
            if !measured.window_us.contains(&sent_us) {
                continue;
            }
            to_desk.push(u64::from(stats.to_desk_us[i]));
            if let (Some(&us), Some(&at)) = (stats.to_core_us.get(i), stats.core_at.get(i)) {
                to_core.push(u64::from(us));
                publish_to_core.push(stamp::unix_us(at).saturating_sub(sent_us));
            }
        }
        let window = &measured.window_us;
        Ok(Self {
            joined,
            sent_all: measured.sent,
            sent: measured.sent_in_window,
            received: to_desk.len() as u64,
            broken: stats.broken,
            window_s: (window.end - window.start) as f64 / 1e6,
            load_late_max_ms: measured.load_late_max_ms,
            state_bytes: measured.state_bytes,
            to_desk: Quantiles::of(to_desk),
            to_core: Quantiles::of(to_core),
            publish_to_core: Quantiles::of(publish_to_core),
            tick: Quantiles::of(stats.tick_us.iter().map(|&us| u64::from(us)).collect()),
            cpu_manager_pct: measured.cpu_manager_pct,
            cpu_load_pct: measured.cpu_load_pct,
        })
    }

    fn is_complete(&self, args: &StatesArgs) -> bool {
        self.received == self.sent && self.broken == 0 && self.joined == usize::from(args.vehicles)
    }

    fn print(&self, args: &StatesArgs) {
        println!(
            "vehicles={} joined={} hz={} window_s={:.1} state_bytes={}",
            args.vehicles, self.joined, args.hz, self.window_s, self.state_bytes
        );
        println!(
            "sent={} received={} broken={} rate={:.1}/s sent_all={} load_late_max={:.1}ms",
            self.sent,
            self.received,
            self.broken,
            self.received as f64 / self.window_s,
            self.sent_all,
            self.load_late_max_ms
        );
        for (name, q) in [
            ("receipt_to_desk", &self.to_desk),
            ("receipt_to_core", &self.to_core),
            ("publish_to_core", &self.publish_to_core),
            ("core_tick", &self.tick),
        ] {
            println!(
                "{name} n={} p50={:.3}ms p99={:.3}ms max={:.3}ms",
                q.n,
                ms(q.p50),
                ms(q.p99),
                ms(q.max)
            );
        }
        println!(
            "cpu_manager={:.1}% cpu_load={:.1}% (of one core)",
            self.cpu_manager_pct, self.cpu_load_pct
        );
    }
}

fn ms(us: u64) -> f64 {
    us as f64 / 1e3
}

/// Nearest-rank quantiles of a sample, in microseconds (all 0 for an empty one).
#[derive(Debug, PartialEq)]
struct Quantiles {
    n: usize,
    p50: u64,
    p99: u64,
    max: u64,
}

impl Quantiles {
    fn of(mut sample: Vec<u64>) -> Self {
        sample.sort_unstable();
        let rank = |q: f64| {
            let i = ((q * sample.len() as f64).ceil() as usize).max(1) - 1;
            sample.get(i).copied().unwrap_or(0)
        };
        Self {
            n: sample.len(),
            p50: rank(0.5),
            p99: rank(0.99),
            max: sample.last().copied().unwrap_or(0),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_take_the_nearest_rank() {
        let q = Quantiles::of((1..=200).rev().collect());
        assert_eq!((q.n, q.p50, q.p99, q.max), (200, 100, 198, 200));
        assert_eq!(Quantiles::of(Vec::new()).max, 0);
    }

    #[test]
    fn own_cpu_time_is_readable() {
        cpu_ticks("self").unwrap();
    }

    #[test]
    fn fields_are_read_by_key() {
        let line = "sent=12 sent_in_window=10 max_late_ms=0.5";
        assert_eq!(field::<u64>(line, "sent").unwrap(), 12);
        assert_eq!(field::<u64>(line, "sent_in_window").unwrap(), 10);
        assert!(field::<u64>(line, "late").is_err());
    }
}

//! `gatefleet`: the command line of the border-lane fleet manager.
//!
//! This file only parses flags, installs logging and wires the crates together:
//! - `gatefleet sim` runs a simulated day of the lane, or a week of surge or capacity shock
//!   ([`sim`] around the [`fleet`] core), and can draw the run on an HTML page;
//! - `gatefleet plan` solves a MovingAI MAPF instance with the [`planner`];
//! - `gatefleet bench mapf` runs a benchmark suite ([`planner::bench`]) and prints a table;
//!   `gatefleet bench vda-states` measures a manager taking states from many virtual
//!   vehicles over Zenoh (`bench_vda`);
//! - `gatefleet lifelong` plays a League of Robot Runners problem with the lifelong planner
//!   ([`planner::lorr`] around [`planner::lifelong`]), writes the start-kit output file and
//!   checks it with the independent checker.
//!
//! Exit codes: 0 success, 1 the work ran but failed (`plan`: gave up at the time limit, or
//! PIBT at its step limit of 10,000; `lifelong`: the checker refused the run),
//! 2 bad input, 3 `plan` proved that no plan exists.

use std::fs::File;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use clap::{Parser, Subcommand};
use indicatif::{ProgressBar, ProgressStyle};
use tracing_subscriber::EnvFilter;

mod agv_cmd;
mod bench_vda;
mod read_code_cmd;
mod serve_cmd;

#[derive(Parser, Debug)]
#[command(
    name = "gatefleet",
    version,
    about = "Fleet manager for the AGVs of a smart border lane"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Simulate days of container traffic across the lane and print the KPIs.
    Sim(SimArgs),
    /// Solve a MovingAI MAPF instance and write a LaCAM-style result file.
    Plan(PlanArgs),
    /// Run a benchmark suite and print what was measured.
    #[command(subcommand)]
    Bench(BenchCommand),
    /// Play a League of Robot Runners problem with the lifelong planner and check the run.
    Lifelong(LifelongArgs),
    /// Run the fleet manager: the core in real time, AGVs as VDA 5050 peers on Zenoh.
    Serve(serve_cmd::ServeArgs),
    /// Submit container moves to a running manager.
    Submit(serve_cmd::SubmitArgs),
    /// Print a running manager's vehicles and mission counts.
    Status(serve_cmd::ClientArgs),
    /// Read the ISO 6346 container code in each photo: `path<TAB>code`, or `-` for none.
    ReadCode(read_code_cmd::ReadCodeArgs),
    /// Run a virtual AGV that speaks VDA 5050 2.1 over Zenoh.
    Agv(agv_cmd::AgvArgs),
}

#[derive(clap::Args, Debug)]
struct LifelongArgs {
    /// LoRR problem JSON (2023 or 2024 format).
    #[arg(long)]
    problem: PathBuf,
    /// Steps to simulate (default: the problem's entry in the round's simulation_time.json).
    #[arg(long)]
    steps: Option<u32>,
    /// Time limit of one planning call; a call past it leaves every agent waiting.
    #[arg(long, default_value_t = 1000)]
    time_limit_ms: u64,
    /// Seed of the planner's tie-breaking.
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// How free agents get tasks (2024 rules).
    #[arg(long, value_enum, default_value_t = AssignerArg::Optimal)]
    assigner: AssignerArg,
    /// Plan without traffic-aware guide paths (shortest distances alone).
    #[arg(long)]
    no_guidance: bool,
    /// Share of each step's time limit the guide paths may use, in percent.
    #[arg(long, default_value_t = 25, value_parser = clap::value_parser!(u8).range(1..=90))]
    guide_share: u8,
    /// Steps ahead planned together and improved by LNS each step (0: PIBT's step alone).
    #[arg(long, default_value_t = 6, value_parser = clap::value_parser!(u16).range(0..=64))]
    window: u16,
    /// Share of each step's time limit after which the window's improvement stops, in
    /// percent.
    #[arg(long, default_value_t = 50, value_parser = clap::value_parser!(u8).range(1..=90))]
    window_share: u8,
    /// Output file, in the LoRR start-kit's JSON format.
    #[arg(long, default_value = "lifelong-output.json")]
    output: PathBuf,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug)]
enum AssignerArg {
    /// Min-cost assignment of free agents to open tasks.
    Optimal,
    /// Each free agent in turn takes its cheapest task.
    Greedy,
}

#[derive(Subcommand, Debug)]
enum BenchCommand {
    /// Solve each row of a MovingAI suite, check the plans, print time, costs and memory.
    Mapf(BenchMapfArgs),
    /// Run a manager taking VDA 5050 states from many virtual vehicles; print latencies and
    /// CPU use.
    VdaStates(bench_vda::StatesArgs),
    /// The load process of `bench vda-states` (started by it).
    #[command(hide = true)]
    VdaLoad(bench_vda::LoadArgs),
    /// Read the container code of every labelled photo in a folder; print CPU time per
    /// photo and how many were read right.
    ReadCode(read_code_cmd::BenchReadCodeArgs),
}

#[derive(clap::Args, Debug)]
struct BenchMapfArgs {
    /// Suite TOML file (format: see `planner::bench`); default: the built-in
    /// `planner/suites/default.toml`.
    #[arg(long)]
    suite: Option<PathBuf>,
    /// MovingAI data folder, one sub-folder per map.
    #[arg(long, default_value = "../shared/data/mapf/movingai")]
    data: PathBuf,
    #[command(flatten)]
    solver: SolverArgs,
}

/// Default of `--guide-rounds`.
const DEFAULT_GUIDE_ROUNDS: u16 = 3;
/// Default of `--threads`: the cores of the machine this was measured on.
const DEFAULT_THREADS: u16 = 2;

/// The solver and its switches, shared by `plan` and `bench mapf`.
#[derive(clap::Args, Debug)]
struct SolverArgs {
    /// Solver.
    #[arg(long, value_enum, default_value_t = Solver::Lacam)]
    solver: Solver,
    /// Seed of every random choice of the solver.
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// Turn off the PIBT swap technique (LaCAM and PIBT).
    #[arg(long)]
    no_swap: bool,
    /// LaCAM: PIBT runs per generated configuration, the best kept (0: 1 for a first
    /// solution, 4 with --anytime).
    #[arg(long, default_value_t = 0, value_parser = clap::value_parser!(u16).range(0..=64))]
    pibt_runs: u16,
    /// LaCAM: rounds of guide-path rerouting (0 = no guide paths).
    #[arg(long, default_value_t = DEFAULT_GUIDE_ROUNDS, value_parser = clap::value_parser!(u16).range(0..=16))]
    guide_rounds: u16,
    /// LaCAM anytime: continue the LaCAM* search instead of refining by large
    /// neighbourhood search.
    #[arg(long)]
    no_refine: bool,
    /// LaCAM: threads building the distance tables and, with --anytime, refining.
    #[arg(long, default_value_t = DEFAULT_THREADS, value_parser = clap::value_parser!(u16).range(1..=64))]
    threads: u16,
}

impl SolverArgs {
    /// Warns about LaCAM-only switches given to PIBT.
    fn warn_ignored(&self, anytime: bool) {
        let lacam_only = self.pibt_runs != 0
            || self.guide_rounds != DEFAULT_GUIDE_ROUNDS
            || self.no_refine
            || self.threads != DEFAULT_THREADS
            || anytime;
        if matches!(self.solver, Solver::Pibt) && lacam_only {
            tracing::warn!(
                "--anytime, --pibt-runs, --guide-rounds, --no-refine and --threads are LaCAM's; \
                 PIBT ignores them"
            );
        }
    }

    /// The LaCAM options these flags ask for, with the given budget.
    fn lacam(&self, time_limit: Duration, anytime: bool) -> planner::LacamOptions {
        planner::LacamOptions {
            seed: self.seed,
            time_limit,
            anytime,
            swap: !self.no_swap,
            pibt_runs: usize::from(self.pibt_runs),
            guide_rounds: usize::from(self.guide_rounds),
            refine: !self.no_refine,
            threads: usize::from(self.threads),
        }
    }
}

#[derive(clap::Args, Debug)]
#[command(allow_negative_numbers = true)]
struct SimArgs {
    /// Built-in yard (huu-nghi, tan-thanh) or a yard TOML file.
    #[arg(long, default_value = "huu-nghi")]
    yard: String,
    /// Demand level: 1x is 1,200 containers a day through the lane (e.g. 1x, 2x, 3x, 5x, 1.5x).
    #[arg(long, default_value = "1x")]
    demand: String,
    /// Situation to simulate: one ordinary day, a week of export surge with overflow to
    /// staging yards, or a week with a three-day capacity shock on the Chinese side.
    #[arg(long, value_enum, default_value_t = ScenarioArg::Day)]
    scenario: ScenarioArg,
    /// Simulated hours from midnight (default: the scenario's days).
    #[arg(long, conflicts_with = "days")]
    hours: Option<f64>,
    /// Simulated days (default: the scenario's: 1 for day, 7 for surge and shock).
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..=14))]
    days: Option<u32>,
    /// Fleet size (default: sized for the demand level).
    #[arg(long)]
    agvs: Option<usize>,
    /// Seed of every random draw.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Write the KPIs as JSON to this file too, with the hourly series and the day table.
    #[arg(long)]
    report: Option<PathBuf>,
    /// Write the KPIs and plots of the run to this self-contained HTML page.
    #[arg(long)]
    report_html: Option<PathBuf>,
    /// Plan the AGVs by shortest distance alone, without the lifelong planner's guide paths.
    #[arg(long)]
    no_guidance: bool,
    /// How missions are given to AGVs: optimal (min-cost assignment with return-leg
    /// pairing) or nearest-idle (the baseline).
    #[arg(long, default_value = "optimal", value_parser = ["optimal", "nearest-idle"])]
    dispatch: String,
    /// Inject delays: one lane in ten stalls 2-30 s, an AGV breaks down every 10 h for
    /// 2-8 min.
    #[arg(long)]
    delays: bool,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug)]
enum ScenarioArg {
    /// One ordinary day.
    Day,
    /// Exports at 2.5x on day 1, then 1.6x for six days; overflow to staging yards.
    Surge,
    /// Days 2 to 4 of 7: the Chinese side takes a quarter of normal exports.
    Shock,
}

impl ScenarioArg {
    fn kind(self) -> sim::ScenarioKind {
        match self {
            Self::Day => sim::ScenarioKind::Day,
            Self::Surge => sim::ScenarioKind::Surge,
            Self::Shock => sim::ScenarioKind::Shock,
        }
    }
}

#[derive(clap::Args, Debug)]
#[command(allow_negative_numbers = true)]
struct PlanArgs {
    /// MovingAI .map file.
    #[arg(long)]
    map: PathBuf,
    /// MovingAI .scen file.
    #[arg(long)]
    scen: PathBuf,
    /// Number of agents: the first N rows of the scenario.
    #[arg(long)]
    agents: usize,
    #[command(flatten)]
    solver: SolverArgs,
    /// Give up after this many seconds (with --anytime: stop improving then).
    #[arg(long, default_value_t = 60.0)]
    time_limit_s: f64,
    /// LaCAM: keep improving the plan until the time limit.
    #[arg(long)]
    anytime: bool,
    /// Result file to write.
    #[arg(long)]
    output: PathBuf,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug)]
enum Solver {
    /// LaCAM*: complete, and eventually optimal with --anytime.
    Lacam,
    /// Priority inheritance with backtracking: fast, incomplete.
    Pibt,
}

impl Solver {
    fn name(self) -> &'static str {
        match self {
            Self::Lacam => "lacam",
            Self::Pibt => "pibt",
        }
    }
}

/// The longest `--time-limit-s` accepted: a week.
const MAX_TIME_LIMIT: Duration = Duration::from_secs(7 * 24 * 3600);

fn main() -> ExitCode {
    let cli = Cli::parse();
    tracing_subscriber::fmt()
        // Zenoh's own info and warnings (session ids, a peer that gossip named but that
        // listens nowhere) say nothing an operator can act on; RUST_LOG=zenoh=info shows them
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| "info,zenoh=error".into()),
        )
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .init();
    let outcome = match cli.command {
        Command::Sim(args) => run_sim(args),
        Command::Plan(args) => run_plan(args),
        Command::Bench(BenchCommand::Mapf(args)) => run_bench_mapf(args),
        Command::Bench(BenchCommand::VdaStates(args)) => bench_vda::run_states(args),
        Command::Bench(BenchCommand::VdaLoad(args)) => bench_vda::run_load(args),
        Command::Lifelong(args) => run_lifelong(args),
        Command::Serve(args) => serve_cmd::run_serve(args),
        Command::Submit(args) => serve_cmd::run_submit(args),
        Command::Status(args) => serve_cmd::run_status(args),
        Command::Agv(args) => agv_cmd::run(args),
        Command::ReadCode(args) => read_code_cmd::run_read_code(args),
        Command::Bench(BenchCommand::ReadCode(args)) => read_code_cmd::run_bench(args),
    };
    match outcome {
        Ok(code) => code,
        Err(err) => {
            eprintln!("gatefleet: {err:#}");
            ExitCode::from(2)
        }
    }
}

/// Parses `1x`, `2.5x` or `2.5` into a multiple of the 1x demand.
fn parse_demand(text: &str) -> anyhow::Result<f64> {
    let number = text.strip_suffix(['x', 'X']).unwrap_or(text);
    match number.parse::<f64>() {
        Ok(level) if level.is_finite() && level >= 0.0 => Ok(level),
        _ => bail!("--demand {text:?}: expected a level such as 1x, 2x, 3x, 5x"),
    }
}

/// Fleet size for a demand level when none is given: 40 AGVs per 1x, the size that clears
/// a 1x and a 2x day on the Hữu Nghị yard (see README).
fn default_fleet(level: f64) -> usize {
    ((level * 40.0).ceil() as usize).max(4)
}

fn run_sim(args: SimArgs) -> anyhow::Result<ExitCode> {
    let level = parse_demand(&args.demand)?;
    let mut config = sim::SimConfig::builtin(&args.yard)?;
    config.containers_per_day = level * sim::SimConfig::BASE_CONTAINERS_PER_DAY;
    let mut scenario = sim::Scenario::of(args.scenario.kind());
    if let Some(days) = args.days {
        scenario = scenario.with_days(days);
    }
    scenario.apply(&mut config);
    if let Some(hours) = args.hours {
        config.hours = hours;
    }
    config.agvs = args.agvs.unwrap_or_else(|| default_fleet(level));
    config.seed = args.seed;
    if args.no_guidance {
        config.guidance = None;
    }
    if args.dispatch == "nearest-idle" {
        config.dispatch = fleet::DispatchPolicy::NearestIdle;
    }
    if args.delays {
        config.disturbances = sim::Disturbances::DELAYS;
    }
    config.validate()?;
    // open the reports before the run, so a bad path fails now and not after the whole day
    let report_file = match args.report {
        Some(path) => {
            let file = File::create(&path)
                .with_context(|| format!("cannot write report {}", path.display()))?;
            Some((path, file))
        }
        None => None,
    };
    if let Some(path) = &args.report_html {
        File::create(path)
            .with_context(|| format!("cannot write HTML report {}", path.display()))?;
    }
    let simulation = sim::Simulation::new(config)?;

    let bar = ProgressBar::new(1000);
    bar.set_style(
        ProgressStyle::with_template("{spinner} simulating [{bar:40}] {percent:>3}% {elapsed}")
            .expect("the template is valid")
            .progress_chars("=> "),
    );
    let report = simulation.run(|share| bar.set_position((share * 1000.0) as u64));
    bar.finish_and_clear();

    print!("{report}");
    if let Some((path, mut file)) = report_file {
        let json = serde_json::to_string_pretty(&report).context("encoding the report")?;
        writeln!(file, "{json}").with_context(|| format!("writing report {}", path.display()))?;
    }
    if let Some(path) = &args.report_html {
        report.write_html(path)?;
    }
    Ok(ExitCode::SUCCESS)
}

fn run_plan(args: PlanArgs) -> anyhow::Result<ExitCode> {
    let time_limit = Duration::try_from_secs_f64(args.time_limit_s)
        .ok()
        .filter(|limit| !limit.is_zero() && *limit <= MAX_TIME_LIMIT);
    let Some(time_limit) = time_limit else {
        bail!(
            "--time-limit-s: must be more than 0 and at most {} seconds",
            MAX_TIME_LIMIT.as_secs()
        );
    };
    if args.agents == 0 {
        bail!("--agents 0: an instance needs at least one agent");
    }
    let grid = maps::GridMap::load(&args.map)?;
    let scenario = maps::Scenario::load(&args.scen)?;
    let agents = scenario.first(args.agents, &grid)?;
    let instance = planner::Instance::from_movingai(&grid, agents)
        .with_context(|| format!("{}: not a valid instance", args.scen.display()))?;

    // refuse an unwritable output before spending the planning time
    File::create(&args.output)
        .with_context(|| format!("--output {}: cannot write", args.output.display()))?;
    args.solver.warn_ignored(args.anytime);

    let lacam = args.solver.lacam(time_limit, args.anytime);
    let mut distances = planner::DistanceCache::new();
    let started = Instant::now();
    let outcome = match args.solver.solver {
        Solver::Lacam => planner::lacam::solve_with(&instance, &lacam, &mut distances),
        Solver::Pibt => planner::pibt::solve_with(
            &instance,
            &planner::SolveOptions {
                seed: args.solver.seed,
                time_limit,
                swap: !args.solver.no_swap,
                ..planner::SolveOptions::default()
            },
            &mut distances,
        ),
    };
    let comp_time = started.elapsed();

    let (solution, failed) = match outcome {
        Ok(solution) => (Some(solution), ExitCode::SUCCESS),
        Err(err) if err.is_give_up() => {
            eprintln!("gatefleet: {err}");
            (None, ExitCode::from(1))
        }
        Err(err @ planner::SolveError::NoSolution { .. }) => {
            eprintln!("gatefleet: {err}");
            (None, ExitCode::from(3))
        }
        Err(err) => return Err(err).context("planning"),
    };
    if let Some(solution) = &solution {
        planner::check(&instance, &solution.plan).context("the checker refused the plan")?;
    }
    let map_file = args
        .map
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    let run = planner::RunInfo {
        map_file,
        solver: args.solver.solver.name().into(),
        seed: args.solver.seed,
        comp_time,
    };
    let result = planner::ResultFile::new(&instance, solution.as_ref(), &run, &mut distances)?;
    result.save(&args.output)?;
    println!(
        "solved={} agents={} soc={} soc_lb={} makespan={} makespan_lb={} comp_time={}ms -> {}",
        u8::from(result.solved),
        result.agents,
        result.soc,
        result.soc_lb,
        result.makespan,
        result.makespan_lb,
        result.comp_time_ms,
        args.output.display()
    );
    Ok(failed)
}

fn run_bench_mapf(args: BenchMapfArgs) -> anyhow::Result<ExitCode> {
    let suite = match &args.suite {
        Some(path) => planner::Suite::load(path)?,
        None => planner::Suite::builtin_default(),
    };
    args.solver.warn_ignored(false);
    let options = planner::BenchOptions {
        data: args.data,
        solver: match args.solver.solver {
            Solver::Lacam => planner::BenchSolver::Lacam,
            Solver::Pibt => planner::BenchSolver::Pibt,
        },
        tuning: args.solver.lacam(Duration::ZERO, false),
    };
    let reports = planner::run_suite(&suite, &options)?;
    print!("{}", planner::bench::table(&reports));
    Ok(if reports.iter().all(planner::RowReport::is_solved) {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn run_lifelong(args: LifelongArgs) -> anyhow::Result<ExitCode> {
    let time_limit = Duration::from_millis(args.time_limit_ms);
    if time_limit.is_zero() || time_limit > MAX_TIME_LIMIT {
        bail!(
            "--time-limit-ms: must be more than 0 and at most {} ms",
            MAX_TIME_LIMIT.as_millis()
        );
    }
    let problem = planner::lorr::Problem::load(&args.problem)?;
    let steps = match args.steps.or(problem.default_steps) {
        Some(0) => bail!("--steps 0: nothing to run"),
        Some(steps) => steps,
        None => bail!(
            "{}: no simulation_time.json entry for this problem; give --steps",
            args.problem.display()
        ),
    };
    // refuse an unwritable output before the run
    File::create(&args.output)
        .with_context(|| format!("--output {}: cannot write", args.output.display()))?;

    let mut entry = planner::lifelong::LifelongPlanner::new(planner::lifelong::LifelongOptions {
        seed: args.seed,
        assigner: match args.assigner {
            AssignerArg::Optimal => planner::lifelong::Assigner::Optimal,
            AssignerArg::Greedy => planner::lifelong::Assigner::Greedy,
        },
        guidance: !args.no_guidance,
        guide_share: args.guide_share,
        window: usize::from(args.window),
        window_share: args.window_share,
        ..Default::default()
    });
    let bar = if std::io::stderr().is_terminal() {
        ProgressBar::new(u64::from(steps))
    } else {
        ProgressBar::hidden()
    };
    bar.set_style(
        ProgressStyle::with_template(
            "{spinner} lifelong [{bar:40}] {pos}/{len} steps {msg} {elapsed}",
        )
        .expect("the template is valid")
        .progress_chars("=> "),
    );
    let options = planner::lorr::RunOptions { steps, time_limit };
    let started = Instant::now();
    let log = planner::lorr::run_with(&problem, &mut entry, &options, |report| {
        bar.set_position(u64::from(report.step) + 1);
        bar.set_message(format!("throughput={}", report.throughput));
    });
    let wall = started.elapsed();
    bar.finish_and_clear();

    planner::lorr::OutputFile::new(&problem, &log).save(&args.output)?;
    let verdict = planner::lorr::check_file(&problem, &args.output);
    print_lifelong(&problem, &log, &args.output, wall);
    match verdict {
        Ok(report) if report.throughput == log.throughput() => {
            println!("checker=ok");
            Ok(ExitCode::SUCCESS)
        }
        Ok(report) => {
            println!(
                "checker=rejected: it counts throughput {}, the run {}",
                report.throughput,
                log.throughput()
            );
            Ok(ExitCode::from(1))
        }
        Err(planner::lorr::CheckError::Violation(violation)) => {
            println!("checker=rejected: {violation}");
            Ok(ExitCode::from(1))
        }
        Err(err) => {
            eprintln!("gatefleet: the checker could not read the output: {err:#}");
            Ok(ExitCode::from(1))
        }
    }
}

/// The summary of a lifelong run, one `key=value` group per line.
fn print_lifelong(
    problem: &planner::lorr::Problem,
    log: &planner::lorr::RunLog,
    output: &std::path::Path,
    wall: Duration,
) {
    let name = problem
        .path
        .file_stem()
        .map_or_else(String::new, |s| s.to_string_lossy().into_owned());
    let ms = |q: f64| log.planner_time_quantile(q).as_secs_f64() * 1000.0;
    let rules = match log.rules {
        planner::lorr::Rules::Lorr2023 => 2023,
        planner::lorr::Rules::Lorr2024 => 2024,
    };
    println!(
        "problem={name} rules={rules} agents={} steps={} time_limit={}ms",
        problem.team_size(),
        log.steps,
        log.time_limit.as_millis()
    );
    println!("throughput={}", log.throughput());
    println!(
        "tasks_per_step={:.3}",
        log.throughput() as f64 / f64::from(log.steps.max(1))
    );
    println!(
        "step_time p50={:.2}ms p99={:.2}ms max={:.2}ms",
        ms(0.5),
        ms(0.99),
        ms(1.0)
    );
    println!(
        "overruns={} invalid_steps={} schedule_errors={}",
        log.overruns,
        log.invalid_steps,
        log.schedule_errors.len()
    );
    println!(
        "output={} wall={:.1}s",
        output.display(),
        wall.as_secs_f64()
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demand_levels_parse() {
        assert_eq!(parse_demand("1x").unwrap(), 1.0);
        assert_eq!(parse_demand("2.5X").unwrap(), 2.5);
        assert!(parse_demand("lots").is_err());
        assert!(parse_demand("-1x").is_err());
    }
}

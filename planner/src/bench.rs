//! The MAPF benchmark runner behind `gatefleet bench mapf`: a suite of MovingAI instances,
//! each solved once, timed, checked and measured.
//!
//! # Suite files
//! A suite is a small TOML file holding one array, `rows`, of inline tables:
//!
//! ```toml
//! rows = [
//!     { map = "random-32-32-20", scen = "random-1", agents = 400, time_limit_s = 30.0 },
//!     { map = "den520d", scen = "random-1", agents = 1000, time_limit_s = 30.0, anytime = true },
//! ]
//! ```
//!
//! - `map`: a MovingAI map name; the map file is `<data>/<map>/<map>.map`;
//! - `scen`: the scenario suffix; the file is `<data>/<map>/<map>-<scen>.scen` (`random-1`,
//!   `even-2`, `10000agents-1`, ...);
//! - `agents`: use the first `agents` rows of the scenario (at least 1);
//! - `time_limit_s`: the solver's budget in seconds (more than 0, at most a day);
//! - `anytime` (optional, default `false`): the row measures the cost reached at the time
//!   limit rather than the first solution. Solvers that do not refine (PIBT) report their
//!   first solution there too.
//!
//! `<data>` is the MovingAI folder given in [`BenchOptions::data`]. Unknown keys, missing
//! keys and out-of-range values are refused with the file and line ([`BenchError`]).
//! [`Suite::builtin_default`] is `planner/suites/default.toml`, the targets of the planner.
//!
//! # Measuring
//! Per row, [`run_row`] loads the map and scenario and builds the [`Instance`] (I/O and
//! validation, not timed), then times the solver call alone. A plan is always passed to
//! [`check`]; a refused plan is a failed row. The lower bounds come from one distance table
//! per agent, built after the solve and dropped at once, so they add nothing to the peak.
//!
//! Peak memory is the process's peak resident set during the solver call: on Linux, writing
//! `5` to `/proc/self/clear_refs` resets the peak (`VmHWM`) to the current resident set, and
//! `VmHWM` in `/proc/self/status` is read after the call. It includes what the process held
//! before the call (the loaded instance, memory the allocator kept from earlier rows). When
//! either file cannot be used (another OS, a locked-down `/proc`) the peak is unknown.

use std::fmt::{self, Write as _};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use maps::{GridError, GridMap, Scenario, ScenarioError};
use serde::Deserialize;
use toml::Spanned;

use crate::check::{Violation, check};
use crate::distance::DistanceTable;
use crate::instance::{Instance, InstanceError};
use crate::lacam::{self, LacamOptions};
use crate::pibt;
use crate::solve::{SolveError, SolveOptions};

/// The longest `time_limit_s` a suite row may ask for: a day.
pub const MAX_ROW_TIME_LIMIT: Duration = Duration::from_secs(24 * 3600);

/// Why a suite could not be read or its data loaded.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BenchError {
    /// The suite file could not be read.
    #[error("cannot read suite file {path:?}")]
    Read {
        /// The suite file.
        path: PathBuf,
        /// What the OS said.
        #[source]
        source: std::io::Error,
    },
    /// The suite file is not valid TOML or a row is not a valid row.
    #[error("{path:?} line {line}: {reason}")]
    Malformed {
        /// The suite file.
        path: PathBuf,
        /// 1-based line number.
        line: usize,
        /// What is wrong.
        reason: String,
    },
    /// A map or scenario file named by a row does not exist.
    #[error("{suite:?} line {line}: {what} {name:?} not found: no file {file:?}")]
    MissingData {
        /// The suite file.
        suite: PathBuf,
        /// 1-based line number of the row.
        line: usize,
        /// `map` or `scenario`.
        what: &'static str,
        /// The name in the row.
        name: String,
        /// The file looked for.
        file: PathBuf,
    },
    /// The map of a row could not be loaded.
    #[error("{suite:?} line {line}: cannot load the map")]
    Map {
        /// The suite file.
        suite: PathBuf,
        /// 1-based line number of the row.
        line: usize,
        /// Why.
        #[source]
        source: Box<GridError>,
    },
    /// The scenario of a row could not be loaded or has too few agents.
    #[error("{suite:?} line {line}: cannot use the scenario")]
    Scenario {
        /// The suite file.
        suite: PathBuf,
        /// 1-based line number of the row.
        line: usize,
        /// Why.
        #[source]
        source: Box<ScenarioError>,
    },
    /// The agents of a row do not make a valid instance.
    #[error("{suite:?} line {line}: not a valid instance")]
    Instance {
        /// The suite file.
        suite: PathBuf,
        /// 1-based line number of the row.
        line: usize,
        /// Why.
        #[source]
        source: Box<InstanceError>,
    },
}

/// One row of a suite: which instance to solve and for how long.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SuiteRow {
    /// MovingAI map name (`random-32-32-20`).
    pub map: String,
    /// Scenario suffix (`random-1`).
    pub scen: String,
    /// Number of agents: the first rows of the scenario.
    pub agents: usize,
    /// The solver's budget.
    pub time_limit: Duration,
    /// Whether the row measures the cost at the time limit rather than the first solution.
    pub anytime: bool,
    /// 1-based line of the row in its suite file.
    pub line: usize,
}

impl SuiteRow {
    /// `<data>/<map>/<map>.map`.
    pub fn map_path(&self, data: &Path) -> PathBuf {
        data.join(&self.map).join(format!("{}.map", self.map))
    }

    /// `<data>/<map>/<map>-<scen>.scen`.
    pub fn scen_path(&self, data: &Path) -> PathBuf {
        data.join(&self.map)
            .join(format!("{}-{}.scen", self.map, self.scen))
    }
}

/// A parsed suite file: its rows, in file order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Suite {
    path: PathBuf,
    rows: Vec<SuiteRow>,
}

/// The file as written; `Spanned` keeps each row's place for messages.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SuiteFile {
    rows: Vec<Spanned<RowFile>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RowFile {
    map: String,
    scen: String,
    agents: i64,
    time_limit_s: f64,
    #[serde(default)]
    anytime: bool,
}

impl Suite {
    /// The suite shipped as `planner/suites/default.toml`: the targets of the planner.
    pub fn builtin_default() -> Self {
        let text = include_str!("../suites/default.toml");
        Self::parse(text, "planner/suites/default.toml")
            .expect("the shipped default suite parses (pinned by a test)")
    }

    /// Reads a suite file.
    ///
    /// # Errors
    /// [`BenchError::Read`], or [`BenchError::Malformed`] naming the line.
    pub fn load(path: impl AsRef<Path>) -> Result<Self, BenchError> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path).map_err(|source| BenchError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        Self::parse(&text, path)
    }

    /// Parses the text of a suite file; `path` is only used in messages.
    ///
    /// # Errors
    /// [`BenchError::Malformed`] naming the line: bad TOML, an unknown or missing key, or a
    /// value out of range.
    pub fn parse(text: &str, path: impl AsRef<Path>) -> Result<Self, BenchError> {
        let path = path.as_ref().to_path_buf();
        let malformed = |offset: usize, reason: String| BenchError::Malformed {
            path: path.clone(),
            line: maps::text::line_of(text, offset),
            reason,
        };
        let file: SuiteFile = toml::from_str(text).map_err(|err| {
            let offset = err.span().map_or(0, |span| span.start);
            malformed(offset, err.message().trim_end().to_owned())
        })?;
        if file.rows.is_empty() {
            return Err(malformed(0, "the suite has no rows".into()));
        }
        let rows = file
            .rows
            .into_iter()
            .map(|row| {
                let offset = row.span().start;
                to_row(row.into_inner(), maps::text::line_of(text, offset))
                    .map_err(|e| malformed(offset, e))
            })
            .collect::<Result<_, _>>()?;
        Ok(Self { path, rows })
    }

    /// The suite file's path (as given).
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The rows, in file order.
    pub fn rows(&self) -> &[SuiteRow] {
        &self.rows
    }

    /// Checks that the map and scenario file of every row exist under `data`, so that a
    /// missing file is reported before minutes of solving rather than after.
    ///
    /// # Errors
    /// [`BenchError::MissingData`] for the first row whose map or scenario is missing.
    pub fn check_data(&self, data: &Path) -> Result<(), BenchError> {
        for row in &self.rows {
            let files = [
                ("map", &row.map, row.map_path(data)),
                ("scenario", &row.scen, row.scen_path(data)),
            ];
            for (what, name, file) in files {
                if !file.is_file() {
                    return Err(BenchError::MissingData {
                        suite: self.path.clone(),
                        line: row.line,
                        what,
                        name: name.clone(),
                        file,
                    });
                }
            }
        }
        Ok(())
    }
}

/// Validates one row as written.
fn to_row(row: RowFile, line: usize) -> Result<SuiteRow, String> {
    for (key, name) in [("map", &row.map), ("scen", &row.scen)] {
        let is_plain = !name.is_empty() && !name.contains(['/', '\\']) && name != "..";
        if !is_plain {
            return Err(format!("{key} {name:?}: expected a bare name, not a path"));
        }
    }
    let agents = usize::try_from(row.agents)
        .ok()
        .filter(|&n| n > 0)
        .ok_or_else(|| format!("agents {}: expected at least 1", row.agents))?;
    let time_limit = Duration::try_from_secs_f64(row.time_limit_s)
        .ok()
        .filter(|limit| !limit.is_zero() && *limit <= MAX_ROW_TIME_LIMIT)
        .ok_or_else(|| {
            format!(
                "time_limit_s {}: expected more than 0 and at most {} seconds",
                row.time_limit_s,
                MAX_ROW_TIME_LIMIT.as_secs()
            )
        })?;
    Ok(SuiteRow {
        map: row.map,
        scen: row.scen,
        agents,
        time_limit,
        anytime: row.anytime,
        line,
    })
}

/// Which solver a benchmark runs. A new solver is one more variant and one more match arm in
/// [`run_row`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum BenchSolver {
    /// [`pibt::solve`].
    Pibt,
    /// [`lacam::solve`].
    Lacam,
}

impl fmt::Display for BenchSolver {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Pibt => "pibt",
            Self::Lacam => "lacam",
        })
    }
}

/// Settings shared by every row of a run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BenchOptions {
    /// The MovingAI folder: one sub-folder per map.
    pub data: PathBuf,
    /// The solver to measure.
    pub solver: BenchSolver,
    /// The solver's switches, the same for every row; each row sets the time limit and
    /// whether the run is anytime. PIBT reads only the seed and `swap`.
    pub tuning: LacamOptions,
}

/// What the solver and the checker made of a row.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum RowOutcome {
    /// A plan that the checker accepted.
    Solved {
        /// Sum of costs of the plan.
        soc: u64,
        /// Makespan of the plan.
        makespan: usize,
    },
    /// The solver returned no plan (gave up, or proved there is none).
    Unsolved(SolveError),
    /// The solver returned a plan that the checker refused.
    Refused {
        /// Sum of costs of the refused plan.
        soc: u64,
        /// Makespan of the refused plan.
        makespan: usize,
        /// The first broken rule.
        violation: Violation,
    },
}

/// The measurements of one row.
#[derive(Clone, Debug, PartialEq)]
pub struct RowReport {
    /// The row measured.
    pub row: SuiteRow,
    /// What the solver returned and the checker said.
    pub outcome: RowOutcome,
    /// Wall-clock time of the solver call alone (an anytime row runs to its time limit).
    pub solver_time: Duration,
    /// Time to the first solution within the call (the whole call for solvers that do not
    /// report it, or when there was no solution).
    pub first_solution: Duration,
    /// Sum over agents of the start-to-goal distance.
    pub soc_lower_bound: u64,
    /// Largest start-to-goal distance.
    pub makespan_lower_bound: u64,
    /// Peak resident set during the solver call, in bytes; `None` when unknown.
    pub peak_memory: Option<u64>,
}

impl RowReport {
    /// Whether the row has a plan that passed the checker.
    pub fn is_solved(&self) -> bool {
        matches!(self.outcome, RowOutcome::Solved { .. })
    }

    /// Sum of costs over its lower bound, for a solved row with a nonzero bound.
    pub fn ratio(&self) -> Option<f64> {
        match self.outcome {
            RowOutcome::Solved { soc, .. } if self.soc_lower_bound > 0 => {
                Some(soc as f64 / self.soc_lower_bound as f64)
            }
            _ => None,
        }
    }
}

/// Runs every row of `suite` in order, after checking that all their files exist.
///
/// Rows the solver cannot solve are reported, not errors: only bad data stops the run.
///
/// # Errors
/// Before any row runs: [`BenchError::MissingData`], or the load errors of [`run_row`] for
/// the first row whose map, scenario or instance is not usable.
pub fn run_suite(suite: &Suite, options: &BenchOptions) -> Result<Vec<RowReport>, BenchError> {
    suite.check_data(&options.data)?;
    // every row's data must load before any row runs: a bad last row must not cost the
    // time of all the others
    for row in suite.rows() {
        load_instance(suite.path(), row, &options.data)?;
    }
    suite
        .rows()
        .iter()
        .map(|row| run_row(suite.path(), row, options))
        .collect()
}

/// Loads, solves, checks and measures one row; `suite` is only used in messages.
///
/// # Errors
/// [`BenchError::Map`], [`BenchError::Scenario`] or [`BenchError::Instance`] when the row's
/// data cannot be loaded or is not a valid instance.
pub fn run_row(
    suite: &Path,
    row: &SuiteRow,
    options: &BenchOptions,
) -> Result<RowReport, BenchError> {
    // load: I/O and validation, not timed
    let instance = load_instance(suite, row, &options.data)?;
    let tuning = LacamOptions {
        time_limit: row.time_limit,
        anytime: row.anytime,
        ..options.tuning.clone()
    };
    let pibt_options = SolveOptions {
        seed: tuning.seed,
        time_limit: row.time_limit,
        swap: tuning.swap,
        ..SolveOptions::default()
    };

    // solve: only the solver call is timed
    let is_peak_reset = reset_peak_memory();
    let started = Instant::now();
    let result = match options.solver {
        BenchSolver::Pibt => pibt::solve(&instance, &pibt_options),
        BenchSolver::Lacam => lacam::solve(&instance, &tuning),
    };
    let solver_time = started.elapsed();
    let peak_memory = is_peak_reset.then(read_peak_memory).flatten();

    // check and measure
    let first_solution = match &result {
        Ok(solution) => solution.stats.first_solution.unwrap_or(solver_time),
        Err(_) => solver_time,
    };
    let outcome = match result {
        Err(err) => RowOutcome::Unsolved(err),
        Ok(solution) => {
            let soc = solution.plan.sum_of_costs(instance.goals());
            let makespan = solution.plan.makespan();
            match check(&instance, &solution.plan) {
                Ok(()) => RowOutcome::Solved { soc, makespan },
                Err(violation) => RowOutcome::Refused {
                    soc,
                    makespan,
                    violation,
                },
            }
        }
    };
    let (soc_lower_bound, makespan_lower_bound) = lower_bounds(&instance);
    let report = RowReport {
        row: row.clone(),
        outcome,
        solver_time,
        first_solution,
        soc_lower_bound,
        makespan_lower_bound,
        peak_memory,
    };
    tracing::info!(
        map = %row.map,
        agents = row.agents,
        solved = report.is_solved(),
        time_ms = solver_time.as_millis(),
        "bench row done"
    );
    Ok(report)
}

fn load_instance(suite: &Path, row: &SuiteRow, data: &Path) -> Result<Instance, BenchError> {
    let (suite, line) = (suite.to_path_buf(), row.line);
    let grid = GridMap::load(row.map_path(data)).map_err(|source| BenchError::Map {
        suite: suite.clone(),
        line,
        source: Box::new(source),
    })?;
    let scenario = Scenario::load(row.scen_path(data));
    let agents = scenario
        .and_then(|scenario| Ok(scenario.first(row.agents, &grid)?.to_vec()))
        .map_err(|source| BenchError::Scenario {
            suite: suite.clone(),
            line,
            source: Box::new(source),
        })?;
    Instance::from_movingai(&grid, &agents).map_err(|source| BenchError::Instance {
        suite,
        line,
        source: Box::new(source),
    })
}

/// Sum of costs and makespan lower bounds, one distance table at a time: a cache of all
/// tables would hold gigabytes for 10,000 agents on a large map.
fn lower_bounds(instance: &Instance) -> (u64, u64) {
    let graph = instance.graph();
    let distances = instance
        .starts()
        .iter()
        .zip(instance.goals())
        .map(|(&start, &goal)| u64::from(DistanceTable::build(graph, goal).get(start)));
    distances.fold((0, 0), |(sum, max), d| (sum + d, max.max(d)))
}

/// Resets the peak resident set of this process (Linux `clear_refs` code 5); false when the
/// OS does not allow it.
fn reset_peak_memory() -> bool {
    std::fs::write("/proc/self/clear_refs", "5").is_ok()
}

/// The peak resident set (`VmHWM`) in bytes, when `/proc/self/status` tells it.
fn read_peak_memory() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    parse_vm_hwm(&status)
}

/// Reads `VmHWM:   1234 kB` from the text of `/proc/<pid>/status`, in bytes.
fn parse_vm_hwm(status: &str) -> Option<u64> {
    let line = status.lines().find_map(|l| l.strip_prefix("VmHWM:"))?;
    let kib = line.trim().strip_suffix("kB")?.trim().parse::<u64>().ok()?;
    Some(kib * 1024)
}

/// The reports as an aligned text table, one line per row under a header line.
///
/// Columns: map, scen, agents, solved, first-solution time (s), time of the whole call (s;
/// the time limit for an anytime row), soc of the final plan, soc lower bound, ratio,
/// makespan, makespan lower bound, peak MiB, checker verdict (with the give-up reason or
/// the violation). `-` marks a value the row does not have, `?` an unknown peak.
pub fn table(reports: &[RowReport]) -> String {
    let header = [
        "map",
        "scen",
        "agents",
        "solved",
        "first_s",
        "total_s",
        "soc",
        "soc_lb",
        "ratio",
        "makespan",
        "makespan_lb",
        "peak_mib",
        "checker",
    ];
    let mut lines = vec![header.map(String::from).to_vec()];
    lines.extend(reports.iter().map(table_cells));
    let widths: Vec<usize> = (0..header.len())
        .map(|c| lines.iter().map(|l| l[c].len()).max().unwrap_or(0))
        .collect();

    let mut out = String::new();
    for line in &lines {
        let mut text = String::new();
        for (c, cell) in line.iter().enumerate() {
            // text columns flush left, numbers flush right, the last column unpadded
            let width = if c + 1 == line.len() { 0 } else { widths[c] };
            let _ = match c {
                0 | 1 | 3 | 11 => write!(text, "{cell:<width$}  "),
                _ => write!(text, "{cell:>width$}  "),
            };
        }
        out += text.trim_end();
        out.push('\n');
    }
    out
}

fn table_cells(report: &RowReport) -> Vec<String> {
    let row = &report.row;
    let dash = || "-".to_owned();
    let (solved, soc, makespan, verdict) = match &report.outcome {
        RowOutcome::Solved { soc, makespan } => {
            ("yes", soc.to_string(), makespan.to_string(), "ok".into())
        }
        RowOutcome::Unsolved(err) => ("no", dash(), dash(), err.to_string()),
        RowOutcome::Refused {
            soc,
            makespan,
            violation,
        } => (
            "no",
            soc.to_string(),
            makespan.to_string(),
            format!("refused: {violation}"),
        ),
    };
    let scen = if row.anytime {
        format!("{} (anytime)", row.scen)
    } else {
        row.scen.clone()
    };
    let peak = report.peak_memory.map_or_else(
        || "?".to_owned(),
        |bytes| format!("{:.0}", bytes as f64 / (1024.0 * 1024.0)),
    );
    vec![
        row.map.clone(),
        scen,
        row.agents.to_string(),
        solved.to_owned(),
        format!("{:.3}", report.first_solution.as_secs_f64()),
        format!("{:.3}", report.solver_time.as_secs_f64()),
        soc,
        report.soc_lower_bound.to_string(),
        report.ratio().map_or_else(dash, |r| format!("{r:.3}")),
        makespan,
        report.makespan_lower_bound.to_string(),
        peak,
        verdict,
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vm_hwm_is_read_in_bytes() {
        let status = "Name:\tx\nVmPeak:\t  900 kB\nVmHWM:\t    2048 kB\nVmRSS:\t 10 kB\n";
        assert_eq!(parse_vm_hwm(status), Some(2 * 1024 * 1024));
        assert_eq!(parse_vm_hwm("Name:\tx\n"), None);
    }

    #[test]
    fn rows_keep_their_line() {
        let text = "# two rows\nrows = [\n  { map = \"a\", scen = \"random-1\", agents = 2, \
                    time_limit_s = 1.0 },\n  { map = \"b\", scen = \"10000agents-1\", agents = 3, \
                    time_limit_s = 0.5, anytime = true },\n]\n";
        let suite = Suite::parse(text, "s.toml").unwrap();
        let lines: Vec<usize> = suite.rows().iter().map(|r| r.line).collect();
        assert_eq!(lines, [3, 4]);
        assert!(suite.rows()[1].anytime);
        assert_eq!(
            suite.rows()[1].scen_path(Path::new("d")),
            Path::new("d/b/b-10000agents-1.scen")
        );
    }

    #[test]
    fn zero_agents_are_refused_with_the_line() {
        let text = "rows = [\n  { map = \"a\", scen = \"r\", agents = 0, time_limit_s = 1.0 },\n]";
        let err = Suite::parse(text, "s.toml").unwrap_err().to_string();
        assert!(err.contains("line 2") && err.contains("agents 0"), "{err}");
    }

    #[test]
    fn the_builtin_default_suite_parses() {
        assert_eq!(Suite::builtin_default().rows().len(), 7);
    }
}

//! The LaCAM-family result file: a solver run written as `key=value` lines.
//!
//! ```text
//! agents=2
//! map_file=random-32-32-20.map
//! solver=planner::pibt
//! solved=1
//! soc=7
//! soc_lb=7
//! makespan=4
//! makespan_lb=4
//! comp_time=3
//! seed=0
//! starts=(5,16),(21,29),
//! goals=(6,16),(24,29),
//! solution=
//! 0:(5,16),(21,29),
//! 1:(6,16),(22,29),
//! ```
//!
//! Cells are `(x,y)` with x the column and y the row; agents appear in scenario order;
//! `comp_time` is in milliseconds. As LaCAM does, every cell is followed by a comma. The
//! reader ignores keys it does not know (LaCAM writes a few more) and accepts lists with or
//! without the trailing comma.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::Duration;

use maps::Cell;

use crate::distance::DistanceCache;
use crate::graph::Graph;
use crate::instance::Instance;
use crate::plan::{Plan, makespan_lower_bound, soc_lower_bound};
use crate::solve::Solution;

/// Why a result file could not be written, read or used.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ResultFileError {
    /// The file could not be read or written.
    #[error("cannot access result file {path:?}")]
    Io {
        /// The file.
        path: PathBuf,
        /// What the OS said.
        #[source]
        source: std::io::Error,
    },
    /// A line is not what the format expects.
    #[error("{path:?} line {line}: {reason}")]
    Malformed {
        /// The file.
        path: PathBuf,
        /// 1-based line number.
        line: usize,
        /// What is wrong.
        reason: String,
    },
    /// A required key is absent.
    #[error("{path:?} has no `{key}=` line")]
    MissingKey {
        /// The file.
        path: PathBuf,
        /// The key.
        key: &'static str,
    },
    /// The instance is not on a grid, so there are no cells to write.
    #[error("result files need an instance on a grid graph")]
    NotAGrid,
    /// A cell of the solution is not a free cell of the graph it is read onto.
    #[error("timestep {timestep}, agent {agent}: cell {cell} is not a vertex of the graph")]
    UnknownCell {
        /// The timestep.
        timestep: usize,
        /// The agent index.
        agent: usize,
        /// The cell.
        cell: Cell,
    },
}

/// How a run was made: what the result file says besides the plan.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RunInfo {
    /// The map file name, as written in `map_file=`.
    pub map_file: String,
    /// The solver name, e.g. `planner::pibt`.
    pub solver: String,
    /// The seed the solver ran with.
    pub seed: u64,
    /// Wall-clock time of the run.
    pub comp_time: Duration,
}

/// The contents of a result file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResultFile {
    /// Number of agents.
    pub agents: usize,
    /// The map file name.
    pub map_file: String,
    /// The solver name.
    pub solver: String,
    /// Whether a plan was found.
    pub solved: bool,
    /// Sum of costs of the plan (0 when not solved).
    pub soc: u64,
    /// Lower bound on the sum of costs.
    pub soc_lb: u64,
    /// Makespan of the plan (0 when not solved).
    pub makespan: u64,
    /// Lower bound on the makespan.
    pub makespan_lb: u64,
    /// Computation time, milliseconds.
    pub comp_time_ms: u64,
    /// The solver's seed.
    pub seed: u64,
    /// Start cell per agent.
    pub starts: Vec<Cell>,
    /// Goal cell per agent.
    pub goals: Vec<Cell>,
    /// Joint cells per timestep (empty when not solved).
    pub solution: Vec<Vec<Cell>>,
}

impl ResultFile {
    /// Describes a run on a grid instance; `solution` is `None` when the solver failed.
    /// The lower bounds read the goals' tables from `distances`, building the missing ones
    /// (pass the cache the solver filled to make this O(n)).
    ///
    /// # Errors
    /// [`ResultFileError::NotAGrid`] when the instance graph has no cells.
    ///
    /// # Complexity
    /// O(k (V + E)) for k goals missing from `distances`, plus O(T n) for the plan.
    pub fn new(
        instance: &Instance,
        solution: Option<&Solution>,
        run: &RunInfo,
        distances: &mut DistanceCache,
    ) -> Result<Self, ResultFileError> {
        let graph = instance.graph();
        let starts = instance.start_cells().ok_or(ResultFileError::NotAGrid)?;
        let goals = instance.goal_cells().ok_or(ResultFileError::NotAGrid)?;
        let cells =
            |step: &Vec<_>| -> Option<Vec<Cell>> { step.iter().map(|&v| graph.cell(v)).collect() };
        let steps = solution.map_or(&[][..], |s| s.plan.steps());
        let joint: Option<Vec<Vec<Cell>>> = steps.iter().map(cells).collect();

        let threads = std::thread::available_parallelism().map_or(1, usize::from);
        distances.ensure_all(graph, instance.goals(), threads, None);
        let plan = solution.map(|s| &s.plan);
        Ok(Self {
            agents: instance.agent_count(),
            map_file: run.map_file.clone(),
            solver: run.solver.clone(),
            solved: solution.is_some(),
            soc: plan.map_or(0, |p| p.sum_of_costs(instance.goals())),
            soc_lb: soc_lower_bound(instance, distances),
            makespan: plan.map_or(0, |p| p.makespan() as u64),
            makespan_lb: makespan_lower_bound(instance, distances),
            comp_time_ms: run.comp_time.as_millis() as u64,
            seed: run.seed,
            starts,
            goals,
            solution: joint.ok_or(ResultFileError::NotAGrid)?,
        })
    }

    /// The file text.
    pub fn to_text(&self) -> String {
        let mut text = String::new();
        let numbers = [
            ("agents", self.agents as u64),
            ("map_file", 0),
            ("solver", 0),
            ("solved", u64::from(self.solved)),
            ("soc", self.soc),
            ("soc_lb", self.soc_lb),
            ("makespan", self.makespan),
            ("makespan_lb", self.makespan_lb),
            ("comp_time", self.comp_time_ms),
            ("seed", self.seed),
        ];
        for (key, value) in numbers {
            match key {
                "map_file" => writeln!(text, "map_file={}", self.map_file),
                "solver" => writeln!(text, "solver={}", self.solver),
                _ => writeln!(text, "{key}={value}"),
            }
            .expect("writing to a String cannot fail");
        }
        writeln!(text, "starts={}", cell_list(&self.starts)).expect("String write");
        writeln!(text, "goals={}", cell_list(&self.goals)).expect("String write");
        text.push_str("solution=\n");
        for (timestep, cells) in self.solution.iter().enumerate() {
            writeln!(text, "{timestep}:{}", cell_list(cells)).expect("String write");
        }
        text
    }

    /// Writes the file.
    ///
    /// # Errors
    /// [`ResultFileError::Io`].
    pub fn save(&self, path: impl AsRef<Path>) -> Result<(), ResultFileError> {
        let path = path.as_ref();
        std::fs::write(path, self.to_text()).map_err(|source| ResultFileError::Io {
            path: path.to_path_buf(),
            source,
        })
    }

    /// Reads a file.
    ///
    /// # Errors
    /// [`ResultFileError::Io`], then as [`ResultFile::parse`].
    pub fn load(path: impl AsRef<Path>) -> Result<Self, ResultFileError> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path).map_err(|source| ResultFileError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        Self::parse(&text, path)
    }

    /// Parses file text; `path` is only used in error messages.
    ///
    /// # Errors
    /// [`ResultFileError::Malformed`] naming the line, [`ResultFileError::MissingKey`].
    pub fn parse(text: &str, path: impl AsRef<Path>) -> Result<Self, ResultFileError> {
        let mut reader = Reader::new(path.as_ref());
        let mut lines = text
            .lines()
            .enumerate()
            .map(|(i, line)| (i + 1, line.trim_end()));
        for (no, line) in lines.by_ref() {
            if reader.header_line(no, line)? {
                break;
            }
        }
        for (no, line) in lines {
            reader.solution_line(no, line)?;
        }
        reader.finish()
    }

    /// The solution as a plan on `graph` (the grid graph of the same map).
    ///
    /// # Errors
    /// [`ResultFileError::UnknownCell`] for a cell that is not a vertex of `graph`.
    pub fn to_plan(&self, graph: &Graph) -> Result<Plan, ResultFileError> {
        let mut steps = Vec::with_capacity(self.solution.len());
        for (timestep, cells) in self.solution.iter().enumerate() {
            let step = cells
                .iter()
                .enumerate()
                .map(|(agent, &cell)| {
                    graph.vertex_at(cell).ok_or(ResultFileError::UnknownCell {
                        timestep,
                        agent,
                        cell,
                    })
                })
                .collect::<Result<Vec<_>, _>>()?;
            steps.push(step);
        }
        Ok(Plan::new(steps))
    }
}

fn cell_list(cells: &[Cell]) -> String {
    let mut text = String::with_capacity(cells.len() * 8);
    for cell in cells {
        write!(text, "({},{}),", cell.x, cell.y).expect("writing to a String cannot fail");
    }
    text
}

/// Parses `(x,y),(x,y),...` with or without a trailing comma.
fn parse_cells(text: &str) -> Result<Vec<Cell>, String> {
    let mut cells = Vec::new();
    let mut rest = text.trim();
    while !rest.is_empty() {
        let body = rest
            .strip_prefix('(')
            .ok_or_else(|| format!("expected `(` at {rest:?}"))?;
        let (pair, after) = body.split_once(')').ok_or("unclosed `(`")?;
        let (x, y) = pair
            .split_once(',')
            .ok_or_else(|| format!("{pair:?} is not `x,y`"))?;
        let number = |s: &str| {
            s.trim()
                .parse::<u32>()
                .map_err(|_| format!("bad number {s:?}"))
        };
        cells.push(Cell {
            x: number(x)?,
            y: number(y)?,
        });
        rest = after.strip_prefix(',').unwrap_or(after).trim_start();
    }
    Ok(cells)
}

/// Accumulates the fields of a result file as its lines are read.
struct Reader<'a> {
    path: &'a Path,
    fields: std::collections::HashMap<String, (usize, String)>,
    solution: Vec<Vec<Cell>>,
}

impl<'a> Reader<'a> {
    fn new(path: &'a Path) -> Self {
        Self {
            path,
            fields: std::collections::HashMap::new(),
            solution: Vec::new(),
        }
    }

    fn malformed(&self, line: usize, reason: impl Into<String>) -> ResultFileError {
        ResultFileError::Malformed {
            path: self.path.to_path_buf(),
            line,
            reason: reason.into(),
        }
    }

    /// Stores one `key=value` line; returns true at `solution=`.
    fn header_line(&mut self, no: usize, line: &str) -> Result<bool, ResultFileError> {
        if line.is_empty() {
            return Ok(false);
        }
        let (key, value) = line
            .split_once('=')
            .ok_or_else(|| self.malformed(no, "expected `key=value`"))?;
        if key == "solution" {
            return Ok(true);
        }
        self.fields.insert(key.to_owned(), (no, value.to_owned()));
        Ok(false)
    }

    fn solution_line(&mut self, no: usize, line: &str) -> Result<(), ResultFileError> {
        if line.is_empty() {
            return Ok(());
        }
        let (timestep, cells) = line
            .split_once(':')
            .ok_or_else(|| self.malformed(no, "expected `t:cells`"))?;
        if timestep.trim().parse::<usize>().ok() != Some(self.solution.len()) {
            let expected = self.solution.len();
            return Err(self.malformed(no, format!("expected timestep {expected}")));
        }
        let cells = parse_cells(cells).map_err(|reason| self.malformed(no, reason))?;
        self.solution.push(cells);
        Ok(())
    }

    fn text(&self, key: &'static str) -> Result<&str, ResultFileError> {
        self.fields
            .get(key)
            .map(|(_, value)| value.as_str())
            .ok_or(ResultFileError::MissingKey {
                path: self.path.to_path_buf(),
                key,
            })
    }

    fn number(&self, key: &'static str) -> Result<u64, ResultFileError> {
        let value = self.text(key)?;
        let line = self.fields[key].0;
        value
            .trim()
            .parse()
            .map_err(|_| self.malformed(line, format!("{key} is not a number")))
    }

    fn cells(&self, key: &'static str) -> Result<Vec<Cell>, ResultFileError> {
        let value = self.text(key)?;
        parse_cells(value).map_err(|reason| self.malformed(self.fields[key].0, reason))
    }

    fn finish(self) -> Result<ResultFile, ResultFileError> {
        Ok(ResultFile {
            agents: self.number("agents")? as usize,
            map_file: self.text("map_file")?.to_owned(),
            solver: self.text("solver")?.to_owned(),
            solved: self.number("solved")? == 1,
            soc: self.number("soc")?,
            soc_lb: self.number("soc_lb")?,
            makespan: self.number("makespan")?,
            makespan_lb: self.number("makespan_lb")?,
            comp_time_ms: self.number("comp_time")?,
            seed: self.number("seed")?,
            starts: self.cells("starts")?,
            goals: self.cells("goals")?,
            solution: self.solution,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cell_lists_parse_with_or_without_trailing_comma() {
        let expected = vec![Cell { x: 1, y: 2 }, Cell { x: 30, y: 4 }];
        assert_eq!(parse_cells("(1,2),(30,4),"), Ok(expected.clone()));
        assert_eq!(parse_cells("(1,2),(30,4)"), Ok(expected));
        assert_eq!(parse_cells(""), Ok(vec![]));
        assert!(parse_cells("(1;2)").is_err());
    }

    #[test]
    fn missing_key_is_named() {
        let err = ResultFile::parse("agents=1\nsolution=\n", "r.txt").unwrap_err();
        assert!(
            matches!(
                err,
                ResultFileError::MissingKey {
                    key: "map_file",
                    ..
                }
            ),
            "{err}"
        );
    }

    #[test]
    fn out_of_order_timestep_names_its_line() {
        let text = "agents=1\nsolution=\n0:(0,0),\n2:(0,0),\n";
        let err = ResultFile::parse(text, "r.txt").unwrap_err().to_string();
        assert!(err.contains("line 4"), "{err}");
    }
}

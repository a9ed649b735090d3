//! MovingAI `.scen` scenarios: start and goal cells for each agent of a benchmark instance.
//!
//! First line `version 1`, then one agent per line, tab separated: bucket, map file, map
//! width, map height, start x, start y, goal x, goal y, optimal length. An instance with N
//! agents uses the first N lines.

use std::path::{Path, PathBuf};

use crate::grid::{Cell, GridMap};

/// One agent of a scenario.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ScenarioAgent {
    /// Where the agent starts.
    pub start: Cell,
    /// Where it must end.
    pub goal: Cell,
}

/// The agents of a `.scen` file, in file order.
#[derive(Clone, Debug)]
pub struct Scenario {
    /// Agents in file order.
    pub agents: Vec<ScenarioAgent>,
    /// The 1-based line of each agent in the file.
    pub lines: Vec<usize>,
    /// The file it came from.
    pub source: PathBuf,
}

/// Why a scenario could not be read or used.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ScenarioError {
    /// The file could not be read.
    #[error("cannot read scenario file {path:?}")]
    Io {
        /// The file.
        path: PathBuf,
        /// What the OS said.
        #[source]
        source: std::io::Error,
    },
    /// A line is not a scenario row.
    #[error("{path:?} line {line}: {reason}")]
    Malformed {
        /// The file.
        path: PathBuf,
        /// 1-based line number.
        line: usize,
        /// What is wrong.
        reason: String,
    },
    /// Fewer agents than asked for.
    #[error("{path:?} has {available} agents, {wanted} were asked for")]
    TooFewAgents {
        /// The file.
        path: PathBuf,
        /// Agents in the file.
        available: usize,
        /// Agents asked for.
        wanted: usize,
    },
    /// A start or goal is outside the grid or on a blocked cell.
    #[error("{path:?} line {line}: {what} {cell} is {problem} in {map:?}")]
    BadCell {
        /// The scenario file.
        path: PathBuf,
        /// 1-based line number of the agent.
        line: usize,
        /// `start` or `goal`.
        what: &'static str,
        /// The cell.
        cell: Cell,
        /// `blocked` or `outside the grid`.
        problem: &'static str,
        /// The map file.
        map: PathBuf,
    },
}

impl Scenario {
    /// Reads a `.scen` file.
    ///
    /// # Errors
    /// [`ScenarioError::Io`] or [`ScenarioError::Malformed`] naming the line.
    pub fn load(path: impl AsRef<Path>) -> Result<Self, ScenarioError> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path).map_err(|source| ScenarioError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        Self::parse(&text, path)
    }

    /// Parses the text of a `.scen` file; `path` is only used in messages.
    ///
    /// # Errors
    /// [`ScenarioError::Malformed`] naming the line.
    pub fn parse(text: &str, path: impl AsRef<Path>) -> Result<Self, ScenarioError> {
        let path = path.as_ref().to_path_buf();
        let mut agents = Vec::new();
        let mut lines = Vec::new();
        for (index, line) in text.lines().enumerate() {
            let no = index + 1;
            let line = line.trim_end();
            if line.is_empty() || (no == 1 && line.starts_with("version")) {
                continue;
            }
            let fields: Vec<&str> = line.split('\t').collect();
            let malformed = |reason: String| ScenarioError::Malformed {
                path: path.clone(),
                line: no,
                reason,
            };
            if fields.len() < 8 {
                return Err(malformed(format!("{} fields, expected 9", fields.len())));
            }
            let number = |i: usize, name: &str| -> Result<u32, ScenarioError> {
                fields[i]
                    .trim()
                    .parse()
                    .map_err(|_| malformed(format!("{name} {:?} is not a cell index", fields[i])))
            };
            agents.push(ScenarioAgent {
                start: Cell {
                    x: number(4, "start x")?,
                    y: number(5, "start y")?,
                },
                goal: Cell {
                    x: number(6, "goal x")?,
                    y: number(7, "goal y")?,
                },
            });
            lines.push(no);
        }
        Ok(Self {
            agents,
            lines,
            source: path,
        })
    }

    /// The first `count` agents, checked against `grid`: each start and goal must be a free
    /// cell of the grid.
    ///
    /// # Errors
    /// [`ScenarioError::TooFewAgents`] or [`ScenarioError::BadCell`].
    pub fn first(&self, count: usize, grid: &GridMap) -> Result<&[ScenarioAgent], ScenarioError> {
        let agents = self
            .agents
            .get(..count)
            .ok_or_else(|| ScenarioError::TooFewAgents {
                path: self.source.clone(),
                available: self.agents.len(),
                wanted: count,
            })?;
        for (i, agent) in agents.iter().enumerate() {
            for (what, cell) in [("start", agent.start), ("goal", agent.goal)] {
                if !grid.is_free(cell) {
                    let problem = if grid.contains(cell) {
                        "blocked"
                    } else {
                        "outside the grid"
                    };
                    return Err(ScenarioError::BadCell {
                        path: self.source.clone(),
                        line: self.lines.get(i).copied().unwrap_or(0),
                        what,
                        cell,
                        problem,
                        map: grid.source().to_path_buf(),
                    });
                }
            }
        }
        Ok(agents)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SCEN: &str = "version 1\n0\tm.map\t3\t2\t0\t0\t2\t1\t3\n0\tm.map\t3\t2\t2\t1\t1\t0\t2\n";

    #[test]
    fn rows_become_agents() {
        let scen = Scenario::parse(SCEN, "s.scen").unwrap();
        assert_eq!(scen.agents.len(), 2);
        assert_eq!(scen.agents[0].goal, Cell { x: 2, y: 1 });
    }

    #[test]
    fn goal_on_blocked_cell_is_refused() {
        let scen = Scenario::parse(SCEN, "s.scen").unwrap();
        let grid = GridMap::from_rows(&[".@.", "..."]);
        assert!(scen.first(1, &grid).is_ok());
        let err = scen.first(2, &grid).unwrap_err().to_string();
        assert!(err.contains("goal (1,0) is blocked"), "{err}");
    }

    #[test]
    fn bad_cell_names_its_own_line_without_a_header() {
        let text = "0\tm.map\t3\t2\t0\t0\t1\t0\t1\n";
        let scen = Scenario::parse(text, "s.scen").unwrap();
        let grid = GridMap::from_rows(&[".@.", "..."]);
        let err = scen.first(1, &grid).unwrap_err().to_string();
        assert!(err.contains("line 1:"), "{err}");
    }

    #[test]
    fn asking_for_too_many_agents_is_refused() {
        let scen = Scenario::parse(SCEN, "s.scen").unwrap();
        let grid = GridMap::from_rows(&["...", "..."]);
        let err = scen.first(5, &grid).unwrap_err().to_string();
        assert!(err.contains("has 2 agents, 5 were asked for"), "{err}");
    }
}

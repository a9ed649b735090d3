//! LoRR problem files: the competition's JSON (map, agents, tasks, reveal rule) loaded into a
//! grid graph, start vertices and task errands.
//!
//! The JSON names its map, agents and tasks files relative to itself. Agents and tasks
//! files hold linearised cells (`row * width + column`); 2024 files open with a
//! `# version for LoRR 2024` comment line, and their task lines are comma-separated errand
//! sequences. Which rules apply is read from the `version` key, else from
//! `taskAssignmentStrategy` (2023 only), else from the tasks file's comment line. The steps
//! of a main-round problem come from `simulation_time.json` in the round folder (the parent
//! of the `*.domain` folder), keyed by the problem file's stem (2023 keys drop the `MR23-`
//! prefix).
//!
//! Loading never panics on bad input: every refusal is a [`LorrError`] naming the file and
//! the line.

use std::path::{Path, PathBuf};

use maps::{Cell, GridError, GridMap};
use serde_json::Value;

use crate::graph::{Graph, VertexId};

/// The competition rules a problem is played under.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Rules {
    /// 2023: the harness gives robot `i` the tasks `i, i+n, i+2n, ...` of the file (wrapping),
    /// `numTasksReveal` of them visible at a time; tasks are single errands and the score
    /// counts errands.
    Lorr2023,
    /// 2024: an open pool of `numTasksReveal x teamSize` tasks that the entry schedules; tasks
    /// are errand sequences and the score counts finished tasks.
    Lorr2024,
}

impl Rules {
    /// The year, as the output file's `version` key writes it (`"2024 LoRR"`).
    pub fn version(self) -> &'static str {
        match self {
            Self::Lorr2023 => "2023 LoRR",
            Self::Lorr2024 => "2024 LoRR",
        }
    }
}

/// Why a LoRR problem could not be loaded.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum LorrError {
    /// A file could not be opened or read.
    #[error("cannot read {path:?}")]
    Io {
        /// The file.
        path: PathBuf,
        /// What the OS said.
        #[source]
        source: std::io::Error,
    },
    /// A JSON file is not well-formed JSON.
    #[error("{path:?} line {line}: not valid JSON")]
    Json {
        /// The file.
        path: PathBuf,
        /// 1-based line of the fault.
        line: usize,
        /// What the parser said.
        #[source]
        source: serde_json::Error,
    },
    /// A key of the problem JSON is missing or has a value of the wrong kind.
    #[error("{path:?} line {line}: key `{key}`: {reason}")]
    Key {
        /// The file.
        path: PathBuf,
        /// 1-based line of the key (the last line when it is missing).
        line: usize,
        /// The key.
        key: &'static str,
        /// What is wrong.
        reason: String,
    },
    /// The map file could not be read.
    #[error("map of {problem:?}")]
    Map {
        /// The problem file.
        problem: PathBuf,
        /// What the map loader said (it names the map file and line).
        #[source]
        source: GridError,
    },
    /// A line of an agents or tasks file is not what the format expects.
    #[error("{path:?} line {line}: {reason}")]
    Malformed {
        /// The file.
        path: PathBuf,
        /// 1-based line number.
        line: usize,
        /// What is wrong.
        reason: String,
    },
    /// A cell of an agents or tasks file is outside the map or on an obstacle.
    #[error("{path:?} line {line}: cell {cell} {reason}")]
    Cell {
        /// The file.
        path: PathBuf,
        /// 1-based line number.
        line: usize,
        /// The linearised cell as written.
        cell: i64,
        /// Where it is, and why that is refused.
        reason: String,
    },
    /// A task line lists no errand.
    #[error("{path:?} line {line}: task has no errand")]
    EmptyTask {
        /// The tasks file.
        path: PathBuf,
        /// 1-based line number.
        line: usize,
    },
    /// The team is larger than the agents file.
    #[error("{path:?} line {line}: teamSize {team} but {agents:?} holds {available} agents")]
    TeamTooLarge {
        /// The problem file.
        path: PathBuf,
        /// 1-based line of `teamSize`.
        line: usize,
        /// The team size asked for.
        team: usize,
        /// The agents file.
        agents: PathBuf,
        /// The agents it announces.
        available: usize,
    },
    /// Two agents start on one cell.
    #[error("{path:?} lines {first_line} and {second_line}: two agents start on cell {cell}")]
    SharedStart {
        /// The agents file.
        path: PathBuf,
        /// 1-based line of the first agent.
        first_line: usize,
        /// 1-based line of the second agent.
        second_line: usize,
        /// The linearised cell.
        cell: usize,
    },
}

/// A loaded LoRR problem.
#[derive(Clone, Debug)]
pub struct Problem {
    /// The problem JSON it was read from.
    pub path: PathBuf,
    /// The grid: `.`, `E` and `S` free, `@` and `T` obstacles (see [`GridMap`]).
    pub map: GridMap,
    /// The 4-connected graph of the grid's free cells ([`Graph::from_grid`]).
    pub graph: Graph,
    /// Each agent's start cell: the first `teamSize` agents of the agents file. Every agent
    /// starts facing east (the start-kit's default).
    pub starts: Vec<VertexId>,
    /// The task file in order, each task its errand cells.
    pub tasks: Vec<Vec<VertexId>>,
    /// `numTasksReveal`: under 2024 rules the pool multiplier (the pool holds
    /// `floor(reveal * teamSize)` tasks), under 2023 rules the tasks each robot sees.
    pub reveal: f64,
    /// The rules.
    pub rules: Rules,
    /// The problem's step count from `simulation_time.json`, when the round has one.
    pub default_steps: Option<u32>,
}

impl Problem {
    /// Loads a problem JSON and the files it names.
    ///
    /// # Errors
    /// A [`LorrError`] naming the file and line: a missing file, malformed JSON, a missing
    /// or mistyped key, a cell outside the map or on an obstacle, an empty task, a team
    /// larger than the agents file, two agents on one start cell, an unsupported 2023 task
    /// assignment strategy.
    pub fn load(path: impl AsRef<Path>) -> Result<Self, LorrError> {
        let path = path.as_ref();
        let text = read(path)?;
        let json = Json::parse(path, &text)?;
        let dir = path.parent().unwrap_or(Path::new("."));

        // the files, relative to the problem
        let map_path = dir.join(json.string("mapFile")?);
        let agents_path = dir.join(json.string("agentFile")?);
        let tasks_path = dir.join(json.string("taskFile")?);
        let map = GridMap::load(&map_path).map_err(|source| LorrError::Map {
            problem: path.to_path_buf(),
            source,
        })?;
        let graph = Graph::from_grid(&map);

        let team = json.team_size()?;
        let cells = CellReader {
            map: &map,
            graph: &graph,
        };
        let agents_text = read(&agents_path)?;
        let starts = cells.starts(&agents_path, &agents_text, team, &json)?;
        let tasks_text = read(&tasks_path)?;
        let tasks = cells.tasks(&tasks_path, &tasks_text)?;

        let rules = json.rules(&tasks_text)?;
        let reveal = json.reveal(rules)?;
        let default_steps = simulation_time(path)?;
        tracing::debug!(
            problem = %path.display(),
            agents = starts.len(),
            tasks = tasks.len(),
            ?rules,
            "lorr: problem loaded"
        );
        Ok(Self {
            path: path.to_path_buf(),
            map,
            graph,
            starts,
            tasks,
            reveal,
            rules,
            default_steps,
        })
    }

    /// The number of agents.
    pub fn team_size(&self) -> usize {
        self.starts.len()
    }

    /// 2024 rules: how many open tasks the pool holds, `floor(reveal * teamSize)`, at least 1.
    pub fn pool_size(&self) -> usize {
        ((self.reveal * self.team_size() as f64).floor() as usize).max(1)
    }

    /// 2023 rules: how many upcoming tasks each robot sees, at least 1.
    pub fn reveal_per_robot(&self) -> usize {
        (self.reveal.floor() as usize).max(1)
    }

    /// The linearised cell (`row * width + column`) of a vertex.
    pub fn cell_index(&self, vertex: VertexId) -> Option<usize> {
        self.graph.cell(vertex).map(|cell| self.map.index(cell))
    }

    /// The vertex of a linearised cell; `None` off the map or on an obstacle.
    pub fn vertex_of_index(&self, index: usize) -> Option<VertexId> {
        let cells = self.map.width() as usize * self.map.height() as usize;
        (index < cells)
            .then(|| self.map.cell(index))
            .and_then(|cell| self.graph.vertex_at(cell))
    }

    /// The (row, column) of a vertex.
    pub fn row_col(&self, vertex: VertexId) -> Option<(u32, u32)> {
        self.graph.cell(vertex).map(|Cell { x, y }| (y, x))
    }
}

fn read(path: &Path) -> Result<String, LorrError> {
    std::fs::read_to_string(path).map_err(|source| LorrError::Io {
        path: path.to_path_buf(),
        source,
    })
}

/// The problem JSON with its text, to name the line of a key in errors.
struct Json<'a> {
    path: &'a Path,
    text: &'a str,
    value: Value,
}

impl<'a> Json<'a> {
    fn parse(path: &'a Path, text: &'a str) -> Result<Self, LorrError> {
        let value: Value = serde_json::from_str(text).map_err(|source| LorrError::Json {
            path: path.to_path_buf(),
            line: source.line(),
            source,
        })?;
        let json = Self { path, text, value };
        if !json.value.is_object() {
            return Err(json.key_error("mapFile", "the file is not a JSON object".into()));
        }
        Ok(json)
    }

    /// The line of `"key"` in the text; the last line when absent.
    fn line(&self, key: &str) -> usize {
        let quoted = format!("\"{key}\"");
        let offset = self.text.find(&quoted).unwrap_or(self.text.len());
        maps::text::line_of(self.text, offset)
    }

    fn key_error(&self, key: &'static str, reason: String) -> LorrError {
        LorrError::Key {
            path: self.path.to_path_buf(),
            line: self.line(key),
            key,
            reason,
        }
    }

    fn get(&self, key: &'static str) -> Option<&Value> {
        self.value.get(key)
    }

    fn string(&self, key: &'static str) -> Result<&str, LorrError> {
        match self.get(key) {
            Some(Value::String(text)) => Ok(text),
            Some(other) => Err(self.key_error(key, format!("expected a string, found {other}"))),
            None => Err(self.key_error(key, "missing".into())),
        }
    }

    fn team_size(&self) -> Result<usize, LorrError> {
        let team = match self.get("teamSize") {
            Some(value) => value.as_u64(),
            None => return Err(self.key_error("teamSize", "missing".into())),
        };
        match team {
            Some(team) if team > 0 && team <= u64::from(u32::MAX) => Ok(team as usize),
            _ => Err(self.key_error("teamSize", "expected a positive whole number".into())),
        }
    }

    /// `version`, else `taskAssignmentStrategy`, else the tasks file's comment line.
    fn rules(&self, tasks_text: &str) -> Result<Rules, LorrError> {
        if let Some(version) = self.get("version") {
            let year = version
                .as_str()
                .and_then(|text| text.split_whitespace().find_map(|w| w.parse::<u32>().ok()));
            return match year {
                Some(year) if year <= 2023 => Ok(Rules::Lorr2023),
                Some(year) => {
                    if year > 2024 {
                        tracing::warn!(
                            year,
                            "lorr: played under the 2024 rules; later additions (execution \
                             delays, agentCounter) are not modelled"
                        );
                    }
                    Ok(Rules::Lorr2024)
                }
                None => Err(self.key_error(
                    "version",
                    format!("expected a string such as \"2024 LoRR\", found {version}"),
                )),
            };
        }
        if let Some(strategy) = self.get("taskAssignmentStrategy") {
            return match strategy.as_str() {
                Some("roundrobin") => Ok(Rules::Lorr2023),
                _ => Err(self.key_error(
                    "taskAssignmentStrategy",
                    format!("only \"roundrobin\" is supported, found {strategy}"),
                )),
            };
        }
        let commented = tasks_text
            .lines()
            .next()
            .is_some_and(|line| line.trim_start().starts_with('#') && line.contains("2024"));
        Ok(if commented {
            Rules::Lorr2024
        } else {
            Rules::Lorr2023
        })
    }

    fn reveal(&self, rules: Rules) -> Result<f64, LorrError> {
        let Some(value) = self.get("numTasksReveal") else {
            return Ok(1.0); // the start-kit's default
        };
        let reveal = value.as_f64().filter(|r| r.is_finite() && *r > 0.0);
        match (reveal, rules) {
            (Some(r), Rules::Lorr2023) if r.fract() == 0.0 => Ok(r),
            (Some(r), Rules::Lorr2024) => Ok(r),
            (_, Rules::Lorr2023) => Err(self.key_error(
                "numTasksReveal",
                format!("expected a positive whole number (2023 rules), found {value}"),
            )),
            (None, Rules::Lorr2024) => Err(self.key_error(
                "numTasksReveal",
                format!("expected a positive number, found {value}"),
            )),
        }
    }
}

/// Reads linearised cells onto the graph.
struct CellReader<'a> {
    map: &'a GridMap,
    graph: &'a Graph,
}

impl CellReader<'_> {
    fn vertex(&self, path: &Path, line: usize, word: &str) -> Result<VertexId, LorrError> {
        let cell: i64 = word.trim().parse().map_err(|_| LorrError::Malformed {
            path: path.to_path_buf(),
            line,
            reason: format!("{:?} is not a cell number", word.trim()),
        })?;
        let (width, height) = (self.map.width(), self.map.height());
        let refuse = |reason: String| LorrError::Cell {
            path: path.to_path_buf(),
            line,
            cell,
            reason,
        };
        let cells = i64::from(width) * i64::from(height);
        if !(0..cells).contains(&cell) {
            return Err(refuse(format!("is outside the {width}x{height} map")));
        }
        let at = self.map.cell(cell as usize);
        self.graph
            .vertex_at(at)
            .ok_or_else(|| refuse(format!("(row {}, column {}) is an obstacle", at.y, at.x)))
    }

    /// The first `team` starts of an agents file.
    fn starts(
        &self,
        path: &Path,
        text: &str,
        team: usize,
        json: &Json<'_>,
    ) -> Result<Vec<VertexId>, LorrError> {
        let mut lines = content_lines(text);
        let (count_line, available) = count(path, &mut lines, "agents")?;
        if team > available {
            return Err(LorrError::TeamTooLarge {
                path: json.path.to_path_buf(),
                line: json.line("teamSize"),
                team,
                agents: path.to_path_buf(),
                available,
            });
        }
        let mut starts = Vec::with_capacity(team);
        let mut first_line = vec![0usize; self.graph.vertex_count()];
        let mut last_line = count_line;
        for _ in 0..team {
            let (line, word) = lines.next().ok_or_else(|| LorrError::Malformed {
                path: path.to_path_buf(),
                line: last_line + 1,
                reason: format!("file ends after {} of {available} agents", starts.len()),
            })?;
            let vertex = self.vertex(path, line, word)?;
            if first_line[vertex.index()] != 0 {
                return Err(LorrError::SharedStart {
                    path: path.to_path_buf(),
                    first_line: first_line[vertex.index()],
                    second_line: line,
                    cell: self.map.index(
                        self.graph
                            .cell(vertex)
                            .expect("grid graphs know their cells"),
                    ),
                });
            }
            first_line[vertex.index()] = line;
            starts.push(vertex);
            last_line = line;
        }
        Ok(starts)
    }

    /// Every task of a tasks file.
    fn tasks(&self, path: &Path, text: &str) -> Result<Vec<Vec<VertexId>>, LorrError> {
        let mut lines = content_lines(text);
        let (count_line, announced) = count(path, &mut lines, "tasks")?;
        if announced == 0 {
            return Err(LorrError::Malformed {
                path: path.to_path_buf(),
                line: count_line,
                reason: "no tasks".into(),
            });
        }
        // the count is the file's word: reserve only what the text can hold
        let mut tasks = Vec::with_capacity(announced.min(text.len() / 2 + 1));
        let mut last_line = count_line;
        for _ in 0..announced {
            let (line, words) = lines.next().ok_or_else(|| LorrError::Malformed {
                path: path.to_path_buf(),
                line: last_line + 1,
                reason: format!("file ends after {} of {announced} tasks", tasks.len()),
            })?;
            let errands = words
                .split(',')
                .filter(|word| !word.trim().is_empty())
                .map(|word| self.vertex(path, line, word))
                .collect::<Result<Vec<_>, _>>()?;
            if errands.is_empty() {
                return Err(LorrError::EmptyTask {
                    path: path.to_path_buf(),
                    line,
                });
            }
            tasks.push(errands);
            last_line = line;
        }
        Ok(tasks)
    }
}

/// Lines with their 1-based numbers, without `#` comment lines. Blank lines are kept, so
/// that an empty task is refused rather than skipped.
fn content_lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.lines()
        .enumerate()
        .map(|(index, line)| (index + 1, line.trim()))
        .filter(|(_, line)| !line.starts_with('#'))
}

/// The count line that opens an agents or tasks file.
fn count<'t>(
    path: &Path,
    lines: &mut impl Iterator<Item = (usize, &'t str)>,
    what: &str,
) -> Result<(usize, usize), LorrError> {
    let (line, word) =
        lines
            .find(|(_, line)| !line.is_empty())
            .ok_or_else(|| LorrError::Malformed {
                path: path.to_path_buf(),
                line: 1,
                reason: format!("no count of {what}"),
            })?;
    let count = word.parse().map_err(|_| LorrError::Malformed {
        path: path.to_path_buf(),
        line,
        reason: format!("{word:?} is not a count of {what}"),
    })?;
    Ok((line, count))
}

/// The problem's steps from `simulation_time.json` two folders up, if there is one.
fn simulation_time(problem: &Path) -> Result<Option<u32>, LorrError> {
    let Some(round) = problem.parent().and_then(Path::parent) else {
        return Ok(None);
    };
    let path = round.join("simulation_time.json");
    if !path.is_file() {
        return Ok(None);
    }
    let text = read(&path)?;
    let value: Value = serde_json::from_str(&text).map_err(|source| LorrError::Json {
        path: path.clone(),
        line: source.line(),
        source,
    })?;
    let stem = problem
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let Some(table) = value.as_object() else {
        return Ok(None);
    };
    // 2023 keys are `I-03` for `MR23-I-03.json`
    let steps = table.get(&stem).or_else(|| {
        table
            .iter()
            .find(|(key, _)| stem.ends_with(&format!("-{key}")))
            .map(|(_, steps)| steps)
    });
    Ok(steps
        .and_then(Value::as_u64)
        .and_then(|steps| u32::try_from(steps).ok()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comment_lines_are_skipped_and_blank_lines_kept() {
        let lines: Vec<_> = content_lines("# v\n2\n\n5").collect();
        assert_eq!(lines, vec![(2, "2"), (3, ""), (4, "5")]);
    }
}

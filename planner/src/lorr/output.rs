//! The LoRR output file: a run written in the start-kit's JSON format, and read back.
//!
//! Keys as the 2024 start-kit writes them, where they apply:
//! - `actionModel` (`"MAPF_T"`), `version` (`"2024 LoRR"` or `"2023 LoRR"`), `teamSize`;
//! - `start`: per agent `[row, column, heading]`, heading one of `"E"`, `"S"`, `"W"`, `"N"`;
//! - `numTaskFinished`, `sumOfCost` (steps each agent began with a task, summed), `makespan`
//!   (the largest of those);
//! - `actualPaths`, `plannerPaths`: per agent its actions, comma-separated letters: `F`
//!   forward, `R` clockwise, `C` counter-clockwise, `W` wait, and in planner paths `T` for
//!   no proposal (the entry overran);
//! - `plannerTimes`: per step, seconds;
//! - `errors`: refused steps, `[agent, other agent, step, message]` (-1: none);
//! - `events`: errands completed, `[time, agent, task, errands done]`; the task is finished
//!   when the count reaches its errands;
//! - `tasks`: every task revealed, `[id, time revealed, [row, column, row, column, ...]]`;
//! - `actualSchedule`, `plannerSchedule`: per agent `"time:task,..."`, the times its task
//!   (or the task the entry asked for) changed, `-1` for none. The harness drops a finished
//!   task at the time of its last errand without an entry here. Under 2023 rules the actual
//!   schedule lists the tasks revealed to the robot;
//! - `scheduleErrors`: `[task, agent, other agent, step, message]` (-1: none).
//!
//! Ours: `steps`, `timeLimitMs`, `overruns`, `invalidSteps`, `numErrandsFinished`,
//! `throughput` (the rules' score) and `finalStates` (as `start`).
//!
//! Time `t` is the state after `t` steps; step numbers count from 0. The file is written as
//! compact JSON.

use std::io::{BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::lorr::problem::Problem;
use crate::lorr::run::{RunLog, ScheduleFault, TaskEventKind};
use crate::lorr::{Action, AgentState, Heading, TaskId};

/// Why an output file could not be written or read.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum OutputError {
    /// The file could not be created, written or opened.
    #[error("cannot access output file {path:?}")]
    Io {
        /// The file.
        path: PathBuf,
        /// What the OS said.
        #[source]
        source: std::io::Error,
    },
    /// The file is not JSON of the expected shape.
    #[error("{path:?} line {line}: not a LoRR output file")]
    Json {
        /// The file.
        path: PathBuf,
        /// 1-based line of the fault.
        line: usize,
        /// What the parser said.
        #[source]
        source: serde_json::Error,
    },
}

/// A value inside the output file that its format does not allow.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("`{key}` entry {index}: {reason}")]
pub struct FieldError {
    /// The key.
    pub key: &'static str,
    /// The entry (the agent for per-agent keys).
    pub index: usize,
    /// What is wrong.
    pub reason: String,
}

/// A cell and heading: `[row, column, "E"]`.
pub type StateEntry = (u32, u32, String);

/// The LoRR output file (see the module docs for the keys).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[expect(missing_docs, reason = "the module docs describe every key")]
pub struct OutputFile {
    pub action_model: String,
    pub version: String,
    pub team_size: usize,
    pub start: Vec<StateEntry>,
    pub num_task_finished: u64,
    pub sum_of_cost: u64,
    pub makespan: u64,
    pub actual_paths: Vec<String>,
    pub planner_paths: Vec<String>,
    pub planner_times: Vec<f64>,
    pub errors: Vec<(i64, i64, u32, String)>,
    pub events: Vec<(u32, u32, u32, u32)>,
    pub tasks: Vec<(u32, u32, Vec<u32>)>,
    pub actual_schedule: Vec<String>,
    pub planner_schedule: Vec<String>,
    pub schedule_errors: Vec<(i64, i64, i64, u32, String)>,
    pub steps: u32,
    pub time_limit_ms: f64,
    pub overruns: u32,
    pub invalid_steps: u32,
    pub num_errands_finished: u64,
    pub throughput: u64,
    pub final_states: Vec<StateEntry>,
}

impl OutputFile {
    /// The output file of a run of `problem`.
    pub fn new(problem: &Problem, log: &RunLog) -> Self {
        let state = |state: &AgentState| {
            let (row, column) = problem.row_col(state.cell).unwrap_or((u32::MAX, u32::MAX));
            (row, column, heading_letter(state.heading).to_string())
        };
        let cells = |errands: &[crate::graph::VertexId]| {
            errands
                .iter()
                .flat_map(|&v| {
                    let (row, column) = problem.row_col(v).unwrap_or((u32::MAX, u32::MAX));
                    [row, column]
                })
                .collect()
        };
        let events = log.events.iter().filter_map(|event| match event.kind {
            TaskEventKind::ErrandDone { done } => {
                Some((event.time, event.agent, event.task.0, done))
            }
            _ => None,
        });
        Self {
            action_model: "MAPF_T".into(),
            version: log.rules.version().into(),
            team_size: log.starts.len(),
            start: log.starts.iter().map(state).collect(),
            num_task_finished: log.tasks_finished,
            sum_of_cost: log.busy_steps.iter().map(|&b| u64::from(b)).sum(),
            makespan: log.busy_steps.iter().copied().max().map_or(0, u64::from),
            actual_paths: log
                .actions
                .iter()
                .map(|a| path_text(a.iter().copied().map(Some)))
                .collect(),
            planner_paths: log
                .proposed
                .iter()
                .map(|a| path_text(a.iter().copied()))
                .collect(),
            planner_times: log.planner_times.iter().map(|t| t.as_secs_f64()).collect(),
            errors: log
                .action_errors
                .iter()
                .map(|e| {
                    (
                        agent_or_none(e.agent),
                        agent_or_none(e.other),
                        e.step,
                        e.fault.to_string(),
                    )
                })
                .collect(),
            events: events.collect(),
            tasks: log
                .tasks
                .iter()
                .map(|task| (task.id.0, task.revealed_at, cells(&task.errands)))
                .collect(),
            actual_schedule: actual_schedule(log),
            planner_schedule: log
                .proposed_schedule
                .iter()
                .map(|c| schedule_text(c))
                .collect(),
            schedule_errors: log
                .schedule_errors
                .iter()
                .map(|e| {
                    let other = match e.fault {
                        ScheduleFault::UnderWayElsewhere { holder }
                        | ScheduleFault::DoubleAssignment { holder } => i64::from(holder),
                        _ => -1,
                    };
                    let task = e.task.map_or(-1, |t| i64::from(t.0));
                    (
                        task,
                        agent_or_none(e.agent),
                        other,
                        e.step,
                        e.fault.to_string(),
                    )
                })
                .collect(),
            steps: log.steps,
            time_limit_ms: log.time_limit.as_secs_f64() * 1000.0,
            overruns: log.overruns,
            invalid_steps: log.invalid_steps,
            num_errands_finished: log.errands_finished,
            throughput: log.throughput(),
            final_states: log.final_states.iter().map(state).collect(),
        }
    }

    /// Writes the file.
    ///
    /// # Errors
    /// [`OutputError::Io`] when the file cannot be created or written.
    pub fn save(&self, path: impl AsRef<Path>) -> Result<(), OutputError> {
        let path = path.as_ref();
        let io = |source| OutputError::Io {
            path: path.to_path_buf(),
            source,
        };
        let mut writer = BufWriter::new(std::fs::File::create(path).map_err(io)?);
        serde_json::to_writer(&mut writer, self).map_err(|source| {
            match source.io_error_kind() {
                Some(kind) => io(std::io::Error::new(kind, source)),
                None => OutputError::Json {
                    path: path.to_path_buf(),
                    line: 0,
                    source,
                },
            }
        })?;
        writer.write_all(b"\n").map_err(io)?;
        writer.flush().map_err(io)
    }

    /// Reads a file.
    ///
    /// # Errors
    /// [`OutputError::Io`] when it cannot be opened, [`OutputError::Json`] naming the line
    /// when it is not JSON or lacks a key.
    pub fn load(path: impl AsRef<Path>) -> Result<Self, OutputError> {
        let path = path.as_ref();
        let file = std::fs::File::open(path).map_err(|source| OutputError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        serde_json::from_reader(BufReader::new(file)).map_err(|source| OutputError::Json {
            path: path.to_path_buf(),
            line: source.line(),
            source,
        })
    }
}

/// `-1` for no agent, as the start-kit writes it.
fn agent_or_none(agent: Option<u32>) -> i64 {
    agent.map_or(-1, i64::from)
}

/// The letter of an action; `T` for none.
fn action_letter(action: Option<Action>) -> char {
    match action {
        Some(Action::Forward) => 'F',
        Some(Action::Clockwise) => 'R',
        Some(Action::CounterClockwise) => 'C',
        Some(Action::Wait) => 'W',
        None => 'T',
    }
}

/// The letter of a heading.
pub fn heading_letter(heading: Heading) -> char {
    match heading {
        Heading::East => 'E',
        Heading::South => 'S',
        Heading::West => 'W',
        Heading::North => 'N',
    }
}

/// The heading of a letter.
pub fn parse_heading(text: &str) -> Option<Heading> {
    match text {
        "E" => Some(Heading::East),
        "S" => Some(Heading::South),
        "W" => Some(Heading::West),
        "N" => Some(Heading::North),
        _ => None,
    }
}

fn path_text(actions: impl Iterator<Item = Option<Action>>) -> String {
    let mut text = String::new();
    for action in actions {
        if !text.is_empty() {
            text.push(',');
        }
        text.push(action_letter(action));
    }
    text
}

fn schedule_text(changes: &[(u32, Option<TaskId>)]) -> String {
    let entries: Vec<String> = changes
        .iter()
        .map(|(time, task)| format!("{time}:{}", task.map_or(-1, |t| i64::from(t.0))))
        .collect();
    entries.join(",")
}

/// Per agent, the harness's assignment changes, from the assignment events.
fn actual_schedule(log: &RunLog) -> Vec<String> {
    let mut changes: Vec<Vec<(u32, Option<TaskId>)>> = vec![Vec::new(); log.starts.len()];
    for event in &log.events {
        let task = match event.kind {
            TaskEventKind::Assigned => Some(event.task),
            TaskEventKind::Unassigned => None,
            _ => continue,
        };
        let agent = &mut changes[event.agent as usize];
        // a drop and a take at one time are one change
        match agent.last_mut() {
            Some(last) if last.0 == event.time && task.is_some() => last.1 = task,
            _ => agent.push((event.time, task)),
        }
    }
    changes.iter().map(|c| schedule_text(c)).collect()
}

/// Reads a path string: one action per step, `None` for `T`.
///
/// # Errors
/// A [`FieldError`] naming `key` and `index` for an unknown letter.
pub fn parse_path(
    key: &'static str,
    index: usize,
    text: &str,
) -> Result<Vec<Option<Action>>, FieldError> {
    if text.is_empty() {
        return Ok(Vec::new());
    }
    text.split(',')
        .enumerate()
        .map(|(step, letter)| match letter.trim() {
            "F" => Ok(Some(Action::Forward)),
            "R" => Ok(Some(Action::Clockwise)),
            "C" => Ok(Some(Action::CounterClockwise)),
            "W" => Ok(Some(Action::Wait)),
            "T" => Ok(None),
            other => Err(FieldError {
                key,
                index,
                reason: format!("step {step}: unknown action {other:?}"),
            }),
        })
        .collect()
}

/// Reads a schedule string: `(time, task)` changes, `None` for `-1`.
///
/// # Errors
/// A [`FieldError`] naming `key` and `index` for an entry that is not `time:task`.
pub fn parse_schedule(
    key: &'static str,
    index: usize,
    text: &str,
) -> Result<Vec<(u32, Option<TaskId>)>, FieldError> {
    if text.is_empty() {
        return Ok(Vec::new());
    }
    text.split(',')
        .map(|entry| {
            let malformed = || FieldError {
                key,
                index,
                reason: format!("{entry:?} is not `time:task`"),
            };
            let (time, task) = entry.split_once(':').ok_or_else(malformed)?;
            let time = time.trim().parse().map_err(|_| malformed())?;
            let task: i64 = task.trim().parse().map_err(|_| malformed())?;
            let task = match task {
                -1 => None,
                _ => Some(TaskId(u32::try_from(task).map_err(|_| malformed())?)),
            };
            Ok((time, task))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_and_schedules_read_back() {
        let path = path_text([Some(Action::Forward), None, Some(Action::Clockwise)].into_iter());
        assert_eq!(path, "F,T,R");
        assert_eq!(
            parse_path("actualPaths", 0, &path).unwrap(),
            vec![Some(Action::Forward), None, Some(Action::Clockwise)]
        );
        assert!(parse_path("actualPaths", 0, "F,X").is_err());

        let schedule = schedule_text(&[(1, Some(TaskId(4))), (9, None)]);
        assert_eq!(schedule, "1:4,9:-1");
        assert_eq!(
            parse_schedule("actualSchedule", 0, &schedule).unwrap(),
            vec![(1, Some(TaskId(4))), (9, None)]
        );
        assert!(parse_schedule("actualSchedule", 0, "1-4").is_err());
    }
}

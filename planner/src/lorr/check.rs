//! An independent checker of LoRR runs: reads the problem and the output file and replays the
//! run from the file alone.
//!
//! It shares no simulation code with [`run`](crate::lorr::run): only the contract types and
//! the problem loader. It checks, and names the step (or time) and agents of the first
//! violation:
//! - the header: team size, rules, start states as the problem says, one action per step
//!   per agent;
//! - every move: no forward move off the map or into an obstacle, no two agents in one cell,
//!   no two agents swapping cells;
//! - tasks: each listed task's errands are the task file's (2024: task `id mod m`); under
//!   2024 rules the schedule never gives one task to two agents, never moves a task under
//!   way, never names a task before it is revealed or after it finished, and each reveal
//!   time follows from the finishes; under 2023 rules robot `i`'s `j`-th task is task
//!   `(j n + i) mod m` of the file;
//! - every errand event: its agent holds the task, stands on the errand's cell at that time,
//!   and the errands of a task come in order; no agent stands on its next errand without
//!   completing it;
//! - the counts: `numTaskFinished`, `numErrandsFinished`, `throughput` and the final states
//!   recomputed.
//!
//! Time `t` is the state after `t` steps; the schedule of step `s` and the errands after its
//! moves are at time `s + 1`.

use std::collections::HashMap;
use std::path::Path;

use crate::graph::VertexId;
use crate::lorr::output::{
    FieldError, OutputError, OutputFile, parse_heading, parse_path, parse_schedule,
};
use crate::lorr::problem::{Problem, Rules};
use crate::lorr::{Action, AgentState, Heading};

/// The first rule a run's output file breaks.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RunViolation {
    /// A value the format does not allow.
    #[error("malformed output")]
    Malformed(#[from] FieldError),
    /// The header disagrees with the problem.
    #[error("`{key}`: the problem says {expected}, the output {found}")]
    Header {
        /// The key.
        key: &'static str,
        /// What the problem says.
        expected: String,
        /// What the output says.
        found: String,
    },
    /// An agent's path has the wrong number of actions.
    #[error("agent {agent}: {found} actions, expected {expected} (one per step)")]
    PathLength {
        /// The agent.
        agent: usize,
        /// The steps.
        expected: usize,
        /// The actions found.
        found: usize,
    },
    /// A forward move off the map or into an obstacle.
    #[error("step {step}: agent {agent} moves off the map or into an obstacle")]
    Blocked {
        /// The step.
        step: u32,
        /// The agent.
        agent: usize,
    },
    /// Two agents in one cell.
    #[error(
        "step {step}: agents {first} and {second} both end in cell (row {row}, column {column})"
    )]
    VertexConflict {
        /// The step.
        step: u32,
        /// One agent.
        first: usize,
        /// The other.
        second: usize,
        /// The row.
        row: u32,
        /// The column.
        column: u32,
    },
    /// Two agents swap cells.
    #[error("step {step}: agents {first} and {second} swap cells")]
    SwapConflict {
        /// The step.
        step: u32,
        /// One agent.
        first: usize,
        /// The other.
        second: usize,
    },
    /// The events are not in time order, or one lies outside the run.
    #[error("event {index}: time {time} out of order or outside the run")]
    EventTime {
        /// The event's index.
        index: usize,
        /// Its time.
        time: u32,
    },
    /// An event or schedule entry names a task the output does not list.
    #[error("time {time}: agent {agent}: task {task} is not in the task list")]
    UnknownTask {
        /// The time.
        time: u32,
        /// The agent.
        agent: usize,
        /// The task.
        task: u32,
    },
    /// A listed task's errands are not the task file's.
    #[error("task {task}: its errands are not those of the task file")]
    TaskErrands {
        /// The task.
        task: u32,
    },
    /// The task list disagrees with the reveal rule.
    #[error("task list: {reason}")]
    Reveal {
        /// What disagrees.
        reason: String,
    },
    /// An errand is claimed by an agent that does not hold the task.
    #[error(
        "time {time}: agent {agent} completes an errand of task {task}, which it does not hold"
    )]
    NotAssigned {
        /// The time.
        time: u32,
        /// The agent.
        agent: usize,
        /// The task.
        task: u32,
    },
    /// An errand claimed out of order, or twice for one agent at one time.
    #[error(
        "time {time}: agent {agent}, task {task}: claims {found} errands done, expected {expected}"
    )]
    ErrandOrder {
        /// The time.
        time: u32,
        /// The agent.
        agent: usize,
        /// The task.
        task: u32,
        /// The count the replay expects.
        expected: u32,
        /// The count claimed.
        found: u32,
    },
    /// An errand claimed where the agent is not.
    #[error("time {time}: agent {agent} is not on errand {errand} of task {task}")]
    ErrandNotVisited {
        /// The time.
        time: u32,
        /// The agent.
        agent: usize,
        /// The task.
        task: u32,
        /// The errand (0-based).
        errand: usize,
    },
    /// An agent stands on its next errand and the output does not complete it.
    #[error(
        "time {time}: agent {agent} stands on its next errand (row {row}, column {column}) and does not complete it"
    )]
    MissedErrand {
        /// The time.
        time: u32,
        /// The agent.
        agent: usize,
        /// The errand's row.
        row: u32,
        /// The errand's column.
        column: u32,
    },
    /// A task held by two agents at once.
    #[error("time {time}: task {task} held by agents {first} and {second}")]
    DoubleAssignment {
        /// The time.
        time: u32,
        /// The task.
        task: u32,
        /// One agent.
        first: usize,
        /// The other.
        second: usize,
    },
    /// A task with an errand done moved off its agent.
    #[error("time {time}: agent {agent} lets go of task {task}, which is under way")]
    UnderWayMoved {
        /// The time.
        time: u32,
        /// The agent.
        agent: usize,
        /// The task.
        task: u32,
    },
    /// A task scheduled before it was revealed, or after it finished.
    #[error("time {time}: agent {agent} is given task {task}, which is not open")]
    NotOpen {
        /// The time.
        time: u32,
        /// The agent.
        agent: usize,
        /// The task.
        task: u32,
    },
    /// A count disagrees with the replay.
    #[error("`{key}` says {claimed}, the replay finds {recomputed}")]
    Count {
        /// The key.
        key: &'static str,
        /// The output's value.
        claimed: u64,
        /// The replay's value.
        recomputed: u64,
    },
    /// An agent's final state disagrees with the replay.
    #[error("agent {agent}: final state differs from the replay")]
    FinalState {
        /// The agent.
        agent: usize,
    },
}

/// Why a file could not be checked.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CheckError {
    /// The file could not be read.
    #[error(transparent)]
    Read(#[from] OutputError),
    /// The run breaks a rule.
    #[error("the checker refuses the run")]
    Violation(#[from] RunViolation),
}

/// What the checker recomputed from an accepted run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CheckReport {
    /// Steps replayed.
    pub steps: u32,
    /// Tasks finished.
    pub tasks_finished: u64,
    /// Errands completed.
    pub errands_finished: u64,
    /// The score under the problem's rules.
    pub throughput: u64,
}

/// Reads an output file and checks it against `problem`.
///
/// # Errors
/// [`CheckError::Read`] when the file cannot be read, [`CheckError::Violation`] with the
/// first rule broken.
pub fn check_file(problem: &Problem, path: impl AsRef<Path>) -> Result<CheckReport, CheckError> {
    let output = OutputFile::load(path)?;
    Ok(check_output(problem, &output)?)
}

/// Checks an output file's contents against `problem` (see the module docs).
///
/// # Errors
/// The first [`RunViolation`].
pub fn check_output(problem: &Problem, output: &OutputFile) -> Result<CheckReport, RunViolation> {
    check_header(problem, output)?;
    let paths = decode_paths(output)?;
    let mut replay = Replay::new(problem, output)?;
    let events = events_by_time(output)?;

    let mut states: Vec<AgentState> = problem
        .starts
        .iter()
        .map(|&cell| AgentState {
            cell,
            heading: Heading::East,
        })
        .collect();
    for step in 0..output.steps {
        states = moves(problem, &states, &paths, step)?;
        let time = step + 1;
        replay.schedule_changes(time)?;
        let at = events.get(&time).map_or(&[][..], Vec::as_slice);
        replay.errands(time, &states, at)?;
    }
    replay.check_reveals()?;

    for (agent, state) in states.iter().enumerate() {
        let found = output
            .final_states
            .get(agent)
            .and_then(|s| state_of(problem, s));
        if found != Some(*state) {
            return Err(RunViolation::FinalState { agent });
        }
    }
    let report = CheckReport {
        steps: output.steps,
        tasks_finished: replay.tasks_finished,
        errands_finished: replay.errands_finished,
        throughput: match problem.rules {
            Rules::Lorr2023 => replay.errands_finished,
            Rules::Lorr2024 => replay.tasks_finished,
        },
    };
    let counts = [
        (
            "numTaskFinished",
            output.num_task_finished,
            report.tasks_finished,
        ),
        (
            "numErrandsFinished",
            output.num_errands_finished,
            report.errands_finished,
        ),
        ("throughput", output.throughput, report.throughput),
    ];
    for (key, claimed, recomputed) in counts {
        if claimed != recomputed {
            return Err(RunViolation::Count {
                key,
                claimed,
                recomputed,
            });
        }
    }
    Ok(report)
}

fn header(key: &'static str, expected: impl ToString, found: impl ToString) -> RunViolation {
    RunViolation::Header {
        key,
        expected: expected.to_string(),
        found: found.to_string(),
    }
}

fn check_header(problem: &Problem, output: &OutputFile) -> Result<(), RunViolation> {
    let n = problem.team_size();
    if output.team_size != n {
        return Err(header("teamSize", n, output.team_size));
    }
    let version = match problem.rules {
        Rules::Lorr2023 => "2023",
        Rules::Lorr2024 => "2024",
    };
    if !output.version.contains(version) {
        return Err(header("version", version, &output.version));
    }
    let lists = [
        ("start", output.start.len()),
        ("actualPaths", output.actual_paths.len()),
        ("finalStates", output.final_states.len()),
    ];
    for (key, found) in lists {
        if found != n {
            return Err(header(
                key,
                format!("{n} agents"),
                format!("{found} entries"),
            ));
        }
    }
    for (agent, (start, entry)) in problem.starts.iter().zip(&output.start).enumerate() {
        let expected = AgentState {
            cell: *start,
            heading: Heading::East,
        };
        if state_of(problem, entry) != Some(expected) {
            let (row, column) = problem.row_col(*start).unwrap_or_default();
            return Err(header(
                "start",
                format!("agent {agent} at [{row}, {column}, \"E\"]"),
                format!("{entry:?}"),
            ));
        }
    }
    Ok(())
}

/// The state of a `[row, column, heading]` entry; `None` off the free cells.
fn state_of(problem: &Problem, (row, column, heading): &(u32, u32, String)) -> Option<AgentState> {
    let cell = problem.graph.vertex_at(maps::Cell {
        x: *column,
        y: *row,
    })?;
    let heading = parse_heading(heading)?;
    Some(AgentState { cell, heading })
}

/// Per agent, its executed actions; refuses `T` and paths of the wrong length.
fn decode_paths(output: &OutputFile) -> Result<Vec<Vec<Action>>, RunViolation> {
    let steps = output.steps as usize;
    let mut paths = Vec::with_capacity(output.actual_paths.len());
    for (agent, text) in output.actual_paths.iter().enumerate() {
        let path = parse_path("actualPaths", agent, text)?;
        if path.len() != steps {
            return Err(RunViolation::PathLength {
                agent,
                expected: steps,
                found: path.len(),
            });
        }
        let actions = path.into_iter().enumerate().map(|(step, action)| {
            action.ok_or_else(|| FieldError {
                key: "actualPaths",
                index: agent,
                reason: format!("step {step}: `T` is not an executed action"),
            })
        });
        paths.push(actions.collect::<Result<Vec<_>, _>>()?);
    }
    Ok(paths)
}

/// Errand claims by time: `(agent, task, errands done)`.
type ClaimsByTime = HashMap<u32, Vec<(usize, u32, u32)>>;

/// Errand events grouped by time; refuses events out of order or outside the run.
fn events_by_time(output: &OutputFile) -> Result<ClaimsByTime, RunViolation> {
    let mut by_time = ClaimsByTime::new();
    let mut last = 0;
    for (index, &(time, agent, task, done)) in output.events.iter().enumerate() {
        if time < last || time == 0 || time > output.steps {
            return Err(RunViolation::EventTime { index, time });
        }
        if agent as usize >= output.team_size {
            return Err(FieldError {
                key: "events",
                index,
                reason: format!("agent {agent} is not in the team"),
            }
            .into());
        }
        last = time;
        by_time
            .entry(time)
            .or_default()
            .push((agent as usize, task, done));
    }
    Ok(by_time)
}

/// The states after step `step`, refusing illegal moves and conflicts.
fn moves(
    problem: &Problem,
    states: &[AgentState],
    paths: &[Vec<Action>],
    step: u32,
) -> Result<Vec<AgentState>, RunViolation> {
    let graph = &problem.graph;
    let mut next = Vec::with_capacity(states.len());
    for (agent, state) in states.iter().enumerate() {
        let heading = state.heading;
        let moved = match paths[agent][step as usize] {
            Action::Wait => Some(*state),
            Action::Clockwise => Some(AgentState {
                heading: Heading::ALL[(heading.index() + 1) % 4],
                ..*state
            }),
            Action::CounterClockwise => Some(AgentState {
                heading: Heading::ALL[(heading.index() + 3) % 4],
                ..*state
            }),
            Action::Forward => {
                let (row, column) = problem.row_col(state.cell).unwrap_or_default();
                let (row, column) = match heading {
                    Heading::East => (Some(row), column.checked_add(1)),
                    Heading::South => (row.checked_add(1), Some(column)),
                    Heading::West => (Some(row), column.checked_sub(1)),
                    Heading::North => (row.checked_sub(1), Some(column)),
                };
                row.zip(column)
                    .and_then(|(y, x)| graph.vertex_at(maps::Cell { x, y }))
                    .map(|cell| AgentState { cell, heading })
            }
        };
        next.push(moved.ok_or(RunViolation::Blocked { step, agent })?);
    }

    let mut before: HashMap<VertexId, usize> = HashMap::with_capacity(states.len());
    for (agent, state) in states.iter().enumerate() {
        before.insert(state.cell, agent);
    }
    let mut after: HashMap<VertexId, usize> = HashMap::with_capacity(states.len());
    for (agent, state) in next.iter().enumerate() {
        if let Some(first) = after.insert(state.cell, agent) {
            let (row, column) = problem.row_col(state.cell).unwrap_or_default();
            return Err(RunViolation::VertexConflict {
                step,
                first,
                second: agent,
                row,
                column,
            });
        }
        if let Some(&other) = before.get(&state.cell)
            && other != agent
            && next[other].cell == states[agent].cell
        {
            return Err(RunViolation::SwapConflict {
                step,
                first: agent.min(other),
                second: agent.max(other),
            });
        }
    }
    Ok(next)
}

/// A task as the checker tracks it.
#[derive(Clone, Debug)]
struct TaskState {
    errands: Vec<VertexId>,
    revealed_at: u32,
    done: u32,
    finished: bool,
}

/// The task side of the replay.
struct Replay<'a> {
    problem: &'a Problem,
    tasks: HashMap<u32, TaskState>,
    /// Task ids in the order listed.
    listed: Vec<u32>,
    /// 2024: schedule changes by time, `(agent, task)`.
    changes: HashMap<u32, Vec<(usize, Option<u32>)>>,
    /// Each agent's task (2024: from the schedule; 2023: the round-robin turn's task).
    holding: Vec<Option<u32>>,
    holder: HashMap<u32, usize>,
    /// 2023: each robot's tasks finished, and its current errand progress.
    turns: Vec<u64>,
    progress: Vec<u32>,
    /// Tasks finished at each time (index = time).
    finished_at: Vec<u64>,
    /// Tasks finished up to each time replayed so far (index = time).
    finished_by: Vec<u64>,
    tasks_finished: u64,
    errands_finished: u64,
}

impl<'a> Replay<'a> {
    fn new(problem: &'a Problem, output: &OutputFile) -> Result<Self, RunViolation> {
        let mut tasks = HashMap::with_capacity(output.tasks.len());
        let mut listed = Vec::with_capacity(output.tasks.len());
        for (index, (id, revealed_at, cells)) in output.tasks.iter().enumerate() {
            let errands = cells
                .chunks(2)
                .map(|pair| match pair {
                    &[y, x] => problem.graph.vertex_at(maps::Cell { x, y }),
                    _ => None,
                })
                .collect::<Option<Vec<_>>>()
                .filter(|errands| !errands.is_empty())
                .ok_or_else(|| FieldError {
                    key: "tasks",
                    index,
                    reason: "errands are not [row, column] pairs of free cells".into(),
                })?;
            let task = TaskState {
                errands,
                revealed_at: *revealed_at,
                done: 0,
                finished: false,
            };
            if tasks.insert(*id, task).is_some() {
                return Err(FieldError {
                    key: "tasks",
                    index,
                    reason: format!("task {id} listed twice"),
                }
                .into());
            }
            listed.push(*id);
        }

        let mut changes: HashMap<u32, Vec<(usize, Option<u32>)>> = HashMap::new();
        if problem.rules == Rules::Lorr2024 {
            for (agent, text) in output.actual_schedule.iter().enumerate() {
                if agent >= problem.team_size() {
                    return Err(header("actualSchedule", problem.team_size(), agent + 1));
                }
                for (time, task) in parse_schedule("actualSchedule", agent, text)? {
                    changes
                        .entry(time)
                        .or_default()
                        .push((agent, task.map(|t| t.0)));
                }
            }
            // 2024 errands come from the file by id
            for (&id, task) in &tasks {
                let file = &problem.tasks[id as usize % problem.tasks.len()];
                if *file != task.errands {
                    return Err(RunViolation::TaskErrands { task: id });
                }
            }
        }
        let n = problem.team_size();
        Ok(Self {
            problem,
            tasks,
            listed,
            changes,
            holding: vec![None; n],
            holder: HashMap::new(),
            turns: vec![0; n],
            progress: vec![0; n],
            finished_at: vec![0; output.steps as usize + 1],
            finished_by: vec![0],
            tasks_finished: 0,
            errands_finished: 0,
        })
    }

    /// Tasks revealed by time `time` under the 2024 rules: the pool refilled after every
    /// finish up to that time.
    fn revealed_by(&self, time: u32) -> u64 {
        let finished = self
            .finished_by
            .get(time as usize)
            .copied()
            .unwrap_or(u64::MAX / 2);
        self.problem.pool_size() as u64 + finished
    }

    /// 2024: applies the schedule changes at `time`.
    fn schedule_changes(&mut self, time: u32) -> Result<(), RunViolation> {
        let Some(changes) = self.changes.remove(&time) else {
            return Ok(());
        };
        // let go first, so that a task passed between agents at one time is fine
        for &(agent, _) in &changes {
            if let Some(old) = self.holding[agent].take() {
                if self.tasks[&old].done > 0 {
                    return Err(RunViolation::UnderWayMoved {
                        time,
                        agent,
                        task: old,
                    });
                }
                self.holder.remove(&old);
            }
        }
        for &(agent, task) in &changes {
            let Some(task) = task else { continue };
            let Some(state) = self.tasks.get(&task) else {
                return Err(RunViolation::UnknownTask { time, agent, task });
            };
            // the schedule of step time - 1 saw the pool revealed at time - 1
            let open = u64::from(task) < self.revealed_by(time - 1) && !state.finished;
            if !open || state.revealed_at > time - 1 {
                return Err(RunViolation::NotOpen { time, agent, task });
            }
            if let Some(first) = self.holder.insert(task, agent) {
                return Err(RunViolation::DoubleAssignment {
                    time,
                    task,
                    first,
                    second: agent,
                });
            }
            self.holding[agent] = Some(task);
        }
        Ok(())
    }

    /// The task robot `agent` works on under the 2023 rules, and its errands.
    fn robot_task(&self, agent: usize) -> &'a [VertexId] {
        let n = self.problem.team_size() as u64;
        let index = (self.turns[agent] * n + agent as u64) % self.problem.tasks.len() as u64;
        &self.problem.tasks[index as usize]
    }

    /// The errand events at `time`, and no errand missed.
    fn errands(
        &mut self,
        time: u32,
        states: &[AgentState],
        events: &[(usize, u32, u32)],
    ) -> Result<(), RunViolation> {
        let mut claimed = vec![false; states.len()];
        for &(agent, task, done) in events {
            let order = |expected| RunViolation::ErrandOrder {
                time,
                agent,
                task,
                expected,
                found: done,
            };
            if std::mem::replace(&mut claimed[agent], true) {
                return Err(order(0));
            }
            let Some(state) = self.tasks.get(&task) else {
                return Err(RunViolation::UnknownTask { time, agent, task });
            };
            let errands = match self.problem.rules {
                Rules::Lorr2024 if self.holding[agent] != Some(task) => {
                    return Err(RunViolation::NotAssigned { time, agent, task });
                }
                Rules::Lorr2024 => state.errands.clone(),
                Rules::Lorr2023 => {
                    let errands = self.robot_task(agent);
                    if state.errands != errands || state.done != self.progress[agent] {
                        return Err(RunViolation::NotAssigned { time, agent, task });
                    }
                    errands.to_vec()
                }
            };
            if done != state.done + 1 || done as usize > errands.len() {
                return Err(order(state.done + 1));
            }
            let errand = state.done as usize;
            if errands[errand] != states[agent].cell {
                return Err(RunViolation::ErrandNotVisited {
                    time,
                    agent,
                    task,
                    errand,
                });
            }
            self.complete(time, agent, task, errands.len());
        }

        // an agent on its next errand must have completed it
        for (agent, state) in states.iter().enumerate() {
            if claimed[agent] {
                continue;
            }
            let next = match self.problem.rules {
                Rules::Lorr2024 => match self.holding[agent] {
                    Some(task) => {
                        let state = &self.tasks[&task];
                        state.errands[state.done as usize]
                    }
                    None => continue,
                },
                Rules::Lorr2023 => self.robot_task(agent)[self.progress[agent] as usize],
            };
            if next == state.cell {
                let (row, column) = self.problem.row_col(next).unwrap_or_default();
                return Err(RunViolation::MissedErrand {
                    time,
                    agent,
                    row,
                    column,
                });
            }
        }
        let before = self.finished_by.last().copied().unwrap_or(0);
        self.finished_by
            .push(before + self.finished_at[time as usize]);
        Ok(())
    }

    fn complete(&mut self, time: u32, agent: usize, task: u32, errands: usize) {
        let state = self
            .tasks
            .get_mut(&task)
            .expect("the caller found the task");
        state.done += 1;
        self.errands_finished += 1;
        if self.problem.rules == Rules::Lorr2023 {
            self.progress[agent] += 1;
        }
        if (state.done as usize) < errands {
            return;
        }
        state.finished = true;
        self.tasks_finished += 1;
        self.finished_at[time as usize] += 1;
        match self.problem.rules {
            Rules::Lorr2024 => {
                self.holding[agent] = None;
                self.holder.remove(&task);
            }
            Rules::Lorr2023 => {
                self.turns[agent] += 1;
                self.progress[agent] = 0;
            }
        }
    }

    /// 2024: the task list holds ids `0..k` revealed when the pool needed them.
    fn check_reveals(&self) -> Result<(), RunViolation> {
        if self.problem.rules != Rules::Lorr2024 {
            return Ok(());
        }
        // reveals happen at the start of steps 0 to steps - 1
        let Some(last_step) = (self.finished_at.len() as u32).checked_sub(2) else {
            return match self.listed.len() {
                0 => Ok(()),
                found => Err(RunViolation::Reveal {
                    reason: format!("{found} tasks listed in a run of no step"),
                }),
            };
        };
        let expected = self.revealed_by(last_step);
        if self.listed.len() as u64 != expected {
            return Err(RunViolation::Reveal {
                reason: format!(
                    "{} tasks listed, the pool rule reveals {expected}",
                    self.listed.len()
                ),
            });
        }
        let mut time = 0;
        for (index, &id) in self.listed.iter().enumerate() {
            if id as usize != index {
                return Err(RunViolation::Reveal {
                    reason: format!("entry {index} has id {id}"),
                });
            }
            while time < last_step && self.revealed_by(time) <= u64::from(id) {
                time += 1;
            }
            let found = self.tasks[&id].revealed_at;
            if found != time {
                return Err(RunViolation::Reveal {
                    reason: format!(
                        "task {id} revealed at time {found}, the pool rule says {time}"
                    ),
                });
            }
        }
        Ok(())
    }
}

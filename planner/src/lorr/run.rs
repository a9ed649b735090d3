//! The LoRR simulator: plays a [`Problem`] with an [`Entry`] under the start-kit's rules and
//! records what happened in a [`RunLog`].
//!
//! Time `t` is the state after `t` steps. Step `s` runs:
//! 1. reveal: 2024 rules fill the open pool up to `floor(reveal x teamSize)` tasks, taken
//!    from the task file in order and wrapping to its top, each with the next [`TaskId`];
//!    2023 rules give robot `i` its next tasks `i, i+n, i+2n, ...` until it sees `reveal`;
//! 2. one call of [`Entry::step`] with the deadline `now + time_limit`, measured. Past the
//!    limit the answer is thrown away: every agent waits and the schedule stays (an
//!    overrun);
//! 3. 2024 rules: the schedule is applied agent by agent. A change is refused, and counted
//!    as a schedule error, when it drops a task under way (an errand done), takes a task
//!    under way with another agent, takes a task already given to an agent listed before,
//!    or names a task not in the pool; a refused agent keeps its task if nobody took it.
//!    A schedule of the wrong length is refused whole;
//! 4. the actions are checked: one per agent, no forward move off the map or into an
//!    obstacle, no two agents in one cell next, no two agents swapping cells. Any fault
//!    makes the whole step a wait for everyone (an invalid step); following is allowed;
//! 5. the moves are applied (time `s + 1`), then every agent standing on the next errand of
//!    its task completes it, one errand per agent per step. A task whose errands are all
//!    done leaves the pool and frees its agent.
//!
//! Throughput is the finished tasks (2024) or errands (2023).
//!
//! # Limitations
//! The start-kit runs the planner in a thread and, past the limit, carries on without it,
//! calling it again only once it returns; here the call is synchronous, so an overrunning
//! entry still holds the wall clock, and its late answer is dropped rather than used
//! later. The start-kit refuses a faulty schedule from its first fault on; here each
//! agent's change is judged on its own (the contract of [`StepOutput`]).

use std::collections::VecDeque;
use std::fmt;
use std::time::{Duration, Instant};

use crate::graph::VertexId;
use crate::lorr::problem::{Problem, Rules};
use crate::lorr::{Action, AgentState, Entry, Heading, OpenTask, StepInput, StepOutput, TaskId};

/// How long to run and how long the entry may think per step.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RunOptions {
    /// Steps to simulate.
    pub steps: u32,
    /// The time limit of one [`Entry::step`] call (1 s in the competition).
    pub time_limit: Duration,
}

/// What happened to a task.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TaskEventKind {
    /// The agent took the task (2023: the harness revealed it to the agent).
    Assigned,
    /// The agent gave the task back before doing an errand of it.
    Unassigned,
    /// The agent completed an errand; `done` errands of the task are now complete.
    ErrandDone {
        /// Errands complete, this one included (1 after the first).
        done: u32,
    },
    /// The agent completed the task's last errand.
    Finished,
}

/// One task event, at time `time` (after `time` steps).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct TaskEvent {
    /// The time; an assignment made by step `s`'s schedule is at `s + 1`.
    pub time: u32,
    /// The agent.
    pub agent: u32,
    /// The task.
    pub task: TaskId,
    /// What happened.
    pub kind: TaskEventKind,
}

/// A task as revealed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RevealedTask {
    /// The id.
    pub id: TaskId,
    /// The time it was revealed at.
    pub revealed_at: u32,
    /// Its errand cells.
    pub errands: Vec<VertexId>,
}

/// Why a step's actions were refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ActionFault {
    /// Not one action per agent.
    WrongLength {
        /// The agents.
        expected: usize,
        /// The actions given.
        found: usize,
    },
    /// A forward move off the map or into an obstacle.
    Blocked,
    /// Two agents would end in one cell.
    VertexConflict,
    /// Two agents would swap cells.
    SwapConflict,
}

impl fmt::Display for ActionFault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::WrongLength { expected, found } => {
                write!(f, "{found} actions for {expected} agents")
            }
            Self::Blocked => f.write_str("moves off the map or into an obstacle"),
            Self::VertexConflict => f.write_str("vertex conflict"),
            Self::SwapConflict => f.write_str("swap conflict"),
        }
    }
}

/// A step whose actions were refused (every agent waited).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ActionError {
    /// The step.
    pub step: u32,
    /// The agent at fault, if one.
    pub agent: Option<u32>,
    /// The other agent of a conflict.
    pub other: Option<u32>,
    /// What was wrong.
    pub fault: ActionFault,
}

/// Why an agent's schedule change was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScheduleFault {
    /// Not one entry per agent; the whole schedule was refused.
    WrongLength {
        /// The agents.
        expected: usize,
        /// The entries given.
        found: usize,
    },
    /// The task is not in the open pool (never revealed, or finished).
    UnknownTask,
    /// The task is under way with another agent.
    UnderWayElsewhere {
        /// That agent.
        holder: u32,
    },
    /// The task was given to an agent listed before.
    DoubleAssignment {
        /// That agent.
        holder: u32,
    },
    /// The agent's own task is under way and the schedule moved it off it.
    DropsTaskUnderWay {
        /// The task it keeps.
        task: TaskId,
    },
}

impl fmt::Display for ScheduleFault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::WrongLength { expected, found } => {
                write!(f, "{found} schedule entries for {expected} agents")
            }
            Self::UnknownTask => f.write_str("task is not in the open pool"),
            Self::UnderWayElsewhere { holder } => {
                write!(f, "task is under way with agent {holder}")
            }
            Self::DoubleAssignment { holder } => {
                write!(f, "task is already given to agent {holder}")
            }
            Self::DropsTaskUnderWay { task } => {
                write!(f, "agent's task {} is under way", task.0)
            }
        }
    }
}

/// A refused schedule change.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ScheduleError {
    /// The step.
    pub step: u32,
    /// The agent whose change was refused (none for a wrong length).
    pub agent: Option<u32>,
    /// The task it asked for.
    pub task: Option<TaskId>,
    /// Why.
    pub fault: ScheduleFault,
}

/// Everything a run did, enough to write the LoRR output file.
#[derive(Clone, Debug)]
pub struct RunLog {
    /// The rules played.
    pub rules: Rules,
    /// Steps simulated.
    pub steps: u32,
    /// The per-step time limit.
    pub time_limit: Duration,
    /// Every agent's state at time 0.
    pub starts: Vec<AgentState>,
    /// Per step, how long the entry's call took.
    pub planner_times: Vec<Duration>,
    /// Per agent, per step, the action executed.
    pub actions: Vec<Vec<Action>>,
    /// Per agent, per step, the action the entry proposed; `None` when it proposed none
    /// (an overrun, or too short an answer).
    pub proposed: Vec<Vec<Option<Action>>>,
    /// Per agent, the times its proposed task changed and the proposal (2024 rules).
    pub proposed_schedule: Vec<Vec<(u32, Option<TaskId>)>>,
    /// Task events in time order.
    pub events: Vec<TaskEvent>,
    /// Every task revealed, in id order.
    pub tasks: Vec<RevealedTask>,
    /// Every refused step.
    pub action_errors: Vec<ActionError>,
    /// Every refused schedule change.
    pub schedule_errors: Vec<ScheduleError>,
    /// Steps whose call overran the time limit.
    pub overruns: u32,
    /// Steps whose actions were refused.
    pub invalid_steps: u32,
    /// Tasks finished.
    pub tasks_finished: u64,
    /// Errands completed.
    pub errands_finished: u64,
    /// Per agent, the steps it began with a task (the start-kit's cost).
    pub busy_steps: Vec<u32>,
    /// Every agent's state at the end.
    pub final_states: Vec<AgentState>,
}

impl RunLog {
    /// The score: tasks finished (2024 rules) or errands finished (2023 rules).
    pub fn throughput(&self) -> u64 {
        match self.rules {
            Rules::Lorr2023 => self.errands_finished,
            Rules::Lorr2024 => self.tasks_finished,
        }
    }

    /// The planner time of a step at quantile `q` in `[0, 1]` (nearest rank); zero for no
    /// steps.
    pub fn planner_time_quantile(&self, q: f64) -> Duration {
        let mut times = self.planner_times.clone();
        times.sort_unstable();
        let Some(last) = times.len().checked_sub(1) else {
            return Duration::ZERO;
        };
        let rank = (q.clamp(0.0, 1.0) * times.len() as f64).ceil() as usize;
        times[rank.saturating_sub(1).min(last)]
    }
}

/// Progress after a step, for a progress bar.
#[derive(Clone, Copy, Debug)]
pub struct StepReport {
    /// The step just played.
    pub step: u32,
    /// How long the entry's call took.
    pub planner_time: Duration,
    /// Whether the call overran.
    pub overrun: bool,
    /// The throughput so far.
    pub throughput: u64,
}

/// Plays `problem` with `entry` for `options.steps` steps.
pub fn run(problem: &Problem, entry: &mut dyn Entry, options: &RunOptions) -> RunLog {
    run_with(problem, entry, options, |_| {})
}

/// As [`run`], calling `on_step` after every step.
#[tracing::instrument(skip_all, fields(problem = %problem.path.display(), steps = options.steps))]
pub fn run_with(
    problem: &Problem,
    entry: &mut dyn Entry,
    options: &RunOptions,
    mut on_step: impl FnMut(&StepReport),
) -> RunLog {
    let mut sim = Simulation::new(problem, options);
    for step in 0..options.steps {
        sim.reveal(step);
        sim.count_busy();

        let started = Instant::now();
        let output = {
            let input = StepInput {
                step,
                graph: &problem.graph,
                states: &sim.states,
                tasks: &sim.pool,
                schedules: problem.rules == Rules::Lorr2024,
            };
            entry.step(&input, started + options.time_limit)
        };
        let planner_time = started.elapsed();
        let overrun = planner_time > options.time_limit;

        sim.play(
            step,
            planner_time,
            if overrun { None } else { Some(output) },
        );
        on_step(&StepReport {
            step,
            planner_time,
            overrun,
            throughput: sim.log.throughput(),
        });
    }
    sim.finish()
}

/// Refused steps, overruns and schedule errors logged at `warn` each; later ones at `debug`.
const WARNINGS: usize = 5;

/// No agent here (in the occupancy scratch).
const NONE: u32 = u32::MAX;

/// The harness state between steps.
struct Simulation<'p> {
    problem: &'p Problem,
    states: Vec<AgentState>,
    /// The open pool, in id order.
    pool: Vec<OpenTask>,
    /// Each agent's task (2023: the front of its queue).
    assigned: Vec<Option<TaskId>>,
    /// 2023: each robot's revealed tasks, in order.
    queues: Vec<VecDeque<TaskId>>,
    /// 2023: tasks revealed to each robot so far.
    revealed_per_robot: Vec<u64>,
    next_id: u32,
    occupied_now: Vec<u32>,
    occupied_next: Vec<u32>,
    log: RunLog,
}

impl<'p> Simulation<'p> {
    fn new(problem: &'p Problem, options: &RunOptions) -> Self {
        let n = problem.team_size();
        let states: Vec<AgentState> = problem
            .starts
            .iter()
            .map(|&cell| AgentState {
                cell,
                heading: Heading::East,
            })
            .collect();
        let steps = options.steps as usize;
        let log = RunLog {
            rules: problem.rules,
            steps: 0,
            time_limit: options.time_limit,
            starts: states.clone(),
            planner_times: Vec::with_capacity(steps),
            actions: vec![Vec::with_capacity(steps); n],
            proposed: vec![Vec::with_capacity(steps); n],
            proposed_schedule: vec![Vec::new(); n],
            events: Vec::new(),
            tasks: Vec::new(),
            action_errors: Vec::new(),
            schedule_errors: Vec::new(),
            overruns: 0,
            invalid_steps: 0,
            tasks_finished: 0,
            errands_finished: 0,
            busy_steps: vec![0; n],
            final_states: Vec::new(),
        };
        let vertices = problem.graph.vertex_count();
        Self {
            problem,
            states,
            pool: Vec::new(),
            assigned: vec![None; n],
            queues: vec![VecDeque::new(); n],
            revealed_per_robot: vec![0; n],
            next_id: 0,
            occupied_now: vec![NONE; vertices],
            occupied_next: vec![NONE; vertices],
            log,
        }
    }

    fn finish(mut self) -> RunLog {
        self.log.final_states = self.states;
        tracing::info!(
            steps = self.log.steps,
            throughput = self.log.throughput(),
            overruns = self.log.overruns,
            invalid_steps = self.log.invalid_steps,
            schedule_errors = self.log.schedule_errors.len(),
            "lorr: run finished"
        );
        self.log
    }

    /// A new task from the file (wrapping), open and revealed at `time`.
    fn open_task(&mut self, file_index: usize, time: u32, agent: Option<u32>) -> TaskId {
        let id = TaskId(self.next_id);
        self.next_id += 1;
        let errands = self.problem.tasks[file_index].clone();
        self.log.tasks.push(RevealedTask {
            id,
            revealed_at: time,
            errands: errands.clone(),
        });
        self.pool.push(OpenTask {
            id,
            errands,
            done: 0,
            agent,
            revealed_at: time,
        });
        id
    }

    /// Step 1: tasks revealed at time `time`.
    fn reveal(&mut self, time: u32) {
        let file = self.problem.tasks.len();
        match self.problem.rules {
            Rules::Lorr2024 => {
                while self.pool.len() < self.problem.pool_size() {
                    let index = self.next_id as usize % file;
                    self.open_task(index, time, None);
                }
            }
            Rules::Lorr2023 => {
                let n = self.states.len() as u64;
                for agent in 0..self.states.len() {
                    while self.queues[agent].len() < self.problem.reveal_per_robot() {
                        let turn = self.revealed_per_robot[agent];
                        self.revealed_per_robot[agent] += 1;
                        let index = ((turn * n + agent as u64) % file as u64) as usize;
                        let id = self.open_task(index, time, Some(agent as u32));
                        self.queues[agent].push_back(id);
                        self.event(time, agent, id, TaskEventKind::Assigned);
                    }
                    self.assigned[agent] = self.queues[agent].front().copied();
                }
            }
        }
    }

    /// The start-kit's cost: steps each agent begins with a task.
    fn count_busy(&mut self) {
        for (busy, task) in self.log.busy_steps.iter_mut().zip(&self.assigned) {
            *busy += u32::from(task.is_some());
        }
    }

    fn event(&mut self, time: u32, agent: usize, task: TaskId, kind: TaskEventKind) {
        self.log.events.push(TaskEvent {
            time,
            agent: agent as u32,
            task,
            kind,
        });
    }

    fn pool_index(&self, task: TaskId) -> Option<usize> {
        self.pool.binary_search_by_key(&task, |open| open.id).ok()
    }

    /// Steps 2 to 5 once the entry answered (`None`: it overran).
    fn play(&mut self, step: u32, planner_time: Duration, output: Option<StepOutput>) {
        let n = self.states.len();
        self.log.planner_times.push(planner_time);
        self.log.steps = step + 1;
        let mut actions = vec![Action::Wait; n];
        match output {
            None => {
                self.log.overruns += 1;
                warn_or_debug(self.log.overruns as usize, || {
                    format!("step {step}: the entry took {planner_time:?}, every agent waits")
                });
                self.log.proposed.iter_mut().for_each(|p| p.push(None));
            }
            Some(output) => {
                for (agent, proposed) in self.log.proposed.iter_mut().enumerate() {
                    proposed.push(output.actions.get(agent).copied());
                }
                if self.problem.rules == Rules::Lorr2024 {
                    self.record_proposal(step, &output.schedule);
                    self.apply_schedule(step, &output.schedule);
                }
                match self.validate(&output.actions) {
                    Ok(()) => actions = output.actions,
                    Err(error) => self.refuse_actions(step, error),
                }
            }
        }

        // moves, then errands at time step + 1
        for (agent, &action) in actions.iter().enumerate() {
            let state = self.states[agent];
            self.states[agent] = self.next_state(state, action).unwrap_or(state);
            self.log.actions[agent].push(action);
        }
        self.complete_errands(step + 1);
    }

    fn record_proposal(&mut self, step: u32, schedule: &[Option<TaskId>]) {
        for (agent, changes) in self.log.proposed_schedule.iter_mut().enumerate() {
            let proposal = schedule.get(agent).copied().flatten();
            if changes
                .last()
                .map_or(proposal.is_some(), |&(_, last)| last != proposal)
            {
                changes.push((step + 1, proposal));
            }
        }
    }

    fn refuse_actions(&mut self, step: u32, error: ActionError) {
        self.log.invalid_steps += 1;
        let error = ActionError { step, ..error };
        warn_or_debug(self.log.invalid_steps as usize, || {
            format!(
                "step {step}: actions refused, every agent waits: agent {:?}, other {:?}: {}",
                error.agent, error.other, error.fault
            )
        });
        self.log.action_errors.push(error);
    }

    fn refuse_schedule(&mut self, error: ScheduleError) {
        warn_or_debug(self.log.schedule_errors.len() + 1, || {
            format!(
                "step {}: schedule change refused: agent {:?}, task {:?}: {}",
                error.step, error.agent, error.task, error.fault
            )
        });
        self.log.schedule_errors.push(error);
    }

    /// Step 3 (2024 rules): the entry's schedule, agent by agent.
    fn apply_schedule(&mut self, step: u32, schedule: &[Option<TaskId>]) {
        let n = self.states.len();
        if schedule.len() != n {
            let fault = ScheduleFault::WrongLength {
                expected: n,
                found: schedule.len(),
            };
            self.refuse_schedule(ScheduleError {
                step,
                agent: None,
                task: None,
                fault,
            });
            return;
        }
        let mut next: Vec<Option<TaskId>> = vec![None; n];
        let mut holder: Vec<u32> = vec![NONE; self.pool.len()];
        let mut refused = Vec::new();

        // tasks under way stay with their agents
        let mut settled = vec![false; n];
        for agent in 0..n {
            let Some(task) = self.assigned[agent] else {
                continue;
            };
            let index = self.pool_index(task).expect("assigned tasks are open");
            if self.pool[index].done == 0 {
                continue;
            }
            next[agent] = Some(task);
            holder[index] = agent as u32;
            settled[agent] = true;
            if schedule[agent] != Some(task) {
                let fault = ScheduleFault::DropsTaskUnderWay { task };
                refused.push((agent, schedule[agent], fault));
            }
        }

        // the other requests, in agent order
        for agent in (0..n).filter(|&a| !settled[a]) {
            let Some(task) = schedule[agent] else {
                continue;
            };
            let fault = match self.pool_index(task) {
                None => ScheduleFault::UnknownTask,
                Some(index) if holder[index] == NONE => {
                    holder[index] = agent as u32;
                    next[agent] = Some(task);
                    continue;
                }
                Some(index) if self.pool[index].done > 0 => ScheduleFault::UnderWayElsewhere {
                    holder: holder[index],
                },
                Some(index) => ScheduleFault::DoubleAssignment {
                    holder: holder[index],
                },
            };
            refused.push((agent, Some(task), fault));
        }

        // refused agents keep their task if nobody took it
        for &(agent, task, fault) in &refused {
            if !settled[agent]
                && let Some(kept) = self.assigned[agent]
                && let Some(index) = self.pool_index(kept)
                && holder[index] == NONE
            {
                holder[index] = agent as u32;
                next[agent] = Some(kept);
            }
            self.refuse_schedule(ScheduleError {
                step,
                agent: Some(agent as u32),
                task,
                fault,
            });
        }
        self.reassign(step + 1, next);
    }

    /// Makes `next` the assignment at `time`, with its events and the pool's agents.
    fn reassign(&mut self, time: u32, next: Vec<Option<TaskId>>) {
        for (agent, &task) in next.iter().enumerate() {
            let old = self.assigned[agent];
            if task == old {
                continue;
            }
            if let Some(old) = old {
                self.event(time, agent, old, TaskEventKind::Unassigned);
            }
            if let Some(new) = task {
                self.event(time, agent, new, TaskEventKind::Assigned);
            }
        }
        for open in &mut self.pool {
            open.agent = None;
        }
        for (agent, task) in next.iter().enumerate() {
            if let Some(index) = task.and_then(|task| self.pool_index(task)) {
                self.pool[index].agent = Some(agent as u32);
            }
        }
        self.assigned = next;
    }

    /// The state after `action`; `None` for a forward move off the map or into an obstacle.
    fn next_state(&self, state: AgentState, action: Action) -> Option<AgentState> {
        let heading = match action {
            Action::Wait => return Some(state),
            Action::Clockwise => state.heading.clockwise(),
            Action::CounterClockwise => state.heading.counter_clockwise(),
            Action::Forward => {
                let graph = &self.problem.graph;
                let cell = graph.cell(state.cell)?;
                let (dx, dy) = state.heading.delta();
                let x = cell.x.checked_add_signed(dx)?;
                let y = cell.y.checked_add_signed(dy)?;
                let cell = graph.vertex_at(maps::Cell { x, y })?;
                return Some(AgentState { cell, ..state });
            }
        };
        Some(AgentState { heading, ..state })
    }

    /// Step 4: the actions' faults, first found.
    fn validate(&mut self, actions: &[Action]) -> Result<(), ActionError> {
        let n = self.states.len();
        let error = |agent: Option<usize>, other: Option<usize>, fault| ActionError {
            step: 0,
            agent: agent.map(|a| a as u32),
            other: other.map(|a| a as u32),
            fault,
        };
        if actions.len() != n {
            let fault = ActionFault::WrongLength {
                expected: n,
                found: actions.len(),
            };
            return Err(error(None, None, fault));
        }
        let mut next = Vec::with_capacity(n);
        for (agent, &action) in actions.iter().enumerate() {
            let state = self
                .next_state(self.states[agent], action)
                .ok_or_else(|| error(Some(agent), None, ActionFault::Blocked))?;
            next.push(state.cell);
        }

        let mut fault = None;
        for (agent, state) in self.states.iter().enumerate() {
            self.occupied_now[state.cell.index()] = agent as u32;
        }
        for (agent, &cell) in next.iter().enumerate() {
            let before = self.occupied_next[cell.index()];
            if before != NONE {
                fault = Some((before as usize, agent, ActionFault::VertexConflict));
                break;
            }
            self.occupied_next[cell.index()] = agent as u32;
            let there = self.occupied_now[cell.index()];
            if there != NONE
                && there as usize != agent
                && next[there as usize] == self.states[agent].cell
            {
                fault = Some((agent, there as usize, ActionFault::SwapConflict));
                break;
            }
        }
        // reset the scratch for the next step
        for state in &self.states {
            self.occupied_now[state.cell.index()] = NONE;
        }
        for &cell in &next {
            self.occupied_next[cell.index()] = NONE;
        }
        match fault {
            Some((a, b, fault)) => Err(error(Some(a), Some(b), fault)),
            None => Ok(()),
        }
    }

    /// Step 5: agents on their next errand complete it.
    fn complete_errands(&mut self, time: u32) {
        let mut finished = false;
        for agent in 0..self.states.len() {
            let Some(task) = self.assigned[agent] else {
                continue;
            };
            let index = self.pool_index(task).expect("assigned tasks are open");
            let open = &mut self.pool[index];
            if open.errands[open.done] != self.states[agent].cell {
                continue;
            }
            open.done += 1;
            let (done, all) = (open.done, open.errands.len());
            self.log.errands_finished += 1;
            let kind = TaskEventKind::ErrandDone { done: done as u32 };
            self.event(time, agent, task, kind);
            if done < all {
                continue;
            }
            self.log.tasks_finished += 1;
            self.event(time, agent, task, TaskEventKind::Finished);
            finished = true;
            self.assigned[agent] = None;
            if self.problem.rules == Rules::Lorr2023 {
                self.queues[agent].pop_front();
            }
        }
        if finished {
            self.pool.retain(|open| open.done < open.errands.len());
        }
    }
}

/// Logs the `count`-th problem of a kind at `warn` while few, at `debug` after.
fn warn_or_debug(count: usize, message: impl FnOnce() -> String) {
    if count <= WARNINGS {
        tracing::warn!("lorr: {}", message());
        if count == WARNINGS {
            tracing::warn!("lorr: further problems of this kind are logged at debug level");
        }
    } else {
        tracing::debug!("lorr: {}", message());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn log_with_times(times: &[u64]) -> RunLog {
        RunLog {
            rules: Rules::Lorr2024,
            steps: times.len() as u32,
            time_limit: Duration::from_secs(1),
            starts: Vec::new(),
            planner_times: times.iter().map(|&ms| Duration::from_millis(ms)).collect(),
            actions: Vec::new(),
            proposed: Vec::new(),
            proposed_schedule: Vec::new(),
            events: Vec::new(),
            tasks: Vec::new(),
            action_errors: Vec::new(),
            schedule_errors: Vec::new(),
            overruns: 0,
            invalid_steps: 0,
            tasks_finished: 0,
            errands_finished: 0,
            busy_steps: Vec::new(),
            final_states: Vec::new(),
        }
    }

    #[test]
    fn quantiles_use_the_nearest_rank() {
        let log = log_with_times(&[5, 1, 4, 2, 3]);
        assert_eq!(log.planner_time_quantile(0.5), Duration::from_millis(3));
        assert_eq!(log.planner_time_quantile(0.99), Duration::from_millis(5));
        assert_eq!(log.planner_time_quantile(0.0), Duration::from_millis(1));
        assert_eq!(
            log_with_times(&[]).planner_time_quantile(0.5),
            Duration::ZERO
        );
    }
}

//! League of Robot Runners (LoRR): the lifelong MAPF competition's problems, its rules and
//! an independent checker of executed runs.
//!
//! A LoRR problem is a grid map, a team of agents with start cells and a stream of tasks,
//! each a sequence of errand cells to visit in order. Agents have a heading; each step every
//! agent moves forward, turns a quarter clockwise or counter-clockwise, or waits. One call
//! of the [`Entry`] per step decides both the task schedule (2024 rules: the entry assigns
//! tasks from an open pool) and the actions, under a time limit: an entry that overruns it,
//! or returns colliding actions, leaves every agent waiting for that step.
//!
//! The types here are the contract between the harness and the planners that play it
//! (`crate::lifelong`). The harness:
//! - [`Problem`]: a competition problem file loaded (map, starts, tasks, rules);
//! - [`run()`]: the simulator, playing an [`Entry`] under the start-kit's rules into a
//!   [`RunLog`];
//! - [`OutputFile`]: the run in the start-kit's output JSON, written and read;
//! - [`check_file`]: an independent checker that replays an output file against the problem.
//!
//! # Examples
//! ```no_run
//! use std::time::Duration;
//! use planner::lifelong::{LifelongOptions, LifelongPlanner};
//! use planner::lorr::{OutputFile, Problem, RunOptions, check_file, run};
//!
//! let problem = Problem::load("RANDOM-01.json")?;
//! let mut planner = LifelongPlanner::new(LifelongOptions::default());
//! let options = RunOptions { steps: 600, time_limit: Duration::from_secs(1) };
//! let log = run(&problem, &mut planner, &options);
//! OutputFile::new(&problem, &log).save("out.json")?;
//! let report = check_file(&problem, "out.json")?;
//! assert_eq!(report.throughput, log.throughput());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub mod check;
pub mod output;
pub mod problem;
pub mod run;

use std::time::Instant;

use crate::graph::{Graph, VertexId};

pub use self::check::{CheckError, CheckReport, RunViolation, check_file, check_output};
pub use self::output::{OutputError, OutputFile};
pub use self::problem::{LorrError, Problem, Rules};
pub use self::run::{RunLog, RunOptions, StepReport, run, run_with};

/// Where an agent faces. LoRR numbers them 0 east, 1 south, 2 west, 3 north; on the grid
/// east is +x and south is +y (rows grow downwards).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Heading {
    /// +x.
    East,
    /// +y.
    South,
    /// -x.
    West,
    /// -y.
    North,
}

impl Heading {
    /// All four, in LoRR's numbering.
    pub const ALL: [Heading; 4] = [Self::East, Self::South, Self::West, Self::North];

    /// LoRR's number of the heading.
    pub fn index(self) -> usize {
        self as usize
    }

    /// The heading after a quarter turn clockwise.
    pub fn clockwise(self) -> Self {
        Self::ALL[(self.index() + 1) % 4]
    }

    /// The heading after a quarter turn counter-clockwise.
    pub fn counter_clockwise(self) -> Self {
        Self::ALL[(self.index() + 3) % 4]
    }

    /// The cell offset of one step forward.
    pub fn delta(self) -> (i32, i32) {
        match self {
            Self::East => (1, 0),
            Self::South => (0, 1),
            Self::West => (-1, 0),
            Self::North => (0, -1),
        }
    }
}

/// One agent's action for one step.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Action {
    /// One cell forward along the heading.
    Forward,
    /// A quarter turn clockwise, in place.
    Clockwise,
    /// A quarter turn counter-clockwise, in place.
    CounterClockwise,
    /// Stay as is.
    Wait,
}

/// Where an agent is and where it faces.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct AgentState {
    /// The cell, as a vertex of the map's grid graph ([`Graph::from_grid`]).
    pub cell: VertexId,
    /// The heading.
    pub heading: Heading,
}

/// A task's id: the harness counts reveals from 0 (the start-kit's `task_id`). Under the
/// 2024 rules task `id` is line `id mod m` of an `m`-task file: ids past the file's end are
/// its tasks again from the top.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TaskId(pub u32);

/// A task revealed and not finished.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OpenTask {
    /// The id.
    pub id: TaskId,
    /// The errand cells, to visit in order.
    pub errands: Vec<VertexId>,
    /// How many errands are done; a task with one or more done is under way and stays with
    /// its agent.
    pub done: usize,
    /// The agent the current schedule gives it to.
    pub agent: Option<u32>,
    /// The step it was revealed at.
    pub revealed_at: u32,
}

/// What an [`Entry`] sees at the start of a step.
#[derive(Clone, Copy, Debug)]
pub struct StepInput<'a> {
    /// The step about to be played (0 first).
    pub step: u32,
    /// The map's grid graph.
    pub graph: &'a Graph,
    /// Every agent's state.
    pub states: &'a [AgentState],
    /// The open tasks (revealed, not finished), in id order.
    pub tasks: &'a [OpenTask],
    /// Whether the entry schedules tasks (2024 rules); `false` under the 2023 rules, where
    /// the harness assigns them round-robin and `schedule` is ignored.
    pub schedules: bool,
}

/// What an [`Entry`] decides for a step.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StepOutput {
    /// Per agent, the task it should do (`None`: none). A task under way cannot move to
    /// another agent and a task cannot go to two agents: such changes are refused (the
    /// agent keeps its task) and counted as schedule errors.
    pub schedule: Vec<Option<TaskId>>,
    /// Per agent, its action.
    pub actions: Vec<Action>,
}

/// A planner that plays LoRR: called once per step.
pub trait Entry {
    /// Decides the schedule and the actions of the step `input.step`. It should return by
    /// `deadline`; the harness measures the call and, past its time limit, throws the
    /// answer away and leaves every agent waiting.
    fn step(&mut self, input: &StepInput<'_>, deadline: Instant) -> StepOutput;
}

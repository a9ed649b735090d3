//! Multi-agent path finding (MAPF) for gatefleet: planning and checking collision-free moves
//! of many AGVs at once.
//!
//! The model, in the order the pieces build on each other:
//! - a [`Graph`] of [`VertexId`]s where one agent fits at a time, joined by directed edges
//!   (grid cells 4-connected both ways, or yard waypoints joined by lanes);
//! - [`DistanceTable`]s, exact single-agent moves-to-goal, cached per goal by a
//!   [`DistanceCache`];
//! - an [`Instance`]: a graph plus a start and a goal per [`AgentId`];
//! - a [`Plan`]: the joint positions of all agents per timestep, with its costs;
//! - [`check`](mod@check): an independent checker that every plan of every solver must pass;
//! - [`Guides`]: least-shared shortest paths that PIBT follows among equal moves;
//! - solvers: [`lacam`] (LaCAM*, complete and anytime: the default of `gatefleet plan`) over
//!   [`pibt`] (one-shot [`pibt::solve`] and the lifelong [`PibtStepper`]);
//! - [`refine`]: anytime improvement of a feasible plan by large neighbourhood search
//!   ([`refine::improve`]);
//! - [`result_file`]: the LaCAM-family result file, written and read;
//! - [`bench`](mod@bench): the benchmark runner, MovingAI suites solved, checked, measured.
//!
//! Time is discrete: in one step every agent waits or moves along one edge. Vertex and swap
//! conflicts are forbidden; following and rotations are allowed except in the stepper's
//! follow-ban mode.
//!
//! # Examples
//! ```
//! use maps::{Cell, GridMap, ScenarioAgent};
//! use planner::{Instance, LacamOptions, check, lacam};
//!
//! let grid = GridMap::from_rows(&["...", ".@.", "..."]);
//! let agents = [
//!     ScenarioAgent { start: Cell { x: 0, y: 0 }, goal: Cell { x: 2, y: 2 } },
//!     ScenarioAgent { start: Cell { x: 2, y: 2 }, goal: Cell { x: 0, y: 0 } },
//! ];
//! let instance = Instance::from_movingai(&grid, &agents)?;
//! let solution = lacam::solve(&instance, &LacamOptions { seed: 7, ..Default::default() })?;
//! check(&instance, &solution.plan)?;
//! assert_eq!(solution.plan.sum_of_costs(instance.goals()), 8);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub mod bench;
pub mod check;
pub mod distance;
pub mod graph;
pub mod guide;
pub mod instance;
pub mod lacam;
pub mod lifelong;
pub mod lorr;
pub mod pibt;
pub mod plan;
pub mod refine;
pub mod result_file;
pub mod solve;

pub use bench::{
    BenchError, BenchOptions, BenchSolver, RowOutcome, RowReport, Suite, SuiteRow, run_suite,
};
pub use check::{Violation, check, check_plan};
pub use distance::{DistanceCache, DistanceTable, UNREACHABLE};
pub use graph::{Graph, GraphError, VertexId};
pub use guide::Guides;
pub use instance::{AgentId, Instance, InstanceError};
pub use lacam::LacamOptions;
pub use pibt::{PibtStepper, StepAgent, StepOptions};
pub use plan::{Plan, makespan_lower_bound, soc_lower_bound};
pub use refine::{RefineOptions, RefineStats};
pub use result_file::{ResultFile, ResultFileError, RunInfo};
pub use solve::{Solution, SolveError, SolveOptions, SolveStats};

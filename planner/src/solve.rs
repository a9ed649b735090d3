//! What every one-shot solver takes and returns: options, solution, and the ways to fail.
//!
//! The three failure outcomes are kept apart on purpose: [`SolveError::NoSolution`] is a
//! proof that no plan exists, [`SolveError::Timeout`] and [`SolveError::StepLimit`] mean the
//! solver gave up (a plan may exist), and [`SolveError::BadInput`] means the problem itself
//! was not well formed.

use std::time::Duration;

use crate::instance::InstanceError;
use crate::plan::Plan;

/// Settings of a one-shot solve; the seed and the deadline make runs reproducible.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SolveOptions {
    /// Seed of the ChaCha generator used for tie-breaking; equal seeds give equal plans.
    pub seed: u64,
    /// Wall-clock budget; the solver gives up with [`SolveError::Timeout`] past it.
    pub time_limit: Duration,
    /// Most timesteps a plan may have; the solver gives up with [`SolveError::StepLimit`].
    pub max_steps: usize,
    /// Use the PIBT swap technique of LaCAM2/LaCAM3, which lets two agents pass each other
    /// in a corridor. Solvers without it ignore this.
    pub swap: bool,
}

impl Default for SolveOptions {
    /// Seed 0, 10 s, 10 000 steps, swap on.
    fn default() -> Self {
        Self {
            seed: 0,
            time_limit: Duration::from_secs(10),
            max_steps: 10_000,
            swap: true,
        }
    }
}

/// Counters of one solver run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SolveStats {
    /// Timesteps planned (the makespan of the plan on success).
    pub steps: usize,
    /// Wall-clock time spent, distance tables included.
    pub elapsed: Duration,
    /// When the first solution was found, for anytime solvers (`None` for the others).
    pub first_solution: Option<Duration>,
}

/// A plan that reaches every goal, with the counters of the run that found it.
#[derive(Clone, Debug)]
pub struct Solution {
    /// The joint positions, step 0 = starts, last step = goals.
    pub plan: Plan,
    /// How the run went.
    pub stats: SolveStats,
}

/// Why a solver returned no plan.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SolveError {
    /// Proven: no plan exists. Incomplete solvers such as PIBT never return this.
    #[error("no plan exists: {reason}")]
    NoSolution {
        /// Why.
        reason: String,
    },
    /// Gave up at the deadline; a plan may exist.
    #[error("gave up at the time limit after {steps} steps ({elapsed:?})")]
    Timeout {
        /// Timesteps planned so far.
        steps: usize,
        /// Time spent.
        elapsed: Duration,
    },
    /// Gave up at the step limit; a plan may exist.
    #[error("gave up at the step limit of {steps} steps")]
    StepLimit {
        /// The limit reached.
        steps: usize,
    },
    /// The problem is not a valid instance.
    #[error("bad input")]
    BadInput(#[from] InstanceError),
}

impl SolveError {
    /// Whether the solver gave up (time or step limit) rather than proving anything.
    pub fn is_give_up(&self) -> bool {
        matches!(self, Self::Timeout { .. } | Self::StepLimit { .. })
    }
}

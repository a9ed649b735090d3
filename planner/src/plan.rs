//! A solver's answer: the joint positions of all agents at every timestep.
//!
//! Step 0 of a [`Plan`] is the starts; each later step is where every agent stands after one
//! synchronous move (or wait). Costs follow the LaCAM convention: an agent costs one plus the
//! last timestep at which it is not at its goal, and nothing if it starts there and never
//! leaves. Lower bounds come from the distance tables (each agent alone on the graph).

use crate::distance::DistanceCache;
use crate::graph::VertexId;
use crate::instance::{AgentId, Instance};

/// Joint positions per timestep; `steps()[t][i]` is where agent `i` stands at time `t`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Plan {
    steps: Vec<Vec<VertexId>>,
}

impl Plan {
    /// Wraps joint positions; nothing is checked here (use [`crate::check()`]).
    pub fn new(steps: Vec<Vec<VertexId>>) -> Self {
        Self { steps }
    }

    /// The joint positions, step 0 first.
    pub fn steps(&self) -> &[Vec<VertexId>] {
        &self.steps
    }

    /// Consumes the plan, returning its joint positions.
    pub fn into_steps(self) -> Vec<Vec<VertexId>> {
        self.steps
    }

    /// Number of agents (the width of step 0; 0 for an empty plan).
    pub fn agent_count(&self) -> usize {
        self.steps.first().map_or(0, Vec::len)
    }

    /// Where `agent` stands at `timestep`, if both exist.
    pub fn position(&self, agent: AgentId, timestep: usize) -> Option<VertexId> {
        self.steps.get(timestep)?.get(agent.index()).copied()
    }

    /// The last timestep: number of steps minus one (0 for an empty plan).
    pub fn makespan(&self) -> usize {
        self.steps.len().saturating_sub(1)
    }

    /// Sum over agents of one plus the last timestep at which the agent is away from its goal.
    ///
    /// # Panics
    /// When `goals` is shorter than a step of the plan.
    ///
    /// # Complexity
    /// O(T n) for T steps and n agents.
    pub fn sum_of_costs(&self, goals: &[VertexId]) -> u64 {
        (0..self.agent_count())
            .map(|agent| self.cost_of(agent, goals[agent]))
            .sum()
    }

    fn cost_of(&self, agent: usize, goal: VertexId) -> u64 {
        self.steps
            .iter()
            .rposition(|step| step[agent] != goal)
            .map_or(0, |last_away| last_away as u64 + 1)
    }
}

/// Sum over agents of the distance from start to goal: no plan can cost less.
///
/// # Complexity
/// O(n (V + E)) for tables not yet in `distances`, then O(n).
pub fn soc_lower_bound(instance: &Instance, distances: &mut DistanceCache) -> u64 {
    start_goal_distances(instance, distances)
        .map(u64::from)
        .sum()
}

/// The largest distance from start to goal over agents: no plan can be shorter.
///
/// # Complexity
/// As [`soc_lower_bound`].
pub fn makespan_lower_bound(instance: &Instance, distances: &mut DistanceCache) -> u64 {
    start_goal_distances(instance, distances)
        .map(u64::from)
        .max()
        .unwrap_or(0)
}

fn start_goal_distances<'a>(
    instance: &'a Instance,
    distances: &'a mut DistanceCache,
) -> impl Iterator<Item = u32> + 'a {
    let graph = instance.graph();
    instance
        .starts()
        .iter()
        .zip(instance.goals())
        .map(move |(&start, &goal)| distances.table(graph, goal).get(start))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn step(ids: &[u32]) -> Vec<VertexId> {
        ids.iter().map(|&i| VertexId(i)).collect()
    }

    #[test]
    fn costs_count_until_the_last_time_away_from_goal() {
        // agent 0 reaches 2 at t=1, leaves at t=2, returns at t=3: cost 3;
        // agent 1 starts at its goal and never leaves: cost 0
        let plan = Plan::new(vec![
            step(&[1, 5]),
            step(&[2, 5]),
            step(&[3, 5]),
            step(&[2, 5]),
        ]);
        assert_eq!(plan.sum_of_costs(&step(&[2, 5])), 3);
        assert_eq!(plan.makespan(), 3);
        assert_eq!(plan.position(AgentId(0), 2), Some(VertexId(3)));
    }

    #[test]
    fn empty_plan_costs_nothing() {
        let plan = Plan::default();
        assert_eq!(
            (plan.makespan(), plan.sum_of_costs(&[]), plan.agent_count()),
            (0, 0, 0)
        );
    }
}

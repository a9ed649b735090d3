//! Converting between a [`Plan`] (joint positions per timestep) and per-agent paths.
//!
//! A path holds one vertex per timestep from 0 and ends at the agent's last arrival at its
//! goal, where the agent then stays; its cost is its length minus one, which is the cost of
//! the agent in the [`Plan`] convention (one plus the last timestep away from the goal, 0 for
//! an agent that starts at its goal and never leaves).

use crate::graph::VertexId;
use crate::plan::Plan;

/// Per-agent paths of a plan, each trimmed after the agent's last arrival at its goal.
///
/// The plan must end with every agent at its goal (as [`crate::check()`] demands).
pub(crate) fn paths_from_plan(plan: &Plan, goals: &[VertexId]) -> Vec<Vec<VertexId>> {
    let steps = plan.steps();
    (0..plan.agent_count())
        .map(|agent| {
            let goal = goals[agent];
            let end = steps
                .iter()
                .rposition(|step| step[agent] != goal)
                .map_or(0, |last_away| last_away + 1);
            steps[..=end.min(steps.len() - 1)]
                .iter()
                .map(|step| step[agent])
                .collect()
        })
        .collect()
}

/// Joint positions of per-agent paths, each agent staying at its last vertex after its path
/// ends; the makespan is the longest path's cost.
pub(crate) fn plan_from_paths(paths: &[Vec<VertexId>]) -> Plan {
    let makespan = paths.iter().map(|path| path.len() - 1).max().unwrap_or(0);
    let steps = (0..=makespan)
        .map(|time| {
            paths
                .iter()
                .map(|path| path[time.min(path.len() - 1)])
                .collect()
        })
        .collect();
    Plan::new(steps)
}

/// The cost of one path: the timestep of its last arrival at the goal.
#[inline]
pub(crate) fn path_cost(path: &[VertexId]) -> u64 {
    path.len().saturating_sub(1) as u64
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(raw: &[u32]) -> Vec<VertexId> {
        raw.iter().map(|&i| VertexId(i)).collect()
    }

    #[test]
    fn paths_end_at_the_last_arrival_and_keep_the_plan_cost() {
        // agent 0 reaches 2, leaves and returns; agent 1 never leaves its goal 5
        let plan = Plan::new(vec![ids(&[1, 5]), ids(&[2, 5]), ids(&[3, 5]), ids(&[2, 5])]);
        let goals = ids(&[2, 5]);
        let paths = paths_from_plan(&plan, &goals);
        assert_eq!(paths, vec![ids(&[1, 2, 3, 2]), ids(&[5])]);
        let cost: u64 = paths.iter().map(|path| path_cost(path)).sum();
        assert_eq!(cost, plan.sum_of_costs(&goals));
        assert_eq!(plan_from_paths(&paths), plan);
    }

    #[test]
    fn trailing_goal_steps_are_trimmed_and_restored() {
        let plan = Plan::new(vec![ids(&[0, 7]), ids(&[1, 8]), ids(&[1, 8]), ids(&[1, 8])]);
        let paths = paths_from_plan(&plan, &ids(&[1, 8]));
        assert_eq!(paths, vec![ids(&[0, 1]), ids(&[7, 8])]);
        assert_eq!(plan_from_paths(&paths).makespan(), 1);
    }
}

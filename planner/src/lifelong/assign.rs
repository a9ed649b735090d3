//! Task assignment: which free agent takes which open task.
//!
//! The cost of giving task `t` to agent `a` is the moves from `a` to the task's first errand
//! plus the moves along its errands: the time the agent is busy with it. Two assigners:
//! - [`Assigner::Optimal`]: a min-cost assignment of the free agents to the unassigned
//!   tasks (Kuhn-Munkres from the `pathfinding` crate), re-solved whenever agents free up;
//! - [`Assigner::Greedy`]: each free agent in turn takes its cheapest task, the baseline.
//!
//! Only the nearest [`CANDIDATES`] tasks of each agent enter the optimisation (by
//! straight-line distance, before any table is built), which keeps each solve small on
//! 10,000-agent problems.

use pathfinding::kuhn_munkres::kuhn_munkres_min;
use pathfinding::matrix::Matrix;

use crate::distance::UNREACHABLE;
use crate::graph::{Graph, VertexId};

/// Tasks considered per free agent.
pub const CANDIDATES: usize = 8;

/// The cost of an agent that cannot reach a task: never chosen over a reachable one.
const NEVER: i64 = 1 << 40;

/// How free agents get tasks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Assigner {
    /// Min-cost assignment over all free agents and their candidate tasks.
    #[default]
    Optimal,
    /// Each free agent, in index order, takes its cheapest remaining task.
    Greedy,
}

/// One unassigned task, as the assigner sees it.
#[derive(Clone, Copy, Debug)]
pub(super) struct TaskOffer {
    /// Index of the task in the caller's list.
    pub index: usize,
    /// Its first errand.
    pub first: VertexId,
    /// Moves along its errands after the first.
    pub length: u32,
}

/// Pairs free agents with offers; returns, per free agent, the index into `offers` it
/// takes (or `None`). `distance(agent_index, vertex)` gives moves from the agent to a cell.
pub(super) fn assign(
    assigner: Assigner,
    graph: &Graph,
    agents: &[VertexId],
    offers: &[TaskOffer],
    mut distance: impl FnMut(usize, VertexId) -> u32,
) -> Vec<Option<usize>> {
    let mut chosen = vec![None; agents.len()];
    if agents.is_empty() || offers.is_empty() {
        return chosen;
    }
    // each agent's nearest offers by straight-line distance, then their true costs
    let candidates: Vec<Vec<(usize, i64)>> = agents
        .iter()
        .enumerate()
        .map(|(a, &at)| {
            let mut near: Vec<usize> = (0..offers.len()).collect();
            let keep = CANDIDATES.min(near.len());
            near.select_nth_unstable_by_key(keep - 1, |&o| manhattan(graph, at, offers[o].first));
            near.truncate(keep);
            near.into_iter()
                .map(|o| {
                    let d = distance(a, offers[o].first);
                    let cost = if d == UNREACHABLE {
                        NEVER
                    } else {
                        i64::from(d) + i64::from(offers[o].length)
                    };
                    (o, cost)
                })
                .collect()
        })
        .collect();

    match assigner {
        Assigner::Greedy => {
            let mut taken = vec![false; offers.len()];
            for (a, options) in candidates.iter().enumerate() {
                let best = options
                    .iter()
                    .filter(|(o, cost)| !taken[*o] && *cost < NEVER)
                    .min_by_key(|(o, cost)| (*cost, *o));
                if let Some(&(o, _)) = best {
                    taken[o] = true;
                    chosen[a] = Some(o);
                }
            }
        }
        Assigner::Optimal => {
            // columns: the offers that are some agent's candidate
            let mut columns: Vec<usize> = candidates.iter().flatten().map(|&(o, _)| o).collect();
            columns.sort_unstable();
            columns.dedup();
            let column_of = |o: usize| columns.binary_search(&o).expect("a candidate's column");
            // Kuhn-Munkres needs rows <= columns: pad with "no task" columns
            let width = columns.len().max(agents.len());
            let mut weights = Matrix::new(agents.len(), width, NEVER);
            for (a, options) in candidates.iter().enumerate() {
                for &(o, cost) in options {
                    weights[(a, column_of(o))] = cost;
                }
            }
            let (_, columns_of_rows) = kuhn_munkres_min(&weights);
            for (a, &c) in columns_of_rows.iter().enumerate() {
                if c < columns.len() && weights[(a, c)] < NEVER {
                    chosen[a] = Some(columns[c]);
                }
            }
        }
    }
    chosen
}

fn manhattan(graph: &Graph, a: VertexId, b: VertexId) -> u32 {
    match (graph.cell(a), graph.cell(b)) {
        (Some(a), Some(b)) => a.x.abs_diff(b.x) + a.y.abs_diff(b.y),
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use maps::{Cell, GridMap};

    use super::*;

    #[test]
    fn optimal_beats_greedy_when_the_first_agent_would_steal() {
        // a row of 7 cells, agents at x=2 and x=4, tasks at x=3 and x=0:
        // greedy lets agent 0 take x=3 (1) and agent 1 then x=0 (4), 5 in all;
        // the optimum sends agent 0 to x=0 (2) and agent 1 to x=3 (1), 3 in all
        let grid = GridMap::from_rows(&["......."]);
        let graph = Graph::from_grid(&grid);
        let at = |x| graph.vertex_at(Cell { x, y: 0 }).unwrap();
        let agents = [at(2), at(4)];
        let offers = [
            TaskOffer {
                index: 0,
                first: at(3),
                length: 0,
            },
            TaskOffer {
                index: 1,
                first: at(0),
                length: 0,
            },
        ];
        let distance = |a: usize, v: VertexId| {
            let (from, to) = (graph.cell(agents[a]).unwrap(), graph.cell(v).unwrap());
            from.x.abs_diff(to.x)
        };
        let greedy = assign(Assigner::Greedy, &graph, &agents, &offers, distance);
        let optimal = assign(Assigner::Optimal, &graph, &agents, &offers, distance);
        assert_eq!(greedy, [Some(0), Some(1)]);
        assert_eq!(optimal, [Some(1), Some(0)]);
    }

    #[test]
    fn more_agents_than_tasks_leaves_some_free() {
        let grid = GridMap::from_rows(&["...."]);
        let graph = Graph::from_grid(&grid);
        let at = |x| graph.vertex_at(Cell { x, y: 0 }).unwrap();
        let agents = [at(0), at(3), at(1)];
        let offers = [TaskOffer {
            index: 0,
            first: at(2),
            length: 3,
        }];
        let distance = |a: usize, v: VertexId| manhattan(&graph, agents[a], v);
        let chosen = assign(Assigner::Optimal, &graph, &agents, &offers, distance);
        assert_eq!(chosen.iter().flatten().count(), 1);
        assert!(chosen[1] == Some(0) || chosen[2] == Some(0), "{chosen:?}");
    }
}

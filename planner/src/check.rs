//! An independent feasibility checker for plans.
//!
//! The checker shares no code with the solvers on purpose: it builds its own adjacency set
//! straight from the graph's edge list, uses no distance table and no solver helper, and
//! checks one rule at a time in plain loops. A solver bug therefore cannot hide behind the
//! same bug in the checker. Rules, in the order they are checked:
//!
//! 1. the plan has at least one step and every step has one position per agent;
//! 2. every position is a vertex of the graph;
//! 3. step 0 is the starts;
//! 4. between consecutive steps every agent waits or follows a directed edge;
//! 5. no two agents stand on one vertex at one timestep (vertex conflict);
//! 6. no two agents traverse one edge in opposite directions in one step (swap conflict);
//! 7. the last step is the goals.
//!
//! Following (entering a vertex another agent leaves in the same step) and rotations are
//! allowed, as in standard MAPF.

use std::collections::{HashMap, HashSet};

use crate::graph::{Graph, VertexId};
use crate::instance::{AgentId, Instance};
use crate::plan::Plan;

/// The first broken rule found in a plan.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Violation {
    /// The plan has no step at all.
    #[error("the plan has no timestep")]
    Empty,
    /// A step holds the wrong number of positions.
    #[error("timestep {timestep} has {found} positions for {expected} agents")]
    WrongArity {
        /// The step.
        timestep: usize,
        /// Number of agents.
        expected: usize,
        /// Positions in the step.
        found: usize,
    },
    /// A position is not a vertex of the graph.
    #[error("{agent} at timestep {timestep} is at {vertex}, not a vertex of the graph")]
    UnknownVertex {
        /// The agent.
        agent: AgentId,
        /// The step.
        timestep: usize,
        /// The position.
        vertex: VertexId,
    },
    /// An agent does not start at its start.
    #[error("{agent} starts at {found}, expected {expected}")]
    WrongStart {
        /// The agent.
        agent: AgentId,
        /// Its start.
        expected: VertexId,
        /// Step 0's position.
        found: VertexId,
    },
    /// An agent moves between vertices that no edge joins.
    #[error("{agent} jumps from {from} to {to} between timesteps {timestep} and the next")]
    NoEdge {
        /// The agent.
        agent: AgentId,
        /// The step before the move.
        timestep: usize,
        /// Where it was.
        from: VertexId,
        /// Where it is next.
        to: VertexId,
    },
    /// Two agents on one vertex at one timestep.
    #[error("{first} and {second} are both at {vertex} at timestep {timestep}")]
    VertexConflict {
        /// The lower-numbered agent.
        first: AgentId,
        /// The higher-numbered agent.
        second: AgentId,
        /// The step.
        timestep: usize,
        /// The shared vertex.
        vertex: VertexId,
    },
    /// Two agents cross one edge in opposite directions in one step.
    #[error("{first} ({from} -> {to}) and {second} swap between timestep {timestep} and the next")]
    SwapConflict {
        /// The agent moving `from -> to`.
        first: AgentId,
        /// The agent moving `to -> from`.
        second: AgentId,
        /// The step before the swap.
        timestep: usize,
        /// Where `first` was.
        from: VertexId,
        /// Where `second` was.
        to: VertexId,
    },
    /// An agent is not at its goal at the last timestep.
    #[error("{agent} ends at {found}, its goal is {goal}")]
    GoalNotReached {
        /// The agent.
        agent: AgentId,
        /// Its goal.
        goal: VertexId,
        /// Its last position.
        found: VertexId,
    },
}

/// Checks a plan against an instance; see [`check_plan`].
///
/// # Errors
/// The first [`Violation`] found.
pub fn check(instance: &Instance, plan: &Plan) -> Result<(), Violation> {
    check_plan(instance.graph(), instance.starts(), instance.goals(), plan)
}

/// Checks that `plan` leads agents from `starts` to `goals` on `graph` without conflicts.
///
/// # Errors
/// The first [`Violation`] found, in the rule order of the module doc.
///
/// # Complexity
/// O(E + T n) expected time with hash sets, for E edges, T steps and n agents.
pub fn check_plan(
    graph: &Graph,
    starts: &[VertexId],
    goals: &[VertexId],
    plan: &Plan,
) -> Result<(), Violation> {
    let steps = plan.steps();
    check_shape(graph, starts.len(), steps)?;
    check_starts(starts, &steps[0])?;

    let edges: HashSet<(VertexId, VertexId)> = graph.edges().collect();
    check_conflicts(&steps[0], 0)?;
    for (timestep, pair) in steps.windows(2).enumerate() {
        check_moves(&edges, &pair[0], &pair[1], timestep)?;
        check_conflicts(&pair[1], timestep + 1)?;
        check_swaps(&pair[0], &pair[1], timestep)?;
    }

    let last = steps.last().expect("check_shape refused an empty plan");
    check_goals(goals, last)
}

fn check_shape(graph: &Graph, agents: usize, steps: &[Vec<VertexId>]) -> Result<(), Violation> {
    if steps.is_empty() {
        return Err(Violation::Empty);
    }
    for (timestep, step) in steps.iter().enumerate() {
        if step.len() != agents {
            return Err(Violation::WrongArity {
                timestep,
                expected: agents,
                found: step.len(),
            });
        }
        for (agent, &vertex) in step.iter().enumerate() {
            if vertex.index() >= graph.vertex_count() {
                let agent = AgentId(agent as u32);
                return Err(Violation::UnknownVertex {
                    agent,
                    timestep,
                    vertex,
                });
            }
        }
    }
    Ok(())
}

fn check_starts(starts: &[VertexId], first: &[VertexId]) -> Result<(), Violation> {
    for (agent, (&expected, &found)) in starts.iter().zip(first).enumerate() {
        if expected != found {
            return Err(Violation::WrongStart {
                agent: AgentId(agent as u32),
                expected,
                found,
            });
        }
    }
    Ok(())
}

fn check_moves(
    edges: &HashSet<(VertexId, VertexId)>,
    before: &[VertexId],
    after: &[VertexId],
    timestep: usize,
) -> Result<(), Violation> {
    for (agent, (&from, &to)) in before.iter().zip(after).enumerate() {
        if from != to && !edges.contains(&(from, to)) {
            return Err(Violation::NoEdge {
                agent: AgentId(agent as u32),
                timestep,
                from,
                to,
            });
        }
    }
    Ok(())
}

fn check_conflicts(step: &[VertexId], timestep: usize) -> Result<(), Violation> {
    let mut seen: HashMap<VertexId, usize> = HashMap::with_capacity(step.len());
    for (agent, &vertex) in step.iter().enumerate() {
        if let Some(&first) = seen.get(&vertex) {
            return Err(Violation::VertexConflict {
                first: AgentId(first as u32),
                second: AgentId(agent as u32),
                timestep,
                vertex,
            });
        }
        seen.insert(vertex, agent);
    }
    Ok(())
}

fn check_swaps(before: &[VertexId], after: &[VertexId], timestep: usize) -> Result<(), Violation> {
    let occupant: HashMap<VertexId, usize> = before
        .iter()
        .enumerate()
        .map(|(agent, &vertex)| (vertex, agent))
        .collect();
    for (agent, (&from, &to)) in before.iter().zip(after).enumerate() {
        if from == to {
            continue;
        }
        if let Some(&other) = occupant.get(&to)
            && other != agent
            && after[other] == from
        {
            return Err(Violation::SwapConflict {
                first: AgentId(agent as u32),
                second: AgentId(other as u32),
                timestep,
                from,
                to,
            });
        }
    }
    Ok(())
}

fn check_goals(goals: &[VertexId], last: &[VertexId]) -> Result<(), Violation> {
    for (agent, (&goal, &found)) in goals.iter().zip(last).enumerate() {
        if goal != found {
            return Err(Violation::GoalNotReached {
                agent: AgentId(agent as u32),
                goal,
                found,
            });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A path 0 - 1 - 2 - 3 with edges both ways, and a one-way edge 3 -> 4.
    fn corridor() -> Graph {
        let pairs = [(0, 1), (1, 0), (1, 2), (2, 1), (2, 3), (3, 2), (3, 4)];
        let edges: Vec<_> = pairs
            .iter()
            .map(|&(a, b)| (VertexId(a), VertexId(b)))
            .collect();
        Graph::from_edges(5, &edges).unwrap()
    }

    fn ids(raw: &[u32]) -> Vec<VertexId> {
        raw.iter().map(|&i| VertexId(i)).collect()
    }

    fn plan(rows: &[&[u32]]) -> Plan {
        Plan::new(rows.iter().map(|row| ids(row)).collect())
    }

    fn run(starts: &[u32], goals: &[u32], rows: &[&[u32]]) -> Result<(), Violation> {
        check_plan(&corridor(), &ids(starts), &ids(goals), &plan(rows))
    }

    #[test]
    fn following_plan_is_accepted() {
        // agent 1 leaves 2 for 3 while agent 0 follows into 2; then agent 1 takes the one-way 3->4
        let rows: &[&[u32]] = &[&[1, 2], &[2, 3], &[3, 4]];
        assert_eq!(run(&[1, 2], &[3, 4], rows), Ok(()));
    }

    #[test]
    fn wrong_start_is_rejected() {
        let err = run(&[0], &[1], &[&[1]]).unwrap_err();
        assert_eq!(
            err,
            Violation::WrongStart {
                agent: AgentId(0),
                expected: VertexId(0),
                found: VertexId(1)
            }
        );
    }

    #[test]
    fn goal_not_reached_is_rejected() {
        let err = run(&[0], &[2], &[&[0], &[1]]).unwrap_err();
        assert!(matches!(
            err,
            Violation::GoalNotReached {
                agent: AgentId(0),
                ..
            }
        ));
    }

    #[test]
    fn teleport_is_rejected() {
        let err = run(&[0], &[2], &[&[0], &[2]]).unwrap_err();
        let expected = Violation::NoEdge {
            agent: AgentId(0),
            timestep: 0,
            from: VertexId(0),
            to: VertexId(2),
        };
        assert_eq!(err, expected);
    }

    #[test]
    fn one_way_edge_taken_backwards_is_rejected() {
        let err = run(&[4], &[3], &[&[4], &[3]]).unwrap_err();
        assert!(matches!(
            err,
            Violation::NoEdge {
                from: VertexId(4),
                ..
            }
        ));
    }

    #[test]
    fn vertex_conflict_is_rejected() {
        let err = run(&[0, 2], &[1, 1], &[&[0, 2], &[1, 1]]).unwrap_err();
        let expected = Violation::VertexConflict {
            first: AgentId(0),
            second: AgentId(1),
            timestep: 1,
            vertex: VertexId(1),
        };
        assert_eq!(err, expected);
    }

    #[test]
    fn swap_conflict_is_rejected() {
        let err = run(&[1, 2], &[2, 1], &[&[1, 2], &[2, 1]]).unwrap_err();
        assert!(
            matches!(err, Violation::SwapConflict { timestep: 0, .. }),
            "{err}"
        );
    }

    #[test]
    fn wrong_arity_is_rejected() {
        let err = run(&[0, 2], &[0, 2], &[&[0, 2], &[0]]).unwrap_err();
        assert_eq!(
            err,
            Violation::WrongArity {
                timestep: 1,
                expected: 2,
                found: 1
            }
        );
    }

    #[test]
    fn unknown_vertex_and_empty_plan_are_rejected() {
        let err = run(&[0], &[0], &[&[0], &[9]]).unwrap_err();
        assert!(matches!(err, Violation::UnknownVertex { timestep: 1, .. }));
        assert_eq!(run(&[0], &[0], &[]), Err(Violation::Empty));
    }
}

//! One planning problem: a graph, and a start and a goal vertex per agent.
//!
//! An [`Instance`] is validated when built: every start and goal is a vertex of the graph,
//! no two agents share a start or a goal, and each goal can be reached from its start.
//! Agents are numbered by [`AgentId`] in the order given (scenario order for MovingAI).

use std::collections::HashMap;
use std::fmt;

use maps::{Cell, GridMap, ScenarioAgent};

use petgraph::unionfind::UnionFind;

use crate::distance::DistanceTable;
use crate::graph::{Graph, VertexId};

/// Index of an agent in its [`Instance`] (and in every joint position of a plan).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct AgentId(pub u32);

impl AgentId {
    /// The id as an index into per-agent vectors.
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

impl fmt::Display for AgentId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "agent {}", self.0)
    }
}

/// Why starts and goals do not make a valid instance.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum InstanceError {
    /// Starts and goals have different lengths.
    #[error("{starts} starts but {goals} goals")]
    CountMismatch {
        /// Number of starts.
        starts: usize,
        /// Number of goals.
        goals: usize,
    },
    /// A start or goal is not a vertex of the graph.
    #[error("{agent}: {what} {vertex} is not in a graph of {vertex_count} vertices")]
    OutOfRange {
        /// The agent.
        agent: AgentId,
        /// `start` or `goal`.
        what: &'static str,
        /// The vertex given.
        vertex: VertexId,
        /// Vertices in the graph.
        vertex_count: usize,
    },
    /// A start or goal cell is blocked or outside the grid.
    #[error("{agent}: {what} cell {cell} is not a free cell of the grid")]
    NotFree {
        /// The agent.
        agent: AgentId,
        /// `start` or `goal`.
        what: &'static str,
        /// The cell given.
        cell: Cell,
    },
    /// Two agents of a grid instance share a start or a goal cell.
    #[error("{agent}: {what} cell {cell} is also the {what} of {other}")]
    SharedCell {
        /// The later agent.
        agent: AgentId,
        /// The earlier agent.
        other: AgentId,
        /// `start` or `goal`.
        what: &'static str,
        /// The shared cell.
        cell: Cell,
    },
    /// Two agents start at the same vertex.
    #[error("{agent} starts at {vertex}, where {other} starts too")]
    DuplicateStart {
        /// The later agent.
        agent: AgentId,
        /// The earlier agent.
        other: AgentId,
        /// The shared vertex.
        vertex: VertexId,
    },
    /// Two agents have the same goal.
    #[error("{agent} has goal {vertex}, which is also the goal of {other}")]
    DuplicateGoal {
        /// The later agent.
        agent: AgentId,
        /// The earlier agent.
        other: AgentId,
        /// The shared vertex.
        vertex: VertexId,
    },
    /// No path leads from the start cell to the goal cell of a grid instance.
    #[error("{agent}: goal cell {goal} cannot be reached from start cell {start}")]
    UnreachableCell {
        /// The agent.
        agent: AgentId,
        /// Its start.
        start: Cell,
        /// Its goal.
        goal: Cell,
    },
    /// No path leads from the start to the goal.
    #[error("{agent}: goal {goal} cannot be reached from start {start}")]
    Unreachable {
        /// The agent.
        agent: AgentId,
        /// Its start.
        start: VertexId,
        /// Its goal.
        goal: VertexId,
    },
}

/// A validated MAPF instance: the graph, and per agent a start and a goal.
#[derive(Clone, Debug)]
pub struct Instance {
    graph: Graph,
    starts: Vec<VertexId>,
    goals: Vec<VertexId>,
}

impl Instance {
    /// Checks and bundles a graph with starts and goals (agent `i` is `starts[i] -> goals[i]`).
    ///
    /// # Errors
    /// The first problem found, naming the agent: see [`InstanceError`].
    ///
    /// # Complexity
    /// O(n (V + E)) for n agents: one breadth-first search per agent for reachability.
    pub fn new(
        graph: Graph,
        starts: Vec<VertexId>,
        goals: Vec<VertexId>,
    ) -> Result<Self, InstanceError> {
        if starts.len() != goals.len() {
            return Err(InstanceError::CountMismatch {
                starts: starts.len(),
                goals: goals.len(),
            });
        }
        check_in_range(&graph, &starts, "start")?;
        check_in_range(&graph, &goals, "goal")?;
        check_distinct(&starts, |agent, other, vertex| {
            InstanceError::DuplicateStart {
                agent,
                other,
                vertex,
            }
        })?;
        check_distinct(&goals, |agent, other, vertex| {
            InstanceError::DuplicateGoal {
                agent,
                other,
                vertex,
            }
        })?;
        check_reachable(&graph, &starts, &goals)?;
        Ok(Self {
            graph,
            starts,
            goals,
        })
    }

    /// Builds the instance of a MovingAI grid and the scenario agents to use.
    ///
    /// # Errors
    /// [`InstanceError::NotFree`] for a start or goal on a blocked or outside cell, then as
    /// [`Instance::new`].
    pub fn from_movingai(grid: &GridMap, agents: &[ScenarioAgent]) -> Result<Self, InstanceError> {
        let graph = Graph::from_grid(grid);
        let vertex = |index: usize, what: &'static str, cell: Cell| {
            graph.vertex_at(cell).ok_or(InstanceError::NotFree {
                agent: AgentId(index as u32),
                what,
                cell,
            })
        };
        let mut starts = Vec::with_capacity(agents.len());
        let mut goals = Vec::with_capacity(agents.len());
        for (index, agent) in agents.iter().enumerate() {
            starts.push(vertex(index, "start", agent.start)?);
            goals.push(vertex(index, "goal", agent.goal)?);
        }
        // name shared cells as cells, which the user can find in the files
        for (what, cells) in [("start", &starts), ("goal", &goals)] {
            let mut first_at = std::collections::HashMap::with_capacity(cells.len());
            for (index, &v) in cells.iter().enumerate() {
                if let Some(&other) = first_at.get(&v) {
                    let cell = graph.cell(v).expect("grid graphs keep their cells");
                    let (agent, other) = (AgentId(index as u32), AgentId(other));
                    return Err(InstanceError::SharedCell {
                        agent,
                        other,
                        what,
                        cell,
                    });
                }
                first_at.insert(v, index as u32);
            }
        }
        match Self::new(graph, starts, goals) {
            Err(InstanceError::Unreachable { agent, start, goal }) => {
                // the graph went into the failed instance: rebuild it to name the cells
                let graph = Graph::from_grid(grid);
                let cell_of = |v: VertexId| graph.cell(v).expect("grid graphs keep their cells");
                Err(InstanceError::UnreachableCell {
                    agent,
                    start: cell_of(start),
                    goal: cell_of(goal),
                })
            }
            outcome => outcome,
        }
    }

    /// The graph agents move on.
    pub fn graph(&self) -> &Graph {
        &self.graph
    }

    /// Start vertex per agent.
    pub fn starts(&self) -> &[VertexId] {
        &self.starts
    }

    /// Goal vertex per agent.
    pub fn goals(&self) -> &[VertexId] {
        &self.goals
    }

    /// Number of agents.
    pub fn agent_count(&self) -> usize {
        self.starts.len()
    }

    /// Start cells per agent, for instances on a grid graph.
    pub fn start_cells(&self) -> Option<Vec<Cell>> {
        self.starts.iter().map(|&v| self.graph.cell(v)).collect()
    }

    /// Goal cells per agent, for instances on a grid graph.
    pub fn goal_cells(&self) -> Option<Vec<Cell>> {
        self.goals.iter().map(|&v| self.graph.cell(v)).collect()
    }
}

fn check_in_range(
    graph: &Graph,
    vertices: &[VertexId],
    what: &'static str,
) -> Result<(), InstanceError> {
    let vertex_count = graph.vertex_count();
    match vertices.iter().position(|&v| !graph.contains(v)) {
        None => Ok(()),
        Some(index) => Err(InstanceError::OutOfRange {
            agent: AgentId(index as u32),
            what,
            vertex: vertices[index],
            vertex_count,
        }),
    }
}

fn check_distinct(
    vertices: &[VertexId],
    error: impl Fn(AgentId, AgentId, VertexId) -> InstanceError,
) -> Result<(), InstanceError> {
    let mut first = HashMap::with_capacity(vertices.len());
    for (index, &vertex) in vertices.iter().enumerate() {
        let agent = AgentId(index as u32);
        if let Some(&other) = first.get(&vertex) {
            return Err(error(agent, other, vertex));
        }
        first.insert(vertex, agent);
    }
    Ok(())
}

/// Whether every goal can be reached from its start.
///
/// Two-way edges join vertices that reach each other, so a union-find over them settles
/// every agent of a grid (all edges two-way) in O(E α(V)); only an agent whose start and goal
/// fall in different two-way components (one-way lanes of a yard) costs a search.
fn check_reachable(
    graph: &Graph,
    starts: &[VertexId],
    goals: &[VertexId],
) -> Result<(), InstanceError> {
    let mut mutual = UnionFind::<u32>::new(graph.vertex_count());
    for (from, to) in graph.edges() {
        if from < to && graph.has_edge(to, from) {
            mutual.union(from.0, to.0);
        }
    }
    for (index, (&start, &goal)) in starts.iter().zip(goals).enumerate() {
        if mutual.equiv(start.0, goal.0) {
            continue;
        }
        if !DistanceTable::build(graph, goal).is_reachable_from(start) {
            return Err(InstanceError::Unreachable {
                agent: AgentId(index as u32),
                start,
                goal,
            });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn agent(start: (u32, u32), goal: (u32, u32)) -> ScenarioAgent {
        let cell = |(x, y)| Cell { x, y };
        ScenarioAgent {
            start: cell(start),
            goal: cell(goal),
        }
    }

    #[test]
    fn movingai_agents_become_vertices() {
        let grid = GridMap::from_rows(&["...", ".@."]);
        let instance = Instance::from_movingai(&grid, &[agent((0, 0), (2, 1))]).unwrap();
        assert_eq!(instance.starts(), &[VertexId(0)]);
        assert_eq!(instance.goals(), &[VertexId(4)]);
        assert_eq!(instance.goal_cells(), Some(vec![Cell { x: 2, y: 1 }]));
    }

    #[test]
    fn blocked_goal_names_the_agent() {
        let grid = GridMap::from_rows(&["...", ".@."]);
        let agents = [agent((0, 0), (2, 1)), agent((2, 0), (1, 1))];
        let err = Instance::from_movingai(&grid, &agents).unwrap_err();
        assert_eq!(
            err.to_string(),
            "agent 1: goal cell (1,1) is not a free cell of the grid"
        );
    }

    #[test]
    fn duplicate_starts_and_goals_are_refused() {
        let grid = GridMap::from_rows(&["...."]);
        let same_start = [agent((0, 0), (3, 0)), agent((0, 0), (2, 0))];
        let err = Instance::from_movingai(&grid, &same_start).unwrap_err();
        assert_eq!(
            err.to_string(),
            "agent 1: start cell (0,0) is also the start of agent 0"
        );
        let same_goal = [agent((0, 0), (3, 0)), agent((1, 0), (3, 0))];
        let err = Instance::from_movingai(&grid, &same_goal).unwrap_err();
        assert!(matches!(
            err,
            InstanceError::SharedCell {
                agent: AgentId(1),
                what: "goal",
                ..
            }
        ));

        // without cells, the vertices are named
        let graph = Graph::from_grid(&grid);
        let v = |x| graph.vertex_at(Cell { x, y: 0 }).unwrap();
        let err = Instance::new(graph.clone(), vec![v(0), v(0)], vec![v(3), v(2)]).unwrap_err();
        assert!(matches!(
            err,
            InstanceError::DuplicateStart {
                agent: AgentId(1),
                ..
            }
        ));
        let err = Instance::new(graph.clone(), vec![v(0), v(1)], vec![v(3), v(3)]).unwrap_err();
        assert!(matches!(
            err,
            InstanceError::DuplicateGoal {
                agent: AgentId(1),
                ..
            }
        ));
    }

    #[test]
    fn unreachable_goal_is_refused() {
        let grid = GridMap::from_rows(&[".@."]);
        let err = Instance::from_movingai(&grid, &[agent((0, 0), (2, 0))]).unwrap_err();
        assert!(matches!(
            err,
            InstanceError::UnreachableCell {
                agent: AgentId(0),
                ..
            }
        ));
        assert!(err.to_string().contains("(2,0)"), "{err}");
    }

    #[test]
    fn one_way_edges_are_followed_when_checking_reachability() {
        // 0 -> 1 -> 2 one way: 2 is reachable from 0, 0 not from 2
        let v = VertexId;
        let graph = Graph::from_edges(3, &[(v(0), v(1)), (v(1), v(2))]).unwrap();
        assert!(Instance::new(graph.clone(), vec![v(0)], vec![v(2)]).is_ok());
        let err = Instance::new(graph, vec![v(2)], vec![v(0)]).unwrap_err();
        assert!(matches!(err, InstanceError::Unreachable { .. }), "{err}");
    }

    #[test]
    fn out_of_range_vertex_is_refused() {
        let graph = Graph::from_grid(&GridMap::from_rows(&[".."]));
        let err = Instance::new(graph, vec![VertexId(0)], vec![VertexId(7)]).unwrap_err();
        assert!(matches!(
            err,
            InstanceError::OutOfRange { what: "goal", .. }
        ));
    }
}

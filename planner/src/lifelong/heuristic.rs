//! Costs-to-go of agents with a heading: the moves to the goal cell plus the quarter turns
//! needed before the first of them.
//!
//! The move count comes from the goal's distance table when it is cached, and from the
//! Manhattan distance while it is not (a table still being built when the step's budget ran
//! out). The turn count looks at the neighbouring cells one move closer to the goal and
//! takes the one the agent faces best, so turning toward a shortest path lowers the cost by
//! one, as moving along it does.

use crate::distance::{DistanceCache, UNREACHABLE};
use crate::graph::{Graph, VertexId};
use crate::lorr::{AgentState, Heading};

use super::traffic::Traffic;

const NONE: u32 = u32::MAX;

/// The cost of a state from which the goal cannot be reached: above every real cost, and
/// small enough to be shifted into a sort key.
pub(super) const FAR: u32 = 1 << 28;

/// Cost-to-go of an agent from a state.
pub(super) trait Heuristic {
    /// The cost for `agent` to reach its goal from `state`.
    fn cost(&self, agent: usize, state: AgentState) -> u32;
}

/// Quarter turns from `from` to `to` (0, 1 or 2).
pub(super) fn turns(from: Heading, to: Heading) -> u32 {
    match (to.index() + 4 - from.index()) % 4 {
        0 => 0,
        2 => 2,
        _ => 1,
    }
}

/// Distance tables and the agents' goals.
pub(super) struct GoalHeuristic<'a> {
    pub graph: &'a Graph,
    pub ahead: &'a AheadTable,
    pub distances: &'a DistanceCache,
    /// Each agent's goal; `None` for an agent without a task.
    pub goals: &'a [Option<VertexId>],
    /// Each agent's cell now: an agent without a task prefers to stay in it.
    pub cells: &'a [VertexId],
    /// The agents' guides, if traffic guidance is on.
    pub traffic: Option<&'a Traffic>,
}

impl GoalHeuristic<'_> {
    /// Moves from `cell` to `goal`.
    #[inline]
    fn moves(&self, goal: VertexId, cell: VertexId) -> u32 {
        match self.distances.get(goal) {
            Some(table) => match table.get(cell) {
                UNREACHABLE => FAR,
                d => d.min(FAR),
            },
            None => match (self.graph.cell(goal), self.graph.cell(cell)) {
                (Some(a), Some(b)) => (a.x.abs_diff(b.x) + a.y.abs_diff(b.y)).min(FAR),
                _ => FAR,
            },
        }
    }
}

impl Heuristic for GoalHeuristic<'_> {
    fn cost(&self, agent: usize, state: AgentState) -> u32 {
        let Some(goal) = self.goals[agent] else {
            return u32::from(state.cell != self.cells[agent]);
        };
        if let Some(traffic) = self.traffic
            && let Some(cost) = traffic.on_guide(self.ahead, agent, state)
        {
            return cost;
        }
        let here = self.moves(goal, state.cell);
        if here == 0 || here >= FAR {
            return here;
        }
        let detour = self.traffic.map_or(0, |traffic| traffic.detour(agent));
        let turn = Heading::ALL
            .iter()
            .filter_map(|&heading| {
                let to = self.ahead.ahead(AgentState {
                    cell: state.cell,
                    heading,
                })?;
                (self.moves(goal, to) < here).then(|| turns(state.heading, heading))
            })
            .min()
            .unwrap_or(0);
        (here + turn + detour).min(FAR)
    }
}

/// The cell ahead of each (cell, heading), precomputed for a grid graph.
#[derive(Debug, Default)]
pub(super) struct AheadTable {
    /// `ahead[v * 4 + heading]`, or `NONE` at a wall or the map's edge.
    ahead: Vec<u32>,
}

impl AheadTable {
    /// The table of `graph` (a LoRR grid).
    pub(super) fn of(graph: &Graph) -> Self {
        let mut ahead = vec![NONE; graph.vertex_count() * 4];
        for v in graph.vertices() {
            let Some(cell) = graph.cell(v) else { continue };
            for heading in Heading::ALL {
                let (dx, dy) = heading.delta();
                let (Some(x), Some(y)) =
                    (cell.x.checked_add_signed(dx), cell.y.checked_add_signed(dy))
                else {
                    continue;
                };
                if let Some(to) = graph.vertex_at(maps::Cell { x, y })
                    && graph.has_edge(v, to)
                {
                    ahead[v.index() * 4 + heading.index()] = to.0;
                }
            }
        }
        Self { ahead }
    }

    /// Whether the table was built for a graph of `vertex_count` vertices.
    pub(super) fn fits(&self, vertex_count: usize) -> bool {
        self.ahead.len() == vertex_count * 4
    }

    /// The cell one step forward from `state`, if it is free of walls.
    #[inline]
    pub(super) fn ahead(&self, state: AgentState) -> Option<VertexId> {
        let to = self.ahead[state.cell.index() * 4 + state.heading.index()];
        (to != NONE).then_some(VertexId(to))
    }
}

#[cfg(test)]
mod tests {
    use maps::{Cell, GridMap};

    use super::*;

    #[test]
    fn turns_toward_a_shortest_path_count_as_steps() {
        let graph = Graph::from_grid(&GridMap::from_rows(&["....", ".@@.", "...."]));
        let ahead = AheadTable::of(&graph);
        let mut distances = DistanceCache::new();
        let goal = graph.vertex_at(Cell { x: 3, y: 0 }).unwrap();
        distances.ensure(&graph, goal);
        let start = graph.vertex_at(Cell { x: 0, y: 0 }).unwrap();
        let heuristic = GoalHeuristic {
            graph: &graph,
            ahead: &ahead,
            distances: &distances,
            goals: &[Some(goal)],
            cells: &[start],
            traffic: None,
        };
        let facing = |heading| {
            heuristic.cost(
                0,
                AgentState {
                    cell: start,
                    heading,
                },
            )
        };
        assert_eq!(facing(Heading::East), 3);
        assert_eq!(facing(Heading::North), 4);
        assert_eq!(facing(Heading::South), 4);
        assert_eq!(facing(Heading::West), 5);
        // at the goal nothing is left, whatever the heading
        assert_eq!(
            heuristic.cost(
                0,
                AgentState {
                    cell: goal,
                    heading: Heading::West
                }
            ),
            0
        );
    }

    #[test]
    fn the_ahead_table_stops_at_walls_and_edges() {
        let graph = Graph::from_grid(&GridMap::from_rows(&[".@", ".."]));
        let ahead = AheadTable::of(&graph);
        let corner = graph.vertex_at(Cell { x: 0, y: 0 }).unwrap();
        let below = graph.vertex_at(Cell { x: 0, y: 1 }).unwrap();
        let state = |heading| AgentState {
            cell: corner,
            heading,
        };
        assert_eq!(ahead.ahead(state(Heading::East)), None);
        assert_eq!(ahead.ahead(state(Heading::North)), None);
        assert_eq!(ahead.ahead(state(Heading::West)), None);
        assert_eq!(ahead.ahead(state(Heading::South)), Some(below));
    }
}

//! Space-time A*: a shortest path for one agent among the reserved paths of the others.
//!
//! States are (vertex, timestep); every action (a move along an out-edge or a wait) costs one
//! step. A state is refused when the [`ReservationTable`] has another agent there, or when the
//! move swaps with another agent. The agent stays at its goal once its path ends, so the search
//! may finish only after the last reserved visit of the goal (the "last time the goal is
//! occupied"); an agent parked on a vertex blocks it forever.
//!
//! The heuristic is `max(distance to goal, first finishing time - t)`, consistent, so the first
//! goal state popped is optimal and every (vertex, timestep) needs to be generated once (all
//! paths to it have the same cost, the timestep).

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

use crate::distance::{DistanceTable, UNREACHABLE};
use crate::graph::{Graph, VertexId};

use super::reservation::ReservationTable;

/// Marks the start node, which has no parent.
const NO_PARENT: u32 = u32::MAX;

/// One agent's request to [`SpaceTimeSearch::find`].
#[derive(Clone, Copy, Debug)]
pub(crate) struct PathQuery<'a> {
    /// Where the agent stands at timestep 0.
    pub start: VertexId,
    /// Where it must end, and stay.
    pub goal: VertexId,
    /// Moves to `goal` from every vertex.
    pub heuristic: &'a DistanceTable,
    /// The highest cost (arrival timestep) worth returning; costlier paths are not searched.
    pub max_cost: u32,
    /// Expansions after which the search gives up.
    pub expansion_limit: usize,
}

/// A search node: a state and the node it was reached from.
#[derive(Clone, Copy, Debug)]
struct Node {
    vertex: VertexId,
    time: u32,
    parent: u32,
}

/// The reusable buffers of space-time A*, kept between queries so searches do not allocate.
#[derive(Debug, Default)]
pub(crate) struct SpaceTimeSearch {
    nodes: Vec<Node>,
    /// Min-heap on (f, -time), then on insertion order: deepest first among equal f (nearest
    /// the goal first was tried: fewer expansions, but paths that sit near the goal early block
    /// the agents planned after them, and improvements dropped by half).
    open: BinaryHeap<Reverse<(u32, Reverse<u32>, u32)>>,
    /// Generated states as `time << 32 | vertex`.
    generated: HashSet<u64, BuildHasherDefault<StateHasher>>,
    /// Expansions over all queries, for the summary.
    pub expansions: u64,
}

impl SpaceTimeSearch {
    /// A shortest path from `query.start` at timestep 0 to `query.goal`, ending once the goal
    /// is free for good, that conflicts with no reserved path; `None` when none costs at most
    /// `query.max_cost` or the expansion limit is hit.
    ///
    /// The path holds one vertex per timestep and ends with the only arrival at the goal after
    /// which the agent never leaves (its cost is `path.len() - 1`).
    ///
    /// # Complexity
    /// O(x (d + log x)) for x expanded states and out-degree d, each reservation lookup a binary
    /// search in one vertex's visits.
    pub(crate) fn find(
        &mut self,
        graph: &Graph,
        table: &ReservationTable,
        query: &PathQuery<'_>,
    ) -> Option<Vec<VertexId>> {
        self.nodes.clear();
        self.open.clear();
        self.generated.clear();
        let finish_from = table.last_visit(query.goal).map_or(0, |time| time + 1);
        if table.parked_agent(query.goal).is_some() {
            return None;
        }
        let f = |vertex: VertexId, time: u32| -> Option<u32> {
            let h = query.heuristic.get(vertex);
            let f = (h != UNREACHABLE).then(|| (time + h).max(finish_from))?;
            (f <= query.max_cost).then_some(f)
        };

        // the start: nothing reserved may stand there at timestep 0 (starts are distinct)
        let f_start = f(query.start, 0)?;
        self.push(query.start, 0, NO_PARENT, f_start);

        let mut expanded = 0;
        while let Some(Reverse((.., index))) = self.open.pop() {
            let node = self.nodes[index as usize];
            if node.vertex == query.goal && node.time >= finish_from {
                self.expansions += expanded;
                return Some(self.path_to(index));
            }
            expanded += 1;
            if expanded as usize > query.expansion_limit {
                break;
            }

            // successors: wait, then each out-neighbour
            let time = node.time + 1;
            let moves = std::iter::once(&node.vertex).chain(graph.out_neighbours(node.vertex));
            for &next in moves {
                let Some(f_next) = f(next, time) else {
                    continue;
                };
                if !table.can_move(node.vertex, next, node.time) {
                    continue;
                }
                if self.generated.insert(state_key(next, time)) {
                    self.push(next, time, index, f_next);
                }
            }
        }
        self.expansions += expanded;
        None
    }

    fn push(&mut self, vertex: VertexId, time: u32, parent: u32, f: u32) {
        let index = self.nodes.len() as u32;
        self.nodes.push(Node {
            vertex,
            time,
            parent,
        });
        self.open.push(Reverse((f, Reverse(time), index)));
    }

    fn path_to(&self, mut index: u32) -> Vec<VertexId> {
        let mut path = Vec::with_capacity(self.nodes[index as usize].time as usize + 1);
        while index != NO_PARENT {
            let node = self.nodes[index as usize];
            path.push(node.vertex);
            index = node.parent;
        }
        path.reverse();
        path
    }
}

fn state_key(vertex: VertexId, time: u32) -> u64 {
    (u64::from(time) << 32) | u64::from(vertex.0)
}

/// A multiplicative hash for the `u64` state keys; std's SipHash costs more than the search
/// step it guards, and no key here comes from outside.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct StateHasher(u64);

impl Hasher for StateHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            self.write_u64(u64::from(byte));
        }
    }

    fn write_u64(&mut self, key: u64) {
        let mixed = (self.0 ^ key).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        self.0 = mixed ^ (mixed >> 29);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::instance::AgentId;

    fn v(id: u32) -> VertexId {
        VertexId(id)
    }

    /// A corridor 0 - 1 - 2 - 3 - 4 with edges both ways and a pocket 5 below vertex 2.
    fn corridor() -> Graph {
        let mut edges = Vec::new();
        for (a, b) in [(0, 1), (1, 2), (2, 3), (3, 4), (2, 5)] {
            edges.extend([(v(a), v(b)), (v(b), v(a))]);
        }
        Graph::from_edges(6, &edges).unwrap()
    }

    fn search(table: &ReservationTable, start: u32, goal: u32) -> Option<Vec<u32>> {
        let graph = corridor();
        let heuristic = DistanceTable::build(&graph, v(goal));
        let query = PathQuery {
            start: v(start),
            goal: v(goal),
            heuristic: &heuristic,
            max_cost: 50,
            expansion_limit: 10_000,
        };
        let path = SpaceTimeSearch::default().find(&graph, table, &query)?;
        Some(path.iter().map(|vertex| vertex.0).collect())
    }

    #[test]
    fn free_corridor_gives_the_shortest_path() {
        let table = ReservationTable::new(6, &[v(4), v(5)]);
        assert_eq!(search(&table, 0, 4), Some(vec![0, 1, 2, 3, 4]));
    }

    #[test]
    fn reserved_vertex_makes_the_agent_wait() {
        // agent 1 crosses vertex 2 at timestep 2 on its way down into the pocket
        let mut table = ReservationTable::new(6, &[v(4), v(5)]);
        table.reserve(AgentId(1), &[v(3), v(3), v(2), v(5)]);
        let path = search(&table, 0, 4).unwrap();
        assert_eq!(path.len(), 6, "one wait: {path:?}");
        assert_eq!(&path[path.len() - 3..], &[2, 3, 4]);
    }

    #[test]
    fn swap_with_a_reserved_agent_is_avoided() {
        // agent 1 walks 4 -> 0 along the corridor; agent 0 must duck into the pocket
        let mut table = ReservationTable::new(6, &[v(4), v(0)]);
        table.reserve(AgentId(1), &[v(4), v(3), v(2), v(1), v(0)]);
        let path = search(&table, 1, 4).unwrap();
        assert!(path.contains(&5), "{path:?}");
        for (t, pair) in path.windows(2).enumerate() {
            let other = [4, 3, 2, 1, 0, 0];
            assert!(pair[1] != other[t + 1], "vertex conflict at {}", t + 1);
            assert!(
                !(pair[0] == other[t + 1] && pair[1] == other[t]),
                "swap at {t}"
            );
        }
    }

    #[test]
    fn goal_occupied_later_delays_the_finish() {
        // agent 0 is one move from its goal 2, but agent 1 crosses 2 at timestep 5 on its way
        // into the pocket: agent 0 may settle on 2 only after that
        let mut table = ReservationTable::new(6, &[v(2), v(5)]);
        let other: Vec<VertexId> = [4, 4, 4, 4, 3, 2, 5].iter().map(|&i| v(i)).collect();
        table.reserve(AgentId(1), &other);
        let path = search(&table, 1, 2).unwrap();
        assert_eq!(path.len(), 7, "settles at timestep 6: {path:?}");
        assert_eq!((path[5], path[6]), (1, 2));
    }

    #[test]
    fn parked_agent_blocks_its_goal_forever() {
        let mut table = ReservationTable::new(6, &[v(0), v(2)]);
        table.reserve(AgentId(1), &[v(2)]);
        assert_eq!(search(&table, 0, 4), None);
    }

    #[test]
    fn cost_bound_and_expansion_limit_give_up() {
        let graph = corridor();
        let table = ReservationTable::new(6, &[v(4), v(5)]);
        let heuristic = DistanceTable::build(&graph, v(4));
        let mut query = PathQuery {
            start: v(0),
            goal: v(4),
            heuristic: &heuristic,
            max_cost: 3,
            expansion_limit: 100,
        };
        let mut search = SpaceTimeSearch::default();
        assert_eq!(search.find(&graph, &table, &query), None);
        query.max_cost = 4;
        assert!(search.find(&graph, &table, &query).is_some());
        query.expansion_limit = 1;
        assert_eq!(search.find(&graph, &table, &query), None);
    }
}

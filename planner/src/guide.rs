//! Guide paths: for each agent one shortest path to its goal, chosen so that agents share
//! vertices as little as possible, for PIBT to follow when it has a choice.
//!
//! Distance tables tell PIBT which neighbours bring an agent closer, but on open ground
//! many neighbours tie, and random tie-breaks send crowds through the same cells. A guide
//! path breaks those ties the way a traffic engineer would: among an agent's shortest paths
//! it takes the one through the vertices fewest other agents' guides use. Guides stay
//! shortest paths, so they never lengthen a plan; they only spread it (LaCAM3's "scatter"
//! follows the same idea with detours allowed; ours keeps the length fixed, which makes a
//! guide path a dynamic programme over the layers of the shortest-path DAG, cheap enough to
//! repeat a few rounds).
//!
//! Each round reroutes every agent against the usage of all the others' current guides.

use std::time::Instant;

use crate::distance::{DistanceCache, UNREACHABLE};
use crate::graph::{Graph, VertexId};

/// One guide path per agent, from its start to its goal, each a shortest path.
#[derive(Clone, Debug, Default)]
pub struct Guides {
    /// All paths back to back.
    vertices: Vec<VertexId>,
    /// Agent `i`'s path is `vertices[offsets[i]..offsets[i + 1]]`.
    offsets: Vec<usize>,
}

impl Guides {
    /// Builds guides for agents going from `starts` to `goals`, improving them for up to
    /// `rounds` rounds; stops early when the budget is spent (agents not routed by then
    /// have no guide, the others keep their latest). Every goal's table must be in
    /// `distances`. Within the work budget the guides depend on the input alone.
    ///
    /// # Panics
    /// When a goal's table is missing or a goal cannot be reached from its start.
    ///
    /// # Complexity
    /// Per round and agent, linear in the vertices and edges of its shortest-path DAG.
    pub fn build(
        graph: &Graph,
        distances: &DistanceCache,
        starts: &[VertexId],
        goals: &[VertexId],
        rounds: usize,
        budget: GuideBudget,
    ) -> Self {
        let mut scratch = Scratch::new(graph.vertex_count());
        let mut usage = vec![0_u32; graph.vertex_count()];
        // an agent without a path yet has no guide
        let mut paths: Vec<Vec<VertexId>> = vec![Vec::new(); starts.len()];
        // the first round routes against what is known so far; later ones against all
        for round in 0..rounds.max(1) {
            for agent in 0..starts.len() {
                if scratch.work >= budget.work || Instant::now() >= budget.deadline {
                    tracing::debug!(round, agent, work = scratch.work, "guides: budget spent");
                    return Self::from_paths(&paths);
                }
                if round > 0 {
                    for v in &paths[agent] {
                        usage[v.index()] -= 1;
                    }
                }
                let table = distances
                    .get(goals[agent])
                    .expect("every goal's table is built before the guides");
                let path = scratch.least_used_shortest_path(graph, table, starts[agent], &usage);
                for v in &path {
                    usage[v.index()] += 1;
                }
                paths[agent] = path;
            }
        }
        tracing::debug!(work = scratch.work, "guides: all rounds done");
        Self::from_paths(&paths)
    }

    fn from_paths(paths: &[Vec<VertexId>]) -> Self {
        let mut guides = Self::default();
        guides.offsets.push(0);
        for path in paths {
            guides.vertices.extend_from_slice(path);
            guides.offsets.push(guides.vertices.len());
        }
        guides
    }

    /// The agent's guide path, start first (empty when it has none).
    pub fn path(&self, agent: usize) -> &[VertexId] {
        &self.vertices[self.offsets[agent]..self.offsets[agent + 1]]
    }

    /// The vertex after `at` on the agent's guide, when `at` is on it; `distance` is
    /// `at`'s distance to the agent's goal (which places `at` on the path in O(1)).
    #[inline]
    pub fn next(&self, agent: usize, at: VertexId, distance: u32) -> Option<VertexId> {
        let path = self.path(agent);
        let index = path.len().checked_sub(1 + distance as usize)?;
        (path.get(index) == Some(&at))
            .then(|| path.get(index + 1).copied())
            .flatten()
    }
}

/// How much [`Guides::build`] may spend. The work budget keeps the result deterministic;
/// the deadline is a safety net for the caller's own deadline.
#[derive(Clone, Copy, Debug)]
pub struct GuideBudget {
    /// Edges scanned, over all agents and rounds.
    pub work: u64,
    /// Stop when this passes.
    pub deadline: Instant,
}

/// Buffers of the layered dynamic programme, reused across agents.
struct Scratch {
    /// Edges scanned so far.
    work: u64,
    /// Least usage summed along a shortest path from the start, per vertex reached.
    cost: Vec<u32>,
    /// The predecessor on that path.
    previous: Vec<VertexId>,
    layer: Vec<VertexId>,
    next_layer: Vec<VertexId>,
    touched: Vec<VertexId>,
}

impl Scratch {
    fn new(vertex_count: usize) -> Self {
        Self {
            work: 0,
            cost: vec![u32::MAX; vertex_count],
            previous: vec![VertexId(0); vertex_count],
            layer: Vec::new(),
            next_layer: Vec::new(),
            touched: Vec::new(),
        }
    }

    /// Among the shortest paths from `start` to the table's goal, one through the least
    /// total `usage`; ties go to the first found.
    fn least_used_shortest_path(
        &mut self,
        graph: &Graph,
        table: &crate::distance::DistanceTable,
        start: VertexId,
        usage: &[u32],
    ) -> Vec<VertexId> {
        let start_distance = table.get(start);
        assert_ne!(
            start_distance, UNREACHABLE,
            "the goal is reachable from the start"
        );
        self.layer.clear();
        self.layer.push(start);
        self.cost[start.index()] = usage[start.index()];
        self.touched.push(start);
        for distance in (0..start_distance).rev() {
            self.next_layer.clear();
            for index in 0..self.layer.len() {
                let v = self.layer[index];
                let through = self.cost[v.index()];
                let neighbours = graph.out_neighbours(v);
                self.work += neighbours.len() as u64;
                for &u in neighbours {
                    if table.get(u) != distance {
                        continue;
                    }
                    let cost = through.saturating_add(usage[u.index()]);
                    if self.cost[u.index()] == u32::MAX {
                        self.touched.push(u);
                        self.next_layer.push(u);
                    }
                    if cost < self.cost[u.index()] {
                        self.cost[u.index()] = cost;
                        self.previous[u.index()] = v;
                    }
                }
            }
            std::mem::swap(&mut self.layer, &mut self.next_layer);
        }
        // the last layer is the goal alone
        let mut path = Vec::with_capacity(start_distance as usize + 1);
        let mut at = self.layer[0];
        path.push(at);
        while at != start {
            at = self.previous[at.index()];
            path.push(at);
        }
        path.reverse();
        for v in self.touched.drain(..) {
            self.cost[v.index()] = u32::MAX;
        }
        path
    }
}

#[cfg(test)]
mod tests {
    use maps::GridMap;

    use super::*;

    #[test]
    fn two_agents_on_an_open_square_take_different_shortest_paths() {
        // both go from the top-left to the bottom-right corner of a 3x3 room
        let grid = GridMap::from_rows(&["...", "...", "..."]);
        let graph = Graph::from_grid(&grid);
        let at = |x, y| graph.vertex_at(maps::Cell { x, y }).unwrap();
        let goals = [at(2, 2), at(2, 2)];
        let mut distances = DistanceCache::new();
        distances.ensure(&graph, at(2, 2));
        let starts = [at(0, 0), at(0, 0)];
        let budget = GuideBudget {
            work: u64::MAX,
            deadline: Instant::now() + std::time::Duration::from_secs(10),
        };
        let guides = Guides::build(&graph, &distances, &starts, &goals, 3, budget);
        let (a, b) = (guides.path(0), guides.path(1));
        assert_eq!((a.len(), b.len()), (5, 5));
        let shared = a[1..4].iter().filter(|v| b[1..4].contains(v)).count();
        assert!(shared <= 1, "{a:?} {b:?}");
        assert_eq!(guides.next(0, a[1], 3), Some(a[2]));
        assert_eq!(guides.next(0, at(2, 0), 2).is_some(), a.contains(&at(2, 0)));
    }
}

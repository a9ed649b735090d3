//! Distance tables: how many moves each vertex is from a goal, and a lazy cache of them.
//!
//! A [`DistanceTable`] is a breadth-first search from one goal along in-edges, so
//! `table.get(v)` is the length of a shortest directed path from `v` to the goal with unit
//! cost per move, or [`UNREACHABLE`]. Solvers read these as exact single-agent costs-to-go.
//! A [`DistanceCache`] builds tables on first use per goal and keeps them, which suits the
//! lifelong stepper that asks for the same few goals again and again; call
//! [`DistanceCache::clear`] when the graph changes (a lane closed or reopened).

use std::time::Instant;

use crate::graph::{Graph, VertexId};

/// The distance of a vertex from which the goal cannot be reached.
pub const UNREACHABLE: u32 = u32::MAX;

/// Moves from every vertex to one goal vertex.
///
/// Stored in 16 bits a vertex when the graph has fewer than 65,535 vertices (no distance
/// can then reach the marker), else in 32: 10,000 tables of a 40,000-vertex warehouse take
/// 0.8 GB instead of 1.6.
#[derive(Clone, Debug)]
pub struct DistanceTable {
    goal: VertexId,
    distances: Storage,
}

#[derive(Clone, Debug)]
enum Storage {
    Narrow(Box<[u16]>),
    Wide(Box<[u32]>),
}

/// A distance cell type the breadth-first search can fill.
trait Distance: Copy + Eq {
    const UNREACHABLE: Self;
    fn from_u32(value: u32) -> Self;
    fn to_u32(self) -> u32;
}

impl Distance for u16 {
    const UNREACHABLE: Self = u16::MAX;
    #[inline]
    fn from_u32(value: u32) -> Self {
        value as u16
    }
    #[inline]
    fn to_u32(self) -> u32 {
        self.into()
    }
}

impl Distance for u32 {
    const UNREACHABLE: Self = UNREACHABLE;
    #[inline]
    fn from_u32(value: u32) -> Self {
        value
    }
    #[inline]
    fn to_u32(self) -> u32 {
        self
    }
}

/// Breadth-first search from `goal` over in-edges, into cells of type `D`.
fn breadth_first<D: Distance>(graph: &Graph, goal: VertexId) -> Box<[D]> {
    let mut distances = vec![D::UNREACHABLE; graph.vertex_count()].into_boxed_slice();
    // every vertex enters the queue at most once: a plain vector with a read index
    let mut queue = Vec::with_capacity(graph.vertex_count());
    distances[goal.index()] = D::from_u32(0);
    queue.push(goal);
    let mut head = 0;
    while let Some(&v) = queue.get(head) {
        head += 1;
        let next = D::from_u32(distances[v.index()].to_u32() + 1);
        for &u in graph.in_neighbours(v) {
            if distances[u.index()] == D::UNREACHABLE {
                distances[u.index()] = next;
                queue.push(u);
            }
        }
    }
    distances
}

impl DistanceTable {
    /// Runs a breadth-first search from `goal` over in-edges.
    ///
    /// # Panics
    /// When `goal` is not a vertex of `graph`.
    ///
    /// # Complexity
    /// O(V + E) time, O(V) memory.
    pub fn build(graph: &Graph, goal: VertexId) -> Self {
        let distances = if graph.vertex_count() < usize::from(u16::MAX) {
            Storage::Narrow(breadth_first(graph, goal))
        } else {
            Storage::Wide(breadth_first(graph, goal))
        };
        Self { goal, distances }
    }

    /// The goal this table measures distances to.
    pub fn goal(&self) -> VertexId {
        self.goal
    }

    /// Moves from `vertex` to the goal, or [`UNREACHABLE`].
    ///
    /// # Panics
    /// When `vertex` is not of the graph the table was built on.
    #[inline]
    pub fn get(&self, vertex: VertexId) -> u32 {
        match &self.distances {
            Storage::Narrow(cells) => match cells[vertex.index()] {
                u16::MAX => UNREACHABLE,
                distance => distance.into(),
            },
            Storage::Wide(cells) => cells[vertex.index()],
        }
    }

    /// Whether the goal can be reached from `vertex`.
    pub fn is_reachable_from(&self, vertex: VertexId) -> bool {
        self.get(vertex) != UNREACHABLE
    }

    /// Bytes held by the table.
    pub fn bytes(&self) -> usize {
        match &self.distances {
            Storage::Narrow(cells) => cells.len() * 2,
            Storage::Wide(cells) => cells.len() * 4,
        }
    }
}

/// Distance tables built lazily, one per goal vertex, kept until [`DistanceCache::clear`].
///
/// The cache remembers the vertex and edge counts of the graph it was filled from and
/// empties itself when handed a graph of another shape; a graph with the same counts but
/// different edges is not detected, so call [`DistanceCache::clear`] after any change.
#[derive(Clone, Debug, Default)]
pub struct DistanceCache {
    tables: Vec<Option<DistanceTable>>,
    shape: (usize, usize),
    built: usize,
}

impl DistanceCache {
    /// An empty cache.
    pub fn new() -> Self {
        Self::default()
    }

    /// Builds the table for `goal` unless it is cached, and returns it.
    ///
    /// # Panics
    /// When `goal` is not a vertex of `graph`.
    ///
    /// # Complexity
    /// O(V + E) on a miss, O(1) on a hit.
    pub fn table(&mut self, graph: &Graph, goal: VertexId) -> &DistanceTable {
        self.ensure(graph, goal);
        self.get(goal).expect("ensure just built this table")
    }

    /// Builds the table for `goal` unless it is cached.
    ///
    /// # Panics
    /// When `goal` is not a vertex of `graph`.
    pub fn ensure(&mut self, graph: &Graph, goal: VertexId) {
        let shape = (graph.vertex_count(), graph.edge_count());
        if shape != self.shape || self.tables.len() != graph.vertex_count() {
            self.clear();
            self.shape = shape;
            self.tables.resize(graph.vertex_count(), None);
        }
        let slot = &mut self.tables[goal.index()];
        if slot.is_none() {
            *slot = Some(DistanceTable::build(graph, goal));
            self.built += 1;
        }
    }

    /// Builds the tables of every goal in `goals` not yet cached, on up to `threads`
    /// threads; returns `false` (keeping what was built) when `deadline` passed first.
    ///
    /// # Panics
    /// When a goal is not a vertex of `graph`.
    ///
    /// # Complexity
    /// O(k (V + E) / threads) for k missing goals.
    pub fn ensure_all(
        &mut self,
        graph: &Graph,
        goals: &[VertexId],
        threads: usize,
        deadline: Option<Instant>,
    ) -> bool {
        if let Some(&first) = goals.first() {
            self.ensure(graph, first); // also resets the cache for a graph of another shape
        }
        let mut missing: Vec<VertexId> = goals
            .iter()
            .copied()
            .filter(|goal| self.get(*goal).is_none())
            .collect();
        missing.sort_unstable();
        missing.dedup();
        let is_late = || deadline.is_some_and(|deadline| Instant::now() >= deadline);
        let threads = threads.clamp(1, missing.len().max(1));
        let chunk = missing.len().div_ceil(threads).max(1);
        let built: Vec<Vec<DistanceTable>> = std::thread::scope(|scope| {
            let workers: Vec<_> = missing
                .chunks(chunk)
                .map(|goals| {
                    scope.spawn(move || {
                        let mut tables = Vec::with_capacity(goals.len());
                        for &goal in goals {
                            if is_late() {
                                break;
                            }
                            tables.push(DistanceTable::build(graph, goal));
                        }
                        tables
                    })
                })
                .collect();
            workers
                .into_iter()
                .map(|worker| worker.join().expect("a table builder does not panic"))
                .collect()
        });
        let mut count = 0;
        for table in built.into_iter().flatten() {
            let goal = table.goal;
            self.tables[goal.index()] = Some(table);
            self.built += 1;
            count += 1;
        }
        count == missing.len()
    }

    /// Bytes held by the cached tables.
    pub fn bytes(&self) -> usize {
        self.tables.iter().flatten().map(DistanceTable::bytes).sum()
    }

    /// The cached table for `goal`, if it was built.
    pub fn get(&self, goal: VertexId) -> Option<&DistanceTable> {
        self.tables.get(goal.index())?.as_ref()
    }

    /// Moves from `vertex` to `goal`, from a table that must already be cached.
    ///
    /// # Panics
    /// When the table for `goal` was not built with [`DistanceCache::ensure`]: solvers ensure
    /// every goal before they read.
    #[inline]
    pub(crate) fn distance(&self, goal: VertexId, vertex: VertexId) -> u32 {
        self.tables[goal.index()]
            .as_ref()
            .expect("goal table ensured before the step")
            .get(vertex)
    }

    /// Number of tables currently cached.
    pub fn len(&self) -> usize {
        self.built
    }

    /// Whether no table is cached.
    pub fn is_empty(&self) -> bool {
        self.built == 0
    }

    /// Keeps only the tables of the goals `keep` says yes to.
    pub fn retain(&mut self, mut keep: impl FnMut(VertexId) -> bool) {
        for (index, slot) in self.tables.iter_mut().enumerate() {
            if slot.is_some() && !keep(VertexId(index as u32)) {
                *slot = None;
                self.built -= 1;
            }
        }
    }

    /// Drops every table; the next requests rebuild them.
    pub fn clear(&mut self) {
        self.tables.clear();
        self.shape = (0, 0);
        self.built = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(id: u32) -> VertexId {
        VertexId(id)
    }

    #[test]
    fn distances_follow_edge_direction() {
        // 0 -> 1 -> 2, and 3 isolated
        let graph = Graph::from_edges(4, &[(v(0), v(1)), (v(1), v(2))]).unwrap();
        let table = DistanceTable::build(&graph, v(2));
        assert_eq!(
            [0, 1, 2, 3].map(|i| table.get(v(i))),
            [2, 1, 0, UNREACHABLE]
        );
        let back = DistanceTable::build(&graph, v(0));
        assert!(!back.is_reachable_from(v(2)));
    }

    #[test]
    fn cache_builds_each_goal_once_and_clears() {
        let graph = Graph::from_edges(2, &[(v(0), v(1)), (v(1), v(0))]).unwrap();
        let mut cache = DistanceCache::new();
        assert_eq!(cache.table(&graph, v(1)).get(v(0)), 1);
        cache.ensure(&graph, v(1));
        assert_eq!(cache.len(), 1);
        cache.clear();
        assert!(cache.is_empty() && cache.get(v(1)).is_none());
    }

    #[test]
    fn cache_empties_itself_for_a_graph_of_another_shape() {
        let small = Graph::from_edges(2, &[(v(0), v(1))]).unwrap();
        let large = Graph::from_edges(3, &[(v(0), v(1)), (v(1), v(2))]).unwrap();
        let mut cache = DistanceCache::new();
        cache.ensure(&small, v(1));
        assert_eq!(cache.table(&large, v(2)).get(v(0)), 2);
        assert_eq!(cache.len(), 1);
    }
}

//! The planning graph: vertices where an agent can stand and directed edges it can move along.
//!
//! [`Graph`] stores adjacency in compressed sparse row (CSR) form, once for out-edges and
//! once for in-edges, so that a solver walks neighbours as a contiguous slice and a distance
//! table can search backwards from a goal. Grids from MovingAI files become graphs with
//! [`Graph::from_grid`] (vertex ids follow the free cells in row-major order and the graph
//! remembers which cell each vertex is); yards become graphs with [`Graph::from_yard`]
//! (vertex `i` is waypoint `i`, one edge per lane).
//!
//! Neighbour order is deterministic: out-neighbours appear in the order the edges were given
//! (for grids: up, right, down, left), and so do in-neighbours.

use std::fmt;

use maps::{Cell, GridMap, WaypointId, Yard};

/// Index of a vertex in its [`Graph`], from 0 to [`Graph::vertex_count`], exclusive.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct VertexId(pub u32);

impl VertexId {
    /// The id as an index into per-vertex vectors.
    #[inline]
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

impl fmt::Display for VertexId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "v{}", self.0)
    }
}

impl From<WaypointId> for VertexId {
    fn from(id: WaypointId) -> Self {
        Self(id.0)
    }
}

/// Why a graph could not be built from an edge list.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum GraphError {
    /// An edge names a vertex the graph does not have.
    #[error("edge {index} ({from} -> {to}) leaves a graph of {vertex_count} vertices")]
    EdgeOutOfRange {
        /// Position of the edge in the list.
        index: usize,
        /// Its tail.
        from: VertexId,
        /// Its head.
        to: VertexId,
        /// Vertices in the graph.
        vertex_count: usize,
    },
    /// An edge from a vertex to itself (waiting is always allowed and is not an edge).
    #[error("edge {index} is a self loop at {vertex}")]
    SelfLoop {
        /// Position of the edge in the list.
        index: usize,
        /// The vertex.
        vertex: VertexId,
    },
}

/// Which cell each vertex of a grid graph is, and back.
#[derive(Clone, Debug)]
struct CellMap {
    width: u32,
    height: u32,
    cell_of_vertex: Vec<Cell>,
    /// Row-major cell index to vertex id, `u32::MAX` for blocked cells.
    vertex_of_cell: Vec<u32>,
}

/// A compact directed graph with out- and in-adjacency in CSR form.
///
/// Immutable once built. Grid graphs also map vertices to [`Cell`]s and back.
#[derive(Clone, Debug)]
pub struct Graph {
    out_offsets: Vec<u32>,
    out_targets: Vec<VertexId>,
    in_offsets: Vec<u32>,
    in_sources: Vec<VertexId>,
    cells: Option<CellMap>,
}

impl Graph {
    /// Builds a graph from `vertex_count` vertices and a list of directed edges.
    ///
    /// Duplicate edges are kept once; the first occurrence fixes the neighbour order.
    ///
    /// # Errors
    /// [`GraphError::EdgeOutOfRange`] or [`GraphError::SelfLoop`] naming the edge.
    ///
    /// # Complexity
    /// O(V + E log d) time for V vertices, E edges and largest degree d; O(V + E) memory.
    pub fn from_edges(
        vertex_count: usize,
        edges: &[(VertexId, VertexId)],
    ) -> Result<Self, GraphError> {
        for (index, &(from, to)) in edges.iter().enumerate() {
            if from.index() >= vertex_count || to.index() >= vertex_count {
                return Err(GraphError::EdgeOutOfRange {
                    index,
                    from,
                    to,
                    vertex_count,
                });
            }
            if from == to {
                return Err(GraphError::SelfLoop {
                    index,
                    vertex: from,
                });
            }
        }
        Ok(Self::from_checked_edges(vertex_count, edges))
    }

    /// Builds the 4-connected graph of a grid's free cells, with edges both ways.
    ///
    /// Vertex ids follow the free cells in row-major order; out-neighbours are in the order
    /// up, right, down, left.
    ///
    /// # Complexity
    /// O(W H) time and memory.
    pub fn from_grid(grid: &GridMap) -> Self {
        let cell_count = grid.width() as usize * grid.height() as usize;
        let mut vertex_of_cell = vec![u32::MAX; cell_count];
        let cell_of_vertex: Vec<Cell> = grid.free_cells().collect();
        for (vertex, &cell) in cell_of_vertex.iter().enumerate() {
            vertex_of_cell[grid.index(cell)] = vertex as u32;
        }

        let vertex = |cell: Cell| VertexId(vertex_of_cell[grid.index(cell)]);
        let edges: Vec<(VertexId, VertexId)> = cell_of_vertex
            .iter()
            .flat_map(|&cell| grid.neighbours(cell).map(move |next| (cell, next)))
            .map(|(cell, next)| (vertex(cell), vertex(next)))
            .collect();

        let mut graph = Self::from_checked_edges(cell_of_vertex.len(), &edges);
        graph.cells = Some(CellMap {
            width: grid.width(),
            height: grid.height(),
            cell_of_vertex,
            vertex_of_cell,
        });
        graph
    }

    /// Builds the graph of a yard: vertex `i` is waypoint `i`, one directed edge per lane.
    ///
    /// # Complexity
    /// O(V + E log d).
    pub fn from_yard(yard: &Yard) -> Self {
        let edges: Vec<(VertexId, VertexId)> = yard
            .lanes()
            .map(|(_, lane)| (lane.from.into(), lane.to.into()))
            .collect();
        Self::from_checked_edges(yard.waypoint_count(), &edges)
    }

    /// CSR construction from edges already known to be in range and loop free.
    fn from_checked_edges(vertex_count: usize, edges: &[(VertexId, VertexId)]) -> Self {
        let mut unique = Vec::with_capacity(edges.len());
        let mut seen = std::collections::HashSet::with_capacity(edges.len());
        for &edge in edges {
            if seen.insert(edge) {
                unique.push(edge);
            }
        }
        let (out_offsets, out_targets) = csr(vertex_count, unique.iter().copied());
        let (in_offsets, in_sources) = csr(vertex_count, unique.iter().map(|&(a, b)| (b, a)));
        Self {
            out_offsets,
            out_targets,
            in_offsets,
            in_sources,
            cells: None,
        }
    }

    /// Number of vertices.
    pub fn vertex_count(&self) -> usize {
        self.out_offsets.len() - 1
    }

    /// Number of directed edges.
    pub fn edge_count(&self) -> usize {
        self.out_targets.len()
    }

    /// All vertex ids in increasing order.
    pub fn vertices(&self) -> impl Iterator<Item = VertexId> + use<> {
        (0..self.vertex_count() as u32).map(VertexId)
    }

    /// Whether `vertex` belongs to this graph.
    pub fn contains(&self, vertex: VertexId) -> bool {
        vertex.index() < self.vertex_count()
    }

    /// The heads of the edges leaving `vertex`, in edge order.
    ///
    /// # Panics
    /// When `vertex` is not of this graph.
    #[inline]
    pub fn out_neighbours(&self, vertex: VertexId) -> &[VertexId] {
        let (start, end) = (
            self.out_offsets[vertex.index()],
            self.out_offsets[vertex.index() + 1],
        );
        &self.out_targets[start as usize..end as usize]
    }

    /// The tails of the edges entering `vertex`, in edge order.
    ///
    /// # Panics
    /// When `vertex` is not of this graph.
    #[inline]
    pub fn in_neighbours(&self, vertex: VertexId) -> &[VertexId] {
        let (start, end) = (
            self.in_offsets[vertex.index()],
            self.in_offsets[vertex.index() + 1],
        );
        &self.in_sources[start as usize..end as usize]
    }

    /// Whether there is an edge from `from` to `to`.
    ///
    /// # Complexity
    /// O(out-degree of `from`).
    pub fn has_edge(&self, from: VertexId, to: VertexId) -> bool {
        self.out_neighbours(from).contains(&to)
    }

    /// The largest out-degree of any vertex (0 for an empty graph).
    pub fn max_out_degree(&self) -> usize {
        self.out_offsets
            .windows(2)
            .map(|w| (w[1] - w[0]) as usize)
            .max()
            .unwrap_or(0)
    }

    /// All directed edges as `(from, to)`, grouped by tail in vertex order.
    pub fn edges(&self) -> impl Iterator<Item = (VertexId, VertexId)> + '_ {
        self.vertices()
            .flat_map(move |v| self.out_neighbours(v).iter().map(move |&u| (v, u)))
    }

    /// Whether this graph was built from a grid and knows the cell of each vertex.
    pub fn has_cells(&self) -> bool {
        self.cells.is_some()
    }

    /// Width and height of the grid this graph was built from.
    pub fn grid_size(&self) -> Option<(u32, u32)> {
        self.cells.as_ref().map(|c| (c.width, c.height))
    }

    /// The grid cell of a vertex, for graphs built from a grid.
    pub fn cell(&self, vertex: VertexId) -> Option<Cell> {
        self.cells
            .as_ref()?
            .cell_of_vertex
            .get(vertex.index())
            .copied()
    }

    /// The vertex at a grid cell; `None` for blocked or outside cells, or a non-grid graph.
    pub fn vertex_at(&self, cell: Cell) -> Option<VertexId> {
        let cells = self.cells.as_ref()?;
        if cell.x >= cells.width || cell.y >= cells.height {
            return None;
        }
        let index = cell.y as usize * cells.width as usize + cell.x as usize;
        let vertex = cells.vertex_of_cell[index];
        (vertex != u32::MAX).then_some(VertexId(vertex))
    }
}

/// Counting-sort of edges by tail into CSR offsets and heads; edge order is kept per tail.
fn csr(
    vertex_count: usize,
    edges: impl Iterator<Item = (VertexId, VertexId)> + Clone,
) -> (Vec<u32>, Vec<VertexId>) {
    let mut offsets = vec![0u32; vertex_count + 1];
    for (from, _) in edges.clone() {
        offsets[from.index() + 1] += 1;
    }
    for v in 0..vertex_count {
        offsets[v + 1] += offsets[v];
    }
    let mut fill = offsets.clone();
    let mut targets = vec![VertexId(0); offsets[vertex_count] as usize];
    for (from, to) in edges {
        targets[fill[from.index()] as usize] = to;
        fill[from.index()] += 1;
    }
    (offsets, targets)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(id: u32) -> VertexId {
        VertexId(id)
    }

    #[test]
    fn grid_graph_is_four_connected_both_ways() {
        let grid = GridMap::from_rows(&["..", ".@"]);
        let graph = Graph::from_grid(&grid);
        assert_eq!(graph.vertex_count(), 3);
        assert_eq!(graph.edge_count(), 4);
        assert_eq!(graph.out_neighbours(v(0)), &[v(1), v(2)]);
        assert_eq!(graph.in_neighbours(v(0)), &[v(1), v(2)]);
        assert_eq!(graph.cell(v(2)), Some(Cell { x: 0, y: 1 }));
        assert_eq!(graph.vertex_at(Cell { x: 1, y: 1 }), None);
        assert_eq!(graph.vertex_at(Cell { x: 5, y: 0 }), None);
    }

    #[test]
    fn grid_neighbours_come_up_right_down_left() {
        let graph = Graph::from_grid(&GridMap::from_rows(&["...", "...", "..."]));
        let centre = graph.vertex_at(Cell { x: 1, y: 1 }).unwrap();
        let cells: Vec<Cell> = graph
            .out_neighbours(centre)
            .iter()
            .map(|&u| graph.cell(u).unwrap())
            .collect();
        let expected = [(1, 0), (2, 1), (1, 2), (0, 1)].map(|(x, y)| Cell { x, y });
        assert_eq!(cells, expected);
    }

    #[test]
    fn directed_edges_have_matching_in_lists() {
        let graph = Graph::from_edges(3, &[(v(0), v(1)), (v(1), v(2)), (v(0), v(2))]).unwrap();
        assert_eq!(graph.out_neighbours(v(0)), &[v(1), v(2)]);
        assert_eq!(graph.in_neighbours(v(2)), &[v(1), v(0)]);
        assert!(graph.out_neighbours(v(2)).is_empty());
        assert!(graph.has_edge(v(0), v(1)) && !graph.has_edge(v(1), v(0)));
        assert!(!graph.has_cells());
    }

    #[test]
    fn duplicate_edges_are_kept_once() {
        let graph = Graph::from_edges(2, &[(v(0), v(1)), (v(0), v(1))]).unwrap();
        assert_eq!(graph.edge_count(), 1);
    }

    #[test]
    fn bad_edges_are_refused() {
        let out = Graph::from_edges(2, &[(v(0), v(2))]).unwrap_err();
        assert!(matches!(out, GraphError::EdgeOutOfRange { index: 0, .. }));
        let looped = Graph::from_edges(2, &[(v(0), v(1)), (v(1), v(1))]).unwrap_err();
        assert_eq!(
            looped,
            GraphError::SelfLoop {
                index: 1,
                vertex: v(1)
            }
        );
    }
}

//! Tests of the guide paths: flows on grids and on directed graphs, progress along a guide.
use std::time::Duration;

use maps::{Cell, GridMap};

use super::*;

fn at(graph: &Graph, x: u32, y: u32, heading: Heading) -> AgentState {
    AgentState {
        cell: graph.vertex_at(Cell { x, y }).unwrap(),
        heading,
    }
}

#[test]
fn opposite_flows_take_different_lanes() {
    // three open rows; agent 0 drives east along the middle row, agent 1 west along
    // the same row: its guide must leave the middle row rather than meet agent 0's
    let graph = Graph::from_grid(&GridMap::from_rows(&[
        "..........",
        "..........",
        "..........",
    ]));
    let ahead = AheadTable::of(&graph);
    let mut distances = DistanceCache::new();
    let states = [
        at(&graph, 0, 1, Heading::East),
        at(&graph, 9, 1, Heading::West),
    ];
    let goals = [Some(states[1].cell), Some(states[0].cell)];
    for goal in goals.iter().flatten() {
        distances.ensure(&graph, *goal);
    }
    let mut traffic = Traffic::default();
    let deadline = Instant::now() + Duration::from_secs(60);
    traffic.update(&graph, &ahead, &distances, &states, &goals, deadline);

    let east: Vec<u32> = traffic.guides[0]
        .cells
        .iter()
        .map(|&v| graph.cell(v).unwrap().y)
        .collect();
    assert!(
        east.iter().all(|&y| y == 1),
        "the first guide is straight: {east:?}"
    );
    let west = &traffic.guides[1].cells;
    let middle = west
        .iter()
        .filter(|&&v| {
            let cell = graph.cell(v).unwrap();
            (2..8).contains(&cell.x) && cell.y == 1
        })
        .count();
    assert_eq!(middle, 0, "the second guide stays off the first one's lane");
    assert_eq!(*west.last().unwrap(), states[0].cell);
    // its cost from the start counts the detour's turns: more than the 9 moves
    assert!(traffic.guides[1].after[0] > 9);
}

#[test]
fn an_agent_advances_along_its_guide_and_its_use_is_forgotten() {
    let graph = Graph::from_grid(&GridMap::from_rows(&["......"]));
    let ahead = AheadTable::of(&graph);
    let mut distances = DistanceCache::new();
    let start = at(&graph, 0, 0, Heading::East);
    let goal = graph.vertex_at(Cell { x: 5, y: 0 }).unwrap();
    distances.ensure(&graph, goal);
    let mut traffic = Traffic::default();
    let deadline = Instant::now() + Duration::from_secs(60);
    traffic.update(
        &graph,
        &ahead,
        &distances,
        &[start],
        &[Some(goal)],
        deadline,
    );
    assert_eq!(traffic.vertex_use.iter().sum::<u32>(), 6);
    assert_eq!(traffic.on_guide(&ahead, 0, start), Some(5));

    let moved = at(&graph, 2, 0, Heading::East);
    traffic.update(
        &graph,
        &ahead,
        &distances,
        &[moved],
        &[Some(goal)],
        deadline,
    );
    assert_eq!(traffic.guides[0].progress, 2);
    assert_eq!(traffic.vertex_use.iter().sum::<u32>(), 4);
    assert_eq!(traffic.on_guide(&ahead, 0, moved), Some(3));
    // facing back costs two quarter turns more
    let turned = at(&graph, 2, 0, Heading::West);
    assert_eq!(traffic.on_guide(&ahead, 0, turned), Some(5));

    // a new goal drops the guide and its counts before planning the next
    traffic.update(&graph, &ahead, &distances, &[moved], &[None], deadline);
    assert_eq!(traffic.vertex_use.iter().sum::<u32>(), 0);
    assert_eq!(traffic.edge_use.iter().sum::<u32>(), 0);
}

/// Two parallel lanes between `0` and `5`: `0 - 1 - 2 - 5` and `0 - 3 - 4 - 5`, each
/// edge both ways when `two_way`, else only from 0 toward 5.
fn parallel_lanes(two_way: bool) -> Graph {
    let pairs = [(0, 1), (1, 2), (2, 5), (0, 3), (3, 4), (4, 5)];
    let edges: Vec<_> = pairs
        .iter()
        .flat_map(|&(a, b)| {
            let forth = (VertexId(a), VertexId(b));
            let back = (VertexId(b), VertexId(a));
            if two_way {
                vec![forth, back]
            } else {
                vec![forth]
            }
        })
        .collect();
    Graph::from_edges(6, &edges).unwrap()
}

fn graph_guides(
    graph: &Graph,
    starts: &[VertexId],
    goals: &[Option<VertexId>],
) -> (Traffic, GraphMotion, DistanceCache) {
    let motion = GraphMotion::of(graph, GRID_WEIGHTS);
    let mut distances = DistanceCache::new();
    for goal in goals.iter().flatten() {
        distances.ensure(graph, *goal);
    }
    let mut traffic = Traffic::default();
    let deadline = Instant::now() + Duration::from_secs(60);
    traffic.update_with(graph, &motion, &distances, starts, goals, deadline);
    (traffic, motion, distances)
}

/// The inner vertices of a guide between 0 and 5.
fn inner(traffic: &Traffic, agent: usize) -> Vec<u32> {
    let cells = &traffic.guides[agent].cells;
    cells[1..cells.len() - 1].iter().map(|v| v.0).collect()
}

#[test]
fn opposite_flows_on_a_graph_take_different_lanes() {
    let graph = parallel_lanes(true);
    let (start, end) = (VertexId(0), VertexId(5));
    let (traffic, motion, _) = graph_guides(&graph, &[start, end], &[Some(end), Some(start)]);
    let (east, west) = (inner(&traffic, 0), inner(&traffic, 1));
    assert_eq!(east.len(), 2);
    assert_eq!(west.len(), 2);
    assert!(
        east.iter().all(|v| !west.contains(v)),
        "the second guide takes the other lane: {east:?} {west:?}"
    );
    // both lanes are as short: neither guide detours, and each costs 3 moves
    assert_eq!(traffic.detour(1), 0);
    assert_eq!(traffic.on_guide_with(&motion, 1, end), Some(3));
    // one guide's edges are counted once each, the reverse edges not at all
    assert_eq!(traffic.edge_use.iter().sum::<u32>(), 6);
}

#[test]
fn flows_the_same_way_spread_over_one_way_lanes() {
    // no reverse edge, so no contraflow: only the use of the waypoints spreads them
    let graph = parallel_lanes(false);
    let (start, end) = (VertexId(0), VertexId(5));
    let (traffic, _, _) = graph_guides(&graph, &[start, start], &[Some(end), Some(end)]);
    let (first, second) = (inner(&traffic, 0), inner(&traffic, 1));
    assert!(
        first.iter().all(|v| !second.contains(v)),
        "{first:?} {second:?}"
    );
}

#[test]
fn a_graph_guide_is_followed_then_replanned_off_it() {
    let graph = parallel_lanes(true);
    let (start, end) = (VertexId(0), VertexId(5));
    let (mut traffic, motion, distances) = graph_guides(&graph, &[start], &[Some(end)]);
    let lane = traffic.guides[0].cells.clone();
    assert_eq!(traffic.vertex_use.iter().sum::<u32>(), 4);
    let deadline = Instant::now() + Duration::from_secs(60);

    // one move along the guide: the vertex behind is forgotten
    traffic.update_with(
        &graph,
        &motion,
        &distances,
        &[lane[1]],
        &[Some(end)],
        deadline,
    );
    assert_eq!(traffic.guides[0].progress, 1);
    assert_eq!(traffic.vertex_use.iter().sum::<u32>(), 3);
    assert_eq!(traffic.on_guide_with(&motion, 0, lane[2]), Some(1));
    assert_eq!(traffic.on_guide_with(&motion, 0, start), None);

    // pushed back to the start: off the guide, which is replanned from there
    traffic.update_with(
        &graph,
        &motion,
        &distances,
        &[start],
        &[Some(end)],
        deadline,
    );
    assert_eq!(traffic.guides[0].progress, 0);
    assert_eq!(traffic.guides[0].cells[0], start);
    assert_eq!(traffic.vertex_use.iter().sum::<u32>(), 4);
    assert_eq!(traffic.edge_use.iter().sum::<u32>(), 3);
}

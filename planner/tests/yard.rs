//! Graphs built from yards: vertex i is waypoint i, one directed edge per lane.

use maps::yard::YardBuilder;
use maps::{AgvFootprint, WaypointKind};
use nalgebra::Point2;
use planner::{Graph, PibtStepper, StepAgent, StepOptions, VertexId};

/// A one-way loop of four lane slots, 25 m apart, plus a spur to a parking slot and back.
fn loop_yard() -> maps::Yard {
    let mut builder =
        YardBuilder::new("loop", AgvFootprint::default(), Default::default()).unwrap();
    let corners = [(0.0, 0.0), (25.0, 0.0), (25.0, 25.0), (0.0, 25.0)];
    let slots: Vec<_> = corners
        .iter()
        .enumerate()
        .map(|(i, &(x, y))| {
            let name = format!("slot-{i}");
            builder
                .add_waypoint(&name, WaypointKind::LaneSlot, Point2::new(x, y))
                .unwrap()
        })
        .collect();
    for i in 0..4 {
        builder.add_lane(slots[i], slots[(i + 1) % 4], 2.0).unwrap();
    }
    let park = builder
        .add_waypoint("park", WaypointKind::Parking, Point2::new(50.0, 0.0))
        .unwrap();
    builder.add_lane(slots[1], park, 1.0).unwrap();
    builder.add_lane(park, slots[1], 1.0).unwrap();
    builder.build()
}

#[test]
fn yard_lanes_become_directed_edges() {
    let yard = loop_yard();
    let graph = Graph::from_yard(&yard);
    assert_eq!((graph.vertex_count(), graph.edge_count()), (5, 6));
    assert!(graph.has_edge(VertexId(0), VertexId(1)) && !graph.has_edge(VertexId(1), VertexId(0)));
    assert_eq!(
        graph.out_neighbours(VertexId(1)),
        &[VertexId(2), VertexId(4)]
    );
    assert!(!graph.has_cells());
}

#[test]
fn follow_ban_stepper_drives_agvs_round_a_yard_loop() {
    let graph = Graph::from_yard(&loop_yard());
    let mut agents = vec![
        StepAgent {
            at: VertexId(0),
            goal: Some(VertexId(3)),
            movable: true,
            max_detour: None,
        },
        StepAgent {
            at: VertexId(1),
            goal: Some(VertexId(0)),
            movable: true,
            max_detour: None,
        },
    ];
    let mut stepper = PibtStepper::new(StepOptions {
        allow_follow: false,
        swap: false,
        seed: 1,
    });
    for _ in 0..12 {
        let next = stepper.step(&graph, &agents, &[]);
        for (agent, to) in agents.iter_mut().zip(next) {
            agent.at = to;
        }
    }
    assert!(agents.iter().all(|a| Some(a.at) == a.goal), "{agents:?}");
}

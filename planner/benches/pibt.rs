//! PIBT benchmarks: one lifelong step with 400 agents on random-32-32-20, and building one
//! distance table on den520d.
#![expect(
    missing_docs,
    reason = "criterion_group! generates an undocumented function"
)]

use std::hint::black_box;
use std::path::{Path, PathBuf};

use criterion::{Criterion, criterion_group, criterion_main};
use maps::{GridMap, Scenario};
use planner::{DistanceTable, Graph, PibtStepper, StepAgent, StepOptions, VertexId};

fn movingai(map: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/data/mapf/movingai")
        .join(map)
}

fn load_grid(path: &Path) -> GridMap {
    GridMap::load(path).expect("benchmark map loads")
}

/// The grid graph of a map and the first `count` agents of its random-1 scenario.
fn step_fixture(map: &str, count: usize) -> (Graph, Vec<StepAgent>) {
    let dir = movingai(map);
    let grid = load_grid(&dir.join(format!("{map}.map")));
    let scen = Scenario::load(dir.join(format!("{map}-random-1.scen"))).expect("scen loads");
    let graph = Graph::from_grid(&grid);
    let vertex = |cell| graph.vertex_at(cell).expect("scenario cells are free");
    let agents = scen.first(count, &grid).expect("enough agents");
    let agents = agents
        .iter()
        .map(|a| StepAgent {
            at: vertex(a.start),
            goal: Some(vertex(a.goal)),
            movable: true,
            max_detour: None,
        })
        .collect();
    (graph, agents)
}

fn pibt_step(c: &mut Criterion) {
    let (graph, agents) = step_fixture("random-32-32-20", 400);
    let mut stepper = PibtStepper::new(StepOptions::default());
    stepper.step(&graph, &agents, &[]); // warm the distance cache
    c.bench_function("pibt step random-32-32-20 x400", |b| {
        b.iter(|| black_box(stepper.step(&graph, black_box(&agents), &[])))
    });
}

fn distance_table(c: &mut Criterion) {
    let grid = load_grid(&movingai("den520d").join("den520d.map"));
    let graph = Graph::from_grid(&grid);
    let goal = VertexId(graph.vertex_count() as u32 / 2);
    c.bench_function("distance table den520d", |b| {
        b.iter(|| black_box(DistanceTable::build(&graph, black_box(goal))))
    });
}

criterion_group!(benches, pibt_step, distance_table);
criterion_main!(benches);

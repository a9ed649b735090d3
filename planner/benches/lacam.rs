//! LaCAM benchmarks: the first solution of random-32-32-20 with 400 agents (the whole
//! solver: distance tables, guide paths and search) and of warehouse-10-20-10-2-1 with 1000.
#![expect(
    missing_docs,
    reason = "criterion_group! generates an undocumented function"
)]

use std::hint::black_box;
use std::path::PathBuf;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use maps::{GridMap, Scenario};
use planner::{Instance, LacamOptions, lacam};

fn instance(map: &str, agents: usize) -> Instance {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/data/mapf/movingai")
        .join(map);
    let grid = GridMap::load(dir.join(format!("{map}.map"))).expect("benchmark map loads");
    let scen = Scenario::load(dir.join(format!("{map}-random-1.scen"))).expect("scen loads");
    let agents = scen.first(agents, &grid).expect("enough agents");
    Instance::from_movingai(&grid, agents).expect("benchmark instance is valid")
}

fn first_solution(c: &mut Criterion) {
    let options = LacamOptions {
        time_limit: Duration::from_secs(60),
        ..LacamOptions::default()
    };
    let mut group = c.benchmark_group("lacam first solution");
    group.sample_size(10);
    for (map, agents) in [("random-32-32-20", 400), ("warehouse-10-20-10-2-1", 1000)] {
        let instance = instance(map, agents);
        group.bench_function(format!("{map} x{agents}"), |b| {
            b.iter(|| black_box(lacam::solve(black_box(&instance), &options).expect("solved")))
        });
    }
    group.finish();
}

criterion_group!(benches, first_solution);
criterion_main!(benches);

//! Wall time of a simulated 24 h day at 1x on the Hữu Nghị yard (the default `gatefleet sim`
//! run). Target: under 60 s on the 2-core reference machine, in release.

#![expect(
    missing_docs,
    reason = "criterion's macros generate undocumented items"
)]

use criterion::{Criterion, criterion_group, criterion_main};
use sim::{SimConfig, Simulation};

fn day_at_1x(c: &mut Criterion) {
    let config = SimConfig::builtin("huu-nghi").expect("shipped yard");
    let mut group = c.benchmark_group("sim");
    group.sample_size(10);
    group.bench_function("huu_nghi_24h_1x_40_agvs", |b| {
        b.iter(|| {
            Simulation::new(config.clone())
                .expect("valid config")
                .run(|_| {})
        })
    });
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default();
    targets = day_at_1x
}
criterion_main!(benches);

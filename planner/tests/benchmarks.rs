//! MovingAI benchmark instances that PIBT must solve quickly, even in a debug build.

use std::time::Duration;

use planner::{DistanceCache, SolveOptions, soc_lower_bound};

use crate::support::{benchmark, solve_checked};

fn options(swap: bool) -> SolveOptions {
    SolveOptions {
        seed: 0,
        time_limit: Duration::from_secs(30),
        max_steps: 5_000,
        swap,
    }
}

fn report(name: &str, instance: &planner::Instance, solution: &planner::Solution) {
    let soc = solution.plan.sum_of_costs(instance.goals());
    let lower = soc_lower_bound(instance, &mut DistanceCache::new());
    let ratio = soc as f64 / lower as f64;
    let elapsed = solution.stats.elapsed;
    println!(
        "{name}: makespan {} soc {soc} lb {lower} ratio {ratio:.3} in {elapsed:?}",
        solution.plan.makespan()
    );
}

#[test]
fn random_32_32_20_with_200_agents_is_solved_with_swap() {
    let (_, instance) = benchmark("random-32-32-20", 200);
    let solution = solve_checked(&instance, &options(true));
    report("random-32-32-20 x200 swap", &instance, &solution);
}

#[test]
fn warehouse_10_20_10_2_1_with_500_agents_is_solved_with_swap() {
    let (_, instance) = benchmark("warehouse-10-20-10-2-1", 500);
    let solution = solve_checked(&instance, &options(true));
    report("warehouse-10-20-10-2-1 x500 swap", &instance, &solution);
}

/// Success, cost ratio and time of plain PIBT and PIBT with swap over eight seeds; run with
/// `cargo test -p planner --test main seed_sweep -- --ignored --nocapture`.
#[test]
#[ignore = "measurement, takes about a minute"]
fn seed_sweep() {
    for (map, agents) in [("random-32-32-20", 200), ("warehouse-10-20-10-2-1", 500)] {
        let (_, instance) = benchmark(map, agents);
        let lower = soc_lower_bound(&instance, &mut DistanceCache::new()) as f64;
        for swap in [false, true] {
            let mut line = format!("{map} x{agents} swap={swap}:");
            for seed in 0..8 {
                let options = SolveOptions {
                    seed,
                    max_steps: 2_000,
                    ..options(swap)
                };
                match planner::pibt::solve(&instance, &options) {
                    Ok(solution) => {
                        let soc = solution.plan.sum_of_costs(instance.goals()) as f64;
                        let ms = solution.stats.elapsed.as_millis();
                        line += &format!(" {:.2}/{ms}ms", soc / lower);
                    }
                    Err(err) => line += &format!(" gave-up({err})"),
                }
            }
            println!("{line}");
        }
    }
}

//! Property tests over small random grids: PIBT's plans always pass the checker, and when
//! PIBT fails it says it gave up, never that no plan exists.

use std::time::Duration;

use maps::{Cell, GridMap};
use planner::{Instance, SolveOptions, VertexId, check, pibt};
use proptest::test_runner::{Config, RngSeed};
use proptest::{prop_assert, proptest};
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// A grid of at most 8 x 8 with about a fifth of the cells blocked, and up to 6 agents on
/// distinct free starts and distinct free goals; `None` when the grid is too crowded.
pub fn random_instance(seed: u64) -> Option<Instance> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let (width, height) = (rng.random_range(2..=8), rng.random_range(1..=8));
    let rows: Vec<String> = (0..height)
        .map(|_| {
            (0..width)
                .map(|_| if rng.random_bool(0.2) { '@' } else { '.' })
                .collect()
        })
        .collect();
    let rows: Vec<&str> = rows.iter().map(String::as_str).collect();
    let grid = GridMap::from_rows(&rows);

    let mut free: Vec<Cell> = grid.free_cells().collect();
    let agents = rng.random_range(1..=6).min(free.len());
    free.shuffle(&mut rng);
    let starts = free[..agents].to_vec();
    free.shuffle(&mut rng);
    let goals = free[..agents].to_vec();

    let graph = planner::Graph::from_grid(&grid);
    let vertex = |cell: Cell| graph.vertex_at(cell).expect("free cell");
    let starts: Vec<VertexId> = starts.into_iter().map(vertex).collect();
    let goals: Vec<VertexId> = goals.into_iter().map(vertex).collect();
    // an unreachable goal makes an invalid instance, which is not what is tested here
    Instance::new(graph, starts, goals).ok()
}

fn config() -> Config {
    Config {
        cases: 64,
        rng_seed: RngSeed::Fixed(0x6a7e_f1ee),
        failure_persistence: None,
        ..Config::default()
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn every_pibt_plan_passes_the_checker(seed in 0u64..u64::MAX, swap in proptest::bool::ANY) {
        if let Some(instance) = random_instance(seed) {
            let options = SolveOptions {
                seed,
                time_limit: Duration::from_secs(5),
                max_steps: 300,
                swap,
            };
            match pibt::solve(&instance, &options) {
                Ok(solution) => {
                    let verdict = check(&instance, &solution.plan);
                    prop_assert!(verdict.is_ok(), "{verdict:?}");
                    let steps = solution.plan.steps();
                    prop_assert!(steps.last().map(Vec::as_slice) == Some(instance.goals()));
                }
                Err(err) => prop_assert!(err.is_give_up(), "PIBT claimed a proof: {err}"),
            }
        }
    }
}

//! Helpers shared by the integration tests.

use std::path::{Path, PathBuf};

use maps::{GridMap, Scenario};
use planner::{Instance, Solution, SolveOptions, check, pibt};

/// The MovingAI benchmark folder of the shared data.
pub fn movingai_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/data/mapf/movingai")
}

/// A test fixture file under `tests/assets`.
pub fn asset(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/assets")
        .join(name)
}

/// Loads a MovingAI `.map`.
pub fn load_grid(path: &Path) -> GridMap {
    GridMap::load(path).expect("map loads")
}

/// The grid and the first `agents` agents of `<map>-random-1.scen`.
pub fn benchmark(map: &str, agents: usize) -> (GridMap, Instance) {
    let dir = movingai_dir().join(map);
    let grid = load_grid(&dir.join(format!("{map}.map")));
    let scen = Scenario::load(dir.join(format!("{map}-random-1.scen"))).expect("scen loads");
    let first = scen.first(agents, &grid).expect("enough valid agents");
    let instance = Instance::from_movingai(&grid, first).expect("benchmark instance is valid");
    (grid, instance)
}

/// A grid fixture and its scenario from `tests/assets/<name>.map` and `.scen`.
pub fn fixture(name: &str) -> Instance {
    let grid = load_grid(&asset(&format!("{name}.map")));
    let scen = Scenario::load(asset(&format!("{name}.scen"))).expect("fixture scen loads");
    let agents = scen
        .first(scen.agents.len(), &grid)
        .expect("fixture agents are valid");
    Instance::from_movingai(&grid, agents).expect("fixture instance is valid")
}

/// Solves with PIBT and asserts the plan passes the checker.
pub fn solve_checked(instance: &Instance, options: &SolveOptions) -> Solution {
    let solution = pibt::solve(instance, options).expect("pibt solves the instance");
    check(instance, &solution.plan).expect("the plan passes the checker");
    solution
}

//! The lifelong steppers (plain PIBT and the guided one of `planner::lifelong`): small
//! scenarios, and the invariants of one step on random inputs, checked by a validator of
//! this file that shares no code with the planner.

use std::collections::{HashMap, HashSet, VecDeque};

use maps::GridMap;
use planner::lifelong::{GuidedStepOptions, GuidedStepper};
use planner::{Graph, PibtStepper, StepAgent, StepOptions, VertexId};
use proptest::test_runner::{Config, RngSeed};
use proptest::{prop_assert, prop_assert_eq, proptest};
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

fn v(id: u32) -> VertexId {
    VertexId(id)
}

fn moving(at: u32, goal: u32) -> StepAgent {
    StepAgent {
        at: v(at),
        goal: Some(v(goal)),
        movable: true,
        max_detour: None,
    }
}

/// A one-way lane 0 -> 1 -> ... -> n-1.
fn one_way_lane(n: u32) -> Graph {
    let edges: Vec<_> = (0..n - 1).map(|i| (v(i), v(i + 1))).collect();
    Graph::from_edges(n as usize, &edges).unwrap()
}

fn follow_ban() -> StepOptions {
    StepOptions {
        allow_follow: false,
        swap: false,
        seed: 3,
    }
}

/// Asserts what every step result must satisfy; returns the first broken rule as text.
fn step_violation(
    graph: &Graph,
    agents: &[StepAgent],
    blocked: &[VertexId],
    next: &[VertexId],
    allow_follow: bool,
) -> Option<String> {
    if next.len() != agents.len() {
        return Some(format!(
            "{} results for {} agents",
            next.len(),
            agents.len()
        ));
    }
    let edges: HashSet<(VertexId, VertexId)> = graph.edges().collect();
    let occupied_now: HashMap<VertexId, usize> =
        agents.iter().enumerate().map(|(i, a)| (a.at, i)).collect();
    let mut taken = HashSet::new();
    for (i, (agent, &to)) in agents.iter().zip(next).enumerate() {
        let moved = to != agent.at;
        if moved && !edges.contains(&(agent.at, to)) {
            return Some(format!("agent {i} jumps {} -> {to}", agent.at));
        }
        if moved && !agent.movable {
            return Some(format!("non-movable agent {i} moved"));
        }
        if moved && blocked.contains(&to) {
            return Some(format!("agent {i} entered blocked {to}"));
        }
        if !taken.insert(to) {
            return Some(format!("two agents end on {to}"));
        }
        match occupied_now.get(&to) {
            Some(&j) if moved && !allow_follow => {
                return Some(format!(
                    "agent {i} entered {to}, held by agent {j} at call time"
                ));
            }
            Some(&j) if moved && next[j] == agent.at => {
                return Some(format!("agents {i} and {j} swap"));
            }
            _ => {}
        }
    }
    None
}

#[test]
fn follow_ban_moves_only_the_head_of_a_queue() {
    let graph = one_way_lane(5);
    let agents = [moving(0, 4), moving(1, 4), moving(2, 4)];
    let next = PibtStepper::new(follow_ban()).step(&graph, &agents, &[]);
    assert_eq!(next, vec![v(0), v(1), v(3)]);
}

#[test]
fn following_lets_the_whole_queue_advance() {
    let graph = one_way_lane(5);
    let agents = [moving(0, 4), moving(1, 4), moving(2, 4)];
    let options = StepOptions {
        allow_follow: true,
        swap: false,
        seed: 3,
    };
    let next = PibtStepper::new(options).step(&graph, &agents, &[]);
    assert_eq!(next, vec![v(1), v(2), v(3)]);
}

#[test]
fn pushed_idle_agent_makes_way_while_the_pusher_waits() {
    // a corridor 0 - 1 - 2 with a side pocket 3 off vertex 1; the idle agent sits on 1
    let pairs = [(0, 1), (1, 0), (1, 2), (2, 1), (1, 3), (3, 1)];
    let edges: Vec<_> = pairs.iter().map(|&(a, b)| (v(a), v(b))).collect();
    let graph = Graph::from_edges(4, &edges).unwrap();
    let idle = StepAgent {
        at: v(1),
        goal: None,
        movable: true,
        max_detour: None,
    };
    let next = PibtStepper::new(follow_ban()).step(&graph, &[moving(0, 2), idle], &[]);
    assert_eq!(next[0], v(0), "the pusher waits: vertex 1 is not empty yet");
    assert_ne!(next[1], v(1), "the idle agent was pushed away");
}

#[test]
fn non_movable_agent_stays_and_is_not_entered() {
    let graph = one_way_lane(3);
    let parked = StepAgent {
        at: v(1),
        goal: Some(v(2)),
        movable: false,
        max_detour: None,
    };
    let options = StepOptions {
        allow_follow: true,
        swap: true,
        seed: 0,
    };
    let next = PibtStepper::new(options).step(&graph, &[moving(0, 2), parked], &[]);
    assert_eq!(next, vec![v(0), v(1)]);
}

#[test]
fn blocked_vertex_is_not_entered() {
    let graph = one_way_lane(3);
    for allow_follow in [true, false] {
        let options = StepOptions {
            allow_follow,
            swap: false,
            seed: 0,
        };
        let next = PibtStepper::new(options).step(&graph, &[moving(0, 2)], &[v(1)]);
        assert_eq!(next, vec![v(0)]);
    }
}

/// Moves `agents` for `steps` follow-ban steps planned by `step`, checking each; asserts
/// that every agent ends at its goal.
fn drive_to_goals(
    graph: &Graph,
    mut agents: Vec<StepAgent>,
    steps: usize,
    mut step: impl FnMut(&Graph, &[StepAgent]) -> Vec<VertexId>,
) {
    for _ in 0..steps {
        let next = step(graph, &agents);
        assert_eq!(step_violation(graph, &agents, &[], &next, false), None);
        for (agent, to) in agents.iter_mut().zip(next) {
            agent.at = to;
        }
    }
    assert!(agents.iter().all(|a| Some(a.at) == a.goal), "{agents:?}");
}

#[test]
fn lifelong_steps_bring_agents_around_a_one_way_ring() {
    // a ring 0 -> 1 -> ... -> 7 -> 0, three agents each heading four vertices ahead
    let edges: Vec<_> = (0..8).map(|i| (v(i), v((i + 1) % 8))).collect();
    let graph = Graph::from_edges(8, &edges).unwrap();
    let agents = vec![moving(0, 4), moving(2, 6), moving(4, 0)];
    let mut plain = PibtStepper::new(follow_ban());
    drive_to_goals(&graph, agents.clone(), 20, |g, a| plain.step(g, a, &[]));
    let mut guided = guided(1);
    drive_to_goals(&graph, agents, 20, |g, a| guided.step(g, a, &[]));
}

/// A random small graph: a grid of up to 6 x 6, where some edges are made one-way.
fn random_graph(rng: &mut ChaCha8Rng) -> Graph {
    let (width, height) = (rng.random_range(2..=6), rng.random_range(2..=6));
    let rows: Vec<String> = (0..height)
        .map(|_| {
            (0..width)
                .map(|_| if rng.random_bool(0.15) { '@' } else { '.' })
                .collect()
        })
        .collect();
    let rows: Vec<&str> = rows.iter().map(String::as_str).collect();
    let grid = Graph::from_grid(&GridMap::from_rows(&rows));
    let edges: Vec<_> = grid.edges().filter(|_| rng.random_bool(0.8)).collect();
    Graph::from_edges(grid.vertex_count(), &edges).unwrap()
}

/// Agents on distinct random vertices with random goals, idleness, movability and detour
/// caps, plus a few blocked vertices.
fn random_occupancy(rng: &mut ChaCha8Rng, graph: &Graph) -> (Vec<StepAgent>, Vec<VertexId>) {
    let mut vertices: Vec<VertexId> = graph.vertices().collect();
    vertices.shuffle(rng);
    let count = rng.random_range(0..=vertices.len());
    let agents = vertices[..count]
        .iter()
        .map(|&at| StepAgent {
            at,
            goal: rng
                .random_bool(0.8)
                .then(|| vertices[rng.random_range(0..vertices.len())]),
            movable: rng.random_bool(0.9),
            max_detour: rng.random_bool(0.5).then(|| rng.random_range(0..3)),
        })
        .collect();
    let blocked = vertices
        .iter()
        .copied()
        .filter(|_| rng.random_bool(0.1))
        .collect();
    (agents, blocked)
}

fn config() -> Config {
    Config {
        cases: 64,
        rng_seed: RngSeed::Fixed(0x5e9),
        failure_persistence: None,
        ..Config::default()
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn follow_ban_steps_keep_their_invariants(seed in 0u64..u64::MAX) {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let graph = random_graph(&mut rng);
        let (mut agents, blocked) = random_occupancy(&mut rng, &graph);
        let mut stepper = PibtStepper::new(StepOptions { seed, ..follow_ban() });
        for _ in 0..5 {
            let next = stepper.step(&graph, &agents, &blocked);
            prop_assert_eq!(step_violation(&graph, &agents, &blocked, &next, false), None);
            for (agent, to) in agents.iter_mut().zip(next) {
                agent.at = to;
            }
        }
    }

    #[test]
    fn following_steps_keep_their_invariants(seed in 0u64..u64::MAX, swap in proptest::bool::ANY) {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let graph = random_graph(&mut rng);
        let (mut agents, blocked) = random_occupancy(&mut rng, &graph);
        let mut stepper = PibtStepper::new(StepOptions { allow_follow: true, swap, seed });
        for _ in 0..5 {
            let next = stepper.step(&graph, &agents, &blocked);
            let violation = step_violation(&graph, &agents, &blocked, &next, true);
            prop_assert!(violation.is_none(), "{:?}", violation);
            for (agent, to) in agents.iter_mut().zip(next) {
                agent.at = to;
            }
        }
    }
}

#[test]
fn detour_cap_keeps_a_pushed_agent_from_looping_away_from_its_spur() {
    // a one-way loop 0 -> 1 -> 2 -> 3 -> 0 with a spur 1 -> 4 -> 2; the agent at 1 wants 4,
    // where a parked agent stands, and an agent at 0 wants to pass through 1: pushed on to 2,
    // the first would face a whole loop to come back
    let edges = [(0, 1), (1, 2), (2, 3), (3, 0), (1, 4), (4, 2)].map(|(a, b)| (v(a), v(b)));
    let graph = Graph::from_edges(5, &edges).unwrap();
    let parked = StepAgent {
        at: v(4),
        goal: Some(v(4)),
        movable: false,
        max_detour: None,
    };
    let looped = |max_detour| {
        let agents = [
            StepAgent {
                max_detour,
                ..moving(1, 4)
            },
            moving(0, 3),
            parked,
        ];
        (0..16)
            .filter(|&seed| {
                let options = StepOptions {
                    seed,
                    ..follow_ban()
                };
                let next = PibtStepper::new(options).step(&graph, &agents, &[]);
                assert!(step_violation(&graph, &agents, &[], &next, false).is_none());
                next[0] == v(2)
            })
            .count()
    };
    assert_eq!(looped(Some(2)), 0);
    assert!(
        looped(None) > 0,
        "without the cap some priority order pushes it on"
    );
}

/// Moves from every vertex to `goal` (`None` where it cannot be reached), by a breadth-first
/// search of this file's own over the graph's edges.
fn hops_to(graph: &Graph, goal: VertexId) -> Vec<Option<u32>> {
    let mut into: HashMap<VertexId, Vec<VertexId>> = HashMap::new();
    for (from, to) in graph.edges() {
        into.entry(to).or_default().push(from);
    }
    let mut hops = vec![None; graph.vertex_count()];
    hops[goal.index()] = Some(0);
    let mut queue = VecDeque::from([goal]);
    while let Some(at) = queue.pop_front() {
        let next = hops[at.index()].map(|h| h + 1);
        for &from in into.get(&at).into_iter().flatten() {
            if hops[from.index()].is_none() {
                hops[from.index()] = next;
                queue.push_back(from);
            }
        }
    }
    hops
}

/// The first agent sent further from its goal than its detour cap allows.
fn detour_violation(graph: &Graph, agents: &[StepAgent], next: &[VertexId]) -> Option<String> {
    for (i, (agent, &to)) in agents.iter().zip(next).enumerate() {
        let (Some(goal), Some(cap)) = (agent.goal, agent.max_detour) else {
            continue;
        };
        let hops = hops_to(graph, goal);
        let far = |v: VertexId| hops[v.index()].unwrap_or(u32::MAX);
        if far(to) > far(agent.at).saturating_add(cap) {
            return Some(format!(
                "agent {i} sent {} -> {to}, past its cap {cap}",
                agent.at
            ));
        }
    }
    None
}

fn guided(seed: u64) -> GuidedStepper {
    GuidedStepper::new(GuidedStepOptions {
        seed,
        ..GuidedStepOptions::default()
    })
}

#[test]
fn guided_follow_ban_moves_only_the_head_of_a_queue() {
    let graph = one_way_lane(5);
    let agents = [moving(0, 4), moving(1, 4), moving(2, 4)];
    let next = guided(3).step(&graph, &agents, &[]);
    assert_eq!(next, vec![v(0), v(1), v(3)]);
}

#[test]
fn guided_stepper_respects_blocked_and_non_movable_agents() {
    let graph = one_way_lane(4);
    let parked = StepAgent {
        movable: false,
        ..moving(2, 3)
    };
    let agents = [moving(0, 3), parked];
    let next = guided(0).step(&graph, &agents, &[v(1)]);
    assert_eq!(next, vec![v(0), v(2)]);
    let next = guided(0).step(&graph, &agents, &[]);
    assert_eq!(next, vec![v(1), v(2)]);
}

#[test]
fn guided_agents_pass_each_other_on_two_lanes() {
    // two two-way lanes between 0 and 5 (0 - 1 - 2 - 5 and 0 - 3 - 4 - 5), four agents
    // crossing from each end: the guides send opposite flows down different lanes, so
    // nobody meets head on, and all arrive
    let pairs = [
        (0, 1),
        (1, 2),
        (2, 5),
        (0, 3),
        (3, 4),
        (4, 5),
        (5, 6),
        (0, 7),
    ];
    let edges: Vec<_> = pairs
        .iter()
        .flat_map(|&(a, b)| [(v(a), v(b)), (v(b), v(a))])
        .collect();
    let graph = Graph::from_edges(8, &edges).unwrap();
    let agents = vec![moving(0, 6), moving(7, 5), moving(5, 7), moving(6, 0)];
    let mut stepper = guided(2);
    drive_to_goals(&graph, agents, 16, |g, a| stepper.step(g, a, &[]));
}

#[test]
fn without_weights_the_guided_stepper_is_the_plain_one() {
    let edges: Vec<_> = (0..8).map(|i| (v(i), v((i + 1) % 8))).collect();
    let graph = Graph::from_edges(8, &edges).unwrap();
    let agents = [moving(0, 4), moving(1, 4), moving(3, 0), moving(5, 1)];
    let mut unguided = GuidedStepper::new(GuidedStepOptions {
        seed: 4,
        weights: None,
    });
    let mut plain = PibtStepper::new(StepOptions {
        seed: 4,
        ..follow_ban()
    });
    assert_eq!(
        unguided.step(&graph, &agents, &[]),
        plain.step(&graph, &agents, &[])
    );
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn guided_steps_keep_their_invariants(seed in 0u64..u64::MAX) {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let graph = random_graph(&mut rng);
        let (mut agents, blocked) = random_occupancy(&mut rng, &graph);
        let mut stepper = guided(seed);
        for _ in 0..12 {
            let next = stepper.step(&graph, &agents, &blocked);
            prop_assert_eq!(step_violation(&graph, &agents, &blocked, &next, false), None);
            prop_assert_eq!(detour_violation(&graph, &agents, &next), None);
            for (agent, to) in agents.iter_mut().zip(next) {
                agent.at = to;
            }
            // now and then an agent gets a new goal, so guides are dropped and replanned
            if let Some(agent) = agents.get_mut(rng.random_range(0..=graph.vertex_count())) {
                agent.goal = Some(VertexId(rng.random_range(0..graph.vertex_count() as u32)));
            }
        }
    }
}

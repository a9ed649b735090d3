//! Lifelong planning: agents that get their next task as soon as they finish one, planned a
//! step at a time under a hard time budget (the League of Robot Runners setting, and the
//! border lane's container traffic).
//!
//! [`LifelongPlanner`] plays the LoRR [`Entry`]. Each step, within the step's deadline:
//! 1. **assignment** ([`assign`], up to 30 % of the budget): free agents, and a few agents
//!    still on their way to a first errand, get open tasks by a min-cost assignment on the
//!    time each would be busy (Kuhn-Munkres, or the cheapest pairs first when thousands are
//!    free at once), or greedily as a baseline;
//! 2. **distance tables** for every agent's next errand (up to 40 %): built on all cores,
//!    kept while they fit the table budget; an agent whose table is not built yet is
//!    guided by Manhattan distance;
//! 3. **guidance** (module `traffic`, up to [`LifelongOptions::guide_share`]): each agent
//!    with a new goal, or pushed off its guide, gets a guide path planned by A* over
//!    (cell, heading) with costs that rise with the other guides' use of a cell and,
//!    steeply, of the opposite edge, so that opposite flows separate;
//! 4. **one step of PIBT** over cells (module `turning`) with a cost-to-go that counts
//!    quarter turns (module `heuristic`), turned into LoRR actions: forward for agents
//!    facing their next cell, a turn toward it otherwise;
//! 5. **the window** (module `window`, until [`LifelongOptions::window_share`] of the
//!    budget, on maps that are not crowded): PIBT rolled forward a few steps, improved by
//!    LNS with space-time A* over (cell, heading, step) on both cores; its first step is
//!    played.
//!
//! Measured switches (2024 main round, seed 0, 2-core machine): guidance lifts RANDOM-03
//! from 508 to 1,118 tasks and WAREHOUSE's first 300 steps from 2,309 to 3,055; trading
//! tasks not yet started lifts RANDOM-01 from 521 to 582 and RANDOM-03 to 1,271.

pub mod assign;
mod heuristic;
mod traffic;
mod turning;
mod window;
mod yard;

use std::time::Instant;

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::distance::DistanceCache;
use crate::graph::VertexId;
use crate::lorr::{Entry, StepInput, StepOutput, TaskId};

pub use self::assign::Assigner;
use self::assign::{CandidateSearch, TaskOffer};
use self::heuristic::AheadTable;
use self::heuristic::{FAR, GoalHeuristic};
use self::traffic::Traffic;
pub use self::traffic::TrafficWeights;
use self::turning::{TurnView, TurningPibt};
use self::window::{Window, WindowInput, WindowOptions};
pub use self::yard::{GuidedStepOptions, GuidedStepper};

/// Maps of at most this many cells get the distance tables of every open task's errands,
/// for exact task lengths in the assignment (a 32x32 map's take 1.6 kB each); larger maps
/// estimate lengths by Manhattan distance.
const SMALL_MAP: usize = 16_384;

/// Agents whose task is not under way that may trade it for another, per step (on
/// RANDOM-03, 16 finished 1,270 tasks, none 1,120 and 256 890: trading many at once
/// outgrows Kuhn-Munkres and churns the guides).
const REASSIGN: usize = 16;

/// Agents per free cell above which the window is not planned: on random-32-32-20 it
/// lifted the first 300 steps of RANDOM-02 (24 % of cells occupied) from 488 to 566 tasks
/// and RANDOM-03 (49 %) from 485 to 655, but cut RANDOM-04 (85 %) from 177 to 161 and
/// RANDOM-05 (98 %) from 142 to 72: when nearly every cell is taken, improving the sum of
/// costs undoes PIBT's priorities, which are what keeps a packed crowd moving.
const WINDOW_MAX_DENSITY: f64 = 0.65;

/// Most agents a window is planned for. Beyond the random maps it is not measured well yet:
/// over CITY-02's first 200 steps it lifted 416 tasks to 470, and over WAREHOUSE's first
/// 300 (at a 30 % share) 3,234 to 3,308, but whole city runs made while other builds shared
/// the two cores overran the limit in 6 % of steps and finished fewer tasks than without it.
const WINDOW_MAX_AGENTS: usize = 1_000;

/// Settings of a [`LifelongPlanner`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LifelongOptions {
    /// Seed of the tie-breaking.
    pub seed: u64,
    /// How free agents get tasks.
    pub assigner: Assigner,
    /// Most bytes of distance tables kept at once.
    pub table_budget: usize,
    /// Traffic-aware guide paths for PIBT to follow (module `traffic`);
    /// off: shortest distances alone.
    pub guidance: bool,
    /// Percent of a step's time limit the guide paths may use; agents not replanned in it
    /// keep their old guide, or go without one, for the step.
    pub guide_share: u8,
    /// Steps of the window improved by LNS after PIBT's step (module `window`); 0 or 1:
    /// PIBT's step is played as is.
    pub window: usize,
    /// Percent of a step's time limit after which the window's search stops.
    pub window_share: u8,
    /// Caps the window's search at this many iterations per thread, for runs that repeat
    /// exactly (with `threads: 1`); `None`: until the window's deadline.
    pub window_iterations: Option<u64>,
    /// Threads of the window's search.
    pub threads: usize,
}

impl Default for LifelongOptions {
    /// Seed 0, optimal assignment, 2 GiB of tables, guidance with a quarter of each step,
    /// a window of 6 steps improved until half the step, on every core.
    fn default() -> Self {
        Self {
            seed: 0,
            assigner: Assigner::Optimal,
            table_budget: 2 << 30,
            guidance: true,
            guide_share: 25,
            window: 6,
            window_share: 50,
            window_iterations: None,
            threads: std::thread::available_parallelism().map_or(1, usize::from),
        }
    }
}

/// The lifelong planner (see the module docs).
#[derive(Debug)]
pub struct LifelongPlanner {
    options: LifelongOptions,
    distances: DistanceCache,
    rng: ChaCha8Rng,
    /// PIBT priorities: steps since the agent last reached a goal, plus a random fraction.
    priorities: Vec<f64>,
    pibt: TurningPibt,
    search: CandidateSearch,
    /// Where the next round of task trading starts among the agents that may trade.
    reassign_turn: usize,
    traffic: Traffic,
    ahead: AheadTable,
    window: Option<Window>,
}

impl LifelongPlanner {
    /// A planner with empty caches.
    pub fn new(options: LifelongOptions) -> Self {
        let rng = ChaCha8Rng::seed_from_u64(options.seed);
        let window = (options.window >= 2).then(|| {
            Window::new(WindowOptions {
                horizon: options.window,
                threads: options.threads.max(1),
                max_iterations: options.window_iterations,
            })
        });
        Self {
            window,
            options,
            distances: DistanceCache::new(),
            rng,
            priorities: Vec::new(),
            pibt: TurningPibt::default(),
            search: CandidateSearch::default(),
            reassign_turn: 0,
            traffic: Traffic::default(),
            ahead: AheadTable::default(),
        }
    }

    /// Builds the tables of `goals` not cached yet, until `deadline` (agents whose table is
    /// missing go by Manhattan distance meanwhile). Over the table budget, it first drops
    /// every table but those of `goals`.
    fn ensure_tables(
        &mut self,
        graph: &crate::graph::Graph,
        goals: &[VertexId],
        deadline: Option<Instant>,
    ) {
        if self.distances.bytes() > self.options.table_budget {
            let mut wanted = vec![false; graph.vertex_count()];
            for goal in goals {
                wanted[goal.index()] = true;
            }
            self.distances.retain(|goal| wanted[goal.index()]);
            tracing::debug!(
                tables = self.distances.len(),
                "lifelong: distance tables over budget, kept the current goals'"
            );
        }
        let threads = std::thread::available_parallelism().map_or(1, usize::from);
        self.distances.ensure_all(graph, goals, threads, deadline);
    }

    /// Gives free agents tasks; returns the schedule and each agent's task index in
    /// `input.tasks`.
    fn schedule(
        &mut self,
        input: &StepInput<'_>,
        deadline: Instant,
    ) -> (Vec<Option<TaskId>>, Vec<Option<usize>>) {
        let n = input.states.len();
        let mut schedule = vec![None; n];
        let mut task_of = vec![None; n];
        for (index, task) in input.tasks.iter().enumerate() {
            if let Some(agent) = task.agent
                && let Some(slot) = schedule.get_mut(agent as usize)
            {
                *slot = Some(task.id);
                task_of[agent as usize] = Some(index);
            }
        }
        if !input.schedules {
            return (schedule, task_of);
        }
        let mut free: Vec<usize> = (0..n).filter(|&a| schedule[a].is_none()).collect();
        // agents on their way to a first errand may trade their task for a better one: up
        // to REASSIGN of them a step, in turns, give theirs back to the pool
        let unstarted: Vec<usize> = (0..n)
            .filter(|&a| task_of[a].is_some_and(|t| input.tasks[t].done == 0))
            .collect();
        let mut held = vec![None; input.tasks.len()];
        if !unstarted.is_empty() {
            let start = self.reassign_turn % unstarted.len();
            self.reassign_turn = self.reassign_turn.wrapping_add(REASSIGN);
            for k in 0..REASSIGN.min(unstarted.len()) {
                let agent = unstarted[(start + k) % unstarted.len()];
                if let Some(task) = task_of[agent].take() {
                    held[task] = Some(free.len());
                    schedule[agent] = None;
                    free.push(agent);
                }
            }
        }
        let open: Vec<usize> = (0..input.tasks.len())
            .filter(|&t| {
                (input.tasks[t].agent.is_none() || held[t].is_some())
                    && input.tasks[t].done < input.tasks[t].errands.len()
            })
            .collect();
        if free.is_empty() || open.is_empty() {
            return (schedule, task_of);
        }
        if input.graph.vertex_count() <= SMALL_MAP {
            let errands: Vec<VertexId> = open
                .iter()
                .flat_map(|&t| input.tasks[t].errands.iter().copied())
                .collect();
            self.ensure_tables(input.graph, &errands, None);
        }
        let distances = &self.distances;
        let length = |from: VertexId, to: VertexId| match distances.get(to) {
            Some(table) => table.get(from).min(FAR),
            None => assign::manhattan(input.graph, from, to),
        };
        let offers: Vec<TaskOffer> = open
            .iter()
            .map(|&t| {
                let task = &input.tasks[t];
                let rest = &task.errands[task.done..];
                let length = rest.windows(2).map(|pair| length(pair[0], pair[1])).sum();
                TaskOffer {
                    index: t,
                    first: rest[0],
                    length,
                    held_by: held[t],
                }
            })
            .collect();
        let agents: Vec<VertexId> = free.iter().map(|&a| input.states[a].cell).collect();
        let chosen = assign::assign(
            self.options.assigner,
            &mut self.search,
            input.graph,
            &agents,
            &offers,
            deadline,
        );
        for (&agent, offer) in free.iter().zip(chosen) {
            if let Some(offer) = offer {
                let task = offers[offer].index;
                schedule[agent] = Some(input.tasks[task].id);
                task_of[agent] = Some(task);
            }
        }
        (schedule, task_of)
    }
}

impl Entry for LifelongPlanner {
    fn step(&mut self, input: &StepInput<'_>, deadline: Instant) -> StepOutput {
        let started = Instant::now();
        let n = input.states.len();
        let budget = deadline.saturating_duration_since(started);
        // the assignment may take the step up to 30 % of its budget
        let (schedule, task_of) = self.schedule(input, started + budget * 3 / 10);
        let scheduled = started.elapsed();

        let goals: Vec<Option<VertexId>> = task_of
            .iter()
            .map(|task| {
                let task = &input.tasks[(*task)?];
                task.errands.get(task.done).copied()
            })
            .collect();
        let needed: Vec<VertexId> = goals.iter().flatten().copied().collect();
        // tables may take the step up to 40 % of its budget
        self.ensure_tables(input.graph, &needed, Some(started + budget * 2 / 5));
        let tabled = started.elapsed();

        // priorities: agents away from their goal gain, the others fall back
        while self.priorities.len() < n {
            let fraction = self.rng.random::<f64>();
            self.priorities.push(fraction);
        }
        for (agent, priority) in self.priorities.iter_mut().enumerate() {
            match goals[agent] {
                Some(goal) if goal != input.states[agent].cell => *priority += 1.0,
                _ => *priority = priority.fract(),
            }
        }
        let mut order: Vec<u32> = (0..n as u32).collect();
        order.sort_unstable_by(|&a, &b| {
            self.priorities[b as usize]
                .total_cmp(&self.priorities[a as usize])
                .then(a.cmp(&b))
        });

        if !self.ahead.fits(input.graph.vertex_count()) {
            self.ahead = AheadTable::of(input.graph);
        }
        if self.options.guidance {
            let guide_deadline =
                Instant::now() + budget * u32::from(self.options.guide_share.min(90)) / 100;
            self.traffic.update(
                input.graph,
                &self.ahead,
                &self.distances,
                input.states,
                &goals,
                guide_deadline,
            );
        }
        let cells: Vec<VertexId> = input.states.iter().map(|s| s.cell).collect();
        let heuristic = GoalHeuristic {
            graph: input.graph,
            ahead: &self.ahead,
            distances: &self.distances,
            goals: &goals,
            cells: &cells,
            traffic: self.options.guidance.then_some(&self.traffic),
        };
        let view = TurnView {
            graph: input.graph,
            states: input.states,
            heuristic: &heuristic,
        };
        let guided = started.elapsed();
        let mut actions = self.pibt.plan(&view, &order, &mut self.rng);
        let stepped = started.elapsed();
        let mut report = None;
        if let Some(window) = self.window.as_mut() {
            // the window goes on only where it pays (not on crowded maps), and only if
            // rolling PIBT through it leaves time to improve it
            let window_deadline =
                started + budget * u32::from(self.options.window_share.min(90)) / 100;
            let rollout = (stepped - guided) * (2 * window.horizon() as u32);
            let density = n as f64 / input.graph.vertex_count().max(1) as f64;
            if density <= WINDOW_MAX_DENSITY
                && n <= WINDOW_MAX_AGENTS
                && window.fits(input.graph.vertex_count())
                && Instant::now() + rollout < window_deadline
            {
                let window_input = WindowInput {
                    view: &view,
                    ahead: &self.ahead,
                    order: &order,
                    first: &actions,
                    pibt: &self.pibt,
                };
                let (improved, intents, figures) =
                    window.plan(&window_input, &mut self.rng, window_deadline);
                actions = improved;
                if !intents.is_empty() {
                    self.pibt.set_intents(&intents);
                }
                report = Some(figures);
            }
        }
        tracing::debug!(
            step = input.step,
            schedule_ms = scheduled.as_secs_f64() * 1e3,
            tables_ms = (tabled - scheduled).as_secs_f64() * 1e3,
            guides_ms = (guided - tabled).as_secs_f64() * 1e3,
            pibt_ms = (stepped - guided).as_secs_f64() * 1e3,
            window_ms = (started.elapsed() - stepped).as_secs_f64() * 1e3,
            window_initial = report.map(|r| r.initial),
            window_cost = report.map(|r| r.improved),
            window_iterations = report.map(|r| r.iterations),
            "lifelong: step"
        );
        StepOutput { schedule, actions }
    }
}

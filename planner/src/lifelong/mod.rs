//! Lifelong planning: agents that get their next task as soon as they finish one, planned a
//! step at a time under a hard time budget (the League of Robot Runners setting, and the
//! border lane's container traffic).
//!
//! [`LifelongPlanner`] plays the LoRR [`Entry`]: each step it
//! 1. gives free agents open tasks ([`assign`]: min-cost assignment, or greedy);
//! 2. sets each agent's goal to the next errand of its task;
//! 3. plans one step of moves with PIBT for agents with a heading ([`turning`]).
//!
//! Distance tables are built per errand cell on first use and kept while they fit in the
//! table budget; past it the cache is emptied and refilled on demand.

pub mod assign;
mod turning;

use std::time::Instant;

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::distance::DistanceCache;
use crate::graph::VertexId;
use crate::lorr::{Entry, StepInput, StepOutput, TaskId};

pub use self::assign::Assigner;
use self::assign::TaskOffer;
use self::turning::{TurnView, TurningPibt};

/// Settings of a [`LifelongPlanner`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LifelongOptions {
    /// Seed of the tie-breaking.
    pub seed: u64,
    /// How free agents get tasks.
    pub assigner: Assigner,
    /// Most bytes of distance tables kept at once.
    pub table_budget: usize,
}

impl Default for LifelongOptions {
    /// Seed 0, optimal assignment, 2 GiB of tables.
    fn default() -> Self {
        Self {
            seed: 0,
            assigner: Assigner::Optimal,
            table_budget: 2 << 30,
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
}

impl LifelongPlanner {
    /// A planner with empty caches.
    pub fn new(options: LifelongOptions) -> Self {
        let rng = ChaCha8Rng::seed_from_u64(options.seed);
        Self {
            options,
            distances: DistanceCache::new(),
            rng,
            priorities: Vec::new(),
            pibt: TurningPibt::default(),
        }
    }

    /// Makes sure the tables of `goals` are cached, emptying the cache first if it is over
    /// budget.
    fn ensure_tables(&mut self, graph: &crate::graph::Graph, goals: &[VertexId]) {
        if self.distances.bytes() > self.options.table_budget {
            tracing::debug!(
                tables = self.distances.len(),
                "lifelong: distance tables over budget, emptied"
            );
            self.distances.clear();
        }
        let threads = std::thread::available_parallelism().map_or(1, usize::from);
        self.distances.ensure_all(graph, goals, threads, None);
    }

    /// Gives free agents tasks; returns the schedule and each agent's task index in
    /// `input.tasks`.
    fn schedule(&mut self, input: &StepInput<'_>) -> (Vec<Option<TaskId>>, Vec<Option<usize>>) {
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
        let free: Vec<usize> = (0..n).filter(|&a| schedule[a].is_none()).collect();
        let open: Vec<usize> = (0..input.tasks.len())
            .filter(|&t| {
                input.tasks[t].agent.is_none() && input.tasks[t].done < input.tasks[t].errands.len()
            })
            .collect();
        if free.is_empty() || open.is_empty() {
            return (schedule, task_of);
        }
        let errands: Vec<VertexId> = open
            .iter()
            .flat_map(|&t| {
                input.tasks[t].errands[input.tasks[t].done..]
                    .iter()
                    .copied()
            })
            .collect();
        self.ensure_tables(input.graph, &errands);
        let distance = |from: VertexId, to: VertexId| {
            self.distances
                .get(to)
                .expect("errand tables are built")
                .get(from)
        };
        let offers: Vec<TaskOffer> = open
            .iter()
            .map(|&t| {
                let task = &input.tasks[t];
                let rest = &task.errands[task.done..];
                let length = rest
                    .windows(2)
                    .map(|pair| distance(pair[0], pair[1]))
                    .fold(0_u32, u32::saturating_add);
                TaskOffer {
                    index: t,
                    first: rest[0],
                    length,
                }
            })
            .collect();
        let agents: Vec<VertexId> = free.iter().map(|&a| input.states[a].cell).collect();
        let chosen = assign::assign(
            self.options.assigner,
            input.graph,
            &agents,
            &offers,
            |a, to| distance(agents[a], to),
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
    fn step(&mut self, input: &StepInput<'_>, _deadline: Instant) -> StepOutput {
        let n = input.states.len();
        let (schedule, task_of) = self.schedule(input);

        let goals: Vec<Option<VertexId>> = task_of
            .iter()
            .map(|task| {
                let task = &input.tasks[(*task)?];
                task.errands.get(task.done).copied()
            })
            .collect();
        let needed: Vec<VertexId> = goals.iter().flatten().copied().collect();
        self.ensure_tables(input.graph, &needed);

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

        let view = TurnView {
            graph: input.graph,
            distances: &self.distances,
            states: input.states,
            goals: &goals,
        };
        let actions = self.pibt.plan(&view, &order, &mut self.rng);
        StepOutput { schedule, actions }
    }
}

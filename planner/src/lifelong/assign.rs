//! Task assignment: which free agent takes which open task.
//!
//! The cost of giving task `t` to agent `a` is the moves from `a` to the task's first errand
//! plus an estimate of the moves along its errands (the Manhattan distances between them):
//! the time the agent is busy with it. Preferring cheap tasks also prefers short ones, which
//! is what finishes most tasks in a run.
//!
//! Candidates come from a breadth-first search out of each free agent's cell that stops
//! once no unseen task can beat its [`CANDIDATES`]-th best (a task's cost is at least its
//! first errand's distance), after the nearest [`SEEN`] tasks, or after [`MAX_VISITS`]
//! cells; searches stop at the step's deadline, and agents not reached wait for the next. Two assigners then choose:
//! - [`Assigner::Optimal`]: a min-cost assignment of the free agents to their candidates
//!   (Kuhn-Munkres from the `pathfinding` crate), re-solved whenever agents free up. When the
//!   problem is too big for its cubic time (thousands of agents free at once, as at the
//!   start of a 10,000-agent run) the globally cheapest pairs are taken first instead;
//! - [`Assigner::Greedy`]: each free agent in turn takes its cheapest task, the baseline.

use std::time::Instant;

use pathfinding::kuhn_munkres::kuhn_munkres_min;
use pathfinding::matrix::Matrix;

use crate::graph::{Graph, VertexId};

/// Tasks considered per free agent.
pub const CANDIDATES: usize = 12;

/// Offers one agent's candidate search looks at before it stops: the nearest ones, of
/// which the cheapest [`CANDIDATES`] are kept.
pub const SEEN: usize = 4 * CANDIDATES;

/// Most cells one agent's candidate search visits.
pub const MAX_VISITS: usize = 4096;

/// Largest `rows² × columns` solved by Kuhn-Munkres; above it the cheapest pairs go first.
const OPTIMAL_WORK: usize = 40_000_000;

/// Rounds of candidate searches for agents left without a task by the previous round.
const ROUNDS: usize = 3;

/// The cost of a missing pair: never chosen over a real one.
const NEVER: i64 = 1 << 40;

/// How free agents get tasks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Assigner {
    /// Min-cost assignment over all free agents and their candidate tasks.
    #[default]
    Optimal,
    /// Each free agent, in index order, takes its cheapest remaining task.
    Greedy,
}

/// One unassigned task, as the assigner sees it.
#[derive(Clone, Copy, Debug)]
pub(super) struct TaskOffer {
    /// Index of the task in the caller's list.
    pub index: usize,
    /// Its first errand.
    pub first: VertexId,
    /// Estimated moves along its errands after the first.
    pub length: u32,
    /// The free agent (index into the agents assigned) that held it until this step, if
    /// any: keeping it costs [`KEEP`] less, so that agents trade only for a real gain.
    pub held_by: Option<usize>,
}

/// The discount on an agent's own task, against trading it back and forth on ties.
pub const KEEP: i64 = 2;

/// Reusable buffers of the candidate searches.
#[derive(Debug, Default)]
pub(super) struct CandidateSearch {
    seen: Vec<u32>,
    epoch: u32,
    queue: Vec<(VertexId, u32)>,
    /// Offers by first-errand cell: `offers_at[first_of[cell]..first_of[cell + 1]]`.
    first_of: Vec<u32>,
    offers_at: Vec<u32>,
}

impl CandidateSearch {
    /// Indexes `offers` by their first errand's cell.
    fn index(&mut self, graph: &Graph, offers: &[TaskOffer]) {
        let count = graph.vertex_count();
        self.first_of.clear();
        self.first_of.resize(count + 1, 0);
        for offer in offers {
            self.first_of[offer.first.index() + 1] += 1;
        }
        for v in 0..count {
            self.first_of[v + 1] += self.first_of[v];
        }
        let mut fill = self.first_of.clone();
        self.offers_at.clear();
        self.offers_at.resize(offers.len(), 0);
        for (o, offer) in offers.iter().enumerate() {
            let slot = &mut fill[offer.first.index()];
            self.offers_at[*slot as usize] = o as u32;
            *slot += 1;
        }
        if self.seen.len() != count {
            self.seen = vec![0; count];
            self.epoch = 0;
        }
    }

    /// The cheapest offers for an agent at `from` as `(offer, cost)`, cheapest first.
    fn search(
        &mut self,
        graph: &Graph,
        from: VertexId,
        offers: &[TaskOffer],
        taken: &[bool],
    ) -> Vec<(usize, i64)> {
        self.epoch = self.epoch.wrapping_add(1);
        if self.epoch == 0 {
            self.seen.fill(0);
            self.epoch = 1;
        }
        let mut found: Vec<(usize, i64)> = Vec::with_capacity(CANDIDATES + 4);
        self.queue.clear();
        self.queue.push((from, 0));
        self.seen[from.index()] = self.epoch;
        let mut head = 0;
        let mut seen = 0;
        while let Some(&(cell, distance)) = self.queue.get(head) {
            head += 1;
            if seen >= SEEN
                || (found.len() >= CANDIDATES && i64::from(distance) > found[CANDIDATES - 1].1)
            {
                break;
            }
            let range =
                self.first_of[cell.index()] as usize..self.first_of[cell.index() + 1] as usize;
            for &o in &self.offers_at[range] {
                if taken[o as usize] {
                    continue;
                }
                seen += 1;
                let cost = i64::from(distance) + i64::from(offers[o as usize].length);
                let at = found.partition_point(|&(_, c)| c <= cost);
                if at < CANDIDATES {
                    found.insert(at, (o as usize, cost));
                    found.truncate(CANDIDATES);
                }
            }
            if self.queue.len() >= MAX_VISITS {
                continue;
            }
            for &to in graph.out_neighbours(cell) {
                if self.seen[to.index()] != self.epoch {
                    self.seen[to.index()] = self.epoch;
                    self.queue.push((to, distance + 1));
                }
            }
        }
        found
    }
}

/// Pairs free agents (at `agents`) with offers; returns, per free agent, the index into
/// `offers` it takes (or `None`).
pub(super) fn assign(
    assigner: Assigner,
    search: &mut CandidateSearch,
    graph: &Graph,
    agents: &[VertexId],
    offers: &[TaskOffer],
    deadline: Instant,
) -> Vec<Option<usize>> {
    if agents.is_empty() || offers.is_empty() {
        return vec![None; agents.len()];
    }
    search.index(graph, offers);
    let mut held: Vec<Option<usize>> = vec![None; agents.len()];
    for (o, offer) in offers.iter().enumerate() {
        if let Some(agent) = offer.held_by
            && let Some(slot) = held.get_mut(agent)
        {
            *slot = Some(o);
        }
    }
    let mut chosen = vec![None; agents.len()];
    let mut taken = vec![false; offers.len()];
    // agents whose candidates all went to others search again past the taken offers
    for _ in 0..ROUNDS {
        let waiting: Vec<usize> = (0..agents.len()).filter(|&a| chosen[a].is_none()).collect();
        if waiting.is_empty() {
            break;
        }
        let candidates: Vec<Vec<(usize, i64)>> = waiting
            .iter()
            .map_while(|&a| {
                if Instant::now() >= deadline {
                    return None;
                }
                let at = agents[a];
                let mut found = search.search(graph, at, offers, &taken);
                if let Some(own) = held[a].filter(|&own| !taken[own]) {
                    match found.iter_mut().find(|(o, _)| *o == own) {
                        Some((_, cost)) => *cost -= KEEP,
                        None => {
                            let offer = &offers[own];
                            let estimate = manhattan(graph, at, offer.first) + offer.length;
                            found.push((own, i64::from(estimate) - KEEP));
                        }
                    }
                }
                Some(found)
            })
            .collect();
        if candidates.iter().all(Vec::is_empty) {
            break;
        }
        for (k, choice) in choose(assigner, &candidates, offers.len())
            .into_iter()
            .enumerate()
        {
            if let Some(o) = choice {
                taken[o] = true;
                chosen[waiting[k]] = Some(o);
            }
        }
    }
    chosen
}

/// The choice among candidates (`candidates[a]`: agent `a`'s `(offer, cost)` pairs).
pub(super) fn choose(
    assigner: Assigner,
    candidates: &[Vec<(usize, i64)>],
    offer_count: usize,
) -> Vec<Option<usize>> {
    let mut chosen = vec![None; candidates.len()];
    let mut taken = vec![false; offer_count];
    match assigner {
        Assigner::Greedy => {
            for (a, options) in candidates.iter().enumerate() {
                let best = options
                    .iter()
                    .filter(|(o, _)| !taken[*o])
                    .min_by_key(|(o, cost)| (*cost, *o));
                if let Some(&(o, _)) = best {
                    taken[o] = true;
                    chosen[a] = Some(o);
                }
            }
        }
        Assigner::Optimal => {
            let mut columns: Vec<usize> = candidates.iter().flatten().map(|&(o, _)| o).collect();
            columns.sort_unstable();
            columns.dedup();
            let rows = candidates.len();
            // Kuhn-Munkres needs rows <= columns: pad with "no task" columns
            let width = columns.len().max(rows);
            if rows.saturating_mul(rows).saturating_mul(width) <= OPTIMAL_WORK {
                let column_of = |o: usize| columns.binary_search(&o).expect("a candidate's column");
                let mut weights = Matrix::new(rows, width, NEVER);
                for (a, options) in candidates.iter().enumerate() {
                    for &(o, cost) in options {
                        weights[(a, column_of(o))] = cost;
                    }
                }
                let (_, columns_of_rows) = kuhn_munkres_min(&weights);
                for (a, &c) in columns_of_rows.iter().enumerate() {
                    if c < columns.len() && weights[(a, c)] < NEVER {
                        chosen[a] = Some(columns[c]);
                    }
                }
            } else {
                let mut pairs: Vec<(i64, usize, usize)> = candidates
                    .iter()
                    .enumerate()
                    .flat_map(|(a, options)| options.iter().map(move |&(o, cost)| (cost, a, o)))
                    .collect();
                pairs.sort_unstable();
                for (_, a, o) in pairs {
                    if chosen[a].is_none() && !taken[o] {
                        taken[o] = true;
                        chosen[a] = Some(o);
                    }
                }
            }
        }
    }
    chosen
}

/// Moves between two cells ignoring obstacles: the estimate of a task's length.
pub(super) fn manhattan(graph: &Graph, a: VertexId, b: VertexId) -> u32 {
    match (graph.cell(a), graph.cell(b)) {
        (Some(a), Some(b)) => a.x.abs_diff(b.x) + a.y.abs_diff(b.y),
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use maps::GridMap;

    use super::*;

    fn row(graph: &Graph, x: u32) -> VertexId {
        graph.vertex_at(maps::Cell { x, y: 0 }).unwrap()
    }

    fn far() -> Instant {
        Instant::now() + std::time::Duration::from_secs(60)
    }

    fn optimal(graph: &Graph, agents: &[VertexId], offers: &[TaskOffer]) -> Vec<Option<usize>> {
        let mut search = CandidateSearch::default();
        assign(Assigner::Optimal, &mut search, graph, agents, offers, far())
    }

    fn offer(index: usize, first: VertexId, length: u32) -> TaskOffer {
        TaskOffer {
            index,
            first,
            length,
            held_by: None,
        }
    }

    #[test]
    fn optimal_beats_greedy_when_the_first_agent_would_steal() {
        // a row of 7 cells, agents at x=2 and x=4, tasks at x=3 and x=0:
        // greedy lets agent 0 take x=3 (1) and agent 1 then x=0 (4), 5 in all;
        // the optimum sends agent 0 to x=0 (2) and agent 1 to x=3 (1), 3 in all
        let graph = Graph::from_grid(&GridMap::from_rows(&["......."]));
        let agents = [row(&graph, 2), row(&graph, 4)];
        let offers = [offer(0, row(&graph, 3), 0), offer(1, row(&graph, 0), 0)];
        let mut search = CandidateSearch::default();
        let greedy = assign(
            Assigner::Greedy,
            &mut search,
            &graph,
            &agents,
            &offers,
            far(),
        );
        let optimal = assign(
            Assigner::Optimal,
            &mut search,
            &graph,
            &agents,
            &offers,
            far(),
        );
        assert_eq!(greedy, [Some(0), Some(1)]);
        assert_eq!(optimal, [Some(1), Some(0)]);
    }

    #[test]
    fn a_short_task_further_away_beats_a_long_one_nearby() {
        let graph = Graph::from_grid(&GridMap::from_rows(&["......."]));
        let agents = [row(&graph, 0)];
        let offers = [offer(0, row(&graph, 1), 20), offer(1, row(&graph, 6), 2)];
        let chosen = optimal(&graph, &agents, &offers);
        assert_eq!(chosen, [Some(1)]);
    }

    #[test]
    fn more_agents_than_tasks_leaves_some_free() {
        let graph = Graph::from_grid(&GridMap::from_rows(&["...."]));
        let agents = [row(&graph, 0), row(&graph, 3), row(&graph, 1)];
        let offers = [offer(0, row(&graph, 2), 3)];
        let chosen = optimal(&graph, &agents, &offers);
        assert_eq!(chosen.iter().flatten().count(), 1);
        assert!(chosen[1] == Some(0) || chosen[2] == Some(0), "{chosen:?}");
    }

    #[test]
    fn a_walled_off_task_is_no_candidate() {
        let graph = Graph::from_grid(&GridMap::from_rows(&["..@.."]));
        let agents = [row(&graph, 0)];
        let offers = [offer(0, row(&graph, 4), 0)];
        let chosen = optimal(&graph, &agents, &offers);
        assert_eq!(chosen, [None]);
    }

    #[test]
    fn many_free_agents_take_the_cheapest_pairs_first() {
        // more rows than Kuhn-Munkres takes: the global greedy must still pair everyone
        let candidates: Vec<Vec<(usize, i64)>> =
            (0..600).map(|a| vec![(a, 5), ((a + 1) % 600, 1)]).collect();
        let chosen = choose(Assigner::Optimal, &candidates, 600);
        assert!(chosen.iter().all(Option::is_some));
        let mut taken: Vec<usize> = chosen.iter().flatten().copied().collect();
        taken.sort_unstable();
        taken.dedup();
        assert_eq!(taken.len(), 600);
        assert!(
            chosen
                .iter()
                .enumerate()
                .all(|(a, o)| *o == Some((a + 1) % 600))
        );
    }
}

//! PIBT's dynamic priorities: how long an agent has been away from its goal.
//!
//! Each agent has a priority `elapsed + fraction`, where `elapsed` counts the steps since it
//! last rested at its goal and `fraction` in `[0, 1)` is drawn once per agent to break ties.
//! An agent at rest (at its goal, or idle) falls back to its fraction; every other agent
//! gains one per step (the lifelong stepper's follow-ban mode gives agents that were kept
//! waiting two). Agents are served in decreasing priority.

use rand::Rng;
use rand_chacha::ChaCha8Rng;

/// Per-agent priorities kept across steps.
#[derive(Clone, Debug, Default)]
pub(crate) struct Priorities {
    values: Vec<f64>,
}

impl Priorities {
    /// Makes room for `agent_count` agents; new agents start at a random fraction.
    pub(crate) fn resize(&mut self, agent_count: usize, rng: &mut ChaCha8Rng) {
        if self.values.len() > agent_count {
            self.values.truncate(agent_count);
        }
        while self.values.len() < agent_count {
            self.values.push(rng.random::<f64>());
        }
    }

    /// One step of ageing: agents at rest reset to their fraction, the others gain `gain`
    /// (one in standard PIBT).
    pub(crate) fn update(
        &mut self,
        is_at_rest: impl Fn(usize) -> bool,
        gain: impl Fn(usize) -> f64,
    ) {
        for (agent, value) in self.values.iter_mut().enumerate() {
            if is_at_rest(agent) {
                *value = value.fract();
            } else {
                *value += gain(agent);
            }
        }
    }

    /// Writes agent indices into `order`, highest priority first (ties by lower index).
    ///
    /// # Complexity
    /// O(n log n).
    pub(crate) fn order_into(&self, order: &mut Vec<u32>) {
        order.clear();
        order.extend(0..self.values.len() as u32);
        order.sort_unstable_by(|&a, &b| {
            let (pa, pb) = (self.values[a as usize], self.values[b as usize]);
            pb.total_cmp(&pa).then(a.cmp(&b))
        });
    }
}

#[cfg(test)]
mod tests {
    use rand::SeedableRng;

    use super::*;

    #[test]
    fn waiting_agents_overtake_resting_ones() {
        let mut priorities = Priorities::default();
        priorities.resize(3, &mut ChaCha8Rng::seed_from_u64(1));
        priorities.update(|agent| agent != 2, |_| 1.0);
        priorities.update(|agent| agent != 2, |_| 1.0);
        let mut order = Vec::new();
        priorities.order_into(&mut order);
        assert_eq!(order[0], 2);
        assert!(priorities.values.iter().take(2).all(|&p| p < 1.0));
    }
}

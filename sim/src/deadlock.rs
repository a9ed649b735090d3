//! The deadlock detector: flags AGVs that have work but make no progress.
//!
//! Progress is reaching a new waypoint or running an action (a crane lift, a gate check).
//! An AGV with work (a mission or a battery swap) that stands still, not in an action, for
//! longer than the limit (10 simulated minutes by default) is flagged once per stall.
//! Waiting in an action's queue (a busy crane) is not a deadlock: the crane is progressing.

use fleet::AgvId;

/// Per-AGV stall tracking.
#[derive(Debug)]
pub struct DeadlockDetector {
    limit_s: f64,
    last_progress_s: Vec<f64>,
    flagged: Vec<bool>,
    /// Stalls flagged so far.
    pub deadlocks: u64,
    /// The AGVs flagged, with the time of flagging (first 20 kept).
    pub examples: Vec<(AgvId, f64)>,
}

impl DeadlockDetector {
    /// A detector for `agvs` vehicles flagging stalls longer than `limit_s`.
    pub fn new(agvs: usize, limit_s: f64) -> Self {
        Self {
            limit_s,
            last_progress_s: vec![0.0; agvs],
            flagged: vec![false; agvs],
            deadlocks: 0,
            examples: Vec::new(),
        }
    }

    /// Records one instant for AGV number `index`: whether it progressed, whether it has
    /// work. Returns true when it was flagged just now.
    pub fn observe(&mut self, index: usize, id: AgvId, now_s: f64, progressed: bool, has_work: bool) -> bool {
        if progressed || !has_work {
            self.last_progress_s[index] = now_s;
            self.flagged[index] = false;
            return false;
        }
        if self.flagged[index] || now_s - self.last_progress_s[index] < self.limit_s {
            return false;
        }
        self.flagged[index] = true;
        self.deadlocks += 1;
        if self.examples.len() < 20 {
            self.examples.push((id, now_s));
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stall_longer_than_the_limit_is_flagged_once() {
        let mut detector = DeadlockDetector::new(1, 600.0);
        for t in 0..=1200 {
            detector.observe(0, AgvId(0), f64::from(t), t == 0, true);
        }
        assert_eq!(detector.deadlocks, 1);
    }

    #[test]
    fn an_idle_agv_is_never_flagged() {
        let mut detector = DeadlockDetector::new(1, 600.0);
        for t in 0..=1200 {
            detector.observe(0, AgvId(0), f64::from(t), false, false);
        }
        assert_eq!(detector.deadlocks, 0);
    }
}

//! The deadlock detector: tells AGVs that are stuck from AGVs that are only queueing.
//!
//! Progress is reaching a new waypoint or running an action (a crane lift, a gate check).
//! An AGV with work (a mission or a battery swap) that makes no progress for longer than the
//! limit (10 simulated minutes by default) is a **stall**. The caller then names the AGVs
//! standing in its way, and theirs, transitively. If none of them moved or was served within
//! the limit either, nothing will ever free them: a **deadlock**. Otherwise the AGV is in a
//! queue that moves, if slowly (behind a busy crane): a **long wait**. Each stall is
//! counted once, until the AGV progresses again.
//!
//! A stall whose queue has a free head (the stalled AGV, or one of the AGVs in its way, has
//! nobody in its own way) is not judged at once: the AGV ahead of that head may have left in
//! this very tick, after a crane kept it for the whole limit (a drop and then a pick at the
//! same slot) or after a breakdown, and the queue drives on at the next. Its verdict waits
//! until the AGV has either progressed or stood a second limit (which would mean the
//! planner never sends the head on: a deadlock of the core, counted as one).

use fleet::AgvId;

/// What a stall turned out to be.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stall {
    /// The AGV and everything blocking it have been still for the whole limit.
    Deadlock,
    /// Something ahead of the AGV moved or was served within the limit.
    LongWait,
    /// Nothing is in the AGV's way now: no verdict yet, it is judged again next time.
    Pending,
}

/// Per-AGV stall tracking.
#[derive(Debug)]
pub struct DeadlockDetector {
    limit_s: f64,
    last_progress_s: Vec<f64>,
    last_active_s: Vec<f64>,
    flagged: Vec<bool>,
    /// Deadlocks found so far.
    pub deadlocks: u64,
    /// Stalls that were queues, so far.
    pub long_waits: u64,
    /// The AGVs found deadlocked, with the time (first 20 kept).
    pub examples: Vec<(AgvId, f64)>,
}

impl DeadlockDetector {
    /// A detector for `agvs` vehicles and stalls longer than `limit_s`.
    pub fn new(agvs: usize, limit_s: f64) -> Self {
        Self {
            limit_s,
            last_progress_s: vec![0.0; agvs],
            last_active_s: vec![0.0; agvs],
            flagged: vec![false; agvs],
            deadlocks: 0,
            long_waits: 0,
            examples: Vec::new(),
        }
    }

    /// Records one instant of AGV number `index`: whether it moved or was served, and
    /// whether it has work.
    pub fn observe(&mut self, index: usize, now_s: f64, active: bool, has_work: bool) {
        if active {
            self.last_active_s[index] = now_s;
        }
        if active || !has_work {
            self.last_progress_s[index] = now_s;
            self.flagged[index] = false;
        }
    }

    /// AGVs whose stall passed the limit just now and awaits a verdict.
    pub fn new_stalls(&self, now_s: f64) -> Vec<usize> {
        (0..self.flagged.len())
            .filter(|&i| !self.flagged[i] && now_s - self.last_progress_s[i] >= self.limit_s)
            .collect()
    }

    /// Judges the stall of `index`, given every AGV that stands in its way, transitively, and
    /// whether one of them (or `index` itself) has a free way.
    pub fn judge(
        &mut self,
        index: usize,
        id: AgvId,
        blockers: &[usize],
        free_head: bool,
        now_s: f64,
    ) -> Stall {
        let stalled_s = now_s - self.last_progress_s[index];
        if free_head && stalled_s < 2.0 * self.limit_s {
            return Stall::Pending;
        }
        self.flagged[index] = true;
        let still = |j: usize| now_s - self.last_active_s[j] >= self.limit_s;
        if still(index) && blockers.iter().all(|&j| still(j)) {
            self.deadlocks += 1;
            if self.examples.len() < 20 {
                self.examples.push((id, now_s));
            }
            Stall::Deadlock
        } else {
            self.long_waits += 1;
            Stall::LongWait
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_agvs_still_for_the_limit_are_a_deadlock_counted_once() {
        let mut detector = DeadlockDetector::new(2, 600.0);
        let mut verdicts = Vec::new();
        for t in 0..=1200 {
            let now = f64::from(t);
            detector.observe(0, now, t == 0, true);
            detector.observe(1, now, t == 0, true);
            for i in detector.new_stalls(now) {
                verdicts.push(detector.judge(i, AgvId(i as u32), &[1 - i], false, now));
            }
        }
        assert_eq!(verdicts, vec![Stall::Deadlock, Stall::Deadlock]);
        assert_eq!(detector.deadlocks, 2);
    }

    #[test]
    fn waiting_behind_an_agv_being_served_is_a_long_wait() {
        let mut detector = DeadlockDetector::new(2, 600.0);
        let mut verdicts = Vec::new();
        for t in 0..=700 {
            let now = f64::from(t);
            detector.observe(0, now, t == 0, true);
            detector.observe(1, now, true, true);
            for i in detector.new_stalls(now) {
                verdicts.push(detector.judge(i, AgvId(0), &[1], false, now));
            }
        }
        assert_eq!(verdicts, vec![Stall::LongWait]);
        assert_eq!(detector.deadlocks, 0);
    }

    #[test]
    fn an_agv_whose_way_just_cleared_is_not_deadlocked() {
        // AGV 0 waited the whole limit behind AGV 1, which left just as the limit passed:
        // the way is free at the verdict, and AGV 0 drives on a tick later
        let mut detector = DeadlockDetector::new(1, 600.0);
        let mut verdicts = Vec::new();
        for t in 0..=700 {
            let now = f64::from(t);
            detector.observe(0, now, t == 0 || t == 601, true);
            for i in detector.new_stalls(now) {
                verdicts.push(detector.judge(i, AgvId(0), &[], true, now));
            }
        }
        assert_eq!(verdicts, vec![Stall::Pending]);
        assert_eq!(detector.deadlocks, 0);
        assert_eq!(detector.long_waits, 0);
    }

    #[test]
    fn an_agv_never_sent_on_along_a_free_way_is_a_deadlock() {
        let mut detector = DeadlockDetector::new(1, 600.0);
        for t in 0..=1300 {
            let now = f64::from(t);
            detector.observe(0, now, t == 0, true);
            for i in detector.new_stalls(now) {
                detector.judge(i, AgvId(0), &[], true, now);
            }
        }
        assert_eq!(detector.deadlocks, 1);
    }

    #[test]
    fn an_agv_without_work_never_stalls() {
        let mut detector = DeadlockDetector::new(1, 600.0);
        for t in 0..=1200 {
            detector.observe(0, f64::from(t), false, false);
        }
        assert!(detector.new_stalls(1200.0).is_empty());
    }
}

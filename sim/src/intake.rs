//! What may enter the lane: the Vietnamese export yard's buffer with the staging yards behind
//! it, and a cap on the exports the Chinese side accepts.
//!
//! On an ordinary day neither limit is set and every export truck drives straight to the bays,
//! every export customs clears goes straight to the fleet. The surge and shock scenarios
//! ([`crate::scenario`]) set them:
//! - [`YardBuffer`]: the export yard holds at most `places` exports, of which at most
//!   `reefer_plugs` refrigerated, counted from the moment a truck is let in to the bays until
//!   an AGV lifts its container. A truck that arrives while the yard has no place for it (or
//!   no plug, for a reefer) is sent to a staging yard and called forward, first come first
//!   served among the trucks that fit, when a place frees; it then drives
//!   `staging_transfer_s` to the bays. Nothing is lost: the container's dwell counts from its
//!   truck's first arrival at the border.
//! - [`IntakeCap`]: between `from_s` and `until_s` the far side takes only `share` of an
//!   ordinary day's exports; customs-cleared exports wait in the Vietnamese yard (so the yard
//!   fills and trucks overflow to staging) and are released to the fleet at that rate, all
//!   that still wait at once when the cap ends.

use std::collections::VecDeque;

use fleet::ContainerId;

/// The Vietnamese export yard's buffer and the staging yards behind it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct YardBuffer {
    /// Exports the yard holds, from the truck bays to an AGV's pick-up.
    pub places: u64,
    /// Of those, refrigerated exports: one plug each.
    pub reefer_plugs: u64,
    /// Drive from a staging yard to the export bays, seconds.
    pub staging_transfer_s: f64,
}

impl Default for YardBuffer {
    /// 200 exports \[D\]: half the yard's 400 container places (200 ground slots stacked 2
    /// high \[A\]), the other half kept for imports waiting for their trucks; the yard's 60
    /// reefer plugs \[A\]; 20 min from a staging yard to the bays \[A: the parking yards
    /// along the road to the gate\].
    fn default() -> Self {
        Self {
            places: 200,
            reefer_plugs: 60,
            staging_transfer_s: 1200.0,
        }
    }
}

/// A cap on the exports the far side accepts during a window of the run.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct IntakeCap {
    /// Share of an ordinary day's mean hourly exports accepted per hour, 0 to 1.
    pub share: f64,
    /// Start of the cap, seconds from midnight of day 0.
    pub from_s: f64,
    /// End of the cap, seconds.
    pub until_s: f64,
}

impl IntakeCap {
    /// Exports released per hour under the cap at `exports_per_day` on an ordinary day.
    pub fn per_hour(&self, exports_per_day: f64) -> f64 {
        self.share * exports_per_day / 24.0
    }

    fn is_active(&self, now_s: f64) -> bool {
        (self.from_s..self.until_s).contains(&now_s)
    }
}

/// The run-time state of both limits.
#[derive(Debug)]
pub(crate) struct Intake {
    buffer: Option<YardBuffer>,
    cap: Option<IntakeCap>,
    /// Exports released per hour under the cap.
    cap_per_hour: f64,
    /// Exports let in (driving from staging, at the bays or stacked) and not yet on an AGV.
    in_yard: u64,
    /// Of those, refrigerated.
    reefers_in_yard: u64,
    /// Trucks waiting in staging in order of arrival, with whether they carry a reefer.
    staging: VecDeque<(ContainerId, bool)>,
    /// Refrigerated and dry trucks in `staging`.
    staged_by_kind: [u64; 2],
    /// Whether the yard lost an export since staging was last looked at.
    room_freed: bool,
    /// Trucks called forward from staging, with when they reach the bays.
    called: VecDeque<(f64, ContainerId)>,
    /// Customs-cleared exports the far side cannot take yet.
    held: VecDeque<ContainerId>,
    /// Exports released while the cap was on.
    released_under_cap: u64,
    /// Trucks sent to staging, and the most there (or on their way back) at once.
    pub(crate) staged: u64,
    pub(crate) staging_peak: u64,
}

impl Intake {
    /// No limit unless given; `exports_per_day` sizes the cap.
    pub(crate) fn new(
        buffer: Option<YardBuffer>,
        cap: Option<IntakeCap>,
        exports_per_day: f64,
    ) -> Self {
        Self {
            buffer,
            cap,
            cap_per_hour: cap.map_or(0.0, |cap| cap.per_hour(exports_per_day)),
            in_yard: 0,
            reefers_in_yard: 0,
            staging: VecDeque::new(),
            staged_by_kind: [0; 2],
            room_freed: false,
            called: VecDeque::new(),
            held: VecDeque::new(),
            released_under_cap: 0,
            staged: 0,
            staging_peak: 0,
        }
    }

    /// An export truck reaches the border: `true` when it may go to the bays now, `false`
    /// when it was sent to staging.
    pub(crate) fn arrive(&mut self, container: ContainerId, reefer: bool) -> bool {
        // first come first served: a newcomer queues behind staged trucks of its kind
        if self.staged_by_kind[usize::from(reefer)] == 0 && self.fits(reefer) {
            self.let_in(reefer);
            return true;
        }
        self.staging.push_back((container, reefer));
        self.staged_by_kind[usize::from(reefer)] += 1;
        self.staged += 1;
        let there = (self.staging.len() + self.called.len()) as u64;
        self.staging_peak = self.staging_peak.max(there);
        false
    }

    /// Whether the yard has a place (and a plug, for a reefer) for one more export.
    fn fits(&self, reefer: bool) -> bool {
        let Some(buffer) = self.buffer else {
            return true;
        };
        self.in_yard < buffer.places && (!reefer || self.reefers_in_yard < buffer.reefer_plugs)
    }

    fn let_in(&mut self, reefer: bool) {
        self.in_yard += 1;
        self.reefers_in_yard += u64::from(reefer);
    }

    /// An AGV lifted an export out of the yard.
    pub(crate) fn leave_yard(&mut self, reefer: bool) {
        self.in_yard = self.in_yard.saturating_sub(1);
        if reefer {
            self.reefers_in_yard = self.reefers_in_yard.saturating_sub(1);
        }
        self.room_freed = true;
    }

    /// Calls staged trucks forward while the yard has room for them, and returns those
    /// reaching the bays by `now_s`.
    pub(crate) fn trucks_due(&mut self, now_s: f64) -> Vec<ContainerId> {
        if let Some(buffer) = self.buffer.filter(|_| self.room_freed) {
            self.room_freed = false;
            let mut i = 0;
            while i < self.staging.len() && self.fits(false) {
                let (container, reefer) = self.staging[i];
                if !self.fits(reefer) {
                    i += 1;
                    continue;
                }
                self.staging.remove(i);
                self.staged_by_kind[usize::from(reefer)] -= 1;
                self.let_in(reefer);
                self.called
                    .push_back((now_s + buffer.staging_transfer_s, container));
            }
        }
        let mut due = Vec::new();
        while self.called.front().is_some_and(|&(at, _)| at <= now_s) {
            due.extend(self.called.pop_front().map(|(_, container)| container));
        }
        due
    }

    /// Whether a customs-cleared export must wait for the far side; if so it is queued.
    pub(crate) fn hold(&mut self, container: ContainerId, now_s: f64) -> bool {
        let must_wait = self.cap.is_some_and(|cap| cap.is_active(now_s));
        if must_wait {
            self.held.push_back(container);
        }
        must_wait
    }

    /// Held exports the far side takes by `now_s`: within the cap while it is on (at most
    /// `per_hour` times the hours begun since it started), all of them once it is off.
    pub(crate) fn releases_due(&mut self, now_s: f64) -> Vec<ContainerId> {
        let Some(cap) = self.cap else {
            return Vec::new();
        };
        if !cap.is_active(now_s) {
            return self.held.drain(..).collect();
        }
        let hours_begun = ((now_s - cap.from_s) / 3600.0).floor() + 1.0;
        let allowed = (self.cap_per_hour * hours_begun).floor() as u64;
        let mut due = Vec::new();
        while self.released_under_cap < allowed {
            let Some(container) = self.held.pop_front() else {
                break;
            };
            self.released_under_cap += 1;
            due.push(container);
        }
        due
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn yard_of(places: u64) -> Intake {
        let buffer = YardBuffer {
            places,
            reefer_plugs: 1,
            staging_transfer_s: 600.0,
        };
        Intake::new(Some(buffer), None, 300.0)
    }

    #[test]
    fn a_full_yard_sends_trucks_to_staging_and_calls_them_in_order() {
        let mut intake = yard_of(2);
        let dry = |intake: &mut Intake, c| intake.arrive(ContainerId(c), false);
        assert!(dry(&mut intake, 5) && dry(&mut intake, 6));
        assert!(!dry(&mut intake, 7) && !dry(&mut intake, 8));
        assert_eq!(intake.trucks_due(0.0), vec![]);

        // one export leaves: the first staged truck is called and reaches the bays 600 s later
        intake.leave_yard(false);
        assert_eq!(intake.trucks_due(100.0), vec![]);
        assert_eq!(intake.trucks_due(699.0), vec![]);
        assert_eq!(intake.trucks_due(700.0), vec![ContainerId(7)]);
        assert_eq!((intake.staged, intake.staging_peak), (2, 2));
    }

    #[test]
    fn a_newcomer_queues_behind_staged_trucks() {
        let mut intake = yard_of(1);
        assert!(intake.arrive(ContainerId(0), false));
        assert!(!intake.arrive(ContainerId(1), false));
        intake.leave_yard(false);
        intake.trucks_due(0.0);
        // the yard has a place again, promised to the truck on its way from staging
        assert!(!intake.arrive(ContainerId(2), false));
    }

    #[test]
    fn reefers_wait_for_a_plug_while_dry_trucks_pass() {
        let mut intake = yard_of(3);
        assert!(intake.arrive(ContainerId(0), true));
        assert!(!intake.arrive(ContainerId(1), true));
        assert!(intake.arrive(ContainerId(2), false));
        // the reefer leaves: its plug goes to the staged reefer
        intake.leave_yard(true);
        assert_eq!(intake.trucks_due(0.0), vec![]);
        assert_eq!(intake.trucks_due(600.0), vec![ContainerId(1)]);
    }

    #[test]
    fn the_cap_releases_at_most_its_rate_then_everything() {
        // 240 exports a day, a quarter accepted: 2.5 an hour during hours 1 to 3
        let cap = IntakeCap {
            share: 0.25,
            from_s: 3600.0,
            until_s: 3.0 * 3600.0,
        };
        let mut intake = Intake::new(None, Some(cap), 240.0);
        assert!(!intake.hold(ContainerId(0), 100.0));
        for c in 0..10 {
            assert!(intake.hold(ContainerId(c), 3600.0));
        }
        assert_eq!(intake.releases_due(3600.0).len(), 2);
        assert_eq!(intake.releases_due(7199.0).len(), 0);
        assert_eq!(intake.releases_due(7200.0).len(), 3);
        assert_eq!(intake.releases_due(3.0 * 3600.0).len(), 5);
    }
}

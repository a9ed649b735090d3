//! The world's side of the scenarios: the export yard's buffer and staging yards, the far
//! side's cap ([`crate::intake`]), and the hour-by-hour record ([`crate::timeline`]). Each
//! hook is called from one line of the tick in the parent module.

use fleet::{Clearance, ContainerId, Direction};
use tracing::warn;

use super::{ContainerLog, Event, Simulation};
use crate::timeline::Timeline;

impl Simulation {
    pub(super) fn start_timelines(&mut self) {
        let timeline = |c: &ContainerLog| Timeline::new(c.direction, c.arrived_s);
        self.timelines = self.containers.iter().map(timeline).collect();
    }

    /// An export truck at the border: to the bays, or to staging when the yard is full.
    pub(super) fn admit_export(&mut self, container: ContainerId) {
        let timeline = &mut self.timelines[container.0 as usize];
        let reefer = self.containers[container.0 as usize].reefer;
        if self.intake.arrive(container, reefer) {
            timeline.admitted_s = Some(timeline.arrived_s);
            self.export_bays.join(container);
        } else {
            timeline.staged = true;
        }
    }

    /// Whether an export customs has cleared must wait for the far side; if so the core sees
    /// it as held. The first time it is let through, it is recorded as released to the fleet.
    pub(super) fn hold_for_far_side(&mut self, container: ContainerId) -> bool {
        let timeline = &mut self.timelines[container.0 as usize];
        if timeline.direction != Direction::Export || timeline.released_s.is_some() {
            return false;
        }
        if timeline.held_by_far_side {
            return true;
        }
        if self.intake.hold(container, self.now_s) {
            timeline.held_by_far_side = true;
            if let Err(refused) = self.core.set_clearance(container, Clearance::Held) {
                warn!(container = %container, %refused, "far-side hold refused");
            }
            return true;
        }
        timeline.released_s = Some(self.now_s);
        false
    }

    /// Customs' decision on a container as the far side lets it stand: a released export is
    /// held while the far side's cap keeps it.
    pub(super) fn far_side_decision(
        &mut self,
        container: ContainerId,
        decision: Clearance,
    ) -> Clearance {
        if decision == Clearance::Released && self.hold_for_far_side(container) {
            Clearance::Held
        } else {
            decision
        }
    }

    /// Before the tick's events: notes exports lifted out of their yard, brings trucks back
    /// from staging, and releases held exports the far side now takes.
    pub(super) fn tick_intake(&mut self) {
        let now = self.now_s;
        for body in &self.bodies {
            let Some(c) = body.load.map(|c| c.0 as usize) else {
                continue;
            };
            if self.timelines[c].picked_s.is_none() {
                self.timelines[c].picked_s = Some(now);
                if self.timelines[c].direction == Direction::Export {
                    self.intake.leave_yard(self.containers[c].reefer);
                }
            }
        }
        for container in self.intake.trucks_due(now) {
            self.timelines[container.0 as usize].admitted_s = Some(now);
            self.export_bays.join(container);
        }
        for container in self.intake.releases_due(now) {
            let timeline = &mut self.timelines[container.0 as usize];
            timeline.released_s = Some(now);
            timeline.held_by_far_side = false;
            self.schedule(now, Event::ContainerReady(container));
        }
    }

    /// At the end of each hour: the fleet's time split over the hour and its batteries.
    pub(super) fn sample_hour(&mut self) {
        if self.sampler.is_due(self.now_s) {
            let batteries = self.bodies.iter().map(|b| b.battery);
            self.sampler.sample(&self.tally.split_ticks, batteries);
        }
    }

    /// Samples a last, partial hour when the run does not end on the hour.
    pub(super) fn close_last_hour(&mut self) {
        if self.sampler.time_split.len() < self.config.hours.ceil() as usize {
            let batteries = self.bodies.iter().map(|b| b.battery);
            self.sampler.sample(&self.tally.split_ticks, batteries);
        }
    }
}

//! Decide: low batteries to the swap station, missions to AGVs (in [`super::dispatch`]), the
//! remaining idle AGVs to the nearest free parking slot; AGVs on their way switch to a free
//! booth of a pair or a less busy crane.

use std::collections::BTreeMap;

use bevy_ecs::prelude::*;
use maps::{Side, WaypointId};
use planner::{UNREACHABLE, VertexId};
use tracing::debug;

use super::dispatch::energy;
use super::{Planning, YardMap};
use crate::agv::{Agv, Halt, Purpose, Reported, Step, Work};
use crate::core::FleetConfig;
use crate::link::Action;
use crate::site::SiteLayout;

/// Sends available AGVs whose battery is low to the least busy swap station, lowest charge
/// first, while a station has room: a station takes [`FleetConfig::swap_queue`] AGVs at a
/// time (the one swapping and those queued for it), so that a wave of low batteries does not
/// jam the swap lanes. An AGV that finds no room stays available; dispatch gives it only
/// missions its charge covers above the reserve. An AGV far from the stations goes early:
/// when twice the drive there would take it below the reserve.
pub(super) fn send_to_swap(
    config: Res<FleetConfig>,
    site: Res<SiteLayout>,
    mut planning: ResMut<Planning>,
    mut agvs: Query<(&Agv, &Reported, &Halt, &mut Work)>,
) {
    let mut bound: BTreeMap<WaypointId, usize> =
        site.swap_stations().iter().map(|s| (*s, 0)).collect();
    for (_, _, _, work) in &agvs {
        if work.purpose == Purpose::Swap
            && let Some(goal) = work.goal()
        {
            *bound.entry(goal).or_default() += 1;
        }
    }
    let mut low: Vec<_> = agvs
        .iter_mut()
        .filter(|(_, reported, halt, work)| {
            if !work.is_available() || halt.lost {
                return false;
            }
            let trip = super::dispatch::to_swap_s(&site, &mut planning, reported.position());
            let due = config
                .swap_below
                .max(config.reserve + 2.0 * energy(&config, trip));
            reported.0.battery < due
        })
        .collect();
    low.sort_unstable_by(|a, b| {
        a.1.0
            .battery
            .total_cmp(&b.1.0.battery)
            .then(a.0.rank.cmp(&b.0.rank))
    });
    for (agv, reported, _, work) in &mut low {
        let room = bound
            .iter()
            .filter(|(_, n)| **n < config.swap_queue)
            .min_by_key(|(s, n)| (**n, **s));
        let Some((&station, _)) = room else {
            return;
        };
        *bound.entry(station).or_default() += 1;
        debug!(agv = %agv.id, battery = reported.0.battery, "sent to swap");
        let swap = Step {
            goal: station,
            action: Some(Action::BatterySwap),
        };
        **work = Work::new(Purpose::Swap, [swap]);
    }
}

/// Lets an AGV bound for a gate booth take the other booth of the pair when its own is
/// held and the other is free, so that one busy booth does not stall the queue behind it.
pub(super) fn pick_free_booths(site: Res<SiteLayout>, mut agvs: Query<(&Reported, &mut Work)>) {
    let mut held: Vec<WaypointId> = Vec::new();
    for (reported, work) in &agvs {
        let report = reported.0;
        held.extend(
            [Some(report.at), report.driving_to, report.then_to]
                .into_iter()
                .flatten(),
        );
        if let Some(step) = work
            .steps
            .front()
            .filter(|s| s.action == Some(Action::GateCheck))
        {
            held.push(step.goal);
        }
    }
    for (reported, mut work) in &mut agvs {
        let report = reported.0;
        let Some(step) = work.steps.front_mut() else {
            continue;
        };
        let arriving = reported.position() == step.goal || report.at == step.goal;
        if step.action != Some(Action::GateCheck) || arriving {
            continue;
        }
        let Some(pair) = site.booth_pair(step.goal) else {
            continue;
        };
        let own_is_busy = held.iter().filter(|w| **w == step.goal).count() > 1;
        if let Some(&free) = pair
            .iter()
            .find(|b| !held.contains(b))
            .filter(|_| own_is_busy)
        {
            held.push(free);
            step.goal = free;
        }
    }
}

/// Hops from a crane slot under which an AGV keeps the slot it was given: it is in the
/// crane's rung or about to turn into it.
const CRANE_COMMIT_HOPS: u32 = 3;

/// Lets an AGV on its way to a crane take a slot of a less busy crane of the same side, since
/// every crane of a side reaches every container of that side's stack. An AGV moves over
/// only when the other crane has at least two fewer AGVs heading to it, so that choices do
/// not flap from tick to tick.
pub(super) fn rebalance_crane_slots(
    yard: Res<YardMap>,
    site: Res<SiteLayout>,
    mut planning: ResMut<Planning>,
    mut agvs: Query<(&Reported, &mut Work)>,
) {
    let crane_step = |work: &Work| {
        work.steps
            .front()
            .filter(|s| matches!(s.action, Some(Action::Pick { .. } | Action::Drop { .. })))
            .map(|s| s.goal)
    };
    let mut bound = CraneLoad {
        by_crane: BTreeMap::new(),
        by_slot: BTreeMap::new(),
    };
    for (_, work) in &agvs {
        if let Some(goal) = crane_step(work) {
            bound.add(&yard, goal);
        }
    }
    for (reported, mut work) in &mut agvs {
        let Some(goal) = crane_step(&work) else {
            continue;
        };
        let here = reported.position();
        if planning.distances_to(goal).get(VertexId(here.0)) <= CRANE_COMMIT_HOPS {
            continue;
        }
        let side = yard.0.waypoint(goal).side;
        let best = bound.least_busy(&yard, site.crane_slots(side));
        let crane_load = |slot| {
            let crane = yard.0.crane_of_slot(slot);
            crane
                .and_then(|c| bound.by_crane.get(&c))
                .copied()
                .unwrap_or(0)
        };
        if crane_load(best) + 2 <= crane_load(goal) {
            bound.remove(&yard, goal);
            bound.add(&yard, best);
            if let Some(step) = work.steps.front_mut() {
                step.goal = best;
            }
        }
    }
}

/// Sends idle AGVs to the nearest parking slot that nobody holds or targets, on the other
/// side of the border when their own side is full.
pub(super) fn park_idle(
    site: Res<SiteLayout>,
    mut planning: ResMut<Planning>,
    mut agvs: Query<(&Agv, &Reported, &mut Work)>,
) {
    let mut taken: Vec<WaypointId> = agvs
        .iter()
        .flat_map(|(_, r, w)| {
            let parked = match w.purpose {
                Purpose::Park(slot) => Some(slot),
                _ => None,
            };
            [parked, Some(r.position())]
        })
        .flatten()
        .collect();
    for (agv, reported, mut work) in &mut agvs {
        if work.purpose != Purpose::Idle {
            continue;
        }
        // the nearest free slot; its own side's are nearer, the other side's are the fallback
        let here = reported.position();
        let mut best: Option<(u32, WaypointId)> = None;
        let all_parking = [Side::Vn, Side::Cn]
            .into_iter()
            .flat_map(|side| site.parking(side));
        for &slot in all_parking {
            if taken.contains(&slot) && slot != here {
                continue;
            }
            let hops = planning.distances_to(slot).get(VertexId(here.0));
            if hops != UNREACHABLE && best.is_none_or(|(h, _)| hops < h) {
                best = Some((hops, slot));
            }
        }
        if let Some((_, slot)) = best {
            taken.push(slot);
            debug!(agv = %agv.id, slot = %slot, "sent to park");
            *work = Work::new(
                Purpose::Park(slot),
                [Step {
                    goal: slot,
                    action: None,
                }],
            );
        }
    }
}

/// How many AGVs are bound for each crane and crane slot.
#[derive(Clone)]
pub(super) struct CraneLoad {
    by_crane: BTreeMap<maps::CraneId, usize>,
    by_slot: BTreeMap<WaypointId, usize>,
}

impl CraneLoad {
    pub(super) fn count<'w>(yard: &YardMap, works: impl Iterator<Item = &'w Work>) -> Self {
        let mut load = Self {
            by_crane: BTreeMap::new(),
            by_slot: BTreeMap::new(),
        };
        for work in works {
            let next = work.next.iter().flat_map(|(_, steps)| steps);
            for step in work.steps.iter().chain(next) {
                if matches!(step.action, Some(Action::Pick { .. } | Action::Drop { .. })) {
                    load.add(yard, step.goal);
                }
            }
        }
        load
    }

    fn remove(&mut self, yard: &YardMap, slot: WaypointId) {
        if let Some(n) = self.by_slot.get_mut(&slot) {
            *n = n.saturating_sub(1);
        }
        if let Some(n) = yard
            .0
            .crane_of_slot(slot)
            .and_then(|c| self.by_crane.get_mut(&c))
        {
            *n = n.saturating_sub(1);
        }
    }

    pub(super) fn add(&mut self, yard: &YardMap, slot: WaypointId) {
        *self.by_slot.entry(slot).or_default() += 1;
        if let Some(crane) = yard.0.crane_of_slot(slot) {
            *self.by_crane.entry(crane).or_default() += 1;
        }
    }

    /// The slot of the least busy crane, the least busy of that crane's slots first.
    pub(super) fn least_busy(&self, yard: &YardMap, slots: &[WaypointId]) -> WaypointId {
        let key = |slot: &WaypointId| {
            let crane = yard.0.crane_of_slot(*slot);
            let crane_load = crane
                .and_then(|c| self.by_crane.get(&c))
                .copied()
                .unwrap_or(0);
            (
                crane_load,
                self.by_slot.get(slot).copied().unwrap_or(0),
                *slot,
            )
        };
        *slots
            .iter()
            .min_by_key(|s| key(s))
            .expect("a site has crane slots on both sides")
    }

    /// AGVs bound for the crane of a slot.
    pub(super) fn of_crane(&self, yard: &YardMap, slot: WaypointId) -> usize {
        yard.0
            .crane_of_slot(slot)
            .and_then(|c| self.by_crane.get(&c))
            .copied()
            .unwrap_or(0)
    }
}

//! Decide: low batteries to the swap station, queued missions to the nearest idle AGV, the
//! remaining idle AGVs to the nearest free parking slot.
//!
//! Dispatch is the first, simple policy of the fleet: missions in queue order (reefers
//! first), each to the crane with the fewest AGVs bound for it, then to the idle AGV nearest
//! that crane by lane hops. Better policies (optimal assignment, return-leg pairing) replace
//! [`dispatch_missions`] and keep its contract: only available AGVs above the reserve get work.

use std::collections::BTreeMap;

use bevy_ecs::prelude::*;
use maps::{Side, WaypointId};
use planner::{UNREACHABLE, VertexId};
use tracing::debug;

use super::{Events, Planning, YardMap};
use crate::MissionId;
use crate::agv::{Agv, Purpose, Reported, Step, Work};
use crate::core::FleetConfig;
use crate::link::{Action, FleetEvent};
use crate::mission::{MissionBook, MoveRequest};
use crate::site::SiteLayout;

/// Sends available AGVs whose battery is low to the least busy swap station.
pub(super) fn send_to_swap(
    config: Res<FleetConfig>,
    site: Res<SiteLayout>,
    mut agvs: Query<(&Agv, &Reported, &mut Work)>,
) {
    let mut bound: BTreeMap<WaypointId, usize> =
        site.swap_stations().iter().map(|s| (*s, 0)).collect();
    for (_, _, work) in &agvs {
        if work.purpose == Purpose::Swap
            && let Some(goal) = work.goal()
        {
            *bound.entry(goal).or_default() += 1;
        }
    }
    for (agv, reported, mut work) in &mut agvs {
        if !work.is_available() || reported.0.battery >= config.swap_below {
            continue;
        }
        let Some((&station, _)) = bound.iter().min_by_key(|(s, n)| (**n, **s)) else {
            return;
        };
        *bound.entry(station).or_default() += 1;
        debug!(agv = %agv.id, battery = reported.0.battery, "sent to swap");
        let swap = Step {
            goal: station,
            action: Some(Action::BatterySwap),
        };
        *work = Work::new(Purpose::Swap, [swap]);
    }
}

/// Gives queued missions to the nearest available AGVs.
pub(super) fn dispatch_missions(
    config: Res<FleetConfig>,
    site: Res<SiteLayout>,
    yard: Res<YardMap>,
    mut planning: ResMut<Planning>,
    mut book: ResMut<MissionBook>,
    mut events: ResMut<Events>,
    mut agvs: Query<(Entity, &Agv, &Reported, &mut Work)>,
) {
    let mut free: Vec<(usize, Entity, WaypointId)> = agvs
        .iter()
        .filter(|(_, _, r, w)| w.is_available() && r.0.battery >= config.reserve)
        .map(|(e, agv, r, _)| (agv.rank, e, r.position()))
        .collect();
    if free.is_empty() || book.dispatchable().next().is_none() {
        return;
    }
    free.sort_unstable_by_key(|f| f.0);
    let mut load = CraneLoad::count(&yard, agvs.iter().map(|(_, _, _, w)| w));

    let queued: Vec<(MissionId, MoveRequest)> =
        book.dispatchable().map(|m| (m.id, m.request)).collect();
    for (id, request) in queued {
        let pick = load.least_busy(&yard, site.crane_slots(request.direction.origin()));
        let distances = planning.distances_to(pick);
        let nearest = free
            .iter()
            .enumerate()
            .map(|(i, f)| (i, f.0, distances.get(VertexId(f.2.0))))
            .filter(|&(_, _, hops)| hops != UNREACHABLE)
            .min_by_key(|&(_, rank, hops)| (hops, rank))
            .map(|(i, _, _)| i);
        let Some(chosen) = nearest else { continue };
        let (_, entity, _) = free.swap_remove(chosen);
        let drop = load.least_busy(&yard, site.crane_slots(request.direction.destination()));
        load.add(&yard, pick);
        load.add(&yard, drop);

        let steps = mission_steps(&site, id, request, pick, drop);
        let Ok((_, agv, _, mut work)) = agvs.get_mut(entity) else {
            continue;
        };
        *work = Work::new(Purpose::Mission(id), steps);
        book.assign(id, agv.id);
        events.0.push(FleetEvent::MissionAssigned {
            mission: id,
            agv: agv.id,
        });
        debug!(mission = %id, agv = %agv.id, "mission assigned");
        if free.is_empty() {
            break;
        }
    }
}

/// The legs of a container move: load at `pick`, the origin's outbound booth, km 0, the
/// destination's inbound booth, unload at `drop`. Booths alternate by mission id.
fn mission_steps(
    site: &SiteLayout,
    id: MissionId,
    request: MoveRequest,
    pick: WaypointId,
    drop: WaypointId,
) -> [Step; 5] {
    let direction = request.direction;
    let booth = |side: Side| {
        let booths = site.booths(side, direction);
        booths[id.0 as usize % booths.len()]
    };
    let container = request.container;
    [
        Step {
            goal: pick,
            action: Some(Action::Pick { container }),
        },
        Step {
            goal: booth(direction.origin()),
            action: Some(Action::GateCheck),
        },
        Step {
            goal: site.checkpoint(direction),
            action: Some(Action::BorderCheck),
        },
        Step {
            goal: booth(direction.destination()),
            action: Some(Action::GateCheck),
        },
        Step {
            goal: drop,
            action: Some(Action::Drop { container }),
        },
    ]
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
struct CraneLoad {
    by_crane: BTreeMap<maps::CraneId, usize>,
    by_slot: BTreeMap<WaypointId, usize>,
}

impl CraneLoad {
    fn count<'w>(yard: &YardMap, works: impl Iterator<Item = &'w Work>) -> Self {
        let mut load = Self {
            by_crane: BTreeMap::new(),
            by_slot: BTreeMap::new(),
        };
        for work in works {
            for step in &work.steps {
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

    fn add(&mut self, yard: &YardMap, slot: WaypointId) {
        *self.by_slot.entry(slot).or_default() += 1;
        if let Some(crane) = yard.0.crane_of_slot(slot) {
            *self.by_crane.entry(crane).or_default() += 1;
        }
    }

    /// The slot of the least busy crane, the least busy of that crane's slots first.
    fn least_busy(&self, yard: &YardMap, slots: &[WaypointId]) -> WaypointId {
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
}

//! Dispatch: which AGV carries which container next.
//!
//! Two policies ([`DispatchPolicy`]), both keeping the same contract: a mission goes only to
//! an AGV that is free (or, with [`DispatchPolicy::Optimal`], about to be) and whose battery
//! covers the mission and the drive back to a swap station above the reserve, with a factor
//! of two for queues; the pick slot of a mission is a slot of the least busy crane of its
//! origin side (every crane of a side reaches every container of that side's stack).
//!
//! - **Nearest idle** (the baseline): missions in queue order (reefers first), each to the
//!   idle AGV nearest its crane by lane hops.
//! - **Optimal**: a min-cost assignment (Kuhn-Munkres, from the `pathfinding` crate) between
//!   candidate AGVs and the missions at the head of the queue, solved again on every tick
//!   in which an AGV is free or about to be and a released mission waits. The cost of a pair
//!   is the estimated time until the AGV can be served at the mission's crane: its drive
//!   there, or the queue of AGVs already bound for that crane if longer. A mission's
//!   priority (refrigerated first, then how long it has waited) lowers all its pairs, which
//!   decides *which* missions are served when they outnumber the AGVs.
//!
//!   When no AGV is free and the lane is flowing (few AGVs stand queueing), the fleet is
//!   what is short: then AGVs carrying a container with only the drop left are candidates
//!   too, from their drop slot once the lift is done, and the window looks a few missions
//!   past the head of the queue. This pairs a delivery with a pick-up on the same side (an
//!   export's AGV takes an import back instead of a parked AGV crossing empty), and the
//!   next mission is chained after the drop. While AGVs are free, or when many queue, the
//!   lane is what is short, and chaining only fills its queues: on the Hữu Nghị yard at 3x
//!   with 120 AGVs, chaining at all times cost 3 % of the day's clearance.
//!
//! Measured on Hữu Nghị, 3x, seeds 1-6 (`gatefleet sim --demand 3x --agvs N --dispatch P`):
//! with 60 AGVs the optimal policy clears 4.2 % more containers than nearest-idle with 11 %
//! fewer empty kilometres; with 120 AGVs, where the gate booths and the Chinese yard's exit
//! aisle are the constraint, 0.8 % fewer. Three containers in four are imports, so at least
//! half the trips cross empty whatever the policy: pairing has little room.

use bevy_ecs::prelude::*;
use maps::{Side, WaypointId};
use pathfinding::kuhn_munkres::kuhn_munkres_min;
use pathfinding::matrix::Matrix;
use planner::{UNREACHABLE, VertexId};
use tracing::debug;

use super::decide::CraneLoad;
use super::{Events, Planning, YardMap};
use crate::MissionId;
use crate::agv::{Agv, Halt, Purpose, Reported, Step, Work};
use crate::core::FleetConfig;
use crate::link::{Action, FleetEvent};
use crate::mission::{Direction, MissionBook, MoveRequest};
use crate::plugs::ReeferPlugs;
use crate::site::SiteLayout;

/// How missions are given to AGVs.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum DispatchPolicy {
    /// Each mission, in queue order, to the idle AGV nearest its crane.
    NearestIdle,
    /// A min-cost assignment of free and soon-free AGVs to the head of the queue.
    #[default]
    Optimal,
}

/// Seconds an AGV takes per lane hop, for the cost estimates: yard lanes are cut into slots
/// of about 20-25 m, driven at 4-6 m/s.
const HOP_S: i64 = 4;
/// How much sooner a refrigerated container is served, in seconds of AGV travel it is worth.
const REEFER_PRIORITY_S: i64 = 1_800;
/// Missions looked at beyond the number of candidate AGVs, so that a near mission a little
/// further down the queue can be preferred to a far one at its head.
const LOOKAHEAD: usize = 8;

/// An AGV with work standing this long, not in an action, is queueing.
const QUEUEING_S: f64 = 20.0;
/// The share of the fleet queueing, in percent, from which the lane is taken as the
/// constraint rather than the fleet.
const LANE_SHORT_PCT: usize = 2;

/// A candidate AGV of this tick's assignment.
struct Candidate {
    entity: Entity,
    rank: usize,
    /// Where it can start the next mission from.
    from: WaypointId,
    /// Seconds until it is free there.
    ready_in_s: i64,
    /// It is finishing a mission: its next one is chained after the drop.
    chained: bool,
    /// Its charge when it starts the next mission, 0 to 1.
    battery: f64,
}

/// Gives queued missions to AGVs by the configured policy.
#[expect(
    clippy::too_many_arguments,
    reason = "a bevy system takes its resources as arguments"
)]
pub(super) fn dispatch_missions(
    config: Res<FleetConfig>,
    site: Res<SiteLayout>,
    yard: Res<YardMap>,
    clock: Res<super::FleetClock>,
    mut planning: ResMut<Planning>,
    mut book: ResMut<MissionBook>,
    mut events: ResMut<Events>,
    plugs: Res<ReeferPlugs>,
    mut agvs: Query<(Entity, &Agv, &Reported, &Halt, &mut Work)>,
    still: Query<&crate::agv::Standstill>,
) {
    if book.dispatchable().next().is_none() {
        return;
    }
    let lift_s = yard.0.times().crane_lift_s as i64;
    let mut candidates: Vec<Candidate> = Vec::new();
    for (entity, agv, reported, halt, work) in &agvs {
        let battery = reported.0.battery;
        if halt.holds_still() || battery < config.reserve {
            continue;
        }
        let here = reported.position();
        if work.is_available() {
            candidates.push(Candidate {
                entity,
                rank: agv.rank,
                from: here,
                ready_in_s: 0,
                chained: false,
                battery,
            });
            continue;
        }
        // an AGV that will need a swap after its drop is not given more work before it
        let chainable = config.dispatch == DispatchPolicy::Optimal && battery >= config.swap_below;
        if let Some(drop) = last_drop(work).filter(|_| chainable) {
            let hops = planning.distances_to(drop).get(VertexId(here.0));
            if hops != UNREACHABLE {
                let ready_in_s = i64::from(hops) * HOP_S + lift_s;
                candidates.push(Candidate {
                    entity,
                    rank: agv.rank,
                    from: drop,
                    ready_in_s,
                    chained: true,
                    battery: battery - energy(&config, ready_in_s),
                });
            }
        }
    }
    // promising work to busy AGVs, or serving missions out of queue order, pays only when no
    // AGV is free and the lane flows; while many AGVs queue, the lane is what is short, and
    // sending AGVs from a drop straight to a pick only lengthens its queues
    let queueing = agvs
        .iter()
        .filter(|(e, _, r, _, w)| {
            !w.is_available()
                && r.is_standing()
                && w.action_sent.is_none()
                && still
                    .get(*e)
                    .is_ok_and(|s| s.seconds(clock.now_s) >= QUEUEING_S)
        })
        .count();
    let lane_short = queueing * 100 >= agvs.iter().len() * LANE_SHORT_PCT;
    let fleet_short = !lane_short && candidates.iter().all(|c| c.chained);
    if !fleet_short {
        candidates.retain(|c| !c.chained);
    }
    if candidates.is_empty() {
        return;
    }
    candidates.sort_unstable_by_key(|c| c.rank);
    let mut load = CraneLoad::count(&yard, agvs.iter().map(|(.., w)| w));

    let window = match config.dispatch {
        DispatchPolicy::NearestIdle => usize::MAX,
        DispatchPolicy::Optimal if fleet_short => candidates.len() + LOOKAHEAD,
        DispatchPolicy::Optimal => candidates.len(),
    };
    // a reefer is carried only to a side with a plug free for it
    let mut free_plugs = [Side::Vn, Side::Cn].map(|side| plugs.free(side, &book));
    let missions: Vec<(MissionId, MoveRequest, f64)> = book
        .dispatchable()
        .filter(|m| {
            let plug = &mut free_plugs[crate::plugs::index(m.request.direction.destination())];
            let fits = !m.request.reefer || *plug > 0;
            if m.request.reefer && fits {
                *plug -= 1;
            }
            fits
        })
        .take(window)
        .map(|m| (m.id, m.request, m.accepted_s))
        .collect();
    // a crossing's length depends on its direction only
    let crossings = [Direction::Export, Direction::Import]
        .map(|direction| crossing_s(&site, &mut planning, direction));
    let solve = Solve {
        site: &site,
        yard: &yard,
        config: &config,
        candidates: &candidates,
        missions: &missions,
        crossings: &crossings,
    };
    let assignments = match config.dispatch {
        DispatchPolicy::NearestIdle => solve.nearest_idle(&mut planning, &mut load),
        DispatchPolicy::Optimal => solve.optimal(&mut planning, &mut load, clock.now_s),
    };

    for assignment in assignments {
        let candidate = &candidates[assignment.candidate];
        let id = assignment.mission;
        let steps = mission_steps(
            &site,
            id,
            assignment.request,
            assignment.pick,
            assignment.drop,
        );
        let Ok((_, agv, _, _, mut work)) = agvs.get_mut(candidate.entity) else {
            continue;
        };
        if candidate.chained {
            work.next = Some((id, steps.to_vec()));
        } else {
            *work = Work::new(Purpose::Mission(id), steps);
        }
        book.assign(id, agv.id);
        events.0.push(FleetEvent::MissionAssigned {
            mission: id,
            agv: agv.id,
        });
        debug!(mission = %id, agv = %agv.id, chained = candidate.chained, "mission assigned");
    }
}

/// Share of a battery used by `seconds` of driving.
pub(super) fn energy(config: &FleetConfig, seconds: i64) -> f64 {
    seconds as f64 / (config.battery_hours * 3600.0)
}

/// Seconds of driving a mission takes from its crane on, for its energy estimate: from the
/// origin's first crane slot to km 0, on to the destination's first slot, and from there to
/// the nearest swap station, so that the AGV can still reach one above the reserve.
fn crossing_s(site: &SiteLayout, planning: &mut Planning, direction: Direction) -> i64 {
    let km0 = site.checkpoint(direction);
    let pick = site.crane_slots(direction.origin())[0];
    let drop = site.crane_slots(direction.destination())[0];
    let out = planning.distances_to(km0).get(VertexId(pick.0));
    let back = planning.distances_to(drop).get(VertexId(km0.0));
    i64::from(out.saturating_add(back)) * HOP_S + to_swap_s(site, planning, drop)
}

/// Seconds from a waypoint to the nearest swap station.
pub(super) fn to_swap_s(site: &SiteLayout, planning: &mut Planning, from: WaypointId) -> i64 {
    let hops = site
        .swap_stations()
        .iter()
        .map(|&station| planning.distances_to(station).get(VertexId(from.0)))
        .min()
        .unwrap_or(UNREACHABLE);
    i64::from(hops.min(UNREACHABLE / 2)) * HOP_S
}

/// A mission given to a candidate, with the slots it is picked and dropped at.
struct Assignment {
    candidate: usize,
    mission: MissionId,
    request: MoveRequest,
    pick: WaypointId,
    drop: WaypointId,
}

/// One tick's dispatch problem.
struct Solve<'a> {
    site: &'a SiteLayout,
    yard: &'a YardMap,
    config: &'a FleetConfig,
    candidates: &'a [Candidate],
    /// The head of the queue: id, request, time accepted.
    missions: &'a [(MissionId, MoveRequest, f64)],
    /// Seconds of a loaded crossing, exports then imports.
    crossings: &'a [i64; 2],
}

impl Solve<'_> {
    /// Whether a candidate `hops` away from a mission's crane can do it and stay above the
    /// reserve.
    fn has_charge_for(&self, candidate: &Candidate, hops: u32, mission: usize) -> bool {
        let crossing = match self.missions[mission].1.direction {
            Direction::Export => self.crossings[0],
            Direction::Import => self.crossings[1],
        };
        let seconds = i64::from(hops) * HOP_S + crossing;
        // twice the driving time: queues at cranes and booths drain the battery too
        candidate.battery - 2.0 * energy(self.config, seconds) >= self.config.reserve
    }
}

impl Solve<'_> {
    /// The slot of the least busy crane for one end of a mission; counts it as taken.
    fn slot(&self, load: &mut CraneLoad, side: Side) -> WaypointId {
        let slot = load.least_busy(self.yard, self.site.crane_slots(side));
        load.add(self.yard, slot);
        slot
    }

    /// Missions in queue order, each to the nearest free candidate; a mission nobody can
    /// reach is skipped.
    fn nearest_idle(&self, planning: &mut Planning, load: &mut CraneLoad) -> Vec<Assignment> {
        let mut free: Vec<usize> = (0..self.candidates.len()).collect();
        let mut assignments = Vec::new();
        for (m, &(mission, request, _)) in self.missions.iter().enumerate() {
            if free.is_empty() {
                break;
            }
            let pick =
                load.least_busy(self.yard, self.site.crane_slots(request.direction.origin()));
            let distances = planning.distances_to(pick);
            let nearest = free
                .iter()
                .enumerate()
                .map(|(i, &c)| (i, distances.get(VertexId(self.candidates[c].from.0))))
                .filter(|&(i, hops)| {
                    hops != UNREACHABLE && self.has_charge_for(&self.candidates[free[i]], hops, m)
                })
                .min_by_key(|&(i, hops)| (hops, self.candidates[free[i]].rank))
                .map(|(i, _)| i);
            let Some(chosen) = nearest else { continue };
            let candidate = free.swap_remove(chosen);
            let drop = load.least_busy(
                self.yard,
                self.site.crane_slots(request.direction.destination()),
            );
            load.add(self.yard, pick);
            load.add(self.yard, drop);
            assignments.push(Assignment {
                candidate,
                mission,
                request,
                pick,
                drop,
            });
        }
        assignments
    }

    /// The min-cost assignment of candidates to the missions of the window.
    fn optimal(
        &self,
        planning: &mut Planning,
        load: &mut CraneLoad,
        now_s: f64,
    ) -> Vec<Assignment> {
        let (candidates, missions) = (self.candidates, self.missions);
        if missions.is_empty() {
            return Vec::new();
        }
        // pick slots spread over the cranes as if every mission of the window were served
        let mut planned = load.clone();
        let picks: Vec<WaypointId> = missions
            .iter()
            .map(|(_, request, _)| self.slot(&mut planned, request.direction.origin()))
            .collect();
        // worth more than any real pair, so that an unreachable pair is chosen only when
        // nothing else is left, and then dropped
        const UNREACHABLE_COST: i64 = i64::MAX / 1024;
        let mut cost = Matrix::new(candidates.len(), missions.len(), UNREACHABLE_COST);
        let lift_s = self.yard.0.times().crane_lift_s as i64;
        for (m, (&(_, request, accepted_s), &pick)) in missions.iter().zip(&picks).enumerate() {
            // the AGVs already bound for the crane are served first, a lift each
            let crane_wait_s = load.of_crane(self.yard, pick) as i64 * lift_s;
            let waited_s = (now_s - accepted_s).max(0.0) as i64;
            let priority = waited_s + if request.reefer { REEFER_PRIORITY_S } else { 0 };
            let distances = planning.distances_to(pick);
            for (c, candidate) in candidates.iter().enumerate() {
                let hops = distances.get(VertexId(candidate.from.0));
                if hops != UNREACHABLE && self.has_charge_for(candidate, hops, m) {
                    // the time until the crane serves it, and the driving itself: an AGV
                    // that would wait at the crane anyway is still better sent from nearby,
                    // as every metre driven empty takes lane room from the others
                    let travel_s = i64::from(hops) * HOP_S;
                    let at_crane_s = (candidate.ready_in_s + travel_s).max(crane_wait_s);
                    cost[(c, m)] = at_crane_s + travel_s - priority;
                }
            }
        }
        // Kuhn-Munkres wants no more rows than columns
        let transposed = candidates.len() > missions.len();
        let weights = if transposed {
            cost.transposed()
        } else {
            cost.clone()
        };
        let (_, columns_of_rows) = kuhn_munkres_min(&weights);
        let mut pairs: Vec<(usize, usize)> = columns_of_rows
            .into_iter()
            .enumerate()
            .map(|(row, col)| if transposed { (col, row) } else { (row, col) })
            .filter(|&(c, m)| cost[(c, m)] < UNREACHABLE_COST / 2)
            // a mission is promised to a busy AGV only when no free one would be at the crane
            // as soon: promises are not revised, and free AGVs keep the yard's aisles clear
            .filter(|&(c, m)| !candidates[c].chained || sooner_than_free(c, m, candidates, &cost))
            .collect();
        pairs.sort_unstable();
        pairs
            .into_iter()
            .map(|(candidate, m)| {
                let (mission, request, _) = missions[m];
                load.add(self.yard, picks[m]);
                let drop = self.slot(load, request.direction.destination());
                Assignment {
                    candidate,
                    mission,
                    request,
                    pick: picks[m],
                    drop,
                }
            })
            .collect()
    }
}

/// The crane slot of an AGV's last leg when that leg is the drop of a container it carries
/// and nothing is chained after it yet.
fn last_drop(work: &Work) -> Option<WaypointId> {
    if work.next.is_some() || work.steps.len() != 1 {
        return None;
    }
    let step = work.steps.front()?;
    matches!(step.action, Some(Action::Drop { .. })).then_some(step.goal)
}

/// Whether candidate `c` reaches mission `m`'s crane no later than any free candidate would.
fn sooner_than_free(c: usize, m: usize, candidates: &[Candidate], cost: &Matrix<i64>) -> bool {
    candidates
        .iter()
        .enumerate()
        .filter(|(_, other)| !other.chained)
        .all(|(o, _)| cost[(c, m)] <= cost[(o, m)])
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

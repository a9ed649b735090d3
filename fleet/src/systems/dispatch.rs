//! Dispatch: which AGV carries which container next.
//!
//! Two policies ([`DispatchPolicy`]), both keeping the same contract: a mission goes only to
//! an AGV that is free (or, with [`DispatchPolicy::Optimal`], about to be) and whose battery
//! covers the mission above the reserve; the pick slot of a mission is the slot of the least
//! busy crane of its origin side.
//!
//! - **Nearest idle** (the baseline): missions in queue order (reefers first), each to the
//!   idle AGV nearest its crane by lane hops.
//! - **Optimal**: a min-cost assignment (Kuhn-Munkres, from the `pathfinding` crate) between
//!   the AGVs that are free or will be soon and the missions at the head of the queue,
//!   solved again whenever an AGV frees up or a mission is released (every tick something
//!   changed, never otherwise). The cost of a pair is the estimated time until the AGV
//!   stands at the mission's crane; a mission's priority (refrigerated first, then how long
//!   it has waited) lowers the cost of all its pairs, which decides *which* missions are
//!   served when there are more missions than AGVs. An AGV that is carrying a container
//!   and has only its drop left is a candidate from where it will drop it, once the lift is
//!   done: this pairs a delivery with a pick-up on the same side (an export's AGV takes an
//!   import back), and its next mission is chained after the drop, so it never drives
//!   empty to park in between.

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
use crate::mission::{MissionBook, MoveRequest};
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
    mut agvs: Query<(Entity, &Agv, &Reported, &Halt, &mut Work)>,
) {
    if book.dispatchable().next().is_none() {
        return;
    }
    let lift_s = yard.0.times().crane_lift_s as i64;
    let mut candidates: Vec<Candidate> = Vec::new();
    for (entity, agv, reported, halt, work) in &agvs {
        let battery = reported.0.battery;
        if halt.paused || battery < config.reserve {
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
            });
            continue;
        }
        // an AGV that will need a swap after its drop is not given more work before it
        let chainable = config.dispatch == DispatchPolicy::Optimal && battery >= config.swap_below;
        if let Some(drop) = last_drop(work).filter(|_| chainable) {
            let hops = planning.distances_to(drop).get(VertexId(here.0));
            if hops != UNREACHABLE {
                candidates.push(Candidate {
                    entity,
                    rank: agv.rank,
                    from: drop,
                    ready_in_s: i64::from(hops) * HOP_S + lift_s,
                    chained: true,
                });
            }
        }
    }
    if candidates.is_empty() {
        return;
    }
    candidates.sort_unstable_by_key(|c| c.rank);
    let mut load = CraneLoad::count(&yard, agvs.iter().map(|(.., w)| w));

    let window = match config.dispatch {
        DispatchPolicy::NearestIdle => usize::MAX,
        DispatchPolicy::Optimal => candidates.len() + LOOKAHEAD,
    };
    let missions: Vec<(MissionId, MoveRequest, f64)> = book
        .dispatchable()
        .take(window)
        .map(|m| (m.id, m.request, m.accepted_s))
        .collect();
    let solve = Solve {
        site: &site,
        yard: &yard,
        candidates: &candidates,
        missions: &missions,
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
    candidates: &'a [Candidate],
    /// The head of the queue: id, request, time accepted.
    missions: &'a [(MissionId, MoveRequest, f64)],
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
        for &(mission, request, _) in self.missions {
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
                .filter(|&(_, hops)| hops != UNREACHABLE)
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
        for (m, (&(_, request, accepted_s), &pick)) in missions.iter().zip(&picks).enumerate() {
            let waited_s = (now_s - accepted_s).max(0.0) as i64;
            let priority = waited_s + if request.reefer { REEFER_PRIORITY_S } else { 0 };
            let distances = planning.distances_to(pick);
            for (c, candidate) in candidates.iter().enumerate() {
                let hops = distances.get(VertexId(candidate.from.0));
                if hops != UNREACHABLE {
                    cost[(c, m)] = candidate.ready_in_s + i64::from(hops) * HOP_S - priority;
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

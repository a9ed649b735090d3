//! Act: the decided moves and the due actions become commands to the vehicles, and
//! emergency stops become pauses.

use bevy_ecs::prelude::*;

use super::{Outbox, Planning, YardMap};
use crate::agv::{Agv, Halt, Reported, Work};
use crate::ids::ActionId;
use crate::link::VehicleCommand;
use crate::rules::TrafficRules;

/// The next action id to give out.
#[derive(Resource, Debug, Default)]
pub(crate) struct ActionIds(u64);

/// Pauses every AGV an emergency stop covers (where it stands, drives to or was released
/// to), and resumes those no stop covers any more.
pub(super) fn pause_and_resume(
    rules: Res<TrafficRules>,
    mut outbox: ResMut<Outbox>,
    mut agvs: Query<(&Agv, &Reported, &mut Halt)>,
) {
    let mut changed: Vec<(usize, VehicleCommand)> = Vec::new();
    for (agv, reported, mut halt) in &mut agvs {
        let report = reported.0;
        let covered = [Some(report.at), report.driving_to, report.then_to]
            .into_iter()
            .flatten()
            .any(|w| rules.is_stopped(w));
        if covered != halt.paused {
            halt.paused = covered;
            let command = if covered {
                VehicleCommand::Pause { agv: agv.id }
            } else {
                VehicleCommand::Resume { agv: agv.id }
            };
            changed.push((agv.rank, command));
        }
    }
    changed.sort_unstable_by_key(|c| c.0);
    outbox.0.extend(changed.into_iter().map(|c| c.1));
}

/// Sends each moving AGV its next waypoint, and each AGV standing at a leg's goal its action.
pub(super) fn send_commands(
    planning: Res<Planning>,
    yard: Res<YardMap>,
    rules: Res<TrafficRules>,
    mut outbox: ResMut<Outbox>,
    mut ids: ResMut<ActionIds>,
    mut agvs: Query<(&Agv, &Reported, &Halt, &mut Work)>,
) {
    for &(entity, from, to) in &planning.moves {
        if let Ok((agv, _, halt, _)) = agvs.get(entity)
            && !halt.holds_still()
        {
            let max_speed_mps = yard
                .0
                .lane_between(from, to)
                .map_or(f64::INFINITY, |lane| rules.speed_limit(&yard.0, lane));
            outbox.0.push(VehicleCommand::Drive {
                agv: agv.id,
                to,
                max_speed_mps,
            });
        }
    }
    let mut due: Vec<_> = agvs
        .iter_mut()
        .filter(|(_, reported, halt, work)| {
            let report = reported.0;
            let step = work.steps.front();
            !halt.holds_still()
                && work.action_sent.is_none()
                && reported.is_standing()
                && step.is_some_and(|s| s.goal == report.at && s.action.is_some())
        })
        .collect();
    due.sort_unstable_by_key(|(agv, _, _, _)| agv.rank);
    for (agv, _, _, work) in &mut due {
        if let Some(action) = work.steps.front().and_then(|s| s.action) {
            let id = ActionId(ids.0);
            ids.0 += 1;
            outbox.0.push(VehicleCommand::StartAction {
                agv: agv.id,
                id,
                action,
            });
            work.action_sent = Some(id);
        }
    }
}

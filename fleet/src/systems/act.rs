//! Act: the decided moves and the due actions become commands to the vehicles.

use bevy_ecs::prelude::*;

use super::{Outbox, Planning};
use crate::agv::{Agv, Reported, Work};
use crate::ids::ActionId;
use crate::link::VehicleCommand;

/// The next action id to give out.
#[derive(Resource, Debug, Default)]
pub(crate) struct ActionIds(u64);

/// Sends each moving AGV its next waypoint, and each AGV standing at a leg's goal its action.
pub(super) fn send_commands(
    planning: Res<Planning>,
    mut outbox: ResMut<Outbox>,
    mut ids: ResMut<ActionIds>,
    mut agvs: Query<(&Agv, &Reported, &mut Work)>,
) {
    for &(entity, to) in &planning.moves {
        if let Ok((agv, _, _)) = agvs.get(entity) {
            outbox.0.push(VehicleCommand::Drive { agv: agv.id, to });
        }
    }
    let mut due: Vec<_> = agvs
        .iter_mut()
        .filter(|(_, reported, work)| {
            let report = reported.0;
            let step = work.steps.front();
            work.action_sent.is_none()
                && reported.is_standing()
                && step.is_some_and(|s| s.goal == report.at && s.action.is_some())
        })
        .collect();
    due.sort_unstable_by_key(|(agv, _, _)| agv.rank);
    for (agv, _, work) in &mut due {
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

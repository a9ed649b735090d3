//! Sense: vehicle reports into components, and work moved on when a leg is done.

use bevy_ecs::prelude::*;
use tracing::{debug, warn};

use super::{AgvIndex, Events, Inbox};
use crate::agv::{Agv, Purpose, Reported, Work};
use crate::link::{Action, ActionStatus, FleetEvent};
use crate::mission::{MissionBook, MissionState};
use crate::plugs::ReeferPlugs;

/// Copies each report onto its AGV; reports from unknown vehicles are dropped with a warning.
pub(super) fn ingest_reports(
    mut inbox: ResMut<Inbox>,
    index: Res<AgvIndex>,
    mut agvs: Query<&mut Reported>,
) {
    for report in inbox.0.drain(..) {
        match index.0.get(&report.agv).and_then(|e| agvs.get_mut(*e).ok()) {
            Some(mut reported) => reported.0 = report,
            None => warn!(agv = %report.agv, "report from a vehicle not in the fleet"),
        }
    }
}

/// Pops the current leg of every AGV that reached its goal and, where the leg has an
/// action, saw it finish; keeps missions in step.
pub(super) fn advance_work(
    mut agvs: Query<(&Agv, &Reported, &mut Work)>,
    mut book: ResMut<MissionBook>,
    mut events: ResMut<Events>,
    mut plugs: ResMut<ReeferPlugs>,
) {
    for (agv, reported, mut work) in &mut agvs {
        let report = &reported.0;
        let Some(step) = work.steps.front().copied() else {
            continue;
        };
        // a leg without an action is done once the goal is reached, even when passing on
        if report.at != step.goal || (step.action.is_some() && report.driving_to.is_some()) {
            continue;
        }
        if let Some(action) = step.action {
            let Some(sent) = work.action_sent else {
                continue;
            };
            // only the state of the action sent for this leg counts, never an older one
            match report
                .action
                .filter(|state| state.id == sent)
                .map(|state| state.status)
            {
                Some(ActionStatus::Finished) => {
                    on_action_finished(action, work.purpose, &mut book, &mut events, &mut plugs);
                }
                Some(ActionStatus::Failed) => {
                    warn!(agv = %agv.id, ?action, "action failed; work dropped");
                    if let Purpose::Mission(id) = work.purpose {
                        book.requeue(id);
                    }
                    if let Some((next, _)) = work.next.take() {
                        book.requeue(next);
                    }
                    events.0.push(FleetEvent::ActionFailed {
                        agv: agv.id,
                        action,
                    });
                    *work = Work::idle();
                    continue;
                }
                _ => continue,
            }
        }
        work.steps.pop_front();
        work.action_sent = None;
        if work.steps.is_empty() && !matches!(work.purpose, Purpose::Park(_)) {
            debug!(agv = %agv.id, purpose = ?work.purpose, "work done");
            *work = match work.next.take() {
                Some((next, steps)) => Work::new(Purpose::Mission(next), steps),
                None => Work::idle(),
            };
        }
    }
}

fn on_action_finished(
    action: Action,
    purpose: Purpose,
    book: &mut MissionBook,
    events: &mut Events,
    plugs: &mut ReeferPlugs,
) {
    let Purpose::Mission(mission) = purpose else {
        return;
    };
    match action {
        Action::Pick { .. } => {
            book.set_state(mission, MissionState::Underway);
            events.0.push(FleetEvent::ContainerLoaded { mission });
        }
        Action::Drop { container } => {
            if let Some(request) = book.get(mission).map(|m| m.request)
                && request.reefer
            {
                plugs.plug_in(request.direction.destination(), container);
            }
            book.set_state(mission, MissionState::Done);
            events
                .0
                .push(FleetEvent::MissionCompleted { mission, container });
        }
        Action::GateCheck | Action::BorderCheck | Action::BatterySwap => {}
    }
}

//! The actions a virtual AGV runs: which types it knows, their parameters and durations.
//!
//! Order actions (`pick`, `drop`, `startCharging`, `gateCheck`, `borderCheck`) run on nodes,
//! one at a time, while the vehicle stands: every blocking type is run as `HARD`. Their
//! status goes `WAITING` (accepted, node not reached) → `RUNNING` → `FINISHED` or `FAILED`;
//! the vehicle never reports `PAUSED` (the 2.1.0 state schema lacks it): a running action
//! held by a pause stays `RUNNING` and stops progressing, and the state's `paused` says so.

use vda5050::{Action, ActionStatus};

/// Instant action types the vehicle knows.
pub const INSTANT_ACTION_TYPES: [&str; 5] = [
    "startPause",
    "stopPause",
    "cancelOrder",
    "stateRequest",
    "factsheetRequest",
];

/// An order action type the vehicle knows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ActionKind {
    /// Load a container (`loadId`) onto the deck.
    Pick,
    /// Unload the container `loadId`; fails if the vehicle does not carry it.
    Drop,
    /// Battery swap: at the end the battery is full.
    StartCharging,
    /// Stand at a gate booth while the container is checked.
    GateCheck,
    /// Stand at the km 0 line while the container is checked.
    BorderCheck,
}

impl ActionKind {
    /// Every order action type, in the factsheet's order.
    pub const ALL: [ActionKind; 5] = [
        ActionKind::Pick,
        ActionKind::Drop,
        ActionKind::StartCharging,
        ActionKind::GateCheck,
        ActionKind::BorderCheck,
    ];

    /// The kind of an `actionType`, `None` for a type the vehicle does not know.
    pub fn parse(action_type: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|kind| kind.as_str() == action_type)
    }

    /// The `actionType` as written on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pick => "pick",
            Self::Drop => "drop",
            Self::StartCharging => "startCharging",
            Self::GateCheck => "gateCheck",
            Self::BorderCheck => "borderCheck",
        }
    }

    /// Duration when the action has no `duration` parameter, simulated seconds: the site's
    /// service times (150 s crane lift, 360 s battery swap, 30 s booth, 15 s km 0).
    pub fn default_duration_s(self) -> f64 {
        match self {
            Self::Pick | Self::Drop => 150.0,
            Self::StartCharging => 360.0,
            Self::GateCheck => 30.0,
            Self::BorderCheck => 15.0,
        }
    }

    /// True if the action needs a `loadId` parameter.
    pub fn needs_load_id(self) -> bool {
        matches!(self, Self::Pick | Self::Drop)
    }
}

/// An order action as the vehicle tracks it.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct OrderAction {
    /// The action as received.
    pub action: Action,
    /// Its kind.
    pub kind: ActionKind,
    /// The `sequenceId` of the node it runs on.
    pub node_sequence_id: u32,
    /// How long it runs, simulated seconds.
    pub duration_s: f64,
    /// The container it picks or drops.
    pub load_id: Option<String>,
    /// Where it is in its life.
    pub status: ActionStatus,
    /// Simulated seconds left while running.
    pub remaining_s: f64,
    /// Why it failed, or what it did.
    pub result: Option<String>,
}

impl OrderAction {
    /// True once finished or failed.
    pub fn is_done(&self) -> bool {
        matches!(self.status, ActionStatus::Finished | ActionStatus::Failed)
    }
}

/// Reads an order action: its kind, duration and load; `Err` says what is wrong with it.
pub(crate) fn parse_order_action(
    action: &Action,
    node_sequence_id: u32,
) -> Result<OrderAction, String> {
    let Some(kind) = ActionKind::parse(&action.action_type) else {
        return Err(format!(
            "action {} has type {:?}, which this vehicle does not know",
            action.action_id, action.action_type
        ));
    };
    let duration_s = match parameter(action, "duration") {
        None => kind.default_duration_s(),
        Some(value) => number(value)
            .filter(|d| d.is_finite() && *d >= 0.0)
            .ok_or_else(|| {
                format!(
                    "action {}: duration {value} is not a number of seconds >= 0",
                    action.action_id
                )
            })?,
    };
    let load_id = parameter(action, "loadId").and_then(text);
    if kind.needs_load_id() && load_id.is_none() {
        return Err(format!(
            "action {} ({}) has no loadId string",
            action.action_id, action.action_type
        ));
    }
    Ok(OrderAction {
        action: action.clone(),
        kind,
        node_sequence_id,
        duration_s,
        load_id,
        status: ActionStatus::Waiting,
        remaining_s: duration_s,
        result: None,
    })
}

fn parameter<'a>(action: &'a Action, key: &str) -> Option<&'a serde_json::Value> {
    let parameters = action.action_parameters.as_deref()?;
    parameters.iter().find(|p| p.key == key).map(|p| &p.value)
}

/// A number, or a string holding one (some managers send every parameter as text).
fn number(value: &serde_json::Value) -> Option<f64> {
    match value {
        serde_json::Value::Number(n) => n.as_f64(),
        serde_json::Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// A non-empty string, or a number written as one.
fn text(value: &serde_json::Value) -> Option<String> {
    match value {
        serde_json::Value::String(s) if !s.is_empty() => Some(s.clone()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;
    use vda5050::{ActionParameter, BlockingType};

    use super::*;

    fn with(parameters: &[(&str, serde_json::Value)]) -> Action {
        Action {
            action_type: "drop".into(),
            action_id: "d1".into(),
            action_description: None,
            blocking_type: BlockingType::Hard,
            action_parameters: Some(
                parameters
                    .iter()
                    .map(|(key, value)| ActionParameter {
                        key: (*key).into(),
                        value: value.clone(),
                    })
                    .collect(),
            ),
        }
    }

    #[test]
    fn duration_reads_as_number_or_numeric_text_and_defaults_by_type() {
        let read = |d| parse_order_action(&with(&[("loadId", json!("C1")), ("duration", d)]), 2);
        assert_eq!(read(json!(12.5)).unwrap().duration_s, 12.5);
        assert_eq!(read(json!(" 7 ")).unwrap().duration_s, 7.0);
        assert!(read(json!(-1)).is_err());
        assert!(read(json!("soon")).is_err());
        let default = parse_order_action(&with(&[("loadId", json!("C1"))]), 2).unwrap();
        assert_eq!(default.duration_s, 150.0);
        assert_eq!(default.load_id.as_deref(), Some("C1"));
        assert_eq!(default.status, ActionStatus::Waiting);
    }

    #[test]
    fn every_kind_reads_back_from_its_type() {
        for kind in ActionKind::ALL {
            assert_eq!(ActionKind::parse(kind.as_str()), Some(kind));
        }
        assert_eq!(ActionKind::parse("startPause"), None);
    }
}

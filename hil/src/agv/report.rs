//! The messages the vehicle reports: `state` and `visualization`.

use vda5050::{
    ActionState, AgvError, AgvPosition, BatteryState, EStop, EdgeState, ErrorLevel, Header, Load,
    NodeState, OperatingMode, SafetyState, State, Velocity, Visualization,
};

use super::VirtualAgv;

impl VirtualAgv {
    /// The `state` message now, under `header` (the caller counts `headerId`s and stamps
    /// the time).
    ///
    /// `nodeStates` and `edgeStates` are the nodes not reached and the edges not finished
    /// (base and horizon, with their `released` flags); `actionStates` hold the order's
    /// actions and the instant actions since the last new order.
    pub fn state(&self, header: Header) -> State {
        let (order_id, order_update_id) = self.order.as_ref().map_or((String::new(), 0), |o| {
            (o.order_id.clone(), o.order_update_id)
        });
        State {
            header,
            maps: None,
            order_id,
            order_update_id,
            zone_set_id: None,
            last_node_id: self.last_node_id.clone(),
            last_node_sequence_id: self.last_node_sequence_id,
            driving: self.speed > 0.0,
            paused: Some(self.paused),
            new_base_request: Some(self.new_base_request),
            distance_since_last_node: Some(self.distance_since_last_node),
            operating_mode: OperatingMode::Automatic,
            node_states: self.node_states(),
            edge_states: self.edge_states(),
            agv_position: Some(self.agv_position()),
            velocity: Some(self.velocity()),
            loads: Some(self.loads()),
            action_states: self.action_states(),
            battery_state: BatteryState {
                battery_charge: self.battery_pct,
                battery_voltage: None,
                battery_health: None,
                charging: self.is_charging(),
                reach: None,
            },
            errors: self.errors(),
            information: Some(Vec::new()),
            safety_state: SafetyState {
                e_stop: EStop::None,
                field_violation: false,
            },
        }
    }

    /// The `visualization` message now; its header fields are taken from `header`.
    pub fn visualization(&self, header: Header) -> Visualization {
        Visualization {
            header_id: Some(header.header_id),
            timestamp: Some(header.timestamp),
            version: Some(header.version),
            manufacturer: Some(header.manufacturer),
            serial_number: Some(header.serial_number),
            agv_position: Some(self.agv_position()),
            velocity: Some(self.velocity()),
        }
    }

    /// True while a `startCharging` action runs.
    pub fn is_charging(&self) -> bool {
        self.order.as_ref().is_some_and(|order| {
            order.actions.iter().any(|a| {
                a.kind == crate::ActionKind::StartCharging
                    && a.status == vda5050::ActionStatus::Running
            })
        })
    }

    fn agv_position(&self) -> AgvPosition {
        AgvPosition {
            x: self.position.x,
            y: self.position.y,
            theta: self.heading,
            map_id: self.map_id.clone(),
            map_description: None,
            position_initialized: true,
            localization_score: None,
            deviation_range: None,
        }
    }

    fn velocity(&self) -> Velocity {
        Velocity {
            vx: Some(self.speed),
            vy: Some(0.0),
            omega: Some(0.0),
        }
    }

    fn loads(&self) -> Vec<Load> {
        self.load
            .iter()
            .map(|id| Load {
                load_id: Some(id.clone()),
                load_type: Some("container".to_owned()),
                ..Load::default()
            })
            .collect()
    }

    fn node_states(&self) -> Vec<NodeState> {
        let Some(order) = &self.order else {
            return Vec::new();
        };
        order
            .nodes
            .iter()
            .map(|n| NodeState {
                node_id: n.node_id.clone(),
                sequence_id: n.sequence_id,
                node_description: n.node_description.clone(),
                released: n.released,
                node_position: n.node_position.clone(),
            })
            .collect()
    }

    fn edge_states(&self) -> Vec<EdgeState> {
        let Some(order) = &self.order else {
            return Vec::new();
        };
        order
            .edges
            .iter()
            .map(|e| EdgeState {
                edge_id: e.edge_id.clone(),
                sequence_id: e.sequence_id,
                edge_description: e.edge_description.clone(),
                released: e.released,
                trajectory: None,
            })
            .collect()
    }

    fn action_states(&self) -> Vec<ActionState> {
        let order_actions = self
            .order
            .iter()
            .flat_map(|o| &o.actions)
            .map(|a| ActionState {
                action_id: a.action.action_id.clone(),
                action_type: Some(a.action.action_type.clone()),
                action_description: a.action.action_description.clone(),
                action_status: a.status,
                result_description: a.result.clone(),
            });
        order_actions
            .chain(self.instant_states.iter().cloned())
            .collect()
    }

    fn errors(&self) -> Vec<AgvError> {
        let mut errors = self.errors.clone();
        if self.battery_pct <= 0.0 {
            errors.push(AgvError {
                error_type: "batteryEmpty".to_owned(),
                error_references: None,
                error_description: Some("the battery is empty: the vehicle cannot drive".into()),
                error_hint: Some("swap the battery".to_owned()),
                error_level: ErrorLevel::Fatal,
            });
        }
        errors
    }
}

//! The virtual AGV's factsheet, built from its traits.
//!
//! Lists the order actions of [`ActionKind`] on nodes and the instant actions it knows, its
//! 15 m x 3 m envelope and the containers it carries. It never lists `blockingTypes`, which
//! the 2.1.0 factsheet schema cannot accept (see [`vda5050::factsheet`]).

use vda5050::factsheet::{
    ActionParameterFactsheet, ActionScope, AgvAction, AgvClass, AgvGeometry, AgvKinematic,
    Envelope2d, LoadSet, LoadSpecification, LocalizationType, MaxArrayLens, MaxStringLens,
    NavigationType, PhysicalParameters, PolygonPoint, ProtocolFeatures, ProtocolLimits, Timing,
    TypeSpecification, ValueDataType,
};
use vda5050::{Factsheet, LoadDimensions, PROTOCOL_VERSION, Timestamp};

use crate::actions::ActionKind;
use crate::traits::AgvTraits;

/// Heaviest 40 ft container, kg (ISO 668 gross mass).
const MAX_LOAD_KG: f64 = 30_480.0;
/// Height of the vehicle with a high-cube container, metres (assumed).
const HEIGHT_MAX_M: f64 = 4.2;

/// The factsheet of vehicle `manufacturer`/`serial` with these traits; `header` is the
/// `headerId` and timestamp to put in it, if any.
pub fn factsheet(
    traits: &AgvTraits,
    manufacturer: &str,
    serial: &str,
    header: Option<(u32, Timestamp)>,
) -> Factsheet {
    let (header_id, timestamp) = header.unzip();
    Factsheet {
        header_id,
        timestamp,
        version: PROTOCOL_VERSION.to_owned(),
        manufacturer: manufacturer.to_owned(),
        serial_number: serial.to_owned(),
        type_specification: TypeSpecification {
            series_name: "gatefleet-virtual-carrier".to_owned(),
            series_description: Some("virtual container AGV of the border lane".to_owned()),
            agv_kinematic: AgvKinematic::ThreeWheel,
            agv_class: AgvClass::Carrier,
            max_load_mass: MAX_LOAD_KG,
            localization_types: vec![LocalizationType::Natural],
            navigation_types: vec![NavigationType::VirtualLineGuided],
        },
        physical_parameters: PhysicalParameters {
            speed_min: 0.0,
            speed_max: traits.empty_speed_mps.max(traits.loaded_speed_mps),
            acceleration_max: traits.acceleration_mps2,
            deceleration_max: traits.deceleration_mps2,
            height_min: None,
            height_max: HEIGHT_MAX_M,
            width: traits.footprint.width_m,
            length: traits.footprint.length_m,
        },
        protocol_limits: ProtocolLimits {
            max_string_lens: MaxStringLens::default(),
            max_array_lens: MaxArrayLens::default(),
            timing: Timing {
                min_order_interval: 0.0,
                min_state_interval: 0.0,
                default_state_interval: Some(1.0),
                visualization_interval: Some(0.1),
            },
        },
        protocol_features: ProtocolFeatures {
            optional_parameters: Vec::new(),
            agv_actions: agv_actions(),
        },
        agv_geometry: AgvGeometry {
            wheel_definitions: None,
            envelopes2d: Some(vec![envelope(traits)]),
            envelopes3d: None,
        },
        load_specification: LoadSpecification {
            load_positions: None,
            load_sets: Some(vec![LoadSet {
                set_name: "container".to_owned(),
                load_type: "container".to_owned(),
                load_positions: None,
                bounding_box_reference: None,
                load_dimensions: Some(LoadDimensions {
                    length: 12.19,
                    width: 2.44,
                    height: Some(2.9),
                }),
                max_weight: Some(MAX_LOAD_KG),
                min_loadhandling_height: None,
                max_loadhandling_height: None,
                min_loadhandling_depth: None,
                max_loadhandling_depth: None,
                min_loadhandling_tilt: None,
                max_loadhandling_tilt: None,
                agv_speed_limit: Some(traits.loaded_speed_mps),
                agv_acceleration_limit: Some(traits.acceleration_mps2),
                agv_deceleration_limit: Some(traits.deceleration_mps2),
                pick_time: Some(ActionKind::Pick.default_duration_s()),
                drop_time: Some(ActionKind::Drop.default_duration_s()),
                description: Some("one 20 ft or 40 ft ISO container".to_owned()),
            }]),
        },
        vehicle_config: None,
    }
}

/// The outline of the body, centred on the vehicle's origin.
fn envelope(traits: &AgvTraits) -> Envelope2d {
    let (half_l, half_w) = (
        traits.footprint.length_m / 2.0,
        traits.footprint.width_m / 2.0,
    );
    Envelope2d {
        set: "body".to_owned(),
        polygon_points: [(-1.0, -1.0), (1.0, -1.0), (1.0, 1.0), (-1.0, 1.0)]
            .into_iter()
            .map(|(sx, sy)| PolygonPoint {
                x: sx * half_l,
                y: sy * half_w,
            })
            .collect(),
        description: Some("the vehicle's footprint, with or without a container".to_owned()),
    }
}

fn agv_actions() -> Vec<AgvAction> {
    let duration = |default: f64| ActionParameterFactsheet {
        key: "duration".to_owned(),
        value_data_type: ValueDataType::Number,
        description: Some(format!("seconds; {default} if absent")),
        is_optional: Some(true),
    };
    let load_id = ActionParameterFactsheet {
        key: "loadId".to_owned(),
        value_data_type: ValueDataType::String,
        description: Some("container code".to_owned()),
        is_optional: Some(false),
    };
    let mut actions: Vec<AgvAction> = ActionKind::ALL
        .into_iter()
        .map(|kind| {
            let mut parameters = vec![duration(kind.default_duration_s())];
            if kind.needs_load_id() {
                parameters.insert(0, load_id.clone());
            }
            AgvAction {
                action_type: kind.as_str().to_owned(),
                action_description: Some(order_action_description(kind).to_owned()),
                action_scopes: vec![ActionScope::Node],
                action_parameters: Some(parameters),
                result_description: None,
                blocking_types: None,
            }
        })
        .collect();
    actions.extend(
        crate::actions::INSTANT_ACTION_TYPES.map(|action_type| AgvAction {
            action_type: action_type.to_owned(),
            action_description: None,
            action_scopes: vec![ActionScope::Instant],
            action_parameters: None,
            result_description: None,
            blocking_types: None,
        }),
    );
    actions
}

fn order_action_description(kind: ActionKind) -> &'static str {
    match kind {
        ActionKind::Pick => "take a container on board",
        ActionKind::Drop => "put the container on board down; fails if it is another",
        ActionKind::StartCharging => "battery swap: the battery is full at the end",
        ActionKind::GateCheck => "stand at a gate booth for the check",
        ActionKind::BorderCheck => "stand at the km 0 line for the check",
    }
}

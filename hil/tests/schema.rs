//! Every message kind the vehicle writes validates against the official 2.1.0 schemas: state
//! in several situations (idle, driving with an order, with loads, running and failed
//! actions, errors, paused), visualization, connection and factsheet.

use hil::{AgvTraits, factsheet};
use serde_json::json;
use vda5050::{Connection, ConnectionState, InstantActions, PROTOCOL_VERSION, Timestamp};

use crate::support::{
    MANUFACTURER, SERIAL, action, advance_until, agv_at_a, assert_valid, header, load_action,
    order, state, with_action,
};

#[test]
fn idle_state_validates() {
    assert_valid(&state(&agv_at_a()));
}

#[test]
fn states_along_an_order_validate() {
    let mut agv = agv_at_a();
    let order = with_action(
        with_action(
            order("o1", 0, 0, 3, 3),
            "B",
            load_action("pick", "pick-1", "MSKU1234565", 10.0),
        ),
        "C",
        action("startCharging", "swap-1", &[("duration", json!(10))]),
    );
    agv.handle_order(&order).expect("taken");
    assert_valid(&state(&agv)); // actions waiting, base and horizon
    agv.advance(5.0);
    assert_valid(&state(&agv)); // driving
    advance_until(&mut agv, 100.0, |agv| agv.load().is_some());
    assert_valid(&state(&agv)); // loaded
    advance_until(&mut agv, 100.0, |agv| agv.is_charging());
    assert_valid(&state(&agv)); // charging, new base request
}

#[test]
fn states_with_errors_and_instant_actions_validate() {
    let mut agv = agv_at_a();
    let _ = agv.handle_order(&order("o1", 0, 2, 3, 2)); // no route
    agv.handle_instant_actions(&InstantActions {
        header: header(1),
        actions: vec![
            action("cancelOrder", "c1", &[]),
            action("fly", "x1", &[]),
            action("startPause", "p1", &[]),
            action("stateRequest", "s1", &[]),
        ],
    });
    let state = state(&agv);
    assert_eq!(state.errors.len(), 3, "{:?}", state.errors);
    assert_eq!(state.paused, Some(true));
    assert_valid(&state);

    // a failed drop and a running pause of a driving vehicle
    let mut agv = agv_at_a();
    let order = with_action(
        order("o1", 0, 0, 2, 3),
        "B",
        load_action("drop", "drop-1", "MSKU1", 5.0),
    );
    agv.handle_order(&order).expect("taken");
    advance_until(&mut agv, 100.0, |agv| {
        !crate::support::error_types(agv).is_empty()
    });
    agv.advance(10.0);
    agv.handle_instant_actions(&InstantActions {
        header: header(2),
        actions: vec![action("startPause", "p1", &[])],
    });
    assert_valid(&crate::support::state(&agv));
}

#[test]
fn visualization_validates() {
    let mut agv = agv_at_a();
    agv.handle_order(&order("o1", 0, 0, 2, 3)).expect("taken");
    agv.advance(7.0);
    assert_valid(&agv.visualization(header(42)));
}

#[test]
fn connection_messages_validate() {
    for connection_state in [ConnectionState::Online, ConnectionState::Offline] {
        assert_valid(&Connection {
            header: header(0),
            connection_state,
        });
    }
}

#[test]
fn factsheet_validates_and_lists_every_action_without_blocking_types() {
    let sheet = factsheet(
        &AgvTraits::default(),
        MANUFACTURER,
        SERIAL,
        Some((3, Timestamp::from_unix_millis(1_780_000_000_000))),
    );
    assert_valid(&sheet);
    assert_valid(&factsheet(
        &AgvTraits::default(),
        MANUFACTURER,
        SERIAL,
        None,
    ));
    assert_eq!(sheet.version, PROTOCOL_VERSION);
    let actions: Vec<&str> = sheet
        .protocol_features
        .agv_actions
        .iter()
        .map(|a| a.action_type.as_str())
        .collect();
    assert_eq!(
        actions,
        [
            "pick",
            "drop",
            "startCharging",
            "gateCheck",
            "borderCheck",
            "startPause",
            "stopPause",
            "cancelOrder",
            "stateRequest",
            "factsheetRequest"
        ]
    );
    assert!(
        sheet
            .protocol_features
            .agv_actions
            .iter()
            .all(|a| a.blocking_types.is_none())
    );
    assert_eq!(sheet.physical_parameters.length, 15.0);
    assert_eq!(sheet.physical_parameters.width, 3.0);
}

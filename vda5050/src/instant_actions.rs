//! `instantActions`: actions an AGV is to run as soon as they arrive, outside any order.
//!
//! The fleet manager uses them to pause and resume (`startPause`, `stopPause`), cancel an order
//! (`cancelOrder`), and ask for a state or the factsheet (`stateRequest`, `factsheetRequest`).

use serde::{Deserialize, Serialize};

use crate::{Action, Header};

/// The `instantActions` message, from the fleet manager to one AGV.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct InstantActions {
    /// Header; the manufacturer and serial number name the AGV the actions are for.
    #[serde(flatten)]
    pub header: Header,
    /// The actions, run in the order given as far as their blocking types allow.
    pub actions: Vec<Action>,
}

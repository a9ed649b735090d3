//! Errors and information an AGV reports in `state`.
//!
//! These are facts about the vehicle (a blocked lane, a failed pick, a refused order), not
//! Rust errors: they travel as data and implement no `std::error::Error`.

use serde::{Deserialize, Serialize};

/// One active error of the AGV.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AgvError {
    /// Kind of error, e.g. `orderUpdateError`, `noRouteError`, `validationError`.
    pub error_type: String,
    /// What the error is about, e.g. `orderId`, `nodeId`, `actionId` and their values.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_references: Option<Vec<ErrorReference>>,
    /// Details and possible causes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_description: Option<String>,
    /// How to approach or solve it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_hint: Option<String>,
    /// How bad it is.
    pub error_level: ErrorLevel,
}

/// A key-value reference from an [`AgvError`] to the object it is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ErrorReference {
    /// Kind of reference, e.g. `orderId`, `nodeId`.
    pub reference_key: String,
    /// The referenced ID.
    pub reference_value: String,
}

/// How bad an [`AgvError`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum ErrorLevel {
    /// The AGV can still work (e.g. maintenance due soon).
    Warning,
    /// The AGV cannot work until someone intervenes.
    Fatal,
}

/// One piece of information from the AGV, for display or debugging; never for decisions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Information {
    /// Kind of information.
    pub info_type: String,
    /// What the information is about.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub info_references: Option<Vec<InfoReference>>,
    /// The information itself.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub info_description: Option<String>,
    /// Who it is for.
    pub info_level: InfoLevel,
}

/// A key-value reference from an [`Information`] to the object it is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct InfoReference {
    /// Kind of reference, e.g. `headerId`, `orderId`.
    pub reference_key: String,
    /// The referenced ID.
    pub reference_value: String,
}

/// Who an [`Information`] is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum InfoLevel {
    /// For operators' displays.
    Info,
    /// For debugging.
    Debug,
}

//! Loads an AGV carries (`state`) or can carry (`factsheet`), and their bounding boxes.

use serde::{Deserialize, Serialize};

/// A load on the AGV, as far as the vehicle knows it; every field is optional.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Load {
    /// Load ID, e.g. a container number read by RFID; empty if not read yet.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub load_id: Option<String>,
    /// Kind of load.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub load_type: Option<String>,
    /// Which carrying spot holds it, for vehicles with several.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub load_position: Option<String>,
    /// Where the load's bounding box sits on the vehicle.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bounding_box_reference: Option<BoundingBoxReference>,
    /// Size of the load's bounding box.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub load_dimensions: Option<LoadDimensions>,
    /// Mass in kg, at least 0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weight: Option<f64>,
}

/// The centre of a load's bounding box bottom face.
///
/// # Units and frames
/// Metres and radians in the vehicle's frame.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BoundingBoxReference {
    /// X in metres.
    pub x: f64,
    /// Y in metres.
    pub y: f64,
    /// Z in metres.
    pub z: f64,
    /// Orientation of the box in radians (matters for tuggers and trains).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub theta: Option<f64>,
}

/// Size of a load's bounding box, in metres.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LoadDimensions {
    /// Length in metres.
    pub length: f64,
    /// Width in metres.
    pub width: f64,
    /// Height in metres, if known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub height: Option<f64>,
}

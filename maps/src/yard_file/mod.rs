//! The gatefleet yard file: a [`Yard`] written as TOML, and the two shipped yards.
//!
//! A yard file lists the places where an AGV can stop (waypoints), the one-way lanes between
//! them, long roads that the loader cuts into lane slots, the cranes and the zones. Loading
//! runs every check of the [`YardBuilder`](crate::yard::YardBuilder) (lanes at least one AGV
//! plus its safety gap long, known waypoint names, ...) and a few of its own; any refusal
//! names the file, the line and the entry at fault:
//!
//! ```text
//! yards/test.toml: line 7: lane from `a` to `zz`: unknown waypoint `zz`
//! ```
//!
//! # Format
//!
//! Top-level keys (unknown keys are refused everywhere; defaults in parentheses):
//!
//! - `name` (string, required): the yard's name, e.g. `huu-nghi`; `description`: free text.
//! - `agv` (table): the body slots are sized for, `length_m` (15), `width_m` (3),
//!   `safety_gap_m` (5).
//! - `times` (table): service durations, `crane_lift_s` (150), `booth_check_s` (30),
//!   `border_check_s` (15), `battery_swap_s` (360).
//! - `waypoints`: array of `{ name, kind, at = [x, y] }`, the places; names are unique.
//! - `lanes`: array of `{ path = [name, ...], speed_mps }`, one lane per consecutive pair.
//! - `roads`: array of `{ name, from, to, via = [[x, y], ...], speed_mps }` (`via` optional),
//!   one-way roads the loader cuts into lane slots.
//! - `cranes`: array of `{ name, side, slots = [name, ...] }`.
//! - `zones`: array of `{ name, kind, polygon = [[x, y], ...], speed_mps }` (`speed_mps`
//!   optional), named convex areas.
//!
//! Arrays of inline tables keep one entry per line; an entry may break inside an array value
//! (`path`, `polygon`, ...). `agv` and `times` may be inline tables or `[agv]` sections, which
//! TOML wants after all top-level keys. Integers are accepted where numbers are expected.
//!
//! - Waypoint `kind`: `truck_bay`, `crane_slot`, `gate_booth`, `border_checkpoint`,
//!   `lane_slot`, `swap_station`, `parking` (see [`WaypointKind`](crate::WaypointKind)).
//! - Zone `kind`: `vn_yard`, `inspection`, `gate`, `km_zero`, `cn_yard`, `swap_station`,
//!   `parking` (see [`ZoneKind`](crate::ZoneKind)). `speed_mps` is optional; when given, it
//!   caps every lane with an end or its middle in the zone.
//! - Crane `side`: `vn` or `cn`; every slot must be a `crane_slot` waypoint on that side
//!   (negative x is Vietnam) and no slot may have two cranes.
//! - A `lanes` entry with `path = ["a", "b", "c"]` adds the lanes `a -> b` and `b -> c`, each
//!   at least `agv.length_m + agv.safety_gap_m` long (straight-line distance).
//! - A road runs one way along the polyline `from -> via... -> to` (both ends are existing
//!   waypoints). The loader cuts it into `n` pieces of equal arc length, `n` as large as
//!   possible but at most `floor(length / (length_m + safety_gap_m))`, with every straight
//!   chord still that long (a sharp bend lowers `n`). It adds the `n - 1` cut points as
//!   `lane_slot` waypoints named `{name}-001`, `{name}-002`, ... and the `n` lanes
//!   `from -> {name}-001 -> ... -> to`.
//! - Zone polygons are convex and simple, three corners or more, in either winding.
//! - Waypoints come first; then roads, lanes, cranes and zones are applied in that order, so
//!   lanes and cranes may name road slots, and a road may start at an earlier road's slot.
//!
//! ```
//! let text = r#"
//! name = "tiny"
//! agv = { length_m = 15.0, width_m = 3.0, safety_gap_m = 5.0 }
//! waypoints = [
//!     { name = "bay", kind = "truck_bay", at = [-90.0, -30.0] },
//!     { name = "crane-1a", kind = "crane_slot", at = [-100.0, 0.0] },
//!     { name = "gate", kind = "gate_booth", at = [-60.0, 0.0] },
//!     { name = "km0", kind = "border_checkpoint", at = [0.0, 0.0] },
//! ]
//! lanes = [ { path = ["crane-1a", "gate"], speed_mps = 4.0 } ]
//! roads = [ { name = "out", from = "gate", to = "km0", speed_mps = 6.1 } ]
//! cranes = [ { name = "crane-1", side = "vn", slots = ["crane-1a"] } ]
//! zones = [
//!     { name = "slow", kind = "gate", speed_mps = 3.0, polygon = [
//!         [-70, -5], [-50, -5], [-50, 5]] },
//! ]
//! "#;
//! let yard = maps::yard_file::parse(text, "tiny.toml")?;
//! assert!(yard.find("out-002").is_some()); // 60 m of road: 3 slots of 20 m
//! assert_eq!(yard.lane_count(), 4);
//! # Ok::<(), maps::yard_file::YardFileError>(())
//! ```
//!
//! # Running a yard in the fleet core
//! The format itself accepts any graph; the fleet core (and so `gatefleet sim`) also needs
//! the places it builds missions from, found by name and kind (see `fleet::SiteLayout`):
//! - gate booths `{side}-gate-{dir}-a` (then `-b`, `-c`, ... while they exist) for each side
//!   `vn`/`cn` and direction `exp` (Vietnam to China) / `imp`;
//! - km 0 checkpoints `km0-export` and `km0-import`;
//! - at least one `crane_slot` served by a crane and one `parking` waypoint on each side, and
//!   at least one `swap_station`;
//! - every one of these places reachable from every other along lanes.
//!
//! A yard that lacks one is refused when the core starts, naming the missing place.
//!
//! # Units and frames
//! Metres in the site frame (x along the border lane, km 0 at x = 0, Vietnam at negative x;
//! y to the left of the export direction), speeds in m/s, durations in seconds.
//!
//! # Shipped yards
//! [`HUU_NGHI`] and [`TAN_THANH`] (files in `maps/yards/`) share one layout, described in the
//! files themselves: two one-way roads (export at y = +6, import at y = -6) with a pair of gate
//! booths per direction on each side and a km 0 checkpoint on each road, and on each side a
//! one-way ladder yard of crane, battery swap and parking rungs.

mod assemble;
mod geometry;
mod raw;

use std::path::{Path, PathBuf};

use tracing::debug;

pub use geometry::MAX_ROAD_SLOTS;

use crate::yard::{Yard, YardError};

/// The Hữu Nghị yard file (`maps/yards/huu-nghi.toml`), shipped in the binary.
pub const HUU_NGHI: &str = include_str!("../../yards/huu-nghi.toml");
/// The Tân Thanh yard file (`maps/yards/tan-thanh.toml`), shipped in the binary.
pub const TAN_THANH: &str = include_str!("../../yards/tan-thanh.toml");

/// The built-in yards by name.
const BUILTIN: [(&str, &str); 2] = [("huu-nghi", HUU_NGHI), ("tan-thanh", TAN_THANH)];

/// Why a yard file could not be loaded.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum YardFileError {
    /// The file could not be read.
    #[error("cannot read yard file {}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// What the OS said.
        #[source]
        source: std::io::Error,
    },
    /// The text is not TOML, or not TOML of this format: a syntax error, an unknown key, an
    /// unknown kind, a value of the wrong type, a missing key.
    #[error("{}: line {line}: {message}", path.display())]
    Toml {
        /// The file.
        path: PathBuf,
        /// 1-based line.
        line: usize,
        /// What the TOML reader said.
        message: String,
    },
    /// An entry of the file is not acceptable.
    #[error("{}: line {line}: {item}: {problem}", path.display())]
    Invalid {
        /// The file.
        path: PathBuf,
        /// 1-based line.
        line: usize,
        /// The entry at fault, e.g. ``lane from `a` to `b` ``.
        item: String,
        /// What is wrong with it (part of the message, not an underlying cause); boxed to keep
        /// the error small.
        problem: Box<Problem>,
    },
    /// No built-in yard has this name.
    #[error("unknown yard `{name}` (built in: huu-nghi, tan-thanh; or give a .toml path)")]
    UnknownYard {
        /// The name given.
        name: String,
    },
}

impl YardFileError {
    /// The 1-based line at fault, when the error is about the file's content.
    pub fn line(&self) -> Option<usize> {
        match self {
            Self::Toml { line, .. } | Self::Invalid { line, .. } => Some(*line),
            Self::Io { .. } | Self::UnknownYard { .. } => None,
        }
    }
}

/// What is wrong with one entry of a yard file.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum Problem {
    /// A check of the yard model failed (unknown or duplicate waypoint, short lane, ...).
    #[error(transparent)]
    Yard(#[from] YardError),
    /// A lane path names fewer than two waypoints.
    #[error("a lane path needs at least two waypoints")]
    PathTooShort,
    /// A coordinate is NaN or infinite.
    #[error("coordinate ({x}, {y}) is not a finite number")]
    NotFinite {
        /// x as written.
        x: f64,
        /// y as written.
        y: f64,
    },
    /// A crane lists no slot.
    #[error("a crane needs at least one slot")]
    NoSlots,
    /// Another crane or zone has the same name.
    #[error("the name is used twice")]
    Duplicate,
    /// A road would be cut into more slots than the loader allows.
    #[error("road is longer than {max} slots")]
    RoadTooLong {
        /// The most slots a road may have.
        max: usize,
    },
}

/// Loads a yard file.
///
/// # Errors
/// [`YardFileError::Io`] when the file cannot be read, else as [`parse`].
pub fn load(path: impl AsRef<Path>) -> Result<Yard, YardFileError> {
    let path = path.as_ref();
    let text = std::fs::read_to_string(path).map_err(|source| YardFileError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    parse(&text, path)
}

/// Parses yard file text; `path` only names the file in errors. Never panics.
///
/// # Errors
/// [`YardFileError::Toml`] for text that is not a yard file, [`YardFileError::Invalid`] for
/// an entry that does not pass the checks listed in the [module doc](self).
pub fn parse(text: &str, path: impl AsRef<Path>) -> Result<Yard, YardFileError> {
    let path = path.as_ref();
    let raw: raw::RawYard = toml::from_str(text).map_err(|e| YardFileError::Toml {
        path: path.to_path_buf(),
        line: crate::text::line_of(text, e.span().map_or(0, |span| span.start)),
        message: e.message().trim_end().replace('\n', "; "),
    })?;
    let description = raw.description.clone();
    let yard = assemble::assemble(raw).map_err(|fault| YardFileError::Invalid {
        path: path.to_path_buf(),
        line: crate::text::line_of(text, fault.at),
        item: fault.item,
        problem: Box::new(fault.problem),
    })?;
    debug!(
        yard = yard.name(),
        path = %path.display(),
        waypoints = yard.waypoint_count(),
        lanes = yard.lane_count(),
        description,
        "yard file loaded"
    );
    Ok(yard)
}

/// Loads a built-in yard by name (`huu-nghi`, `tan-thanh`).
///
/// # Errors
/// [`YardFileError::UnknownYard`] for another name; a shipped file that fails to parse is a
/// bug caught by this crate's tests.
pub fn load_builtin(name: &str) -> Result<Yard, YardFileError> {
    let (_, text) = BUILTIN
        .iter()
        .find(|(builtin, _)| *builtin == name)
        .ok_or_else(|| YardFileError::UnknownYard {
            name: name.to_owned(),
        })?;
    parse(text, format!("maps/yards/{name}.toml"))
}

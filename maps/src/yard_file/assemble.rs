//! Turning a parsed yard file into a [`Yard`] through the [`YardBuilder`], keeping the byte
//! offset of whatever each check refuses.

use std::collections::HashSet;

use nalgebra::Point2;
use toml::Spanned;

use super::Problem;
use super::geometry::{convex_polygon, cut_polyline, is_finite};
use super::raw::{RawCrane, RawLane, RawRoad, RawWaypoint, RawYard, RawZone, Xy};
use crate::yard::{Side, WaypointId, WaypointKind, Yard, YardBuilder, YardError, Zone};

/// A refusal with the byte offset of the entry at fault and a short name of that entry.
#[derive(Debug)]
pub(super) struct Fault {
    /// Byte offset into the file text.
    pub at: usize,
    /// The entry, e.g. ``lane from `a` to `b` ``.
    pub item: String,
    /// What is wrong with it.
    pub problem: Problem,
}

impl Fault {
    fn new(at: usize, item: String, problem: impl Into<Problem>) -> Self {
        Self {
            at,
            item,
            problem: problem.into(),
        }
    }
}

/// Builds the yard: waypoints, then roads, lanes, cranes and zones, in file order.
pub(super) fn assemble(raw: RawYard) -> Result<Yard, Fault> {
    let mut builder = start(&raw)?;
    for waypoint in &raw.waypoints {
        add_waypoint(&mut builder, waypoint)?;
    }
    for road in &raw.roads {
        add_road(&mut builder, road)?;
    }
    for lane in &raw.lanes {
        add_lanes(&mut builder, lane)?;
    }
    let mut names = HashSet::new();
    for crane in &raw.cranes {
        add_crane(&mut builder, crane, &mut names)?;
    }
    names.clear();
    for zone in &raw.zones {
        add_zone(&mut builder, zone, &mut names)?;
    }
    Ok(builder.build())
}

/// The builder with the file's AGV body and service times.
fn start(raw: &RawYard) -> Result<YardBuilder, Fault> {
    let (agv_at, footprint) = match &raw.agv {
        Some(agv) => (agv.span().start, take(agv).into()),
        None => (0, Default::default()),
    };
    let (times_at, times) = match &raw.times {
        Some(times) => (times.span().start, take(times).into()),
        None => (0, Default::default()),
    };
    YardBuilder::new(&raw.name, footprint, times).map_err(|problem| {
        let (at, item) = match &problem {
            YardError::OutOfRange { what, .. } if what.starts_with("agv") => (agv_at, "[agv]"),
            _ => (times_at, "[times]"),
        };
        Fault::new(at, item.to_owned(), problem)
    })
}

/// A copy of a small spanned table's value.
fn take<T: Copy>(spanned: &Spanned<T>) -> T {
    *spanned.get_ref()
}

fn add_waypoint(builder: &mut YardBuilder, spanned: &Spanned<RawWaypoint>) -> Result<(), Fault> {
    let RawWaypoint { name, kind, at } = spanned.get_ref();
    let fault =
        |problem: Problem| Fault::new(spanned.span().start, format!("waypoint `{name}`"), problem);
    let position = point(*at).map_err(fault)?;
    builder
        .add_waypoint(name, *kind, position)
        .map_err(|e| fault(e.into()))?;
    Ok(())
}

/// A point from a file pair, refusing NaN and infinities.
fn point([x, y]: Xy) -> Result<Point2<f64>, Problem> {
    let point = Point2::new(x, y);
    if is_finite(&point) {
        Ok(point)
    } else {
        Err(Problem::NotFinite { x, y })
    }
}

/// Cuts the road into lane slots named `{name}-001`... and chains lanes through them.
fn add_road(builder: &mut YardBuilder, spanned: &Spanned<RawRoad>) -> Result<(), Fault> {
    let road = spanned.get_ref();
    let fault = |problem: Problem| {
        Fault::new(
            spanned.span().start,
            format!("road `{}`", road.name),
            problem,
        )
    };
    let from = find(builder, &road.from, format!("road `{}`", road.name))?;
    let to = find(builder, &road.to, format!("road `{}`", road.name))?;
    let cuts = road_cuts(builder, road, from, to).map_err(fault)?;

    let mut chain = vec![from];
    for (k, cut) in cuts.into_iter().enumerate() {
        let name = format!("{}-{:03}", road.name, k + 1);
        let slot = builder.add_waypoint(&name, WaypointKind::LaneSlot, cut);
        chain.push(slot.map_err(|e| fault(e.into()))?);
    }
    chain.push(to);
    for pair in chain.windows(2) {
        let lane = builder.add_lane(pair[0], pair[1], road.speed_mps);
        lane.map_err(|e| fault(e.into()))?;
    }
    Ok(())
}

/// The inner slot points of the polyline `from -> via... -> to`, cut into slots no shorter
/// than an AGV plus its gap.
fn road_cuts(
    builder: &YardBuilder,
    road: &RawRoad,
    from: WaypointId,
    to: WaypointId,
) -> Result<Vec<Point2<f64>>, Problem> {
    let mut line = vec![builder.waypoint(from).position];
    for &xy in &road.via {
        line.push(point(xy)?);
    }
    line.push(builder.waypoint(to).position);
    let min_slot_m = builder.footprint().min_slot_m();
    cut_polyline(&line, min_slot_m).ok_or(Problem::RoadTooLong {
        max: super::MAX_ROAD_SLOTS,
    })
}

/// A waypoint by name, or a fault at the name's line.
fn find(builder: &YardBuilder, name: &Spanned<String>, item: String) -> Result<WaypointId, Fault> {
    builder
        .find(name.get_ref())
        .map_err(|e| Fault::new(name.span().start, item, e))
}

/// Adds one lane per consecutive pair of the path.
fn add_lanes(builder: &mut YardBuilder, spanned: &Spanned<RawLane>) -> Result<(), Fault> {
    let RawLane { path, speed_mps } = spanned.get_ref();
    if path.len() < 2 {
        let item = match path.first() {
            Some(only) => format!("lane from `{}`", only.get_ref()),
            None => "lane".to_owned(),
        };
        return Err(Fault::new(
            spanned.span().start,
            item,
            Problem::PathTooShort,
        ));
    }
    for pair in path.windows(2) {
        let item = || {
            format!(
                "lane from `{}` to `{}`",
                pair[0].get_ref(),
                pair[1].get_ref()
            )
        };
        let from = find(builder, &pair[0], item())?;
        let to = find(builder, &pair[1], item())?;
        let added = builder.add_lane(from, to, *speed_mps);
        added.map_err(|e| Fault::new(pair[1].span().start, item(), e))?;
    }
    Ok(())
}

fn add_crane(
    builder: &mut YardBuilder,
    spanned: &Spanned<RawCrane>,
    names: &mut HashSet<String>,
) -> Result<(), Fault> {
    let RawCrane { name, side, slots } = spanned.get_ref();
    let item = || format!("crane `{name}`");
    let fault = |problem: Problem| Fault::new(spanned.span().start, item(), problem);
    if !names.insert(name.clone()) {
        return Err(fault(Problem::Duplicate));
    }
    if slots.is_empty() {
        return Err(fault(Problem::NoSlots));
    }
    let mut ids = Vec::with_capacity(slots.len());
    for slot in slots {
        let id = find(builder, slot, item())?;
        if builder.waypoint(id).side != *side {
            let reason = if *side == Side::Vn {
                "it is in China"
            } else {
                "it is in Vietnam"
            };
            let problem = YardError::BadCraneSlot {
                crane: name.clone(),
                slot: slot.get_ref().clone(),
                reason,
            };
            return Err(Fault::new(slot.span().start, item(), problem));
        }
        ids.push(id);
    }
    builder
        .add_crane(name, *side, ids)
        .map_err(|e| fault(e.into()))?;
    Ok(())
}

fn add_zone(
    builder: &mut YardBuilder,
    spanned: &Spanned<RawZone>,
    names: &mut HashSet<String>,
) -> Result<(), Fault> {
    let RawZone {
        name,
        kind,
        polygon,
        speed_mps,
    } = spanned.get_ref();
    let fault =
        |problem: Problem| Fault::new(spanned.span().start, format!("zone `{name}`"), problem);
    if !names.insert(name.clone()) {
        return Err(fault(Problem::Duplicate));
    }
    let corners: Vec<Point2<f64>> = polygon.iter().map(|&[x, y]| Point2::new(x, y)).collect();
    let Some(polygon) = convex_polygon(&corners) else {
        return Err(fault(YardError::BadZone { name: name.clone() }.into()));
    };
    let zone = Zone {
        name: name.clone(),
        kind: *kind,
        speed_limit_mps: *speed_mps,
        polygon,
    };
    builder.add_zone(zone).map_err(|e| fault(e.into()))
}

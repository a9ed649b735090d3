//! Geometric safety of the shipped yards: what makes slot occupancy safe for the planner.
//!
//! An AGV is a `length x width` rectangle. While it drives a lane it holds both end waypoints
//! and sweeps the lane's rectangle (the lane plus half a body at each end); standing at a
//! waypoint its heading is along a lane it came by or leaves by. So if bodies and sweeps of
//! things that share no waypoint never overlap, AGVs holding disjoint waypoints never touch.
//! Truck bays have no lanes: no AGV stands there, so they carry no body.

use std::time::Instant;

use maps::yard_file::load_builtin;
use maps::{WaypointId, Yard};
use parry2d_f64::bounding_volume::{Aabb, BoundingVolume};
use parry2d_f64::na::{Isometry2, Point2, Vector2};
use parry2d_f64::query::intersection_test;
use parry2d_f64::shape::Cuboid;

/// A body or a sweep, with the waypoints it holds.
struct Body {
    what: String,
    holds: Vec<WaypointId>,
    /// Whether this is a lane sweep (else a body standing at its one waypoint).
    is_sweep: bool,
    shape: Cuboid,
    pose: Isometry2<f64>,
    aabb: Aabb,
}

impl Body {
    fn new(
        what: String,
        holds: Vec<WaypointId>,
        is_sweep: bool,
        centre: Point2<f64>,
        heading: Vector2<f64>,
        half_length: f64,
        half_width: f64,
    ) -> Self {
        let shape = Cuboid::new(Vector2::new(half_length, half_width));
        let pose = Isometry2::new(centre.coords, heading.y.atan2(heading.x));
        let aabb = shape.aabb(&pose);
        Self {
            what,
            holds,
            is_sweep,
            shape,
            pose,
            aabb,
        }
    }

    /// Whether the two may overlap by design: they hold a waypoint in common.
    fn shares_waypoint(&self, other: &Body) -> bool {
        self.holds.iter().any(|w| other.holds.contains(w))
    }
}

/// Every lane sweep and every body standing at a waypoint, along each incident lane.
fn bodies(yard: &Yard) -> Vec<Body> {
    let agv = yard.footprint();
    let (half_length, half_width) = (agv.length_m / 2.0, agv.width_m / 2.0);
    let mut bodies = Vec::new();
    for (id, lane) in yard.lanes() {
        let (a, b) = (yard.waypoint(lane.from), yard.waypoint(lane.to));
        let heading = b.position - a.position;
        let what = format!("{id} {} -> {}", a.name, b.name);
        let centre = nalgebra::center(&a.position, &b.position);
        let sweep_half = lane.length_m / 2.0 + half_length;
        bodies.push(Body::new(
            what,
            vec![lane.from, lane.to],
            true,
            centre,
            heading,
            sweep_half,
            half_width,
        ));
        for end in [a, b] {
            let holds = vec![if std::ptr::eq(end, a) {
                lane.from
            } else {
                lane.to
            }];
            let what = format!("AGV at {} heading along {id}", end.name);
            bodies.push(Body::new(
                what,
                holds,
                false,
                end.position,
                heading,
                half_length,
                half_width,
            ));
        }
    }
    bodies
}

/// Pairs of bodies that hold no waypoint in common yet overlap (sort and sweep along x).
fn overlaps(bodies: &mut [Body]) -> (Vec<String>, usize) {
    bodies.sort_by(|a, b| a.aabb.mins.x.total_cmp(&b.aabb.mins.x));
    let (mut found, mut tested) = (Vec::new(), 0);
    for (i, a) in bodies.iter().enumerate() {
        for b in bodies[i + 1..]
            .iter()
            .take_while(|b| b.aabb.mins.x <= a.aabb.maxs.x)
        {
            if !(a.is_sweep || b.is_sweep) && a.holds == b.holds {
                continue;
            }
            if a.shares_waypoint(b) || !a.aabb.intersects(&b.aabb) {
                continue;
            }
            tested += 1;
            let hit = intersection_test(&a.pose, &a.shape, &b.pose, &b.shape).unwrap();
            if hit {
                found.push(format!("{} / {}", a.what, b.what));
            }
        }
    }
    (found, tested)
}

#[test]
fn shipped_yards_keep_agv_footprints_apart() {
    for name in ["huu-nghi", "tan-thanh"] {
        let started = Instant::now();
        let yard = load_builtin(name).unwrap();

        // (a) every lane holds one AGV plus its gap
        let min = yard.footprint().min_slot_m();
        for (id, lane) in yard.lanes() {
            assert!(
                lane.length_m >= min - 1e-6,
                "{name}: {id} is {} m",
                lane.length_m
            );
        }

        // (b) sweeps, (c) bodies against sweeps, (d) bodies at two waypoints
        let mut bodies = bodies(&yard);
        let (found, tested) = overlaps(&mut bodies);
        println!(
            "{name}: {} bodies, {tested} exact tests, {:?}",
            bodies.len(),
            started.elapsed()
        );
        assert!(
            found.is_empty(),
            "{name}: {} overlaps:\n{}",
            found.len(),
            found.join("\n")
        );
    }
}

#[test]
fn overlap_check_catches_crossing_lanes() {
    let text = r#"
        name = "cross"
        waypoints = [
            { name = "w", kind = "lane_slot", at = [-40.0, 0.0] },
            { name = "e", kind = "lane_slot", at = [-10.0, 0.0] },
            { name = "s", kind = "lane_slot", at = [-25.0, -15.0] },
            { name = "n", kind = "lane_slot", at = [-25.0, 15.0] },
        ]
        lanes = [ { path = ["w", "e"], speed_mps = 4.0 }, { path = ["s", "n"], speed_mps = 4.0 } ]
    "#;
    let yard = maps::yard_file::parse(text, "cross.toml").unwrap();
    let (found, _) = overlaps(&mut bodies(&yard));
    assert!(
        found
            .iter()
            .any(|f| f.contains("w -> e") && f.contains("s -> n")),
        "{found:?}"
    );
}

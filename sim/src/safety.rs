//! The safety monitor: checks, independently of the planner, that no two AGVs touch.
//!
//! Every tick it places each AGV's footprint (a rectangle of the AGV's length and width at
//! its pose) and tests pairs that are close enough to matter with parry's exact
//! intersection test. A pair that starts to overlap counts as one collision, however long it
//! stays overlapped. It also keeps the smallest centre distance seen between two AGVs.

use std::collections::BTreeSet;

use fleet::AgvId;
use maps::AgvFootprint;
use nalgebra::{Isometry2, Vector2};
use parry2d_f64::query;
use parry2d_f64::shape::Cuboid;

/// Counts footprint overlaps between AGVs.
#[derive(Debug)]
pub struct SafetyMonitor {
    body: Cuboid,
    reach_m: f64,
    touching: BTreeSet<(AgvId, AgvId)>,
    order: Vec<usize>,
    /// Collisions seen: pairs that began to overlap.
    pub collisions: u64,
    /// Smallest distance between two AGV centres seen, metres.
    pub min_centre_distance_m: f64,
}

/// A collision: two AGVs whose footprints overlap.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Collision {
    /// One AGV.
    pub a: AgvId,
    /// The other.
    pub b: AgvId,
}

impl SafetyMonitor {
    /// A monitor for AGVs of this footprint.
    pub fn new(footprint: AgvFootprint) -> Self {
        let half = Vector2::new(footprint.length_m / 2.0, footprint.width_m / 2.0);
        Self {
            body: Cuboid::new(half),
            reach_m: 2.0 * half.norm(),
            touching: BTreeSet::new(),
            order: Vec::new(),
            collisions: 0,
            min_centre_distance_m: f64::INFINITY,
        }
    }

    /// Checks one instant; returns the collisions that began now.
    pub fn check(&mut self, poses: &[(AgvId, Isometry2<f64>)]) -> Vec<Collision> {
        // sort and sweep along x: only pairs closer than two half-diagonals can touch
        self.order.clear();
        self.order.extend(0..poses.len());
        let x = |i: usize| poses[i].1.translation.vector.x;
        self.order.sort_unstable_by(|&a, &b| x(a).total_cmp(&x(b)));

        let mut now_touching = BTreeSet::new();
        for (k, &i) in self.order.iter().enumerate() {
            for &j in &self.order[k + 1..] {
                if x(j) - x(i) > self.reach_m {
                    break;
                }
                let (a, pose_a) = &poses[i];
                let (b, pose_b) = &poses[j];
                let distance = (pose_a.translation.vector - pose_b.translation.vector).norm();
                self.min_centre_distance_m = self.min_centre_distance_m.min(distance);
                if distance > self.reach_m {
                    continue;
                }
                let overlap = query::intersection_test(pose_a, &self.body, pose_b, &self.body)
                    .unwrap_or(true);
                if overlap {
                    now_touching.insert((*a.min(b), *a.max(b)));
                }
            }
        }
        let began: Vec<Collision> = now_touching
            .difference(&self.touching)
            .map(|&(a, b)| Collision { a, b })
            .collect();
        self.collisions += began.len() as u64;
        self.touching = now_touching;
        began
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(x: f64, y: f64, heading: f64) -> Isometry2<f64> {
        Isometry2::new(Vector2::new(x, y), heading)
    }

    #[test]
    fn agvs_nose_to_tail_20_m_apart_do_not_touch() {
        let mut monitor = SafetyMonitor::new(AgvFootprint::default());
        let poses = [
            (AgvId(0), at(0.0, 0.0, 0.0)),
            (AgvId(1), at(20.0, 0.0, 0.0)),
        ];
        assert!(monitor.check(&poses).is_empty());
        assert_eq!(monitor.collisions, 0);
    }

    #[test]
    fn overlap_counts_once_while_it_lasts() {
        let mut monitor = SafetyMonitor::new(AgvFootprint::default());
        let poses = [
            (AgvId(0), at(0.0, 0.0, 0.0)),
            (AgvId(1), at(10.0, 1.0, 0.3)),
        ];
        assert_eq!(monitor.check(&poses).len(), 1);
        assert_eq!(monitor.check(&poses).len(), 0);
        assert_eq!(monitor.collisions, 1);
    }

    #[test]
    fn side_by_side_on_parallel_lanes_12_m_apart_is_safe() {
        let mut monitor = SafetyMonitor::new(AgvFootprint::default());
        let poses = [
            (AgvId(0), at(0.0, 6.0, 0.0)),
            (AgvId(1), at(3.0, -6.0, std::f64::consts::PI)),
        ];
        assert!(monitor.check(&poses).is_empty());
    }
}

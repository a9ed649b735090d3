//! Which lanes a region of the site covers, for closures driven by what a camera sees.

use nalgebra::Point2;
use parry2d_f64::math::Isometry;
use parry2d_f64::query;
use parry2d_f64::shape::Segment;
use parry2d_f64::utils::point_in_poly2d;

use super::{LaneId, Yard};

impl Yard {
    /// The lanes whose centre segment (from one waypoint to the other) touches a polygon:
    /// an end inside it, or the segment crossing one of its edges. Both directions of a
    /// two-way section are returned, in lane id order.
    ///
    /// The polygon may be convex or simple (not self-intersecting), in either winding. A
    /// polygon with fewer than three corners, or with a corner that is not finite, covers
    /// nothing.
    ///
    /// # Units and frames
    /// Corners in the site frame, metres.
    ///
    /// # Complexity
    /// O(lanes × corners); nothing is indexed, which is fine for a yard of a few thousand lanes
    /// queried when a camera is set up or raises an event.
    ///
    /// # Examples
    /// ```
    /// # use nalgebra::Point2;
    /// let yard = maps::yard_file::load_builtin("huu-nghi").expect("built-in yard");
    /// let far_away = [
    ///     Point2::new(1e6, 1e6),
    ///     Point2::new(1e6 + 1.0, 1e6),
    ///     Point2::new(1e6, 1e6 + 1.0),
    /// ];
    /// assert!(yard.lanes_crossing(&far_away).is_empty());
    /// ```
    pub fn lanes_crossing(&self, polygon: &[Point2<f64>]) -> Vec<LaneId> {
        let usable =
            polygon.len() >= 3 && polygon.iter().all(|p| p.x.is_finite() && p.y.is_finite());
        if !usable {
            return Vec::new();
        }
        self.lanes()
            .filter(|(_, lane)| {
                let from = self.waypoint(lane.from).position;
                let to = self.waypoint(lane.to).position;
                segment_touches_polygon(&Segment::new(from, to), polygon)
            })
            .map(|(id, _)| id)
            .collect()
    }
}

/// Whether a segment has an end inside a polygon or crosses one of its edges.
fn segment_touches_polygon(segment: &Segment, polygon: &[Point2<f64>]) -> bool {
    if point_in_poly2d(&segment.a, polygon) || point_in_poly2d(&segment.b, polygon) {
        return true;
    }
    let identity = Isometry::identity();
    let mut edges = polygon.iter().zip(polygon.iter().cycle().skip(1));
    edges.any(|(a, b)| {
        let edge = Segment::new(*a, *b);
        // segment against segment is always supported by parry's default dispatcher
        query::intersection_test(&identity, segment, &identity, &edge).unwrap_or(false)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yard_file::load_builtin;

    /// An axis-aligned square of half-width `half` around a point.
    fn square(centre: Point2<f64>, half: f64) -> Vec<Point2<f64>> {
        vec![
            Point2::new(centre.x - half, centre.y - half),
            Point2::new(centre.x + half, centre.y - half),
            Point2::new(centre.x + half, centre.y + half),
            Point2::new(centre.x - half, centre.y + half),
        ]
    }

    #[test]
    fn square_around_a_lane_middle_covers_it_and_not_a_far_lane() {
        let yard = load_builtin("huu-nghi").expect("built-in yard");
        let (id, lane) = yard.lanes().next().expect("the yard has lanes");
        let from = yard.waypoint(lane.from).position;
        let to = yard.waypoint(lane.to).position;
        let middle = nalgebra::center(&from, &to);

        let covered = yard.lanes_crossing(&square(middle, 0.5));
        assert!(covered.contains(&id), "{id} is not in {covered:?}");

        // a lane whose both ends are far from this one is not covered
        let far = yard.lanes().find(|(_, other)| {
            let a = yard.waypoint(other.from).position;
            let b = yard.waypoint(other.to).position;
            nalgebra::distance(&a, &middle) > 100.0 && nalgebra::distance(&b, &middle) > 100.0
        });
        let (far, _) = far.expect("the yard spans more than 100 m");
        assert!(!covered.contains(&far));
        assert!(
            covered.len() < yard.lane_count() / 10,
            "{} lanes",
            covered.len()
        );
    }

    #[test]
    fn crossing_without_an_end_inside_counts() {
        let yard = load_builtin("huu-nghi").expect("built-in yard");
        let (id, lane) = yard
            .lanes()
            .find(|(_, lane)| lane.length_m > 4.0)
            .expect("a lane longer than 4 m");
        let from = yard.waypoint(lane.from).position;
        let to = yard.waypoint(lane.to).position;

        // a thin concave "L" across the middle that holds neither end
        let middle = nalgebra::center(&from, &to);
        let along = (to - from).normalize();
        let across = nalgebra::Vector2::new(-along.y, along.x);
        let corner = |a: f64, b: f64| middle + along * a + across * b;
        let l_shape = vec![
            corner(-0.2, -3.0),
            corner(0.2, -3.0),
            corner(0.2, 2.8),
            corner(1.0, 2.8),
            corner(1.0, 3.0),
            corner(-0.2, 3.0),
        ];
        assert!(yard.lanes_crossing(&l_shape).contains(&id));
    }

    #[test]
    fn degenerate_polygons_cover_nothing() {
        let yard = load_builtin("huu-nghi").expect("built-in yard");
        let (_, lane) = yard.lanes().next().expect("the yard has lanes");
        let at = yard.waypoint(lane.from).position;
        assert!(
            yard.lanes_crossing(&[at, at + nalgebra::Vector2::new(1.0, 0.0)])
                .is_empty()
        );
        let nan = Point2::new(f64::NAN, 0.0);
        assert!(yard.lanes_crossing(&[at, nan, at]).is_empty());
    }
}

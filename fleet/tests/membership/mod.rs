//! Joining the fleet: an AGV id is taken once, and only at a waypoint of the yard.

use fleet::{AgvId, FleetConfig, FleetCore, FleetError};
use maps::WaypointId;

use crate::vehicles::{huu_nghi, waypoint};

#[test]
fn add_agv_refuses_duplicates_and_unknown_waypoints() {
    let yard = huu_nghi();
    let park = waypoint(&yard, "vn-park-01");
    let beyond = WaypointId(u32::try_from(yard.waypoint_count()).expect("a small yard"));
    let mut core = FleetCore::new(yard.clone(), FleetConfig::default()).expect("a border yard");
    core.add_agv(AgvId(1), park, 0.9)
        .expect("a new AGV at a known waypoint");

    let duplicate = core.add_agv(AgvId(1), park, 0.9);
    let unknown = core.add_agv(AgvId(2), beyond, 0.9);

    assert_eq!(duplicate, Err(FleetError::DuplicateAgv { agv: AgvId(1) }));
    let yard_name = yard.name().to_owned();
    assert_eq!(
        unknown,
        Err(FleetError::UnknownWaypoint {
            waypoint: beyond,
            yard: yard_name
        })
    );
    assert_eq!(core.work().keys().copied().collect::<Vec<_>>(), [AgvId(1)]);
}

//! Integration tests of the virtual AGV, one binary.

// the acceptance rules of VDA 5050 2.1, one test each
mod acceptance;
// driving, braking, node actions, pause, cancel, battery
mod driving;
// the vehicle process on loopback Zenoh
mod loopback;
// every message the vehicle writes validates against the official 2.1.0 schemas
mod schema;
// fixtures: a straight test route, orders on it, schema validation
mod support;

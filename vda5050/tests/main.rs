//! Integration tests of the VDA 5050 messages, one binary.

// full and minimal example of every message kind
mod fixtures;
// hand-written messages, as another vendor's software would send them
mod handwritten;
// broken messages are refused with errors naming the message and the field
mod malformed;
// what we write validates against the official 2.1.0 schemas and reads back equal
mod schema;
// loading the official schemas and validating against them
mod support;

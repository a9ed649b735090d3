//! Integration tests of the planner, built as one binary.

// shared helpers: benchmark paths, solve-and-check
mod support;

// LaCAM*: completeness, proofs, optimality, benchmarks checked
mod lacam;

// LaCAM* against a brute-force search: completeness and optimality on tiny grids
mod brute;

// tiny named fixtures solved by PIBT and checked
mod fixtures;

// MovingAI benchmark instances that PIBT must solve
mod benchmarks;

// property tests over small random grids
mod properties;

// the lifelong steppers (plain and guided): scenarios and follow-ban invariants
mod stepper;

// result files: round trip and checking a written file
mod result_file;

// graphs built from yards
mod yard;

// the benchmark runner: suites, the smoke suite, refused suites and data
mod bench;

// large neighbourhood search over PIBT plans, and its benchmarks (ignored)
mod refine;

// the LoRR harness: problem files, the runner's rules, output files, the checker
mod lorr;

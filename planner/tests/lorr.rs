//! The LoRR harness: problem files refused with the file and line named, the runner's rules
//! (overruns, refused actions, refused schedule changes, errands), output files read back,
//! and the checker accepting real runs and refusing tampered ones.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use planner::lifelong::{LifelongOptions, LifelongPlanner};
use planner::lorr::run::{ActionFault, ScheduleFault, TaskEventKind};
use planner::lorr::{
    Action, CheckError, Entry, LorrError, OutputFile, Problem, Rules, RunLog, RunOptions,
    RunViolation, StepInput, StepOutput, TaskId, check_file, check_output, run,
};

use Action::{Clockwise as R, Forward as F, Wait as W};

/// A fixture problem under `tests/assets/lorr`.
fn fixture(name: &str) -> Problem {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/assets/lorr")
        .join(format!("{name}.json"));
    Problem::load(path).expect("fixture loads")
}

/// A problem of the shared LoRR data.
fn shared(path: &str) -> Problem {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/data/mapf/lifelong");
    Problem::load(root.join(path)).expect("shared problem loads")
}

/// The planner with a window searched for a few iterations on one thread: the whole
/// planner, repeatable and quick (by default the window searches until half the step's
/// limit, seconds per step in these tests).
fn quick() -> LifelongOptions {
    LifelongOptions {
        window_iterations: Some(200),
        threads: 1,
        ..LifelongOptions::default()
    }
}

/// An empty folder for one test, removed when dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn new(test: &str) -> Self {
        let dir = std::env::temp_dir().join(format!("planner-lorr-{}-{test}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Self(dir)
    }

    fn write(&self, name: &str, text: &str) -> PathBuf {
        let path = self.0.join(name);
        std::fs::write(&path, text).unwrap();
        path
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Plays fixed schedules and actions, then waits.
struct Script(Vec<(Vec<Option<u32>>, Vec<Action>)>);

impl Entry for Script {
    fn step(&mut self, input: &StepInput<'_>, _deadline: Instant) -> StepOutput {
        let n = input.states.len();
        match self.0.get(input.step as usize) {
            Some((schedule, actions)) => StepOutput {
                schedule: schedule.iter().map(|t| t.map(TaskId)).collect(),
                actions: actions.clone(),
            },
            None => StepOutput {
                schedule: input
                    .states
                    .iter()
                    .enumerate()
                    .map(|(a, _)| input.tasks.iter().find(|t| t.agent == Some(a as u32)))
                    .map(|task| task.map(|t| t.id))
                    .collect(),
                actions: vec![W; n],
            },
        }
    }
}

fn options(steps: u32) -> RunOptions {
    RunOptions {
        steps,
        time_limit: Duration::from_secs(10),
    }
}

/// The output file of a run, checked, and the checker's report matching the log.
fn checked(problem: &Problem, log: &RunLog) -> OutputFile {
    let output = OutputFile::new(problem, log);
    let report = check_output(problem, &output).expect("the checker accepts the run");
    assert_eq!(report.throughput, log.throughput());
    assert_eq!(report.tasks_finished, log.tasks_finished);
    output
}

// ---- problem files ----

#[test]
fn room_fixture_loads_under_2024_rules() {
    let problem = fixture("room");
    assert_eq!(problem.rules, Rules::Lorr2024);
    assert_eq!(problem.team_size(), 3);
    assert_eq!(problem.pool_size(), 3);
    assert_eq!(problem.default_steps, None);
    let cells: Vec<usize> = problem
        .starts
        .iter()
        .map(|&v| problem.cell_index(v).unwrap())
        .collect();
    assert_eq!(cells, [0, 4, 15]);
    let errands: Vec<usize> = problem.tasks[2]
        .iter()
        .map(|&v| problem.cell_index(v).unwrap())
        .collect();
    assert_eq!(errands, [10, 4, 18]);
    assert_eq!(fixture("room-2023").rules, Rules::Lorr2023);
}

#[test]
fn main_round_problems_know_their_steps() {
    let problem = shared("lorr2024-main-round/random.domain/RANDOM-01.json");
    assert_eq!(
        (problem.rules, problem.default_steps),
        (Rules::Lorr2024, Some(600))
    );
    assert_eq!(problem.pool_size(), 150);
    let problem = shared("lorr2023-main-round/random.domain/MR23-I-03.json");
    assert_eq!(
        (problem.rules, problem.default_steps),
        (Rules::Lorr2023, Some(500))
    );
}

/// Writes the room problem with one file replaced, and returns the load error.
fn room_with(test: &str, file: &str, text: &str) -> (Scratch, LorrError) {
    let scratch = Scratch::new(test);
    let assets = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/assets/lorr");
    for dir in ["maps", "agents", "tasks"] {
        std::fs::create_dir_all(scratch.0.join(dir)).unwrap();
    }
    for name in [
        "room.json",
        "maps/room.map",
        "agents/room.agents",
        "tasks/room.tasks",
    ] {
        std::fs::copy(assets.join(name), scratch.0.join(name)).unwrap();
    }
    scratch.write(file, text);
    let error = Problem::load(scratch.0.join("room.json")).expect_err("the problem is refused");
    (scratch, error)
}

fn assert_names(error: &LorrError, file: &str, line: &str) {
    let mut message = error.to_string();
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        message = format!("{message}: {cause}");
        source = cause.source();
    }
    assert!(message.contains(file), "{message:?} does not name {file}");
    assert!(message.contains(line), "{message:?} does not name {line}");
}

#[test]
fn a_missing_problem_file_is_refused() {
    let error = Problem::load("no/such/problem.json").unwrap_err();
    assert!(matches!(error, LorrError::Io { .. }), "{error:?}");
    assert_names(&error, "problem.json", "cannot read");
}

#[test]
fn malformed_json_names_its_line() {
    let (_dir, error) = room_with(
        "json",
        "room.json",
        "{\n  \"mapFile\": \"maps/room.map\",\n  oops\n}",
    );
    assert!(
        matches!(error, LorrError::Json { line: 3, .. }),
        "{error:?}"
    );
    assert_names(&error, "room.json", "line 3");
}

#[test]
fn a_bad_key_names_its_line() {
    let json = "{\n\"mapFile\": \"maps/room.map\",\n\"agentFile\": \"agents/room.agents\",\n\
                \"teamSize\": \"three\",\n\"taskFile\": \"tasks/room.tasks\"\n}";
    let (_dir, error) = room_with("key", "room.json", json);
    assert!(
        matches!(
            error,
            LorrError::Key {
                key: "teamSize",
                line: 4,
                ..
            }
        ),
        "{error:?}"
    );
    assert_names(&error, "room.json", "line 4");

    let json = "{\n\"mapFile\": \"maps/room.map\",\n\"teamSize\": 3\n}";
    let (_dir, error) = room_with("missing-key", "room.json", json);
    assert!(
        matches!(
            error,
            LorrError::Key {
                key: "agentFile",
                ..
            }
        ),
        "{error:?}"
    );
}

#[test]
fn cells_outside_the_map_or_on_obstacles_are_refused() {
    let (_dir, error) = room_with("outside", "agents/room.agents", "# c\n3\n0\n4\n20\n");
    assert!(
        matches!(
            error,
            LorrError::Cell {
                line: 5,
                cell: 20,
                ..
            }
        ),
        "{error:?}"
    );
    assert_names(&error, "room.agents", "outside the 5x4 map");

    let (_dir, error) = room_with("obstacle", "tasks/room.tasks", "# c\n2\n2,12\n8,6\n");
    assert!(
        matches!(
            error,
            LorrError::Cell {
                line: 4,
                cell: 6,
                ..
            }
        ),
        "{error:?}"
    );
    assert_names(&error, "room.tasks", "obstacle");

    let (_dir, error) = room_with("word", "tasks/room.tasks", "# c\n1\n2,x\n");
    assert!(
        matches!(error, LorrError::Malformed { line: 3, .. }),
        "{error:?}"
    );
}

#[test]
fn an_empty_task_is_refused() {
    let (_dir, error) = room_with("empty", "tasks/room.tasks", "# c\n3\n2,12\n\n13\n");
    assert!(
        matches!(error, LorrError::EmptyTask { line: 4, .. }),
        "{error:?}"
    );
    assert_names(&error, "room.tasks", "line 4");
}

#[test]
fn too_short_files_are_refused() {
    let (_dir, error) = room_with("few-tasks", "tasks/room.tasks", "# c\n3\n2,12\n");
    assert!(
        matches!(error, LorrError::Malformed { line: 4, .. }),
        "{error:?}"
    );
    let (_dir, error) = room_with("team", "agents/room.agents", "# c\n2\n0\n4\n");
    assert!(
        matches!(
            error,
            LorrError::TeamTooLarge {
                team: 3,
                available: 2,
                ..
            }
        ),
        "{error:?}"
    );
    assert_names(&error, "room.json", "line 4");
    let (_dir, error) = room_with("shared-start", "agents/room.agents", "# c\n3\n0\n4\n0\n");
    assert!(
        matches!(
            error,
            LorrError::SharedStart {
                first_line: 3,
                second_line: 5,
                ..
            }
        ),
        "{error:?}"
    );
}

#[test]
fn only_round_robin_2023_assignment_is_supported() {
    let json = "{\"mapFile\": \"maps/room.map\", \"agentFile\": \"agents/room.agents\",\n\
                \"teamSize\": 3, \"taskFile\": \"tasks/room.tasks\",\n\
                \"taskAssignmentStrategy\": \"greedy\"}";
    let (_dir, error) = room_with("strategy", "room.json", json);
    assert!(matches!(
        error,
        LorrError::Key {
            key: "taskAssignmentStrategy",
            line: 3,
            ..
        }
    ));
}

// ---- the runner's rules ----

/// Sleeps past any tiny limit and asks every agent to move.
struct Sleepy;

impl Entry for Sleepy {
    fn step(&mut self, input: &StepInput<'_>, _deadline: Instant) -> StepOutput {
        std::thread::sleep(Duration::from_millis(20));
        StepOutput {
            schedule: vec![input.tasks.first().map(|t| t.id); input.states.len()],
            actions: vec![F; input.states.len()],
        }
    }
}

#[test]
fn an_overrun_leaves_every_agent_waiting_and_the_schedule_unchanged() {
    let problem = fixture("room");
    let options = RunOptions {
        steps: 3,
        time_limit: Duration::from_millis(2),
    };
    let log = run(&problem, &mut Sleepy, &options);

    assert_eq!((log.overruns, log.invalid_steps), (3, 0));
    assert!(log.schedule_errors.is_empty());
    assert!(log.actions.iter().flatten().all(|&a| a == W));
    assert!(log.proposed.iter().flatten().all(Option::is_none));
    assert!(log.events.is_empty(), "no assignment: {:?}", log.events);
    assert_eq!(log.final_states, log.starts);
    let output = checked(&problem, &log);
    assert_eq!(output.planner_paths[0], "T,T,T");
}

/// The corridor: agent 1 turns to face agent 0, then both drive at each other.
fn corridor_script() -> Script {
    let none = vec![None, None];
    Script(vec![
        (none.clone(), vec![W, R]),
        (none.clone(), vec![W, R]),
        (none.clone(), vec![F, F]), // both into cell 2
        (none.clone(), vec![F, W]),
        (none.clone(), vec![F, F]), // agent 0 to 3, agent 1 to 2: a swap
    ])
}

#[test]
fn colliding_actions_leave_every_agent_waiting() {
    let problem = fixture("corridor");
    let log = run(&problem, &mut corridor_script(), &options(5));

    assert_eq!(log.invalid_steps, 2);
    let faults: Vec<_> = log
        .action_errors
        .iter()
        .map(|e| (e.step, e.fault))
        .collect();
    assert_eq!(
        faults,
        [
            (2, ActionFault::VertexConflict),
            (4, ActionFault::SwapConflict)
        ]
    );
    let output = checked(&problem, &log);
    assert_eq!(output.actual_paths, ["W,W,W,F,W", "R,R,W,W,W"]);
    assert_eq!(output.planner_paths, ["W,W,F,F,F", "R,R,F,W,F"]);
    assert_eq!(output.errors.len(), 2);
}

#[test]
fn forward_off_the_map_and_wrong_lengths_are_refused() {
    let problem = fixture("corridor");
    let mut script = Script(vec![
        (vec![None, None], vec![W, F]), // agent 1 to cell 4
        (vec![None, None], vec![W, F]), // off the east end
        (vec![None, None], vec![W]),
    ]);
    let log = run(&problem, &mut script, &options(3));
    let faults: Vec<_> = log
        .action_errors
        .iter()
        .map(|e| (e.step, e.agent, e.fault))
        .collect();
    let short = ActionFault::WrongLength {
        expected: 2,
        found: 1,
    };
    assert_eq!(
        faults,
        [(1, Some(1), ActionFault::Blocked), (2, None, short)]
    );
    checked(&problem, &log);
}

/// The room: agent 0 takes task 0 (errands 2 then 12) and carries it out while the others
/// ask for refused changes.
fn room_script() -> Script {
    let mut steps = vec![
        (vec![Some(0), Some(0), Some(7)], vec![F, W, W]), // double, unknown
        (vec![Some(0), None, None], vec![F, W, W]),       // errand 1 at time 2
        (vec![Some(1), Some(0), None], vec![F, W, W]),    // drops, under way elsewhere
    ];
    for action in [R, F, F, R, F] {
        steps.push((vec![Some(0), None, None], vec![action, W, W]));
    }
    Script(steps)
}

#[test]
fn schedule_changes_are_refused_agent_by_agent() {
    let problem = fixture("room");
    let log = run(&problem, &mut room_script(), &options(9));

    let refused: Vec<_> = log
        .schedule_errors
        .iter()
        .map(|e| (e.step, e.agent, e.fault))
        .collect();
    assert_eq!(
        refused,
        [
            (0, Some(1), ScheduleFault::DoubleAssignment { holder: 0 }),
            (0, Some(2), ScheduleFault::UnknownTask),
            (
                2,
                Some(0),
                ScheduleFault::DropsTaskUnderWay { task: TaskId(0) }
            ),
            (2, Some(1), ScheduleFault::UnderWayElsewhere { holder: 0 }),
        ]
    );
    let events: Vec<_> = log
        .events
        .iter()
        .map(|e| (e.time, e.agent, e.task.0, e.kind))
        .collect();
    assert_eq!(
        events,
        [
            (1, 0, 0, TaskEventKind::Assigned),
            (2, 0, 0, TaskEventKind::ErrandDone { done: 1 }),
            (8, 0, 0, TaskEventKind::ErrandDone { done: 2 }),
            (8, 0, 0, TaskEventKind::Finished),
        ]
    );
    assert_eq!(
        (log.tasks_finished, log.errands_finished, log.throughput()),
        (1, 2, 1)
    );
    // the finished task's place in the pool is refilled at the next step
    assert_eq!(log.tasks.len(), 4);
    assert_eq!(log.tasks[3].revealed_at, 8);

    let output = checked(&problem, &log);
    assert_eq!(output.actual_schedule[0], "1:0");
    assert_eq!(output.planner_schedule[2], "1:7,2:-1");
    assert_eq!(output.events, [(2, 0, 0, 1), (8, 0, 0, 2)]);
    assert_eq!(output.tasks[0], (0, 0, vec![0, 2, 2, 2]));
}

#[test]
fn a_schedule_of_the_wrong_length_is_refused_whole() {
    let problem = fixture("room");
    let mut script = Script(vec![(vec![Some(0)], vec![W, W, W])]);
    let log = run(&problem, &mut script, &options(1));
    let fault = ScheduleFault::WrongLength {
        expected: 3,
        found: 1,
    };
    assert_eq!(log.schedule_errors[0].fault, fault);
    assert!(log.events.is_empty());
}

#[test]
fn round_robin_gives_robot_i_tasks_i_i_plus_n_and_on() {
    let problem = fixture("room-2023");
    let mut planner = LifelongPlanner::new(quick());
    let log = run(&problem, &mut planner, &options(40));

    let first: Vec<_> = log.tasks[..3]
        .iter()
        .map(|t| problem.cell_index(t.errands[0]).unwrap())
        .collect();
    assert_eq!(first, [2, 12, 8]);
    assert!(log.throughput() >= 3, "throughput {}", log.throughput());
    assert_eq!(log.throughput(), log.errands_finished);
    checked(&problem, &log);
}

// ---- real problems, output files ----

#[test]
fn random_01_runs_20_steps_and_its_file_checks() {
    let problem = shared("lorr2024-main-round/random.domain/RANDOM-01.json");
    let mut planner = LifelongPlanner::new(quick());
    let log = run(&problem, &mut planner, &options(20));
    assert_eq!((log.overruns, log.invalid_steps), (0, 0));
    assert!(log.schedule_errors.is_empty(), "{:?}", log.schedule_errors);

    let scratch = Scratch::new("random-01");
    let path = scratch.0.join("out.json");
    let output = OutputFile::new(&problem, &log);
    output.save(&path).unwrap();
    assert_eq!(OutputFile::load(&path).unwrap(), output);
    let report = check_file(&problem, &path).unwrap();
    assert_eq!((report.steps, report.throughput), (20, log.throughput()));

    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    assert_eq!(json["actionModel"], "MAPF_T");
    assert_eq!(json["start"][0], serde_json::json!([24, 19, "E"])); // cell 787
    assert_eq!(json["actualPaths"].as_array().unwrap().len(), 100);
}

#[test]
fn a_2023_main_round_problem_runs_and_checks() {
    let problem = shared("lorr2023-main-round/random.domain/MR23-I-03.json");
    let mut planner = LifelongPlanner::new(quick());
    let log = run(&problem, &mut planner, &options(20));
    assert_eq!((log.overruns, log.invalid_steps), (0, 0));
    checked(&problem, &log);
}

// ---- the checker refuses tampered files ----

fn corridor_output() -> (Problem, OutputFile) {
    let problem = fixture("corridor");
    let log = run(&problem, &mut corridor_script(), &options(5));
    let output = OutputFile::new(&problem, &log);
    (problem, output)
}

fn room_output() -> (Problem, OutputFile) {
    let problem = fixture("room");
    let log = run(&problem, &mut room_script(), &options(9));
    let output = OutputFile::new(&problem, &log);
    (problem, output)
}

fn paths(list: [&str; 2]) -> Vec<String> {
    list.map(String::from).to_vec()
}

#[test]
fn a_collision_in_the_file_is_refused() {
    let (problem, mut output) = corridor_output();
    output.actual_paths = paths(["W,W,F,F,W", "R,R,F,W,W"]);
    let error = check_output(&problem, &output).unwrap_err();
    let expected = RunViolation::VertexConflict {
        step: 2,
        first: 0,
        second: 1,
        row: 0,
        column: 2,
    };
    assert_eq!(error, expected);

    output.actual_paths = paths(["W,W,W,F,F", "R,R,W,W,F"]);
    let error = check_output(&problem, &output).unwrap_err();
    assert_eq!(
        error,
        RunViolation::SwapConflict {
            step: 4,
            first: 0,
            second: 1
        }
    );

    output.actual_paths = paths(["W,W,W,W,W", "F,F,W,W,W"]);
    let error = check_output(&problem, &output).unwrap_err();
    assert_eq!(error, RunViolation::Blocked { step: 1, agent: 1 });
}

#[test]
fn a_finish_where_the_agent_never_was_is_refused() {
    let (problem, output) = room_output();
    let scratch = Scratch::new("tampered");
    let path = scratch.0.join("out.json");
    output.save(&path).unwrap();

    // edit the file: the last errand claimed a step early, when agent 0 is one cell short
    let mut json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    json["events"][1][0] = 7.into();
    std::fs::write(&path, json.to_string()).unwrap();
    let error = check_file(&problem, &path).unwrap_err();
    let CheckError::Violation(violation) = error else {
        panic!("{error:?}")
    };
    let expected = RunViolation::ErrandNotVisited {
        time: 7,
        agent: 0,
        task: 0,
        errand: 1,
    };
    assert_eq!(violation, expected);
}

#[test]
fn claims_the_replay_cannot_confirm_are_refused() {
    let (problem, output) = room_output();

    let mut more = output.clone();
    more.num_task_finished = 2;
    let error = check_output(&problem, &more).unwrap_err();
    assert!(matches!(
        error,
        RunViolation::Count {
            key: "numTaskFinished",
            claimed: 2,
            recomputed: 1
        }
    ));

    let mut stranger = output.clone();
    stranger.events.push((9, 1, 1, 1));
    let error = check_output(&problem, &stranger).unwrap_err();
    assert_eq!(
        error,
        RunViolation::NotAssigned {
            time: 9,
            agent: 1,
            task: 1
        }
    );

    let mut missed = output.clone();
    missed.events.pop();
    let error = check_output(&problem, &missed).unwrap_err();
    assert_eq!(
        error,
        RunViolation::MissedErrand {
            time: 8,
            agent: 0,
            row: 2,
            column: 2
        }
    );

    let mut shared = output.clone();
    shared.actual_schedule[1] = "1:0".into();
    let error = check_output(&problem, &shared).unwrap_err();
    assert!(
        matches!(
            error,
            RunViolation::DoubleAssignment {
                time: 1,
                task: 0,
                ..
            }
        ),
        "{error}"
    );

    let mut moved = output.clone();
    moved.actual_schedule[0] = "1:0,3:1".into();
    let error = check_output(&problem, &moved).unwrap_err();
    assert_eq!(
        error,
        RunViolation::UnderWayMoved {
            time: 3,
            agent: 0,
            task: 0
        }
    );

    let mut other_cells = output;
    other_cells.tasks[1].2 = vec![0, 0];
    let error = check_output(&problem, &other_cells).unwrap_err();
    assert_eq!(error, RunViolation::TaskErrands { task: 1 });
}

#[test]
fn an_unreadable_output_file_is_a_read_error() {
    let problem = fixture("room");
    let scratch = Scratch::new("unreadable");
    let path = scratch.write("out.json", "{\"actionModel\": \"MAPF_T\"\n");
    let error = check_file(&problem, &path).unwrap_err();
    assert!(matches!(error, CheckError::Read(_)), "{error:?}");
    assert!(check_file(&problem, Path::new("no/such/out.json")).is_err());
}

// ---- the lifelong planner's switches, each measured against its baseline ----

/// LNS iterations per step of the windowed run in the tests (release runs search until
/// the deadline instead: some thousands of iterations a step on RANDOM-03).
const WINDOW_ITERATIONS: u64 = 3000;

/// Tasks finished on RANDOM-03 (400 agents on random-32-32-20) in 150 steps, checked.
fn random_03_throughput(options: LifelongOptions) -> u64 {
    let problem = shared("lorr2024-main-round/random.domain/RANDOM-03.json");
    let mut planner = LifelongPlanner::new(options);
    let log = run(&problem, &mut planner, &self::options(150));
    assert_eq!((log.overruns, log.invalid_steps), (0, 0));
    assert!(log.schedule_errors.is_empty(), "{:?}", log.schedule_errors);
    checked(&problem, &log);
    log.throughput()
}

/// The planner without its window (module `window`), which the switches below are
/// measured without: with it a debug build would spend seconds on each step.
fn windowless() -> LifelongOptions {
    LifelongOptions {
        window: 0,
        ..LifelongOptions::default()
    }
}

#[test]
fn guidance_and_optimal_assignment_each_finish_more_tasks_on_a_dense_map() {
    let full = random_03_throughput(windowless());
    let unguided = random_03_throughput(LifelongOptions {
        guidance: false,
        ..windowless()
    });
    let greedy = random_03_throughput(LifelongOptions {
        assigner: planner::lifelong::Assigner::Greedy,
        ..windowless()
    });
    assert!(full > unguided, "guided {full}, unguided {unguided}");
    assert!(full > greedy, "optimal {full}, greedy {greedy}");
}

#[test]
fn the_improved_window_finishes_more_tasks_than_pibt_alone() {
    // a fixed number of LNS iterations on one thread: the same run on every machine
    let windowed = random_03_throughput(LifelongOptions {
        window: 6,
        window_iterations: Some(WINDOW_ITERATIONS),
        threads: 1,
        ..LifelongOptions::default()
    });
    let pibt = random_03_throughput(windowless());
    assert!(windowed > pibt, "windowed {windowed}, PIBT alone {pibt}");
}

/// Every 2024 main-round problem to its step count under the competition's 1 s limit, each
/// run checked; prints one line per problem. Hours on 2 cores: run it in release, e.g.
/// `cargo test --release -p planner --test main full_main_round -- --ignored --nocapture`
/// (or one problem at a time with `gatefleet lifelong --problem FILE`).
#[test]
#[ignore = "hours long: the full 2024 main round"]
fn full_main_round_2024_runs_and_checks() {
    let names = [
        "random.domain/RANDOM-01",
        "random.domain/RANDOM-02",
        "random.domain/RANDOM-03",
        "random.domain/RANDOM-04",
        "random.domain/RANDOM-05",
        "city.domain/CITY-01",
        "city.domain/CITY-02",
        "game.domain/GAME",
        "warehouse.domain/WAREHOUSE",
        "warehouse.domain/SORTATION",
    ];
    for name in names {
        let problem = shared(&format!("lorr2024-main-round/{name}.json"));
        let steps = problem
            .default_steps
            .expect("the round lists every problem's steps");
        let mut planner = LifelongPlanner::new(LifelongOptions::default());
        let options = RunOptions {
            steps,
            time_limit: Duration::from_secs(1),
        };
        let log = run(&problem, &mut planner, &options);
        checked(&problem, &log);
        println!(
            "{name}: steps={steps} throughput={} overruns={} invalid_steps={}",
            log.throughput(),
            log.overruns,
            log.invalid_steps
        );
        assert_eq!(log.invalid_steps, 0, "{name}");
    }
}

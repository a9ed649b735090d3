//! `gatefleet read-code` and `gatefleet bench read-code`: container codes read from photos.
//!
//! `read-code` prints one line per image, the path, a tab and the eleven characters of the
//! code (or `-` when no code with a valid check digit is read), for people and scripts. The
//! bench reads a folder of photos single-threaded and prints the CPU time of each, and, when
//! the folder has a `labels.csv` (`filename,code_printed,code,...`), how many were read
//! right and wrong.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use cpu_time::ProcessTime;
use perception::{CodeReader, ReaderConfig};

/// Flags of `gatefleet read-code`.
#[derive(clap::Args, Debug)]
pub struct ReadCodeArgs {
    /// Photos (JPEG or PNG) of container doors or sides.
    #[arg(required = true)]
    images: Vec<PathBuf>,
    /// Do not look again at a photo turned a quarter turn when nothing was read upright.
    #[arg(long)]
    no_turn: bool,
    /// Folder holding `lib/` and `models/` (default: where scripts/setup-perception put them).
    #[arg(long)]
    perception_dir: Option<PathBuf>,
}

/// Flags of `gatefleet bench read-code`.
#[derive(clap::Args, Debug)]
pub struct BenchReadCodeArgs {
    /// Folder of photos, with `labels.csv` to score them.
    #[arg(long, default_value = "../shared/data/perception/containers")]
    photos: PathBuf,
    /// Do not look again at turned photos.
    #[arg(long)]
    no_turn: bool,
    /// Folder holding `lib/` and `models/`.
    #[arg(long)]
    perception_dir: Option<PathBuf>,
}

fn reader(no_turn: bool, perception_dir: Option<PathBuf>) -> anyhow::Result<CodeReader> {
    let mut config = ReaderConfig {
        try_turned: !no_turn,
        ..ReaderConfig::default()
    };
    config.ocr.perception_dir = perception_dir;
    Ok(CodeReader::load(&config)?)
}

/// Runs `gatefleet read-code`: exit code 0 when every image was read (code or not), 2 when
/// an image could not be opened or decoded (its line says `-`, stderr says why).
pub fn run_read_code(args: ReadCodeArgs) -> anyhow::Result<ExitCode> {
    let mut reader = reader(args.no_turn, args.perception_dir)?;
    let mut failed = false;
    for path in &args.images {
        let code = match reader.read_file(path) {
            Ok(reading) => reading.map_or_else(|| "-".to_owned(), |r| r.code.to_string()),
            Err(e) => {
                eprintln!("gatefleet: {e}");
                failed = true;
                "-".to_owned()
            }
        };
        println!("{}\t{code}", path.display());
    }
    Ok(if failed {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    })
}

/// The labels of a photo folder: file name and code, from the first and third columns of
/// `labels.csv` (the later columns may hold quoted commas; these never do).
fn labels(folder: &Path) -> anyhow::Result<Vec<(String, String)>> {
    let path = folder.join("labels.csv");
    let text = std::fs::read_to_string(&path).with_context(|| format!("reading {path:?}"))?;
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate().skip(1) {
        let fields: Vec<&str> = line.splitn(4, ',').collect();
        match fields.as_slice() {
            [file, _, code, _] | [file, _, code] => {
                out.push(((*file).to_owned(), (*code).to_owned()));
            }
            _ => anyhow::bail!(
                "{path:?} line {}: expected filename,code_printed,code,...",
                n + 1
            ),
        }
    }
    Ok(out)
}

/// Runs `gatefleet bench read-code`.
pub fn run_bench(args: BenchReadCodeArgs) -> anyhow::Result<ExitCode> {
    let labelled = labels(&args.photos)?;
    anyhow::ensure!(!labelled.is_empty(), "no photo listed in {:?}", args.photos);
    let mut reader = reader(args.no_turn, args.perception_dir)?;
    // one warm-up read: the runtime's first run allocates its arenas
    let first = args.photos.join(&labelled[0].0);
    reader.read_file(&first)?;
    let (mut correct, mut wrong, mut none) = (0, 0, 0);
    let mut seconds = Vec::new();
    println!("photo\tcpu_s\tread\tlabel\tverdict");
    for (file, label) in &labelled {
        let path = args.photos.join(file);
        let started = ProcessTime::now();
        let reading = reader.read_file(&path)?;
        let cpu = started.elapsed().as_secs_f64();
        seconds.push(cpu);
        let read = reading.map_or_else(|| "-".to_owned(), |r| r.code.to_string());
        let verdict = if read == *label {
            correct += 1;
            "ok"
        } else if read == "-" {
            none += 1;
            "none"
        } else {
            wrong += 1;
            "WRONG"
        };
        println!("{file}\t{cpu:.3}\t{read}\t{label}\t{verdict}");
    }
    seconds.sort_by(f64::total_cmp);
    let mean = seconds.iter().sum::<f64>() / seconds.len() as f64;
    let at = |q: f64| seconds[((seconds.len() - 1) as f64 * q).round() as usize];
    println!(
        "photos={} correct={correct} wrong={wrong} none={none}",
        seconds.len()
    );
    println!(
        "cpu_s_per_photo mean={mean:.3} median={:.3} p90={:.3} max={:.3} (decode included, one thread)",
        at(0.5),
        at(0.9),
        at(1.0)
    );
    Ok(ExitCode::SUCCESS)
}

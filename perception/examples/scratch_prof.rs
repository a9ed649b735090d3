//! scratch: profile rec
use ort::session::Session;
use ort::value::TensorRef;
fn main() -> anyhow::Result<()> {
    let env =
        ort::init_from("/work/wt-ocr-target/perception/lib/libonnxruntime.so.1.31.1")?.build()?;
    let model = std::env::args().nth(1).unwrap();
    let w: usize = std::env::args().nth(2).unwrap().parse()?;
    let h: usize = std::env::args().nth(3).unwrap().parse()?;
    let mut rec = Session::builder(&env)?
        .with_intra_threads(1)
        .map_err(<ort::Error>::from)?
        .with_profiling("/tmp/scratch/prof")
        .map_err(<ort::Error>::from)?
        .commit_from_file(model)?;
    let data: Vec<f32> = (0..3 * h * w)
        .map(|i| ((i * 7919) % 255) as f32 / 127.5 - 1.0)
        .collect();
    for _ in 0..20 {
        let t = TensorRef::from_array_view(([1, 3, h, w], &*data))?;
        rec.run(ort::inputs![t])?;
    }
    println!("{}", rec.end_profiling()?);
    Ok(())
}

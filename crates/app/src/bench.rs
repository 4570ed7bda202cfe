//! The benchmark harness (see docs/BENCHMARKS.md). Placeholder until the
//! harness lands; `danchu bench` reports that it is not built yet.

#[derive(clap::Args, Debug)]
pub struct BenchArgs {}

pub async fn run(_a: &BenchArgs) -> Result<(), String> {
    Err("the benchmark harness is not built yet".into())
}

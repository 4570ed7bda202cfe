//! Step-by-step progress, printed (nextest shows it when a test fails).

use std::time::Instant;

pub struct Steps {
    name: &'static str,
    start: Instant,
}

impl Steps {
    pub fn new(name: &'static str) -> Steps {
        Steps { name, start: Instant::now() }
    }

    pub fn step(&self, what: &str) {
        println!("[{} {:6.1} s] {what}", self.name, self.start.elapsed().as_secs_f64());
    }
}

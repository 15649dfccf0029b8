//! CPU time spent per stage, summed over threads, for `dossier build
//! --timings` and `dossier bench build`. Thread CPU time, not wall time, so
//! a busy machine does not inflate the figures.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// The stages a build's time is split into.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Reading files and extracting articles.
    Ingest,
    /// The language pipeline.
    Parse,
    /// Pronoun links, resolution within the document and its profiles.
    Local,
    /// Time expressions.
    Time,
    /// Events, relations and claims of the document.
    Facts,
    /// Writing documents and analyses.
    Store,
    /// Resolution across documents.
    Global,
    /// Linking facts across documents.
    Link,
    /// Names, search keys and summaries of changed entities.
    Summaries,
}

impl Stage {
    pub const ALL: [Stage; 9] = [
        Stage::Ingest,
        Stage::Parse,
        Stage::Local,
        Stage::Time,
        Stage::Facts,
        Stage::Store,
        Stage::Global,
        Stage::Link,
        Stage::Summaries,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Stage::Ingest => "ingest",
            Stage::Parse => "parse",
            Stage::Local => "local resolution",
            Stage::Time => "time",
            Stage::Facts => "facts",
            Stage::Store => "store",
            Stage::Global => "global resolution",
            Stage::Link => "linking",
            Stage::Summaries => "summaries",
        }
    }
}

/// Nanoseconds per stage; shared by the threads of a build.
#[derive(Debug, Default)]
pub struct StageTimes {
    nanos: [AtomicU64; 9],
}

impl StageTimes {
    pub fn add(&self, stage: Stage, d: Duration) {
        self.nanos[stage as usize].fetch_add(d.as_nanos() as u64, Ordering::Relaxed);
    }

    pub fn get(&self, stage: Stage) -> Duration {
        Duration::from_nanos(self.nanos[stage as usize].load(Ordering::Relaxed))
    }

    /// Every stage with its time.
    pub fn all(&self) -> Vec<(Stage, Duration)> {
        Stage::ALL.iter().map(|&s| (s, self.get(s))).collect()
    }
}

/// CPU time of the calling thread so far.
pub fn thread_cpu() -> Duration {
    // SAFETY: clock_gettime only writes into the struct it is given.
    let mut ts: libc::timespec = unsafe { std::mem::zeroed() };
    if unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) } != 0 {
        return Duration::ZERO;
    }
    Duration::new(ts.tv_sec as u64, ts.tv_nsec as u32)
}

/// A stopwatch on the calling thread's CPU time.
#[derive(Debug, Clone, Copy)]
pub struct Cpu(Duration);

impl Cpu {
    pub fn start() -> Cpu {
        Cpu(thread_cpu())
    }

    pub fn elapsed(&self) -> Duration {
        thread_cpu().saturating_sub(self.0)
    }
}

/// Runs `f` and adds the CPU time it took on this thread to `stage`.
pub fn timed<T>(times: &StageTimes, stage: Stage, f: impl FnOnce() -> T) -> T {
    let t = Cpu::start();
    let out = f();
    times.add(stage, t.elapsed());
    out
}

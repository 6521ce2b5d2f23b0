//! Tremplin: a platform to run digital-transition programmes for very small
//! businesses and craftspeople.

pub mod api;
pub mod app;
pub mod auth;
pub mod board;
pub mod business;
pub mod cache;
pub mod calls;
pub mod cases;
pub mod cli;
pub mod coaching;
pub mod communes;
pub mod config;
pub mod contact;
pub mod coordination;
pub mod csvio;
pub mod dashboard;
pub mod db;
pub mod diagnostic;
pub mod directory;
pub mod federation;
pub mod funding;
pub mod guides;
pub mod home;
pub mod i18n;
pub mod ical;
pub mod jobs;
pub mod kept;
pub mod kernel;
pub mod loans;
pub mod needs;
pub mod opendata;
pub mod ops;
pub mod outbox;
pub mod privacy;
pub mod programme;
pub mod reference;
pub mod setup;
pub mod sponsors;
pub mod state;
pub mod testimonies;
pub mod text;
pub mod web;
pub mod workshops;
pub mod xlsx;

/// Make the C allocator hand large blocks (such as Argon2's 19 MiB working
/// memory) back to the system when freed, instead of keeping them in its
/// arenas: without this, a few logins leave the process tens of MB larger.
/// Two arenas instead of eight per core: the SQLite connection threads and
/// the runtime's threads otherwise each grow an arena of their own that keeps
/// the freed memory of a burst (directory searches took the server from 52
/// to 72 MB).
pub fn tune_allocator() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only changes allocator parameters; called at start.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 1 << 20);
        libc::mallopt(libc::M_ARENA_MAX, 2);
    }
}

/// Give the memory the C allocator keeps free back to the system, every
/// few seconds: a burst of distinct pages (many small blocks freed in
/// between live ones) otherwise leaves the arenas' free space resident.
/// `malloc_trim` walks the free lists only, a fraction of a millisecond.
pub async fn trim_allocator_forever() {
    loop {
        tokio::time::sleep(std::time::Duration::from_secs(5)).await;
        #[cfg(all(target_os = "linux", target_env = "gnu"))]
        // SAFETY: malloc_trim only returns free pages to the system.
        unsafe {
            libc::malloc_trim(64 << 10);
        }
    }
}

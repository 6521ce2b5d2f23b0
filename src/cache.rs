//! Small in-process caches for read-mostly pages. Each server keeps its
//! own; a change made here clears the cache at once, other servers see it
//! when the entry expires (the README lists every cache and its lifetime).

use std::collections::HashMap;
use std::sync::{Arc, LazyLock, Mutex};
use std::time::{Duration, Instant};

type Entries<V> = HashMap<(u64, String), (Instant, Arc<V>)>;

/// Values by (database id, key), each kept for `ttl`.
pub struct TtlCache<V> {
    ttl: Duration,
    max: usize,
    entries: LazyLock<Mutex<Entries<V>>>,
}

impl<V> TtlCache<V> {
    /// A cache keeping at most `max` entries for `ttl` each.
    pub const fn new(ttl: Duration, max: usize) -> TtlCache<V> {
        TtlCache {
            ttl,
            max,
            entries: LazyLock::new(|| Mutex::new(HashMap::new())),
        }
    }

    /// The fresh value under `key`, if any.
    pub fn get(&self, db: u64, key: &str) -> Option<Arc<V>> {
        let map = self.entries.lock().expect("cache");
        map.get(&(db, key.to_string()))
            .filter(|(at, _)| at.elapsed() < self.ttl)
            .map(|(_, v)| v.clone())
    }

    /// Keep `value` under `key`.
    pub fn put(&self, db: u64, key: String, value: Arc<V>) {
        let mut map = self.entries.lock().expect("cache");
        if map.len() >= self.max {
            let ttl = self.ttl;
            map.retain(|_, (at, _)| at.elapsed() < ttl);
            if map.len() >= self.max {
                map.clear();
            }
        }
        map.insert((db, key), (Instant::now(), value));
    }

    /// Forget everything (after a change made on this server).
    pub fn clear(&self) {
        self.entries.lock().expect("cache").clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_expire_and_clear() {
        static C: TtlCache<i64> = TtlCache::new(Duration::from_millis(50), 2);
        C.put(1, "a".into(), Arc::new(1));
        assert_eq!(C.get(1, "a").as_deref(), Some(&1));
        assert!(C.get(2, "a").is_none(), "another database");
        std::thread::sleep(Duration::from_millis(60));
        assert!(C.get(1, "a").is_none(), "expired");
        C.put(1, "b".into(), Arc::new(2));
        C.clear();
        assert!(C.get(1, "b").is_none());
    }
}

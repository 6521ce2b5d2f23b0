//! Small in-process caches for read-mostly pages, held as fields of the
//! application state (one per database). Each server keeps its
//! own; a change made here clears the cache at once, other servers see it
//! when the entry expires (the README lists every cache and its lifetime).
//! A missing entry is computed by one request while the others wait for it,
//! so an expiry under load never becomes a stampede.

use std::collections::HashMap;
use std::future::Future;
use std::sync::{Arc, LazyLock, Mutex};
use std::time::{Duration, Instant};

type Key = String;
type Entries<V> = HashMap<Key, (Instant, Arc<V>)>;
type Flights = HashMap<Key, Arc<tokio::sync::Mutex<()>>>;

/// Values by key, each kept for `ttl`.
pub struct TtlCache<V> {
    ttl: Duration,
    max: usize,
    entries: LazyLock<Mutex<Entries<V>>>,
    flights: LazyLock<Mutex<Flights>>,
}

impl<V> TtlCache<V> {
    /// A cache keeping at most `max` entries for `ttl` each.
    pub const fn new(ttl: Duration, max: usize) -> TtlCache<V> {
        TtlCache {
            ttl,
            max,
            entries: LazyLock::new(|| Mutex::new(HashMap::new())),
            flights: LazyLock::new(|| Mutex::new(HashMap::new())),
        }
    }

    /// The fresh value under `key`, if any.
    pub fn get(&self, key: &str) -> Option<Arc<V>> {
        let map = self.entries.lock().expect("cache");
        map.get(key)
            .filter(|(at, _)| at.elapsed() < self.ttl)
            .map(|(_, v)| v.clone())
    }

    /// Keep `value` under `key`; when full, expired entries go first, then
    /// the oldest tenth.
    pub fn put(&self, key: String, value: Arc<V>) {
        let mut map = self.entries.lock().expect("cache");
        if map.len() >= self.max {
            let ttl = self.ttl;
            map.retain(|_, (at, _)| at.elapsed() < ttl);
            if map.len() >= self.max {
                let mut ages: Vec<(Instant, Key)> =
                    map.iter().map(|(k, (at, _))| (*at, k.clone())).collect();
                ages.sort();
                for (_, k) in ages.into_iter().take(self.max / 10 + 1) {
                    map.remove(&k);
                }
            }
        }
        map.insert(key, (Instant::now(), value));
    }

    /// The value under `key`, computed by `make` when missing; concurrent
    /// callers for the same key wait for that one computation.
    pub async fn get_or_try<E, F, Fut>(&self, key: String, make: F) -> Result<Arc<V>, E>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<V, E>>,
    {
        if let Some(v) = self.get(&key) {
            return Ok(v);
        }
        let flight = {
            let mut f = self.flights.lock().expect("cache flights");
            f.entry(key.clone()).or_default().clone()
        };
        let guard = flight.lock().await;
        // Someone may have computed it while we waited.
        let result = match self.get(&key) {
            Some(v) => Ok(v),
            None => match make().await {
                Ok(v) => {
                    let v = Arc::new(v);
                    self.put(key.clone(), v.clone());
                    Ok(v)
                }
                Err(e) => Err(e),
            },
        };
        drop(guard);
        let mut f = self.flights.lock().expect("cache flights");
        if f.get(&key).is_some_and(|a| Arc::strong_count(a) <= 2) {
            f.remove(&key);
        }
        result
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
        C.put("a".into(), Arc::new(1));
        assert_eq!(C.get("a").as_deref(), Some(&1));
        assert!(C.get("b").is_none());
        std::thread::sleep(Duration::from_millis(60));
        assert!(C.get("a").is_none(), "expired");
        C.put("b".into(), Arc::new(2));
        C.clear();
        assert!(C.get("b").is_none());
    }

    #[tokio::test]
    async fn one_computation_serves_concurrent_misses() {
        static C: TtlCache<i64> = TtlCache::new(Duration::from_secs(60), 10);
        static RUNS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let tasks: Vec<_> = (0..16)
            .map(|_| {
                tokio::spawn(async {
                    C.get_or_try("k".into(), || async {
                        RUNS.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                        tokio::time::sleep(Duration::from_millis(20)).await;
                        Ok::<i64, ()>(7)
                    })
                    .await
                })
            })
            .collect();
        for t in tasks {
            assert_eq!(*t.await.unwrap().unwrap(), 7);
        }
        assert_eq!(RUNS.load(std::sync::atomic::Ordering::SeqCst), 1);
    }
}

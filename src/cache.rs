//! Small in-process caches for read-mostly pages, held as fields of the
//! application state (one per database). Each server keeps its
//! own; a change made here clears the cache at once, other servers see it
//! when the entry expires (the README lists every cache and its lifetime).
//! A missing entry is computed by one request while the others wait for it,
//! so an expiry under load never becomes a stampede. Each cache is bounded
//! by the bytes its entries hold (as [`Weigh`] estimates them), not by their
//! number: many distinct pages cannot make the server grow.

use std::collections::HashMap;
use std::future::Future;
use std::sync::{Arc, LazyLock, Mutex};
use std::time::{Duration, Instant};

type Key = String;
type Flights = HashMap<Key, Arc<tokio::sync::Mutex<()>>>;

/// Bytes an entry costs besides its key and value (map slot, Arc, time).
const ENTRY_OVERHEAD: usize = 96;

/// The heap bytes a cached value holds, roughly (what counts is the order
/// of magnitude: rendered HTML, lists of rows).
pub trait Weigh {
    /// Approximate size in bytes, the value itself included.
    fn weigh(&self) -> usize;
}

impl Weigh for String {
    fn weigh(&self) -> usize {
        std::mem::size_of::<String>() + self.capacity()
    }
}

impl<A: Weigh, B> Weigh for (A, B) {
    fn weigh(&self) -> usize {
        self.0.weigh() + std::mem::size_of::<B>()
    }
}

impl Weigh for Arc<str> {
    fn weigh(&self) -> usize {
        std::mem::size_of::<Arc<str>>() + self.len() + 16
    }
}

impl<T: Weigh> Weigh for Vec<T> {
    fn weigh(&self) -> usize {
        std::mem::size_of::<Vec<T>>()
            + self.iter().map(Weigh::weigh).sum::<usize>()
            + (self.capacity() - self.len()) * std::mem::size_of::<T>()
    }
}

/// The entries, and the bytes they hold.
struct Entries<V> {
    map: HashMap<Key, (Instant, Arc<V>, usize)>,
    bytes: usize,
}

/// Values by key, each kept for `ttl`, at most `max_bytes` in all.
pub struct TtlCache<V> {
    ttl: Duration,
    max_bytes: usize,
    entries: LazyLock<Mutex<Entries<V>>>,
    flights: LazyLock<Mutex<Flights>>,
}

impl<V: Weigh> TtlCache<V> {
    /// A cache keeping entries for `ttl` each, `max_bytes` of them at most.
    pub const fn new(ttl: Duration, max_bytes: usize) -> TtlCache<V> {
        TtlCache {
            ttl,
            max_bytes,
            entries: LazyLock::new(|| {
                Mutex::new(Entries {
                    map: HashMap::new(),
                    bytes: 0,
                })
            }),
            flights: LazyLock::new(|| Mutex::new(HashMap::new())),
        }
    }

    /// The fresh value under `key`, if any.
    pub fn get(&self, key: &str) -> Option<Arc<V>> {
        let e = self.entries.lock().expect("cache");
        e.map
            .get(key)
            .filter(|(at, _, _)| at.elapsed() < self.ttl)
            .map(|(_, v, _)| v.clone())
    }

    /// Bytes held now (keys, values and bookkeeping, estimated).
    pub fn bytes(&self) -> usize {
        self.entries.lock().expect("cache").bytes
    }

    /// Keep `value` under `key`. When the bytes would pass the bound,
    /// expired entries go first, then the oldest until a quarter of the
    /// room is free; a value bigger than a quarter of the bound is not kept.
    pub fn put(&self, key: String, value: Arc<V>) {
        let size = key.capacity() + value.weigh() + ENTRY_OVERHEAD;
        if size > self.max_bytes / 4 {
            return;
        }
        let mut e = self.entries.lock().expect("cache");
        if let Some((_, _, old)) = e.map.remove(&key) {
            e.bytes -= old;
        }
        if e.bytes + size > self.max_bytes {
            let ttl = self.ttl;
            e.map.retain(|_, (at, _, _)| at.elapsed() < ttl);
            e.bytes = e.map.values().map(|(_, _, n)| n).sum();
            if e.bytes + size > self.max_bytes {
                let mut ages: Vec<(Instant, Key, usize)> = e
                    .map
                    .iter()
                    .map(|(k, (at, _, n))| (*at, k.clone(), *n))
                    .collect();
                ages.sort_unstable();
                let goal = self.max_bytes - self.max_bytes / 4;
                for (_, k, n) in ages {
                    if e.bytes + size <= goal {
                        break;
                    }
                    e.map.remove(&k);
                    e.bytes -= n;
                }
            }
        }
        e.bytes += size;
        e.map.insert(key, (Instant::now(), value, size));
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

    /// Forget the entries whose key `pred` accepts.
    pub fn forget_where(&self, pred: impl Fn(&str) -> bool) {
        let mut e = self.entries.lock().expect("cache");
        e.map.retain(|k, _| !pred(k));
        e.bytes = e.map.values().map(|(_, _, n)| n).sum();
    }

    /// Forget everything (after a change made on this server).
    pub fn clear(&self) {
        let mut e = self.entries.lock().expect("cache");
        e.map.clear();
        e.bytes = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_expire_and_clear() {
        static C: TtlCache<String> = TtlCache::new(Duration::from_millis(50), 4096);
        let s = |v: &str| Arc::new(v.to_string());
        C.put("a".into(), s("1"));
        assert_eq!(C.get("a").as_deref().map(String::as_str), Some("1"));
        assert!(C.get("b").is_none());
        std::thread::sleep(Duration::from_millis(60));
        assert!(C.get("a").is_none(), "expired");
        C.put("b".into(), s("2"));
        C.clear();
        assert!(C.get("b").is_none());
        assert_eq!(C.bytes(), 0);
    }

    #[test]
    fn the_bound_is_in_bytes() {
        static C: TtlCache<String> = TtlCache::new(Duration::from_secs(60), 100_000);
        for i in 0..1000 {
            C.put(format!("page {i}"), Arc::new("x".repeat(1000)));
            assert!(C.bytes() <= 100_000, "{} bytes after {i}", C.bytes());
        }
        // The newest stay, the oldest went.
        assert!(C.get("page 999").is_some());
        assert!(C.get("page 0").is_none());
        // Too big for the cache: served, not kept.
        C.put("huge".into(), Arc::new("x".repeat(50_000)));
        assert!(C.get("huge").is_none());
    }

    #[tokio::test]
    async fn one_computation_serves_concurrent_misses() {
        static C: TtlCache<(String, i64)> = TtlCache::new(Duration::from_secs(60), 10_000);
        static RUNS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let tasks: Vec<_> = (0..16)
            .map(|_| {
                tokio::spawn(async {
                    C.get_or_try("k".into(), || async {
                        RUNS.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                        tokio::time::sleep(Duration::from_millis(20)).await;
                        Ok::<(String, i64), ()>((String::new(), 7))
                    })
                    .await
                })
            })
            .collect();
        for t in tasks {
            assert_eq!(t.await.unwrap().unwrap().1, 7);
        }
        assert_eq!(RUNS.load(std::sync::atomic::Ordering::SeqCst), 1);
    }
}

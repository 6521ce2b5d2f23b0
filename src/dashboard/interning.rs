//! Interning for the dashboard's folded facts: business keys, place and
//! code strings, partner and adviser ids, each as a dense `u32` symbol (0
//! for NULL), so that a fact is a few fixed-size fields.

use std::collections::HashMap;

/// No value (SQL NULL) in an integer column.
pub(super) const NONE: i64 = i64::MIN;

/// Business keys (`b42`, `d7`, `nboulangerie martin`…) as dense symbols;
/// 0 is NULL. A letter followed by digits (no leading zero), by far the
/// most common shape, is held as a number, not a string; no key's text is
/// ever read back.
#[derive(Default)]
pub(super) struct Keys {
    nums: HashMap<u64, u32>,
    strs: HashMap<Box<str>, u32>,
    next: u32,
}

impl Keys {
    pub(super) fn id(&mut self, k: Option<&str>) -> u32 {
        let Some(k) = k else { return 0 };
        let next = self.next.max(1);
        let bytes = k.as_bytes();
        let num = match bytes.split_first() {
            Some((first, rest))
                if first.is_ascii()
                    && !rest.is_empty()
                    && rest.len() <= 16
                    && (rest[0] != b'0' || rest.len() == 1)
                    && rest.iter().all(u8::is_ascii_digit) =>
            {
                rest.iter()
                    .try_fold(0u64, |n, d| {
                        n.checked_mul(10)?.checked_add(u64::from(d - b'0'))
                    })
                    .filter(|n| *n < 1 << 56)
                    .map(|n| (u64::from(*first) << 56) | n)
            }
            _ => None,
        };
        let id = match num {
            Some(n) => *self.nums.entry(n).or_insert(next),
            None => match self.strs.get(k) {
                Some(i) => *i,
                None => {
                    self.strs.insert(k.into(), next);
                    next
                }
            },
        };
        if id == next {
            self.next = next + 1;
        }
        id
    }

    /// Symbols given so far, NULL included.
    pub(super) fn len(&self) -> usize {
        self.next.max(1) as usize
    }
}

/// Partner and adviser ids as dense symbols; 0 is NULL.
#[derive(Default)]
pub(super) struct Ids {
    ids: HashMap<i64, u32>,
    values: Vec<i64>,
}

impl Ids {
    pub(super) fn id(&mut self, v: Option<i64>) -> u32 {
        let Some(v) = v else { return 0 };
        if self.values.is_empty() {
            self.values.push(NONE);
        }
        let next = self.values.len() as u32;
        let id = *self.ids.entry(v).or_insert(next);
        if id == next {
            self.values.push(v);
        }
        id
    }
    pub(super) fn find(&self, v: i64) -> Option<u32> {
        self.ids.get(&v).copied()
    }
    pub(super) fn value(&self, i: u32) -> Option<i64> {
        (i != 0)
            .then(|| self.values.get(i as usize).copied())
            .flatten()
    }
}

/// Interned strings; 0 is NULL.
#[derive(Default)]
pub(super) struct Syms {
    ids: HashMap<String, u32>,
    names: Vec<String>,
}

impl Syms {
    pub(super) fn id(&mut self, s: Option<&str>) -> u32 {
        let Some(s) = s else { return 0 };
        if let Some(i) = self.ids.get(s) {
            return *i;
        }
        if self.names.is_empty() {
            self.names.push(String::new());
        }
        let i = self.names.len() as u32;
        self.names.push(s.to_string());
        self.ids.insert(s.to_string(), i);
        i
    }
    pub(super) fn find(&self, s: &str) -> Option<u32> {
        self.ids.get(s).copied()
    }
    pub(super) fn name(&self, i: u32) -> Option<&str> {
        (i != 0).then(|| self.names[i as usize].as_str())
    }
    pub(super) fn len(&self) -> usize {
        self.names.len().max(1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn keys_of_either_shape_get_one_symbol_each() {
        let mut k = Keys::default();
        assert_eq!(k.id(None), 0);
        let b42 = k.id(Some("b42"));
        let d42 = k.id(Some("d42"));
        let name = k.id(Some("nboulangerie martin"));
        let digits_only = k.id(Some("42"));
        let long = k.id(Some("b123456789012345678901"));
        // Leading zeros are text: "n042" and "n42" are two businesses.
        let zero = k.id(Some("n042"));
        let n42 = k.id(Some("n42"));
        let all = [b42, d42, name, digits_only, long, zero, n42];
        let distinct: HashSet<u32> = all.iter().copied().collect();
        assert_eq!(distinct.len(), all.len(), "{all:?}");
        assert!(all.iter().all(|i| *i != 0));
        assert_eq!(k.id(Some("b42")), b42);
        assert_eq!(k.id(Some("nboulangerie martin")), name);
        assert_eq!(k.id(Some("b123456789012345678901")), long);
        assert_eq!(k.len(), all.len() + 1);
    }

    #[test]
    fn ids_come_back_as_they_went_in() {
        let mut ids = Ids::default();
        assert_eq!(ids.id(None), 0);
        let a = ids.id(Some(7));
        let b = ids.id(Some(-3));
        assert_ne!(a, b);
        assert_eq!(ids.id(Some(7)), a);
        assert_eq!(ids.value(a), Some(7));
        assert_eq!(ids.value(b), Some(-3));
        assert_eq!(ids.value(0), None);
        assert_eq!(ids.find(9), None);
    }
}

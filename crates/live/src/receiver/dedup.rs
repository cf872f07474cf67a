//! Retry de-duplication: WeCom retries an event it got no 200 for (three times), so a receiver
//! remembers what it has seen — by MsgId, or FromUserName + CreateTime for events that have none —
//! in a bounded window (oldest forgotten first).

use std::collections::{HashSet, VecDeque};

/// The key WeCom's documentation says to de-duplicate on.
pub fn key(
    msg_id: Option<&str>,
    from_user: Option<&str>,
    create_time: Option<&str>,
) -> Option<String> {
    match (msg_id, from_user, create_time) {
        (Some(id), _, _) if !id.is_empty() => Some(format!("msgid:{id}")),
        (_, Some(from), Some(time)) if !from.is_empty() && !time.is_empty() => {
            Some(format!("event:{from}:{time}"))
        }
        _ => None,
    }
}

/// A bounded set of keys seen.
#[derive(Debug)]
pub struct Dedup {
    seen: HashSet<String>,
    order: VecDeque<String>,
    capacity: usize,
}

impl Dedup {
    pub fn new(capacity: usize) -> Self {
        Dedup {
            seen: HashSet::new(),
            order: VecDeque::new(),
            capacity: capacity.max(1),
        }
    }

    /// Records `key`; true when it is new, false for a retry.
    pub fn first_time(&mut self, key: &str) -> bool {
        if self.seen.contains(key) {
            return false;
        }
        if self.order.len() >= self.capacity
            && let Some(old) = self.order.pop_front()
        {
            self.seen.remove(&old);
        }
        self.seen.insert(key.to_string());
        self.order.push_back(key.to_string());
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn msgid_wins_then_sender_and_time() {
        assert_eq!(
            key(Some("42"), Some("u"), Some("1")).as_deref(),
            Some("msgid:42")
        );
        assert_eq!(
            key(None, Some("sys"), Some("1700")).as_deref(),
            Some("event:sys:1700")
        );
        assert_eq!(key(Some(""), None, Some("1")), None);
    }

    #[test]
    fn retries_are_seen_and_the_window_is_bounded() {
        let mut d = Dedup::new(2);
        assert!(d.first_time("a"));
        assert!(!d.first_time("a"));
        assert!(d.first_time("b"));
        assert!(d.first_time("c"));
        assert!(d.first_time("a"), "a was forgotten");
        assert!(d.seen.len() <= 2 && d.order.len() <= 2);
    }
}

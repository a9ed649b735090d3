//! Cranes and bays: resources that serve one client at a time, in arrival order.
//!
//! A [`Server`] is a small FIFO multi-server queue with a fixed service time; cranes (one
//! lift at a time) and truck bays (several trucks, each handled for a fixed time) are both
//! servers. Timed checks at gates and km 0 need no queue: the waypoint itself is exclusive,
//! since only one AGV can stand on it.

use std::collections::VecDeque;

/// A FIFO queue in front of `capacity` identical servers with a fixed service time.
#[derive(Clone, Debug)]
pub struct Server<T> {
    capacity: usize,
    service_s: f64,
    busy: Vec<(f64, T)>,
    waiting: VecDeque<T>,
}

impl<T: Copy + PartialEq> Server<T> {
    /// A server with `capacity` places, each taking `service_s` per client.
    pub fn new(capacity: usize, service_s: f64) -> Self {
        Self {
            capacity,
            service_s,
            busy: Vec::new(),
            waiting: VecDeque::new(),
        }
    }

    /// A client joins the queue.
    pub fn join(&mut self, client: T) {
        self.waiting.push_back(client);
    }

    /// Starts serving waiting clients while places are free; returns those started.
    pub fn start(&mut self, now_s: f64) -> Vec<T> {
        let mut started = Vec::new();
        while self.busy.len() < self.capacity {
            let Some(client) = self.waiting.pop_front() else {
                break;
            };
            self.busy.push((now_s + self.service_s, client));
            started.push(client);
        }
        started
    }

    /// Ends the services due by `now_s`; returns their clients in start order.
    pub fn finish(&mut self, now_s: f64) -> Vec<T> {
        let mut done = Vec::new();
        self.busy.retain(|&(until, client)| {
            let due = until <= now_s + 1e-9;
            if due {
                done.push(client);
            }
            !due
        });
        done
    }

    /// Clients waiting, not yet served.
    pub fn queue_len(&self) -> usize {
        self.waiting.len()
    }

    /// Clients being served.
    pub fn in_service(&self) -> usize {
        self.busy.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_crane_lifts_one_at_a_time_in_arrival_order() {
        let mut crane = Server::new(1, 150.0);
        crane.join(7);
        crane.join(3);
        assert_eq!(crane.start(0.0), vec![7]);
        assert!(crane.finish(149.0).is_empty());
        assert_eq!(crane.finish(150.0), vec![7]);
        assert_eq!(crane.start(150.0), vec![3]);
        assert_eq!(crane.queue_len(), 0);
    }
}

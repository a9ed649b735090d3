//! The LaCAM* search: a depth-first search over joint configurations whose successors are
//! generated lazily, one low-level constraint node at a time, then kept optimal-ish by
//! Dijkstra-style rewiring once a goal is known.
//!
//! Storage is what lets 10,000 agents fit: a configuration is `n` vertex ids in one shared
//! arena ([`Configs`]), found again through a map from its 64-bit hash to the first node with
//! that hash (nodes with equal hashes are chained). Priorities and the agent order of each
//! node sit in two more arenas of the same shape. A low-level node is 16 bytes, its
//! constraints read by walking to the root.

use std::collections::{HashMap, VecDeque};
use std::hash::{BuildHasherDefault, Hasher};

use rand::seq::SliceRandom;
use rand_chacha::ChaCha8Rng;

use crate::graph::{Graph, VertexId};

/// Marks "no node" in the `u32` links of the arenas.
pub(super) const NONE: u32 = u32::MAX;

/// Joint configurations stored back to back, `agents` vertex ids each.
#[derive(Debug)]
pub(super) struct Configs {
    agents: usize,
    data: Vec<VertexId>,
}

impl Configs {
    pub(super) fn new(agents: usize) -> Self {
        Self {
            agents,
            data: Vec::new(),
        }
    }

    pub(super) fn push(&mut self, config: &[VertexId]) {
        debug_assert_eq!(config.len(), self.agents);
        self.data.extend_from_slice(config);
    }

    pub(super) fn get(&self, node: u32) -> &[VertexId] {
        let start = node as usize * self.agents;
        &self.data[start..start + self.agents]
    }

    /// Bytes held, for the memory report.
    pub(super) fn bytes(&self) -> usize {
        self.data.capacity() * size_of::<VertexId>()
    }
}

/// A fast, deterministic hash of a configuration (FxHash-style multiply-rotate).
pub(super) fn config_hash(config: &[VertexId]) -> u64 {
    const K: u64 = 0x517c_c1b7_2722_0a95;
    let mut hash = config.len() as u64;
    for vertex in config {
        hash = (hash.rotate_left(5) ^ u64::from(vertex.0)).wrapping_mul(K);
    }
    hash
}

/// Keys are already hashes: pass them through.
#[derive(Default)]
pub(super) struct IdentityHasher(u64);

impl Hasher for IdentityHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(byte);
        }
    }
    fn write_u64(&mut self, value: u64) {
        self.0 = value;
    }
}

/// From a configuration hash to the first node with it.
pub(super) type Explored = HashMap<u64, u32, BuildHasherDefault<IdentityHasher>>;

/// One low-level node: "agent `who` moves to `to`", on top of its parent's constraints.
#[derive(Clone, Copy, Debug)]
pub(super) struct LowNode {
    pub(super) parent: u32,
    pub(super) who: u32,
    pub(super) to: VertexId,
    pub(super) depth: u32,
}

/// One high-level node: a configuration reached, how, at what cost, and the low-level
/// constraint nodes still to try from it.
#[derive(Debug)]
pub(super) struct HighNode {
    /// Best known predecessor (rewired by [`Search::rewire`]).
    pub(super) parent: u32,
    /// Cost from the start along `parent` links (sum of loss).
    pub(super) g: u64,
    /// Admissible estimate of the cost to the goal (sum of distances).
    pub(super) h: u64,
    /// Configurations known to follow this one in one step.
    pub(super) successors: Vec<u32>,
    /// Low-level nodes to try, front first; [`NONE`] is the unconstrained root.
    pub(super) pending: VecDeque<u32>,
    /// Next node with the same configuration hash.
    pub(super) same_hash: u32,
    /// Depth in the search tree when created (the number of the plan's timestep).
    pub(super) depth: u32,
}

impl HighNode {
    pub(super) fn f(&self) -> u64 {
        self.g + self.h
    }
}

/// The arenas of one search.
pub(super) struct Search {
    pub(super) agents: usize,
    pub(super) configs: Configs,
    /// Per node, `agents` priorities.
    pub(super) priorities: Vec<f32>,
    /// Per node, `agents` agent indices, highest priority first.
    pub(super) orders: Vec<u32>,
    pub(super) nodes: Vec<HighNode>,
    pub(super) lows: Vec<LowNode>,
    pub(super) explored: Explored,
    /// The goal's node once found.
    pub(super) goal: Option<u32>,
}

impl Search {
    pub(super) fn new(agents: usize) -> Self {
        Self {
            agents,
            configs: Configs::new(agents),
            priorities: Vec::new(),
            orders: Vec::new(),
            nodes: Vec::new(),
            lows: Vec::new(),
            explored: Explored::default(),
            goal: None,
        }
    }

    /// The node holding exactly `config`, if explored.
    pub(super) fn find(&self, hash: u64, config: &[VertexId]) -> Option<u32> {
        let mut node = *self.explored.get(&hash)?;
        while node != NONE {
            if self.configs.get(node) == config {
                return Some(node);
            }
            node = self.nodes[node as usize].same_hash;
        }
        None
    }

    /// Adds a node for `config` (not yet explored) reached from `parent` at cost `g`.
    ///
    /// Priorities follow LaCAM: at the root, distance over agent count; then an agent away
    /// from its goal gains one per step and one at its goal drops to its fraction.
    pub(super) fn insert(
        &mut self,
        config: &[VertexId],
        hash: u64,
        parent: u32,
        g: u64,
        distances: &[u32],
    ) -> u32 {
        let node = self.nodes.len() as u32;
        let n = self.agents;
        let h = distances.iter().map(|&d| u64::from(d)).sum();
        let base = self.priorities.len();
        if parent == NONE {
            self.priorities
                .extend(distances.iter().map(|&d| d as f32 / n as f32));
        } else {
            let from = parent as usize * n;
            for (agent, &distance) in distances.iter().enumerate() {
                let before = self.priorities[from + agent];
                let after = if distance == 0 {
                    before.fract()
                } else {
                    before + 1.0
                };
                self.priorities.push(after);
            }
        }
        let priorities = &self.priorities[base..];
        let order_base = self.orders.len();
        self.orders.extend(0..n as u32);
        self.orders[order_base..].sort_by(|&a, &b| {
            priorities[b as usize]
                .total_cmp(&priorities[a as usize])
                .then(a.cmp(&b))
        });
        self.configs.push(config);

        let same_hash = self.explored.insert(hash, node).unwrap_or(NONE);
        let depth = if parent == NONE {
            0
        } else {
            self.nodes[parent as usize].successors.push(node);
            self.nodes[parent as usize].depth + 1
        };
        self.nodes.push(HighNode {
            parent,
            g,
            h,
            successors: Vec::new(),
            pending: VecDeque::from([NONE]),
            same_hash,
            depth,
        });
        node
    }

    /// The agents of `node`, highest priority first.
    pub(super) fn order(&self, node: u32) -> &[u32] {
        let start = node as usize * self.agents;
        &self.orders[start..start + self.agents]
    }

    /// Expands the low-level node `low` of `node` one level deeper: the next agent in the
    /// node's order may go to each of its neighbours or stay, in random order.
    pub(super) fn expand_low(&mut self, graph: &Graph, node: u32, low: u32, rng: &mut ChaCha8Rng) {
        let depth = if low == NONE {
            0
        } else {
            self.lows[low as usize].depth
        };
        if depth as usize >= self.agents {
            return;
        }
        let who = self.order(node)[depth as usize];
        let at = self.configs.get(node)[who as usize];
        let mut moves: Vec<VertexId> = graph.out_neighbours(at).to_vec();
        moves.push(at);
        moves.shuffle(rng);
        for to in moves {
            let id = self.lows.len() as u32;
            self.lows.push(LowNode {
                parent: low,
                who,
                to,
                depth: depth + 1,
            });
            self.nodes[node as usize].pending.push_back(id);
        }
    }

    /// Writes the constraints of `low` into `to` (which must be all `None`).
    pub(super) fn constraints_into(&self, mut low: u32, to: &mut [Option<VertexId>]) {
        while low != NONE {
            let node = self.lows[low as usize];
            to[node.who as usize] = Some(node.to);
            low = node.parent;
        }
    }

    /// Bytes held by the arenas, for the memory report.
    pub(super) fn bytes(&self) -> usize {
        self.configs.bytes()
            + self.priorities.capacity() * size_of::<f32>()
            + self.orders.capacity() * size_of::<u32>()
            + self.nodes.capacity() * size_of::<HighNode>()
            + self.lows.capacity() * size_of::<LowNode>()
            + self.explored.capacity() * (size_of::<u64>() + size_of::<u32>())
    }
}

/// LaCAM*'s edge cost (sum of loss): agents not resting at their goal in both configurations.
pub(super) fn edge_cost(from: &[VertexId], to: &[VertexId], goals: &[VertexId]) -> u64 {
    from.iter()
        .zip(to)
        .zip(goals)
        .filter(|((a, b), g)| !(a == g && b == g))
        .count() as u64
}

//! The space-time reservation table: which agent stands on which vertex at which timestep.
//!
//! Paths are stored compactly, as one time-sorted list of visits per vertex, so memory grows
//! with the total length of the reserved paths and not with vertices times makespan (a dense
//! table of a 250k-vertex map over 1000 steps would not fit). A path ends at its agent's goal
//! and the agent stays there forever: the table answers "occupied" for the goal at every later
//! timestep without storing those steps. Goals are distinct, so at most one agent parks on a
//! vertex.

use crate::graph::VertexId;
use crate::instance::AgentId;

/// Marks "no agent" and "never" in the per-vertex and per-agent arrays.
const NONE: u32 = u32::MAX;

/// One agent standing on a vertex at one timestep.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Visit {
    time: u32,
    agent: u32,
}

/// Reserved paths of all agents but those being replanned.
///
/// Invariant: the reserved paths are free of vertex conflicts, so each vertex's visit list has
/// strictly increasing times.
#[derive(Clone, Debug)]
pub(crate) struct ReservationTable {
    /// Per vertex, the visits in increasing time.
    visits: Vec<Vec<Visit>>,
    /// Per vertex, the agent whose goal it is, or [`NONE`].
    goal_owner: Vec<u32>,
    /// Per agent, the timestep from which it stands at its goal forever, or [`NONE`] while its
    /// path is not reserved.
    parked_from: Vec<u32>,
}

impl ReservationTable {
    /// An empty table for a graph of `vertex_count` vertices and these goals (one per agent).
    pub(crate) fn new(vertex_count: usize, goals: &[VertexId]) -> Self {
        let mut goal_owner = vec![NONE; vertex_count];
        for (agent, goal) in goals.iter().enumerate() {
            goal_owner[goal.index()] = agent as u32;
        }
        Self {
            visits: vec![Vec::new(); vertex_count],
            goal_owner,
            parked_from: vec![NONE; goals.len()],
        }
    }

    /// Reserves `path` (position per timestep from 0, ending at the goal) for `agent`.
    pub(crate) fn reserve(&mut self, agent: AgentId, path: &[VertexId]) {
        for (time, vertex) in path.iter().enumerate() {
            let list = &mut self.visits[vertex.index()];
            let time = time as u32;
            let at = list.partition_point(|visit| visit.time < time);
            debug_assert!(
                list.get(at).is_none_or(|visit| visit.time != time),
                "reserved paths have no vertex conflict"
            );
            let agent = agent.0;
            list.insert(at, Visit { time, agent });
        }
        self.parked_from[agent.index()] = path.len().saturating_sub(1) as u32;
    }

    /// Removes the path `agent` reserved with [`ReservationTable::reserve`].
    pub(crate) fn release(&mut self, agent: AgentId, path: &[VertexId]) {
        for (time, vertex) in path.iter().enumerate() {
            let list = &mut self.visits[vertex.index()];
            let time = time as u32;
            let at = list.partition_point(|visit| visit.time < time);
            debug_assert_eq!(list.get(at).map(|visit| visit.agent), Some(agent.0));
            list.remove(at);
        }
        self.parked_from[agent.index()] = NONE;
    }

    /// The agent on `vertex` at `time`, parked agents included.
    #[inline]
    pub(crate) fn occupant(&self, vertex: VertexId, time: u32) -> Option<AgentId> {
        let list = &self.visits[vertex.index()];
        if let Ok(at) = list.binary_search_by_key(&time, |visit| visit.time) {
            return Some(AgentId(list[at].agent));
        }
        let owner = self.goal_owner[vertex.index()];
        (owner != NONE && self.parked_from[owner as usize] <= time).then_some(AgentId(owner))
    }

    /// Whether an agent on `from` at `time` may be on `to` at `time + 1` (a wait when equal):
    /// `to` is free then, and no agent makes the opposite move (a swap).
    #[inline]
    pub(crate) fn can_move(&self, from: VertexId, to: VertexId, time: u32) -> bool {
        if self.occupant(to, time + 1).is_some() {
            return false;
        }
        from == to
            || match self.occupant(to, time) {
                Some(other) => self.occupant(from, time + 1) != Some(other),
                None => true,
            }
    }

    /// The last timestep at which a reserved path stands on `vertex`, parking aside.
    pub(crate) fn last_visit(&self, vertex: VertexId) -> Option<u32> {
        self.visits[vertex.index()].last().map(|visit| visit.time)
    }

    /// The agent parked on `vertex` forever (its goal), if its path is reserved.
    pub(crate) fn parked_agent(&self, vertex: VertexId) -> Option<AgentId> {
        let owner = self.goal_owner[vertex.index()];
        (owner != NONE && self.parked_from[owner as usize] != NONE).then_some(AgentId(owner))
    }

    /// Agents whose reserved paths stand on `vertex` at some timestep, in time order (an agent
    /// may repeat), the parked agent last.
    pub(crate) fn agents_at(&self, vertex: VertexId) -> impl Iterator<Item = AgentId> + '_ {
        self.visits[vertex.index()]
            .iter()
            .map(|visit| AgentId(visit.agent))
            .chain(self.parked_agent(vertex))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(id: u32) -> VertexId {
        VertexId(id)
    }

    #[test]
    fn reserved_path_occupies_its_steps_and_its_goal_forever() {
        let mut table = ReservationTable::new(4, &[v(2), v(3)]);
        table.reserve(AgentId(0), &[v(0), v(1), v(2)]);
        assert_eq!(table.occupant(v(1), 1), Some(AgentId(0)));
        assert_eq!(table.occupant(v(1), 2), None);
        assert_eq!(table.occupant(v(2), 50), Some(AgentId(0)));
        assert_eq!(table.last_visit(v(2)), Some(2));
        table.release(AgentId(0), &[v(0), v(1), v(2)]);
        assert_eq!(table.occupant(v(2), 50), None);
        assert_eq!(table.agents_at(v(1)).count(), 0);
    }

    #[test]
    fn swap_and_entering_an_occupied_vertex_are_refused() {
        let mut table = ReservationTable::new(4, &[v(0), v(3)]);
        // agent 0 moves 1 -> 0 between steps 0 and 1
        table.reserve(AgentId(0), &[v(1), v(0)]);
        assert!(!table.can_move(v(0), v(1), 0), "swap");
        assert!(!table.can_move(v(2), v(0), 0), "vertex");
        assert!(table.can_move(v(2), v(1), 0), "following is allowed");
        assert!(table.can_move(v(2), v(2), 0));
    }
}

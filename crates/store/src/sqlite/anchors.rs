//! What matching compares a new claim with, held in memory: every live incident's anchor
//! (its first claim's place and time, grown by the location's uncertainty) in an R*-tree,
//! with the types, parties and publication flag the estimate and the score read.
//!
//! The `incidents` table is the record; this index is a copy of its anchor columns. It is
//! loaded when the store opens and after a rebuild, and the writer refreshes the rows a
//! commit touched (an update hook on its connection names them) by reading them back once
//! the commit is done. A refresh sets an entry to what the table holds, so a rolled-back
//! change refreshes to the unchanged row. Readers may briefly see the index one commit
//! behind the table, as two concurrent submissions may not see each other's incidents:
//! the writer resolves the placements either way.

use rstar::primitives::{GeomWithData, Rectangle};
use rstar::{AABB, RTree};
use rusqlite::Connection;
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex, RwLock};
use truce_core::geo::BBox;
use truce_core::incidents::IncidentId;

use crate::StoreError;

/// One incident as matching sees it.
#[derive(Debug, Clone)]
pub(crate) struct Anchor {
    pub id: IncidentId,
    /// Published (or disputed after publication): proposed, never joined automatically.
    pub public: bool,
    pub bbox: BBox,
    pub radius_m: f64,
    pub from_ms: i64,
    pub to_ms: i64,
    /// Comma-separated, as in the table.
    pub event_types: Arc<str>,
    pub claimants: Arc<str>,
    pub accused: Arc<str>,
}

/// A tree entry: an incident's box, its row id and the stamp of the anchor it was made
/// for. The tree is only ever grown by `insert`: on databases of a million incidents,
/// inserting into a tree made by `bulk_load`, or after `remove`, hit rstar's "This is a bug
/// in rstar" panic (a node holding both leaves and subtrees). So an anchor whose box moved
/// gets a new entry with a new stamp, the old one no longer matches the map and is
/// skipped, and the tree is built afresh, entry by entry, once stale entries pile up. (Most
/// changes leave the box alone: it is the first claim's place and time.)
type Node = GeomWithData<Rectangle<[f64; 3]>, (i64, u64)>;

/// Hours since the epoch: the index's time axis.
pub(crate) fn hours(ms: i64) -> f64 {
    ms as f64 / 3_600_000.0
}

pub(crate) fn degrees_lat(m: f64) -> f64 {
    m / 111_000.0
}

pub(crate) fn degrees_lon(m: f64, lat: f64) -> f64 {
    m / (111_000.0 * lat.to_radians().cos().max(0.05))
}

/// The box an anchor occupies in the tree: its place grown by its radius, its time in hours.
fn node_box(a: &Anchor) -> Rectangle<[f64; 3]> {
    let b = &a.bbox;
    let (dlat, dlon) = (degrees_lat(a.radius_m), degrees_lon(a.radius_m, b.max_lat.abs().max(b.min_lat.abs())));
    Rectangle::from_corners(
        [b.min_lon - dlon, b.min_lat - dlat, hours(a.from_ms)],
        [b.max_lon + dlon, b.max_lat + dlat, hours(a.to_ms)],
    )
}

/// The live incidents' anchors, by the row id of `incidents`.
#[derive(Debug, Default)]
pub(crate) struct AnchorIndex {
    tree: RTree<Node>,
    /// Each live incident's anchor with the stamp of its tree entry.
    anchors: HashMap<i64, (u64, Anchor)>,
    /// The last stamp given.
    stamp: u64,
    /// Entries in the tree that no longer match the map.
    stale: usize,
    /// Types and party lists repeat across incidents: each distinct one is kept once.
    words: HashSet<Arc<str>>,
}

const ROW: &str = "SELECT rid, id, public, a_min_lon, a_min_lat, a_max_lon, a_max_lat, a_radius_m, a_from, a_to,
                          event_types, claimants, accused
                   FROM incidents WHERE merged_into IS NULL AND a_min_lon IS NOT NULL";

/// An anchor as read from its row, before its lists are interned.
struct AnchorRow {
    anchor: Anchor,
    event_types: String,
    claimants: String,
    accused: String,
}

impl AnchorRow {
    fn read(r: &rusqlite::Row<'_>) -> Result<(i64, AnchorRow), StoreError> {
        let id: String = r.get(1)?;
        let empty: Arc<str> = Arc::from("");
        let anchor = Anchor {
            id: IncidentId::parse(&id).map_err(StoreError::Internal)?,
            public: r.get(2)?,
            bbox: BBox { min_lon: r.get(3)?, min_lat: r.get(4)?, max_lon: r.get(5)?, max_lat: r.get(6)? },
            radius_m: r.get(7)?,
            from_ms: r.get(8)?,
            to_ms: r.get(9)?,
            event_types: empty.clone(),
            claimants: empty.clone(),
            accused: empty,
        };
        Ok((r.get(0)?, AnchorRow { anchor, event_types: r.get(10)?, claimants: r.get(11)?, accused: r.get(12)? }))
    }
}

/// The rows a commit touched, read back from the table: done on the writer's connection
/// without the index's lock, so that matching goes on meanwhile; [`AnchorIndex::apply`]
/// then takes the lock for the in-memory part alone.
pub(crate) struct Refresh {
    /// Every row touched, in order; those absent from `rows` leave the index.
    rids: Vec<i64>,
    rows: HashMap<i64, AnchorRow>,
}

impl Refresh {
    pub(crate) fn read(conn: &Connection, rids: &HashSet<i64>) -> Result<Refresh, StoreError> {
        // Rows a commit touches are mostly the incidents it opened, which have consecutive row
        // ids: each run of them is read in one range scan rather than row by row.
        let mut sorted: Vec<i64> = rids.iter().copied().collect();
        sorted.sort_unstable();
        let mut rows: HashMap<i64, AnchorRow> = HashMap::with_capacity(sorted.len());
        let mut range = conn.prepare_cached(&format!("{ROW} AND rid BETWEEN ?1 AND ?2"))?;
        let mut one = conn.prepare_cached(&format!("{ROW} AND rid = ?1"))?;
        let mut i = 0;
        while let Some(&first) = sorted.get(i) {
            let mut j = i + 1;
            while sorted.get(j).is_some_and(|&r| r == first + (j - i) as i64) {
                j += 1;
            }
            let last = sorted[j - 1];
            let mut found = if j - i > 1 { range.query([first, last])? } else { one.query([first])? };
            while let Some(r) = found.next()? {
                let (rid, row) = AnchorRow::read(r)?;
                rows.insert(rid, row);
            }
            i = j;
        }
        Ok(Refresh { rids: sorted, rows })
    }
}

impl AnchorIndex {
    fn intern(&mut self, s: &str) -> Arc<str> {
        if let Some(w) = self.words.get(s) {
            return w.clone();
        }
        let w: Arc<str> = Arc::from(s);
        self.words.insert(w.clone());
        w
    }

    fn read(&mut self, r: &rusqlite::Row<'_>) -> Result<(i64, Anchor), StoreError> {
        let (rid, row) = AnchorRow::read(r)?;
        Ok((rid, self.anchor(row)))
    }

    fn anchor(&mut self, row: AnchorRow) -> Anchor {
        let AnchorRow { mut anchor, event_types, claimants, accused } = row;
        anchor.event_types = self.intern(&event_types);
        anchor.claimants = self.intern(&claimants);
        anchor.accused = self.intern(&accused);
        anchor
    }

    /// Every live incident's anchor, as the table holds them.
    pub(crate) fn load(conn: &Connection) -> Result<AnchorIndex, StoreError> {
        let mut index = AnchorIndex::default();
        let mut stmt = conn.prepare(ROW)?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let (rid, anchor) = index.read(r)?;
            index.anchors.insert(rid, (0, anchor));
        }
        index.rebuild();
        Ok(index)
    }

    /// The tree afresh from the map, without stale entries.
    fn rebuild(&mut self) {
        let mut tree = RTree::new();
        for (&rid, (stamp, a)) in &self.anchors {
            tree.insert(GeomWithData::new(node_box(a), (rid, *stamp)));
        }
        self.tree = tree;
        self.stale = 0;
    }

    /// Sets the entries of `rids` to what the table holds now: present for a live incident
    /// with a place, absent otherwise.
    #[cfg(test)]
    pub(crate) fn refresh(&mut self, conn: &Connection, rids: &HashSet<i64>) -> Result<(), StoreError> {
        let rows = Refresh::read(conn, rids)?;
        self.apply(rows);
        Ok(())
    }

    /// Sets the entries a [`Refresh`] read to what it read.
    pub(crate) fn apply(&mut self, refresh: Refresh) {
        let Refresh { rids, mut rows } = refresh;
        for rid in rids {
            let old = self.anchors.remove(&rid);
            let new = rows.remove(&rid).map(|row| self.anchor(row));
            match (old, new) {
                // The same box: its tree entry stands.
                (Some((stamp, old)), Some(new)) if node_box(&old) == node_box(&new) => {
                    self.anchors.insert(rid, (stamp, new));
                }
                (old, new) => {
                    if old.is_some() {
                        self.stale += 1;
                    }
                    if let Some(anchor) = new {
                        self.stamp += 1;
                        self.tree.insert(GeomWithData::new(node_box(&anchor), (rid, self.stamp)));
                        self.anchors.insert(rid, (self.stamp, anchor));
                    }
                }
            }
        }
        if self.stale > 1024 + self.anchors.len() / 2 {
            self.rebuild();
        }
    }

    /// The anchors whose box meets `[min_lon, min_lat, min_h] .. [max_lon, max_lat, max_h]`.
    pub(crate) fn meeting(&self, min: [f64; 3], max: [f64; 3]) -> impl Iterator<Item = (i64, &Anchor)> {
        self.tree.locate_in_envelope_intersecting(&AABB::from_corners(min, max)).filter_map(|n| {
            let (rid, stamp) = n.data;
            self.anchors.get(&rid).filter(|(s, _)| *s == stamp).map(|(_, a)| (rid, a))
        })
    }

    /// How many incidents are indexed.
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.anchors.len()
    }
}

/// The index shared by the writer (which refreshes it) and the readers (which match).
pub(crate) type SharedAnchors = Arc<RwLock<AnchorIndex>>;

/// The incident rows a connection changed since the last `take`, as its update hook saw
/// them.
#[derive(Debug, Clone, Default)]
pub(crate) struct Touched(Arc<Mutex<HashSet<i64>>>);

impl Touched {
    /// Records every insert, update and delete of an `incidents` row made on `conn`.
    pub(crate) fn watch(&self, conn: &mut Connection) -> Result<(), StoreError> {
        let set = self.0.clone();
        conn.update_hook(Some(move |_: rusqlite::hooks::Action, _: &str, table: &str, rid: i64| {
            if table == "incidents"
                && let Ok(mut s) = set.lock()
            {
                s.insert(rid);
            }
        }))?;
        Ok(())
    }

    /// The rows touched since the last call.
    pub(crate) fn take(&self) -> HashSet<i64> {
        self.0.lock().map(|mut s| std::mem::take(&mut *s)).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> Connection {
        let conn = Connection::open_in_memory().expect("db");
        conn.execute_batch(
            "CREATE TABLE incidents (rid INTEGER PRIMARY KEY, id TEXT, public INTEGER, merged_into TEXT,
                a_min_lon REAL, a_min_lat REAL, a_max_lon REAL, a_max_lat REAL, a_radius_m REAL,
                a_from INTEGER, a_to INTEGER, event_types TEXT, claimants TEXT, accused TEXT)",
        )
        .expect("table");
        conn
    }

    fn put(conn: &Connection, rid: i64, lon: f64, hour: i64) {
        conn.execute(
            "INSERT OR REPLACE INTO incidents VALUES (?1, ?2, 0, NULL, ?3, 40.0, ?3, 40.0, 500.0, ?4, ?4, 'shelling', 'ARM', 'AZE')",
            rusqlite::params![rid, IncidentId::new().to_string(), lon, hour * 3_600_000],
        )
        .expect("insert");
    }

    fn near(index: &AnchorIndex, lon: f64, hour: f64) -> Vec<i64> {
        let mut v: Vec<i64> =
            index.meeting([lon - 0.01, 39.99, hour - 1.0], [lon + 0.01, 40.01, hour + 1.0]).map(|(r, _)| r).collect();
        v.sort();
        v
    }

    #[test]
    fn the_index_follows_the_rows_a_connection_touches() {
        let mut conn = table();
        put(&conn, 1, 46.0, 100);
        put(&conn, 2, 46.0, 500);
        let touched = Touched::default();
        touched.watch(&mut conn).expect("hook");
        let mut index = AnchorIndex::load(&conn).expect("load");
        assert_eq!(index.len(), 2);
        assert_eq!(near(&index, 46.0, 100.0), vec![1]);
        assert!(touched.take().is_empty());

        // A new incident, one moved in time, one merged away: each found where the table says.
        put(&conn, 3, 46.5, 100);
        put(&conn, 2, 46.0, 100);
        conn.execute("UPDATE incidents SET merged_into = 'x' WHERE rid = 1", []).expect("merge");
        let rids = touched.take();
        assert_eq!(rids, HashSet::from([1, 2, 3]));
        index.refresh(&conn, &rids).expect("refresh");
        assert_eq!(index.len(), 2);
        assert_eq!(index.stale, 2, "the old entries of rows 1 and 2 stay until a rebuild");
        assert_eq!(near(&index, 46.0, 100.0), vec![2]);
        assert_eq!(near(&index, 46.0, 500.0), Vec::<i64>::new());
        assert_eq!(near(&index, 46.5, 100.0), vec![3]);
        // The box is grown by the radius (500 m is about 0.0045 degrees of latitude).
        assert_eq!(index.meeting([46.49, 40.004, 99.0], [46.51, 40.01, 101.0]).count(), 1);
        assert_eq!(index.meeting([46.49, 40.006, 99.0], [46.51, 40.01, 101.0]).count(), 0);

        // A change rolled back refreshes to the row as it stands.
        let tx = conn.transaction().expect("tx");
        tx.execute("DELETE FROM incidents WHERE rid = 3", []).expect("delete");
        tx.rollback().expect("rollback");
        let rids = touched.take();
        assert_eq!(rids, HashSet::from([3]));
        index.refresh(&conn, &rids).expect("refresh");
        assert_eq!(near(&index, 46.5, 100.0), vec![3]);

        // Many changes: stale entries are dropped by a rebuild, and every anchor is found.
        for round in 0..3 {
            for rid in 10..1500 {
                put(&conn, rid, 45.0 + (rid as f64) * 0.001, 1000 + round);
            }
            index.refresh(&conn, &touched.take()).expect("refresh");
        }
        assert!(index.stale <= 1024 + index.len() / 2, "{} stale", index.stale);
        assert_eq!(index.len(), 1492);
        // Those within 0.01 degrees, their boxes grown by 500 m (0.0059 degrees of longitude).
        assert_eq!(near(&index, 45.5, 1002.0), (485..=515).collect::<Vec<i64>>());
        assert_eq!(near(&index, 45.5, 1000.0), Vec::<i64>::new());
    }
}

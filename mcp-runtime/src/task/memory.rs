//! Tasks in this process's memory: the default store, right for a single instance.

use std::{
    collections::HashMap,
    sync::{Mutex, PoisonError},
};

use tokio::sync::watch;

use super::{StoreFuture, TaskChange, TaskRecord, TaskStore, TaskStoreError, record::now_ms};

/// Tasks kept in memory, forgotten when the process ends. Expired tasks are dropped when
/// they are next read and whenever a task is created. So that a client starting many quick
/// tasks cannot fill the memory with their results, a principal's finished tasks beyond four
/// times its limit of unfinished ones are forgotten, oldest first, before their TTL.
///
/// ```
/// let store = mcp_runtime::task::MemoryTaskStore::new();
/// let settings = mcp_runtime::task::TaskSettings::default().store(store);
/// ```
#[derive(Default)]
pub struct MemoryTaskStore {
    tasks: Mutex<HashMap<String, Entry>>,
}

/// How many finished tasks a principal keeps, per unfinished one it may have.
const FINISHED_KEPT_PER_LIMIT: usize = 4;

/// Forgets `owner`'s oldest finished tasks until it has fewer than `keep`, room for one more.
fn forget_oldest_finished(tasks: &mut HashMap<String, Entry>, owner: &str, keep: usize) {
    let keep = keep.max(1);
    let mut finished: Vec<(u64, String)> = tasks
        .values()
        .filter(|entry| entry.record.owner == owner && entry.record.is_finished())
        .map(|entry| (entry.record.created_ms, entry.record.id.clone()))
        .collect();
    if finished.len() < keep {
        return;
    }
    finished.sort_unstable();
    let excess = finished.len() + 1 - keep;
    for (_, id) in finished.into_iter().take(excess) {
        tasks.remove(&id);
    }
}

struct Entry {
    record: TaskRecord,
    /// The record's revision, for `changed`.
    revision: watch::Sender<u64>,
}

impl MemoryTaskStore {
    /// An empty store.
    ///
    /// ```
    /// let store = mcp_runtime::task::MemoryTaskStore::new();
    /// ```
    pub fn new() -> Self {
        Self::default()
    }

    fn tasks(&self) -> std::sync::MutexGuard<'_, HashMap<String, Entry>> {
        // Every critical section leaves the map whole: a panic elsewhere cannot corrupt it.
        self.tasks.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The live task `id`; an expired one is removed.
    fn live<'a>(tasks: &'a mut HashMap<String, Entry>, id: &str) -> Option<&'a mut Entry> {
        if tasks.get(id).is_some_and(|entry| entry.record.is_expired(now_ms())) {
            tasks.remove(id);
        }
        tasks.get_mut(id)
    }
}

impl TaskStore for MemoryTaskStore {
    fn create(&self, record: TaskRecord, limit: usize) -> StoreFuture<'_, ()> {
        let created = (|| {
            let mut tasks = self.tasks();
            let now = now_ms();
            tasks.retain(|_, entry| !entry.record.is_expired(now));
            if tasks.contains_key(&record.id) {
                return Err(TaskStoreError::Exists(record.id));
            }
            let unfinished = tasks
                .values()
                .filter(|entry| entry.record.owner == record.owner && !entry.record.is_finished())
                .count();
            if unfinished >= limit {
                return Err(TaskStoreError::Full { owner: record.owner, limit });
            }
            forget_oldest_finished(&mut tasks, &record.owner, limit.saturating_mul(FINISHED_KEPT_PER_LIMIT));
            let revision = watch::Sender::new(record.revision);
            tasks.insert(record.id.clone(), Entry { record, revision });
            Ok(())
        })();
        Box::pin(std::future::ready(created))
    }

    fn get<'a>(&'a self, id: &'a str) -> StoreFuture<'a, Option<TaskRecord>> {
        let found = Self::live(&mut self.tasks(), id).map(|entry| entry.record.clone());
        Box::pin(std::future::ready(Ok(found)))
    }

    fn change<'a>(&'a self, id: &'a str, change: TaskChange) -> StoreFuture<'a, Option<TaskRecord>> {
        let mut tasks = self.tasks();
        let changed = Self::live(&mut tasks, id).map(|entry| {
            if change.apply(&mut entry.record) {
                entry.revision.send_replace(entry.record.revision);
            }
            entry.record.clone()
        });
        Box::pin(std::future::ready(Ok(changed)))
    }

    fn changed<'a>(&'a self, id: &'a str, seen: u64) -> StoreFuture<'a, Option<TaskRecord>> {
        let subscribed = Self::live(&mut self.tasks(), id).map(|entry| entry.revision.subscribe());
        Box::pin(async move {
            let Some(mut revision) = subscribed else { return Ok(None) };
            // The sender lives as long as the task: a closed channel means it is gone.
            if revision.wait_for(|revision| *revision > seen).await.is_err() {
                return Ok(None);
            }
            self.get(id).await
        })
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::{MemoryTaskStore, TaskChange, TaskRecord, TaskStore, TaskStoreError};

    fn record(id: &str, owner: &str, ttl_ms: Option<u64>) -> TaskRecord {
        TaskRecord::new(id.into(), owner.into(), "build".into(), ttl_ms, None)
    }

    #[tokio::test]
    async fn each_owner_has_a_bound_on_unfinished_tasks() {
        let store = MemoryTaskStore::new();
        store.create(record("a1", "alice", None), 2).await.unwrap();
        store.create(record("a2", "alice", None), 2).await.unwrap();
        let full = store.create(record("a3", "alice", None), 2).await.unwrap_err();
        assert_eq!(full, TaskStoreError::Full { owner: "alice".into(), limit: 2 });
        store.create(record("b1", "bob", None), 2).await.unwrap();
        store.change("a1", TaskChange::Cancelled).await.unwrap();
        store.create(record("a3", "alice", None), 2).await.unwrap();
        assert!(matches!(store.create(record("a3", "alice", None), 9).await, Err(TaskStoreError::Exists(_))));
    }

    #[tokio::test]
    async fn the_oldest_finished_tasks_make_room() {
        let store = MemoryTaskStore::new();
        for n in 0..4 {
            let id = format!("t{n}");
            let mut record = record(&id, "alice", None);
            record.created_ms += n;
            store.create(record, 1).await.unwrap();
            store.change(&id, TaskChange::Complete(Default::default())).await.unwrap();
        }
        store.create(record("t4", "alice", None), 1).await.unwrap();
        assert!(store.get("t0").await.unwrap().is_none(), "the oldest finished task was kept");
        assert!(store.get("t1").await.unwrap().is_some() && store.get("t4").await.unwrap().is_some());
    }

    #[tokio::test]
    async fn an_expired_task_is_gone() {
        let store = MemoryTaskStore::new();
        store.create(record("t", "alice", Some(20)), 1).await.unwrap();
        assert!(store.get("t").await.unwrap().is_some());
        tokio::time::sleep(Duration::from_millis(40)).await;
        assert!(store.get("t").await.unwrap().is_none());
        assert!(store.change("t", TaskChange::Cancel).await.unwrap().is_none());
        store.create(record("u", "alice", Some(60_000)), 1).await.unwrap();
    }

    #[tokio::test]
    async fn a_waiter_wakes_on_the_next_change() {
        let store = std::sync::Arc::new(MemoryTaskStore::new());
        store.create(record("t", "alice", None), 1).await.unwrap();
        let waiter = {
            let store = store.clone();
            tokio::spawn(async move { store.changed("t", 0).await })
        };
        tokio::task::yield_now().await;
        store.change("t", TaskChange::Cancel).await.unwrap();
        let seen = waiter.await.unwrap().unwrap().unwrap();
        assert!(seen.cancel_requested);
    }
}

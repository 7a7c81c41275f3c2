//! Where tasks are kept: a trait, so a server behind a load balancer can keep them in a shared
//! store while the process that runs a task keeps only its future.

use std::{future::Future, pin::Pin};

use super::{TaskChange, TaskRecord};

/// The future a [`TaskStore`] method returns.
pub type StoreFuture<'a, T> = Pin<Box<dyn Future<Output = Result<T, TaskStoreError>> + Send + 'a>>;

/// Keeps tasks: their state, the questions they ask and the answers they get. The running call
/// lives in the process that started it; everything a client can see or change goes through
/// the store. An expired task (its TTL passed) is gone: `get` answers `None`.
///
/// ```
/// use mcp_runtime::task::{MemoryTaskStore, TaskChange, TaskRecord, TaskStore};
///
/// # #[tokio::main(flavor = "current_thread")] async fn main() {
/// let store = MemoryTaskStore::new();
/// let record = TaskRecord::new("1f2e".into(), "alice".into(), "build".into(), Some(60_000), None);
/// store.create(record, 10).await.unwrap();
/// let changed = store.change("1f2e", TaskChange::Message("compiling".into())).await.unwrap();
/// assert_eq!(changed.unwrap().status_message.as_deref(), Some("compiling"));
/// # }
/// ```
pub trait TaskStore: Send + Sync + 'static {
    /// Keeps a new task, unless its owner already has `limit` unfinished ones.
    fn create(&self, record: TaskRecord, limit: usize) -> StoreFuture<'_, ()>;

    /// The task `id`, unless there is none or it has expired.
    fn get<'a>(&'a self, id: &'a str) -> StoreFuture<'a, Option<TaskRecord>>;

    /// Applies `change` (with [`TaskChange::apply`]) to task `id` and answers the task as it is
    /// now; `None` when there is no such task.
    fn change<'a>(&'a self, id: &'a str, change: TaskChange) -> StoreFuture<'a, Option<TaskRecord>>;

    /// Resolves once task `id` has a revision after `seen`, with the task as it is then; `None`
    /// when the task is gone.
    fn changed<'a>(&'a self, id: &'a str, seen: u64) -> StoreFuture<'a, Option<TaskRecord>>;
}

/// Why a store refused or failed.
///
/// ```
/// let error = mcp_runtime::task::TaskStoreError::Full { owner: "alice".into(), limit: 4 };
/// assert!(error.to_string().contains("4 unfinished tasks"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TaskStoreError {
    /// The owner has as many unfinished tasks as it may.
    #[error(
        "`{owner}` already has {limit} unfinished tasks, the most it may have; wait for one to finish or cancel one"
    )]
    Full {
        /// Whose tasks.
        owner: String,
        /// The limit (`TaskSettings::max_per_principal`).
        limit: usize,
    },
    /// A task with this id exists already.
    #[error("a task with id `{0}` exists already")]
    Exists(String),
    /// The store could not be reached or answered nonsense.
    #[error("the task store failed: {0}")]
    Unavailable(String),
}

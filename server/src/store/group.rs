//! Group commit for submissions: one writer task per store, fed by a bounded channel.
//!
//! A submission used to be one transaction with its own disk sync (and, on PostgreSQL, its
//! own turn on the `change_counter` row lock), so throughput was one sync per submission.
//! Now the handler queues the submission and waits on a oneshot. The writer task takes the
//! first queued submission, drains whatever else is already queued (up to [`MAX_BATCH`]),
//! and hands the lot to the backend, which stores them in **one** transaction: the
//! idempotency look-up (against stored rows and against earlier items of the same batch),
//! one change number each, the inserts, one commit (one sync). Only then is every waiter
//! answered, so an answer still means "on disk": durability is unchanged. Under load the
//! batch grows by itself while the previous commit syncs; idle, a batch is one submission
//! and costs what it did before.
//!
//! Failures stay per item: when one item fails on its own ([`BatchError::Item`]: not a
//! look-up or commit failure), the backend rolls the batch back and the task re-runs every
//! item of it as a batch of one, so only the failing one gets the error. When the batch as
//! a whole fails (begin, look-up, counter, commit), every waiter of that batch gets the
//! error; none of them had been answered, so nothing acknowledged is lost.

use std::future::Future;
use std::panic::AssertUnwindSafe;

use anyhow::anyhow;
use futures_util::FutureExt;
use tokio::sync::{mpsc, oneshot};

use super::{NewApplication, Submitted};

/// Most submissions in one transaction.
pub(crate) const MAX_BATCH: usize = 256;
/// Longest a batch may take before its waiters are answered "unavailable".
const BATCH_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(5);
/// Submissions waiting for the writer before handlers wait to queue (back-pressure).
const QUEUE: usize = 1024;

/// Why a batch was not stored.
#[derive(Debug)]
pub(crate) enum BatchError {
    /// Item `.0` failed on its own; the transaction was rolled back.
    Item(usize, anyhow::Error),
    /// The batch as a whole failed (begin, look-up, counter, commit).
    Batch(anyhow::Error),
}

/// A backend that stores a batch of submissions in one transaction.
pub(crate) trait BatchWriter: Send + Sync + 'static {
    /// Stores `apps` in one transaction, in order; one result per item, returned only after
    /// the commit returned.
    fn write_batch(&self, apps: &[&NewApplication]) -> impl Future<Output = Result<Vec<Submitted>, BatchError>> + Send;
}

struct Job {
    app: NewApplication,
    reply: oneshot::Sender<anyhow::Result<Submitted>>,
}

/// The handle handlers queue submissions on.
#[derive(Debug, Clone)]
pub(crate) struct GroupCommit {
    queue: mpsc::Sender<Job>,
}

impl GroupCommit {
    /// Spawns the writer task (on the current Tokio runtime). It ends when every handle is
    /// dropped.
    pub(crate) fn start(writer: impl BatchWriter) -> GroupCommit {
        let (queue, jobs) = mpsc::channel(QUEUE);
        tokio::spawn(run(writer, jobs));
        GroupCommit { queue }
    }

    /// Queues `app` and waits until the transaction holding it committed.
    pub(crate) async fn submit(&self, app: NewApplication) -> anyhow::Result<Submitted> {
        let (reply, answer) = oneshot::channel();
        self.queue.send(Job { app, reply }).await.map_err(|_| anyhow!("the submission writer has stopped"))?;
        answer.await.map_err(|_| anyhow!("the submission writer dropped the submission"))?
    }
}

async fn run(writer: impl BatchWriter, mut queue: mpsc::Receiver<Job>) {
    let mut jobs = Vec::with_capacity(MAX_BATCH);
    while queue.recv_many(&mut jobs, MAX_BATCH).await > 0 {
        // A panic in a backend must not take the writer down with it: the waiters of this
        // batch see their reply dropped (an internal error), the next batch runs as usual.
        let done = AssertUnwindSafe(write(&writer, &mut jobs)).catch_unwind().await;
        match done {
            Err(_) => {
                tracing::error!(batch = jobs.len(), "the submission writer panicked; the batch was not acknowledged")
            }
            Ok(Written::Unavailable) => {
                // The database is unreachable: what queued meanwhile would wait another
                // acquire timeout only to fail the same way. Fail it now (503, the widget
                // retries); the next submission to arrive tries the database again.
                let mut failed = 0usize;
                while let Ok(job) = queue.try_recv() {
                    let _ = job.reply.send(Err(anyhow::Error::new(super::Unavailable)));
                    failed += 1;
                }
                if failed > 0 {
                    tracing::warn!(failed, "database unavailable: failed the queued submissions");
                }
            }
            Ok(Written::Done) => {}
        }
        jobs.clear();
    }
}

/// How a batch ended, for the writer loop.
enum Written {
    Done,
    /// The batch failed because the database is unreachable.
    Unavailable,
}

async fn write(writer: &impl BatchWriter, jobs: &mut Vec<Job>) -> Written {
    let apps: Vec<&NewApplication> = jobs.iter().map(|j| &j.app).collect();
    // A database that stops answering mid-batch (a host gone silent, no reset) would hold the
    // batch, and everything queued behind it, until TCP gives up minutes later. Give up first:
    // nobody was answered, and the client's retry with the same client id is a replay if the
    // commit did land after all.
    let outcome = match tokio::time::timeout(BATCH_TIMEOUT, writer.write_batch(&apps)).await {
        Ok(outcome) => outcome,
        Err(_) => Err(BatchError::Batch(anyhow::Error::new(super::Unavailable).context("the batch timed out"))),
    };
    drop(apps);
    match outcome {
        Ok(results) => {
            debug_assert_eq!(results.len(), jobs.len());
            for (job, result) in jobs.drain(..).zip(results) {
                let _ = job.reply.send(Ok(result));
            }
        }
        Err(BatchError::Item(i, e)) if jobs.len() > 1 => {
            tracing::warn!(batch = jobs.len(), item = i, error = %format!("{e:#}"), "a submission failed; storing the batch one by one");
            for job in jobs.drain(..) {
                let result = match writer.write_batch(&[&job.app]).await {
                    Ok(mut one) => one.pop().ok_or_else(|| anyhow!("the writer returned no result")),
                    Err(BatchError::Item(_, e) | BatchError::Batch(e)) => Err(e),
                };
                let _ = job.reply.send(result);
            }
        }
        Err(BatchError::Item(_, e) | BatchError::Batch(e)) => {
            let message = format!("{e:#}");
            let unavailable = super::is_unavailable(&e);
            let mut first = Some(e);
            for job in jobs.drain(..) {
                let error = first.take().unwrap_or_else(|| {
                    if unavailable {
                        anyhow::Error::new(super::Unavailable).context(message.clone())
                    } else {
                        anyhow!("{message}")
                    }
                });
                let _ = job.reply.send(Err(error));
            }
            if unavailable {
                return Written::Unavailable;
            }
        }
    }
    Written::Done
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::{Arc, Mutex};

    use time::OffsetDateTime;
    use uuid::Uuid;

    use super::*;
    use crate::store::StoredReceipt;

    fn app(hash: &str) -> NewApplication {
        static NEXT: AtomicUsize = AtomicUsize::new(1);
        let now = OffsetDateTime::UNIX_EPOCH;
        NewApplication {
            client_id: Uuid::from_u128(NEXT.fetch_add(1, Ordering::Relaxed) as u128),
            content_hash: hash.to_owned(),
            received_at: now,
            answers_json: "{}".to_owned(),
            contact_json: None,
            centre_id: None,
            client_as_of: now.date(),
            client_decision_json: "{}".to_owned(),
            client_pack_id: String::new(),
            server_as_of: now.date(),
            server_decision_json: "{}".to_owned(),
            server_pack_id: String::new(),
            drift: false,
            outcome: "eligible".to_owned(),
            amount_national: None,
            amount_local: None,
            province_code: None,
            commune_code: None,
            support_line: None,
            support_lines: String::new(),
            receipt_code: hash.to_owned(),
            attestation_json: None,
        }
    }

    /// Records batch sizes; an item whose hash is "bad" fails on its own, "commit" fails the
    /// batch; it waits on `gate` before each batch so the test can let a queue build up.
    #[derive(Clone)]
    struct Fake {
        batches: Arc<Mutex<Vec<usize>>>,
        entered: Arc<AtomicUsize>,
        gate: Arc<tokio::sync::Semaphore>,
    }

    impl Fake {
        fn new() -> Fake {
            Fake { batches: Arc::default(), entered: Arc::default(), gate: Arc::new(tokio::sync::Semaphore::new(0)) }
        }

        /// Yields until the writer has taken `n` batches (and waits at the gate).
        async fn until_entered(&self, n: usize) {
            while self.entered.load(Ordering::SeqCst) < n {
                tokio::task::yield_now().await;
            }
        }
    }

    impl BatchWriter for Fake {
        async fn write_batch(&self, apps: &[&NewApplication]) -> Result<Vec<Submitted>, BatchError> {
            self.entered.fetch_add(1, Ordering::SeqCst);
            self.gate.acquire().await.unwrap().forget();
            self.batches.lock().unwrap().push(apps.len());
            if apps.iter().any(|a| a.content_hash == "commit") {
                return Err(BatchError::Batch(anyhow!("disk full")));
            }
            if let Some(i) = apps.iter().position(|a| a.content_hash == "bad") {
                return Err(BatchError::Item(i, anyhow!("constraint")));
            }
            Ok(apps
                .iter()
                .map(|a| {
                    Submitted::Created(StoredReceipt {
                        receipt_code: a.content_hash.clone(),
                        client_id: a.client_id,
                        received_at: a.received_at,
                        server_decision_json: String::new(),
                        drift: false,
                        attestation_json: None,
                    })
                })
                .collect())
        }
    }

    type Waiter = tokio::task::JoinHandle<anyhow::Result<Submitted>>;

    fn spawn_all(group: &GroupCommit, hashes: &[&str]) -> Vec<Waiter> {
        hashes
            .iter()
            .map(|h| {
                let (group, app) = (group.clone(), app(h));
                tokio::spawn(async move { group.submit(app).await })
            })
            .collect()
    }

    /// Spawns the submissions while the writer is held at the gate, and yields until all
    /// of them are queued.
    async fn queue_all(group: &GroupCommit, hashes: &[&str]) -> Vec<Waiter> {
        let tasks = spawn_all(group, hashes);
        while group.queue.capacity() > QUEUE - hashes.len() {
            tokio::task::yield_now().await;
        }
        tasks
    }

    #[tokio::test]
    async fn queued_submissions_share_a_batch_and_a_failing_item_fails_alone() {
        let fake = Fake::new();
        let group = GroupCommit::start(fake.clone());
        // The first submission is taken alone (nothing else queued yet) and held at the gate.
        let first = spawn_all(&group, &["a"]);
        fake.until_entered(1).await;
        let rest = queue_all(&group, &["b", "bad", "c"]).await;
        fake.gate.add_permits(100);
        let mut results = Vec::new();
        for t in first.into_iter().chain(rest) {
            results.push(t.await.unwrap());
        }
        let codes: Vec<String> = results
            .iter()
            .map(|r| match r {
                Ok(Submitted::Created(r)) => r.receipt_code.clone(),
                Ok(other) => format!("{other:?}"),
                Err(e) => format!("error: {e}"),
            })
            .collect();
        assert_eq!(codes, ["a", "b", "error: constraint", "c"]);
        // [a], then [b, bad, c] together, rolled back, then each alone.
        let batches = fake.batches.lock().unwrap().clone();
        assert_eq!(batches, [1, 3, 1, 1, 1]);
    }

    #[tokio::test]
    async fn a_failed_commit_fails_every_waiter_of_the_batch() {
        let fake = Fake::new();
        let group = GroupCommit::start(fake.clone());
        let first = spawn_all(&group, &["w"]);
        fake.until_entered(1).await;
        let tasks = queue_all(&group, &["x", "commit", "y"]).await;
        fake.gate.add_permits(100);
        assert!(matches!(first.into_iter().next().unwrap().await.unwrap(), Ok(Submitted::Created(_))));
        for t in tasks {
            let e = t.await.unwrap().unwrap_err();
            assert_eq!(e.to_string(), "disk full");
        }
        assert_eq!(fake.batches.lock().unwrap().clone(), [1, 3]);
        // The writer keeps going.
        let next = spawn_all(&group, &["z"]);
        assert!(matches!(next.into_iter().next().unwrap().await.unwrap(), Ok(Submitted::Created(_))));
    }
}

//! Group commit (`Store::batched`), on both backends, with the backend's
//! default (on for SQLite, off for PostgreSQL) and explicitly on and off: every write answered Ok is committed and readable at once,
//! a failing write is rolled back alone, a key used twice in the same
//! burst is stored once, and concurrent writes share transactions.

use crate::both;
use danchu_store::{idempotency, BoxFut, Store, StoreError, StoreOptions, Tx};
use std::sync::Arc;

/// A write of key `k`; fails after writing when `fail`.
async fn write(store: Arc<Store>, k: String, fail: bool) -> Result<String, StoreError> {
    store
        .batched(move |tx: &mut Tx| -> BoxFut<'_, Result<String, StoreError>> {
            Box::pin(async move {
                idempotency::record(tx, &k, None, &format!("/out/{k}")).await?;
                if fail {
                    return Err(StoreError::Invalid(format!("refused {k}")));
                }
                Ok(k)
            })
        })
        .await
}

const N: usize = 200;

fn fails(i: usize) -> bool {
    i % 5 == 4 && i != N - 1
}

async fn check(store: Arc<Store>, tag: &str) {
    let mut tasks = Vec::new();
    for i in 0..N {
        // Every fifth write fails after writing; key 7 is sent twice.
        let key = if i == N - 1 { format!("{tag}-7") } else { format!("{tag}-{i}") };
        tasks.push(tokio::spawn(write(store.clone(), key, fails(i))));
    }
    let mut ok = 0;
    let mut dup = 0;
    for (i, t) in tasks.into_iter().enumerate() {
        match t.await.unwrap() {
            Ok(k) => {
                ok += 1;
                // Answered means committed: readable from another connection now.
                assert_eq!(idempotency::lookup(&store, &k).await.unwrap().as_deref(), Some(format!("/out/{k}").as_str()));
            }
            Err(StoreError::Invalid(m)) => assert!(fails(i) && m.starts_with("refused"), "{i}: {m}"),
            Err(StoreError::Conflict(_)) => dup += 1,
            Err(e) => panic!("{i}: {e}"),
        }
    }
    assert_eq!(dup, 1, "key 7 sent twice is stored once, the second refused");
    assert_eq!(ok, N - (0..N).filter(|i| fails(*i)).count() - 1);
    for i in (4..N - 1).step_by(5) {
        assert_eq!(idempotency::lookup(&store, &format!("{tag}-{i}")).await.unwrap(), None, "a failed write leaves nothing ({i})");
    }
}

both!(batched_writes_are_committed_once_and_alone, |app| {
    let url = app.ctx.cfg.database_url.0.clone();
    // The backend's default: group commit on SQLite, a transaction per write on PostgreSQL.
    check(Arc::new(app.store().clone()), "default").await;
    for writers in [0u32, 1] {
        let opts = StoreOptions { max_connections: 4, group_writers: Some(writers), ..Default::default() };
        let store = Arc::new(Store::connect(&url, &opts).await.unwrap());
        check(store.clone(), &format!("w{writers}")).await;
        let (batches, writes) = store.group_commit_stats();
        if writers == 0 {
            assert_eq!((batches, writes), (0, 0), "group commit off");
        } else {
            assert_eq!(writes, 200, "every write went through a committer");
            assert!(batches < writes, "concurrent writes share transactions: {batches} batches for {writes} writes");
        }
        store.close().await;
    }
});

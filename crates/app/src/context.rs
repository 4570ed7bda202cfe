//! What every command and request handler works with: configuration,
//! store and keys.

use crate::config::Config;
use crate::keys::Keys;
use danchu_store::{Store, StoreOptions};
use std::sync::Arc;

#[derive(Clone, Debug)]
pub struct Ctx {
    pub cfg: Arc<Config>,
    pub store: Store,
    pub keys: Keys,
}

impl Ctx {
    /// Opens the data folder, the key and the database, and applies
    /// migrations.
    pub async fn open(cfg: Config) -> Result<Ctx, String> {
        std::fs::create_dir_all(&cfg.data_dir).map_err(|e| format!("{}: {e}", cfg.data_dir.display()))?;
        let keys = if !cfg.secret_key.0.is_empty() {
            Keys::from_hex(&cfg.secret_key.0)?
        } else {
            let path = cfg.secret_key_file.clone().unwrap_or_else(|| cfg.data_dir.join("secret.key"));
            Keys::load_or_create(&path)?
        };
        let opts = StoreOptions {
            max_connections: cfg.db_max_connections,
            sqlite_synchronous: cfg.sqlite_synchronous.clone(),
            group_writers: cfg.db_group_writers,
        };
        let store = Store::connect(&cfg.database_url(), &opts).await.map_err(|e| format!("database: {e}"))?;
        store.migrate().await.map_err(|e| format!("migrations: {e}"))?;
        Ok(Ctx { cfg: Arc::new(cfg), store, keys })
    }
}

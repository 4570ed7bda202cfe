//! `danchu backup` and `danchu restore`.
//!
//! A backup is a folder: the database (SQLite: a consistent copy made with
//! `VACUUM INTO` while the server keeps serving; PostgreSQL: `pg_dump
//! --format=custom`, itself a consistent snapshot), a MANIFEST.json with
//! checksums, and — only when asked — the secret key. The key is left out by
//! default: together with the data it would let anyone reverse the stored
//! citizen-ID hashes (the last four digits and the birth year leave about
//! 12,600 candidates each). Back the key up once, separately.

use crate::context::Ctx;
use danchu_store::{Backend, Store, StoreOptions};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

const DB_FILE: &str = "danchu.sqlite3";
const PG_FILE: &str = "danchu.pgdump";
const KEY_FILE: &str = "secret.key";

fn sha256_file(p: &Path) -> Result<String, String> {
    let data = std::fs::read(p).map_err(|e| format!("{}: {e}", p.display()))?;
    Ok(hex::encode(Sha256::digest(&data)))
}

pub fn key_path(ctx: &Ctx) -> PathBuf {
    ctx.cfg.secret_key_file.clone().unwrap_or_else(|| ctx.cfg.data_dir.join(KEY_FILE))
}

/// Writes a backup into `out` (which must not exist or be empty).
pub async fn backup(ctx: &Ctx, out: &Path, include_key: bool) -> Result<PathBuf, String> {
    if out.exists() && std::fs::read_dir(out).map_err(|e| e.to_string())?.next().is_some() {
        return Err(format!("{} exists and is not empty", out.display()));
    }
    std::fs::create_dir_all(out).map_err(|e| format!("{}: {e}", out.display()))?;
    let db_file = match ctx.store.backend() {
        Backend::Sqlite => {
            let dest = out.join(DB_FILE);
            let abs = std::path::absolute(&dest).map_err(|e| e.to_string())?;
            ctx.store.sqlite_backup_to(&abs.to_string_lossy()).await.map_err(|e| format!("VACUUM INTO: {e}"))?;
            dest
        }
        Backend::Postgres => {
            let dest = out.join(PG_FILE);
            let status = tokio::process::Command::new("pg_dump")
                .arg("--format=custom")
                .arg("--no-owner")
                .arg(format!("--file={}", dest.display()))
                .arg(ctx.cfg.database_url())
                .status()
                .await
                .map_err(|e| format!("pg_dump (from the postgresql-client package): {e}"))?;
            if !status.success() {
                return Err(format!("pg_dump failed: {status}"));
            }
            dest
        }
    };
    let key = key_path(ctx);
    let mut files = vec![(db_file.file_name().unwrap_or_default().to_string_lossy().to_string(), sha256_file(&db_file)?)];
    if include_key && key.exists() {
        std::fs::copy(&key, out.join(KEY_FILE)).map_err(|e| format!("{}: {e}", key.display()))?;
        files.push((KEY_FILE.to_string(), sha256_file(&out.join(KEY_FILE))?));
    }
    let manifest = serde_json::json!({
        "format": "danchu-backup-1",
        "backend": ctx.store.backend().name(),
        "created_at_ms": danchu_store::now_ms(),
        "danchu_version": env!("CARGO_PKG_VERSION"),
        "files": files.iter().map(|(n, h)| serde_json::json!({"name": n, "sha256": h})).collect::<Vec<_>>(),
    });
    std::fs::write(out.join("MANIFEST.json"), serde_json::to_string_pretty(&manifest).map_err(|e| e.to_string())?)
        .map_err(|e| e.to_string())?;
    Ok(db_file)
}

/// Checks a backup folder against its manifest.
pub fn verify(from: &Path) -> Result<serde_json::Value, String> {
    let text = std::fs::read_to_string(from.join("MANIFEST.json")).map_err(|e| format!("MANIFEST.json: {e}"))?;
    let m: serde_json::Value = serde_json::from_str(&text).map_err(|e| format!("MANIFEST.json: {e}"))?;
    for f in m["files"].as_array().ok_or("MANIFEST.json: no files")? {
        let name = f["name"].as_str().ok_or("MANIFEST.json: file without name")?;
        if name.contains('/') || name.contains("..") {
            return Err(format!("MANIFEST.json: bad file name {name}"));
        }
        let want = f["sha256"].as_str().unwrap_or("");
        let got = sha256_file(&from.join(name))?;
        if want != got {
            return Err(format!("{name}: checksum mismatch (the backup is damaged)"));
        }
    }
    Ok(m)
}

/// Restores a backup. SQLite: the server must be stopped; the current file
/// is kept as `danchu.sqlite3.before-restore`. PostgreSQL: `pg_restore
/// --clean` into the configured database.
pub async fn restore(data_dir: &Path, database_url: &str, from: &Path) -> Result<(), String> {
    let m = verify(from)?;
    let backend = m["backend"].as_str().unwrap_or("");
    match backend {
        "sqlite" => {
            if database_url.starts_with("postgres") {
                return Err("this backup is of SQLite; the configuration names PostgreSQL".into());
            }
            let src = from.join(DB_FILE);
            let target = database_url
                .strip_prefix("sqlite://")
                .map(|s| PathBuf::from(s.split('?').next().unwrap_or(s)))
                .unwrap_or_else(|| data_dir.join(DB_FILE));
            if let Some(dir) = target.parent() {
                std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
            }
            // Copy next to the target, check the copy opens and is sound, then
            // swap it in; the current file is kept aside.
            let tmp = target.with_extension("sqlite3.restoring");
            std::fs::copy(&src, &tmp).map_err(|e| e.to_string())?;
            let url = format!("sqlite://{}?mode=rw", tmp.display());
            let probe =
                Store::connect(&url, &StoreOptions { max_connections: 1, ..Default::default() }).await.map_err(|e| e.to_string())?;
            let check = probe.sqlite_integrity_check().await.map_err(|e| e.to_string())?;
            probe.close().await;
            if check != "ok" {
                let _ = std::fs::remove_file(&tmp);
                return Err(format!("integrity check of the backup: {check}"));
            }
            if target.exists() {
                let keep = target.with_extension("sqlite3.before-restore");
                std::fs::rename(&target, &keep).map_err(|e| e.to_string())?;
            }
            for ext in ["sqlite3-wal", "sqlite3-shm"] {
                let _ = std::fs::remove_file(target.with_extension(ext));
            }
            std::fs::rename(&tmp, &target).map_err(|e| e.to_string())?;
        }
        "postgres" => {
            if !database_url.starts_with("postgres") {
                return Err("this backup is of PostgreSQL; set --database-url to the target database".into());
            }
            let status = tokio::process::Command::new("pg_restore")
                .args(["--clean", "--if-exists", "--no-owner", "--single-transaction"])
                .arg(format!("--dbname={database_url}"))
                .arg(from.join(PG_FILE))
                .status()
                .await
                .map_err(|e| format!("pg_restore: {e}"))?;
            if !status.success() {
                return Err(format!("pg_restore failed: {status}"));
            }
        }
        other => return Err(format!("unknown backend in manifest: {other}")),
    }
    let key_src = from.join(KEY_FILE);
    let key_dst = data_dir.join(KEY_FILE);
    if key_src.exists() {
        if key_dst.exists() && std::fs::read(&key_src).ok() != std::fs::read(&key_dst).ok() {
            std::fs::rename(&key_dst, data_dir.join("secret.key.before-restore")).map_err(|e| e.to_string())?;
        }
        std::fs::create_dir_all(data_dir).map_err(|e| e.to_string())?;
        std::fs::copy(&key_src, &key_dst).map_err(|e| e.to_string())?;
    }
    Ok(())
}

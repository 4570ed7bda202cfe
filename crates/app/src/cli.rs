//! The `danchu` command line.

use crate::config::Config;
use crate::context::Ctx;
use clap::{Args, Parser, Subcommand};
use danchu_domain::accounts::{check_new_password, Role, Username};
use danchu_domain::units::Era;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser, Debug)]
#[command(name = "danchu", version, about = "Nền tảng dân chủ ở cơ sở — grassroots democracy platform")]
pub struct Cli {
    /// TOML configuration file (also DANCHU_CONFIG).
    #[arg(long, global = true)]
    pub config: Option<PathBuf>,
    /// Data folder: SQLite file, secret key (also DANCHU_DATA_DIR).
    #[arg(long, global = true)]
    pub data: Option<PathBuf>,
    /// sqlite://… or postgres://… (also DANCHU_DATABASE_URL).
    #[arg(long, global = true)]
    pub database_url: Option<String>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Run the web server (creates and migrates the database, loads the units
    /// and, on an empty database, the labelled demo data).
    Serve(ServeArgs),
    /// Apply database migrations and load the official units, then exit.
    Migrate,
    /// Import households of a commune from an XLSX or CSV file.
    ImportHouseholds(ImportArgs),
    /// Create an account and grant it a role (same as `user add`).
    CreateUser(UserAddArgs),
    /// Accounts.
    #[command(subcommand)]
    User(UserCommand),
    /// Villages (thôn, tổ dân phố) of a commune.
    #[command(subcommand)]
    Villages(VillagesCommand),
    /// Load demo data: `small` (3 communes, as on first start) or `province`
    /// (every commune; the benchmark's 1,000,000 households).
    Demo(DemoArgs),
    /// Write a consistent backup folder while the server keeps running.
    Backup {
        /// Folder to create.
        #[arg(long)]
        out: PathBuf,
        /// Also copy the secret key into the backup. Off by default: with the
        /// key, stored citizen-ID hashes can be reversed, so the key should be
        /// kept apart from the data (back it up once, separately).
        #[arg(long)]
        include_key: bool,
    },
    /// Restore a backup folder (stop the server first on SQLite).
    Restore {
        #[arg(long)]
        from: PathBuf,
    },
    /// The audit trail.
    #[command(subcommand)]
    Audit(AuditCommand),
    /// Rebuild the roll-up counts from the base tables.
    Recount,
    /// Run the benchmark harness (see docs/BENCHMARKS.md).
    Bench(crate::bench::BenchArgs),
}

#[derive(Args, Debug)]
pub struct ServeArgs {
    /// ADDRESS:PORT to listen on (also DANCHU_LISTEN).
    #[arg(long)]
    pub listen: Option<String>,
    /// Do not load demo data into an empty database.
    #[arg(long)]
    pub no_demo: bool,
}

#[derive(Args, Debug)]
pub struct ImportArgs {
    /// Code of the commune (xã/phường), e.g. 14797.
    #[arg(long)]
    pub commune: String,
    /// Check the file and report, without writing anything.
    #[arg(long)]
    pub dry_run: bool,
    /// The XLSX or CSV file.
    pub file: PathBuf,
}

#[derive(Args, Debug)]
pub struct UserAddArgs {
    #[arg(long)]
    pub username: String,
    #[arg(long)]
    pub full_name: String,
    #[arg(long)]
    pub email: Option<String>,
    /// Role, e.g. system_admin, commune_official, village_head.
    #[arg(long)]
    pub role: String,
    /// Unit code where the role is held (38 = the province).
    #[arg(long, default_value = "38")]
    pub unit: String,
    /// Read the password from standard input instead of generating one.
    #[arg(long)]
    pub password_stdin: bool,
}

#[derive(Subcommand, Debug)]
pub enum UserCommand {
    /// Create an account and grant it a role.
    Add(UserAddArgs),
    /// Print a one-time password-reset link (valid 1 hour) for an account.
    ResetLink {
        #[arg(long)]
        username: String,
    },
}

#[derive(Subcommand, Debug)]
pub enum VillagesCommand {
    /// Create villages in a commune (existing names are skipped).
    Add {
        /// Code of the commune, e.g. 14797.
        #[arg(long)]
        commune: String,
        /// Names, e.g. "Tổ dân phố 1" "Tổ dân phố 2".
        #[arg(required = true)]
        names: Vec<String>,
    },
}

#[derive(Args, Debug)]
pub struct DemoArgs {
    /// small or province.
    #[arg(long, default_value = "small")]
    pub scale: String,
    /// Households for the province scale.
    #[arg(long, default_value_t = 1_000_000)]
    pub households: usize,
    #[arg(long, default_value_t = 38)]
    pub seed: u64,
}

#[derive(Subcommand, Debug)]
pub enum AuditCommand {
    /// Check the hash chain: exits non-zero on an edited, deleted or
    /// reordered entry.
    Verify,
}

fn load_config(cli: &Cli, listen: Option<&str>) -> Result<Config, String> {
    let mut overrides: Vec<(&str, toml::Value)> = Vec::new();
    if let Some(d) = &cli.data {
        overrides.push(("data_dir", toml::Value::String(d.display().to_string())));
    }
    if let Some(u) = &cli.database_url {
        overrides.push(("database_url", toml::Value::String(u.clone())));
    }
    if let Some(l) = listen {
        overrides.push(("listen", toml::Value::String(l.to_string())));
    }
    Config::load(cli.config.as_deref(), &|k| std::env::var(k).ok(), &overrides)
}

fn init_logging(cfg: &Config) {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_new(&cfg.log_level).unwrap_or_else(|_| EnvFilter::new("info"));
    let ansi = std::io::IsTerminal::is_terminal(&std::io::stderr());
    let b = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr).with_ansi(ansi);
    let _ = if cfg.log_format == "json" { b.json().flatten_event(true).try_init() } else { b.try_init() };
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let rt = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("danchu: {e}");
            return ExitCode::FAILURE;
        }
    };
    match rt.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("danchu: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn open(cli: &Cli, listen: Option<&str>) -> Result<Ctx, String> {
    let cfg = load_config(cli, listen)?;
    init_logging(&cfg);
    let ctx = Ctx::open(cfg).await?;
    crate::seed::load_official_units(&ctx.store).await?;
    Ok(ctx)
}

async fn run(cli: Cli) -> Result<(), String> {
    match &cli.command {
        Command::Serve(a) => {
            let mut ctx = open(&cli, a.listen.as_deref()).await?;
            if a.no_demo {
                let mut c = (*ctx.cfg).clone();
                c.demo_data = false;
                ctx.cfg = std::sync::Arc::new(c);
            }
            crate::server::serve(ctx).await
        }
        Command::Migrate => {
            let ctx = open(&cli, None).await?;
            println!("migrations applied; official units loaded ({})", ctx.store.backend().name());
            Ok(())
        }
        Command::ImportHouseholds(a) => import_cli(&cli, a).await,
        Command::CreateUser(a) | Command::User(UserCommand::Add(a)) => user_add(&cli, a).await,
        Command::User(UserCommand::ResetLink { username }) => {
            let ctx = open(&cli, None).await?;
            let user = danchu_store::accounts::by_username(&ctx.store, &username.to_lowercase())
                .await
                .map_err(|e| e.to_string())?
                .ok_or("no such user")?;
            let token = crate::keys::random_token(32);
            let mut tx = ctx.store.write().await.map_err(|e| e.to_string())?;
            danchu_store::accounts::create_reset(&mut tx, &crate::keys::token_hash(&token), user.id, danchu_store::now_ms() + 3600 * 1000)
                .await
                .map_err(|e| e.to_string())?;
            danchu_store::audit::append(
                &mut tx,
                &danchu_store::audit::Entry::account(None, Some("cli"), "account.reset_link_issued", &format!("user:{}", user.id), ""),
            )
            .await
            .map_err(|e| e.to_string())?;
            tx.commit().await.map_err(|e| e.to_string())?;
            println!("{}/password/reset?token={token}", ctx.cfg.public_url.trim_end_matches('/'));
            Ok(())
        }
        Command::Demo(a) => {
            let ctx = open(&cli, None).await?;
            match a.scale.as_str() {
                "small" => {
                    let loaded = crate::demo::load_small(&ctx).await?;
                    println!("{}", if loaded { "demo data loaded" } else { "demo data or accounts already present: nothing done" });
                    if crate::demo_disclosures::load(&ctx, crate::demo_disclosures::SMALL_COMMUNES).await? {
                        println!("demo disclosures loaded");
                    }
                }
                "province" => {
                    let bar = indicatif::ProgressBar::new(166);
                    bar.set_style(
                        indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} xã, phường · {elapsed}")
                            .map_err(|e| e.to_string())?,
                    );
                    let start = std::time::Instant::now();
                    let (v, h) = crate::demo::load_province(&ctx, a.households, a.seed, &|d, t| {
                        bar.set_length(t as u64);
                        bar.set_position(d as u64);
                    })
                    .await?;
                    bar.finish();
                    println!("province dataset: {v} villages, {h} households in {:.1} s", start.elapsed().as_secs_f64());
                    let codes = crate::demo_disclosures::commune_codes(&ctx).await?;
                    let refs: Vec<&str> = codes.iter().map(String::as_str).collect();
                    let start = std::time::Instant::now();
                    if crate::demo_disclosures::load(&ctx, &refs).await? {
                        println!("demo disclosures: {} communes in {:.1} s", refs.len(), start.elapsed().as_secs_f64());
                    }
                }
                other => return Err(format!("unknown scale {other}: use small or province")),
            }
            Ok(())
        }
        Command::Villages(VillagesCommand::Add { commune, names }) => {
            let ctx = open(&cli, None).await?;
            let names: Vec<String> = names.iter().map(|n| danchu_domain::text::clean_line(n)).collect();
            let created = crate::demo::create_villages(&ctx, commune, &names).await?;
            for n in created {
                println!("{n}");
            }
            Ok(())
        }
        Command::Backup { out, include_key } => {
            let ctx = open(&cli, None).await?;
            let start = std::time::Instant::now();
            let f = crate::backup::backup(&ctx, out, *include_key).await?;
            if !include_key {
                println!("the secret key is NOT in this backup: keep a separate copy of {}", crate::backup::key_path(&ctx).display());
            }
            println!("backup written: {} ({:.1} s)", f.display(), start.elapsed().as_secs_f64());
            Ok(())
        }
        Command::Restore { from } => {
            let cfg = load_config(&cli, None)?;
            crate::backup::restore(&cfg.data_dir, &cfg.database_url(), from).await?;
            println!("restored from {}", from.display());
            Ok(())
        }
        Command::Audit(AuditCommand::Verify) => {
            let ctx = open(&cli, None).await?;
            match danchu_store::audit::verify(&ctx.store).await.map_err(|e| e.to_string())? {
                Ok(n) => {
                    println!("audit trail intact: {n} entries verified");
                    Ok(())
                }
                Err(b) => Err(format!("AUDIT TRAIL BROKEN: {b:?}")),
            }
        }
        Command::Recount => {
            let ctx = open(&cli, None).await?;
            danchu_store::units::recount_all(&ctx.store).await.map_err(|e| e.to_string())?;
            danchu_store::disclosures::recount(&ctx.store).await.map_err(|e| e.to_string())?;
            println!("roll-up counts rebuilt (units, disclosures)");
            Ok(())
        }
        Command::Bench(a) => crate::bench::run(a).await,
    }
}

async fn import_cli(cli: &Cli, a: &ImportArgs) -> Result<(), String> {
    let ctx = open(cli, None).await?;
    let commune = danchu_store::units::by_code(&ctx.store, Era::Current, &a.commune)
        .await
        .map_err(|e| e.to_string())?
        .ok_or(format!("no commune with code {}", a.commune))?;
    let bytes = std::fs::read(&a.file).map_err(|e| format!("{}: {e}", a.file.display()))?;
    crate::importer::sniff(&bytes).map_err(|m| m.vi)?;
    let bar = indicatif::ProgressBar::new(0);
    bar.set_style(indicatif::ProgressStyle::with_template("{msg} {bar:40} {pos}/{len} dòng · {elapsed}").map_err(|e| e.to_string())?);
    bar.set_message("Kiểm tra");
    let b2 = bar.clone();
    let start = std::time::Instant::now();
    let result = crate::importer::validate(
        &ctx,
        &commune,
        bytes,
        std::sync::Arc::new(move |d, t| {
            b2.set_length(t as u64);
            b2.set_position(d as u64);
        }),
    )
    .await;
    bar.finish();
    let (plan, total) = match result {
        Ok(v) => v,
        Err(crate::importer::Failure::Rows(errs)) => {
            eprintln!("Tệp có {} lỗi; không dòng nào được nhập:", errs.len());
            for e in &errs {
                eprintln!("  {}", e.text(danchu_domain::Lang::Vi));
            }
            return Err("import refused".into());
        }
        Err(crate::importer::Failure::System(e)) => return Err(e),
    };
    println!("{} dòng hợp lệ, {} hộ ({:.1} s)", total, plan.len(), start.elapsed().as_secs_f64());
    if a.dry_run {
        println!("--dry-run: không ghi gì.");
        return Ok(());
    }
    let actor = crate::importer::Actor { user_id: None, role: "cli".into() };
    let counts = match crate::importer::apply(&ctx, &commune, &plan, total, &actor, None, false).await {
        Ok(c) => c,
        Err(crate::importer::Failure::Rows(errs)) => return Err(format!("{} errors", errs.len())),
        Err(crate::importer::Failure::System(e)) => return Err(e),
    };
    println!(
        "Hộ thêm mới: {} · cập nhật: {} · không đổi: {} · nhân khẩu thêm: {} · rời hộ: {} ({:.1} s)",
        counts.households_added,
        counts.households_updated,
        counts.households_unchanged,
        counts.people_added,
        counts.people_removed,
        start.elapsed().as_secs_f64()
    );
    Ok(())
}

async fn user_add(cli: &Cli, a: &UserAddArgs) -> Result<(), String> {
    let ctx = open(cli, None).await?;
    let username = Username::parse(&a.username).map_err(|m| m.vi)?;
    let role =
        Role::parse(&a.role).ok_or_else(|| format!("unknown role {}; one of: {}", a.role, Role::ALL.map(|r| r.as_str()).join(", ")))?;
    let unit = danchu_store::units::by_code(&ctx.store, Era::Current, &a.unit)
        .await
        .map_err(|e| e.to_string())?
        .ok_or(format!("no unit with code {}", a.unit))?;
    if !role.allowed_levels().contains(&unit.kind.level()) {
        return Err(format!("role {} cannot be held in {} ({})", role.as_str(), unit.name, unit.kind.as_str()));
    }
    let (password, generated) = if a.password_stdin {
        let mut s = String::new();
        std::io::stdin().read_line(&mut s).map_err(|e| e.to_string())?;
        (s.trim_end_matches(['\n', '\r']).to_string(), false)
    } else {
        (crate::keys::random_token(9), true)
    };
    check_new_password(&password, username.as_str()).map_err(|m| m.vi)?;
    let full_name = danchu_domain::people::FullName::parse(&a.full_name).map_err(|m| m.vi)?;
    let email = a.email.as_deref().map(danchu_domain::accounts::parse_email).transpose().map_err(|m| m.vi)?;
    let hash = crate::web::auth::hash_password_sync(&password).map_err(|e| e.to_string())?;
    let mut tx = ctx.store.write().await.map_err(|e| e.to_string())?;
    let existing = danchu_store::accounts::by_username_tx(&mut tx, username.as_str()).await.map_err(|e| e.to_string())?;
    let created = existing.is_none();
    let id = match existing {
        Some(u) => u.id,
        None => danchu_store::accounts::insert_user(
            &mut tx,
            &danchu_store::accounts::NewUser {
                username: username.as_str(),
                full_name: full_name.as_str(),
                email: email.as_deref(),
                password_hash: &hash,
                must_change_password: generated,
                is_demo: false,
            },
        )
        .await
        .map_err(|e| e.to_string())?,
    };
    danchu_store::accounts::grant(&mut tx, id, role, unit.id, None).await.map_err(|e| e.to_string())?;
    let summary = serde_json::json!({"username": username.as_str(), "role": role.as_str(), "unit": unit.code}).to_string();
    danchu_store::audit::append(
        &mut tx,
        &danchu_store::audit::Entry::on_unit(None, "cli", &unit, "role.granted", &format!("user:{id}"), &summary),
    )
    .await
    .map_err(|e| e.to_string())?;
    tx.commit().await.map_err(|e| e.to_string())?;
    println!("user {} holds {} in {}", username.as_str(), role.as_str(), unit.name);
    if generated && created {
        println!("temporary password (must be changed at first sign-in): {password}");
    } else if !created {
        println!("the account already existed: its password is unchanged");
    }
    Ok(())
}

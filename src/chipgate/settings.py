"""One validated settings object for the whole application.

Read once from the environment (prefix ``CHIPGATE_``) and passed down explicitly:
no module-level mutable settings, so tests build their own ``Settings`` instead of
patching globals.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from chipgate.datadir import default_data_dir
from chipgate.limits import USER_MAX


def _default_lists_dir() -> Path | None:
    """Find ``shared/data/lists`` beside the repository, where a checkout has it."""
    here = Path(__file__).resolve()
    for parent in here.parents:
        candidate = parent.parent / "shared" / "data" / "lists"
        if candidate.is_dir():
            return candidate
    return None


class Settings(BaseSettings):
    """Every tunable of chipgate, documented where it is declared."""

    model_config = SettingsConfigDict(env_prefix="CHIPGATE_", extra="ignore")

    data_dir: Path = Field(
        default_factory=default_data_dir,
        description=(
            "Folder for the embedded store, the active lists and the screening index "
            "(created owner-only on first use). Default: the user's data directory "
            "(platformdirs), never the working directory; refused when other users "
            "can write to it."
        ),
    )
    database_url: str | None = Field(
        default=None,
        description=(
            "SQLAlchemy URL of the ledger store. Default: a SQLite file in data_dir. "
            "Use postgresql+psycopg://... for several users."
        ),
    )
    lists_dir: Path | None = Field(
        default_factory=_default_lists_dir,
        description="Folder with the restricted-party list files (screening).",
    )
    lists_url: str | None = Field(
        default=None,
        description=(
            "Where 'chipgate lists update' fetches list files when no --from is given: "
            "a folder or URL (file:// too) laid out like lists_dir. Default: each "
            "list's official download URL."
        ),
    )
    lists_keep: int = Field(
        default=3,
        ge=1,
        description=(
            "List sets kept by 'lists update' (the active one included): older sets "
            "and the index caches built from them are pruned; 2 or more keeps a set "
            "to 'lists rollback' to."
        ),
    )
    lists_max_shrink: float = Field(
        default=0.10,
        ge=0.0,
        le=1.0,
        description=(
            "Largest drop in a list's entry count, as a share of the active set, "
            "that 'lists update' accepts without --allow-shrink."
        ),
    )
    screening_threshold: float = Field(
        default=0.90,
        ge=0.0,
        le=1.0,
        description=(
            "Score at or above which a name match counts as a hit (chosen on the "
            "screening evaluation set, docs/screening.md)."
        ),
    )
    screening_review_threshold: float = Field(
        default=0.80,
        ge=0.0,
        le=1.0,
        description="Score from which a match below the hit threshold is a red flag.",
    )
    lists_max_age_days: int = Field(
        default=30,
        gt=0,
        description=(
            "A restricted-party list older than this many days (by the date it "
            "states) is reported as stale by 'chipgate lists' and when a check loads it."
        ),
    )
    screening_near_miss: float = Field(
        default=0.60,
        ge=0.0,
        le=1.0,
        description=(
            "'chipgate screen NAME' also shows listed names scoring from this value "
            "up to the review threshold, as near misses (never findings)."
        ),
    )
    location_max_age_seconds: int = Field(
        default=86_400,
        gt=0,
        description=(
            "Oldest location measurement (seconds before now) that verification "
            "accepts; older records are stale."
        ),
    )
    location_landmarks_file: Path | None = Field(
        default=None,
        description="Landmark list (YAML) to use instead of the shipped one.",
    )
    audit_key_file: Path | None = Field(
        default=None,
        description=(
            "Ed25519 private key (PEM) that signs audit anchors. Default: "
            "audit-anchor.key in data_dir, made with mode 0600 on first use."
        ),
    )
    user: str = Field(
        default="chipgate",
        min_length=1,
        max_length=USER_MAX,
        description=(
            "Who is acting, recorded in every audit entry (1-200 characters: the "
            "ledger's column for it)."
        ),
    )
    executor: str = Field(
        default="local",
        pattern="^(local|dask)$",
        description=(
            "Where batch jobs run: 'local' (this process) or 'dask' (a Dask cluster; "
            "docs/scale.md). The --executor option overrides it."
        ),
    )
    dask_scheduler: str | None = Field(
        default=None,
        description=(
            "Address of the Dask scheduler, e.g. tcp://host:8786. Unset: the dask "
            "executor starts a cluster of worker processes on this machine."
        ),
    )
    service_timings: Path | None = Field(
        default=None,
        description=(
            "Folder where each worker of 'chipgate serve' writes where its requests' "
            "time went when it stops (chipgate.service.timing; for benchmarks). "
            "Unset: nothing is measured."
        ),
    )
    service_max_body_mb: int = Field(
        default=512,
        ge=1,
        le=65536,
        description=(
            "Largest request body 'chipgate serve' reads, in MiB (an order book or a "
            "fleet's measurement records uploaded whole); a larger one is refused "
            "with 413 before it is read, whoever sends it."
        ),
    )
    service_writer_process: bool = Field(
        default=True,
        description=(
            "On SQLite, 'chipgate serve' commits every worker's decision records in "
            "one writer process (chipgate.service.writer_process). False: each "
            "worker commits with a writer thread of its own, taking turns on a lock "
            "file (for comparing the two; both answer only once committed)."
        ),
    )
    dask_local_workers: int = Field(
        default=2,
        ge=1,
        le=64,
        description="Worker processes of the local Dask cluster (no scheduler set).",
    )

    def resolved_database_url(self) -> str:
        """The store URL, defaulting to a SQLite file inside ``data_dir``."""
        if self.database_url:
            return self.database_url
        # the data folder is the embedded store's: created (owner-only) if missing
        self.data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        return f"sqlite:///{(self.data_dir / 'chipgate.db').resolve()}"

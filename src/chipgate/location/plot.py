"""The simulator's curve: detection rate against distance moved, per landmark count."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt

from chipgate.location.scoring import SimulationResult


def plot_detection(result: SimulationResult, path: Path) -> Path:
    """Write a PNG of the diverted and caught (diverted or relocated) rates."""
    fig, ax = plt.subplots(figsize=(9, 5), dpi=110)
    labels: list[str] = []
    for count in result.config.landmark_counts:
        rows = [r for r in result.sweep if r.landmarks == count and r.bin > 0]
        labels = [r.group for r in rows]
        xs = list(range(len(rows)))
        line = ax.plot(
            xs,
            [100 * r.diverted for r in rows],
            marker="o",
            label=f"{count} landmarks: diverted",
        )[0]
        ax.plot(
            xs,
            [100 * r.caught for r in rows],
            linestyle="--",
            color=line.get_color(),
            alpha=0.6,
            label=f"{count} landmarks: diverted or relocated",
        )
    ax.set_xticks(range(len(labels)), labels, rotation=20)
    ax.set_xlabel("distance the chip was moved")
    ax.set_ylabel("% of moved chips")
    ax.set_ylim(0, 102)
    ax.grid(alpha=0.3)
    ax.set_title(
        f"Location verification: detection by distance moved "
        f"({result.config.chips:,} simulated chips)"
    )
    ax.legend(fontsize=7, ncol=2, loc="lower right")
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path)
    plt.close(fig)
    return path


def plot_real_beside_model(
    ratios: dict[str, list[float]],
    curves: dict[str, list[tuple[str, float]]],
    path: Path,
) -> Path:
    """Write a PNG with two panels: the distribution of RTT ÷ fibre minimum (real
    pairs and modelled ones) and the caught rate by distance moved (real
    leave-one-out and simulator)."""
    fig, (left, right) = plt.subplots(1, 2, figsize=(12, 4.8), dpi=110)
    for name, values in ratios.items():
        ordered = sorted(values)
        share = [100 * (i + 1) / len(ordered) for i in range(len(ordered))]
        left.plot(ordered, share, label=name)
    left.set_xscale("log")
    left.set_xlabel("RTT ÷ fibre minimum (pairs ≥ 100 km apart)")
    left.set_ylabel("% of pairs at or below")
    left.grid(alpha=0.3)
    left.legend(fontsize=8)
    for name, rows in curves.items():
        right.plot(
            range(len(rows)), [100 * rate for _, rate in rows], marker="o", label=name
        )
        right.set_xticks(range(len(rows)), [label for label, _ in rows], rotation=20)
    right.set_xlabel("distance moved")
    right.set_ylabel("% caught (diverted or relocated)")
    right.set_ylim(0, 102)
    right.grid(alpha=0.3)
    right.legend(fontsize=8, loc="lower right")
    fig.suptitle("Real RTTs (WonderNetwork, leave-one-out) beside the fitted model")
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path)
    plt.close(fig)
    return path
